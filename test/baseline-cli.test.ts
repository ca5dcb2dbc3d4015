// The baseline's command line, bundled with esbuild as it is benchmarked and run with plain
// `node`, against the engine's `guize eval`: the same report (the engine's pretty JSON,
// compacted), the same warnings on stderr, the same errors and exit codes.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { firstDifference, messyRecords, MESSY_TEACHERS } from './support/baseline-inputs.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const POLICY_DIR = path.join(ROOT, 'policies', 'lincang');
const SAMPLE = path.join(POLICY_DIR, 'sample');

let dir: string;
let bundle: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guize-baseline-cli-'));
  bundle = path.join(dir, 'baseline.mjs');
  const esbuild = path.join(ROOT, 'node_modules', '.bin', 'esbuild');
  const r = spawnSync(esbuild, [path.join(ROOT, 'bench', 'baseline', 'cli.ts'), '--bundle', '--platform=node', '--format=esm', `--outfile=${bundle}`, '--log-level=warning'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`esbuild failed: ${r.stderr}`);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** The bundled baseline, with plain node. */
function baseline(args: string[], input?: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [bundle, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 28 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** The engine's CLI, in process; its JSON compacted as the baseline writes it. */
async function engine(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['eval', '--policy', `${POLICY_DIR}@2017.1`, ...args], { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out: out === '' ? '' : `${JSON.stringify(JSON.parse(out))}\n`, err };
}

async function expectSameAsEngine(args: string[]): Promise<void> {
  const e = await engine(args);
  const b = baseline(args);
  expect(b.code).toBe(e.code);
  expect(b.err).toBe(e.err);
  const diff = firstDifference(e.out, b.out);
  if (diff !== undefined) expect.fail(diff);
}

describe('the bundled baseline CLI', () => {
  it('gives the engine report for the sample, to stdout and into an existing longer file', async () => {
    const args = ['--records', path.join(SAMPLE, 'records.csv'), '--teachers', path.join(SAMPLE, 'teachers.csv')];
    await expectSameAsEngine(args);
    // An output file longer than the report is overwritten and cut to the report's length.
    const out = write('out.json', 'x'.repeat(500_000));
    expect(baseline([...args, '--out', out]).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe((await engine(args)).out);
    const fresh = path.join(dir, 'fresh.json');
    expect(baseline([...args, '--out', fresh]).code).toBe(0);
    expect(fs.readFileSync(fresh, 'utf8')).toBe((await engine(args)).out);
    // Not a regular file: written as usual.
    expect(baseline([...args, '--out', os.devNull])).toMatchObject({ code: 0, err: '' });
  });

  it('quotes a long bad value as the same excerpt, with its length, in both programs', async () => {
    const head = 'record_id,teacher_id,date,kind,level,format,module,elective,days,hours,practical_hours,rate,score,in_system,status';
    const row = (id: string, level: string, hours: string) => `${id},T1,2016-05-01,training,${level},online,ethics,true,,${hours},,0.8,90,true,ok`;
    const records = write('long-values.csv', [head, row('L1', 'x'.repeat(500_000), '6'), row('L2', 'county', '1'.repeat(100_000) + '.5'), row('L3', `${'中'.repeat(47)}😀${'b'.repeat(60)}`, '6')].join('\n') + '\n');
    await expectSameAsEngine(['--records', records]);
    const { out } = await engine(['--records', records]);
    const reasons = (JSON.parse(out) as { rejected: { reason: string }[] }).rejected.map((x) => x.reason);
    expect(reasons[0]).toContain(`level 的值 '${'x'.repeat(48)}…${'x'.repeat(16)} (500000 chars)' 不是允许的值`);
    expect(reasons[2]).toContain(`'${'中'.repeat(47)}…${'b'.repeat(16)} (109 chars)'`); // 47 + 2 (the emoji) + 60 units
    expect(out.length).toBeLessThan(3000);
  });

  it('prints the same warnings for bad headers and unknown columns', async () => {
    const extraColumn = (text: string, name: string): string =>
      text.trimEnd().split('\n').map((l, i) => `${l},${i === 0 ? name : 'x'}`).join('\n') + '\n';
    const records = write('bad-header.csv', extraColumn(extraColumn(messyRecords(3, 300), ''), 'notes'));
    const teachers = write('bad-teachers.csv', extraColumn(MESSY_TEACHERS, 'school_id'));
    await expectSameAsEngine(['--records', records, '--teachers', teachers]);
  });

  // A file that is not UTF-8 is no longer compared: the engine reads it as GB18030 (see
  // test/encodings.test.ts), the baseline reads UTF-8 only.
  it('fails as the engine does: a missing column, a missing file', async () => {
    await expectSameAsEngine(['--records', write('partial.csv', 'record_id,teacher_id,date\nR1,T1,2018-01-01\n')]);
    await expectSameAsEngine(['--records', path.join(dir, 'no-such-file.csv')]);
    await expectSameAsEngine(['--records', write('empty.csv', '')]);
    await expectSameAsEngine(['--records', path.join(SAMPLE, 'records.csv'), '--teachers', write('t.csv', 'school_id\nS1\n')]);
  });

  it('takes --subjects for --teachers, and refuses NDJSON rather than misread it', async () => {
    const records = path.join(SAMPLE, 'records.csv');
    const teachers = path.join(SAMPLE, 'teachers.csv');
    expect(baseline(['--records', records, '--subjects', teachers]).out).toBe((await engine(['--records', records, '--teachers', teachers])).out);
    for (const [name, text] of [['r.ndjson', ''], ['r.txt', '\uFEFF {"record_id":"R1"}\n']] as const) {
      const r = baseline(['--records', write(name, text)]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('the baseline reads CSV only');
    }
  });

  it('reads standard input', async () => {
    const text = fs.readFileSync(path.join(SAMPLE, 'records.csv'), 'utf8');
    const b = baseline(['--records', '-'], text);
    expect(b.code).toBe(0);
    expect(b.out).toBe((await engine(['--records', path.join(SAMPLE, 'records.csv')])).out);
  });
});
