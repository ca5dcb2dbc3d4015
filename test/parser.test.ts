// The rule language's parser: precedence (shown by printing fully parenthesised), identifiers,
// skipped text, syntax errors, and parse → print → parse round trips (the Lincang rules and
// generated expressions).

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Expr, LetStmt, RuleProgram } from '../dsl/ast.ts';
import { rulesToAst } from '../dsl/cst-to-ast.ts';
import { DiagnosticBag, type Diagnostic } from '../dsl/diagnostics.ts';
import { createRuleLexer } from '../dsl/lexer.ts';
import { RuleParser } from '../dsl/parser.ts';
import { printExpr, printProgram, printStatement, printString } from '../dsl/print.ts';
import type { Span } from '../dsl/source.ts';
import { dummySpan, exprArb, statementArb } from './support/rule-arbitraries.ts';

const identity = { file: 'r', map: (o: number) => o };

/** Parses a rules text standalone; offsets are offsets into `text`. */
function parseRules(text: string): { program: RuleProgram | undefined; diagnostics: Diagnostic[] } {
  const bag = new DiagnosticBag();
  const program = rulesToAst(text, identity, bag);
  return { program, diagnostics: bag.items };
}

/** Parses rules that must be free of errors. */
function program(text: string): RuleProgram {
  const { program: p, diagnostics } = parseRules(text);
  expect(diagnostics).toEqual([]);
  expect(p).toBeDefined();
  return p!;
}

/** Parses one expression (as `let x = <expr>`). */
function expr(text: string): Expr {
  const s = program(`let x = ${text}`).statements[0];
  expect(s?.kind).toBe('let');
  return (s as LetStmt).value;
}

/** An expression, fully parenthesised. */
const grouped = (text: string): string => printExpr(expr(text));

const SPAN_KEYS = new Set(['span', 'idSpan', 'nameSpan', 'calleeSpan', 'scopeSpan', 'keySpan', 'reasonSpan', 'labelSpan']);

/** A deep copy without source positions, for comparing trees parsed from different texts. */
function stripSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSpans);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).filter(([k, v]) => !SPAN_KEYS.has(k) && v !== undefined).map(([k, v]) => [k, stripSpans(v)]),
    );
  }
  return value;
}

describe('date literals', () => {
  it('reads YYYY-MM-DD as one date, not a subtraction', () => {
    const text = 'let x = date < 2017-08-28';
    const e = program(text).statements[0] as LetStmt;
    expect(e.value.kind).toBe('binary');
    const right = (e.value as Extract<Expr, { kind: 'binary' }>).right;
    expect(right).toEqual({ kind: 'date', value: '2017-08-28', span: { file: 'r', start: 15, end: 25 } });
    expect(text.slice(15, 25)).toBe('2017-08-28');
  });

  it.each([
    // Spaced, or not exactly four-two-two digits: numbers and subtractions, as before.
    ['2017 - 08 - 28', '((2017 - 08) - 28)'],
    ['2017-8-28', '((2017 - 8) - 28)'],
    ['20170-08-28', '((20170 - 08) - 28)'],
    ['2017-08-280', '((2017 - 08) - 280)'],
    ['2017-08-28 - 1', '(2017-08-28 - 1)'],
    ['2017-08-2812%', '((2017 - 08) - 2812%)'],
    ['d between 2019-01-01 and 2019-12-31', '(d between 2019-01-01 and 2019-12-31)'],
    ['add_months(2019-01-31, 1)', 'add_months(2019-01-31, 1)'],
  ])('%s', (text, printed) => {
    expect(grouped(text)).toBe(printed);
  });
});

describe('precedence', () => {
  it.each([
    ['a + b * c', '(a + (b * c))'],
    ['a * b + c', '((a * b) + c)'],
    ['a - b - c', '((a - b) - c)'],
    ['a / b / c', '((a / b) / c)'],
    ['a - b + c', '((a - b) + c)'],
    ['a * b / c * d', '(((a * b) / c) * d)'],
    ['-x * y', '((-x) * y)'],
    ['- -x', '(-(-x))'],
    ['-t[k].col', '(-t[k].col)'],
    ['not a and b or c', '(((not a) and b) or c)'],
    ['a or b and c', '(a or (b and c))'],
    ['a or b or c', '((a or b) or c)'],
    ['not not a', '(not (not a))'],
    ['not a == b', '(not (a == b))'],
    ['a + 1 >= b * 2', '((a + 1) >= (b * 2))'],
    ['a == b and c != d', '((a == b) and (c != d))'],
    ['x between 1 and 2 and y', '((x between 1 and 2) and y)'],
    ['x between a + 1 and b * 2', '(x between (a + 1) and (b * 2))'],
    ['not x between 1 and 2', '(not (x between 1 and 2))'],
    ['x is missing or y is present', '((x is missing) or (y is present))'],
    ['a + b is present', '((a + b) is present)'],
    ['x in [a, b + 1] and y', '((x in [a, (b + 1)]) and y)'],
    ['x in []', '(x in [])'],
    ['if a then b else c + d', '(if a then b else (c + d))'],
    ['if a or b then 1 else 2', '(if (a or b) then 1 else 2)'],
    ['if a then if b then c else d else e', '(if a then (if b then c else d) else e)'],
    ['if a then b else if c then d else e', '(if a then b else (if c then d else e))'],
    ['a + (if c then 1 else 2)', '(a + (if c then 1 else 2))'],
    ['(a + b) * c', '((a + b) * c)'],
    ['t[k].col', 't[k].col'],
    ['t[k].col * 2', '(t[k].col * 2)'],
    ['g(a)[k]', 'g(a)[k]'],
    ['(a + b)[k]', '(a + b)[k]'],
    ['m[t[k].key]', 'm[t[k].key]'],
    ['grade(score).passed and ok', '(grade(score).passed and ok)'],
    ['max(a + b, c)', 'max((a + b), c)'],
    ['f()', 'f()'],
    ['sum(x where y by z)', 'sum(x where y by z)'],
    ['sum(a * b where k == training and not c)', 'sum((a * b) where ((k == training) and (not c)))'],
    ['count(where y)', 'count(where y)'],
    ['sum(x) / count()', '(sum(x) / count())'],
    ['60%', '60%'],
    ['12.5% * x', '(12.5% * x)'],
    ['"a \\"q\\" \\\\ b"', '"a \\"q\\" \\\\ b"'],
    ['true and false', '(true and false)'],
  ])('%s  →  %s', (input, output) => {
    expect(grouped(input)).toBe(output);
  });

  it('reads 60% as the number 60 marked as a percentage', () => {
    expect(stripSpans(expr('60%'))).toEqual({ kind: 'number', text: '60', percent: true });
    expect(stripSpans(expr('0.25'))).toEqual({ kind: 'number', text: '0.25', percent: false });
  });

  it('unescapes \\" \\\\ \\n \\t in texts', () => {
    expect(stripSpans(expr('"a\\"b\\\\c\\nd\\te"'))).toEqual({ kind: 'string', value: 'a"b\\c\nd\te' });
  });

  it('makes comparisons non-associative', () => {
    expect(parseRules('let x = a < b < c').diagnostics.map((d) => d.code)).toEqual(['syntax-error']);
    expect(grouped('(a < b) == c')).toBe('((a < b) == c)');
  });

  it('spans cover exactly the text of each node, parentheses included', () => {
    const text = 'let x = (a + b) * c';
    const e = expr('(a + b) * c');
    const slice = (s: Span) => text.slice(s.start, s.end);
    expect(e.kind).toBe('binary');
    if (e.kind !== 'binary') return;
    expect(slice(e.span)).toBe('(a + b) * c');
    expect(slice(e.left.span)).toBe('(a + b)');
    expect(slice(e.right.span)).toBe('c');
  });
});

describe('identifiers, spaces and comments', () => {
  it('accepts CJK identifiers', () => {
    expect(grouped('专业能力 + 优 * 学分')).toBe('(专业能力 + (优 * 学分))');
    const p = program('let 优秀 = 专业能力[优].系数');
    const s = p.statements[0]!;
    expect(s.id).toBe('优秀');
    expect(printExpr((s as LetStmt).value)).toBe('专业能力[优].系数');
  });

  it('reads keywords only as whole words', () => {
    expect(grouped('letter + index + iffy + band + order + nothing')).toBe('(((((letter + index) + iffy) + band) + order) + nothing)');
    expect(grouped('in_system and is_new')).toBe('(in_system and is_new)');
  });

  it('skips the full-width space (U+3000)', () => {
    const p = program('let\u3000x\u3000=\u3000a\u3000+\u3000优');
    expect(printProgram(p)).toBe('let x = a + 优\n');
  });

  it('skips comments, on their own lines and after a statement', () => {
    const p = program('# heading\nlet x = 1 # trailing\n  # indented\nlet y = x # 中文注释\n');
    expect(p.statements.map((s) => s.id)).toEqual(['x', 'y']);
  });

  it('keeps a # inside a text', () => {
    expect(stripSpans(expr('"no. #1"'))).toEqual({ kind: 'string', value: 'no. #1' });
  });

  it('parses an empty rules text, or one with only comments, as no statements', () => {
    expect(program('').statements).toEqual([]);
    expect(program('# nothing yet\n\n').statements).toEqual([]);
  });
});

describe('statements', () => {
  it('prints each kind of statement in the concrete syntax', () => {
    const text = [
      '@cite("第九条", "第十条")',
      '@note("说明 \\"引号\\"")',
      'let h: credit/hour = if f == online then a else t[level].min',
      'reject r when kind == training and hours is missing because "缺少学时 / missing"',
      'exclude e when not (period between cycle_from and cycle_to) because "x"',
      'disregard d when not in_system because "y"',
      'measure m "标签" = sum(c where ok by module)',
      'measure n = a / b',
      'require q "每年" per period for k in t when ok: m[k] >= t[k].yearly',
      'require c per cycle: total >= 360',
    ].join('\n');
    expect(printProgram(program(text))).toBe([
      '@cite("第九条")\n@cite("第十条")\n@note("说明 \\"引号\\"")\nlet h: credit/hour = if (f == online) then a else t[level].min',
      'reject r when (kind == training) and (hours is missing) because "缺少学时 / missing"',
      'exclude e when not (period between cycle_from and cycle_to) because "x"',
      'disregard d when not in_system because "y"',
      'measure m "标签" = sum(c where ok by module)',
      'measure n = a / b',
      'require q "每年" per period for k in t when ok: m[k] >= t[k].yearly',
      'require c per cycle: total >= 360',
    ].join('\n\n') + '\n');
  });

  it('escapes texts the way the lexer reads them', () => {
    expect(printString('a"b\\c\nd\te')).toBe('"a\\"b\\\\c\\nd\\te"');
    const s = program('let x = 1').statements[0]!;
    expect(printStatement({ ...s, cites: ['第"九"条\\'], notes: ['line\nbreak'] })).toBe(
      '@cite("第\\"九\\"条\\\\")\n@note("line\\nbreak")\nlet x = 1',
    );
  });
});

describe('syntax errors', () => {
  it('reports a syntax-error in plain words, and no program', () => {
    const { program: p, diagnostics } = parseRules('let x = 1 +\nlet y = 2');
    expect(p).toBeUndefined();
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) {
      expect(d.code).toBe('syntax-error');
      expect(d.severity).toBe('error');
      for (const m of [d.message, d.zh]) {
        expect(m).not.toMatch(/Expecting|token of type|-->|<--|\{"en"/);
      }
    }
  });

  it('says what was expected and what was found, at the offending token', () => {
    const text = 'let total hours + 1';
    const { program: p, diagnostics } = parseRules(text);
    expect(p).toBeUndefined();
    const d = diagnostics[0]!;
    expect(d.message).toBe("expected '=', found 'hours'");
    expect(d.zh).toBe("此处应为 '='，实际是 'hours'");
    expect(text.slice(d.span.start, d.span.end)).toBe('hours');
  });

  it('reports a missing closing parenthesis at the end of the rules', () => {
    const text = 'let y = (2 + 3';
    const { diagnostics } = parseRules(text);
    expect(diagnostics.map((d) => d.message)).toEqual(["expected ')', found the end of the rules"]);
    expect(text.slice(diagnostics[0]!.span.start, diagnostics[0]!.span.end)).toBe('3');
  });

  it('reports an unexpected character, with help for curly quotes', () => {
    const text = 'reject r when a because “x”';
    const { program: p, diagnostics } = parseRules(text);
    expect(p).toBeUndefined();
    const first = diagnostics[0]!;
    expect(first.code).toBe('unexpected-character');
    expect(first.message).toBe("unexpected character '“'");
    expect(first.help).toBe('use straight double quotes (") around texts');
    expect(text.slice(first.span.start, first.span.end)).toBe('“');
  });
});

describe('round trip: parse → print → parse', () => {
  it('gives the same tree for the whole rules block of the Lincang policy', () => {
    const yaml = readFileSync(new URL('../policies/lincang/policy.yaml', import.meta.url), 'utf8');
    const rules = (parseYaml(yaml) as { rules: string }).rules;
    const first = program(rules);
    expect(first.statements.length).toBeGreaterThan(40);
    const printed = printProgram(first);
    const second = program(printed);
    expect(stripSpans(second)).toEqual(stripSpans(first));
    // Printing is a fixed point after one round.
    expect(printProgram(second)).toBe(printed);
  });

  it('gives the same tree for generated expressions', () => {
    fc.assert(
      fc.property(exprArb, (e) => {
        const printed = printExpr(e);
        const { program: p, diagnostics } = parseRules(`let x = ${printed}`);
        expect(diagnostics, printed).toEqual([]);
        expect(stripSpans((p!.statements[0] as LetStmt).value)).toEqual(stripSpans(e));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same statements for generated programs', () => {
    fc.assert(
      fc.property(fc.array(statementArb, { maxLength: 4 }), (statements) => {
        const printed = printProgram({ statements, span: dummySpan });
        const { program: p, diagnostics } = parseRules(printed);
        expect(diagnostics, printed).toEqual([]);
        expect(stripSpans(p!.statements)).toEqual(stripSpans(statements));
      }),
      { numRuns: 200 },
    );
  });
});

describe('the grammar itself', () => {
  // At run time chevrotain's own checks of the tokens and the grammar are skipped, for start-up:
  // here they run, and fail on an ambiguous alternative, left recursion or an unreachable token.
  it('passes chevrotain\'s validations of the token set and of the grammar', () => {
    expect(createRuleLexer(true).lexerDefinitionErrors).toEqual([]);
    expect(() => new RuleParser(true)).not.toThrow();
  });
});
