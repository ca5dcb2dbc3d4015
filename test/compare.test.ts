// The benchmark's comparison programs (bench/compare/: naive split(',') + floats, and the
// per-record rules in json-logic-js) must do the same job as guize, or their times mean nothing:
// on well-formed data they reach the same verdict for every teacher, with totals equal to the
// cent (give or take one cent of float rounding for display).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run as jsonlogic } from '../bench/compare/jsonlogic.ts';
import { run as naive } from '../bench/compare/naive.ts';
import { cli } from '../bench/compare/read.ts';
import type { Report } from '../bench/compare/totals.ts';
import { createCsvReader, evaluate, reportJson } from '../engine/index.ts';
import { lincang, type ReportJson } from './support/lincang.ts';
import { generateSample } from './support/lincang-sample.ts';

const program = lincang();

function read(text: string) {
  const r = createCsvReader();
  return [...r.push(text), ...r.end()];
}

/** guize's report of the same files. */
function guize(records: string, teachers: string): ReportJson {
  return reportJson(evaluate(program, read(records), read(teachers))) as unknown as ReportJson;
}

const sampleDir = new URL('../policies/lincang/sample/', import.meta.url);
const committed = {
  records: readFileSync(new URL('records.csv', sampleDir), 'utf8'),
  teachers: readFileSync(new URL('teachers.csv', sampleDir), 'utf8'),
};
const clean = generateSample({ teachers: 200, seed: 3, messy: false });

const PROGRAMS = [['naive', naive], ['jsonlogic', jsonlogic]] as const;

/** Asserts that a comparison program's report reaches guize's verdicts, with guize's totals. */
function expectAgreement(r: Report, g: ReportJson): void {
  for (const k of ['rows_read', 'evaluated', 'disregarded', 'rejected', 'out_of_scope'] as const) expect(r.summary[k], k).toBe(g.summary[k]);
  expect(r.summary.rejected_by_rule).toEqual(g.summary.rejected_by_rule);
  expect({ teachers: r.summary.teachers, compliant: r.summary.compliant, non_compliant: r.summary.non_compliant })
    .toEqual({ teachers: g.summary.teachers, compliant: g.summary.compliant, non_compliant: g.summary.non_compliant });
  expect(r.teachers.map((t) => [t.teacher_id, t.compliant])).toEqual(g.teachers.map((t) => [t.teacher_id, t.compliant]));
  const violations = (vs: readonly { rule: string; key?: string; year: number | null }[]) => vs.map((v) => `${v.rule}${v.key ? `[${v.key}]` : ''}@${v.year ?? 'cycle'}`).sort();
  g.teachers.forEach((gt, i) => {
    const t = r.teachers[i]!;
    expect(violations(t.violations), t.teacher_id).toEqual(violations(gt.violations));
    // Float sums rounded for display can end a cent away from exact half-up rounding (x.xx5).
    for (const k of ['credits', 'hours', 'county_hours', 'school_hours', 'elective_credits', 'induction_hours', 'induction_practical'] as const) {
      expect(Math.abs(t[k] - gt[k]), `${t.teacher_id} ${k}`).toBeLessThanOrEqual(0.0100001);
    }
  });
}

describe.each(PROGRAMS)('%s', (_name, run) => {
  it('agrees with guize on the committed sample (its invalid rows are ones split(",") reads right)', () => {
    expectAgreement(run(committed.records, committed.teachers), guize(committed.records, committed.teachers));
  });

  it('agrees with guize on 200 generated teachers of clean data, edge years included', () => {
    const g = guize(clean.records, clean.teachers);
    const r = run(clean.records, clean.teachers);
    expectAgreement(r, g);
    expect(r.summary.compliant).toBe(100);
  });

  it('runs and counts every row of messy generated data', () => {
    // Today they reach guize's verdicts here too (the generator's invalid rows need no quoting);
    // only the counts are asserted, as messy data is where a naive reader may part from guize.
    const s = generateSample({ teachers: 60, seed: 11, messy: true });
    const r = run(s.records, s.teachers);
    expect(r.summary.rows_read).toBe(guize(s.records, s.teachers).summary.rows_read);
    expect(r.summary.rejected).toBeGreaterThan(0);
    expect(r.summary.evaluated + r.summary.rejected + r.summary.out_of_scope).toBe(r.summary.rows_read);
    expect(r.rejected.filter((x) => x.file === 'records')).toHaveLength(r.summary.rejected);
  });

  it('reads some valid CSV otherwise than guize: quotes, and what Number() accepts', () => {
    const lines = clean.records.trimEnd().split('\n');
    const edit = (k: number, col: number, text: string): string => {
      const cells = lines[k]!.split(',');
      cells[col] = text;
      return cells.join(',');
    };
    const header = lines[0]!;
    const rows = [
      edit(1, 6, '"ethics"'), // quoted per RFC 4180: the quotes stay part of the value, not a module
      edit(2, 0, '"R,1"'), // a comma inside quotes splits the cell, shifting every later column
      edit(3, 9, '0x10'), // Number('0x10') is 16; guize refuses a hex "number"
    ];
    const text = `${[header, ...rows].join('\n')}\n`;
    const g = guize(text, '');
    const r = run(text, '');
    expect(g.summary.rejected_by_rule).toEqual({ hours: 1 });
    expect(r.summary.rejected_by_rule).toEqual({ module: 1, date: 1 });
    // A UTF-8 BOM is no trouble, by luck: String.prototype.trim counts U+FEFF as white space.
    const bom = run(`\uFEFF${clean.records}`, clean.teachers);
    expect(bom.summary.rejected).toBe(0);
    expect(bom.summary.compliant).toBe(guize(clean.records, clean.teachers).summary.compliant);
  });
});

describe('command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guize-compare-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the report to --out', () => {
    const out = join(dir, 'naive.json');
    const sample = (f: string) => new URL(f, sampleDir).pathname;
    cli('naive', naive, ['--records', sample('records.csv'), '--teachers', sample('teachers.csv'), '--out', out]);
    const r = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(r.summary.teachers).toBe(40);
    expect(r.summary.compliant).toBe(guize(committed.records, committed.teachers).summary.compliant);
  });
});
