// Shapes of the language the code generator takes since issue 12 (yes/no requirements, distinct
// counts, …): for each, the generated path is really taken (Evaluation.compiled, and the scopes
// worked out by it: CompiledSubjectResult), and its report is byte for byte the interpreter's, on
// hand-made rows and on rows fast-check makes up (every kind of row, empty fields included).

import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { CompiledSubjectResult } from '../engine/compiled-subject.ts';
import { FastPath } from '../engine/fast-path.ts';
import { loadPolicySet, memoryFiles } from '../dsl/index.ts';
import { compilePolicy, evaluate, Evaluation, type Program } from '../engine/index.ts';
import { compileText, languagePolicy, PEOPLE_HEAD, RECORD_HEAD, run } from './support/language.ts';
import { expectPathsAgree, readCsv, streamed } from './support/fuzz.ts';

const csv = (head: string, rows: readonly string[]) => [head, ...rows].join('\n') + '\n';

const PEOPLE = ['P1', 'P2', 'P3', 'P4'];
const DATES = ['2019-12-31', '2020-01-01', '2020-03-31', '2020-04-01', '2020-07-15', '2020-12-31', '2021-02-28', '2021-06-30',
  '2021-07-01', '2021-11-30', '2022-01-01', '2022-05-05', '2022-12-31', '2023-01-01'];
const KINDS = ['practice', 'cpd', 'feedback', 'reflection'];
const HOURS = ['', '0', '1', '2.5', '3', '7', '0.25', '12'];
const BOOLS = ['', 'true', 'false'];
const SOURCES = ['', 'ward', 'patient', 'peer'];

const pick = (xs: readonly string[]) => fc.constantFrom(...xs);
/** Rows of the records file (without the header), each with a key of its own. */
const recordRows = fc.array(fc.tuple(pick(PEOPLE), pick(DATES), pick(KINDS), pick(HOURS), pick(BOOLS), pick(SOURCES)), { maxLength: 30 })
  .map((rows) => rows.map(([p, d, k, h, b, s], i) => `R${i},${p},${d},${k},${h},${b},${s}`));
/** Rows of the subjects file: some people listed, with or without each fact. */
const peopleRows = fc.subarray(PEOPLE).chain((ids) => fc.tuple(...ids.map((id) => fc.tuple(fc.constant(id), pick(['', '2017-03-01', '2019-06-30', '2020-02-29', '2021-03-31', '2023-01-01']), pick(BOOLS), pick(['', 'own', 'employer'])))))
  .map((rows) => rows.map((r) => r.join(',')));

/**
 * The generated path runs `program`: it is compiled, and the subjects' scopes (those of `ids`,
 * else every subject's) were worked out by the generated code. (A subject with a measure that
 * lacks a value is worked out by the interpreter: the generated scopes report no problems.)
 */
function expectGenerated(program: Program, records: readonly string[], people: readonly string[], ids?: readonly string[]): void {
  const e = new Evaluation(program);
  expect(e.compiled).toBe(true);
  for (const s of readCsv(csv(PEOPLE_HEAD, people))) e.addSubject(s);
  for (const r of readCsv(csv(RECORD_HEAD, records))) e.addRecord(r);
  const subjects = [...e.results().subjects()];
  expect(subjects.length).toBeGreaterThan(0);
  for (const s of subjects) if (!ids || ids.includes(s.id)) expect(s, s.id).toBeInstanceOf(CompiledSubjectResult);
}

/**
 * Both paths give the same report on made-up rows: as data, and as the streamed report writes it
 * (compact, with the generated writers, and indented), byte for byte.
 */
function agreeOnAnyRows(program: Program, numRuns = 60): void {
  fc.assert(fc.property(recordRows, peopleRows, (records, people) => {
    const json = expectPathsAgree(program, csv(RECORD_HEAD, records), csv(PEOPLE_HEAD, people), 64);
    const result = evaluate(program, readCsv(csv(RECORD_HEAD, records)), readCsv(csv(PEOPLE_HEAD, people)));
    expect(streamed(result, false)).toBe(json);
    expect(streamed(result, false, 1 << 16)).toBe(json); // room for the generated scopes writer
    expect(streamed(result, true)).toBe(JSON.stringify(JSON.parse(json), null, 2));
  }), { numRuns });
}

describe('yes/no requirements, generated', () => {
  const rules = `
@cite("第一条")
measure feedback "反馈 / feedback" = count(where kind == feedback)

@cite("第二条")
require declaration "健康声明 / health declaration" per cycle: declared == true

@cite("第三条")
require evidence "反馈与声明 / feedback and declaration" per cycle: feedback >= 1 and declared == true and indemnity is present and indemnity != employer

@cite("第四条")
require yearly "每年 / each year" per period: feedback > 0 or period == cycle_from

@cite("第五条")
require registered "注册 / registered" per cycle: registered_on < 2020-01-01 and declared

@cite("第六条")
require declared_first "声明在先 / declared first" per cycle: declared and registered_on < 2020-01-01
`;
  const program = compileText(languagePolicy(rules));
  const records = ['R1,P1,2020-03-01,feedback,,,', 'R2,P1,2021-03-01,cpd,2,,', 'R3,P2,2022-01-01,feedback,,,'];
  const people = ['P1,2019-06-30,true,own', 'P2,,false,employer'];

  it('names the parts that did not hold, a part needing a missing value among them', () => {
    expectGenerated(program, records, people);
    const r = run(program, records, people);
    const [p1, p2] = r.people;
    // P1: feedback 1 in 2020, none in 2021 (2020 is the cycle's first year), none in 2022;
    // declared, own indemnity, registered 2019-06-30 < 2020-01-01: only 2021 and 2022 fail.
    expect(p1.violations.map((v: { rule: string; year: number | null }) => `${v.rule}@${v.year ?? 'cycle'}`)).toEqual(['yearly@2021', 'yearly@2022']);
    // P2: feedback only in 2022, so 2021 fails `yearly`; over the cycle feedback 1 holds; declared false; indemnity employer; no registered_on, so
    // `registered_on < 2020-01-01` needs a missing value: the whole condition does too — a
    // violation of a missing value, not of unmet parts.
    const [yearly, declaration, evidence, registered] = p2.violations;
    expect(yearly).toMatchObject({ rule: 'yearly', year: 2021, unmet: ['(feedback > 0) or (period == cycle_from)'] });
    expect(declaration).toMatchObject({ rule: 'declaration', actual: false, required: true, unmet: ['declared == true'] });
    expect(evidence.unmet).toEqual(['declared == true', 'indemnity != employer']);
    expect(registered).toMatchObject({ rule: 'registered', actual: null, required: null });
    expect(registered.unmet).toBeUndefined();
    // declared_first: `declared` is false, so the condition is false without reading the date;
    // of its parts, `declared` does not hold and the date one needs a missing value: both unmet.
    expect(p2.violations[4]).toMatchObject({ rule: 'declared_first', actual: false, unmet: ['declared', 'registered_on < 2020-01-01'] });
    expect(p2.violations).toHaveLength(5);
  });

  it('gives the interpreter\'s report on any rows', () => {
    expectPathsAgree(program, csv(RECORD_HEAD, records), csv(PEOPLE_HEAD, people), 7);
    agreeOnAnyRows(program);
  });
});

describe('distinct counts, generated', () => {
  const extra = `parameters:
  min_sources: { value: 2, unit: item, cite: 第一条 }
`;
  const rules = `
@cite("第一条")
measure sources: item "反馈来源 / sources of feedback" = count(distinct source where kind == feedback)

@cite("第一条")
measure kinds: item "种类 / kinds" = count(distinct kind)

@cite("第一条")
measure amounts: item "小时数 / amounts" = count(distinct hours where participatory == true)

@cite("第一条")
require enough_sources "反馈来源 / sources" per cycle: sources >= min_sources
`;
  const program = compileText(languagePolicy(rules, extra));
  const records = [
    'R1,P1,2020-05-01,feedback,,,ward', 'R2,P1,2022-05-01,feedback,,,ward', 'R3,P1,2021-05-01,feedback,,,patient',
    'R4,P1,2021-06-01,feedback,,,', 'R5,P1,2021-06-01,cpd,2.50,true,', 'R6,P1,2022-06-01,cpd,2.5,true,', 'R7,P2,2020-05-01,feedback,,,ward',
  ];

  it('counts each value once per scope, and once in the cycle however many periods met it', () => {
    expectGenerated(program, records, ['P1,,,', 'P2,,,']);
    const [p1, p2] = run(program, records, ['P1,,,', 'P2,,,']).people;
    // P1's sources: ward (2020, 2022), patient (2021); the empty one is no value: 2 in the
    // cycle, 1 in each year. Kinds: feedback and cpd. Hours 2.50 and 2.5 are one number.
    expect([p1.sources, p1.years['2020'].sources, p1.years['2021'].sources, p1.years['2022'].sources]).toEqual([2, 1, 1, 1]);
    expect([p1.kinds, p1.years['2021'].kinds]).toEqual([2, 2]);
    expect([p1.amounts, p1.years['2021'].amounts, p1.years['2022'].amounts]).toEqual([1, 1, 1]);
    expect(p2.violations).toEqual([expect.objectContaining({ rule: 'enough_sources', actual: 1, required: 2 })]);
  });

  it('gives the interpreter\'s report on any rows', () => {
    expectPathsAgree(program, csv(RECORD_HEAD, records), csv(PEOPLE_HEAD, ['P1,,,', 'P2,,,']), 5);
    agreeOnAnyRows(program);
  });
});

describe('sums over the periods, generated', () => {
  const extra = `parameters:
  yearly_cap: { value: 4, unit: hour, cite: 第二条 }
  cycle_cap: { value: 10, unit: hour, cite: 第二条 }
  record_cap: { value: 3, unit: hour, cite: 第二条 }
  floor: { value: 5, unit: hour, cite: 第二条 }
`;
  const rules = `
@cite("第二条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)

@cite("第二条")
measure capped_per_record "每条封顶 / capped per record" = sum(min(hours, record_cap) where kind == cpd)

@cite("第二条")
measure capped_per_year "每年封顶 / capped per year" = sum(min(cpd, yearly_cap))

@cite("第二条")
measure capped_all "三重封顶 / capped three ways" = min(sum(min(cpd, yearly_cap, capped_per_record)), cycle_cap)

@cite("第二条")
measure first_year "首年 / first year" = sum((if period == cycle_from then cpd else 0))

@cite("第二条")
measure declared_cap "声明封顶 / capped by declaration" = sum(min(cpd, (if declared then yearly_cap else record_cap)))

@cite("第二条")
require enough "足够 / enough" per cycle: capped_per_year + first_year >= floor

@cite("第二条")
require each_year "每年 / each year" per period: capped_per_year >= record_cap or declared_cap > 1
`;
  const program = compileText(languagePolicy(rules, extra));
  const records = [
    // P1, CPD: 2020: 5 h + 2 h = 7 h; 2021: 3 h; 2022: 6 h.
    'R1,P1,2020-01-10,cpd,5,true,', 'R2,P1,2020-02-10,cpd,2,true,', 'R3,P1,2021-03-10,cpd,3,false,', 'R4,P1,2022-04-10,cpd,6,true,',
    // P2: 1.5 h in 2021 only.
    'R5,P2,2021-05-01,cpd,1.5,true,',
  ];
  const people = ['P1,,true,', 'P2,,,'];

  it('adds each period\'s value up in the cycle, each period with its own number', () => {
    expectGenerated(program, records, people, ['P1']);
    const [p1, p2] = run(program, records, people).people;
    // Per year at 4 h: min(7, 4) + min(3, 4) + min(6, 4) = 4 + 3 + 4 = 11.
    expect([p1.capped_per_year, p1.years['2020'].capped_per_year, p1.years['2021'].capped_per_year]).toEqual([11, 4, 3]);
    // Per year the least of cpd, 4 and the per-record cap (2020: 3 + 2 = 5; 2021: 3; 2022: 3):
    // 4 + 3 + 3 = 10, then the cycle cap 10.
    expect(p1.capped_all).toBe(10);
    // Only 2020, the cycle's first year, counts: 7; in 2021 itself 0.
    expect([p1.first_year, p1.years['2021'].first_year]).toEqual([7, 0]);
    // P1 declared: capped at 4 a year, 11 as above; P2 has no declaration: a problem, each year and in the cycle.
    expect(p1.declared_cap).toBe(11);
    expect(p2.declared_cap).toBeNull();
    // P2: capped per year 1.5 + first year 0 < 5; each year: 0 (2020), 1.5 (2021), 0 (2022) < 3,
    // and declared_cap needs the missing declaration: three violations of a missing value, then `enough`.
    expect(p2.violations.map((v: { rule: string; year: number | null; actual: number | null }) => `${v.rule}@${v.year ?? 'cycle'}=${v.actual}`))
      .toEqual(['each_year@2020=null', 'each_year@2021=null', 'each_year@2022=null', 'enough@cycle=1.5']);
  });

  it('gives the interpreter\'s report on any rows', () => {
    expectPathsAgree(program, csv(RECORD_HEAD, records), csv(PEOPLE_HEAD, people), 5);
    agreeOnAnyRows(program);
  });
});

describe('half-years, quarters and months of a calendar cycle, generated', () => {
  const extra = `parameters:
  min_each: { value: 2, unit: hour, cite: 第一条 }
`;
  const rules = `
@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)

@cite("第一条")
measure early "前两期 / first two" = sum(hours where kind == cpd and period <= 2)

@cite("第一条")
measure before "周期前 / before the cycle" = count(where period < 1)

@cite("第一条")
measure capped "每期封顶 / capped each period" = sum(min(cpd, min_each))

@cite("第一条")
require each "每期 / each period" per period when period >= 2: cpd >= min_each

@cite("第一条")
require declared_each "每期声明 / declared each period" per period: cpd > 0 or declared
`;
  const YEARS = 'period: { field: date, by: year, name: year, collection: years }\ncycle: { from: 2020, to: 2022 }';
  const shapes = [
    ['half-year', 'period: { field: date, by: half-year, name: half, collection: halves }\ncycle: { from: 2020, to: 2021 }'],
    ['quarter', 'period: { field: date, by: quarter, name: quarter, collection: quarters }\ncycle: { from: 2020, to: 2021 }'],
    ['month', 'period: { field: date, by: month, name: month, collection: months }\ncycle: { from: 2021, to: 2021 }'],
  ] as const;
  const programs = new Map(shapes.map(([by, period]) => [by, compileText(languagePolicy(rules, extra).replace(YEARS, period))]));

  it('quarters: a record before the cycle has period 0 or less, a value like any other', () => {
    const program = programs.get('quarter')!;
    const records = [
      'R1,P1,2019-06-30,cpd,9,,', // ((2019 − 2020) × 12 + 5) ÷ 3 → −3 (floor of −2.33), + 1 = −2: before the cycle
      'R2,P1,2019-12-31,cpd,1,,', // (−12 + 11) ÷ 3 → −1, + 1 = 0
      'R3,P1,2020-02-01,cpd,3,,', // 2020-Q1, period 1
      'R4,P1,2020-05-01,cpd,1,,', // 2020-Q2, period 2
      'R5,P1,2021-12-31,cpd,2,,', // 2021-Q4, period 8
    ];
    expectGenerated(program, records, ['P1,,true,']);
    const p1 = run(program, records, ['P1,,true,']).people[0];
    // The cycle counts every record of P1's (those before it too: nothing excludes them): 16 h.
    expect([p1.cpd, p1.early, p1.before]).toEqual([16, 14, 2]); // early: 9 + 1 + 3 + 1; before: R1 and R2
    expect(p1.quarters['2020-Q1']).toEqual({ cpd: 3, early: 3, before: 0, capped: 2 });
    // capped: min(cpd, 2) per quarter: Q1 2, Q2 1, Q8 2 = 5.
    expect(p1.capped).toBe(5);
    // each (from Q2 on): Q2 has 1, Q3 … Q7 none: 6 violations, named by their quarters.
    expect(p1.violations.map((v: { quarter: string | null }) => v.quarter)).toEqual(['2020-Q2', '2020-Q3', '2020-Q4', '2021-Q1', '2021-Q2', '2021-Q3']);
  });

  it('names a yes/no violation by its period', () => {
    const program = programs.get('half-year')!;
    const records = ['R1,P1,2020-03-01,cpd,3,,'];
    expectGenerated(program, records, ['P1,,false,']);
    const p1 = run(program, records, ['P1,,false,']).people[0];
    // Not declared: 2020-H2, 2021-H1 and 2021-H2 have no CPD; each also fails `each` (from H2 on, < 2 h).
    expect(p1.violations.filter((v: { rule: string }) => v.rule === 'declared_each')).toEqual([
      expect.objectContaining({ half: '2020-H2', actual: false, required: true, unmet: ['(cpd > 0) or declared'] }),
      expect.objectContaining({ half: '2021-H1' }),
      expect.objectContaining({ half: '2021-H2' }),
    ]);
    expect(p1.violations[0].message).toBe('每期：2020年下半年实际 0.00小时，要求不少于 2.00小时 / each period: 2020-H2 has 0.00 hours, requires at least 2.00 hours');
  });

  for (const [by] of shapes) {
    it(`${by}s: the interpreter's report on any rows`, () => {
      agreeOnAnyRows(programs.get(by)!, 40);
    });
  }
});

describe('cycles per subject, generated', () => {
  const extra = `parameters:
  min_each: { value: 2, unit: hour, cite: 第一条 }
  min_sources: { value: 2, unit: item, cite: 第一条 }
`;
  const rules = `
@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)

@cite("第一条")
measure first "第一期 / first period" = sum(hours where kind == cpd and period == 1)

@cite("第一条")
measure capped "每期封顶 / capped each period" = sum(min(cpd, min_each))

@cite("第一条")
measure sources: item "来源 / sources" = count(distinct source where kind == feedback)

@cite("第一条")
require each "每期 / each period" per period: cpd >= min_each

@cite("第一条")
require declared_sources "声明与来源 / declared, and sources" per cycle: declared and sources >= min_sources
`;
  const YEARS = 'period: { field: date, by: year, name: year, collection: years }\ncycle: { from: 2020, to: 2022 }';
  const shapes = [
    ['years from registered_on', 'period: { field: date, by: year, name: year, collection: years }\ncycle: { from: registered_on, length: 2 years }'],
    ['quarters before registered_on', 'period: { field: date, by: quarter, name: quarter, collection: quarters }\ncycle: { before: registered_on, length: 12 months }'],
  ] as const;
  const programs = new Map(shapes.map(([name, period]) => [name, compileText(languagePolicy(rules, extra).replace(YEARS, period))]));

  it("works out each subject's own periods, names and last days", () => {
    const program = programs.get('years from registered_on')!;
    const records = [
      'R1,P1,2020-02-28,cpd,7,,', // P1 from 2020-02-29: the day before, out of scope
      'R2,P1,2020-02-29,cpd,3,,', // year 1 (2020-02-29 – 2021-02-27)
      'R3,P1,2021-02-28,cpd,1,,', // year 2 (2021-02-28 – 2022-02-27)
      'R4,P1,2021-05-01,feedback,,,ward',
      'R5,P1,2021-06-01,feedback,,,peer',
      'R6,P2,2021-01-01,cpd,3,,', // P2, from 2021-03-31: out of scope
      'R7,P2,2021-04-01,cpd,2,,', // P2 year 1
    ];
    const people = ['P1,2020-02-29,true,', 'P2,2021-03-31,false,'];
    expectGenerated(program, records, people);
    const [p1, p2] = run(program, records, people).people;
    // P1: year 1 3 h, year 2 1 h; capped min(3, 2) + min(1, 2) = 3; first 3; sources ward, peer.
    expect(p1.years).toEqual({
      '2020-02-29/2021-02-27': { cpd: 3, first: 3, capped: 2, sources: 0 },
      '2021-02-28/2022-02-27': { cpd: 1, first: 0, capped: 1, sources: 2 },
    });
    expect([p1.cpd, p1.first, p1.capped, p1.sources]).toEqual([4, 3, 3, 2]);
    expect(p1.violations).toEqual([expect.objectContaining({ rule: 'each', year: '2021-02-28/2022-02-27', actual: 1, required: 2 })]);
    // P2: year 1 2 h meets 2; year 2 none; not declared and no sources: both parts unmet.
    expect(p2.violations.map((v: { rule: string; year: string | null }) => [v.rule, v.year])).toEqual([['each', '2022-03-31/2023-03-30'], ['declared_sources', null]]);
    expect(p2.violations[1].unmet).toEqual(['declared', 'sources >= min_sources']);
    expect(run(program, records, people).summary.out_of_scope_by_rule).toEqual({ cycle: 2 });
  });

  it('a subject whose cycle cannot be placed is the interpreter\'s, in the same report', () => {
    const program = programs.get('years from registered_on')!;
    const e = new Evaluation(program);
    for (const s of readCsv(csv(PEOPLE_HEAD, ['P1,2020-02-29,true,', 'P2,,true,']))) e.addSubject(s);
    const [p1, p2] = [...e.results().subjects()];
    expect(p1).toBeInstanceOf(CompiledSubjectResult);
    expect(p2).not.toBeInstanceOf(CompiledSubjectResult);
    expect(p2!.violations.map((v) => [v.rule, v.problem])).toEqual([['declared_sources', 'registered_on']]);
  });

  for (const [name] of shapes) {
    it(`${name}: the interpreter's report on any rows`, () => {
      agreeOnAnyRows(programs.get(name)!, 50);
    });
  }
});

/** A repeating cycle's test policy: carry-over, a cap per year, a distinct count, and cycle checks. */
const CARRY_EXTRA = `parameters:
  required: { value: 4, unit: hour, cite: 第一条 }
  max_carry: { value: 3, unit: hour, cite: 第一条 }
`;
const CARRY_RULES = `
@cite("第一条")
measure earned "所得 / earned" = sum(hours where kind == cpd)

@cite("第一条")
measure capped "每年封顶 / capped per year" = sum(min(earned, required))

@cite("第一条")
measure carried "结转 / carried" = min(max(previous(earned) - required, 0), max_carry)

@cite("第一条")
measure sources: item "来源 / sources" = count(distinct source where kind == feedback)

@cite("第一条")
require enough "足够 / enough" per cycle: earned + carried >= required

@cite("第一条")
require declared_cycle "声明 / declared" per cycle: declared or carried > 0
`;
const YEARLY = `@cite("第一条")
require yearly "每年 / each year" per period: earned >= 1

`;

describe('previous(…) in a repeating calendar cycle, generated', () => {
  const extra = CARRY_EXTRA;
  const rules = CARRY_RULES;
  const YEARS = 'period: { field: date, by: year, name: year, collection: years }\ncycle: { from: 2020, to: 2022 }';
  const program = compileText(languagePolicy(rules, extra).replace(YEARS, 'period: { field: date, by: year, name: year, collection: years }\ncycle: { from: 2019, to: 2022, every: 2 }'));

  it('is compiled, each cycle carrying the one before\'s excess', () => {
    const records = ['R1,P1,2019-05-01,cpd,6,,', 'R2,P1,2021-05-01,cpd,2,,'];
    expectGenerated(program, records, ['P1,,true,']); // every cycle's result, through the generated scopes
    const [first, second] = run(program, records, ['P1,,true,']).people;
    // 2019–2020: 6 h, nothing carried in (no cycle before): met. 2021–2022: 2 h + min(max(6 − 4, 0), 3) = 2 carried: 4, met.
    expect([first.cycle, first.earned, first.carried, first.compliant]).toEqual(['2019-2020', 6, 0, true]);
    expect([second.cycle, second.earned, second.carried, second.compliant]).toEqual(['2021-2022', 2, 2, true]);
    // Each cycle has its own years; capped per year at 4: 2019–2020 min(6, 4) = 4.
    expect(Object.keys(first.years)).toEqual(['2019', '2020']);
    expect([first.capped, second.capped]).toEqual([4, 2]);
    // A distinct count counts its own cycle's records: ward in 2020 and 2022 is 1 in each cycle.
    const withSources = run(program, [...records, 'R3,P1,2020-05-01,feedback,,,ward', 'R4,P1,2022-05-01,feedback,,,ward', 'R5,P1,2022-06-01,feedback,,,peer'], ['P1,,true,']).people;
    expect(withSources.map((c: { sources: number }) => c.sources)).toEqual([1, 2]);
  });

  it('takes the default in the first cycle, as the interpreter does', () => {
    const withDefault = compileText(languagePolicy(rules.replace('previous(earned)', 'previous(earned, 7)'), extra)
      .replace(YEARS, 'period: { field: date, by: year, name: year, collection: years }\ncycle: { from: 2019, to: 2022, every: 2 }'));
    const [first] = run(withDefault, ['R1,P1,2020-05-01,cpd,1,,'], ['P1,,,']).people;
    // The first cycle carries min(max(7 − 4, 0), 3) = 3: 1 + 3 = 4 meets 4; `declared` is empty
    // but `carried > 0` is not needed: declared is read first, missing — the whole condition needs it.
    expect([first.carried, first.violations.map((v: { rule: string; actual: unknown }) => [v.rule, v.actual])]).toEqual([3, [['declared_cycle', null]]]);
    agreeOnAnyRows(withDefault, 20);
  });

  it('gives the interpreter\'s report on any rows', () => {
    agreeOnAnyRows(program, 40);
  });
});

describe('a repeating cycle per subject, generated', () => {
  const extra = CARRY_EXTRA;
  const rules = CARRY_RULES.replace('@cite("第一条")\nrequire enough', `${YEARLY}@cite("第一条")\nrequire enough`);
  if (!rules.includes('require yearly')) throw new Error('the yearly requirement was not added');
  const YEARS = 'period: { field: date, by: year, name: year, collection: years }\ncycle: { from: 2020, to: 2022 }';
  const program = compileText(languagePolicy(rules, extra).replace(YEARS, 'period: { field: date, by: year, name: year, collection: years }\ncycle: { before: registered_on, length: 4 years, every: 2 }'));
  // P1, date 2021-03-31: the window is 2017-03-31 … 2021-03-30, its years starting each 31 March;
  // cycles 2017-03-31/2019-03-30 and 2019-03-31/2021-03-30. P2, date 2023-01-01: 2019 … 2022,
  // cycles 2019-01-01/2020-12-31 and 2021-01-01/2022-12-31. P3 has no date.
  const records = [
    'R1,P1,2017-03-30,cpd,5,,', // the day before P1's window: out of scope
    'R2,P1,2017-03-31,cpd,3,,', // cycle 1, year 1
    'R3,P1,2019-03-30,cpd,4,,', // cycle 1's last day (year 2)
    'R4,P1,2019-03-31,cpd,1,,', // cycle 2's first day (year 3)
    'R5,P1,2020-05-01,feedback,,,ward', // cycle 2, year 4
    'R6,P1,2021-03-31,cpd,9,,', // the date itself: after the window, out of scope
    'R7,P2,2020-06-01,cpd,2,,', // P2's cycle 1, year 2
  ];
  const people = ['P1,2021-03-31,true,', 'P2,2023-01-01,false,', 'P3,,true,'];

  it("works out each subject's own cycles, named and versioned by their days, carrying the one before's excess", () => {
    expectGenerated(program, records, people, ['P1', 'P2']);
    const r = run(program, records, people);
    const [a, b, c, d, p3] = r.people;
    expect(r.people.map((p: { person_id: string; cycle?: string }) => `${p.person_id}@${p.cycle}`)).toEqual([
      'P1@2017-03-31/2019-03-30', 'P1@2019-03-31/2021-03-30', 'P2@2019-01-01/2020-12-31', 'P2@2021-01-01/2022-12-31', 'P3@undefined',
    ]);
    // P1 cycle 1: 3 + 4 = 7 earned, capped min(3, 4) + min(4, 4) = 7, nothing carried in (the first cycle): met.
    expect(a.years).toEqual({
      '2017-03-31/2018-03-30': { earned: 3, capped: 3, carried: 0, sources: 0 },
      '2018-03-31/2019-03-30': { earned: 4, capped: 4, carried: 0, sources: 0 },
    });
    expect([a.earned, a.capped, a.carried, a.sources, a.compliant, a.records.evaluated]).toEqual([7, 7, 0, 0, true, 2]);
    // P1 cycle 2: 1 earned, carried min(max(7 − 4, 0), 3) = 3: 1 + 3 = 4 meets 4; its second year has nothing.
    expect([b.earned, b.capped, b.carried, b.sources, b.compliant, b.records.evaluated]).toEqual([1, 1, 3, 1, false, 2]);
    expect(b.violations.map((v: { rule: string; year: string | null; actual: number }) => [v.rule, v.year, v.actual])).toEqual([['yearly', '2020-03-31/2021-03-30', 0]]);
    // P2 cycle 1: 2 earned, nothing carried: 2 < 4; not declared and nothing carried (a yes/no
    // requirement's actual is false); 2019 has nothing.
    expect(c.violations.map((v: { rule: string; year: string | null; actual: number | boolean }) => [v.rule, v.year, v.actual])).toEqual([
      ['yearly', '2019-01-01/2019-12-31', 0], ['enough', null, 2], ['declared_cycle', null, false],
    ]);
    // P2 cycle 2: carried min(max(2 − 4, 0), 3) = 0: nothing in either year, 0 < 4, not declared.
    expect(d.violations.map((v: { rule: string; year: string | null }) => [v.rule, v.year])).toEqual([
      ['yearly', '2021-01-01/2021-12-31'], ['yearly', '2022-01-01/2022-12-31'], ['enough', null], ['declared_cycle', null],
    ]);
    expect([d.carried, p3.compliant]).toEqual([0, false]);
    // 7 rows: 5 evaluated, R1 and R6 out of scope.
    expect(r.summary).toMatchObject({ rows_read: 7, evaluated: 5, out_of_scope: 2 });
  });

  it('gives the interpreter\'s report on any rows', () => {
    agreeOnAnyRows(program, 50);
  });
});

describe('requirements over windows, generated (a subject failing a window interpreted)', () => {
  const extra = `parameters:
  min_two: { value: 4, unit: hour, cite: 第一条 }
  min_sources: { value: 2, unit: item, cite: 第一条 }
`;
  const rules = `
@cite("第一条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)

@cite("第一条")
measure sources: item "来源 / sources" = count(distinct source where kind == feedback)

@cite("第一条")
measure capped "每年封顶 / capped per year" = sum(min(cpd, min_two))

@cite("第一条")
require pairs "任意连续两年 / any 2 years" per 2 periods: cpd >= min_two

@cite("第一条")
require varied "来源 / varied" per 2 periods: sources >= min_sources

@cite("第一条")
require yearly "每年 / each year" per period: cpd > 0 or period == cycle_from
`;
  // The language policy's cycle is 2020–2022: windows 2020/2021 and 2021/2022.
  const program = compileText(languagePolicy(rules, extra));
  const YEARS = 'period: { field: date, by: year, name: year, collection: years }\ncycle: { from: 2020, to: 2022 }';
  const perSubject = compileText(languagePolicy(rules, extra).replace(YEARS, 'period: { field: date, by: year, name: year, collection: years }\ncycle: { before: registered_on, length: 4 years, every: 2 }'));
  const records = [
    'R1,P1,2020-05-01,cpd,3,,', 'R2,P1,2021-05-01,cpd,1,,', 'R3,P1,2022-05-01,cpd,5,,',
    'R4,P1,2020-06-01,feedback,,,ward', 'R5,P1,2021-06-01,feedback,,,ward', 'R6,P1,2022-06-01,feedback,,,peer',
    'R7,P2,2021-05-01,cpd,2,,',
    // P3 meets every window: 4 h a year; ward, peer, ward.
    'S1,P3,2020-05-01,cpd,4,,', 'S2,P3,2021-05-01,cpd,4,,', 'S3,P3,2022-05-01,cpd,4,,',
    'S4,P3,2020-06-01,feedback,,,ward', 'S5,P3,2021-06-01,feedback,,,peer', 'S6,P3,2022-06-01,feedback,,,ward',
  ];
  const people = ['P1,,true,', 'P2,,true,', 'P3,,true,'];

  it('is compiled: every record through the generated code; a subject meeting every window through the generated scopes', () => {
    expect(new Evaluation(program).compiled).toBe(true);
    const record = vi.spyOn(FastPath.prototype, 'record');
    const windows = vi.spyOn(FastPath.prototype, 'windows');
    try {
      const e = new Evaluation(program);
      for (const s of readCsv(csv(PEOPLE_HEAD, people))) e.addSubject(s);
      for (const r of readCsv(csv(RECORD_HEAD, records))) e.addRecord(r);
      const subjects = [...e.results().subjects()];
      // The 13 records each through the generated record function.
      expect(record).toHaveBeenCalledTimes(13);
      // Each subject's windows tried by the generated code; P1 and P2 fail one (the interpreter
      // names the window in the report), P3 meets them all and stays compiled.
      expect(windows).toHaveBeenCalledTimes(3);
      expect(subjects.map((s) => `${s.id} ${s instanceof CompiledSubjectResult}`)).toEqual(['P1 false', 'P2 false', 'P3 true']);
      expect(subjects[2]!.violations).toEqual([]);
    } finally {
      record.mockRestore();
      windows.mockRestore();
    }
  });

  it('gives the windows their periods\' totals together', () => {
    const [p1, p2, p3] = run(program, records, people).people;
    expect([p3.cpd, p3.sources, p3.compliant]).toEqual([12, 2, true]);
    // P1: 2020/2021 3 + 1 = 4 meets 4, its sources ward (once) = 1 < 2; 2021/2022 1 + 5 = 6, ward and peer: met.
    expect(p1.violations.map((v: { rule: string; window?: string; actual: number }) => [v.rule, v.window, v.actual])).toEqual([['varied', '2020/2021', 1]]);
    // Capped each year at 4: 3 + 1 + 4 = 8; over the cycle cpd 9 and 2 sources.
    expect([p1.cpd, p1.sources, p1.capped]).toEqual([9, 2, 8]);
    // P2: 2 h in 2021, no sources: both windows fail both; 2022 has nothing (2020 is cycle_from; a
    // yes/no requirement's actual is false).
    expect(p2.violations.map((v: { rule: string; window?: string; year: number | null; actual: number | boolean }) => [v.rule, v.window ?? v.year, v.actual])).toEqual([
      ['yearly', 2022, false], ['pairs', '2020/2021', 2], ['varied', '2020/2021', 0], ['pairs', '2021/2022', 2], ['varied', '2021/2022', 0],
    ]);
  });

  it('checks each window under the version of its last period', () => {
    // Version 2, from 2022-01-01, lowers min_two to 3: window 2020/2021 is version 1's (4), 2021/2022 version 2's (3).
    const files = memoryFiles({
      'p/policy.yaml': languagePolicy(rules, extra),
      'p/versions/2.yaml': 'revises: "1"\nversion: "2"\neffective: 2022-01-01\ndocument: 测试〔2022〕1号\nchange: 3 / 3\nparameters:\n  min_two: { value: 3, cite: 第一条 }\n',
    });
    const loaded = loadPolicySet(files, 'p', {}).result;
    if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
    const versioned = compilePolicy(loaded.value.checked);
    // P1: 2 + 1 = 3 h in 2020/2021 (< 4), 1 + 3 = 4 in 2021/2022 (≥ 3); sources ward, peer / peer, ward.
    const rows = ['V1,P1,2020-05-01,cpd,2,,', 'V2,P1,2021-05-01,cpd,1,,', 'V3,P1,2022-05-01,cpd,3,,',
      'V4,P1,2020-06-01,feedback,,,ward', 'V5,P1,2021-06-01,feedback,,,peer', 'V6,P1,2022-06-01,feedback,,,ward'];
    const r = JSON.parse(expectPathsAgree(versioned, csv(RECORD_HEAD, rows), csv(PEOPLE_HEAD, ['P1,,true,'])));
    expect(r.people[0].violations.map((v: { rule: string; window: string; actual: number; required: number }) => [v.rule, v.window, v.actual, v.required])).toEqual([['pairs', '2020/2021', 3, 4]]);
  });

  it('gives the interpreter\'s report on any rows (a calendar cycle, and a repeating cycle per subject)', () => {
    agreeOnAnyRows(program, 40);
    expect(new Evaluation(perSubject).compiled).toBe(true);
    agreeOnAnyRows(perSubject, 40);
  });
});
