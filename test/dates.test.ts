// A policy that reads dates end to end (test/cases/policies/dated-scheme.yaml): a date parameter
// compared with a record's date, a date column, date literals, days_between / add_months /
// month / day and rounding with places — worked out by hand below, and the same whichever path
// (generated code or interpreter) evaluates it.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../dsl/index.ts';
import { compilePolicy, Evaluation, type Program } from '../engine/index.ts';
import { expectPathsAgree } from './support/fuzz.ts';

const text = readFileSync(new URL('./cases/policies/dated-scheme.yaml', import.meta.url), 'utf8');

function program(edit: (t: string) => string = (t) => t): Program {
  const loaded = loadPolicy('dated-scheme.yaml', edit(text));
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  expect(loaded.diagnostics.map((d) => d.code)).toEqual([]);
  return compilePolicy(loaded.value);
}

const HEADER = 'entry_no,staff_no,held_on,grade,hours,months_to_report';
const rows = [
  // Before scheme_start (2019-03-01): out of scope.
  'E1,S1,2019-02-28,junior,10,',
  // Day 0 of the scheme, in March: junior rated since 2019-01-01: round(7 × 0.35, 1) = round(2.45, 1) = 2.5;
  // early bonus ceil(7 × 0.05, 1) = ceil(0.35, 1) = 0.4.
  'E2,S1,2019-03-01,junior,7,',
  // Day 31 (2019-04-01 − 2019-03-01 = 31 days): no bonus; round(3 × 0.35, 1) = round(1.05, 1) = 1.1.
  'E3,S1,2019-04-01,junior,3,',
  // Senior before 2019-07-01: not rated, floor(9 × 0.2, 0) = floor(1.8, 0) = 1.
  'E4,S2,2019-06-30,senior,9,',
  // Senior rated from 2019-07-01: round(11 × 0.45, 1) = round(4.95, 1) = 5.0; second half of 2019.
  'E5,S2,2019-07-01,senior,11,',
  // add_months(2019-08-31, 22) = 2021-06-30 (clamped from the 31st): not after report_by, counted:
  // round(20 × 0.45, 1) = 9.0.
  'E6,S2,2019-08-31,senior,20,22',
  // add_months(2019-08-31, 23) = 2021-07-31 > 2021-06-30: rejected.
  'E7,S2,2019-08-31,senior,20,23',
  // add_months(2020-01-31, 1e12): past 9999-12-31, so the record is rejected naming the call.
  'E8,S1,2020-01-31,junior,1,1000000000000',
];

describe('a policy that reads dates', () => {
  it('is compiled to code (so the paths compared below are two)', () => {
    expect(new Evaluation(program()).compiled).toBe(true);
  });

  it('gives the values worked out by hand, on both paths', () => {
    const out = JSON.parse(expectPathsAgree(program(), `${HEADER}\n${rows.join('\n')}\n`, undefined, 17)) as {
      summary: { rows_read: number; evaluated: number; rejected: number; out_of_scope: number };
      rejected: { line: number; rule: string; reason: string }[];
      staff: { staff_no: string; points: number; late_in_year: number; years: Record<string, { points: number }> }[];
    };
    expect(out.summary).toMatchObject({ rows_read: 8, evaluated: 5, rejected: 2, out_of_scope: 1 });
    const s1 = out.staff.find((s) => s.staff_no === 'S1')!;
    const s2 = out.staff.find((s) => s.staff_no === 'S2')!;
    // S1: 2.5 + 0.4 + 1.1 = 4.0 in 2019.
    expect(s1.points).toBe(4);
    expect(s1.years['2019']!.points).toBe(4);
    // S2: 1 + 5.0 + 9.0 = 15 in 2019; E5 and E6 are in the second half.
    expect(s2.points).toBe(15);
    expect(s2.late_in_year).toBe(2);
    expect(out.rejected.map((r) => [r.line, r.rule])).toEqual([[8, 'late_report'], [9, 'late_report']]);
    expect(out.rejected[1]!.reason).toBe(
      'add_months(held_on, months_to_report) 超出 0000-01-01–9999-12-31（late_report）/ add_months(held_on, months_to_report) falls outside 0000-01-01–9999-12-31, in late_report',
    );
  });

  it('reads a quoted and an unquoted date parameter alike', () => {
    const p = program((t) => t.replace('value: 2019-03-01, type: date', 'value: "2019-03-01", type: date'));
    expect(p.policy.parameters.find((x) => x.id === 'scheme_start')).toMatchObject({ type: 'date', value: '2019-03-01' });
  });
});
