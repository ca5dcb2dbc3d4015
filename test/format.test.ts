// The formatter (dsl/format-rules.ts, dsl/format-policy.ts): exact expected texts, written by
// hand from the grammar's precedence (dsl/parser.ts) and the layout rules in the README's
// "guize fmt" section.

import { describe, expect, it } from 'vitest';
import { formatPolicyText } from '../dsl/format-policy.ts';
import { formatRules } from '../dsl/format-rules.ts';

/** The formatted rules text (throws on a parse error, which these cases do not have). */
function fmt(text: string, width = 100): string {
  const r = formatRules(text, { file: 'rules', map: (o) => o }, width);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  // Every case also formats to itself.
  const again = formatRules(r.value, { file: 'rules', map: (o) => o }, width);
  expect(again.ok && again.value).toBe(r.value);
  return r.value;
}

describe('parentheses only where the grammar needs them', () => {
  it.each([
    // `*` binds tighter than `+`: the parentheses say nothing.
    ['let x = (a * b) + c', 'let x = a * b + c'],
    // `-` groups to the left: a right-hand chain needs its parentheses, a left-hand one does not.
    ['let x = a - (b - c)', 'let x = a - (b - c)'],
    ['let x = (a - b) - c', 'let x = a - b - c'],
    ['let x = a * (b + c)', 'let x = a * (b + c)'],
    ['let x = a / (b * c)', 'let x = a / (b * c)'],
    // Unary minus binds looser than postfix, tighter than `*`.
    ['let x = -(a + b)', 'let x = -(a + b)'],
    ['let x = (-a).b', 'let x = (-a).b'],
    ['let x = -(a.b)', 'let x = -a.b'],
    ['let x = 2 * -3', 'let x = 2 * -3'],
    ['let x = - -a', 'let x = --a'],
    // `not` takes a comparison; a comparison's sides are sums, so `not a` on its left keeps them.
    ['let x = not (a == b)', 'let x = not a == b'],
    ['let x = (not a) == b', 'let x = (not a) == b'],
    ['let x = not (a and b)', 'let x = not (a and b)'],
    ['let x = not not a', 'let x = not not a'],
    // `and` binds tighter than `or`; both group to the left.
    ['let x = a or (b and c)', 'let x = a or b and c'],
    ['let x = (a or b) and c', 'let x = (a or b) and c'],
    ['let x = a or (b or c)', 'let x = a or (b or c)'],
    ['let x = (a or b) or c', 'let x = a or b or c'],
    // Comparisons do not chain.
    ['let x = (a == b) == c', 'let x = (a == b) == c'],
    ['let x = (a between b and c) and d', 'let x = a between b and c and d'],
    ['let x = (a + 1) between (b) and (c * 2)', 'let x = a + 1 between b and c * 2'],
    ['let x = (a is present) or b', 'let x = a is present or b'],
    ['let x = a in [(b + 1), c]', 'let x = a in [b + 1, c]'],
    // `if` is the loosest: inside an operator it needs parentheses, its own parts do not.
    ['let x = (if a then b else c) + 1', 'let x = (if a then b else c) + 1'],
    ['let x = if (a) then (b + 1) else (c)', 'let x = if a then b + 1 else c'],
    ['let x = if a then if b then c else d else e', 'let x = if a then if b then c else d else e'],
    // A total takes an `or` expression: an `if` inside needs parentheses.
    ['let x = sum((if a then b else c))', 'let x = sum((if a then b else c))'],
    ['let x = sum((a or b) where (c))', 'let x = sum(a or b where c)'],
    // Postfix binds tightest.
    ['let x = (a)[b]', 'let x = a[b]'],
    ['let x = (a + b)[c]', 'let x = (a + b)[c]'],
    ['let x = (t[k]).col', 'let x = t[k].col'],
    ['let x = f((a + b), (c))', 'let x = f(a + b, c)'],
  ])('%s → %s', (input, expected) => {
    expect(fmt(input)).toBe(`${expected}\n`);
  });
});

describe('canonical spacing, one statement a line, blank lines kept (at most one)', () => {
  it('spaces, units, annotations, strings', () => {
    expect(fmt('@cite( "第九条" ,"第十条" )@note("n")let   x:credit / hour=1 measure m:item"学时 / hours"=count( where k==t )')).toBe([
      '@cite("第九条", "第十条")',
      '@note("n")',
      'let x: credit/hour = 1',
      'measure m: item "学时 / hours" = count(where k == t)',
      '',
    ].join('\n'));
  });

  it('annotations keep their order and grouping', () => {
    expect(fmt('@note("n1")\n@cite("c1", "c2")\n@note("n2")\nlet x = 1')).toBe('@note("n1")\n@cite("c1", "c2")\n@note("n2")\nlet x = 1\n');
  });

  it('`because` and `per` always start a line; no blank line stays none, several become one', () => {
    expect(fmt('reject r when a is missing because "缺少 / missing"\nlet x = 1\n\n\n\nrequire q "l" per cycle: m >= 1')).toBe([
      'reject r when a is missing',
      '  because "缺少 / missing"',
      'let x = 1',
      '',
      'require q "l"',
      '  per cycle: m >= 1',
      '',
    ].join('\n'));
  });

  it('empty rules: nothing; blank rules: nothing; line ends CRLF read as LF', () => {
    expect(fmt('')).toBe('');
    expect(fmt('  \n\n\t\n')).toBe('');
    expect(fmt('let x = 1\r\n\r\n\r\nlet y = 2\r\n')).toBe('let x = 1\n\nlet y = 2\n');
  });
});

describe('long lines break in the same places', () => {
  it('after `=`, then before each operator of a chain', () => {
    // At width 30: `let total = aaaa + bbbb + cccc + dddd` is 37 columns; after the break the sum is 25 + 2.
    expect(fmt('let total = aaaa + bbbb + cccc + dddd', 30)).toBe('let total =\n  aaaa + bbbb + cccc + dddd\n');
    // At 20, the sum itself breaks: each `+` starts a line, two further in.
    expect(fmt('let total = aaaa + bbbb + cccc + dddd', 20)).toBe('let total =\n  aaaa\n    + bbbb\n    + cccc\n    + dddd\n');
  });

  it('a condition continues four in, `because` two in', () => {
    expect(fmt('reject r when a == 1 and b == 2 and c == 3 because "x"', 30)).toBe([
      'reject r when a == 1',
      '    and b == 2',
      '    and c == 3',
      '  because "x"',
      '',
    ].join('\n'));
  });

  it('a requirement: the body after `:` on a line of its own when the `per` line is full', () => {
    expect(fmt('require q "label" per cycle for m in t when aaaa > 0: cccccc >= dddddd * eeeee', 40)).toBe([
      'require q "label"',
      '  per cycle for m in t when aaaa > 0:',
      '    cccccc >= dddddd * eeeee',
      '',
    ].join('\n'));
  });

  it('an `else if` chain is one branch a line, even when it would fit; a single `if` breaks before `else`', () => {
    expect(fmt('let x = if a then 1 else if b then 2 else 3')).toBe('let x =\n  if a then 1\n  else if b then 2\n  else 3\n');
    expect(fmt('let x = if condition then value_one else value_two', 30)).toBe('let x =\n  if condition then value_one\n  else value_two\n');
  });

  it('calls and lists: one item a line; totals: `where` and `by` start lines', () => {
    expect(fmt('let x = a in [aaaaaa, bbbbbb, cccccc, dddddd]', 24)).toBe('let x =\n  a in [\n    aaaaaa,\n    bbbbbb,\n    cccccc,\n    dddddd\n  ]\n');
    expect(fmt('measure m = count(distinct teacher where kind == training by module)', 40)).toBe([
      'measure m =',
      '  count(distinct teacher',
      '    where kind == training',
      '    by module)',
      '',
    ].join('\n'));
  });

  it('CJK text counts two columns: a label of 20 ideographs fills 40', () => {
    const label = '一二三四五六七八九十一二三四五六七八九十';
    // `measure m "…" = 1` is 11 + 40 + 5 = 56 columns: it fits 56, not 55.
    expect(fmt(`measure m "${label}" = 1`, 56)).toBe(`measure m "${label}" = 1\n`);
    expect(fmt(`measure m "${label}" = 1`, 55)).toBe(`measure m "${label}" =\n  1\n`);
  });

  it('a text longer than the width stays whole on its line', () => {
    const reason = 'x'.repeat(120);
    expect(fmt(`reject r when a because "${reason}"`)).toBe(`reject r when a\n  because "${reason}"\n`);
  });
});

describe('comments stay where they were', () => {
  it('before, between and after rules, with blank lines', () => {
    expect(fmt('# head\n\n\n# about x\nlet x = 1\n\n# between\n\nlet y = 2\n# tail')).toBe(
      '# head\n\n# about x\nlet x = 1\n\n# between\n\nlet y = 2\n# tail\n');
  });

  it('at the end of a statement, on its last line, the statement unbroken', () => {
    expect(fmt('let x   = a+b    # why   \nlet y = 1')).toBe('let x = a + b # why\nlet y = 1\n');
    expect(fmt('reject r when a because "x" # why')).toBe('reject r when a\n  because "x" # why\n');
  });

  it('on an annotation line, and on a line of its own between the annotations and the statement', () => {
    expect(fmt('@cite("a")   # art. 9\n# before let\nlet x = 1')).toBe('@cite("a") # art. 9\n# before let\nlet x = 1\n');
  });

  it('inside a statement: after its token (the next one starts a line), or on its own line before the next', () => {
    expect(fmt('let x = a and # first\n  b and c')).toBe('let x =\n  a\n    and # first\n    b\n    and c\n');
    expect(fmt('let x = a\n  # the second\n  and b')).toBe('let x =\n  a\n    # the second\n    and b\n');
    expect(fmt('require q per cycle: # the body\n  m >= 1')).toBe('require q\n  per cycle: # the body\n    m >= 1\n');
  });

  it('only comments', () => {
    expect(fmt('# a\n\n\n# b')).toBe('# a\n\n# b\n');
  });
});

describe('a rules text that does not parse is not formatted', () => {
  it('gives the located diagnostics instead', () => {
    const r = formatRules('let x = (a + b\nlet y = 1', { file: 'rules', map: (o) => o + 100 });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.span.start])).toEqual([['syntax-error', 115]]);
  });
});

describe('policy files: only the rules inside the YAML change', () => {
  const policy = (rules: string, eol = '\n') => [
    '# A policy file with comments everywhere.',
    "title: 'single-quoted'   # a comment after a value",
    'parameters: { min: 1 }',
    '',
    '# the rules follow',
    'rules: |  # the block header keeps its comment',
    ...rules.split('\n'),
    '',
    '',
    '# after the rules, less indented: YAML, not rules',
    'add:',
    '  rules: |-',
    '    let   z=(1)',
    'last: "double"',
    '',
  ].join(eol);

  it('the block is reformatted at its indentation; every other byte is the same', () => {
    const before = policy('  # about x\n  let x=(a*b)+c   # why\n\n\n\n  let y = 1');
    const r = formatPolicyText('p.yaml', before);
    expect(r.ok && r.value).toBe(policy('  # about x\n  let x = a * b + c # why\n\n  let y = 1').replace('    let   z=(1)', '    let z = 1'));
  });

  it('CRLF line ends are kept, in the rules as around them', () => {
    // policy() joins every line, the rules' too, with the line end given.
    const before = policy('  let x=(a*b)+c\n  let y = 1', '\r\n');
    expect(before).toContain('rules: |  # the block header keeps its comment\r\n  let x=(a*b)+c\r\n  let y = 1\r\n\r\n');
    const r = formatPolicyText('p.yaml', before);
    expect(r.ok && r.value).toBe(policy('  let x = a * b + c\n  let y = 1', '\r\n').replace('    let   z=(1)', '    let z = 1'));
  });

  it('an explicit indentation indicator fixes the indentation', () => {
    const before = 'rules: |4\n    let x=1\n';
    const r = formatPolicyText('p.yaml', before);
    expect(r.ok && r.value).toBe('rules: |4\n    let x = 1\n');
  });

  it("a fork's one-line subjects.where is formatted in place, its quoting kept", () => {
    const r = formatPolicyText('f.yaml', 'subjects:\n  where: (county_id)=="530925"   # ours\nrules: |\n  let x = 1\n');
    expect(r.ok && r.value).toBe('subjects:\n  where: county_id == "530925"   # ours\nrules: |\n  let x = 1\n');
    const quoted = formatPolicyText('f.yaml', "subjects:\n  where: 'a==1'\n");
    expect(quoted.ok && quoted.value).toBe("subjects:\n  where: 'a == 1'\n");
  });

  it('a file whose rules do not parse: the located diagnostic, nothing formatted', () => {
    const text = 'title: t\nrules: |\n  let x = (1\n  let y=2\n';
    const r = formatPolicyText('p.yaml', text);
    expect(r.ok).toBe(false);
    // `let` on line 4, column 3, is where the `)` was expected: offset 9 + 9 + 13 + 2.
    expect(r.diagnostics.map((d) => [d.code, d.span.start, d.zh.length > 0])).toEqual([['syntax-error', 33, true]]);
  });

  it('a folded rules block is refused as guize check refuses it', () => {
    const r = formatPolicyText('p.yaml', 'rules: >\n  let x = 1\n');
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['rules-not-literal']);
  });

  it('YAML that does not parse: its diagnostic', () => {
    const r = formatPolicyText('p.yaml', 'rules: |\n  let x = 1\n bad: [\n');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]!.code).toBe('yaml-syntax');
  });
});
