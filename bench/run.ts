/**
 * The benchmark: `guize eval` as a user runs it — a whole process: start-up, reading, evaluation,
 * the JSON written to a file — against a hand-written program of the same rules that shares no
 * code with guize (bench/baseline/: byte-level, single-threaded, as fast as we could make it),
 * which must write the same bytes. Both run in turn, A B A B …, and the figures are medians.
 *
 *   npm run bench                       1 M, 2 M and 4.7 M rows
 *   npm run bench -- --sizes 1000000 --runs 5
 *   npm run bench -- --quick            200 000 rows, 3 runs (a smoke test)
 *   npm run bench -- --editor           only the editor's latency (bench/editor-latency.ts): its
 *                                       rows replace those of bench/results.json, the rest kept
 *
 * Prints a table, writes bench/results.json, and prints a line for the README's history.
 * Also measured: start-up (`guize --version`, `guize check`), policy load in-process (parse +
 * check + compile, warm), `guize diff` of two versions against one eval on the same file,
 * memory with UUID record ids, and comparison rows — the rules in
 * json-logic-js, and a naive reader that splits lines on commas — when they are built.
 */

import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicySet, memoryFiles } from '../dsl/index.ts';
import { compilePolicy } from '../engine/index.ts';
import { dataset, type Dataset } from './dataset.ts';
import { editorLatency } from './editor-latency.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(ROOT, 'bench', 'data');
const RSS_PRELOAD = join(ROOT, 'bench', 'max-rss.cjs');
const tty = process.stderr.isTTY === true;
const progress = (s: string) => {
  if (tty) process.stderr.write(`\r\x1b[K${s}`);
};

interface Options {
  sizes: number[];
  runs: number;
  seed: number;
  /** Only the editor's latency rows. */
  editorOnly: boolean;
}

function options(argv: readonly string[]): Options {
  const o: Options = { sizes: [1_000_000, 2_000_000, 4_700_000], runs: 3, seed: 7, editorOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[i + 1];
    if (a === '--editor') {
      o.editorOnly = true;
    } else if (a === '--quick') {
      o.sizes = [200_000];
      o.runs = 3;
    } else if (a === '--sizes' && v) {
      o.sizes = v.split(',').map(Number);
      i++;
    } else if (a === '--runs' && v) {
      o.runs = Number(v);
      i++;
    } else if (a === '--seed' && v) {
      o.seed = Number(v);
      i++;
    } else throw new Error(`usage: npm run bench -- [--sizes N,N] [--runs N] [--seed S] [--quick] [--editor] (got ${a})`);
  }
  if (o.sizes.some((n) => !(n > 0)) || !(o.runs > 0)) throw new Error('--sizes and --runs must be positive');
  return o;
}

/** One run of a whole process: wall time, and the peak resident memory it reported. */
interface Run {
  readonly ms: number;
  readonly rssMiB: number;
  readonly code: number;
  readonly stderr: string;
}

/** Runs `argv` as a process (stdout discarded) and measures it. */
function run(argv: readonly string[]): Promise<Run> {
  const rssFile = join(tmpdir(), `guize-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      // Both programs get the same preload, which records the process's peak RSS at exit.
      env: { ...process.env, NODE_OPTIONS: `--require ${RSS_PRELOAD}`, GUIZE_BENCH_RSS: rssFile },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 10_000) stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      let kib = NaN;
      if (existsSync(rssFile)) {
        kib = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
        rmSync(rssFile);
      }
      resolve({ ms, rssMiB: kib / 1024, code: code ?? -1, stderr });
    });
  });
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Whether two files hold the same bytes. */
function sameFile(a: string, b: string): boolean {
  const fa = openSync(a, 'r');
  const fb = openSync(b, 'r');
  const ba = new Uint8Array(1 << 20);
  const bb = new Uint8Array(1 << 20);
  try {
    for (;;) {
      const na = readSync(fa, ba, 0, ba.length, null);
      const nb = readSync(fb, bb, 0, bb.length, null);
      if (na !== nb) return false;
      if (na === 0) return true;
      for (let i = 0; i < na; i++) if (ba[i] !== bb[i]) return false;
    }
  } finally {
    closeSync(fa);
    closeSync(fb);
  }
}

/** A program that evaluates a dataset and writes its report to `out`. */
interface Contender {
  readonly name: string;
  readonly argv: (d: Dataset, out: string) => string[];
  /** Whether it must write the same bytes as guize (the comparison rows write their own reports). */
  readonly sameOutput: boolean;
}

const node = process.execPath;
const guize = (threads: number): Contender => ({
  name: `guize eval --threads ${threads}`,
  argv: (d, out) => [node, 'bin/guize.mjs', 'eval', '--policy', 'policies/lincang@2017.1', '--records', d.records, '--teachers', d.teachers, '--format', 'json', '--threads', String(threads), '--out', out],
  sameOutput: true,
});
/** One thread, as the hand-written program runs; and two, on this machine's two cores. */
const GUIZE = guize(1);
const GUIZE_PARALLEL = guize(2);
const BASELINE: Contender = {
  name: 'hand-written',
  argv: (d, out) => [node, 'dist/baseline.mjs', '--records', d.records, '--teachers', d.teachers, '--out', out],
  sameOutput: true,
};
/** A comparison program built to `dist/<file>`, taking the same arguments as the baseline. */
const comparison = (name: string, file: string): Contender => ({
  name, argv: (d, out) => [node, `dist/${file}`, '--records', d.records, '--teachers', d.teachers, '--out', out], sameOutput: false,
});
const COMPARISONS: readonly Contender[] = [
  comparison('json-logic-js rules', 'jsonlogic.mjs'),
  comparison('naive split(",") reader', 'naive.mjs'),
].filter((c) => existsSync(join(ROOT, c.argv({ records: '', teachers: '', rows: 0, teacherCount: 0, bytes: 0 }, '')[1]!)));

/** `guize diff` of the two Lincang versions, JSON to a file: one pass, two evaluations. */
const DIFF: Contender = {
  name: 'guize diff 2017.1 → 2019.1',
  argv: (d, out) => [node, 'bin/guize.mjs', 'diff', '--base', 'policies/lincang@2017.1', '--head', 'policies/lincang@2019.1', '--records', d.records, '--teachers', d.teachers, '--format', 'json', '--out', out],
  sameOutput: false,
};

/** A row of the results table. */
interface Row {
  readonly what: string;
  readonly rows?: number;
  readonly ms: number;
  readonly rssMiB?: number;
  /** Median of the pairwise ratios to the hand-written program of the same runs. */
  readonly ratio?: number;
  /** For the diff: median of the pairwise ratios to one `guize eval --threads 1` of the same runs. */
  readonly ratioToEval?: number;
  readonly note?: string;
}

/** Times the diff against one eval on the same file, in turn (the target: at most 2×). */
async function diffAgainstEval(d: Dataset, runs: number, label: string): Promise<Row> {
  const outDir = join(tmpdir(), `guize-bench-diff-${process.pid}`);
  mkdirSync(outDir, { recursive: true });
  const times: [Run[], Run[]] = [[], []];
  const pair = [GUIZE, DIFF] as const;
  for (let k = 0; k < runs + 1; k++) {
    for (let i = 0; i < 2; i++) {
      progress(`${label}: run ${k + 1}/${runs + 1} of ${pair[i]!.name} …`);
      const r = await run(pair[i]!.argv(d, join(outDir, `out-${i}.json`)));
      if (r.code !== 0) throw new Error(`${pair[i]!.name} failed (exit ${r.code}):\n${r.stderr}`);
      // The first round warms the file cache and is not counted.
      if (k > 0) times[i]!.push(r);
    }
  }
  progress('');
  rmSync(outDir, { recursive: true, force: true });
  return {
    what: `${DIFF.name} (${label})`, rows: d.rows,
    ms: median(times[1].map((t) => t.ms)), rssMiB: median(times[1].map((t) => t.rssMiB)),
    ratioToEval: median(times[1].map((t, k) => t.ms / times[0][k]!.ms)),
  };
}

/** Times `contenders` on one dataset, in turn, `runs` times each, after a check of their output. */
async function compare(d: Dataset, contenders: readonly Contender[], runs: number, label: string): Promise<Row[]> {
  const outDir = join(tmpdir(), `guize-bench-${process.pid}`);
  mkdirSync(outDir, { recursive: true });
  const outs = contenders.map((_, i) => join(outDir, `out-${i}.json`));
  // First a run of each that must write the same report, to check it: a fast wrong answer is no
  // yardstick. (The comparison programs write their own report; test/compare.test.ts checks it.)
  for (let i = 0; i < contenders.length; i++) {
    if (i > 0 && !contenders[i]!.sameOutput) continue;
    progress(`${label}: checking ${contenders[i]!.name} …`);
    const r = await run(contenders[i]!.argv(d, outs[i]!));
    if (r.code !== 0) throw new Error(`${contenders[i]!.name} failed (exit ${r.code}):\n${r.stderr}`);
  }
  for (let i = 1; i < contenders.length; i++) {
    if (contenders[i]!.sameOutput && !sameFile(outs[0]!, outs[i]!)) {
      throw new Error(`MISMATCH: ${contenders[i]!.name} and ${contenders[0]!.name} wrote different reports for ${d.records} (${outs[0]} vs ${outs[i]})`);
    }
  }
  const times: Run[][] = contenders.map(() => []);
  for (let k = 0; k < runs; k++) {
    for (let i = 0; i < contenders.length; i++) {
      progress(`${label}: run ${k + 1}/${runs} of ${contenders[i]!.name} …`);
      const r = await run(contenders[i]!.argv(d, outs[i]!));
      if (r.code !== 0) throw new Error(`${contenders[i]!.name} failed (exit ${r.code}):\n${r.stderr}`);
      times[i]!.push(r);
    }
  }
  progress('');
  rmSync(outDir, { recursive: true, force: true });
  const base = contenders.findIndex((c) => c === BASELINE);
  return contenders.map((c, i) => ({
    what: `${c.name}${label ? ` (${label})` : ''}`,
    rows: d.rows,
    ms: median(times[i]!.map((t) => t.ms)),
    rssMiB: median(times[i]!.map((t) => t.rssMiB)),
    ...(base >= 0 && i !== base ? { ratio: median(times[i]!.map((t, k) => t.ms / times[base]![k]!.ms)) } : {}),
  }));
}

/** Times a short command `n` times (after one unmeasured run). */
async function startup(what: string, argv: string[], n: number): Promise<Row> {
  await run(argv);
  const runs: Run[] = [];
  for (let k = 0; k < n; k++) runs.push(await run(argv));
  return { what, ms: median(runs.map((r) => r.ms)), rssMiB: median(runs.map((r) => r.rssMiB)) };
}

/**
 * Loads (parses, checks, combines, compiles) the Lincang policy folder — both its versions, as
 * `guize eval --policy policies/lincang` does — in this process: warm, median of many. The
 * files are read once, before timing.
 */
function policyLoad(): Row {
  const dir = 'policies/lincang';
  const texts: Record<string, string> = { [`${dir}/policy.yaml`]: readFileSync(join(ROOT, dir, 'policy.yaml'), 'utf8') };
  for (const name of readdirSync(join(ROOT, dir, 'versions'))) texts[`${dir}/versions/${name}`] = readFileSync(join(ROOT, dir, 'versions', name), 'utf8');
  const once = () => {
    const loaded = loadPolicySet(memoryFiles(texts), dir).result;
    if (!loaded.ok) throw new Error('the Lincang policy does not load');
    compilePolicy(loaded.value.checked);
  };
  for (let k = 0; k < 20; k++) once();
  const ms: number[] = [];
  for (let k = 0; k < 30; k++) {
    const t0 = performance.now();
    once();
    ms.push(performance.now() - t0);
  }
  return { what: 'policy load in-process (2 versions: parse + check + combine + compile, warm)', ms: median(ms) };
}

function table(rows: readonly Row[]): string {
  const head = ['', 'rows', 'wall ms', 'rows/s', 'peak MiB', '× hand-written', '× one eval'];
  const cells = rows.map((r) => [
    r.what,
    r.rows === undefined ? '' : r.rows.toLocaleString('en'),
    r.ms.toFixed(r.ms < 100 ? 1 : 0),
    r.rows === undefined ? '' : Math.round(r.rows / (r.ms / 1000)).toLocaleString('en'),
    r.rssMiB === undefined || Number.isNaN(r.rssMiB) ? '' : r.rssMiB.toFixed(0),
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
    r.ratioToEval === undefined ? '' : `${r.ratioToEval.toFixed(2)}× eval`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** The teacher counts of the editor's latency rows (issue 9's targets: < 100 ms and < 500 ms). */
const EDITOR_TEACHERS = [1000, 10000];
const isEditorRow = (r: { what: string }) => r.what.startsWith('editor: ');

/** `--editor`: the editor's latency rows only, put into bench/results.json in place of its old ones. */
function editorOnly(o: Options, log: (s: string) => void): void {
  const rows: Row[] = editorLatency(ROOT, DATA, o.seed, EDITOR_TEACHERS, log);
  process.stdout.write(`\n${table(rows)}\n\n`);
  const file = join(ROOT, 'bench', 'results.json');
  const previous = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as { rows?: Row[] } : {};
  const results = { ...previous, rows: [...(previous.rows ?? []).filter((r) => !isEditorRow(r)), ...rows], editorDate: new Date().toISOString().slice(0, 10) };
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write('wrote the editor rows into bench/results.json (the other rows kept)\n');
}

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  if (o.editorOnly) {
    editorOnly(o, (s) => process.stderr.write(`${s}\n`));
    return;
  }
  if (!existsSync(join(ROOT, 'dist', 'baseline.mjs'))) throw new Error('dist/baseline.mjs is missing: run `npm run build`');
  const log = (s: string) => process.stderr.write(`${s}\n`);
  log(`guize bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; sizes ${o.sizes.map((n) => n.toLocaleString('en')).join(', ')}; ${o.runs} runs each, in turn`);
  const rows: Row[] = [];
  const evalRows: Row[] = [];

  for (const size of o.sizes) {
    const d = dataset(DATA, size, o.seed, 'numbered', log);
    const label = `${(size / 1e6).toFixed(size % 1e6 === 0 ? 0 : 1)} M rows`;
    const r = await compare(d, [GUIZE, BASELINE, GUIZE_PARALLEL], o.runs, label);
    rows.push(...r);
    evalRows.push(r[0]!);
  }
  // The diff of the two versions against one eval, on the smallest data set.
  {
    const smallest = Math.min(...o.sizes);
    const d = dataset(DATA, smallest, o.seed, 'numbered', log);
    rows.push(await diffAgainstEval(d, o.runs, `${(smallest / 1e6).toFixed(smallest % 1e6 === 0 ? 0 : 1)} M rows`));
  }
  // The comparison rows, at the smallest size and once each (JSON Logic takes minutes a million
  // rows): next to the hand-written program, run in turn with them.
  if (COMPARISONS.length > 0) {
    const smallest = Math.min(...o.sizes);
    const d = dataset(DATA, smallest, o.seed, 'numbered', log);
    const r = await compare(d, [BASELINE, ...COMPARISONS], 1, `${(smallest / 1e6).toFixed(smallest % 1e6 === 0 ? 0 : 1)} M rows, once`);
    rows.push(...r.slice(1));
  }
  // Memory with the worst ids for duplicate detection: random UUIDs, no order to exploit.
  const largest = Math.max(...o.sizes);
  const u = dataset(DATA, largest, o.seed, 'uuid', log);
  rows.push(...(await compare(u, [GUIZE, BASELINE], 1, `${(largest / 1e6).toFixed(1)} M rows, UUID ids`)));

  // Linear in rows: time per row at each size, against the smallest.
  const first = evalRows[0]!;
  const linearity = evalRows.map((r) => ({ rows: r.rows!, perRow: (r.ms / r.rows!) / (first.ms / first.rows!) }));

  rows.push(await startup('guize --version (whole process)', [node, 'bin/guize.mjs', '--version'], 10));
  rows.push(await startup('guize check --policy policies/lincang (whole process)', [node, 'bin/guize.mjs', 'check', '--policy', 'policies/lincang'], 10));
  rows.push(await startup('node -e 0 (the floor of any start-up)', [node, '-e', '0'], 10));
  rows.push(policyLoad());
  rows.push(...editorLatency(ROOT, DATA, o.seed, EDITOR_TEACHERS, log));

  process.stdout.write(`\n${table(rows)}\n\n`);
  process.stdout.write(`time per row against ${first.rows!.toLocaleString('en')} rows: ${linearity.map((l) => `${(l.rows / 1e6).toFixed(1)} M ${l.perRow.toFixed(2)}`).join(', ')}\n`);
  const date = new Date().toISOString().slice(0, 10);
  const results = { date, node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, runs: o.runs, seed: o.seed, rows, linearity };
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const headline = evalRows.map((r) => `${(r.rows! / 1e6).toFixed(1)} M: ${(r.ms / 1000).toFixed(2)} s, ${r.ratio?.toFixed(2)}×, ${r.rssMiB?.toFixed(0)} MiB`).join('; ');
  process.stdout.write(`\nwrote bench/results.json. For the README's history:\n| ${date} | ${headline} |\n`);
}

main().catch((e: unknown) => {
  progress('');
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
