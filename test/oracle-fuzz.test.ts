// Differential fuzzing against the Lincang oracle: bench/baseline/ is a hand-written program of
// the Lincang rules with its own CSV reader (bytes, RFC 4180), its own exact arithmetic (scaled
// bigint/integer cents, no Decimal) and its own JSON writer; it imports nothing from dsl/ or
// engine/ (the first test checks that). On random records it must write the report the engine
// writes running policies/lincang/policy.yaml, byte for byte — so every measure per year and for
// the cycle, every violation's actual and required values and message, every rejected row's
// line and reason, and the summary's counts agree, not just compliance.
//
// At least 100 000 random records by default, from a fixed seed printed at the start; replay or
// vary with GUIZE_ORACLE_SEED=<n>, and run longer with `npm run fuzz` (GUIZE_ORACLE_RECORDS).

import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runBaseline } from '../bench/baseline/baseline.ts';
import { generateSample } from './support/lincang-sample.ts';
import { bytes, engineReport, firstDifference, messyRecords, MESSY_TEACHERS, requote } from './support/baseline-inputs.ts';
import { lincang } from './support/lincang.ts';
import { FAST_CHECK_SEED } from './support/seed.ts';

const SEED = Number(process.env.GUIZE_ORACLE_SEED ?? FAST_CHECK_SEED);
const RECORDS = Number(process.env.GUIZE_ORACLE_RECORDS ?? 100_000);
const decoder = new TextDecoder();
const program = lincang();

describe('the Lincang oracle shares no code with the engine', () => {
  it('bench/baseline/ imports only its own files and Node', () => {
    const dir = new URL('../bench/baseline/', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const from = [...text.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
      for (const f of from) expect(f, `${file} imports ${f}`).toMatch(/^(?:\.\/[a-z-]+\.ts|node:[a-z/]+)$/);
    }
  });
});

/** One random input: generated teachers' records (realistic, many compliant) or messy rows, maybe requoted. */
const input = fc.record({
  kind: fc.constantFrom('sample', 'messy', 'messy-dense'),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  size: fc.integer({ min: 2000, max: 8000 }),
  quoting: fc.constantFrom('plain', 'requoted', 'damaged'),
});

function make(i: { kind: string; seed: number; size: number; quoting: string }): { records: string; teachers: string } {
  let records: string;
  let teachers: string;
  if (i.kind === 'sample') {
    // About 40 records a teacher.
    const s = generateSample({ teachers: Math.max(1, Math.round(i.size / 40)), seed: i.seed, messy: i.seed % 2 === 0 });
    records = s.records;
    teachers = s.teachers;
  } else {
    // messy-dense: valid kinds, in the system and ok, so sums reach the floors.
    const dense = (row: Record<string, string>): void => {
      row['in_system'] = 'true';
      row['status'] = 'ok';
      if (row['level'] === '' || row['level'] === 'provincial') row['level'] = 'county';
    };
    records = messyRecords(i.seed, i.size, i.kind === 'messy-dense' ? dense : undefined);
    teachers = MESSY_TEACHERS;
  }
  if (i.quoting !== 'plain') records = requote(records, i.seed, i.quoting === 'damaged');
  return { records, teachers };
}

describe(`baseline and engine agree on random records (seed ${SEED}, at least ${RECORDS} records)`, () => {
  it('byte for byte, every measure, violation and rejection', () => {
    console.log(`oracle fuzz: seed ${SEED}, ${RECORDS} records (GUIZE_ORACLE_SEED, GUIZE_ORACLE_RECORDS)`);
    let total = 0;
    let runs = 0;
    let compliant = 0;
    let rejected = 0;
    // Runs until enough records were compared; each run's input comes from the seeded stream.
    const samples = fc.sample(input, { seed: SEED, numRuns: Math.ceil(RECORDS / 1000) });
    for (const i of samples) {
      if (total >= RECORDS) break;
      const { records, teachers } = make(i);
      const rb = bytes(records);
      const tb = bytes(teachers);
      const engine = engineReport(program, rb, tb);
      const diff = firstDifference(engine, decoder.decode(runBaseline(rb, tb).output));
      if (diff !== undefined) expect.fail(`seed ${SEED}, input ${runs} (${JSON.stringify(i)}): ${diff}`);
      const report = JSON.parse(engine) as { teachers: { compliant: boolean }[]; summary: { rows_read: number; rejected: number } };
      total += report.summary.rows_read;
      rejected += report.summary.rejected;
      compliant += report.teachers.filter((t) => t.compliant).length;
      runs++;
    }
    expect(total).toBeGreaterThanOrEqual(RECORDS);
    // Not vacuous: both outcomes and rejections occurred.
    expect(compliant).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
    console.log(`oracle fuzz: ${runs} inputs, ${total} records, ${rejected} rejected, ${compliant} compliant teachers: same reports`);
  }, Math.max(600_000, RECORDS * 6));
});
