// Totals the language adds (issue 12, parts 2 and 3): n-ary min/max, a unit declared on a
// measure (a count in items), count(distinct field where …), and a sum over the periods of a
// value that reads totals — a cap per period, summed over the cycle.

import { describe, expect, it } from 'vitest';
import { Evaluation } from '../engine/index.ts';
import { codesOf, compileText, languagePolicy, PEOPLE_HEAD, RECORD_HEAD, run } from './support/language.ts';
import { expectPathsAgree } from './support/fuzz.ts';

const extra = `parameters:
  min_sources: { value: 2, unit: item, cite: 第一条 }
  yearly_cap: { value: 4, unit: hour, cite: 第二条 }
  cycle_cap: { value: 10, unit: hour, cite: 第二条 }
  record_cap: { value: 3, unit: hour, cite: 第二条 }
  hour_per_item: { value: 1, unit: hour/item, cite: 第二条 }
`;

const rules = `
@cite("第一条")
measure sources: item "反馈来源 / sources of feedback" = count(distinct source where kind == feedback)

@cite("第一条")
measure feedback: item "反馈 / feedback" = count(where kind == feedback)

@cite("第二条")
measure cpd "继续教育 / CPD" = sum(hours where kind == cpd)

@cite("第二条")
measure capped_per_record "每条封顶 / capped per record" = sum(min(hours, record_cap) where kind == cpd)

@cite("第二条")
measure capped_per_year "每年封顶 / capped per year" = sum(min(cpd, yearly_cap))

@cite("第二条")
measure capped_all "三重封顶 / capped three ways" = min(sum(min(cpd, yearly_cap, capped_per_record)), cycle_cap, max(cpd, 0, feedback * hour_per_item))

@cite("第一条")
require enough_sources "反馈来源 / sources" per cycle: sources >= min_sources
`;

describe('totals', () => {
  const program = compileText(languagePolicy(rules, extra));
  const records = [
    // P1, CPD: 2020: 5 h + 2 h = 7 h; 2021: 3 h; 2022: 6 h. Cycle 16 h.
    'R1,P1,2020-01-10,cpd,5,true,',
    'R2,P1,2020-02-10,cpd,2,true,',
    'R3,P1,2021-03-10,cpd,3,false,',
    'R4,P1,2022-04-10,cpd,6,true,',
    // Feedback: from "ward" twice (2020, 2022), "patient" once, one with no source: 4 items, 2 sources.
    'R5,P1,2020-05-01,feedback,,,ward',
    'R6,P1,2022-05-01,feedback,,,ward',
    'R7,P1,2021-05-01,feedback,,,patient',
    'R8,P1,2021-06-01,feedback,,,',
    // P2: one source only, no CPD.
    'R9,P2,2020-05-01,feedback,,,ward',
  ];
  const people = ['P1,,,', 'P2,,,'];

  it('a count takes the unit declared on its measure, and compares with a parameter in items', () => {
    const r = run(program, records, people);
    const [p1, p2] = r.people;
    // Distinct: P1 has ward and patient (the empty source is not a value) = 2; per year 2020 ward,
    // 2021 patient (and an empty one), 2022 ward: 1 each — ward, met in two years, counts once in the cycle.
    expect(p1.sources).toBe(2);
    expect([p1.years['2020'].sources, p1.years['2021'].sources, p1.years['2022'].sources]).toEqual([1, 1, 1]);
    expect(p1.feedback).toBe(4);
    expect(p2.sources).toBe(1);
    expect(p2.violations).toEqual([expect.objectContaining({
      rule: 'enough_sources', actual: 1, required: 2,
      message: '反馈来源：本周期实际 1.00项，要求不少于 2.00项 / sources: cycle has 1.00 items, requires at least 2.00 items',
    })]);
  });

  it('caps per record, per period then summed, and per cycle, each as a reader expects', () => {
    const p1 = run(program, records, people).people[0];
    expect(p1.cpd).toBe(16);
    // Per record, at 3 h: 3 + 2 + 3 + 3 = 11.
    expect(p1.capped_per_record).toBe(11);
    // Per year, at 4 h: min(7, 4) + min(3, 4) + min(6, 4) = 4 + 3 + 4 = 11 (not min(16, 4) = 4).
    expect(p1.capped_per_year).toBe(11);
    expect(p1.years['2020'].capped_per_year).toBe(4);
    // Per year, the smallest of cpd, 4 h and that year's per-record cap: 2020 min(7, 4, 5) = 4,
    // 2021 min(3, 4, 3) = 3, 2022 min(6, 4, 3) = 3: 10; then the cycle cap 10 and max(16, 0, 4) = 16: 10.
    expect(p1.capped_all).toBe(10);
    // In 2021 alone: min(min(3, 4, 3), 10, max(3, 0, 2)) = 3.
    expect(p1.years['2021'].capped_all).toBe(3);
  });

  it('is compiled, and the report is the same on every path', () => {
    expect(new Evaluation(program).compiled).toBe(true);
    const csv = (rows: string[], head: string) => [head, ...rows].join('\n') + '\n';
    expectPathsAgree(program, csv(records, RECORD_HEAD), csv(people, PEOPLE_HEAD), 5);
  });

  it('n-ary min and max are compiled, and agree with the interpreter', () => {
    const p = compileText(languagePolicy(`@cite("x")\nmeasure m "m / m" = sum(min(hours, 2, 1.5) + max(hours, 4, 3) where kind == cpd)`));
    expect(new Evaluation(p).compiled).toBe(true);
    // R1: min(5, 2, 1.5) + max(5, 4, 3) = 1.5 + 5 = 6.5; R2: 1.5 + 4 = 5.5; total 12.
    const rows = ['R1,P1,2020-01-10,cpd,5,,', 'R2,P1,2020-02-10,cpd,2,,'];
    expect(run(p, rows, []).people[0].m).toBe(12);
    expect(run(p, rows, [], true).people[0].m).toBe(12);
  });

  it('refuses what these forms cannot mean', () => {
    const bad = (r: string) => codesOf(languagePolicy(`@cite("x")\nmeasure cpd "c / c" = sum(hours)\n@cite("x")\n${r}`, extra)).filter((c) => c !== 'unused');
    expect(bad('measure a "a / a" = count(distinct nosuch)')).toEqual(['distinct-not-a-field']);
    expect(bad('measure a "a / a" = sum(distinct source hours)')).toEqual(['distinct-in-sum']);
    expect(bad('measure a "a / a" = count(distinct source by kind)')).toEqual(['distinct-in-sum']);
    expect(bad('measure a "a / a" = sum(min(cpd, yearly_cap) where kind == cpd)')).toEqual(['period-sum-filter']);
    expect(bad('measure a: item "a / a" = sum(hours)')).toEqual(['unit-mismatch']);
    expect(bad('measure a: nosuch "a / a" = count()')).toEqual(['unknown-unit']);
    expect(bad('measure a "a / a" = min(cpd)')).toEqual(['wrong-arity']);
    expect(bad('measure a "a / a" = min(cpd, cpd, min_sources)')).toEqual(['unit-mismatch']);
  });
});
