// The benchmark's data: province-scale canonical CSV of the Lincang policy, deterministic (the
// same options give the same bytes), messy as real exports are (the sample generator's invalid
// rows included), written once per size and kept in bench/data/.

import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describeSample, generateRecordRows, TEACHER_COLUMNS } from '../test/support/lincang-sample.ts';

/** How record ids look: numbered in order, as exports number them, or random UUIDs (the worst case for memory). */
export type IdStyle = 'numbered' | 'uuid';

/** One dataset: its files and what is in them. */
export interface Dataset {
  readonly records: string;
  readonly teachers: string;
  readonly rows: number;
  readonly teacherCount: number;
  readonly bytes: number;
}

/** A UUID-shaped id, deterministic in `n` (a 128-bit mix of it). */
function uuid(n: number): string {
  let h1 = 0x9e3779b9 ^ n;
  let h2 = 0x85ebca6b ^ Math.imul(n, 0x27d4eb2f);
  const hex: string[] = [];
  for (let k = 0; k < 4; k++) {
    h1 = Math.imul(h1 ^ (h1 >>> 16), 0x7feb352d);
    h2 = Math.imul(h2 ^ (h2 >>> 15), 0x846ca68b);
    hex.push(((h1 ^ h2) >>> 0).toString(16).padStart(8, '0'));
  }
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-a${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

/**
 * The dataset of exactly `rows` record rows (the last teacher may be cut short) in `dir`, made if
 * it is not there yet; its teachers file lists the teachers those rows name.
 */
export function dataset(dir: string, rows: number, seed: number, ids: IdStyle = 'numbered', log: (s: string) => void = () => {}): Dataset {
  const name = `lincang-${rows}-${seed}${ids === 'uuid' ? '-uuid' : ''}`;
  const records = join(dir, `${name}.csv`);
  const teachers = join(dir, `${name}.teachers.csv`);
  // The generator averages about 40 rows a teacher: ask for more teachers than needed, stop early.
  const planned = Math.ceil(rows / 20) + 1;
  if (!existsSync(records) || !existsSync(teachers)) {
    mkdirSync(dir, { recursive: true });
    log(`generating ${rows.toLocaleString('en')} rows (${name}) …`);
    const t0 = performance.now();
    const tmp = `${records}.part`;
    const fd = openSync(tmp, 'w');
    let buf: string[] = [];
    let size = 0;
    const flush = () => {
      writeSync(fd, buf.join(''));
      buf = [];
      size = 0;
    };
    let written = -1; // the header is not a row
    let lastTeacher = '';
    for (const line of generateRecordRows({ teachers: planned, seed, messy: true })) {
      let out = line;
      if (written >= 0) {
        const comma = line.indexOf(',');
        const teacher = line.slice(comma + 1, line.indexOf(',', comma + 1));
        if (teacher) lastTeacher = teacher;
        if (ids === 'uuid') out = `${uuid(written)}${line.slice(comma)}`;
      }
      buf.push(out, '\n');
      size += out.length + 1;
      if (size > 1 << 20) flush();
      if (++written === rows) break;
    }
    flush();
    closeSync(fd);
    // Ids are T00001 … T99999, T100000 …: shorter ones come first.
    const upTo = (id: string) => id.length < lastTeacher.length || (id.length === lastTeacher.length && id <= lastTeacher);
    const listed = describeSample({ teachers: planned, seed }).filter((t) => upTo(t.teacher_id));
    const tfd = openSync(`${teachers}.part`, 'w');
    writeSync(tfd, `${[TEACHER_COLUMNS.join(','), ...listed.map((t) => TEACHER_COLUMNS.map((c) => t[c]).join(','))].join('\n')}\n`);
    closeSync(tfd);
    renameSync(`${teachers}.part`, teachers);
    renameSync(tmp, records);
    log(`  … ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const teacherCount = countLines(teachers) - 1;
  return { records, teachers, rows, teacherCount, bytes: statSync(records).size };
}

function countLines(path: string): number {
  const fd = openSync(path, 'r');
  const buf = new Uint8Array(1 << 20);
  let n = 0;
  try {
    for (let got = readSync(fd, buf, 0, buf.length, null); got > 0; got = readSync(fd, buf, 0, buf.length, null)) {
      for (let i = 0; i < got; i++) if (buf[i] === 10) n++;
    }
  } finally {
    closeSync(fd);
  }
  return n;
}
