// Periods the language adds (issue 12, part 4): calendar half-years, quarters and months, named
// as the calendar names them, and cycles per subject — each subject's own window counted from a
// date field of theirs, its periods named by their own first and last day. Every value below is
// worked out by hand in the comments.

import { describe, expect, it } from 'vitest';
import { loadPolicySet, memoryFiles } from '../dsl/index.ts';
import { compilePolicy, Evaluation, evaluate, reportJson } from '../engine/index.ts';
import { codesOf, compileText, languagePolicy, PEOPLE_HEAD, RECORD_HEAD, run } from './support/language.ts';
import { expectPathsAgree, readCsv, streamed } from './support/fuzz.ts';

/** The language policy's period and cycle, as it writes them. */
const YEARS = 'period: { field: date, by: year, name: year, collection: years }\ncycle: { from: 2020, to: 2022 }';

/** The language policy with its period and cycle replaced by `period` (the YAML lines). */
const withPeriod = (period: string, rules: string, extra = '') => {
  const text = languagePolicy(rules, extra);
  if (!text.includes(YEARS)) throw new Error('the language policy no longer writes its period as this test expects');
  return text.replace(YEARS, period);
};

const params = `parameters:
  min_each: { value: 2, unit: hour, cite: 第一条 }
  min_total: { value: 10, unit: hour, cite: 第一条 }
`;

const csv = (head: string, rows: readonly string[]) => [head, ...rows].join('\n') + '\n';

describe('calendar quarters', () => {
  const rules = `
@cite("第一条")
exclude outside when not (period between cycle_from and cycle_to) because "周期外 / outside the cycle"

@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)

@cite("第一条")
measure late "下半年 / second half" = sum(hours where kind == cpd and period >= 3)

@cite("第一条")
require quarterly "每季度 / quarterly" per period when period >= 2: cpd >= min_each
`;
  const program = compileText(withPeriod('period: { field: date, by: quarter, name: quarter, collection: quarters }\ncycle: { from: 2020, to: 2020 }', rules, params));
  const records = [
    'R1,P1,2019-12-31,cpd,9,,', // period ((2019 − 2020) × 12 + 11) ÷ 3 → −1, + 1 = 0: before the cycle
    'R2,P1,2020-01-01,cpd,5,,', // Q1, period 1
    'R3,P1,2020-03-31,cpd,1,,', // Q1
    'R4,P1,2020-04-01,cpd,1,,', // Q2, period 2
    'R5,P1,2020-09-30,cpd,3,,', // Q3
    'R6,P1,2020-12-31,cpd,2,,', // Q4
    'R7,P1,2021-01-01,cpd,4,,', // period 12 ÷ 3 + 1 = 5: after the cycle
  ];

  it('a record falls in its calendar quarter; periods are named 2020-Q1 … and `period` is the place, 1 … 4', () => {
    const r = run(program, records, ['P1,,,']);
    const p1 = r.people[0];
    // Q1 5 + 1 = 6, Q2 1, Q3 3, Q4 2; the cycle 12 (R1 and R7 excluded as outside 1 … 4).
    expect(p1.quarters).toEqual({
      '2020-Q1': { cpd: 6, late: 0 }, '2020-Q2': { cpd: 1, late: 0 }, '2020-Q3': { cpd: 3, late: 3 }, '2020-Q4': { cpd: 2, late: 2 },
    });
    expect(p1.cpd).toBe(12);
    expect(p1.late).toBe(5); // Q3 3 + Q4 2
    expect(r.summary.out_of_scope_by_rule).toEqual({ outside: 2 });
    // From Q2 on, at least 2 hours: Q2 has 1.
    expect(p1.violations).toEqual([{
      rule: 'quarterly', article: '第一条', quarter: '2020-Q2', actual: 1, required: 2,
      message: '每季度：2020年第2季度实际 1.00小时，要求不少于 2.00小时 / quarterly: 2020-Q2 has 1.00 hours, requires at least 2.00 hours',
    }]);
  });

  it('the generated code takes the program: both paths, and the streamed report, give the same document', () => {
    expect(new Evaluation(program).compiled).toBe(true);
    expect(new Evaluation(compileText(languagePolicy(rules, params))).compiled).toBe(true); // calendar years: compiled, as before
    const json = expectPathsAgree(program, csv(RECORD_HEAD, records), csv(PEOPLE_HEAD, ['P1,,,']));
    const result = evaluate(program, readCsv(csv(RECORD_HEAD, records)), readCsv(csv(PEOPLE_HEAD, ['P1,,,'])));
    expect(streamed(result, false)).toBe(json);
    expect(streamed(result, true)).toBe(JSON.stringify(reportJson(result), null, 2));
  });
});

describe('calendar half-years and months', () => {
  const rules = `
@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)

@cite("第一条")
require each "每期 / each period" per period: cpd >= min_each
`;
  it('half-years: 2020-H1 ends on 30 June, 2020-H2 starts on 1 July', () => {
    const program = compileText(withPeriod('period: { field: date, by: half-year, name: half, collection: halves }\ncycle: { from: 2020, to: 2021 }', rules, params));
    const r = run(program, ['R1,P1,2020-06-30,cpd,2,,', 'R2,P1,2020-07-01,cpd,3,,', 'R3,P1,2021-12-31,cpd,4,,'], ['P1,,,']);
    const p1 = r.people[0];
    expect(p1.halves).toEqual({ '2020-H1': { cpd: 2 }, '2020-H2': { cpd: 3 }, '2021-H1': { cpd: 0 }, '2021-H2': { cpd: 4 } });
    expect(p1.violations.map((v: { half: string; message: string }) => [v.half, v.message])).toEqual([
      ['2021-H1', '每期：2021年上半年实际 0.00小时，要求不少于 2.00小时 / each period: 2021-H1 has 0.00 hours, requires at least 2.00 hours'],
    ]);
  });

  it('months: twelve a year, named 2020-01 … 2020-12', () => {
    const program = compileText(withPeriod('period: { field: date, by: month, name: month, collection: months }\ncycle: { from: 2020, to: 2020 }', rules, params));
    const days = ['01-15', '02-29', '03-01', '04-30', '05-01', '06-30', '07-31', '08-01', '09-30', '10-01', '11-30', '12-31'];
    // Every month 2 hours, but July only 1.
    const rows = days.map((d, k) => `R${k},P1,2020-${d},cpd,${d.startsWith('07') ? 1 : 2},,`);
    const p1 = run(program, rows, ['P1,,,']).people[0];
    expect(Object.keys(p1.months)).toEqual(days.map((d) => `2020-${d.slice(0, 2)}`));
    expect(p1.months['2020-02']).toEqual({ cpd: 2 });
    expect(p1.cpd).toBe(23); // 11 × 2 + 1
    expect(p1.violations.map((v: { month: string; message: string }) => [v.month, v.message])).toEqual([
      ['2020-07', '每期：2020年7月实际 1.00小时，要求不少于 2.00小时 / each period: 2020-07 has 1.00 hours, requires at least 2.00 hours'],
    ]);
  });
});

describe('a cycle per subject', () => {
  const rules = `
@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)

@cite("第一条")
measure first_year "第一年 / first year" = sum(hours where kind == cpd and period == 1)

@cite("第一条")
require yearly "每年 / yearly" per period: cpd >= min_each

@cite("第一条")
require total "三年合计 / three years" per cycle: cpd >= min_total
`;
  const program = compileText(withPeriod('period: { field: date, by: year, name: year, collection: years }\ncycle: { from: registered_on, length: 3 years, cite: 第二条 }', rules, params));
  const records = [
    // P1, registered 2020-02-29: years from 2020-02-29, 2021-02-28 (no 29th), 2022-02-28; the cycle ends 2023-02-27.
    'A1,P1,2020-02-28,cpd,7,,', // the day before: out of scope
    'A2,P1,2020-02-29,cpd,4,,', // year 1
    'A3,P1,2021-02-27,cpd,1,,', // year 1's last day
    'A4,P1,2021-02-28,cpd,3,,', // year 2
    'A5,P1,2023-02-27,cpd,2,,', // year 3's last day
    'A6,P1,2023-02-28,cpd,5,,', // the day after: out of scope
    'B1,P2,2021-01-01,cpd,3,,', // P2 has no registration date: rejected
    'C1,P3,2021-01-01,cpd,3,,', // P3 is not in the people file: rejected
    'D1,P4,2021-01-01,cpd,3,,', // P4's row has a date that is no date: rejected with it
    'E1,P5,2021-07-01,cpd,1,,', // P5, registered 2021-07-01: year 1
  ];
  const people = ['P1,2020-02-29,,', 'P2,,,', 'P4,2021-13-01,,', 'P5,2021-07-01,,'];

  it("each subject's periods are their own, named by their first and last day; records outside are out of scope", () => {
    const r = run(program, records, people);
    const [p1, p2, p5] = r.people;
    expect(p1.person_id).toBe('P1');
    // Year 1: 4 + 1 = 5; year 2: 3; year 3: 2; the cycle 10, which meets 10; each year ≥ 2.
    expect(p1.years).toEqual({
      '2020-02-29/2021-02-27': { cpd: 5, first_year: 5 },
      '2021-02-28/2022-02-27': { cpd: 3, first_year: 0 },
      '2022-02-28/2023-02-27': { cpd: 2, first_year: 0 },
    });
    expect(p1.cpd).toBe(10);
    expect(p1.first_year).toBe(5); // `period` is the place in the subject's cycle: 1 for the first year
    expect(p1.compliant).toBe(true);
    expect(p1.violations).toEqual([]);
    // P5: 1 hour in year 1, none after: three yearly violations and the cycle's.
    expect(p5.person_id).toBe('P5');
    expect(p5.violations.map((v: { rule: string; year: string | null; actual: number }) => [v.rule, v.year, v.actual])).toEqual([
      ['yearly', '2021-07-01/2022-06-30', 1], ['yearly', '2022-07-01/2023-06-30', 0], ['yearly', '2023-07-01/2024-06-30', 0], ['total', null, 1],
    ]);
    expect(p5.violations[0].message).toBe(
      '每年：2021-07-01至2022-06-30实际 1.00小时，要求不少于 2.00小时 / yearly: 2021-07-01 to 2022-06-30 has 1.00 hours, requires at least 2.00 hours');
    // P2: no date to count a cycle from — a problem of P2's, never an exception: no periods, no measures, the cycle cannot be checked.
    expect(p2.person_id).toBe('P2');
    expect(p2.years).toEqual({});
    expect(p2.cpd).toBeNull();
    expect(p2.compliant).toBe(false);
    expect(p2.violations).toEqual([{
      rule: 'total', article: '第一条', year: null, actual: null, required: null,
      message: '三年合计：本周期无法判断，缺少 registered_on / three years: cycle cannot be checked, registered_on is missing',
    }]);
    expect(p2.problems.map((x: { measure: string; problem: string }) => [x.measure, x.problem])).toEqual([['cpd', 'registered_on'], ['first_year', 'registered_on']]);
  });

  it('every row is accounted for: counted, out of scope under `cycle`, or rejected saying why', () => {
    const r = run(program, records, people);
    // 10 rows: A2–A5 and E1 counted (5); A1, A6 out of scope (2); B1, C1, D1 rejected (3).
    expect(r.summary).toMatchObject({ rows_read: 10, evaluated: 5, out_of_scope: 2, rejected: 3, out_of_scope_by_rule: { cycle: 2 } });
    expect(r.summary.rows_read).toBe(r.summary.evaluated + r.summary.out_of_scope + r.summary.rejected);
    // First the people file's row of P4 (its date is no date), then the records.
    expect(r.rejected.map((x: { file: string; record_id?: string; person_id?: string; rule: string }) => [x.file, x.record_id ?? x.person_id, x.rule])).toEqual([
      ['people', 'P4', 'registered_on'], ['records', 'B1', 'registered_on'], ['records', 'C1', 'registered_on'], ['records', 'D1', 'person_id'],
    ]);
    expect(r.rejected[1].reason).toBe('person_id P2 没有 registered_on（或由此推算的周期超出 0000–9999 年），无法确定其周期 / person_id P2 has no registered_on (or the cycle counted from it leaves the years 0000–9999), so their cycle cannot be placed');
    expect(r.rejected[2].reason).toBe('person_id P3 不在 people 文件中，无法确定其周期（按 registered_on 计）/ person_id P3 is not in the people file, so their cycle (counted from registered_on) cannot be placed');
    expect(r.summary.people_file).toEqual({ rows_read: 4, accepted: 3, rejected: 1 });
  });

  it('is compiled: both paths and the streamed report agree', () => {
    expect(new Evaluation(program).compiled).toBe(true);
    const json = expectPathsAgree(program, csv(RECORD_HEAD, records), csv(PEOPLE_HEAD, people));
    const result = evaluate(program, readCsv(csv(RECORD_HEAD, records)), readCsv(csv(PEOPLE_HEAD, people)));
    expect(streamed(result, false)).toBe(json);
    expect(streamed(result, true)).toBe(JSON.stringify(reportJson(result), null, 2));
  });

  it("'before:' ends the window the day before the date; quarters count back from it", () => {
    const q = compileText(withPeriod('period: { field: date, by: quarter, name: quarter, collection: quarters }\ncycle: { before: registered_on, length: 12 months }', rules, params));
    // Back from 2024-02-29 by 12, 9, 6, 3 months: 2023-02-28 (no 29th), 2023-05-29, 2023-08-29, 2023-11-29.
    const r = run(q, ['F1,P1,2023-02-27,cpd,9,,', 'F2,P1,2023-02-28,cpd,2,,', 'F3,P1,2024-02-28,cpd,3,,', 'F4,P1,2024-02-29,cpd,9,,'], ['P1,2024-02-29,,']);
    const p1 = r.people[0];
    expect(p1.quarters).toEqual({
      '2023-02-28/2023-05-28': { cpd: 2, first_year: 2 },
      '2023-05-29/2023-08-28': { cpd: 0, first_year: 0 },
      '2023-08-29/2023-11-28': { cpd: 0, first_year: 0 },
      '2023-11-29/2024-02-28': { cpd: 3, first_year: 0 },
    });
    expect(p1.cpd).toBe(5);
    expect(r.summary.out_of_scope_by_rule).toEqual({ cycle: 2 }); // F1 the day before the window, F4 the date itself
  });
});

describe('a cycle per subject under two versions', () => {
  const rules = `
@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)

@cite("第一条")
require yearly "每年 / yearly" per period: cpd >= min_each

@cite("第一条")
require total "三年合计 / three years" per cycle: cpd >= min_total
`;
  const revision = `revises: "1"
version: "2"
effective: 2022-01-01
document: 测试〔2022〕1号
change: 每年不少于 3 小时 / at least 3 hours a year
parameters:
  min_each: { value: 3, cite: 第一条 }
`;
  it("each of a subject's periods, and their cycle, is checked under the version in force on its own last day", () => {
    const files = memoryFiles({
      'p/policy.yaml': withPeriod('period: { field: date, by: year, name: year, collection: years }\ncycle: { from: registered_on, length: 3 years }', rules, params),
      'p/versions/2.yaml': revision,
    });
    const loaded = loadPolicySet(files, 'p', {}).result;
    if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
    const program = compilePolicy(loaded.value.checked);
    expect(new Evaluation(program).compiled).toBe(true); // each subject's versions by their own days, in the generated code too
    // P1 from 2020-07-01: its years end 2021-06-30 (version 1: at least 2), 2022-06-30 and 2023-06-30 (version 2: at least 3);
    // 2 hours a year → years 2 and 3 fall short, under version 2; the cycle (6 < 10) ends 2023-06-30: version 2.
    // P2 from 2019-01-01: its years end 2019-12-31, 2020-12-31, 2021-12-31, all under version 1 → 2 meets 2; the cycle under version 1.
    const rows = ['A1,P1,2020-08-01,cpd,2,,', 'A2,P1,2021-08-01,cpd,2,,', 'A3,P1,2022-08-01,cpd,2,,', 'B1,P2,2019-02-01,cpd,2,,', 'B2,P2,2020-02-01,cpd,2,,', 'B3,P2,2021-02-01,cpd,2,,'];
    const people = ['P1,2020-07-01,,', 'P2,2019-01-01,,'];
    const r = JSON.parse(expectPathsAgree(program, csv(RECORD_HEAD, rows), csv(PEOPLE_HEAD, people)));
    const [p1, p2] = r.people;
    expect(p1.version).toBe('2');
    expect(p1.violations.map((v: { rule: string; year: string | null; required: number; version: string }) => [v.rule, v.year, v.required, v.version])).toEqual([
      ['yearly', '2021-07-01/2022-06-30', 3, '2'], ['yearly', '2022-07-01/2023-06-30', 3, '2'], ['total', null, 10, '2'],
    ]);
    expect(p2.version).toBe('1');
    expect(p2.violations.map((v: { rule: string; version: string }) => [v.rule, v.version])).toEqual([['total', '1']]);
  });
});

describe('checks of periods and cycles', () => {
  const rules = `
@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)
`;
  const codes = (period: string) => codesOf(withPeriod(period, rules));
  const by = (b: string) => `period: { field: date, by: ${b}, name: p, collection: ps }`;

  it('each shape of cycle, right and wrong', () => {
    expect(codes(`${by('quarter')}\ncycle: { from: 2020, to: 2022 }`)).toEqual([]);
    expect(codes(`${by('month')}\ncycle: { from: registered_on, length: 36 months }`)).toEqual([]);
    expect(codes(`${by('fortnight')}\ncycle: { from: 2020, to: 2022 }`)).toEqual(['not-allowed']);
    expect(codes(`${by('year')}\ncycle: { from: registered_on, to: 2022, length: 3 years }`)).toEqual(['bad-cycle']);
    expect(codes(`${by('year')}\ncycle: { from: 2020, before: registered_on, length: 3 years }`)).toEqual(['bad-cycle']);
    expect(codes(`${by('year')}\ncycle: { from: 2020, to: 2022, length: 3 years }`)).toEqual(['bad-cycle']);
    expect(codes(`${by('year')}\ncycle: { from: declared, length: 3 years }`)).toEqual(['bad-cycle-field']); // a yes/no, not a date
    expect(codes(`${by('year')}\ncycle: { from: date, length: 3 years }`)).toEqual(['bad-cycle-field']); // the record's date, not the subject's
    expect(codes(`${by('year')}\ncycle: { from: registered_on }`)).toEqual(['bad-cycle-length']);
    expect(codes(`${by('year')}\ncycle: { before: registered_on, length: 3 weeks }`)).toEqual(['bad-cycle-length']);
    expect(codes(`${by('year')}\ncycle: { before: registered_on, length: 18 months }`)).toEqual(['bad-cycle-length']); // 1½ years
    expect(codes(`${by('quarter')}\ncycle: { from: registered_on, length: 4 months }`)).toEqual(['bad-cycle-length']);
  });

  it("`period` still has no value for the whole cycle, in a cycle per subject too", () => {
    const text = withPeriod(`${by('year')}\ncycle: { from: registered_on, length: 3 years }`, `${rules}
@cite("第一条")
require r "r / r" per cycle: period > 0
`);
    expect(codesOf(text)).toEqual(['period-outside-period-scope']);
  });
});
