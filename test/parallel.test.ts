// `guize eval --threads N`: a records file read in parts on several threads gives the report one
// thread gives, byte for byte — also when the parts cannot be added up and one thread reads on.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyAt } from '../cli/load-policy.ts';
import { main } from '../cli/main.ts';
import { startParts } from '../cli/parallel.ts';
import { generateSample } from './support/lincang-sample.ts';
import { RECORD_COLUMNS } from './support/lincang.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const POLICY = path.join(ROOT, 'policies', 'lincang');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guize-parallel-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Runs `guize eval` in-process; stderr includes how the parts went (GUIZE_DEBUG). */
async function run(records: string, teachers: string | undefined, threads: number): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const previous = process.env.GUIZE_DEBUG;
  process.env.GUIZE_DEBUG = '1';
  try {
    const args = ['eval', '--policy', POLICY, '--records', records, ...(teachers ? ['--teachers', teachers] : []), '--threads', String(threads)];
    const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
    return { code, out, err: err.split('\n').filter((l) => !l.startsWith('guize: results written')).join('\n') };
  } finally {
    if (previous === undefined) delete process.env.GUIZE_DEBUG;
    else process.env.GUIZE_DEBUG = previous;
  }
}

/** The report on `threads` threads equals the one-thread report; returns what stderr said. */
async function expectSameAsOneThread(records: string, teachers: string | undefined, threads: number): Promise<string> {
  const one = await run(records, teachers, 1);
  const many = await run(records, teachers, threads);
  expect(many.code).toBe(one.code);
  expect(many.out).toBe(one.out);
  expect(many.err.replace(/guize: .*\n?/g, '')).toBe(one.err.replace(/guize: .*\n?/g, ''));
  return many.err;
}

describe('guize eval --threads', () => {
  const sample = generateSample({ teachers: 300, seed: 11, messy: true });

  it('reads a file in 2, 3 and 4 parts and adds them up to the one-thread report', async () => {
    const records = write('sample.csv', sample.records);
    const teachers = write('teachers.csv', sample.teachers);
    for (const threads of [2, 3, 4]) {
      const err = await expectSameAsOneThread(records, teachers, threads);
      expect(err).toContain(`read in ${threads} parts`);
      expect(err).not.toContain('then on one thread');
    }
  });

  it('reads on, on one thread, when a cut falls inside a quoted field that spans lines', async () => {
    const lines = sample.records.trimEnd().split('\n');
    const half = Math.floor(lines.length / 2);
    // The middle row's module becomes a long quoted value of many lines, across the place the
    // file is cut (its id stays, so the record ids stay in order).
    const filler = Array.from({ length: 60_000 }, (_, i) => `note ${i}`).join('\n');
    const cells = lines[half]!.split(',');
    cells[6] = `"${filler}"`;
    lines[half] = cells.join(',');
    const records = write('quoted.csv', `${lines.join('\n')}\n`);
    const err = await expectSameAsOneThread(records, write('t2.csv', sample.teachers), 2);
    expect(err).toContain('then on one thread: part 1 ends inside a quoted field');
  });

  it('reads on, on one thread, when a later part repeats a record id of an earlier one', async () => {
    const lines = sample.records.trimEnd().split('\n');
    // The first row's id again near the end: a duplicate only an evaluation of the whole sees.
    const again = lines[1]!.replace(/^[^,]*/, (id) => id).replace(/,T\d+,/, ',T00002,');
    const records = write('repeat.csv', `${[...lines, again].join('\n')}\n`);
    const err = await expectSameAsOneThread(records, write('t3.csv', sample.teachers), 2);
    expect(err).toContain('then on one thread: the record keys of part 2 do not all come after those before it');
  });

  it('adds up a last part without a final line feed, and CRLF line ends', async () => {
    const records = write('crlf.csv', sample.records.replace(/\n/g, '\r\n').replace(/\r\n$/, ''));
    const err = await expectSameAsOneThread(records, undefined, 3);
    expect(err).toContain('read in 3 parts');
    expect(err).not.toContain('then on one thread');
  });

  it('reads a file that is not UTF-8 in a later part as GB18030 on any number of threads', async () => {
    const text = sample.records;
    const at = text.lastIndexOf('\n', Math.floor(text.length * 0.9)) + 1;
    const bytes = new TextEncoder().encode(text);
    const bad = new Uint8Array([...bytes.subarray(0, at), 0xb2, 0xe2, ...bytes.subarray(at)]);
    const records = write('gbk.csv', bad);
    const one = await run(records, undefined, 1);
    const two = await run(records, undefined, 2);
    // b2 e2 is 测 in GB18030: the file (one first chunk, under 4 MiB) is read so on both, the same.
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(one.out === two.out).toBe(true);
    const warning = one.err.split('\n').find((l) => l.includes('not UTF-8'))!;
    expect(warning).toContain('read as GB18030');
    expect(two.err).toContain(warning);
  });

  it('keeps to one thread for a header it cannot hand a worker (a quoted column name)', async () => {
    const records = write('quoted-header.csv', sample.records.replace(/^record_id/, '"record_id"'));
    const err = await expectSameAsOneThread(records, undefined, 2);
    expect(err).not.toContain('read in');
  });

  it('stops at a subjects file it cannot read, the workers already started on the records', async () => {
    // The workers start before the subjects file is read (they read it too, meanwhile): an error
    // in it ends the run as on one thread, and the workers are stopped, not left to read on.
    const records = write('sample-for-missing.csv', sample.records);
    const missing = path.join(dir, 'no-such-teachers.csv');
    const one = await run(records, missing, 1);
    const two = await run(records, missing, 2);
    expect(one.code).toBe(2);
    expect(two.code).toBe(2);
    expect(two.err).toContain(`找不到文件 / no such file: ${missing}`);
    expect(two.err.replace(/guize: .*\n?/g, '')).toBe(one.err.replace(/guize: .*\n?/g, ''));
  });

  it('stops the workers of a records file when told to (cancel): no part comes back', async () => {
    const records = write('sample-cancel.csv', sample.records);
    const loaded = loadPolicyAt(POLICY, {}, { out: () => {}, err: () => {} })!;
    const parts = startParts({ policy: loaded, subjects: undefined, records, threads: 3 })!;
    expect(parts.workers).toHaveLength(2);
    parts.cancel();
    expect(await Promise.all(parts.workers)).toEqual([undefined, undefined]);
  });

  it('refuses a --threads that is not a whole number from 1 to 64', async () => {
    const records = write('r.csv', `${RECORD_COLUMNS.join(',')}\n`);
    for (const bad of ['0', 'two', '65', '1.5']) {
      let err = '';
      const code = await main(['eval', '--policy', POLICY, '--records', records, '--threads', bad], { out: () => {}, err: (t) => void (err += t) });
      expect(code).toBe(2);
      expect(err).toContain('--threads takes a whole number from 1 to 64');
    }
  });
});
