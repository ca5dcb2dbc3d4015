// `guize diff` of a policy whose cycle repeats (issue 12): each subject has one result per cycle,
// and a changed result must say which cycle changed — an analyst testing a change to the Texas
// carry-over must see "P1001 2021-07-01/2023-06-30", not "P1001" — and results pair by subject and
// cycle, not by position. Values are worked out by hand from policies/tx-cme/sample in the comments.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import type { DiffJson } from '../engine/diff/index.ts';

const TX = 'policies/tx-cme';
const DATA = ['--records', `${TX}/sample/records.csv`, '--subjects', `${TX}/sample/physicians.csv`];

let dir = '';
let head = '';
let calendar = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guize-diff-cycles-'));
  const text = fs.readFileSync(`${TX}/policy.yaml`, 'utf8');
  // The head carries at most 6 credits forward instead of 48.
  head = path.join(dir, 'head');
  fs.mkdirSync(head);
  if (!text.includes('max_carry: { value: 48,')) throw new Error('policies/tx-cme no longer writes max_carry as this test expects');
  fs.writeFileSync(path.join(head, 'policy.yaml'), text.replace('max_carry: { value: 48,', 'max_carry: { value: 6,'));
  // The same rules over one cycle per physician that does not repeat (the six years before expiry).
  calendar = path.join(dir, 'one-cycle');
  fs.mkdirSync(calendar);
  const once = text.replace(/^( {2}length: 6 years\n) {2}every: 2\n/m, '$1');
  if (once === text) throw new Error('policies/tx-cme no longer writes every: 2 as this test expects');
  // previous() needs a repeating cycle: carried is then the default, 0.
  fs.writeFileSync(path.join(calendar, 'policy.yaml'), once.replace(/previous\(earned\)/g, '0'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function diff(base: string, against: string, ...more: string[]): Promise<string> {
  let out = '';
  let err = '';
  const code = await main(['diff', '--base', base, '--head', against, ...DATA, ...more], { out: (t) => void (out += t), err: (t) => void (err += t) });
  expect(err).toBe('');
  expect(code).toBe(0);
  return out;
}

describe('guize diff of each physician\'s registration periods, max_carry 48 → 6', () => {
  // P1001 (expires 2025-07-01): 2019-07-01/2021-06-30 earns 40 formal + 20 informal = 60, so the
  // next period carries min(max(60 − 48, 0), 48) = 12 on base, min(12, 6) = 6 on head: credited
  // 37 + 12 = 49 ≥ 48 on base, 37 + 6 = 43 < 48 on head. P1002 (expires 2024-11-01):
  // 2018-11-01/2020-10-31 earns 101 formal + min(40, 24) = 125, carried min(77, 48) = 48 on
  // base, 6 on head; 2020-11-01/2022-10-31 earns 10: credited 58 → 16, non-compliant on both
  // (formal 10 < 24). Their other periods carry nothing on either side (earned ≤ 48 before them).
  it('names the cycle of each changed result, in the JSON (after the key) and the table', async () => {
    const doc = JSON.parse(await diff(TX, head, '--format', 'json')) as DiffJson;
    expect(doc.changed.map((c) => [c.license, c.cycle, c.transition, c.measures])).toEqual([
      ['P1001', '2021-07-01/2023-06-30', 'became_non_compliant', { carried: { base: 12, head: 6, delta: -6 }, credited: { base: 49, head: 43, delta: -6 } }],
      ['P1002', '2020-11-01/2022-10-31', 'stayed_non_compliant', { carried: { base: 48, head: 6, delta: -42 }, credited: { base: 58, head: 16, delta: -42 } }],
    ]);
    expect(Object.keys(doc.changed[0]!).slice(0, 3)).toEqual(['license', 'cycle', 'transition']);
    // 4 physicians: P1001, P1002, P1003 three periods each, P1004 (no expiry date) one result.
    expect(doc.summary.subjects).toBe(10);
    const table = await diff(TX, head);
    expect(table).toContain('\n  P1001 2021-07-01/2023-06-30  合规 → 不合规 / compliant → non-compliant\n');
    expect(table).toContain('\n  P1002 2020-11-01/2022-10-31  不合规，原因或数值变化 / non-compliant, reasons or values changed\n');
  });

  it('the HTML report lists and heads each changed result by subject and cycle', async () => {
    const out = path.join(dir, 'report.html');
    await diff(TX, head, '--format', 'html', '--out', out);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain('<a href="#subject-1">P1001 2021-07-01/2023-06-30</a>');
    expect(html).toContain('<summary>P1001 2021-07-01/2023-06-30 — ');
    expect(html).toContain('<a href="#subject-2">P1002 2020-11-01/2022-10-31</a>');
  });

  it('pairs results by subject and cycle: against one cycle that does not repeat, none pairs', async () => {
    // The base has 10 results: P1001–P1003's 3 × 3 named by a cycle, and P1004's one (no expiry
    // date, no cycles) named by none; the head one per physician (4), named by none. P1004's pair
    // (13 in all); the other 9 base results are only in base, the other 3 head results only in head.
    const doc = JSON.parse(await diff(TX, calendar, '--format', 'json')) as DiffJson;
    expect([doc.summary.subjects, doc.summary.only_base, doc.summary.only_head]).toEqual([13, 9, 3]);
    expect(doc.changed.filter((c) => c.license === 'P1001').map((c) => [c.cycle, c.transition])).toEqual([
      [undefined, 'only_head'], ['2019-07-01/2021-06-30', 'only_base'], ['2021-07-01/2023-06-30', 'only_base'], ['2023-07-01/2025-06-30', 'only_base'],
    ]);
  });
});
