// Carry-over between cycles (issue 12, part 4): a repeating cycle (`cycle.every`) evaluates each
// subject once per cycle of a file holding several, and previous(m) reads a measure's value in
// the subject's previous cycle, so that a capped excess is carried forward without chaining runs.

import { describe, expect, it } from 'vitest';
import { Evaluation } from '../engine/index.ts';
import { codesOf, compileText, languagePolicy, PEOPLE_HEAD, RECORD_HEAD, run } from './support/language.ts';
import { expectPathsAgree } from './support/fuzz.ts';
import { guize } from './support/cli.ts';

/** The test policy with its cycle replaced: `cycle` is the YAML flow mapping. */
function withCycle(rules: string, cycle: string, extra = ''): string {
  return languagePolicy(rules, extra).replace('cycle: { from: 2020, to: 2022 }', `cycle: ${cycle}`);
}

const extra = `parameters:
  required: { value: 10, unit: hour, cite: 第一条 }
  carry_cap: { value: 4, unit: hour, cite: 第二条 }
  yearly_cap: { value: 8, unit: hour, cite: 第二条 }
  one_item: { value: 1, unit: item, cite: 第二条 }
`;

// Earned hours carry their own excess forward: `credited` reads previous(credited), which is the
// previous cycle's — not a cycle in the dependency graph, but its unit must be declared.
const rules = `
@cite("第一条")
measure earned "所得 / earned" = sum(hours where kind == cpd)

@cite("第二条")
measure carried "结转 / carried" = min(max(previous(credited) - required, 0), carry_cap)

@cite("第一条")
measure credited: hour "计入 / credited" = earned + carried

@cite("第二条")
measure capped "每年封顶 / capped per year" = sum(min(earned, yearly_cap))

@cite("第一条")
require enough "每周期不少于{required} / at least {required} a cycle" per cycle: credited >= required
`;

const cycle = '{ from: 2019, to: 2024, every: 2 }';

describe('carry-over between cycles', () => {
  const program = compileText(withCycle(rules, cycle, extra));
  const records = [
    // P1: 2019–2020: 9 + 7 = 16 h; 2021–2022: 5 h; 2023–2024: 12 h.
    'R1,P1,2019-03-01,cpd,9,,',
    'R2,P1,2020-03-01,cpd,7,,',
    'R3,P1,2022-03-01,cpd,5,,',
    'R4,P1,2023-03-01,cpd,12,,',
    'R5,P1,2025-01-01,cpd,50,,', // after the last cycle: in none, out of scope with no rule for it
    // P2: only 2021–2022: 11 h.
    'R6,P2,2021-06-01,cpd,11,,',
  ];
  const people = ['P1,,,', 'P2,,,'];

  it('gives each subject one result per cycle, named by its years, with only its periods', () => {
    const r = run(program, records, people);
    expect(r.people.map((p: { person_id: string; cycle: string }) => `${p.person_id}@${p.cycle}`)).toEqual([
      'P1@2019-2020', 'P1@2021-2022', 'P1@2023-2024', 'P2@2019-2020', 'P2@2021-2022', 'P2@2023-2024',
    ]);
    expect(Object.keys(r.people[1].years)).toEqual(['2021', '2022']);
    // Six results; the record dated after the span (2025) is out of scope, counted under `cycle`.
    expect(r.summary.people).toBe(6);
    expect(r.summary.out_of_scope_by_rule).toEqual({ cycle: 1 });
  });

  it('carries a capped excess forward, cycle by cycle', () => {
    const [a, b, c] = run(program, records, people).people;
    // 2019–2020: nothing carried in (the first cycle: 0 h); earned 16, credited 16.
    expect([a.earned, a.carried, a.credited, a.compliant]).toEqual([16, 0, 16, true]);
    // 2021–2022: carried min(max(16 − 10, 0), 4) = 4; credited 5 + 4 = 9 < 10: a violation.
    expect([b.earned, b.carried, b.credited, b.compliant]).toEqual([5, 4, 9, false]);
    expect(b.violations).toEqual([expect.objectContaining({ rule: 'enough', year: null, actual: 9, required: 10 })]);
    // 2023–2024: carried min(max(9 − 10, 0), 4) = 0; credited 12.
    expect([c.earned, c.carried, c.credited, c.compliant]).toEqual([12, 0, 12, true]);
    // A period's block shows the cycle's carried value: previous(…) is cycle-wide.
    expect(b.years['2022'].carried).toBe(4);
    expect(b.years['2022'].credited).toBe(9);
  });

  it('sums over the periods of its own cycle only', () => {
    const [a, , c] = run(program, records, people).people;
    // 2019–2020: min(9, 8) + min(7, 8) = 15; 2023–2024: min(12, 8) + min(0, 8) = 8.
    expect(a.capped).toBe(15);
    expect(c.capped).toBe(8);
  });

  it('starts each subject afresh', () => {
    const people = run(program, records, []).people.filter((p: { person_id: string }) => p.person_id === 'P2');
    // P2 2019–2020: nothing; 2021–2022: 11 earned, 0 carried in (its previous cycle had 0 h);
    // 2023–2024: carried min(max(11 − 10, 0), 4) = 1.
    expect(people.map((p: { carried: number; credited: number }) => [p.carried, p.credited])).toEqual([[0, 0], [0, 11], [1, 1]]);
  });

  it('takes a declared default for the first cycle', () => {
    const p = compileText(withCycle(rules.replace('previous(credited)', 'previous(credited, 13)'), cycle, extra));
    const [a] = run(p, records, people).people;
    // The first cycle carries min(max(13 − 10, 0), 4) = 3: credited 16 + 3 = 19.
    expect([a.carried, a.credited]).toEqual([3, 19]);
  });

  it('adds records up in the generated code (each cycle is interpreted), and the report is the same on every path', () => {
    expect(new Evaluation(program).compiled).toBe(true);
    const csv = (rows: string[], head: string) => [head, ...rows].join('\n') + '\n';
    expectPathsAgree(program, csv(records, RECORD_HEAD), csv(people, PEOPLE_HEAD), 7);
  });

  it('without previous(…), adds records up in the generated code and agrees with the interpreter', () => {
    const plain = compileText(withCycle(`@cite("x")\nmeasure earned "e / e" = sum(hours where kind == cpd)\n@cite("x")\nrequire enough "e / e" per cycle: earned >= required`, cycle, extra));
    expect(new Evaluation(plain).compiled).toBe(true);
    const csv = (rows: string[], head: string) => [head, ...rows].join('\n') + '\n';
    const rows = records.slice(0, 4).concat('R6,P2,2021-06-01,cpd,11,,');
    const report = JSON.parse(expectPathsAgree(plain, csv(rows, RECORD_HEAD), csv(people, PEOPLE_HEAD), 7));
    // P1: 16, 5, 12 h: the middle cycle falls short.
    expect(report.people.slice(0, 3).map((p: { earned: number; compliant: boolean }) => [p.earned, p.compliant])).toEqual([[16, true], [5, false], [12, true]]);
  });

  it('refuses what previous(…) and every cannot mean, where they are written', () => {
    const bad = (r: string, c = cycle) => codesOf(withCycle(`@cite("x")\nmeasure earned "e / e" = sum(hours)\n@cite("x")\n${r}`, c, extra)).filter((x) => x !== 'unused');
    expect(bad('measure a "a / a" = previous(earned)', '{ from: 2020, to: 2022 }')).toEqual(['previous-without-repeat']);
    expect(bad('measure a "a / a" = previous(hours)')).toEqual(['previous-not-a-measure']);
    expect(bad('measure a "a / a" = previous(earned + earned)')).toEqual(['previous-not-a-measure']);
    expect(bad('measure g "g / g" = sum(hours by kind)\n@cite("x")\nmeasure a "a / a" = previous(g)')).toEqual(['previous-not-a-measure']);
    expect(bad('measure a "a / a" = earned + previous(a)')).toEqual(['previous-needs-unit']);
    expect(bad('measure a: hour "a / a" = earned + previous(a)')).toEqual([]);
    // A cycle within the cycle is still one: a default that reads the measure itself.
    expect(bad('measure a: hour "a / a" = earned + previous(a, a)')).toEqual(['cyclic-definition']);
    expect(bad('measure a "a / a" = previous(earned, 1, 2)')).toEqual(['wrong-arity']);
    expect(bad('measure a "a / a" = previous(earned, true)')).toEqual(['type-mismatch']);
    expect(bad('measure a "a / a" = previous(earned, one_item)')).toEqual(['unit-mismatch']);
    expect(bad('let x: hour = previous(earned)')).toEqual(['aggregate-per-record']);
    expect(bad('measure a "a / a" = earned', '{ from: 2019, to: 2024, every: 4 }')).toEqual(['cycle-every']);
    // A count of periods below one is the schema's to refuse.
    expect(bad('measure a "a / a" = earned', '{ from: 2019, to: 2024, every: 0 }')).toEqual(['schema']);
  });
});

describe('the Texas CME policy through the command line', () => {
  const dir = 'policies/tx-cme';
  const args = ['--policy', dir, '--records', `${dir}/sample/records.csv`, '--subjects', `${dir}/sample/physicians.csv`];

  it("guize eval gives each physician a result per registration period of their own, the excess carried forward", async () => {
    const r = await guize('eval', ...args);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    const row = (p: { license: string; cycle?: string; earned: number | null; carried: number | null; credited: number | null; compliant: boolean }) =>
      `${p.license}@${p.cycle} ${p.earned}+${p.carried}=${p.credited} ${p.compliant}`;
    // Periods end the day before registration_expires: P1001 2025-07-01 → …/2021-06-30, …/2023-06-30, …/2025-06-30;
    // P1002 2024-11-01 → …/2020-10-31, …; P1003 2026-02-01 → …/2022-01-31, …; P1004 has no date.
    // P1001: 60 earned (nothing carried in); 37 + min(60 − 48, 48) = 49; 48 + 0 (37 is short of 48).
    // P1002: 101 formal + min(40, 24) informal = 125; then 10 + min(125 − 48, 48) = 58 (but formal 10 < 24);
    // then nothing. P1003 has no records: 0 in each period. P1004: one result, nothing worked out.
    expect(report.physicians.map(row)).toEqual([
      'P1001@2019-07-01/2021-06-30 60+0=60 true', 'P1001@2021-07-01/2023-06-30 37+12=49 true', 'P1001@2023-07-01/2025-06-30 48+0=48 true',
      'P1002@2018-11-01/2020-10-31 125+0=125 true', 'P1002@2020-11-01/2022-10-31 10+48=58 false', 'P1002@2022-11-01/2024-10-31 0+0=0 false',
      'P1003@2020-02-01/2022-01-31 0+0=0 false', 'P1003@2022-02-01/2024-01-31 0+0=0 false', 'P1003@2024-02-01/2026-01-31 0+0=0 false',
      'P1004@undefined null+null=null false',
    ]);
    // 27 rows: 24 evaluated; S200 (no credits) and S300 (P1004, no registration_expires) rejected;
    // S201 (2018-10-31, the day before P1002's first period) out of scope. Results 3 + 3 + 3 + 1 = 10.
    expect(report.summary).toMatchObject({
      rows_read: 27, evaluated: 24, rejected: 2, out_of_scope: 1, out_of_scope_by_rule: { cycle: 1 },
      rejected_by_rule: { no_credits: 1, registration_expires: 1 }, physicians: 10, compliant: 4, non_compliant: 6,
    });
  });

  it('guize eval --format csv names the cycle of each row, the periods of the other cycles empty', async () => {
    const r = await guize('eval', ...args, '--format', 'csv');
    const lines = r.out.trim().split('\n');
    const head = lines[0]!.split(',');
    expect(head.slice(0, 4)).toEqual(['license', 'cycle', 'registration_expires', 'compliant']);
    const second = lines[2]!.split(',');
    expect(second.slice(0, 4)).toEqual(['P1001', '2021-07-01/2023-06-30', '2025-07-01', 'true']);
    expect(second[head.indexOf('carried')]).toBe('12.00');
    // Periods by place: this cycle's are the third and fourth (2021-07-01/2022-06-30: 20 + 2 + 2 + 1 formal).
    expect(second[head.indexOf('1.formal')]).toBe('');
    expect(second[head.indexOf('3.formal')]).toBe('25.00');
    expect(second[head.indexOf('4.formal')]).toBe('0.00');
    expect(lines.at(-1)!.split(',').slice(0, 4)).toEqual(['P1004', '', '', 'false']);
  });

  it('guize eval --format table names each result by license and period', async () => {
    const r = await guize('eval', ...args, '--format', 'table');
    expect(r.code).toBe(0);
    expect(r.out).toContain('P1002 2020-11-01/2022-10-31');
    expect(r.out).toMatch(/\n {2}P1002 2020-11-01\/2022-10-31 {2}formal_minimum /);
  });
});
