import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamRows } from '../cli/inputs.ts';
import { progressLine, type Progress } from '../cli/progress.ts';

/** A progress line on a clock the test moves. */
function fakeLine(total: number | undefined) {
  const written: string[] = [];
  let t = 0;
  const line = progressLine({ write: (s) => written.push(s), now: () => t }, 'records.csv', total);
  return { line, written, at: (ms: number) => { t = ms; } };
}

describe('the progress line', () => {
  it('says nothing in the first second, then share, lines and lines per second', () => {
    const p = fakeLine(1000);
    p.at(999);
    p.line.update(100, 50_000);
    expect(p.written).toEqual([]);
    p.at(2000);
    p.line.update(370, 2_469_000);
    // 2 469 000 lines in 2 s: 1.23 M a second; 370 of 1000 bytes: 37 %.
    expect(p.written).toEqual(['\r\x1b[K读取 reading records.csv: 37 % · 2,469,000 行 lines · 1.23 M 行/秒 lines/s']);
  });

  it('writes at most every quarter second, and clears itself when done', () => {
    const p = fakeLine(undefined);
    p.at(1500);
    p.line.update(10, 3000);
    p.at(1749);
    p.line.update(20, 6000);
    expect(p.written).toEqual(['\r\x1b[K读取 reading records.csv: 3,000 行 lines · 2.0 k 行/秒 lines/s']);
    p.at(1750);
    p.line.update(30, 9000);
    expect(p.written).toHaveLength(2);
    p.line.done();
    expect(p.written[2]).toBe('\r\x1b[K');
  });

  it('leaves nothing to clear when it never showed', () => {
    const p = fakeLine(10);
    p.at(10);
    p.line.update(10, 1);
    p.line.done();
    expect(p.written).toEqual([]);
  });
});

describe('reading a file reports its progress', () => {
  it('by chunk, up to the whole file and its last line, then done', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guize-progress-'));
    const path = join(dir, 'r.csv');
    // 5 MiB and more: two chunks of the reader.
    const row = 'R1234567,T0001\n';
    const rows = Math.ceil((5 << 20) / row.length);
    const text = `record_id,teacher_id\n${row.repeat(rows)}`;
    writeFileSync(path, text);
    const updates: [number, number][] = [];
    let done = 0;
    const progress: Progress = { update: (b, l) => updates.push([b, l]), done: () => { done++; } };
    await streamRows(path, { csv: () => ({ header: () => {}, row: () => {}, error: () => {} }), event: () => {} }, () => [], progress);
    expect(updates).toHaveLength(2);
    expect(updates[0]![0]).toBe(4 << 20);
    expect(updates[1]).toEqual([text.length, rows + 2]);
    expect(done).toBe(1);
  });
});
