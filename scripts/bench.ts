/**
 * Benchmark: the guize engine running policies/lincang/policy.yaml against the hand-written
 * Lincang evaluator (policies/lincang/handwritten.ts) on the same generated records.
 *
 *   npm run bench [-- --rows 300000] [-- --rounds 3] [-- --seed 1]
 *
 * Rows are generated once, in memory (messy: with the generator's invalid rows), as one CSV text
 * cut into 1 MiB chunks as the CLI reads files. After a warm-up, each round times, in an order that
 * rotates between rounds so no contender always runs on a cold or a fragmented heap:
 *   - CSV reading alone;
 *   - engine end to end: CSV reading + Evaluation + finish (no JSON formatting);
 *   - hand-written end to end: CSV reading + LincangEvaluator + finish;
 *   - each evaluator alone, over the same pre-read input events.
 * Medians are reported. The results of both evaluators are compared teacher by teacher; any
 * difference stops the run with exit code 1, since a fast wrong answer is no baseline.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadPolicy } from '../dsl/index.ts';
import { compilePolicy, createCsvReader, Evaluation, type EvaluationResult, type InputEvent, type Program } from '../engine/index.ts';
import { LincangEvaluator, type HandwrittenResult } from '../policies/lincang/handwritten.ts';
import { describeSample, generateRecordRows, TEACHER_COLUMNS } from '../test/support/lincang-sample.ts';

const CHUNK = 1 << 20;

function parseArgs(argv: readonly string[]): { rows: number; rounds: number; seed: number } {
  const o = { rows: 300_000, rounds: 3, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!.replace(/^--/, '');
    const value = argv[++i];
    if (!(name in o) || value === undefined || !/^\d+$/.test(value)) {
      throw new Error(`usage: npm run bench -- [--rows N] [--rounds N] [--seed S] (got ${argv.join(' ')})`);
    }
    o[name as keyof typeof o] = Number(value);
  }
  if (o.rows < 1 || o.rounds < 1) throw new Error('--rows and --rounds must be at least 1');
  return o;
}

function loadProgram(): Program {
  const file = new URL('../policies/lincang/policy.yaml', import.meta.url);
  const loaded = loadPolicy('policy.yaml', readFileSync(file, 'utf8'));
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return compilePolicy(loaded.value);
}

/** Exactly `rows` record rows (the last teacher may be cut short) and the teachers file they need. */
function generate(rows: number, seed: number): { chunks: string[]; teachers: string; teacherCount: number } {
  // The generator averages ~40 rows a teacher; ask for more teachers than needed and stop early.
  const gen = generateRecordRows({ teachers: Math.ceil(rows / 20) + 1, seed, messy: true });
  const lines: string[] = [gen.next().value as string];
  let lastTeacher = '';
  for (const line of gen) {
    lines.push(line);
    const t = line.split(',', 2)[1];
    if (t) lastTeacher = t;
    if (lines.length > rows) break;
  }
  const text = lines.join('\n') + '\n';
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += CHUNK) chunks.push(text.slice(i, i + CHUNK));
  const listed = describeSample({ teachers: Math.ceil(rows / 20) + 1, seed }).filter((t) => t.teacher_id <= lastTeacher);
  const teachers = [TEACHER_COLUMNS.join(','), ...listed.map((t) => TEACHER_COLUMNS.map((c) => t[c]).join(','))].join('\n') + '\n';
  return { chunks, teachers, teacherCount: listed.length };
}

/** Streams the chunks through a fresh CSV reader, handing each event to `sink`. */
function readCsv(chunks: readonly string[], sink: (e: InputEvent) => void): void {
  const r = createCsvReader();
  for (const c of chunks) for (const e of r.push(c)) sink(e);
  for (const e of r.end()) sink(e);
}

function readAll(chunks: readonly string[]): InputEvent[] {
  const out: InputEvent[] = [];
  readCsv(chunks, (e) => out.push(e));
  return out;
}

// A full collection before each timed run keeps one contender's garbage from being billed to
// the next. `--expose-gc` cannot be put on the npm script line, so it is switched on here.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function time(fn: () => unknown): number {
  gc();
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Fails loudly unless both evaluators report the same teachers, totals, violations and counts. */
function verify(program: Program, engine: EvaluationResult, hand: HandwrittenResult): number {
  const credits = program.measures.findIndex((m) => m.id === 'credits');
  const hours = program.measures.findIndex((m) => m.id === 'hours');
  const problems: string[] = [];
  if (engine.subjects.length !== hand.teachers.length) problems.push(`teachers: engine ${engine.subjects.length}, hand-written ${hand.teachers.length}`);
  engine.subjects.forEach((s, i) => {
    const h = hand.teachers[i];
    const ids = s.violations.map((v) => `${v.rule}${v.key === undefined ? '' : `[${v.key}]`}@${v.period ?? 'cycle'}`).join(' ');
    const e = `${s.id} ${s.compliant} ${String(s.cycle[credits])} ${String(s.cycle[hours])} ${ids}`;
    const x = h && `${h.teacher_id} ${h.compliant} ${h.credits.toString()} ${h.hours.toString()} ${h.violations.join(' ')}`;
    if (e !== x && problems.length < 10) problems.push(`engine: ${e}\n  hand:   ${x}`);
  });
  const counts = (c: { read: number; evaluated: number; rejected: number; outOfScope: number }) => `${c.read}/${c.evaluated}/${c.rejected}/${c.outOfScope}`;
  if (counts(engine.records) !== counts(hand.records)) problems.push(`read/evaluated/rejected/out of scope: engine ${counts(engine.records)}, hand-written ${counts(hand.records)}`);
  if (problems.length > 0) {
    console.error(`MISMATCH between the engine and the hand-written evaluator:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  return engine.subjects.filter((s) => s.compliant).length;
}

function main(): void {
  const { rows, rounds, seed } = parseArgs(process.argv.slice(2));
  const program = loadProgram();
  let t0 = performance.now();
  const generated = generate(rows, seed);
  const { teachers, teacherCount } = generated;
  let chunks = generated.chunks;
  const teacherEvents = readAll([teachers]);
  let events: InputEvent[] = [];
  const mb = chunks.reduce((n, c) => n + c.length, 0) / 1e6;
  console.log(`guize bench: ${rows.toLocaleString('en')} rows (${mb.toFixed(1)} MB CSV), ${teacherCount.toLocaleString('en')} teachers, seed ${seed}; generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  let engineResult: EvaluationResult | undefined;
  let handResult: HandwrittenResult | undefined;
  const runEngine = (feed: (sink: (e: InputEvent) => void) => void) => {
    const ev = new Evaluation(program);
    for (const e of teacherEvents) ev.addSubject(e);
    feed((e) => ev.addRecord(e));
    engineResult = ev.finish();
  };
  const runHand = (feed: (sink: (e: InputEvent) => void) => void) => {
    const ev = new LincangEvaluator();
    for (const e of teacherEvents) ev.addTeacher(e);
    feed((e) => ev.addRecord(e));
    handResult = ev.finish();
  };
  const fromCsv = (sink: (e: InputEvent) => void) => readCsv(chunks, sink);
  const fromEvents = (sink: (e: InputEvent) => void) => {
    for (const e of events) sink(e);
  };
  let sinkCount = 0;
  const cases = [
    { name: 'CSV reading alone', run: () => readCsv(chunks, () => void sinkCount++) },
    { name: 'engine: CSV + evaluate + finish', run: () => runEngine(fromCsv) },
    { name: 'hand-written: CSV + evaluate + finish', run: () => runHand(fromCsv) },
    { name: 'engine: evaluate + finish (events)', run: () => runEngine(fromEvents) },
    { name: 'hand-written: evaluate + finish (events)', run: () => runHand(fromEvents) },
  ];
  const times: number[][] = cases.map(() => []);

  t0 = performance.now();
  // Warm-up on a tenth of the input: enough for V8 to optimise every path before anything is timed.
  const full = chunks;
  chunks = full.slice(0, Math.max(1, Math.ceil(full.length / 10)));
  events = readAll(chunks);
  for (const c of cases) c.run();
  chunks = full;
  // Two phases: the streaming runs first, with no pre-read events alive (as in the CLI, where the
  // heap holds only per-teacher totals); then the runs over pre-read events, which keep every row
  // alive and so make each major GC slower, for both evaluators alike.
  for (const phase of [[0, 1, 2], [3, 4]]) {
    events = phase.includes(3) ? readAll(chunks) : [];
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < phase.length; k++) {
        const i = phase[(k + r) % phase.length]!;
        times[i]!.push(time(cases[i]!.run));
      }
      // Check after each round's runs of both evaluators: a mismatch must stop the run.
      verify(program, engineResult!, handResult!);
    }
  }
  events = [];
  const compliant = engineResult!.subjects.filter((s) => s.compliant).length;
  const med = times.map(median);
  console.log(`${rounds} rounds after a warm-up, ${((performance.now() - t0) / 1000).toFixed(1)} s; results agree (${compliant} of ${engineResult!.subjects.length} teachers compliant)\n`);
  const w = Math.max(...cases.map((c) => c.name.length));
  console.log(`${'median of rounds'.padEnd(w)}  ${'ms'.padStart(8)}  ${'rows/s'.padStart(10)}  ${'min ms'.padStart(8)}  ${'max ms'.padStart(8)}`);
  cases.forEach((c, i) => {
    const t = times[i]!;
    const rate = Math.round(rows / (med[i]! / 1000)).toLocaleString('en');
    console.log(`${c.name.padEnd(w)}  ${med[i]!.toFixed(0).padStart(8)}  ${rate.padStart(10)}  ${Math.min(...t).toFixed(0).padStart(8)}  ${Math.max(...t).toFixed(0).padStart(8)}`);
  });
  const [csv, engine, hand, engineOnly, handOnly] = med as [number, number, number, number, number];
  console.log(`\nengine / hand-written: ${(engine / hand).toFixed(2)}× end to end, ${(engineOnly / handOnly).toFixed(2)}× evaluation only (target ≤ 1.5×)`);
  console.log(`CSV reading is ${((csv / engine) * 100).toFixed(0)}% of the engine's end-to-end time and ${((csv / hand) * 100).toFixed(0)}% of the hand-written's`);
}

try {
  main();
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
