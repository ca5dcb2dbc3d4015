// A repeating cycle's span and its row counts (issue 12): records dated outside `from`–`to` are
// out of scope by themselves (under `cycle`, as for a cycle per subject), and each cycle's result
// counts that cycle's records only, so that the results add up to the summary — on one thread
// and on several alike. Run on the Texas policy's rules over calendar biennia: its own cycle is
// each physician's (test/language-subject-repeat.test.ts), so the test writes a copy whose cycle
// is `{ from: 2019, to: 2024, every: 2 }`.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { compileText, languagePolicy, run } from './support/language.ts';

/** The Texas policy's cycle, as policies/tx-cme/policy.yaml writes it. */
const SUBJECT_CYCLE = /^cycle:\n {2}before: registration_expires\n {2}length: 6 years\n {2}every: 2\n/m;

let dir = '';
let TX = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guize-carry-scope-'));
  TX = path.join(dir, 'tx-calendar');
  fs.mkdirSync(TX);
  const text = fs.readFileSync('policies/tx-cme/policy.yaml', 'utf8');
  if (!SUBJECT_CYCLE.test(text)) throw new Error('policies/tx-cme no longer writes its cycle as this test expects');
  fs.writeFileSync(path.join(TX, 'policy.yaml'), text.replace(SUBJECT_CYCLE, 'cycle:\n  from: 2019\n  to: 2024\n  every: 2\n'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `guize eval` of the Texas policy in process, on `threads` threads (stderr says how parts went). */
async function evalTx(records: string, threads: number): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const previous = process.env.GUIZE_DEBUG;
  process.env.GUIZE_DEBUG = '1';
  try {
    const code = await main(['eval', '--policy', TX, '--records', records, '--threads', String(threads)], {
      out: (t) => void (out += t), err: (t) => void (err += t),
    });
    return { code, out, err };
  } finally {
    if (previous === undefined) delete process.env.GUIZE_DEBUG;
    else process.env.GUIZE_DEBUG = previous;
  }
}

// One block of eight rows, repeated with keys in order (so that the parts of a file add up):
//   r1 A 2018 — before 2019: in no cycle, out of scope
//   r2 A 2019 (cycle 1), r3 B 2020 (cycle 1), r4 A 2021 (cycle 2)
//   r5 A 2021 without credits — rejected (no_credits)
//   r6 B 2023 (cycle 3), r7 A 2024-12-31 (cycle 3, the span's last day)
//   r8 B 2025-01-01 — after 2024: out of scope
const BLOCK: readonly string[] = [
  'A,2018-06-01,formal,5,', 'A,2019-06-01,formal,30,', 'B,2020-01-01,informal,4,', 'A,2021-01-01,formal,10,',
  'A,2021-02-01,formal,,', 'B,2023-05-05,formal,6,', 'A,2024-12-31,formal,1,', 'B,2025-01-01,formal,9,',
];

function blocks(n: number): string {
  const rows = ['record_id,license,date,category,credits,topic'];
  let k = 0;
  for (let b = 0; b < n; b++) for (const row of BLOCK) rows.push(`K${String(++k).padStart(6, '0')},${row}`);
  return `${rows.join('\n')}\n`;
}

describe('a repeating cycle: records outside its span, and counts per cycle', () => {
  it('counts records outside from–to out of scope under `cycle`, with no rule for it', async () => {
    const file = path.join(dir, 'one.csv');
    fs.writeFileSync(file, blocks(1));
    const r = await evalTx(file, 1);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    // 8 rows: r1 and r8 out of scope, r5 rejected, 5 evaluated.
    expect(report.summary).toMatchObject({
      rows_read: 8, evaluated: 5, rejected: 1, out_of_scope: 2, out_of_scope_by_rule: { cycle: 2 }, rejected_by_rule: { no_credits: 1 },
    });
    // The 2018 record's 5 credits count nowhere: A's first cycle has r2's 30 formal only.
    expect(report.physicians[0]).toMatchObject({ license: 'A', cycle: '2019-2020', formal: 30, earned: 30 });
    // B's last cycle has r6's 6, not r8's 9.
    expect(report.physicians[5]).toMatchObject({ license: 'B', cycle: '2023-2024', formal: 6 });
  });

  it("gives each cycle's result its own records, adding up to the summary", async () => {
    const file = path.join(dir, 'counts.csv');
    fs.writeFileSync(file, blocks(1));
    const report = JSON.parse((await evalTx(file, 1)).out);
    const counts = report.physicians.map((p: { license: string; cycle: string; records: { evaluated: number; disregarded: number } }) =>
      `${p.license}@${p.cycle} ${p.records.evaluated}/${p.records.disregarded}`);
    // A: r2 | r4 (r5 rejected) | r7; B: r3 | — | r6.
    expect(counts).toEqual([
      'A@2019-2020 1/0', 'A@2021-2022 1/0', 'A@2023-2024 1/0',
      'B@2019-2020 1/0', 'B@2021-2022 0/0', 'B@2023-2024 1/0',
    ]);
  });

  it('adds a file read in parts up to the one-thread report, byte for byte', async () => {
    const file = path.join(dir, 'parts.csv');
    fs.writeFileSync(file, blocks(400));
    const one = await evalTx(file, 1);
    const two = await evalTx(file, 2);
    expect(two.err).toContain('read in 2 parts');
    expect(two.err).not.toContain('then on one thread');
    expect(two.code).toBe(one.code);
    expect(two.out).toBe(one.out);
    const report = JSON.parse(two.out);
    // 400 blocks: per block A has one record in each cycle, B one in the first and the last.
    expect(report.physicians.map((p: { records: { evaluated: number } }) => p.records.evaluated)).toEqual([400, 400, 400, 400, 0, 400]);
    expect(report.summary).toMatchObject({ rows_read: 3200, evaluated: 2000, rejected: 400, out_of_scope: 800, out_of_scope_by_rule: { cycle: 800 } });
  });

  it('counts disregarded records in the cycle they fall in', () => {
    const rules = `
@cite("第一条")
disregard short when hours < 1 because "不足一小时 / under an hour"

@cite("第一条")
measure earned "所得 / earned" = sum(hours)
`;
    const program = compileText(languagePolicy(rules).replace('cycle: { from: 2020, to: 2022 }', 'cycle: { from: 2019, to: 2022, every: 2 }'));
    const r = run(program, [
      'R1,P1,2019-01-01,cpd,0.5,,', // 2019–2020, disregarded
      'R2,P1,2020-01-01,cpd,3,,', //   2019–2020
      'R3,P1,2022-01-01,cpd,0.25,,', // 2021–2022, disregarded
      'R4,P1,2023-01-01,cpd,9,,', //   after the span: out of scope, in no cycle's counts
    ], ['P1,,,']);
    expect(r.people.map((p: { records: unknown }) => p.records)).toEqual([{ evaluated: 2, disregarded: 1 }, { evaluated: 1, disregarded: 1 }]);
    expect(r.summary).toMatchObject({ rows_read: 4, evaluated: 3, disregarded: 2, out_of_scope_by_rule: { cycle: 1 } });
    expect(r.people.map((p: { earned: number }) => p.earned)).toEqual([3, 0]);
  });
});
