// Rolling windows (issue 12): `require … per N periods: …` checks a requirement over every run of
// N consecutive periods of the cycle, each window as if it were a cycle of its own. Every value
// below is worked out by hand in the comments.

import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRules, LineIndex, loadPolicy, printStatement, type RequireStmt } from '../dsl/index.ts';
import { rulesToAst } from '../dsl/cst-to-ast.ts';
import { DiagnosticBag } from '../dsl/diagnostics.ts';
import { Evaluation, evaluate, reportJson } from '../engine/index.ts';
import { exportJsonLogic } from '../engine/export/jsonlogic.ts';
import { compileText, languagePolicy, PEOPLE_HEAD, RECORD_HEAD, run } from './support/language.ts';
import { expectPathsAgree, readCsv, streamed } from './support/fuzz.ts';
import { guize, tempFolder } from './support/cli.ts';
import { FastPath } from '../engine/fast-path.ts';
import { CompiledSubjectResult } from '../engine/compiled-subject.ts';

/** The language policy's period and cycle, as it writes them. */
const YEARS = 'period: { field: date, by: year, name: year, collection: years }\ncycle: { from: 2020, to: 2022 }';

/** The language policy with its period and cycle replaced by `period` (the YAML lines). */
const withPeriod = (period: string, rules: string, extra = params) => {
  const text = languagePolicy(rules, extra);
  if (!text.includes(YEARS)) throw new Error('the language policy no longer writes its period as this test expects');
  return text.replace(YEARS, period);
};

const params = `parameters:
  min_three: { value: 12, unit: hour, cite: 第一条 }
  min_two: { value: 5, unit: hour, cite: 第一条 }
  min_sources: { value: 3, unit: item, cite: 第一条 }
`;

const FIVE_YEARS = 'period: { field: date, by: year, name: year, collection: years }\ncycle: { from: 2020, to: 2024 }';

const csv = (head: string, rows: readonly string[]) => [head, ...rows].join('\n') + '\n';

describe('per N periods: the syntax', () => {
  const identity = { file: 'r', map: (o: number) => o };
  const text = 'require recent "近三年 / recent" per 3 periods when declared: hours >= n';

  it('parses to a window requirement with its size and where it is written', () => {
    const bag = new DiagnosticBag();
    const program = rulesToAst(text, identity, bag);
    expect(bag.items).toEqual([]);
    const s = program!.statements[0] as RequireStmt;
    expect(s.scope).toBe('window');
    // `3` is at offset 'require recent "近三年 / recent" per '.length = 8 + 7 + 15 + 4 = 34; `periods` after it and a space, 36–43.
    expect(s.window).toEqual({ text: '3', span: { file: 'r', start: 34, end: 35 } });
    expect(s.scopeSpan).toEqual({ file: 'r', start: 36, end: 43 });
    expect(s.when?.kind).toBe('name');
    expect(printStatement(s)).toBe(text);
  });

  it('`per period` and `per cycle` are as they were: no window', () => {
    const bag = new DiagnosticBag();
    const [a, b] = rulesToAst('require a per period: x >= 1\nrequire b per cycle: x >= 1', identity, bag)!.statements as RequireStmt[];
    expect([a!.scope, a!.window, b!.scope, b!.window]).toEqual(['period', undefined, 'cycle', undefined]);
  });

  it('guize fmt prints it and reads it back the same', () => {
    const rules = '@cite("第一条")\nmeasure cpd "继续教育 / CPD" = sum(hours where kind == cpd)\n@cite("第一条")\nrequire recent "近三年 / recent" per   3   periods when declared: cpd >= min_three\n';
    const policy = withPeriod(FIVE_YEARS, rules);
    const loaded = loadPolicy('p.yaml', policy);
    expect(loaded.ok).toBe(true);
    const once = formatRules(rules, identity);
    if (!once.ok) throw new Error('the rules do not format');
    expect(once.value).toContain('require recent "近三年 / recent"\n  per 3 periods when declared: cpd >= min_three\n');
    const twice = formatRules(once.value, identity);
    expect(twice.ok && twice.value).toBe(once.value);
    expect(loadPolicy('p.yaml', withPeriod(FIVE_YEARS, once.value)).ok).toBe(true);
  });
});

describe('per N periods: checks', () => {
  const rules = (require: string) => `@cite("第一条")\nmeasure cpd "继续教育 / CPD" = sum(hours where kind == cpd)\n@cite("第一条")\n${require}\n`;
  /** The errors of a policy whose only requirement is `require`, each as code and line:column. */
  const errors = (require: string, period = FIVE_YEARS) => {
    const text = withPeriod(period, rules(require));
    const lines = new LineIndex(text);
    return loadPolicy('p.yaml', text).diagnostics.filter((d) => d.severity === 'error').map((d) => {
      const at = lines.position(d.span.start);
      return `${d.code} ${at.line}:${at.column} ${text.slice(d.span.start, d.span.end)}`;
    });
  };
  /** The line the requirement is on: the rules start after `rules: |`, indented by two. */
  const line = (text: string) => text.split('\n').findIndex((l) => l.startsWith('  require')) + 1;
  const at = line(withPeriod(FIVE_YEARS, rules('require r "r / r" per 3 periods: cpd >= min_three')));
  // Columns: the rules are indented by 2; `  require r "r / r" per ` is 24 characters, so N is at 25.

  it('takes a whole number from 2 to the cycle\'s periods', () => {
    expect(errors('require r "r / r" per 2 periods: cpd >= min_three')).toEqual([]);
    expect(errors('require r "r / r" per 5 periods: cpd >= min_three')).toEqual([]); // one window: the whole cycle
  });

  it('refuses a size that is not a whole number of at least 2 (bad-window), at the size', () => {
    expect(errors('require r "r / r" per 1 periods: cpd >= min_three')).toEqual([`bad-window ${at}:25 1`]);
    expect(errors('require r "r / r" per 0 periods: cpd >= min_three')).toEqual([`bad-window ${at}:25 0`]);
    expect(errors('require r "r / r" per 2.5 periods: cpd >= min_three')).toEqual([`bad-window ${at}:25 2.5`]);
  });

  it('refuses a window longer than the cycle (2020–2024: 5 years)', () => {
    expect(errors('require r "r / r" per 6 periods: cpd >= min_three')).toEqual([`bad-window ${at}:25 6`]);
    const d = loadPolicy('p.yaml', withPeriod(FIVE_YEARS, rules('require r "r / r" per 6 periods: cpd >= min_three'))).diagnostics[0]!;
    expect(d.message).toBe('a window of 6 periods does not fit in the cycle, which has 5');
    expect(d.zh).toBe('6 期的窗口超出了周期的 5 期');
  });

  it('refuses a window over the resource bound (120 periods) even in a longer cycle', () => {
    // 2020–2039 by month: 20 × 12 = 240 periods; 120 fits, 121 is over the bound.
    const months = 'period: { field: date, by: month, name: month, collection: months }\ncycle: { from: 2020, to: 2039 }';
    expect(errors('require r "r / r" per 120 periods: cpd >= min_three', months)).toEqual([]);
    expect(errors('require r "r / r" per 121 periods: cpd >= min_three', months)).toEqual([`bad-window ${at}:25 121`]);
  });

  it('a repeating cycle: the window lies within each cycle (every: 2)', () => {
    const every = 'period: { field: date, by: year, name: year, collection: years }\ncycle: { from: 2020, to: 2023, every: 2 }';
    expect(errors('require r "r / r" per 2 periods: cpd >= min_three', every)).toEqual([]);
    expect(errors('require r "r / r" per 3 periods: cpd >= min_three', every)).toEqual([`bad-window ${at}:25 3`]);
  });

  it('a cycle per subject of 3 years: 3 fits, 4 does not', () => {
    const own = 'period: { field: date, by: year, name: year, collection: years }\ncycle: { from: registered_on, length: 3 years }';
    expect(errors('require r "r / r" per 3 periods: cpd >= min_three', own)).toEqual([]);
    expect(errors('require r "r / r" per 4 periods: cpd >= min_three', own)).toEqual([`bad-window ${at}:25 4`]);
  });

  it("'per 3 period' and 'per 3 cycles' are unknown scopes, at the word", () => {
    expect(errors('require r "r / r" per 3 period: cpd >= min_three')).toEqual([`unknown-scope ${at}:27 period`]);
    expect(errors('require r "r / r" per 3 cycles: cpd >= min_three')).toEqual([`unknown-scope ${at}:27 cycles`]);
    expect(errors('require r "r / r" per window: cpd >= min_three')).toEqual([`unknown-scope ${at}:25 window`]);
  });

  it("a window's condition and body see no single period: 'period', or a let of it, is refused where written", () => {
    // `  require r "r / r" per 3 periods when ` is 2 + 8 + 2 + 8 + 4 + 2 + 8 + 5 = 39 characters: `period` at 40.
    expect(errors('require r "r / r" per 3 periods when period > 1: cpd >= min_three')).toEqual([`period-outside-period-scope ${at}:40 period`]);
    const d = loadPolicy('p.yaml', withPeriod(FIVE_YEARS, rules('require r "r / r" per 3 periods when period > 1: cpd >= min_three'))).diagnostics[0]!;
    expect(d.message).toBe("'period' has no value in a rule over a window of consecutive periods");
    // A let worked out from the period (its value differs from one period to the next): the same, at the name.
    const late = withPeriod(FIVE_YEARS, `let late = period > 2021\n${rules('require r "r / r" per 3 periods when late: cpd >= min_three')}`);
    const lateErrors = loadPolicy('p.yaml', late).diagnostics.filter((d) => d.severity === 'error');
    expect(lateErrors.map((d) => [d.code, new LineIndex(late).position(d.span.start).column, d.message])).toEqual([
      ['period-outside-period-scope', 40, "'late' depends on the period has no value in a rule over a window of consecutive periods"],
    ]);
    // A subject's value is the same in every period: allowed in the condition.
    expect(errors('require r "r / r" per 3 periods when declared: cpd >= min_three')).toEqual([]);
  });
});

describe('per N periods over calendar years', () => {
  const rules = `
@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)

@cite("第一条")
measure sources: item "来源 / sources" = count(distinct source where kind == cpd)

@cite("第一条")
require recent "任意连续三年不少于{min_three}小时 / at least {min_three} hours in any 3 consecutive years" per 3 periods: cpd >= min_three

@cite("第一条")
require varied "任意连续三年来源 / sources in any 3 years" per 3 periods when declared: sources >= min_sources

@cite("第一条")
require pairs "任意连续两年 / any 2 years" per 2 periods: cpd >= min_two
`;
  const program = compileText(withPeriod(FIVE_YEARS, rules));
  const records = [
    // P1: 2020 5 h (a), 2021 4 h (b), 2022 3 h (a), 2023 2 h (c), 2024 6.9 h (c).
    'R1,P1,2020-01-01,cpd,5,,a',
    'R2,P1,2021-06-30,cpd,4,,b',
    'R3,P1,2022-12-31,cpd,3,,a',
    'R4,P1,2023-03-01,cpd,2,,c',
    'R5,P1,2024-12-31,cpd,6.9,,c',
    'R6,P1,2021-05-01,practice,100,,d', // practice: no CPD hours, no source
  ];
  const people = ['P1,,true,', 'P2,,false,'];

  it('checks every window of three years inside the cycle: 2020–2022, 2021–2023, 2022–2024', () => {
    const p1 = run(program, records, people).people[0];
    // recent: 2020–2022 5 + 4 + 3 = 12 ≥ 12, met exactly at the floor; 2021–2023 4 + 3 + 2 = 9 < 12;
    // 2022–2024 3 + 2 + 6.9 = 11.9 < 12, just below.
    // varied: 2020–2022 {a, b} = 2 < 3; 2021–2023 {b, a, c} = 3, met; 2022–2024 {a, c} = 2 < 3 (c twice counts once).
    // pairs: 2020–21 9, 2021–22 7, 2022–23 5 (met at 5), 2023–24 8.9: all ≥ 5.
    // In report order: window by window (2020–2022, 2021–2023, 2022–2024), each with its requirements in order.
    expect(p1.violations).toEqual([
      {
        rule: 'varied', article: '第一条', year: null, window: '2020/2022', actual: 2, required: 3,
        message: '任意连续三年来源：2020年至2022年实际 2.00项，要求不少于 3.00项 / sources in any 3 years: 2020 to 2022 has 2.00 items, requires at least 3.00 items',
      },
      {
        rule: 'recent', article: '第一条', year: null, window: '2021/2023', actual: 9, required: 12,
        message: '任意连续三年不少于12小时：2021年至2023年实际 9.00小时，要求不少于 12.00小时 / at least 12 hours in any 3 consecutive years: 2021 to 2023 has 9.00 hours, requires at least 12.00 hours',
      },
      {
        rule: 'recent', article: '第一条', year: null, window: '2022/2024', actual: 11.9, required: 12,
        message: '任意连续三年不少于12小时：2022年至2024年实际 11.90小时，要求不少于 12.00小时 / at least 12 hours in any 3 consecutive years: 2022 to 2024 has 11.90 hours, requires at least 12.00 hours',
      },
      expect.objectContaining({ rule: 'varied', window: '2022/2024', actual: 2, required: 3 }),
    ]);
    // The cycle's and each year's measures are as without windows: 5 + 4 + 3 + 2 + 6.9 = 20.9 h, sources {a, b, c}.
    expect([p1.cpd, p1.sources, p1.years['2024'].cpd]).toEqual([20.9, 3, 6.9]);
    expect(p1.compliant).toBe(false);
  });

  it('a subject with no records fails every window; `when` holds per subject (P2 has not declared)', () => {
    const p2 = run(program, records, people).people[1];
    // recent: 3 windows of 0 h; pairs: 4 windows of 0 h; varied: not applicable (declared is false).
    // In report order: the windows of 3 (the first size written) one by one, each with its requirements in order; then those of 2.
    expect(p2.violations.map((v: { rule: string; window: string; actual: number }) => `${v.rule}@${v.window}=${v.actual}`)).toEqual([
      'recent@2020/2022=0', 'recent@2021/2023=0', 'recent@2022/2024=0',
      'pairs@2020/2021=0', 'pairs@2021/2022=0', 'pairs@2022/2023=0', 'pairs@2023/2024=0',
    ]);
  });

  it('the summary counts each failing window', () => {
    const r = run(program, records, people);
    // P1: recent 2, varied 2; P2: recent 3, pairs 4.
    expect(r.summary.violations_by_rule).toEqual({ recent: 5, varied: 2, pairs: 4 });
    expect(r.summary.non_compliant).toBe(2);
  });

  it('is compiled (its records; the scopes are the interpreter\'s), and every path and the streamed report agree', () => {
    expect(new Evaluation(program).compiled).toBe(true);
    const json = expectPathsAgree(program, csv(RECORD_HEAD, records), csv(PEOPLE_HEAD, people));
    const result = evaluate(program, readCsv(csv(RECORD_HEAD, records)), readCsv(csv(PEOPLE_HEAD, people)));
    expect(streamed(result, false)).toBe(json);
    expect(streamed(result, true)).toBe(JSON.stringify(reportJson(result), null, 2));
  });

  it('the generator takes it; a subject failing a window is the interpreter\'s (it names the window), as are the same rules per cycle not', () => {
    const plain = (scope: string) => compileText(withPeriod(FIVE_YEARS, `@cite("第一条")\nmeasure cpd "继续教育 / CPD" = sum(hours where kind == cpd)\n@cite("第一条")\nrequire r "r / r" ${scope}: cpd >= min_three\n`));
    const windowed = plain('per 3 periods');
    expect(FastPath.source(windowed, [0])).toContain('function WS0(');
    // P1, without records, fails every window: interpreted.
    expect(new Evaluation(windowed).compiled).toBe(true);
    const e = new Evaluation(windowed);
    for (const x of readCsv(csv(PEOPLE_HEAD, ['P1,,,']))) e.addSubject(x);
    expect([...e.results().subjects()][0]).not.toBeInstanceOf(CompiledSubjectResult);
    const whole = new Evaluation(plain('per cycle'));
    expect(whole.compiled).toBe(true);
    for (const x of readCsv(csv(PEOPLE_HEAD, ['P1,,,']))) whole.addSubject(x);
    expect([...whole.results().subjects()][0]).toBeInstanceOf(CompiledSubjectResult);
  });

  it('a sum over the periods adds up the window\'s periods only', () => {
    const capped = compileText(withPeriod(FIVE_YEARS, `
@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)
@cite("第一条")
measure capped "每年至多5小时 / at most 5 a year" = sum(min(cpd, min_two))
@cite("第一条")
require recent "近三年 / recent" per 3 periods: capped >= min_three
`));
    // Each year capped at 5: 5, 4, 3, 2, 5 (6.9 capped). Windows: 12 (met), 9, 10.
    expect(run(capped, records, ['P1,,,']).people[0].violations.map((v: { window: string; actual: number }) => [v.window, v.actual])).toEqual([
      ['2021/2023', 9], ['2022/2024', 10],
    ]);
  });
});

describe('per N periods and records outside the periods', () => {
  it('a record in scope outside every period counts for the cycle and in no window', () => {
    const program = compileText(languagePolicy(`
@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)
@cite("第一条")
require all "三年 / three years" per 3 periods: cpd >= min_three
`, params));
    // The cycle is 2020–2022 and nothing excludes 2019: its 5 h count for the cycle (5 + 5 = 10), not for 2020–2022 (5).
    const p1 = run(program, ['R1,P1,2019-06-01,cpd,5,,', 'R2,P1,2020-06-01,cpd,5,,'], ['P1,,,']).people[0];
    expect(p1.cpd).toBe(10);
    expect(p1.violations.map((v: { window: string; actual: number }) => [v.window, v.actual])).toEqual([['2020/2022', 5]]);
  });
});

describe('per N periods over a grouped measure', () => {
  it('a group of the window is its periods\' groups added up, key by key', () => {
    const program = compileText(withPeriod(FIVE_YEARS, `
@cite("第一条")
measure by_kind "按类 / by kind" = sum(hours by kind)
@cite("第一条")
require practice_pairs "任意连续两年实践 / practice in any 2 years" per 2 periods: by_kind[practice] >= min_two
`));
    // practice: 2020 2 h, 2021 3 h, 2023 4 h; cpd 2022 9 h (another key: not added in).
    // Windows: 2020–21 5 (met), 2021–22 3, 2022–23 4, 2023–24 4.
    const records = ['R1,P1,2020-02-01,practice,2,,', 'R2,P1,2021-02-01,practice,3,,', 'R3,P1,2022-02-01,cpd,9,,', 'R4,P1,2023-02-01,practice,4,,'];
    const p1 = run(program, records, ['P1,,,']).people[0];
    expect(p1.violations.map((v: { window: string; actual: number }) => [v.window, v.actual])).toEqual([['2021/2022', 3], ['2022/2023', 4], ['2023/2024', 4]]);
    expectPathsAgree(program, csv(RECORD_HEAD, records), csv(PEOPLE_HEAD, ['P1,,,']));
  });
});

describe('per N periods over calendar quarters', () => {
  const rules = `
@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)

@cite("第一条")
require halves "任意连续两季度 / any 2 quarters" per 2 periods: cpd >= min_two
`;
  const program = compileText(withPeriod('period: { field: date, by: quarter, name: quarter, collection: quarters }\ncycle: { from: 2020, to: 2020 }', rules));

  it('names each window by its first and last quarter', () => {
    // Q1 3 h, Q2 1 h, Q3 4 h, Q4 0 h. Windows: Q1–Q2 4 < 5, Q2–Q3 5 (met at the floor), Q3–Q4 4 < 5.
    const records = ['R1,P1,2020-03-31,cpd,3,,', 'R2,P1,2020-04-01,cpd,1,,', 'R3,P1,2020-09-30,cpd,4,,'];
    const r = run(program, records, ['P1,,,']);
    expect(r.people[0].violations).toEqual([
      {
        rule: 'halves', article: '第一条', quarter: null, window: '2020-Q1/2020-Q2', actual: 4, required: 5,
        message: '任意连续两季度：2020年第1季度至2020年第2季度实际 4.00小时，要求不少于 5.00小时 / any 2 quarters: 2020-Q1 to 2020-Q2 has 4.00 hours, requires at least 5.00 hours',
      },
      expect.objectContaining({ window: '2020-Q3/2020-Q4', actual: 4 }),
    ]);
    expectPathsAgree(program, csv(RECORD_HEAD, records), csv(PEOPLE_HEAD, ['P1,,,']));
  });
});

describe('per N periods over half-years and months', () => {
  const rules = `
@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)

@cite("第一条")
require steady "连续三期 / three periods" per 3 periods: cpd >= min_two

@cite("第一条")
require active "连续三期均有记录 / active over three periods" per 3 periods: cpd > 0 and cpd >= min_two
`;

  it('months: windows named 2020-01/2020-03 …, in Chinese by the calendar', () => {
    const program = compileText(withPeriod('period: { field: date, by: month, name: month, collection: months }\ncycle: { from: 2020, to: 2020 }', rules));
    // January 2 h, February 3 h, April 5 h, every other month 0. Windows of three months: Jan–Mar 5 (met at the floor),
    // Feb–Apr 8, Mar–May 5, then Apr–Jun 5, and from May–Jul to Oct–Dec 0: six windows below 5.
    const records = ['R1,P1,2020-01-31,cpd,2,,', 'R2,P1,2020-02-01,cpd,3,,', 'R3,P1,2020-04-15,cpd,5,,'];
    const v = run(program, records, ['P1,,,']).people[0].violations;
    expect(v.filter((x: { rule: string }) => x.rule === 'steady').map((x: { window: string; actual: number }) => [x.window, x.actual])).toEqual([
      ['2020-05/2020-07', 0], ['2020-06/2020-08', 0], ['2020-07/2020-09', 0], ['2020-08/2020-10', 0], ['2020-09/2020-11', 0], ['2020-10/2020-12', 0],
    ]);
    expect(v[0].message).toBe('连续三期：2020年5月至2020年7月实际 0.00小时，要求不少于 5.00小时 / three periods: 2020-05 to 2020-07 has 0.00 hours, requires at least 5.00 hours');
    // A yes/no requirement over a window names the parts that did not hold: for May–July, both (0 h).
    expect(v.find((x: { rule: string }) => x.rule === 'active')).toEqual({
      rule: 'active', article: '第一条', month: null, window: '2020-05/2020-07', actual: false, required: true, unmet: ['cpd > 0', 'cpd >= min_two'],
      message: '连续三期均有记录：2020年5月至2020年7月未满足：cpd > 0；cpd >= min_two / active over three periods: 2020-05 to 2020-07 not met: cpd > 0; cpd >= min_two',
    });
  });

  it('half-years: 2020-H2/2021-H2 is the second of two windows of three in 2020–2021', () => {
    const program = compileText(withPeriod('period: { field: date, by: half-year, name: half, collection: halves }\ncycle: { from: 2020, to: 2021 }', rules));
    // 2020-H1 4 h, 2021-H2 0.9 h: H1 2020–H1 2021 4 < 5; H2 2020–H2 2021 0.9 < 5.
    const records = ['R1,P1,2020-06-30,cpd,4,,', 'R2,P1,2021-07-01,cpd,0.9,,'];
    const v = run(program, records, ['P1,,,']).people[0].violations.filter((x: { rule: string }) => x.rule === 'steady');
    expect(v.map((x: { window: string; actual: number }) => [x.window, x.actual])).toEqual([['2020-H1/2021-H1', 4], ['2020-H2/2021-H2', 0.9]]);
    expect(v[1].message).toBe('连续三期：2020年下半年至2021年下半年实际 0.90小时，要求不少于 5.00小时 / three periods: 2020-H2 to 2021-H2 has 0.90 hours, requires at least 5.00 hours');
  });
});

describe('per N periods in a cycle per subject', () => {
  const rules = `
@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)

@cite("第一条")
require pairs "任意连续两年 / any 2 years" per 2 periods: cpd >= min_two
`;
  const program = compileText(withPeriod('period: { field: date, by: year, name: year, collection: years }\ncycle: { from: registered_on, length: 3 years }', rules));

  it("names each window by its own first and last day; a subject with no date to count from cannot be checked", () => {
    // P1 registered 2021-07-01: years 2021-07-01/2022-06-30 (2 h), 2022-07-01/2023-06-30 (2 h), 2023-07-01/2024-06-30 (4 h).
    // Windows: years 1–2 4 < 5; years 2–3 6, met.
    const records = ['R1,P1,2021-07-01,cpd,2,,', 'R2,P1,2023-06-30,cpd,2,,', 'R3,P1,2024-06-30,cpd,4,,'];
    const r = run(program, records, ['P1,2021-07-01,,', 'P2,,,']);
    const [p1, p2] = r.people;
    expect(p1.violations).toEqual([{
      rule: 'pairs', article: '第一条', year: null, window: '2021-07-01/2023-06-30', actual: 4, required: 5,
      message: '任意连续两年：2021-07-01至2023-06-30实际 4.00小时，要求不少于 5.00小时 / any 2 years: 2021-07-01 to 2023-06-30 has 4.00 hours, requires at least 5.00 hours',
    }]);
    // P2 has no registered_on: no periods, so no windows — yet not compliant: the requirement cannot be checked.
    expect(p2.compliant).toBe(false);
    expect(p2.violations).toEqual([{
      rule: 'pairs', article: '第一条', year: null, actual: null, required: null,
      message: '任意连续两年：本周期无法判断，缺少 registered_on / any 2 years: cycle cannot be checked, registered_on is missing',
    }]);
    expectPathsAgree(program, csv(RECORD_HEAD, records), csv(PEOPLE_HEAD, ['P1,2021-07-01,,', 'P2,,,']));
  });
});

describe('per N periods in a repeating cycle', () => {
  const rules = `
@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)

@cite("第一条")
require pairs "任意连续两年 / any 2 years" per 2 periods: cpd >= min_two
`;
  const program = compileText(withPeriod('period: { field: date, by: year, name: year, collection: years }\ncycle: { from: 2020, to: 2023, every: 2 }', rules));

  it('has windows within each cycle only: 2020/2021 and 2022/2023, never 2021/2022 across two cycles', () => {
    // 2020 1 h, 2021 1 h, 2022 4 h, 2023 1 h: 2020–2021 2 < 5, 2022–2023 5, met (2021–2022 would be 5 too, but is no window).
    const records = ['R1,P1,2020-05-01,cpd,1,,', 'R2,P1,2021-05-01,cpd,1,,', 'R3,P1,2022-05-01,cpd,4,,', 'R4,P1,2023-05-01,cpd,1,,'];
    const r = run(program, records, ['P1,,,']);
    expect(r.people.map((p: { cycle: string; violations: { window: string; actual: number }[] }) => [p.cycle, p.violations.map((v) => [v.window, v.actual])])).toEqual([
      ['2020-2021', [['2020/2021', 2]]], ['2022-2023', []],
    ]);
    expectPathsAgree(program, csv(RECORD_HEAD, records), csv(PEOPLE_HEAD, ['P1,,,']));
  });
});

describe('per N periods in a repeating cycle per subject', () => {
  const rules = `
@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)

@cite("第一条")
require pairs "任意连续两年 / any 2 years" per 2 periods: cpd >= min_two
`;
  // Each subject's four years from registered_on, in two cycles of two years: one window of two years in each.
  const program = compileText(withPeriod('period: { field: date, by: year, name: year, collection: years }\ncycle: { from: registered_on, length: 4 years, every: 2 }', rules));

  it("has one window in each of the subject's cycles, named by its own first and last day", () => {
    // P1 registered 2020-03-01: cycle 1 2020-03-01 – 2022-02-28 (3 h + 1 h = 4 < 5), cycle 2 2022-03-01 – 2024-02-29 (5 h, met).
    const records = ['R1,P1,2020-03-01,cpd,3,,', 'R2,P1,2022-02-28,cpd,1,,', 'R3,P1,2024-02-29,cpd,5,,'];
    const r = run(program, records, ['P1,2020-03-01,,']);
    expect(r.people.map((p: { cycle: string; violations: { window: string; actual: number }[] }) => [p.cycle, p.violations.map((v) => [v.window, v.actual])])).toEqual([
      ['2020-03-01/2022-02-28', [['2020-03-01/2022-02-28', 4]]], ['2022-03-01/2024-02-29', []],
    ]);
    expectPathsAgree(program, csv(RECORD_HEAD, records), csv(PEOPLE_HEAD, ['P1,2020-03-01,,']));
  });
});

describe('per N periods elsewhere', () => {
  const rules = `
@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)

@cite("第一条")
require recent "近三年 / recent" per 3 periods: cpd >= min_three
`;
  const text = withPeriod(FIVE_YEARS, rules);
  const folder = tempFolder('guize-windows-');

  it('the JSON Logic export refuses it, at the size', () => {
    const program = compileText(text);
    const out = exportJsonLogic(program.checked, program.aggregateNodes);
    expect(out.ok).toBe(false);
    const lines = new LineIndex(text);
    expect(out.diagnostics.map((d) => [d.code, lines.position(d.span.start), text.slice(d.span.start, d.span.end)])).toEqual([
      // `  require recent "近三年 / recent" per ` is 2 + 8 + 7 + 15 + 4 = 36 characters: the 3 at column 37.
      ['export-unsupported', { line: text.split('\n').findIndex((l) => l.startsWith('  require recent')) + 1, column: 37 }, '3'],
    ]);
  });

  it('guize explain gives each window a scope of its own: its measures, its checks, its shortfalls', async () => {
    const policy = folder.write('p.yaml', text);
    const records = folder.write('r.csv', csv(RECORD_HEAD, ['R1,P1,2020-01-01,cpd,5,,', 'R2,P1,2024-01-01,cpd,12,,']));
    const r = await guize('explain', '--policy', policy, '--records', records, '--subject', 'P1', '--format', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    // 2020 5 h, 2024 12 h: windows 2020–2022 5 (7 short of 12), 2021–2023 0 (12 short), 2022–2024 12 (met at the floor);
    // the windows after the years and before the cycle (17 h), as their violations come.
    expect(doc.scopes.map((s: { period: number | null; window?: string; measures: { cpd: number }; checks: { rule: string; status: string }[] }) =>
      [s.period, s.window ?? null, s.measures.cpd, s.checks.map((c) => `${c.rule} ${c.status}`)])).toEqual([
      [2020, null, 5, []], [2021, null, 0, []], [2022, null, 0, []], [2023, null, 0, []], [2024, null, 12, []],
      [null, '2020/2022', 5, ['recent violated']], [null, '2021/2023', 0, ['recent violated']], [null, '2022/2024', 12, ['recent met']],
      [null, null, 17, []],
    ]);
    expect(doc.shortfalls.map((c: { window: string; shortfall: number; message: { zh: string; en: string } }) => [c.window, c.shortfall, c.message])).toEqual([
      ['2020/2022', 7, { zh: '2020年至2022年 近三年还差 7.00 小时', en: '2020 to 2022: recent needs 7.00 more hours' }],
      ['2021/2023', 12, { zh: '2021年至2023年 近三年还差 12.00 小时', en: '2021 to 2023: recent needs 12.00 more hours' }],
    ]);
    expect(doc.compliant).toBe(false);
    // As text: the window's heading by its years.
    const t = await guize('explain', '--policy', policy, '--records', records, '--subject', 'P1', '--lang', 'en');
    expect(t.out).toContain('  2022 to 2024 (version 1)\n    measures: CPD 12\n    ✓ 2022 to 2024: recent: 12.00 hours, requires at least 12.00 hours — met  [第一条]\n');
  });

  it('guize explain of a repeating cycle gives each cycle its windows, after its periods', async () => {
    const every = withPeriod('period: { field: date, by: year, name: year, collection: years }\ncycle: { from: 2020, to: 2023, every: 2 }', rules.replace('per 3 periods', 'per 2 periods'));
    const policy = folder.write('every.yaml', every);
    const records = folder.write('every.csv', csv(RECORD_HEAD, ['R1,P1,2020-01-01,cpd,5,,']));
    const r = await guize('explain', '--policy', policy, '--records', records, '--subject', 'P1', '--format', 'json');
    expect(r.code).toBe(0);
    const docs = JSON.parse(r.out);
    // Cycle 2020–2021: one window, 5 h (7 short of 12); cycle 2022–2023: one window, 0 h (12 short).
    expect(docs.explanations.map((d: { cycle: string; scopes: { period: number | null; window?: string; measures: { cpd: number }; checks: { rule: string; status: string }[] }[] }) =>
      [d.cycle, d.scopes.map((s) => [s.period, s.window ?? null, s.measures.cpd, s.checks.map((c) => `${c.rule} ${c.status}`)])])).toEqual([
      ['2020-2021', [[2020, null, 5, []], [2021, null, 0, []], [null, '2020/2021', 5, ['recent violated']], [null, null, 5, []]]],
      ['2022-2023', [[2022, null, 0, []], [2023, null, 0, []], [null, '2022/2023', 0, ['recent violated']], [null, null, 0, []]]],
    ]);
    expect(docs.explanations[0].shortfalls.map((c: { window: string; shortfall: number }) => [c.window, c.shortfall])).toEqual([['2020/2021', 7]]);
    // As text, the window by its years, the cycle by its name.
    const t = await guize('explain', '--policy', policy, '--records', records, '--subject', 'P1', '--lang', 'en');
    expect(t.out).toContain('  2020 to 2021 (version 1)\n    measures: CPD 5\n    ✗ 2020 to 2021: recent needs 7.00 more hours  [第一条]\n  cycle 2020-2021 (version 1)\n');
  });

  it('guize test names a window violation by its window: `recent@2020/2022`, or `window:`', async () => {
    const dir = path.join(folder.path(), 'policy');
    fs.mkdirSync(path.join(dir, 'tests'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'policy.yaml'), text);
    // 2020 5 h, 2024 12 h: 2020–2022 5 < 12, 2021–2023 0 < 12, 2022–2024 12, met.
    const testFile = (violations: string) => `cases:
  - name: windows of three years
    records:
      - { record_id: R1, person_id: P1, date: 2020-01-01, kind: cpd, hours: 5 }
      - { record_id: R2, person_id: P1, date: 2024-01-01, kind: cpd, hours: 12 }
    expect:
      subjects:
        P1:
          violations: ${violations}
`;
    fs.writeFileSync(path.join(dir, 'tests', 'w.yaml'), testFile('[ recent@2020/2022, { rule: recent, year: null, window: 2021/2023, actual: 0, required: 12 } ]'));
    const good = await guize('test', dir);
    expect([good.code, good.out]).toEqual([0, expect.stringContaining('1 通过 passed, 0 失败 failed')]);
    fs.writeFileSync(path.join(dir, 'tests', 'w.yaml'), testFile('[ recent@2020/2022, recent@2022/2024 ]'));
    const bad = await guize('test', dir);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('缺少违规 missing violation recent@2022/2024');
    expect(bad.out).toContain('多出的违规 unexpected violation recent@2021/2023');
  });

  it('--threads: parts add up to the one-thread report, distinct values over a window included', async () => {
    const policy = folder.write('distinct.yaml', withPeriod('period: { field: date, by: quarter, name: quarter, collection: quarters }\ncycle: { from: 2020, to: 2021 }', `
@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)
@cite("第一条")
measure sources: item "来源 / sources" = count(distinct source where kind == cpd)
@cite("第一条")
require pairs "任意连续两季度 / any 2 quarters" per 2 periods: cpd >= min_two
@cite("第一条")
require varied "任意连续四季度来源 / sources in any 4 quarters" per 4 periods: sources >= min_sources
`));
    // 4 000 rows of 50 people over 2020–2021; sources S0–S6 change along the file, so a later part meets ones an earlier did
    // not, and the same source in two quarters (and two parts) counts once.
    const rows: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const month = 1 + ((i * 7) % 24);
      rows.push(`R${String(i).padStart(5, '0')},P${i % 50},${2020 + Math.floor((month - 1) / 12)}-${String(((month - 1) % 12) + 1).padStart(2, '0')}-15,cpd,${(i % 7) / 10},,S${Math.floor(i / 800) + (i % 3)}`);
    }
    const records = folder.write('distinct.csv', csv(RECORD_HEAD, rows));
    const previous = process.env.GUIZE_DEBUG;
    process.env.GUIZE_DEBUG = '1';
    try {
      const one = await guize('eval', '--policy', policy, '--records', records, '--threads', '1');
      for (const threads of ['2', '3']) {
        const many = await guize('eval', '--policy', policy, '--records', records, '--threads', threads);
        expect(many.err).toContain(`guize: read in ${threads} parts`);
        expect(many.out).toBe(one.out);
      }
    } finally {
      if (previous === undefined) delete process.env.GUIZE_DEBUG;
      else process.env.GUIZE_DEBUG = previous;
    }
  });

  it('guize eval --format xlsx gives the window in the period column of the violations sheet', async () => {
    const policy = folder.write('p3.yaml', text);
    const records = folder.write('r3.csv', csv(RECORD_HEAD, ['R1,P1,2020-01-01,cpd,5,,', 'R2,P1,2024-01-01,cpd,12,,']));
    const out = path.join(folder.path(), 'w.xlsx');
    expect((await guize('eval', '--policy', policy, '--records', records, '--format', 'xlsx', '--out', out)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const rows: unknown[][] = [];
    wb.getWorksheet('未达标明细')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    // 2020–2022 5 < 12, 2021–2023 0 < 12 (2022–2024 12, met); no loop key: an empty cell.
    expect(rows.slice(1).map((r) => r.slice(0, 6))).toEqual([['P1', 'recent', undefined, '2020/2022', 5, 12], ['P1', 'recent', undefined, '2021/2023', 0, 12]]);
    expect(rows[1]![7]).toBe('近三年：2020年至2022年实际 5.00小时，要求不少于 12.00小时');
  });

  it('guize diff tallies each window on its own and names it', async () => {
    const base = folder.write('base.yaml', text);
    const head = folder.write('head.yaml', text.replace('min_three: { value: 12,', 'min_three: { value: 5,'));
    const records = folder.write('r4.csv', csv(RECORD_HEAD, ['R1,P1,2020-01-01,cpd,5,,', 'R2,P1,2024-01-01,cpd,12,,']));
    const r = await guize('diff', '--format', 'json', '--base', base, '--head', head, '--records', records);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    // At least 12: 2020–2022 5 and 2021–2023 0 fail; at least 5: 2020–2022 5 and 2022–2024 12 pass, 2021–2023 0 still fails.
    expect(doc.by_rule).toEqual([
      { rule: 'recent', article: '第一条', year: null, window: '2020/2022', key: null, base_failures: 1, head_failures: 0, newly_failing: 0, newly_passing: 1 },
      { rule: 'recent', article: '第一条', year: null, window: '2021/2023', key: null, base_failures: 1, head_failures: 1, newly_failing: 0, newly_passing: 0 },
    ]);
    const p1 = doc.changed[0];
    expect(p1.base.violations.map((v: { window: string; actual: number }) => [v.window, v.actual])).toEqual([['2020/2022', 5], ['2021/2023', 0]]);
    expect(p1.head.violations.map((v: { window: string; actual: number }) => [v.window, v.actual])).toEqual([['2021/2023', 0]]);
  });

  it('guize eval writes the window in CSV as it writes a period', async () => {
    const policy = folder.write('p2.yaml', text);
    const records = folder.write('r2.csv', csv(RECORD_HEAD, ['R1,P1,2020-01-01,cpd,5,,', 'R2,P1,2024-01-01,cpd,12,,']));
    const r = await guize('eval', '--policy', policy, '--records', records, '--format', 'csv');
    expect(r.code).toBe(0);
    // 2020–2022 5 < 12, 2021–2023 0 < 12, 2022–2024 12 (met).
    expect(r.out).toContain('recent 2020/2022: 5 < 12; recent 2021/2023: 0 < 12');
  });
});
