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
import type { Expr, RuleProgram, Statement } from '../dsl/ast.ts';
import { rulesToAst } from '../dsl/cst-to-ast.ts';
import { DiagnosticBag } from '../dsl/diagnostics.ts';
import { formatPolicyText } from '../dsl/format-policy.ts';
import { formatRules, printRules } from '../dsl/format-rules.ts';
import { ruleLexer } from '../dsl/lexer.ts';
import { printStatement } from '../dsl/print.ts';
import { readText } from './support/fuzz.ts';
import { binaryOps, dummySpan, statementArb } from './support/rule-arbitraries.ts';

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
  return (ruleLexer().tokenize(text).groups.comments ?? []).map((c) => c.image.trimEnd()).sort();
}

const statement = statementArb;

describe('random syntax trees', () => {
  it('print → parse gives the tree back, and the formatter leaves the printed text as it is, at any width', () => {
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 4 }), fc.integer({ min: 10, max: 140 }), (statements, width) => {
        const printed = printRules({ statements, span: dummySpan }, width);
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
          const input = strew(printRules({ statements, span: dummySpan }), choices);
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
    if (how === 'not') return { kind: 'unary', op: 'not', operand: e, span: dummySpan };
    if (how === 'if') return { kind: 'if', cond: other, then: e, otherwise: other, span: dummySpan };
    return { kind: 'binary', op: how, left: other, right: e, span: dummySpan };
  };
  switch (s.kind) {
    case 'let': case 'measure': return { ...s, value: combine(s.value) };
    case 'outcome': return { ...s, when: combine(s.when) };
    case 'require': return { ...s, body: combine(s.body) };
  }
});

/** Between the tokens of `text`: nothing more, spaces, a line break, a comment at the line's end or on a line of its own. */
function strew(text: string, choices: readonly number[]): string {
  const tokens = ruleLexer().tokenize(text).tokens;
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
