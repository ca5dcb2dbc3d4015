/**
 * Writes Lincang sample data (see policies/lincang/sample/generate.ts).
 *
 *   npx tsx scripts/generate-sample.ts --teachers 40 --seed 1 --out policies/lincang/sample
 *   npx tsx scripts/generate-sample.ts --rows-only --teachers 100000 --seed 7 > big.csv
 *
 * Options: --teachers N (required), --seed S (default 1), --from Y / --to Y (cycle years,
 * default 2016..2020), --clean (no invalid rows), --out DIR (writes records.csv and teachers.csv),
 * --rows-only (streams records to stdout in constant memory; no teachers file).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateRecordRows, generateSample, type SampleOptions } from '../test/support/lincang-sample.ts';

const USAGE = 'usage: generate-sample --teachers N [--seed S] [--from Y] [--to Y] [--clean] (--out DIR | --rows-only)';

function parseArgs(argv: readonly string[]): { opts: SampleOptions; out?: string; rowsOnly: boolean } {
  const flags = new Map<string, string>();
  const bools = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--rows-only' || a === '--clean') bools.add(a);
    else if (['--teachers', '--seed', '--from', '--to', '--out'].includes(a) && i + 1 < argv.length) flags.set(a, argv[++i] as string);
    else throw new Error(`unknown or incomplete argument ${a}\n${USAGE}`);
  }
  const int = (name: string): number | undefined => {
    const v = flags.get(name);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) throw new Error(`${name} needs an integer, got ${v}`);
    return Number(v);
  };
  const teachers = int('--teachers');
  if (teachers === undefined) throw new Error(`--teachers is required\n${USAGE}`);
  const opts: SampleOptions = { teachers, seed: int('--seed') ?? 1, messy: !bools.has('--clean') };
  const from = int('--from');
  const to = int('--to');
  if (from !== undefined) opts.cycleFrom = from;
  if (to !== undefined) opts.cycleTo = to;
  const rowsOnly = bools.has('--rows-only');
  const out = flags.get('--out');
  if (rowsOnly === (out !== undefined)) throw new Error(`give exactly one of --out and --rows-only\n${USAGE}`);
  return out === undefined ? { opts, rowsOnly } : { opts, out, rowsOnly };
}

/** Writes lines to stdout in ~64 KB chunks, waiting on 'drain' so memory stays flat for huge sets. */
async function streamRows(opts: SampleOptions): Promise<void> {
  // A closed pipe (`| head`) is a normal way to stop: exit quietly instead of throwing EPIPE.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  let buf = '';
  const flush = async (): Promise<void> => {
    if (!process.stdout.write(buf)) await new Promise<void>((res) => process.stdout.once('drain', res));
    buf = '';
  };
  for (const line of generateRecordRows(opts)) {
    buf += line + '\n';
    if (buf.length >= 65536) await flush();
  }
  if (buf.length > 0) await flush();
}

async function main(): Promise<number> {
  try {
    const { opts, out, rowsOnly } = parseArgs(process.argv.slice(2));
    if (rowsOnly) {
      await streamRows(opts);
      return 0;
    }
    const data = generateSample(opts);
    const dir = out as string;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'records.csv'), data.records);
    writeFileSync(join(dir, 'teachers.csv'), data.teachers);
    const rows = data.records.split('\n').length - 2; // header and trailing LF
    process.stderr.write(`wrote ${rows} records and ${opts.teachers} teachers to ${dir}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

process.exitCode = await main();
