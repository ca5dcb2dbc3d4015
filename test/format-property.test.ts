// Properties of the formatter (dsl/format-rules.ts), with fast-check from the suite's fixed,
// printed seed (test/fast-check-seed.ts): for random syntax trees, and for random mutations of
// the shipped policies' rules (subexpressions recombined, printed fully parenthesised by the old
// printer, then comments, spaces and line breaks strewn between their tokens):
//   - parse(format(x)) is the tree of x, spans aside;
//   - format is idempotent: format(format(x)) === format(x);
//   - the comments are the same (as a multiset of texts).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import type { BinaryOp, Expr, RuleProgram, Statement } from '../dsl/ast.ts';
import type { Span } from '../dsl/source.ts';
import { rulesToAst } from '../dsl/cst-to-ast.ts';
import { DiagnosticBag } from '../dsl/diagnostics.ts';
import { formatPolicyText } from '../dsl/format-policy.ts';
import { formatRules, printRules } from '../dsl/format-rules.ts';
import { reservedWords, ruleLexer } from '../dsl/lexer.ts';
import { printStatement } from '../dsl/print.ts';
import { readText } from './support/fuzz.ts';

const origin = { file: 'r', map: (o: number) => o };

function parse(text: string): RuleProgram {
  const bag = new DiagnosticBag();
  const p = rulesToAst(text, origin, bag);
  if (!p || bag.hasErrors) throw new Error(`${bag.items.map((d) => d.message).join('; ')}\n${text}`);
  return p;
}

function format(text: string, width?: number): string {
  const r = formatRules(text, origin, width);
  if (!r.ok) throw new Error(`${r.diagnostics.map((d) => d.message).join('; ')}\n${text}`);
  return r.value;
}

/** The tree without where it was written: spans, and the derived placeholder spans, dropped. */
function strip(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(strip);
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) if (!/span$/i.test(k) && v !== undefined) out[k] = strip(v);
    return out;
  }
  return x;
}

/** The comments of a rules text, as the lexer finds them, trailing spaces aside, sorted. */
function commentsOf(text: string): string[] {
  return (ruleLexer.tokenize(text).groups.comments ?? []).map((c) => c.image.trimEnd()).sort();
}

const dummy: Span = { file: 'r', start: 0, end: 0 };
const reserved = reservedWords();
const name = fc.oneof(
  fc.constantFrom('a', 'hours', 'rate_range', 'kind', 'x1', '优', '专业能力', 'period', 'letter', 'is_new'),
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,5}$/).filter((s) => !reserved.has(s)),
);
// Texts without braces (a reason's braces are placeholders, derived from it).
const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '"', '\\', '\n', '\t', '#', '学', '/'), maxLength: 8 });
const binaryOps: BinaryOp[] = ['+', '-', '*', '/', '==', '!=', '<', '<=', '>', '>=', 'and', 'or'];

const { expr } = fc.letrec<{ expr: Expr }>((tie) => {
  const sub = tie('expr');
  const list = (max: number) => fc.array(sub, { maxLength: max });
  const d = fc.constant(dummy);
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ kind: fc.constant('number' as const), text: fc.stringMatching(/^\d{1,4}(\.\d{1,3})?$/), percent: fc.boolean(), span: d }),
      fc.record({ kind: fc.constant('string' as const), value: text, span: d }),
      fc.record({ kind: fc.constant('bool' as const), value: fc.boolean(), span: d }),
      fc.record({ kind: fc.constant('date' as const), value: fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/), span: d }),
      fc.record({ kind: fc.constant('name' as const), name, span: d }),
      fc.record({ kind: fc.constant('unary' as const), op: fc.constantFrom('-' as const, 'not' as const), operand: sub, span: d }),
      fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom(...binaryOps), left: sub, right: sub, span: d }),
      fc.record({ kind: fc.constant('between' as const), value: sub, low: sub, high: sub, span: d }),
      fc.record({ kind: fc.constant('presence' as const), value: sub, present: fc.boolean(), span: d }),
      fc.record({ kind: fc.constant('in' as const), value: sub, items: list(3), span: d }),
      fc.record({ kind: fc.constant('if' as const), cond: sub, then: sub, otherwise: sub, span: d }),
      fc.record({ kind: fc.constant('index' as const), target: sub, key: sub, span: d }),
      fc.record({ kind: fc.constant('member' as const), target: sub, name, nameSpan: d, span: d }),
      fc.record({ kind: fc.constant('call' as const), callee: name, calleeSpan: d, args: list(3), span: d }),
      fc.record({
        kind: fc.constant('aggregate' as const), op: fc.constantFrom('sum' as const, 'count' as const),
        value: fc.option(sub, { nil: undefined }), where: fc.option(sub, { nil: undefined }),
        by: fc.option(fc.record({ name, span: d }), { nil: undefined }), span: d,
      }),
    ),
  };
});

const statement: fc.Arbitrary<Statement> = fc.oneof(
  fc.record({
    kind: fc.constant('let' as const), id: name, unit: fc.option(fc.record({ text: fc.constantFrom('hour', 'credit/hour', '1', 'item*hour'), span: fc.constant(dummy) }), { nil: undefined }),
    value: expr, cites: fc.array(text, { maxLength: 2 }), notes: fc.array(text, { maxLength: 1 }), idSpan: fc.constant(dummy), span: fc.constant(dummy),
  }),
  fc.record({
    kind: fc.constant('outcome' as const), outcome: fc.constantFrom('reject' as const, 'exclude' as const, 'disregard' as const), id: name,
    when: expr, reason: text, cites: fc.array(text, { maxLength: 2 }), notes: fc.constant([]), idSpan: fc.constant(dummy), span: fc.constant(dummy),
  }).map((s) => ({ ...s, reasonSpan: dummy, placeholders: [] })),
  fc.record({
    kind: fc.constant('measure' as const), id: name, label: fc.option(text, { nil: undefined }), value: expr,
    cites: fc.constant([]), notes: fc.array(text, { maxLength: 2 }), idSpan: fc.constant(dummy), span: fc.constant(dummy),
  }),
  fc.record({
    kind: fc.constant('require' as const), id: name, label: fc.option(text, { nil: undefined }), scope: fc.constantFrom('period' as const, 'cycle' as const),
    loop: fc.option(fc.record({ variable: name, table: name, span: fc.constant(dummy) }), { nil: undefined }),
    when: fc.option(expr, { nil: undefined }), body: expr,
    cites: fc.array(text, { maxLength: 1 }), notes: fc.constant([]), idSpan: fc.constant(dummy), scopeSpan: fc.constant(dummy), span: fc.constant(dummy),
  }),
);

describe('random syntax trees', () => {
  it('print → parse gives the tree back, and the formatter leaves the printed text as it is, at any width', () => {
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 4 }), fc.integer({ min: 10, max: 140 }), (statements, width) => {
        const printed = printRules({ statements, span: dummy }, width);
        expect(strip(parse(printed).statements), printed).toEqual(strip(statements));
        expect(format(printed, width)).toBe(printed);
      }),
      { numRuns: 300 },
    );
  });

  it('with comments, spaces and line breaks strewn between the tokens: the same tree, every comment, idempotent', () => {
    fc.assert(
      fc.property(
        fc.array(statement, { minLength: 1, maxLength: 3 }),
        fc.array(fc.constantFrom(0, 0, 0, 1, 2, 3, 4, 5), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 20, max: 120 }),
        (statements, choices, width) => {
          const input = strew(printRules({ statements, span: dummy }), choices);
          const formatted = format(input, width);
          expect(strip(parse(formatted).statements), formatted).toEqual(strip(statements));
          expect(format(formatted, width), formatted).toBe(formatted);
          expect(commentsOf(formatted)).toEqual(commentsOf(input));
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** The rule texts of the shipped policies. */
const shipped: string[] = [
  ['policies/lincang/policy.yaml', ['rules']],
  ['policies/lincang/versions/2019.1.yaml', ['add', 'rules']],
  ['policies/lincang-county/policy.yaml', ['rules']],
  ['policies/lincang-county/policy.yaml', ['add', 'rules']],
  ['policies/nmc-revalidation/policy.yaml', ['rules']],
].map(([file, path]) => String(parseDocument(readText(file as string)).getIn(path as string[])));

const shippedStatements = shipped.flatMap((t) => parse(t).statements);
/** Every expression of the shipped rules: material to recombine. */
const pool: Expr[] = shippedStatements.flatMap((s) => {
  const out: Expr[] = [];
  const walk = (e: Expr): void => {
    out.push(e);
    for (const v of Object.values(e)) {
      if (v && typeof v === 'object' && 'kind' in v) walk(v as Expr);
      if (Array.isArray(v)) v.forEach((x) => x && typeof x === 'object' && 'kind' in x && walk(x as Expr));
    }
  };
  if (s.kind === 'let' || s.kind === 'measure') walk(s.value);
  else if (s.kind === 'outcome') walk(s.when);
  else {
    if (s.when) walk(s.when);
    walk(s.body);
  }
  return out;
});

/** A statement of the shipped rules with its main expression combined with another of theirs. */
const mutated: fc.Arbitrary<Statement> = fc.tuple(
  fc.constantFrom(...shippedStatements), fc.constantFrom(...pool), fc.constantFrom(...binaryOps, 'if', 'not', 'keep'),
).map(([s, other, how]): Statement => {
  const combine = (e: Expr): Expr => {
    if (how === 'keep') return e;
    if (how === 'not') return { kind: 'unary', op: 'not', operand: e, span: dummy };
    if (how === 'if') return { kind: 'if', cond: other, then: e, otherwise: other, span: dummy };
    return { kind: 'binary', op: how, left: other, right: e, span: dummy };
  };
  switch (s.kind) {
    case 'let': case 'measure': return { ...s, value: combine(s.value) };
    case 'outcome': return { ...s, when: combine(s.when) };
    case 'require': return { ...s, body: combine(s.body) };
  }
});

/** Between the tokens of `text`: nothing more, spaces, a line break, a comment at the line's end or on a line of its own. */
function strew(text: string, choices: readonly number[]): string {
  const tokens = ruleLexer.tokenize(text).tokens;
  let out = '';
  let at = 0;
  tokens.forEach((t, i) => {
    out += text.slice(at, t.startOffset + t.image.length);
    at = t.startOffset + t.image.length;
    const c = choices[i % choices.length]!;
    if (c === 1) out += '   ';
    else if (c === 2) out += '\n      ';
    else if (c === 3) out += `  # c${i} trailing  \n`;
    else if (c === 4) out += `\n  # c${i} own line\n`;
    else if (c === 5) out += `\n\n\n# c${i} after blank lines\n\n`;
  });
  return out + text.slice(at);
}

describe('random mutations of the shipped policies’ rules', () => {
  it('the shipped rules are formatted already', () => {
    for (const t of shipped) expect(format(t, 98)).toBe(t);
  });

  it('format keeps the tree and every comment, and formats its own output to itself', () => {
    fc.assert(
      fc.property(
        fc.array(mutated, { minLength: 1, maxLength: 4 }),
        fc.array(fc.constantFrom(0, 0, 0, 0, 1, 2, 3, 4, 5), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 30, max: 120 }),
        (statements, choices, width) => {
          // The old printer parenthesises every operator: the formatter has them all to drop.
          const input = strew(statements.map(printStatement).join('\n\n'), choices);
          const formatted = format(input, width);
          expect(strip(parse(formatted).statements), formatted).toEqual(strip(parse(input).statements));
          expect(format(formatted, width), formatted).toBe(formatted);
          expect(commentsOf(formatted)).toEqual(commentsOf(input));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('comments strewn through the shipped rules as they are: kept, the tree the same, idempotent', () => {
    fc.assert(
      fc.property(fc.constantFrom(...shipped), fc.array(fc.constantFrom(0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5), { minLength: 1, maxLength: 60 }), (t, choices) => {
        const input = strew(t, choices);
        const formatted = format(input);
        expect(strip(parse(formatted).statements)).toEqual(strip(parse(t).statements));
        expect(format(formatted)).toBe(formatted);
        expect(commentsOf(formatted)).toEqual(commentsOf(input));
      }),
      { numRuns: 100 },
    );
  });
});

describe('random mutations of the shipped policy files (dsl/format-policy.ts)', () => {
  // In both files the rules block is the last key: its content runs from after `rules: |` to the end.
  const files = ['policies/lincang/policy.yaml', 'policies/nmc-revalidation/policy.yaml'].map((f) => {
    const text = readText(f);
    const at = text.indexOf('\nrules: |\n') + '\nrules: |\n'.length;
    return { name: f, head: text.slice(0, at), rules: String(parseDocument(text).get('rules')) };
  });

  it('only the rules change: the YAML before them byte for byte, the rules the same tree and comments, idempotent', () => {
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.array(fc.constantFrom(0, 0, 0, 0, 0, 1, 2, 3, 4, 5), { minLength: 1, maxLength: 50 }), (f, choices) => {
        const rules = strew(f.rules, choices);
        const text = f.head + rules.split('\n').map((l) => (l === '' ? '' : `  ${l}`)).join('\n');
        const r = formatPolicyText(f.name, text);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.value.slice(0, f.head.length)).toBe(f.head);
        const after = String(parseDocument(r.value).get('rules'));
        expect(strip(parse(after).statements)).toEqual(strip(parse(f.rules).statements));
        expect(commentsOf(after)).toEqual(commentsOf(rules));
        const again = formatPolicyText(f.name, r.value);
        expect(again.ok && again.value).toBe(r.value);
      }),
      { numRuns: 60 },
    );
  });
});
