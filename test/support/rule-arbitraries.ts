// Random syntax trees of the rule language, for the property tests of the parser
// (test/parser.test.ts) and of the formatter (test/format-property.test.ts): names (ASCII and
// Chinese, never a keyword), texts with the characters that need escaping, every expression kind
// and every statement kind, spans all one dummy (the tests compare trees without them).

import fc from 'fast-check';
import type { BinaryOp, Expr, NameRef, Statement } from '../../dsl/ast.ts';
import { reservedWords } from '../../dsl/lexer.ts';
import type { Span } from '../../dsl/source.ts';

/** The one span every generated node has. */
export const dummySpan: Span = { file: 'r', start: 0, end: 0 };

const reserved = reservedWords();
const d = fc.constant(dummySpan);

/** An identifier: a few fixed ones (Chinese among them) or a random one that is not a keyword. */
export const nameArb = fc.oneof(
  fc.constantFrom('a', 'hours', 'rate_range', 'kind', 'x1', '优', '专业能力', '学分_2', 'period', 'letter', 'is_new'),
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,5}$/).filter((s) => !reserved.has(s)),
);

/** A text without braces (a reason's braces are placeholders, generated from it). */
export const textArb = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '"', '\\', '\n', '\t', '#', "'", '学', '/'), maxLength: 8 });

/** Every binary operator. */
export const binaryOps: BinaryOp[] = ['+', '-', '*', '/', '==', '!=', '<', '<=', '>', '>=', 'and', 'or'];

/** Any expression, small trees first. */
export const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => {
  const sub = tie('expr');
  const list = (max: number) => fc.array(sub, { maxLength: max });
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ kind: fc.constant('number' as const), text: fc.stringMatching(/^\d{1,4}(\.\d{1,3})?$/), percent: fc.boolean(), span: d }),
      fc.record({ kind: fc.constant('string' as const), value: textArb, span: d }),
      fc.record({ kind: fc.constant('bool' as const), value: fc.boolean(), span: d }),
      fc.record({ kind: fc.constant('date' as const), value: fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/), span: d }),
      fc.record({ kind: fc.constant('name' as const), name: nameArb, span: d }),
      fc.record({ kind: fc.constant('unary' as const), op: fc.constantFrom('-' as const, 'not' as const), operand: sub, span: d }),
      fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom(...binaryOps), left: sub, right: sub, span: d }),
      fc.record({ kind: fc.constant('between' as const), value: sub, low: sub, high: sub, span: d }),
      fc.record({ kind: fc.constant('presence' as const), value: sub, present: fc.boolean(), span: d }),
      fc.record({ kind: fc.constant('in' as const), value: sub, items: list(3), span: d }),
      fc.record({ kind: fc.constant('if' as const), cond: sub, then: sub, otherwise: sub, span: d }),
      fc.record({ kind: fc.constant('index' as const), target: sub, key: sub, span: d }),
      fc.record({ kind: fc.constant('member' as const), target: sub, name: nameArb, nameSpan: d, span: d }),
      fc.record({ kind: fc.constant('call' as const), callee: nameArb, calleeSpan: d, args: list(3), span: d }),
      fc.record({
        kind: fc.constant('aggregate' as const), op: fc.constantFrom('sum' as const, 'count' as const),
        value: fc.option(sub, { nil: undefined }), where: fc.option(sub, { nil: undefined }),
        by: fc.option(fc.record({ name: nameArb, span: d }), { nil: undefined }), span: d,
      }),
    ),
  };
}).expr;

/** A reason: texts and `{name}` placeholders. */
const reasonArb = fc.array(fc.oneof(textArb, nameArb.map((n) => `{${n}}`)), { maxLength: 3 }).map((parts) => parts.join(''));
const placeholdersOf = (r: string): NameRef[] =>
  [...r.matchAll(/\{([^{}]+)\}/g)].map((m) => ({ kind: 'name', name: m[1]!, span: dummySpan }));

/** Any statement: let (with or without a unit or type), outcome, measure, requirement. */
export const statementArb: fc.Arbitrary<Statement> = fc.oneof(
  fc.record({
    kind: fc.constant('let' as const), id: nameArb,
    unit: fc.option(fc.record({ text: fc.constantFrom('hour', 'credit/hour', '1', 'item*hour', 'bool'), span: d }), { nil: undefined }),
    value: exprArb, cites: fc.array(textArb, { maxLength: 2 }), notes: fc.array(textArb, { maxLength: 1 }), idSpan: d, span: d,
  }),
  fc.record({
    kind: fc.constant('outcome' as const), outcome: fc.constantFrom('reject' as const, 'exclude' as const, 'disregard' as const), id: nameArb,
    when: exprArb, reason: reasonArb, cites: fc.array(textArb, { maxLength: 2 }), notes: fc.constant([]), idSpan: d, span: d,
  }).map((s) => ({ ...s, reasonSpan: dummySpan, placeholders: placeholdersOf(s.reason) })),
  fc.record({
    kind: fc.constant('measure' as const), id: nameArb, label: fc.option(textArb, { nil: undefined }), value: exprArb,
    cites: fc.constant([]), notes: fc.array(textArb, { maxLength: 2 }), idSpan: d, span: d,
  }),
  fc.record({
    kind: fc.constant('require' as const), id: nameArb, label: fc.option(textArb, { nil: undefined }), scope: fc.constantFrom('period' as const, 'cycle' as const, 'window' as const),
    loop: fc.option(fc.record({ variable: nameArb, table: nameArb, span: d }), { nil: undefined }),
    when: fc.option(exprArb, { nil: undefined }), body: exprArb,
    cites: fc.array(textArb, { maxLength: 1 }), notes: fc.constant([]), idSpan: d, scopeSpan: d, span: d,
    size: fc.integer({ min: 2, max: 120 }),
  }).map(({ size, ...s }) => (s.scope === 'window' ? { ...s, window: { text: String(size), span: dummySpan } } : s)),
);
