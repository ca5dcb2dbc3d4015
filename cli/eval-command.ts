// `guize eval`: read the subjects file and the records into an evaluation, then stream the
// results out in the chosen format.

import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseCommandArgs } from './args.ts';
import type { InputMapping } from '../dsl/index.ts';
import { detectFormat, Evaluation, JsonWriter, layoutRows, layoutSink, maskIdNumbers, recogniseLayout, writeNdjsonReport, writeReport, type CsvSink, type InputEvent, type LayoutHooks, type Program, type RowLayout, type ReportInput, type ResultStream } from '../engine/index.ts';
import { writeCsv } from './csv-format.ts';
import { encodingOption, type EncodingName } from './encoding.ts';
import { writeRejectedCsv } from './rejected-csv.ts';
import { INPUT_ALIASES, INPUT_OPTIONS, isUtf8Start, READ_OPTIONS, streamRows, subjectsFileOf } from './inputs.ts';
import { InputFailure, UsageError, type Io } from './io.ts';
import { loadPolicyAt, policyArgument, type LoadedProgram } from './load-policy.ts';
import { policyMappings } from './mappings.ts';
import { isXlsxFile, streamXlsx } from './xlsx-input.ts';
import { writeXlsx } from './xlsx-output.ts';
import { MIN_PARALLEL_BYTES, readInParts, startParts, type PartsInFlight } from './parallel.ts';
import { openOutput, type Output } from './output.ts';
import { writeTable } from './table-format.ts';
import { NO_PROGRESS, progressLine, type Progress } from './progress.ts';

const FORMATS = ['json', 'ndjson', 'csv', 'table', 'xlsx'] as const;
/** Bytes written to the output at a time: large writes, few system calls. */
const OUTPUT_BUFFER = 1 << 20;
type Format = (typeof FORMATS)[number];
/** The formats written as text or JSON to the output (xlsx is a workbook, written by exceljs). */
type StreamFormat = Exclude<Format, 'xlsx'>;

/**
 * What reading one input file checks and says of its columns: a CSV lacking a required column
 * stops the run up front (every row would be rejected for it); header problems and unknown
 * columns are warnings on stderr — the columns of NDJSON are only all known at the end.
 */
export function columnChecks(program: Program, which: 'records' | 'subjects', path: string, io: Io) {
  const fields = which === 'records' ? program.policy.record.fields : program.policy.subject.fields;
  let columns: readonly string[] = [];
  let headerSeen = false;
  const checks = {
    warn: (line: number, reason: string) => io.err(`警告 warning: ${path}:${line}: ${reason}\n`),
    requireColumns: (names: readonly string[]) => {
      headerSeen = true;
      columns = names;
      const missing = fields.filter((f) => f.required && !names.includes(f.id)).map((f) => f.id);
      if (missing.length > 0) {
        throw new InputFailure(`${path} 缺少必需的列 ${missing.join(', ')} / ${path} lacks the required column(s) ${missing.join(', ')}`);
      }
    },
    csvColumns: () => columns,
    /** After the whole file: a CSV without even a header, and the columns the policy does not know. */
    done: (format: 'csv' | 'ndjson', seen: readonly string[]) => {
      if (format === 'csv' && !headerSeen) checks.requireColumns([]);
      const known = new Set(fields.map((f) => f.id));
      const unknown = seen.filter((c) => !known.has(c));
      if (unknown.length > 0) io.err(`警告 warning: ${path}: 忽略未知列 ignoring unknown column(s): ${unknown.join(', ')}\n`);
    },
  };
  return checks;
}

/** How the input files are read: `--encoding` (see cli/encoding.ts), and the policy's input mappings. */
export interface InputSettings {
  readonly encoding?: EncodingName | undefined;
  /** The layouts a file may be in besides the canonical one (recognised from its header). */
  readonly mappings?: readonly InputMapping[] | undefined;
  /** `--sheet`: the sheet of a records workbook to read (else its first). */
  readonly sheet?: string | undefined;
  /** Filled in as files are read: the mapping each was read with. */
  readonly used?: Map<'records' | 'subjects', InputMapping> | undefined;
}

/**
 * The sink wrapper that reads a file of `which` in its layout (engine/input/mapping.ts): the
 * mapping recognised from the header (said on stderr, kept in `settings.used`), personal columns
 * left out with a warning.
 */
function layoutsFor(program: Program, which: 'records' | 'subjects', path: string, io: Io, settings: InputSettings): (inner: CsvSink) => CsvSink {
  const { required, known, hooks } = layoutParts(program, which, path, io, settings);
  return (inner) => layoutSink(inner, settings.mappings ?? [], which, required, known, hooks);
}

/** The NDJSON counterpart of layoutsFor: each row mapped as the layout recognised from the first row's keys says. */
function rowLayoutFor(program: Program, which: 'records' | 'subjects', path: string, io: Io, settings: InputSettings): RowLayout {
  const { required, known, hooks } = layoutParts(program, which, path, io, settings);
  return layoutRows(settings.mappings ?? [], which, required, known, hooks);
}

/** What recognising a layout needs: the file's required and known fields, and what to say on stderr. */
function layoutParts(program: Program, which: 'records' | 'subjects', path: string, io: Io, settings: InputSettings): { required: string[]; known: string[]; hooks: LayoutHooks } {
  const fields = which === 'records' ? program.policy.record.fields : program.policy.subject.fields;
  return {
    required: fields.filter((f) => f.required).map((f) => f.id),
    known: fields.map((f) => f.id),
    hooks: {
      recognised: (m) => {
        if (m === undefined) return;
        settings.used?.set(which, m);
        io.err(`${path}: 按输入映射 '${m.id}'（${m.file}）读取 / read with the input mapping '${m.id}' (${m.title}, ${m.file})\n`);
      },
      privateColumns: (names, why) => io.err(why === 'name'
        ? `警告 warning: ${path}: 未读取含个人信息的列 ${names.join(', ')}（其内容不会显示）/ left out the column(s) holding personal data: ${names.join(', ')} (their values are never shown)\n`
        : `警告 warning: ${path}: 列 ${names.join(', ')} 含身份证号，未读取（其内容不会显示）/ the column(s) ${names.join(', ')} hold ID-card numbers: left out (their values are never shown)\n`),
    },
  };
}

/** Whether the first line of a CSV file is a header in the canonical layout (no mapping would be used for it). */
function canonicalHeader(program: Program, path: string, mappings: readonly InputMapping[]): boolean {
  if (mappings.length === 0) return true;
  try {
    const fd = openSync(path, 'r');
    try {
      const head = new Uint8Array(1 << 16);
      const n = readSync(fd, head, 0, head.length, 0);
      const text = new TextDecoder().decode(head.subarray(0, n));
      const lf = text.search(/[\r\n]/);
      const names = (lf < 0 ? text : text.slice(0, lf)).replace(/^\uFEFF/, '').split(',').map((x) => x.trim());
      const required = program.policy.record.fields.filter((f) => f.required).map((f) => f.id);
      return recogniseLayout(names, required, mappings, 'records') === undefined;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** What reading one input file checks of its columns (see columnChecks). */
export type ColumnChecks = ReturnType<typeof columnChecks>;

/**
 * Where the rows of one input file go: an evaluation's sinks, or both sides of a diff. `sink` is
 * the CSV sink (before the layout wrapper), `add` takes NDJSON rows.
 */
export interface InputTarget {
  sink(requireColumns: (names: readonly string[]) => void, warn: (line: number, reason: string) => void): CsvSink;
  add(e: InputEvent): void;
}

/**
 * Reads one input file into `target` as every command reads it — CSV, NDJSON or an XLSX workbook,
 * in any encoding (`settings.encoding`), in any layout a mapping of the policy declares — on this
 * thread. `program` gives the fields the layout is recognised by; `c` the column checks (a diff
 * passes checks of both its policies).
 */
export async function readInputFile(
  program: Program, which: 'records' | 'subjects', path: string, io: Io, settings: InputSettings, target: InputTarget,
  c: ColumnChecks = columnChecks(program, which, path, io),
): Promise<void> {
  const layouts = layoutsFor(program, which, path, io, settings);
  // NDJSON rows through the mappings too (a file with none is read as it is, row objects untouched).
  const mapped = (settings.mappings ?? []).length > 0 ? rowLayoutFor(program, which, path, io, settings) : undefined;
  const rows = {
    csv: () => layouts(target.sink(c.requireColumns, c.warn)),
    event: (e: InputEvent) => (e.kind === 'error' ? (e.header ? c.warn(e.line, e.reason) : target.add(e)) : target.add(mapped ? mapped.row(e) : e)),
  };
  const fieldsOf = (format: 'csv' | 'ndjson', columns: readonly string[]) => (format === 'ndjson' && mapped ? mapped.columns(columns) : columns);
  if (isXlsxFile(path)) {
    const read = await streamXlsx(path, rows, c.csvColumns, which === 'records' ? settings.sheet : undefined, progressFor(io, path, undefined));
    c.done(read.format, fieldsOf(read.format, read.columns));
    return;
  }
  if (settings.sheet !== undefined && which === 'records') throw new InputFailure(`--sheet 只用于 XLSX 工作簿 / --sheet goes with an XLSX workbook (${path} is not one)`);
  const { format, columns } = await streamRows(path, rows, c.csvColumns, progressFor(io, path, path === '-' ? undefined : fileSize(path)), {
    encoding: settings.encoding,
    notice: (message) => io.err(`警告 warning: ${message}\n`),
  });
  c.done(format, fieldsOf(format, columns));
}

/** Streams one input file into the evaluation, on this thread. */
export async function readInto(program: Program, evaluation: Evaluation, which: 'records' | 'subjects', path: string, io: Io, settings: InputSettings = {}): Promise<void> {
  await readInputFile(program, which, path, io, settings, {
    sink: (requireColumns, warn) => (which === 'records' ? evaluation.recordSink(requireColumns, warn) : evaluation.subjectSink(requireColumns, warn)),
    add: (e) => (which === 'records' ? evaluation.addRecord(e) : evaluation.addSubject(e)),
  });
}

/**
 * How many threads to read a large records file on by default: one fewer than the cores, up to
 * four — one core stays for the garbage collector and the compiler, which a single thread already
 * keeps busy (on two cores, two threads measured no faster than one; see the README).
 */
function defaultThreads(): number {
  const cores = typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
  return Math.max(1, Math.min(4, cores - 1));
}

/**
 * Starts reading the records on several threads when that is how they are read — a large CSV file
 * (cli/parallel.ts) — and undefined otherwise (they are read on this thread). `threads` as given
 * by --threads (undefined: the default, for files worth it). Called before the subjects file is
 * read: the workers read it too, meanwhile.
 */
function startRecordParts(loaded: LoadedProgram, path: string, subjects: string | undefined, threads: number | undefined, settings: InputSettings): PartsInFlight | undefined {
  const n = threads ?? defaultThreads();
  // Only a UTF-8 file is cut into parts (the parts read its bytes as they are), and only one in
  // the canonical layout (the workers' sinks know no mapping; this thread's checks its header).
  const plain = settings.encoding === undefined || settings.encoding === 'utf-8';
  if (n > 1 && path !== '-' && plain && !isXlsxFile(path) && isCsvFile(path) && isUtf8Start(path) && (threads !== undefined || fileSize(path) >= MIN_PARALLEL_BYTES)
    && canonicalHeader(loaded.program, path, settings.mappings ?? [])) {
    return startParts({ policy: loaded, subjects, records: path, threads: n });
  }
  return undefined;
}

/** Reads the records: in the parts started (see {@link startRecordParts}), else on this thread. */
async function readRecords(loaded: LoadedProgram, evaluation: Evaluation, path: string, parts: PartsInFlight | undefined, io: Io, settings: InputSettings): Promise<void> {
  if (parts) {
    const c = columnChecks(loaded.program, 'records', path, io);
    const read = await readInParts(parts, {
      evaluation, sink: layoutsFor(loaded.program, 'records', path, io, settings)(evaluation.recordSink(c.requireColumns, c.warn)),
      progress: (label, total) => progressFor(io, label, total),
    });
    if (process.env.GUIZE_DEBUG) io.err(`guize: read in ${read.parts} parts${read.fallback ? `, then on one thread: ${read.fallback}` : ''}\n`);
    c.done('csv', c.csvColumns());
    return;
  }
  await readInto(loaded.program, evaluation, 'records', path, io, settings);
}

/** A progress line on standard error when it is a terminal; nothing otherwise. */
export function progressFor(io: Io, label: string, total: number | undefined): Progress {
  return io.stderrIsTTY ? progressLine({ write: (t) => io.err(t), now: () => performance.now() }, label, total) : NO_PROGRESS;
}

export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // reading it says why it cannot be read
  }
}

/** Whether a file is read as CSV: by its name, or by its first bytes (as detectFormat decides). */
function isCsvFile(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = new Uint8Array(256);
      const n = readSync(fd, head, 0, head.length, 0);
      return fstatSync(fd).isFile() && detectFormat(path, new TextDecoder().decode(head.subarray(0, n))) === 'csv';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

export async function evalCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      ...INPUT_OPTIONS,
      ...READ_OPTIONS,
      format: { type: 'string', default: 'json' },
      pretty: { type: 'boolean', default: false },
      out: { type: 'string' },
      threads: { type: 'string' },
      'fail-on-noncompliant': { type: 'boolean', default: false },
      rejected: { type: 'string' },
      lang: { type: 'string' },
    },
    aliases: INPUT_ALIASES,
  });
  if (!values.policy || !values.records) throw new InputFailure('需要 --policy 和 --records / --policy and --records are required');
  const format = (values.format ?? 'json') as Format;
  if (!FORMATS.includes(format)) throw new InputFailure(`未知的输出格式 '${format}' / unknown --format '${format}' (${FORMATS.join(', ')})`);
  const lang = values.lang ?? 'zh';
  if (lang !== 'zh' && lang !== 'en') throw new InputFailure(`未知的语言 '${lang}' / unknown --lang '${lang}' (zh, en)`);
  if (values.lang !== undefined && format !== 'xlsx') throw new InputFailure('--lang 只用于 --format xlsx / --lang goes with --format xlsx');
  if (format === 'xlsx' && (values.out === undefined || values.out === '-')) throw new InputFailure('--format xlsx 需要 --out FILE.xlsx / --format xlsx needs --out FILE.xlsx (a workbook is no text for standard output)');
  const subjectsFile = subjectsFileOf(values);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64)) {
    throw new InputFailure(`--threads 应为 1 到 64 的整数 / --threads takes a whole number from 1 to 64 (got '${values.threads}')`);
  }
  if (values.rejected !== undefined) checkRejectedFile(values.rejected, [values.records, subjectsFile, values.out]);
  const { path, choice } = policyArgument(values.policy, values['as-of']);
  const loaded = loadPolicyAt(path, choice, io);
  if (!loaded) return 2;
  const program = loaded.program;

  // GUIZE_DEBUG: how long each phase took, to measure where a run's time goes.
  const debug = process.env.GUIZE_DEBUG ? (what: string, since: number) => io.err(`guize: ${what} took ${(performance.now() - since).toFixed(0)} ms\n`) : undefined;
  debug?.('start-up and policy load', 0); // since the process started
  const mappings = policyMappings(loaded, io);
  if (mappings === undefined) return 2;
  const settings: InputSettings = { encoding: encodingOption(values.encoding), mappings, sheet: values.sheet, used: new Map() };
  const evaluation = new Evaluation(program);
  // No ID-card number from a file is ever shown: not in a warning, not in a reason.
  const readIo: Io = { ...io, err: (t) => io.err(maskIdNumbers(t)) };
  const parts = startRecordParts(loaded, values.records, subjectsFile, threads, settings);
  try {
    const tSubjects = performance.now();
    if (subjectsFile) await readInto(program, evaluation, 'subjects', subjectsFile, readIo, settings);
    debug?.('reading the subjects', tSubjects);
    const tRecords = performance.now();
    await readRecords(loaded, evaluation, values.records, parts, readIo, settings);
    debug?.('reading the records', tRecords);
  } catch (e) {
    // Stopped by a bad input file: the workers still reading would keep the process alive.
    parts?.cancel();
    throw e;
  }
  // Non-compliant subjects are counted as the writer goes through them (each is worked out once).
  // The JSON and NDJSON writers are done with each subject before the next: its memory is reused.
  const all = withoutIdNumbers(evaluation.results({ transient: format === 'json' || format === 'ndjson' }));
  let nonCompliant = 0;
  const results: ResultStream = {
    ...all,
    *subjects() {
      for (const s of all.subjects()) {
        if (!s.compliant) nonCompliant++;
        yield s;
      }
    },
  };

  const t0 = performance.now();
  if (format === 'xlsx') {
    await writeXlsx(results, values.out!, lang);
    return 0;
  }
  const out = openOutput(values.out, io);
  try {
    write(out, format, results, values.pretty || (values.out === undefined && io.stdoutIsTTY === true), reportInput(program, settings));
  } finally {
    out.close();
  }
  if (process.env.GUIZE_DEBUG) io.err(`guize: results written in ${(performance.now() - t0).toFixed(0)} ms\n`);
  if (values.rejected !== undefined) await writeRejectedCsv(all, { records: values.records, subjects: subjectsFile }, values.rejected, io);
  return values['fail-on-noncompliant'] && nonCompliant > 0 ? 1 : 0;
}

/**
 * `--rejected FILE` reads the input files a second time, so neither may be standard input; and
 * it must not overwrite an input or the results.
 */
function checkRejectedFile(rejected: string, others: readonly (string | undefined)[]): void {
  if (others.slice(0, 2).includes('-')) {
    throw new UsageError('--rejected 需要从文件读取输入，不能用标准输入 / --rejected reads the input files again: give them as files, not standard input (-)');
  }
  const same = others.find((o) => o !== undefined && o !== '-' && resolve(o) === resolve(rejected));
  if (same !== undefined) throw new UsageError(`--rejected 不能覆盖 ${same} / --rejected would overwrite ${same}`);
}

/** The results with every ID-card number in a rejected row's reason masked (the same object when there is none). */
function withoutIdNumbers(r: ResultStream): ResultStream {
  if (!r.rejected.some((x) => maskIdNumbers(x.reason) !== x.reason)) return r;
  return { ...r, rejected: r.rejected.map((x) => ({ ...x, reason: maskIdNumbers(x.reason) })) };
}

/** The report's `input` block: the mapping each file was read with (none when both were canonical). */
function reportInput(program: Program, settings: InputSettings): ReportInput | undefined {
  const used = settings.used;
  if (used === undefined || used.size === 0) return undefined;
  const entry = (m: InputMapping) => ({ mapping: m.id, title: m.title, file: m.file });
  const input: Record<string, ReturnType<typeof entry>> = {};
  const r = used.get('records');
  const s = used.get('subjects');
  if (r) input.records = entry(r);
  if (s) input[program.policy.subject.collection] = entry(s);
  return input;
}

function write(out: Output, format: StreamFormat, results: ReturnType<Evaluation['results']>, pretty: boolean, input?: ReportInput): void {
  switch (format) {
    case 'json': {
      const w = new JsonWriter(out.sink, pretty, OUTPUT_BUFFER);
      writeReport(results, w, input);
      w.newline();
      w.flush();
      return;
    }
    case 'ndjson': {
      const w = new JsonWriter(out.sink, false, OUTPUT_BUFFER);
      writeNdjsonReport(results, w);
      w.flush();
      return;
    }
    case 'csv':
      return writeTextChunks(out, (text) => writeCsv(results, text));
    case 'table':
      return writeTextChunks(out, (text) => writeTable(results, text));
  }
}

/** Collects text into chunks of about 64 KiB before encoding and writing them. */
function writeTextChunks(out: Output, produce: (text: (s: string) => void) => void): void {
  let parts: string[] = [];
  let size = 0;
  produce((s) => {
    parts.push(s);
    size += s.length;
    if (size >= 1 << 16) {
      out.text(parts.join(''));
      parts = [];
      size = 0;
    }
  });
  if (parts.length > 0) out.text(parts.join(''));
}
