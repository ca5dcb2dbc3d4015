// Repeating cycles per subject (issue 12): `every: n` on a cycle counted from a subject's own date
// (`cycle: { before: registered_on, length: 6 years, every: 2 }`) splits each subject's window into
// cycles of n periods, each subject getting one result per cycle, named by the cycle's own first and
// last day; previous(m) reads the subject's previous cycle. Every value below is worked out by hand
// in the comments, never by the code under test.

import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { diagnosticLocation, loadPolicy, loadPolicySet, memoryFiles } from '../dsl/index.ts';
import { compilePolicy, Evaluation, evaluate, reportJson } from '../engine/index.ts';
import { codesOf, compileText, languagePolicy, PEOPLE_HEAD, RECORD_HEAD, run } from './support/language.ts';
import { expectPathsAgree, readCsv, streamed } from './support/fuzz.ts';
import { formatCsv } from '../cli/csv-format.ts';
import { formatTable } from '../cli/table-format.ts';
import { guize, tempFolder } from './support/cli.ts';
import { FastPath } from '../engine/fast-path.ts';
import { CompiledSubjectResult } from '../engine/compiled-subject.ts';

/** The language policy's cycle line, as it writes it. */
const CYCLE = 'cycle: { from: 2020, to: 2022 }';

/** The language policy with its cycle replaced by `cycle` (a YAML flow mapping). */
function withCycle(cycle: string, rules: string, extra = ''): string {
  const text = languagePolicy(rules, extra);
  if (!text.includes(CYCLE)) throw new Error('the language policy no longer writes its cycle as this test expects');
  return text.replace(CYCLE, `cycle: ${cycle}`);
}

const extra = `parameters:
  required: { value: 10, unit: hour, cite: 第一条 }
  carry_cap: { value: 4, unit: hour, cite: 第二条 }
`;

// The calendar carry-over test's rules (test/language-carry.test.ts): earned hours, the previous
// cycle's excess over 10 carried in (at most 4), at least 10 credited a cycle.
const rules = `
@cite("第一条")
measure earned "所得 / earned" = sum(hours where kind == cpd)

@cite("第二条")
measure carried "结转 / carried" = min(max(previous(earned) - required, 0), carry_cap)

@cite("第一条")
measure credited "计入 / credited" = earned + carried

@cite("第一条")
require enough "每周期不少于{required} / at least {required} a cycle" per cycle: credited >= required
`;

const csv = (head: string, rows: readonly string[]) => [head, ...rows].join('\n') + '\n';

type Person = {
  person_id: string; cycle?: string; earned: number | null; carried: number | null; credited: number | null; compliant: boolean;
  years: Record<string, { earned: number }>; records: { evaluated: number; disregarded: number };
  violations: { rule: string; year: string | null; actual: number | null; required: number | null; message: string; version?: string }[];
  problems?: { measure: string; problem: string }[]; version?: string;
};

describe("a repeating cycle per subject, counted back from the subject's date ('before:')", () => {
  const program = compileText(withCycle('{ before: registered_on, length: 6 years, every: 2 }', rules, extra));
  // P1's date is 2025-04-01: the window is the six years before it, 2019-04-01 … 2025-03-31, its
  // years starting each 1 April; cycles of two years: 2019-04-01/2021-03-31, 2021-04-01/2023-03-31,
  // 2023-04-01/2025-03-31.
  const records = [
    'A0,P1,2019-03-31,cpd,50,,', // the day before the window: out of scope
    'A1,P1,2019-04-01,cpd,9,,', //  the window's first day: cycle 1, year 1
    'A2,P1,2021-03-31,cpd,7,,', //  cycle 1's last day (year 2)
    'A3,P1,2021-04-01,cpd,5,,', //  cycle 2's first day (year 3)
    'A4,P1,2025-03-31,cpd,12,,', // the window's last day: cycle 3, year 6
    'A5,P1,2025-04-01,cpd,30,,', // the date itself: after the window, out of scope
    // P2, date 2024-01-01: window 2018-01-01 … 2023-12-31, cycles 2018–2019, 2020–2021, 2022–2023 (calendar-shaped by chance).
    'B1,P2,2021-06-01,cpd,11,,', // cycle 2
    'C1,P3,2021-06-01,cpd,3,,', //  P3 has no date: rejected
    'D1,P9,2021-06-01,cpd,3,,', //  P9 is not in the people file: rejected
  ];
  const people = ['P1,2025-04-01,,', 'P2,2024-01-01,,', 'P3,,,'];

  it("gives each subject one result per cycle, named by the cycle's first and last day, with only its periods", () => {
    const r = run(program, records, people);
    expect(r.people.map((p: Person) => `${p.person_id}@${p.cycle}`)).toEqual([
      'P1@2019-04-01/2021-03-31', 'P1@2021-04-01/2023-03-31', 'P1@2023-04-01/2025-03-31',
      'P2@2018-01-01/2019-12-31', 'P2@2020-01-01/2021-12-31', 'P2@2022-01-01/2023-12-31',
      'P3@undefined', // no date: one result, naming no cycle (below)
    ]);
    const [a, b, c] = r.people as Person[];
    // Each result's periods are its own cycle's two years, named by their days.
    expect(a!.years).toEqual({ '2019-04-01/2020-03-31': { earned: 9, carried: 0, credited: 9 }, '2020-04-01/2021-03-31': { earned: 7, carried: 0, credited: 7 } });
    expect(Object.keys(b!.years)).toEqual(['2021-04-01/2022-03-31', '2022-04-01/2023-03-31']);
    expect(Object.keys(c!.years)).toEqual(['2023-04-01/2024-03-31', '2024-04-01/2025-03-31']);
    // Seven results: P1 × 3, P2 × 3, P3 × 1 — in the report as built and as streamed (which counts ahead).
    expect(r.summary.people).toBe(7);
    // The stream the command line writes says how many results come before working them out.
    const e = new Evaluation(program);
    for (const x of readCsv(csv(PEOPLE_HEAD, people))) e.addSubject(x);
    for (const x of readCsv(csv(RECORD_HEAD, records))) e.addRecord(x);
    const stream = e.results();
    expect(stream.subjectCount).toBe(7);
    expect([...stream.subjects()].length).toBe(7);
    // Compliant: P1's first and third cycles (16, 12) and P2's second (11); the other four not.
    expect(r.summary).toMatchObject({ compliant: 3, non_compliant: 4 });
  });

  it("carries a capped excess forward through the subject's own cycles, and starts each subject afresh", () => {
    const [a, b, c, d, e, f] = run(program, records, people).people as Person[];
    // P1 cycle 1: 9 + 7 = 16 earned, nothing carried in: credited 16.
    expect([a!.earned, a!.carried, a!.credited, a!.compliant]).toEqual([16, 0, 16, true]);
    // Cycle 2: carried min(max(16 − 10, 0), 4) = 4; credited 5 + 4 = 9 < 10: a violation.
    expect([b!.earned, b!.carried, b!.credited, b!.compliant]).toEqual([5, 4, 9, false]);
    expect(b!.violations).toEqual([{
      rule: 'enough', article: '第一条', year: null, actual: 9, required: 10,
      message: '每周期不少于10：本周期实际 9.00小时，要求不少于 10.00小时 / at least 10 a cycle: cycle has 9.00 hours, requires at least 10.00 hours',
    }]);
    // A period's block shows its cycle's carried value (previous is cycle-wide): 2022-04-01/2023-03-31 has 0 + 4.
    expect(b!.years['2022-04-01/2023-03-31']).toEqual({ earned: 0, carried: 4, credited: 4 });
    // Cycle 3: carried min(max(5 − 10, 0), 4) = 0; credited 12.
    expect([c!.earned, c!.carried, c!.credited, c!.compliant]).toEqual([12, 0, 12, true]);
    // P2: 0 | 11 earned, 0 carried (its first cycle had 0) | carried min(max(11 − 10, 0), 4) = 1.
    expect([d, e, f].map((p) => [p!.earned, p!.carried, p!.credited])).toEqual([[0, 0, 0], [11, 0, 11], [0, 1, 1]]);
  });

  it('`period` is the place in the whole window (1 … 6) and `cycle_length` the window\'s, as a calendar span\'s are', () => {
    const placed = compileText(withCycle('{ before: registered_on, length: 6 years, every: 2 }', `
@cite("x")
measure third "第三年 / third year" = sum(hours where kind == cpd and period == 3)

@cite("x")
measure length_of "长度 / length" = cycle_length
`, extra));
    const [a, b, c] = run(placed, records, people).people as (Person & { third: number; length_of: number })[];
    // A3 (5 h, 2021-04-01) is in year 3 of P1's window, the first year of its second cycle.
    expect([a!.third, b!.third, c!.third]).toEqual([0, 5, 0]);
    expect([a!.length_of, b!.length_of, c!.length_of]).toEqual([6, 6, 6]);
  });

  it('counts each cycle its own records, and every row is accounted for', () => {
    const r = run(program, records, people);
    // P1: A1, A2 | A3 | A4; P2: — | B1 | —; P3: none (C1 rejected).
    expect(r.people.map((p: Person) => p.records.evaluated)).toEqual([2, 1, 1, 0, 1, 0, 0]);
    // 9 rows: A1–A4 and B1 evaluated (5); A0 and A5 out of scope under `cycle` (2); C1 and D1 rejected (2).
    expect(r.summary).toMatchObject({ rows_read: 9, evaluated: 5, out_of_scope: 2, rejected: 2, out_of_scope_by_rule: { cycle: 2 } });
    expect(r.summary.rows_read).toBe(r.summary.evaluated + r.summary.rejected + r.summary.out_of_scope);
    expect(r.rejected.map((x: { record_id: string; rule: string }) => [x.record_id, x.rule])).toEqual([['C1', 'registered_on'], ['D1', 'registered_on']]);
  });

  it('a subject without the date has one result: no periods, every measure a problem, the cycle requirement unknown', () => {
    const p3 = (run(program, records, people).people as Person[])[6]!;
    expect(p3.person_id).toBe('P3');
    expect('cycle' in p3).toBe(false);
    expect(p3.years).toEqual({});
    expect([p3.earned, p3.carried, p3.credited, p3.compliant]).toEqual([null, null, null, false]);
    expect(p3.problems!.map((x) => [x.measure, x.problem])).toEqual([['earned', 'registered_on'], ['carried', 'registered_on'], ['credited', 'registered_on']]);
    expect(p3.violations).toEqual([{
      rule: 'enough', article: '第一条', year: null, actual: null, required: null,
      message: '每周期不少于10：本周期无法判断，缺少 registered_on / at least 10 a cycle: cycle cannot be checked, registered_on is missing',
    }]);
    expect(p3.records).toEqual({ evaluated: 0, disregarded: 0 });
  });

  it('is generated (a subject without the date interpreted): both paths and the streamed report give the same document', () => {
    expect(new Evaluation(program).compiled).toBe(true);
    // Without previous(…) too.
    const plain = compileText(withCycle('{ before: registered_on, length: 6 years, every: 2 }', '@cite("x")\nmeasure earned "e / e" = sum(hours)', extra));
    expect(new Evaluation(plain).compiled).toBe(true);
    for (const p of [program, plain]) expect(() => FastPath.source(p, p.aggregates.map((_, k) => k))).not.toThrow();
    // Every cycle of P1 and P2 through the generated scopes; P3 (no date) by the interpreter.
    const e = new Evaluation(program);
    for (const x of readCsv(csv(PEOPLE_HEAD, people))) e.addSubject(x);
    for (const x of readCsv(csv(RECORD_HEAD, records))) e.addRecord(x);
    const results = [...e.results().subjects()];
    expect(results.map((x) => `${x.id} ${x instanceof CompiledSubjectResult}`)).toEqual(['P1 true', 'P1 true', 'P1 true', 'P2 true', 'P2 true', 'P2 true', 'P3 false']);
    const json = expectPathsAgree(program, csv(RECORD_HEAD, records), csv(PEOPLE_HEAD, people));
    const result = evaluate(program, readCsv(csv(RECORD_HEAD, records)), readCsv(csv(PEOPLE_HEAD, people)));
    expect(streamed(result, false)).toBe(json);
    expect(streamed(result, true)).toBe(JSON.stringify(reportJson(result), null, 2));
  });

  it('CSV has a cycle column (empty for the subject without a date); the table names each result by id and cycle', () => {
    const result = evaluate(program, readCsv(csv(RECORD_HEAD, records)), readCsv(csv(PEOPLE_HEAD, people)));
    const lines = formatCsv(result).trim().split('\n').map((l) => l.split(','));
    const head = lines[0]!;
    expect(head.slice(0, 2)).toEqual(['person_id', 'cycle']);
    expect(lines.map((l) => `${l[0]} ${l[1]}`).slice(1)).toEqual([
      'P1 2019-04-01/2021-03-31', 'P1 2021-04-01/2023-03-31', 'P1 2023-04-01/2025-03-31',
      'P2 2018-01-01/2019-12-31', 'P2 2020-01-01/2021-12-31', 'P2 2022-01-01/2023-12-31', 'P3 ',
    ]);
    // Every row as long as the header; period columns by place: cycle 2's are 3.* and 4.*, cycle 1's empty in its row.
    for (const l of lines) expect(l.length).toBe(head.length);
    expect(lines[2]![head.indexOf('carried')]).toBe('4.00');
    expect(lines[2]![head.indexOf('3.earned')]).toBe('5.00');
    expect(lines[2]![head.indexOf('1.earned')]).toBe('');
    const table = formatTable(result);
    expect(table).toContain('P1 2021-04-01/2023-03-31');
    expect(table).toMatch(/\n {2}P1 2021-04-01\/2023-03-31 {2}enough /);
  });
});

describe("a repeating cycle per subject, counted from the subject's date ('from:'), over 29 February", () => {
  const program = compileText(withCycle('{ from: registered_on, length: 4 years, every: 2 }', rules, extra));
  // From 2020-02-29: years start 2020-02-29, 2021-02-28 (no 29th), 2022-02-28, 2023-02-28, and the
  // window ends the day before 2024-02-29 (48 months on, a leap year again): 2024-02-28.
  // Cycles: 2020-02-29/2022-02-27 and 2022-02-28/2024-02-28.
  const records = [
    'A0,P1,2020-02-28,cpd,9,,', // the day before: out of scope
    'A1,P1,2020-02-29,cpd,8,,', // cycle 1, year 1
    'A2,P1,2022-02-27,cpd,4,,', // cycle 1's last day (year 2)
    'A3,P1,2022-02-28,cpd,3,,', // cycle 2's first day (year 3)
    'A4,P1,2024-02-28,cpd,1,,', // the window's last day (year 4)
    'A5,P1,2024-02-29,cpd,6,,', // after the window: out of scope
  ];

  it('places the boundaries on the same day of the month, or the month\'s last, and carries forward', () => {
    const r = run(program, records, ['P1,2020-02-29,,']);
    const [a, b] = r.people as Person[];
    expect([a!.cycle, b!.cycle]).toEqual(['2020-02-29/2022-02-27', '2022-02-28/2024-02-28']);
    expect(Object.keys(a!.years)).toEqual(['2020-02-29/2021-02-27', '2021-02-28/2022-02-27']);
    expect(Object.keys(b!.years)).toEqual(['2022-02-28/2023-02-27', '2023-02-28/2024-02-28']);
    // Cycle 1: 8 + 4 = 12, compliant; cycle 2: 3 + 1 = 4 earned, carried min(max(12 − 10, 0), 4) = 2: 6 < 10.
    expect([a!.earned, a!.carried, a!.credited, a!.compliant]).toEqual([12, 0, 12, true]);
    expect([b!.earned, b!.carried, b!.credited, b!.compliant]).toEqual([4, 2, 6, false]);
    expect(r.people.map((p: Person) => p.records.evaluated)).toEqual([2, 2]);
    // 6 rows: 4 evaluated, A0 and A5 out of scope.
    expect(r.summary).toMatchObject({ rows_read: 6, evaluated: 4, rejected: 0, out_of_scope: 2, out_of_scope_by_rule: { cycle: 2 } });
  });

  it('quarters: a year counted from the date, in cycles of two quarters', () => {
    const q = compileText(withCycle('{ from: registered_on, length: 12 months, every: 2 }', rules, extra)
      .replace('by: year, name: year, collection: years', 'by: quarter, name: quarter, collection: quarters'));
    // From 2023-11-30: quarters start 2023-11-30, 2024-02-29 (February's last), 2024-05-30, 2024-08-30; the window ends 2024-11-29.
    const r = run(q, ['Q1,P1,2024-02-28,cpd,3,,', 'Q2,P1,2024-02-29,cpd,4,,', 'Q3,P1,2024-11-29,cpd,1,,'], ['P1,2023-11-30,,']);
    const [a, b] = r.people as Person[];
    expect([a!.cycle, b!.cycle]).toEqual(['2023-11-30/2024-05-29', '2024-05-30/2024-11-29']);
    expect(Object.keys(a!.years ?? {})).toEqual([]);
    expect(Object.keys((a as unknown as { quarters: object }).quarters)).toEqual(['2023-11-30/2024-02-28', '2024-02-29/2024-05-29']);
    // Q1 in quarter 1, Q2 in quarter 2: 7 in cycle 1; Q3 in quarter 4: 1 in cycle 2.
    expect([a!.earned, b!.earned]).toEqual([7, 1]);
  });
});

describe('a repeating cycle per subject under two versions', () => {
  const revision = `revises: "1"
version: "2"
effective: 2022-01-01
document: 测试〔2022〕1号
change: 每周期不少于 12 小时 / at least 12 hours a cycle
parameters:
  required: { value: 12, cite: 第一条 }
`;
  it('checks each cycle under the version in force on its own last day', () => {
    const files = memoryFiles({
      'p/policy.yaml': withCycle('{ before: registered_on, length: 6 years, every: 2 }', rules, extra),
      'p/versions/2.yaml': revision,
    });
    const loaded = loadPolicySet(files, 'p', {}).result;
    if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
    const program = compilePolicy(loaded.value.checked);
    // P1's cycles end 2021-03-31 (version 1: 10 required), 2023-03-31 and 2025-03-31 (version 2: 12 required).
    // 11 hours in each: cycle 1 meets 10 (version 1). Cycle 2 is worked out under version 2: carried
    // min(max(11 − 12, 0), 4) = 0 (under version 1 it would be 1, and 11 + 1 ≥ 10), credited 11 < 12;
    // cycle 3 likewise: 0 carried, 11 < 12.
    const rows = ['A1,P1,2020-01-01,cpd,11,,', 'A2,P1,2022-01-01,cpd,11,,', 'A3,P1,2024-01-01,cpd,11,,'];
    const r = JSON.parse(expectPathsAgree(program, csv(RECORD_HEAD, rows), csv(PEOPLE_HEAD, ['P1,2025-04-01,,'])));
    const [a, b, c] = r.people as Person[];
    expect([a!.version, b!.version, c!.version]).toEqual(['1', '2', '2']);
    expect([a!.carried, b!.carried, c!.carried]).toEqual([0, 0, 0]);
    expect([a!.compliant, b!.compliant, c!.compliant]).toEqual([true, false, false]);
    expect(b!.violations.map((v) => [v.rule, v.actual, v.required, v.version])).toEqual([['enough', 11, 12, '2']]);
  });
});

describe("checks of 'every' on a cycle per subject", () => {
  const plain = '@cite("x")\nmeasure earned "e / e" = sum(hours)';
  const diagnostics = (cycle: string) => {
    const text = withCycle(cycle, plain, extra);
    const d = loadPolicy('test.yaml', text).diagnostics.filter((x) => x.severity === 'error');
    return d.map((x) => `${x.code} ${diagnosticLocation(x, new Map([['test.yaml', { name: 'test.yaml', text }]]))} ${x.message}`);
  };

  it('every must divide the window\'s periods, said at every\'s value (line 33: the cycle line)', () => {
    expect(diagnostics('{ before: registered_on, length: 6 years, every: 2 }')).toEqual([]);
    expect(diagnostics('{ from: registered_on, length: 36 months, every: 3 }')).toEqual([]);
    // `cycle: { before: registered_on, length: 6 years, every: ` is 56 characters: the 4 is in column 57.
    expect(diagnostics('{ before: registered_on, length: 6 years, every: 4 }')).toEqual([
      "cycle-every test.yaml:33:57 'every: 4' must be a whole number of periods that divides the 6 periods of 'length: 6 years'",
    ]);
    // Quarters: 12 months are 4 quarters, and 3 does not divide 4. `cycle: { from: registered_on, length: 12 months, every: ` is 55.
    const q = (c: string) => codesOf(withCycle(c, plain, extra).replace('by: year,', 'by: quarter,'));
    expect(q('{ from: registered_on, length: 12 months, every: 2 }')).toEqual([]);
    expect(q('{ from: registered_on, length: 12 months, every: 3 }')).toEqual(['cycle-every']);
    // Not a whole number: the schema's wrong-type, as for a calendar cycle, at the value
    // (`cycle: { from: registered_on, length: 3 years, every: ` is 54 characters: column 55).
    expect(diagnostics('{ from: registered_on, length: 3 years, every: 1.5 }')).toEqual([
      'wrong-type test.yaml:33:55 cycle.every should be a whole number',
    ]);
    // Below one is the schema's to refuse, as for a calendar cycle.
    expect(codesOf(withCycle('{ from: registered_on, length: 3 years, every: 0 }', plain, extra))).toEqual(['schema']);
    // A length that is no whole number of periods is bad-cycle-length alone, not cycle-every too.
    expect(codesOf(withCycle('{ from: registered_on, length: 18 months, every: 2 }', plain, extra))).toEqual(['bad-cycle-length']);
  });

  it("previous(…) without 'every' says how to make a cycle per subject repeat", () => {
    const text = withCycle('{ before: registered_on, length: 6 years }', rules, extra);
    const d = loadPolicy('test.yaml', text).diagnostics.filter((x) => x.severity === 'error');
    expect(d.map((x) => [x.code, x.help])).toEqual([['previous-without-repeat', 'make the cycle repeat: cycle: { before: registered_on, length: …, every: n }']]);
  });

  it('the help names the counts that do divide, in both languages', () => {
    const d = loadPolicy('test.yaml', withCycle('{ before: registered_on, length: 6 years, every: 4 }', plain, extra)).diagnostics.find((x) => x.code === 'cycle-every')!;
    expect(d.zh).toBe("'every: 4' 须为能整除 'length: 6 years' 共 6 个期间的整数");
    expect(d.help).toBe('e.g. every: 1 or every: 2 or every: 3 or every: 6');
  });
});

describe('the Texas policy, each physician in their own registration periods, through the command line', () => {
  const TX = 'policies/tx-cme';
  const tmp = tempFolder('guize-subject-repeat-');
  const sample = ['--policy', TX, '--records', `${TX}/sample/records.csv`, '--subjects', `${TX}/sample/physicians.csv`];

  /** `guize eval` in process with GUIZE_DEBUG set, so that stderr says how the file was read. */
  async function evalDebug(...argv: string[]) {
    const previous = process.env.GUIZE_DEBUG;
    process.env.GUIZE_DEBUG = '1';
    try {
      return await guize('eval', ...argv);
    } finally {
      if (previous === undefined) delete process.env.GUIZE_DEBUG;
      else process.env.GUIZE_DEBUG = previous;
    }
  }

  // One block of rows, repeated with keys in order (so that the parts of a file add up). A expires
  // 2024-07-01 (periods 2018-07-01/2020-06-30, 2020-07-01/2022-06-30, 2022-07-01/2024-06-30), B
  // 2025-02-01 (2019-02-01/2021-01-31, 2021-02-01/2023-01-31, 2023-02-01/2025-01-31), C has no date.
  //   A 2018-06-30 — the day before A's first period: out of scope
  //   A 2018-07-01 (A's cycle 1), A 2022-06-30 (cycle 2's last day), A 2022-07-01 (cycle 3's first)
  //   A 2024-07-01 — A's expiry day: out of scope
  //   B 2021-01-31 (B's cycle 1), B 2021-02-01 without credits — rejected (no_credits)
  //   C 2022-01-01 — no date: rejected (registration_expires)
  const BLOCK = [
    'A,2018-06-30,formal,5,', 'A,2018-07-01,formal,30,', 'A,2022-06-30,formal,10,', 'A,2022-07-01,informal,4,',
    'A,2024-07-01,formal,9,', 'B,2021-01-31,formal,6,', 'B,2021-02-01,formal,,', 'C,2022-01-01,formal,1,',
  ];
  const blocks = (n: number) => {
    const rows = ['record_id,license,date,category,credits,topic'];
    let k = 0;
    for (let b = 0; b < n; b++) for (const row of BLOCK) rows.push(`K${String(++k).padStart(6, '0')},${row}`);
    return `${rows.join('\n')}\n`;
  };
  const physicians = 'license,registration_expires\nA,2024-07-01\nB,2025-02-01\nC,\n';

  it('--threads 1 and --threads 2 give the same report, byte for byte, counts adding up per cycle', async () => {
    const records = tmp.write('parts.csv', blocks(400));
    const subjects = tmp.write('physicians.csv', physicians);
    const args = ['--policy', TX, '--records', records, '--subjects', subjects];
    const one = await evalDebug(...args, '--threads', '1');
    const two = await evalDebug(...args, '--threads', '2');
    expect(two.err).toContain('read in 2 parts');
    expect(two.err).not.toContain('then on one thread');
    expect(two.code).toBe(one.code);
    expect(two.out).toBe(one.out);
    const report = JSON.parse(two.out);
    expect(report.physicians.map((p: Person & { license: string }) => `${p.license}@${p.cycle} ${p.records.evaluated}`)).toEqual([
      // Per block A has one record in each cycle; B one in its first; C none (one result).
      'A@2018-07-01/2020-06-30 400', 'A@2020-07-01/2022-06-30 400', 'A@2022-07-01/2024-06-30 400',
      'B@2019-02-01/2021-01-31 400', 'B@2021-02-01/2023-01-31 0', 'B@2023-02-01/2025-01-31 0',
      'C@undefined 0',
    ]);
    // 400 × 8 = 3200 rows: 400 × 4 evaluated, 400 × 2 out of scope, 400 × 2 rejected.
    expect(report.summary).toMatchObject({
      rows_read: 3200, evaluated: 1600, out_of_scope: 800, rejected: 800, out_of_scope_by_rule: { cycle: 800 },
      rejected_by_rule: { no_credits: 400, registration_expires: 400 }, physicians: 7,
    });
    // A's first cycle: 400 × 30 formal; its third: 400 × 4 informal, counted up to 24.
    expect([report.physicians[0].formal, report.physicians[2].informal, report.physicians[2].informal_counted]).toEqual([12000, 1600, 24]);
  });

  it('guize diff compares the results in order, each physician\'s periods in turn', async () => {
    // The head carries at most 10 credits (max_carry 48 → 10): P1001's second period carries min(60 − 48, 10) = 10,
    // not 12, and credits 37 + 10 = 47 < 48; P1002's second carries min(125 − 48, 10) = 10 (58 → 20), non-compliant either way.
    const text = fs.readFileSync(`${TX}/policy.yaml`, 'utf8');
    const from = '  max_carry: { value: 48, unit: credit, cite: 22 TAC §161.35(c)(2) }';
    expect(text).toContain(from);
    const head = tmp.write('head.yaml', text.replace(from, from.replace('48', '10')));
    const r = await guize('diff', '--base', TX, '--head', head, '--records', `${TX}/sample/records.csv`, '--subjects', `${TX}/sample/physicians.csv`, '--format', 'json');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out);
    // 10 results on each side (3 + 3 + 3 + 1); one became non-compliant.
    expect(d.summary).toMatchObject({ subjects: 10, unchanged: 8, became_compliant: 0, became_non_compliant: 1, base_compliant: 4, head_compliant: 3 });
    const changed = d.changed.find((c: { transition: string }) => c.transition === 'became_non_compliant');
    expect(changed).toMatchObject({ license: 'P1001', measures: { carried: { base: 12, head: 10, delta: -2 }, credited: { base: 49, head: 47, delta: -2 } } });
    expect(d.by_rule.find((x: { rule: string }) => x.rule === 'total')).toMatchObject({ base_failures: 5, head_failures: 7, newly_failing: 2, newly_passing: 0 });
  });

  it('--format xlsx names each result by license and period, on the results and the violations sheets', async () => {
    const file = path.join(tmp.path(), 'out.xlsx');
    const r = await guize('eval', ...sample, '--format', 'xlsx', '--out', file);
    expect([r.code, r.out]).toEqual([0, '']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const names = (ws: ExcelJS.Worksheet) => {
      const out: unknown[] = [];
      ws.eachRow((row, n) => { if (n > 1) out.push((row.values as unknown[])[1]); });
      return out;
    };
    const [, results, violations] = wb.worksheets;
    expect(names(results!)).toEqual([
      'P1001 2019-07-01/2021-06-30', 'P1001 2021-07-01/2023-06-30', 'P1001 2023-07-01/2025-06-30',
      'P1002 2018-11-01/2020-10-31', 'P1002 2020-11-01/2022-10-31', 'P1002 2022-11-01/2024-10-31',
      'P1003 2020-02-01/2022-01-31', 'P1003 2022-02-01/2024-01-31', 'P1003 2024-02-01/2026-01-31', 'P1004',
    ]);
    // P1002's second period fails formal_minimum and the trafficking course: its first two violation rows.
    expect(names(violations!).slice(0, 2)).toEqual(['P1002 2020-11-01/2022-10-31', 'P1002 2020-11-01/2022-10-31']);
  });

  it('guize export --to jsonlogic refuses it, at the period (a record\'s period is its own physician\'s, not a calendar year)', async () => {
    const out = path.join(tmp.path(), 'tx.json');
    const r = await guize('export', '--to', 'jsonlogic', '--policy', TX, '--out', out);
    expect(r.code).toBe(2);
    // Line 90 of policy.yaml is `period: { … }`; its map starts at column 9.
    expect(fs.readFileSync(`${TX}/policy.yaml`, 'utf8').split('\n')[89]).toBe('period: { field: date, by: year, name: year, collection: years }');
    expect(r.err).toContain('error[export-unsupported]: 按 year 的期间（按主体计的周期）：导出只能将记录的期间表示为公历年份\n');
    expect(r.err).toContain(`--> ${TX}/policy.yaml:90:9\n`);
    expect(r.err).toContain('无法导出 1 处 / 1 construct(s) cannot be exported; nothing was written');
    expect(fs.existsSync(out)).toBe(false);
  });

  it("a policy test names a result 'id@cycle' by the period's days, and a bare id for a physician without the date", async () => {
    const r = await guize('test', TX, '--coverage-min', '100');
    expect(r.code).toBe(0);
    expect(r.out).toContain('4 通过 passed, 0 失败 failed');
  });
});

describe('a repeating calendar cycle by quarter (the same code names and places its periods)', () => {
  it('names each cycle by its first and last quarter, and each violation by its own quarter', () => {
    const text = withCycle('{ from: 2020, to: 2021, every: 4 }', `@cite("x")\nmeasure e "e / e" = sum(hours)\n@cite("x")\nrequire q "q / q" per period: e >= 1`)
      .replace('by: year, name: year, collection: years', 'by: quarter, name: quarter, collection: quarters');
    // Eight quarters, every 4: 2020-Q1 … 2020-Q4 and 2021-Q1 … 2021-Q4 (4 divides 8; it did not divide the 2 years).
    const rows = ['R1,P1,2020-05-01,cpd,3,,', 'R2,P1,2021-11-01,cpd,2,,'];
    const r = run(compileText(text), rows, ['P1,,,']);
    // The streamed report (and the generated path, which adds the records up here) says the same.
    expect(JSON.parse(expectPathsAgree(compileText(text), csv(RECORD_HEAD, rows), csv(PEOPLE_HEAD, ['P1,,,'])))).toEqual(r);
    type Quarterly = Omit<Person, 'violations'> & { quarters: object; violations: { quarter: string }[] };
    const [a, b] = r.people as Quarterly[];
    expect([a!.cycle, b!.cycle]).toEqual(['2020-Q1/2020-Q4', '2021-Q1/2021-Q4']);
    expect(Object.keys(b!.quarters)).toEqual(['2021-Q1', '2021-Q2', '2021-Q3', '2021-Q4']);
    // 3 hours in 2020-Q2 (1 May), 2 in 2021-Q4 (1 November): the other quarters fall short of 1.
    expect(a!.violations.map((v) => v.quarter)).toEqual(['2020-Q1', '2020-Q3', '2020-Q4']);
    expect(b!.violations.map((v) => v.quarter)).toEqual(['2021-Q1', '2021-Q2', '2021-Q3']);
    // `every` counts quarters: 3 does not divide 8.
    expect(codesOf(text.replace('every: 4', 'every: 3'))).toEqual(['cycle-every']);
  });
});
