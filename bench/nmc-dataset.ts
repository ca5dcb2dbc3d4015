// A larger, deterministic data set for the NMC revalidation policy (policies/nmc-revalidation), to
// time `guize eval` on it: registrants with renewal dates over three years, and their practice,
// CPD, feedback, reflection and discussion records — some outside their own cycle, a few without
// the hours the policy requires (rejected). The same arguments give the same bytes.
//
//   npx tsx bench/nmc-dataset.ts ROWS OUT_DIR   → OUT_DIR/nmc-ROWS.csv, OUT_DIR/nmc-ROWS.registrants.csv

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: a small deterministic generator of integers below `n`. */
function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const dateOf = (y: number, m: number, d: number) => `${y}-${pad(m, 2)}-${pad(Math.min(d, DAYS[m - 1]!), 2)}`;

/** Writes the two files of `rows` record rows; returns their paths. */
export function nmcDataset(rows: number, dir: string, seed = 11): { records: string; registrants: string } {
  mkdirSync(dir, { recursive: true });
  const r = prng(seed);
  const records = join(dir, `nmc-${rows}.csv`);
  const registrants = join(dir, `nmc-${rows}.registrants.csv`);
  const perRegistrant = 30;
  const people = Math.ceil(rows / perRegistrant);
  const renewal: number[] = [];
  const rfd = openSync(registrants, 'w');
  const lines = ['pin,renewal_date,health_character,indemnity,confirmed'];
  for (let i = 0; i < people; i++) {
    const y = 2023 + r(3);
    renewal.push(y);
    const bool = () => ['true', 'true', 'true', 'false', ''][r(5)]!;
    lines.push(`N${pad(i, 7)},${dateOf(y, 1 + r(12), 1 + r(28))},${bool()},${['employer', 'own', 'membership', ''][r(4)]},${bool()}`);
  }
  writeSync(rfd, lines.join('\n') + '\n');
  closeSync(rfd);

  const fd = openSync(records, 'w');
  let buf: string[] = ['record_id,pin,date,kind,hours,participatory,with_registrant'];
  for (let n = 0; n < rows; n++) {
    const p = Math.floor(n / perRegistrant);
    // Mostly inside the three years before renewal; one in ten a year before that.
    const y = renewal[p]! - 1 - r(4);
    const date = dateOf(y, 1 + r(12), 1 + r(28));
    const k = r(20);
    const kind = k < 9 ? 'practice' : k < 14 ? 'cpd' : k < 16 ? 'feedback' : k < 18 ? 'reflection' : 'discussion';
    let hours = '';
    let participatory = '';
    let withRegistrant = '';
    if (kind === 'practice') hours = r(50) === 0 ? '' : `${1 + r(12)}.${r(4) * 25}`.replace(/\.0$/, '');
    if (kind === 'cpd') {
      hours = `${1 + r(6)}${r(2) ? '.5' : ''}`;
      participatory = r(40) === 0 ? '' : r(2) ? 'true' : 'false';
    }
    if (kind === 'discussion') withRegistrant = r(3) ? 'true' : 'false';
    buf.push(`M${pad(n, 9)},N${pad(p, 7)},${date},${kind},${hours},${participatory},${withRegistrant}`);
    if (buf.length >= 10000) {
      writeSync(fd, buf.join('\n') + '\n');
      buf = [];
    }
  }
  if (buf.length > 0) writeSync(fd, buf.join('\n') + '\n');
  closeSync(fd);
  return { records, registrants };
}

const [rowsArg, dirArg] = process.argv.slice(2);
if (rowsArg !== undefined && import.meta.url === `file://${process.argv[1]}`) {
  const out = nmcDataset(Number(rowsArg), dirArg ?? 'bench/data');
  console.log(`${out.records}\n${out.registrants}`);
}
