// The engine is generic: a policy of another domain (nurses' development points) runs with no
// code change, and every name in its report comes from the policy file.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../dsl/index.ts';
import { compilePolicy, createCsvReader, evaluate, reportJson } from '../engine/index.ts';

const text = readFileSync(new URL('./cases/policies/nurses-cpd.yaml', import.meta.url), 'utf8');

function read(csv: string) {
  const r = createCsvReader();
  return [...r.push(csv), ...r.end()];
}

describe('a policy of another domain', () => {
  const loaded = loadPolicy('nurses-cpd.yaml', text);

  it('loads with no diagnostics', () => {
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.ok).toBe(true);
  });

  it('evaluates and reports under the names the policy gives', () => {
    if (!loaded.ok) throw new Error('policy did not load');
    const records = read([
      'activity_no,nurse_no,held_on,category,sessions,verified',
      // N1 (senior): 2024: 4 × 2.5 × 1.2 = 12 (class one) + 5 × 2.5 × 1.2 = 15 (class two) = 27 ≥ 25.
      'A1,N1,2024-03-01,class_one,4,true',
      'A2,N1,2024-05-01,class_two,5,true',
      // 2025: 9 × 2.5 × 1.2 = 27 ≥ 25 (class two). Cycle class one 12 ≥ 10.
      'A3,N1,2025-02-01,class_two,9,true',
      // N2 (junior): 2024: 10 × 2.5 = 25 (class two); an unverified class-one row counts for nothing.
      'A4,N2,2024-01-10,class_two,10,true',
      'A5,N2,2024-02-10,class_one,8,false',
      // 2025: nothing; a 2023 row is outside the cycle.
      'A6,N2,2023-12-31,class_one,8,true',
      // A row that does not fit: sessions is not a number.
      'A7,N2,2024-06-01,class_one,many,true',
    ].join('\n'));
    const nurses = read('nurse_no,grade\nN1,senior\nN2,junior\n');
    const r = reportJson(evaluate(compilePolicy(loaded.value), records, nurses)) as Record<string, any>;
    expect(r.policy).toMatchObject({ id: 'example.nurses-cpd', version: '2024.1' });
    const [n1, n2] = r.nurses;
    expect(n1).toMatchObject({ nurse_no: 'N1', compliant: true, points: 54, by_category: { class_one: 12, class_two: 42 } });
    expect(n1.years['2025']).toMatchObject({ points: 27 });
    expect(n2).toMatchObject({ nurse_no: 'N2', compliant: false, points: 25, records: { evaluated: 2, disregarded: 1 } });
    // 2025: 0 < 25 points; cycle: class one 0 < 10.
    expect(n2.violations.map((v: { rule: string; year: number | null }) => `${v.rule}@${v.year ?? 'cycle'}`)).toEqual(['yearly_points@2025', 'class_one@cycle']);
    expect(n2.violations[0].message).toBe('每年学分：2025年实际 0.00分，要求不少于 25.00分 / points a year: 2025 has 0.00 points, requires at least 25.00 points');
    expect(r.rejected).toEqual([
      { activity_no: 'A7', file: 'records', line: 8, reason: "sessions 的值 'many' 不是数字 / sessions: 'many' is not a number", rule: 'sessions', article: null },
    ]);
    expect(r.summary).toMatchObject({ rows_read: 7, evaluated: 5, disregarded: 1, rejected: 1, out_of_scope: 1, nurses: 2, compliant: 1 });
  });
});
