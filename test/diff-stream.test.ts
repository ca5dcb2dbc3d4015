// `guize diff --format json` writes the changed subjects straight to bytes as the merge finds
// them (engine/diff/changed-writer.ts); the HTML report, the table and the editor read the
// document as objects. The two paths must give the same document byte for byte: the command's
// output is held here to JSON.stringify of the object document, worked out in-process from the
// same files — on the sample (every subject changes under 2019.1), on a fork (subjects on one
// side only, violations with their origin), and on numbers beyond the fast paths.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { loadPolicyAt } from '../cli/load-policy.ts';
import { CsvScanner, JsonWriter } from '../engine/index.ts';
import { Diff, diffSide, type DiffJson } from '../engine/diff/index.ts';
import { csv, type Rec } from './support/lincang.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CITY = path.join(ROOT, 'policies', 'lincang');
const COUNTY = path.join(ROOT, 'policies', 'lincang-county');
const SAMPLE_RECORDS = path.join(CITY, 'sample', 'records.csv');
const SAMPLE_TEACHERS = path.join(CITY, 'sample', 'teachers.csv');
const quiet = { out() {}, err() {} };

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guize-diff-stream-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The policy argument as the command takes it, and as loadPolicyAt does. */
type Side = readonly [string, string | undefined];
const arg = ([p, v]: Side) => (v === undefined ? p : `${p}@${v}`);

/** The object document, in-process, from the files (through the byte scanner, as the command reads them). */
function objectDocument(base: Side, head: Side, records: string, teachers: string | undefined): DiffJson {
  const pb = loadPolicyAt(base[0], base[1] === undefined ? {} : { version: base[1] }, quiet)!;
  const ph = loadPolicyAt(head[0], head[1] === undefined ? {} : { version: head[1] }, quiet)!;
  const diff = new Diff(pb.program, ph.program);
  const files: [string, ReturnType<Diff['recordSink']>][] = [];
  if (teachers) files.push([teachers, diff.subjectSink(() => {}, () => {})]);
  files.push([records, diff.recordSink(() => {}, () => {})]);
  for (const [file, sink] of files) {
    const scanner = new CsvScanner(sink);
    scanner.push(fs.readFileSync(file));
    scanner.end();
  }
  return diff.finish(diffSide(pb.program, base[1], arg(base)), diffSide(ph.program, head[1], arg(head)));
}

/** What `guize diff --format json` writes to a file. */
async function command(base: Side, head: Side, records: string, teachers: string | undefined, ...more: string[]): Promise<string> {
  const out = path.join(dir, `out-${Math.random().toString(36).slice(2)}.json`);
  let err = '';
  const code = await main(['diff', '--format', 'json', '--base', arg(base), '--head', arg(head), '--records', records,
    ...(teachers ? ['--teachers', teachers] : []), '--out', out, ...more], { out() {}, err: (t) => void (err += t) });
  expect(err).toBe('');
  expect(code).toBe(0);
  return fs.readFileSync(out, 'utf8');
}

async function expectSameBytes(base: Side, head: Side, records: string, teachers: string | undefined): Promise<DiffJson> {
  const doc = objectDocument(base, head, records, teachers);
  expect(await command(base, head, records, teachers)).toBe(`${JSON.stringify(doc)}\n`);
  expect(await command(base, head, records, teachers, '--pretty')).toBe(`${JSON.stringify(doc, null, 2)}\n`);
  return doc;
}

describe('the streamed JSON is JSON.stringify of the object document', () => {
  it('on the sample, 2017.1 against 2019.1: every subject changed, with violations and groups', async () => {
    const doc = await expectSameBytes([CITY, '2017.1'], [CITY, '2019.1'], SAMPLE_RECORDS, SAMPLE_TEACHERS);
    // As test/diff.test.ts works out from two eval reports: 40 teachers, 2 become non-compliant.
    expect(doc.changed.length).toBe(40);
    expect(doc.summary.became_non_compliant).toBe(2);
    expect(doc.changed.some((c) => c.head.violations.length > 0)).toBe(true);
  });

  it('on the sample, the city against its county fork: subjects on one side only, violations with origin and source', async () => {
    const doc = await expectSameBytes([CITY, undefined], [COUNTY, undefined], SAMPLE_RECORDS, SAMPLE_TEACHERS);
    expect(doc.summary.only_base).toBeGreaterThan(0);
    expect(doc.changed.some((c) => c.head.violations.some((v) => v.origin !== undefined))).toBe(true);
  });

  it('without a subjects file, and with nothing changed', async () => {
    await expectSameBytes([CITY, '2017.1'], [CITY, '2019.1'], SAMPLE_RECORDS, undefined);
    const doc = await expectSameBytes([CITY, '2017.1'], [CITY, '2017.1'], SAMPLE_RECORDS, SAMPLE_TEACHERS);
    expect(doc.changed).toEqual([]);
  });

  it('on numbers beyond the fast paths: a total past 2^53, credits too large to print from cents, long fractions', async () => {
    const ok = { kind: 'training', in_system: true, status: 'ok', level: 'county', format: 'short_term', module: 'ethics', elective: true, rate: 1.5, score: 85 } as const;
    const rows: Rec[] = [
      // 999999999999999 days = 5999999999999994 h; × 1.5 × 1.2 (良) = 10799999999999989.2 credits: past
      // a safe mantissa, so the row and its teacher are worked out by the interpreter, in exact decimals.
      { ...ok, record_id: 'R1', teacher_id: 'A1', date: '2016-05-10', days: '999999999999999' },
      // 10^12 days = 6 × 10^12 h × 1.8 = 1.08 × 10^13 credits under 2017.1, × 1.83 = 1.098 × 10^13 under
      // 2019.1 (良 × 1.22): 10^15 cents and more, past what is printed from a scaled integer.
      { ...ok, record_id: 'R2', teacher_id: 'A2', date: '2016-05-10', days: '1000000000000' },
      // A long fraction: 0.123456789 days.
      { ...ok, record_id: 'R3', teacher_id: 'A3', date: '2017-03-01', days: '0.123456789' },
      { ...ok, record_id: 'R4', teacher_id: 'A3', date: '2018-03-01', days: '40', score: 95 },
    ];
    const records = path.join(dir, 'big.csv');
    fs.writeFileSync(records, csv(rows));
    const teachers = path.join(dir, 'big-teachers.csv');
    fs.writeFileSync(teachers, 'teacher_id,school_id,county_id,hired_on\nA1,S1,C1,\nA2,S1,C1,\nA3,"S""2",C2,2016-09-01\n');
    const doc = await expectSameBytes([CITY, '2017.1'], [CITY, '2019.1'], records, teachers);
    const a2 = doc.changed.find((c) => c.teacher_id === 'A2')!;
    // 6 × 10^12 h × 1.5 × 0.02 = 1.8 × 10^11 more on head.
    expect(a2.measures.credits).toEqual({ base: 10800000000000, head: 10980000000000, delta: 180000000000 });
    const a1 = doc.changed.find((c) => c.teacher_id === 'A1')!;
    // 5999999999999994 h × 1.5 × 0.02 = 179999999999999.82 more credits on head.
    expect(a1.measures.credits!.delta).toBe(179999999999999.82);
    expect(doc.changed.find((c) => c.teacher_id === 'A3')!.groups).toEqual({ school_id: 'S"2', county_id: 'C2' });
  });

  it('writes the same bytes through a small buffer as through a large one', () => {
    const pb = loadPolicyAt(CITY, { version: '2017.1' }, quiet)!.program;
    const ph = loadPolicyAt(CITY, { version: '2019.1' }, quiet)!.program;
    const bytes = (size: number) => {
      const diff = new Diff(pb, ph);
      for (const [file, sink] of [[SAMPLE_TEACHERS, diff.subjectSink(() => {}, () => {})], [SAMPLE_RECORDS, diff.recordSink(() => {}, () => {})]] as const) {
        const scanner = new CsvScanner(sink);
        scanner.push(fs.readFileSync(file));
        scanner.end();
      }
      const parts: Buffer[] = [];
      const w = new JsonWriter((c) => parts.push(Buffer.from(c)), false, size);
      diff.writeJson(diffSide(pb, '2017.1', 'b'), diffSide(ph, '2019.1', 'h'), w);
      w.flush();
      return Buffer.concat(parts).toString('utf8');
    };
    expect(bytes(256)).toBe(bytes(1 << 20));
  });
});
