// Reading the data files into what evaluates them, as the CLI reads files (cli/inputs.ts,
// cli/eval-command.ts, cli/diff-command.ts): CSV through the byte scanner, NDJSON line by line,
// strict UTF-8, the required columns of every program checked. The target is an Evaluation (eval,
// explain) or both sides of a Diff. No DOM and no Node: the worker and the tests run it.

import { CsvScanner, createNdjsonReader, detectFormat, RunawayLine, type CsvSink, type InputEvent, type Program } from '../../engine/index.ts';

/** A data file as the officer gave it (the sample, or a local file): its name and bytes. */
export interface DataFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** What rows are read into: an Evaluation has these; a Diff through {@link diffTarget}. */
export interface RowTarget {
  recordSink(onHeader: (columns: readonly string[]) => void, onWarning: (line: number, reason: string) => void): CsvSink;
  subjectSink(onHeader: (columns: readonly string[]) => void, onWarning: (line: number, reason: string) => void): CsvSink;
  addRecord(event: InputEvent): void;
  addSubject(event: InputEvent): void;
}

/** Reports how far reading the data has got: bytes done of the total. */
export type ProgressCallback = (done: number, total: number) => void;

/** An input file that cannot be used, with a bilingual reason (the CLI exits 2 for these). */
export class InputProblem extends Error {}

/** Bytes handed to the scanner at a time, as the CLI reads files. */
const CHUNK_BYTES = 4 << 20;

/** The subjects file (if any), then the records, into `target`; warnings are pushed to `warnings`. */
export function readData(
  programs: readonly Program[], target: RowTarget, records: DataFile, subjects: DataFile | undefined,
  warnings: string[], progress: ProgressCallback = () => {},
): void {
  const total = records.bytes.length + (subjects?.bytes.length ?? 0);
  let before = 0;
  const step = (n: number) => progress(before + n, total);
  const read = (which: 'records' | 'subjects', file: DataFile) => {
    try {
      readInto(programs, target, which, file, warnings, step);
    } catch (e) {
      // A line with no end (a binary file): the file is refused, named.
      throw e instanceof RunawayLine ? new InputProblem(`${file.name} ${e.message}`) : e;
    }
  };
  if (subjects) {
    read('subjects', subjects);
    before = subjects.bytes.length;
  }
  read('records', records);
}

/** One data file into the target. */
function readInto(programs: readonly Program[], target: RowTarget, which: 'records' | 'subjects', file: DataFile, warnings: string[], step: (n: number) => void): void {
  const fieldsOf = (p: Program) => (which === 'records' ? p.policy.record.fields : p.policy.subject.fields);
  const known = new Set(programs.flatMap((p) => fieldsOf(p).map((f) => f.id)));
  const warnUnknown = (names: readonly string[]) => {
    const unknown = names.filter((c) => !known.has(c));
    if (unknown.length > 0) warnings.push(`${file.name}: 忽略未知列 ignoring unknown column(s): ${unknown.join(', ')}`);
  };
  let headerSeen = false;
  const requireColumns = (names: readonly string[]) => {
    // A diff calls this once per side: the columns are checked, and warned about, once.
    if (headerSeen) return;
    headerSeen = true;
    for (const p of programs) {
      const missing = fieldsOf(p).filter((f) => f.required && !names.includes(f.id)).map((f) => f.id);
      if (missing.length > 0) throw new InputProblem(`${file.name} 缺少必需的列 ${missing.join(', ')} / ${file.name} lacks the required column(s) ${missing.join(', ')}`);
    }
    warnUnknown(names);
  };
  const warn = (line: number, reason: string) => warnings.push(`${file.name}:${line}: ${reason}`);
  const bytes = file.bytes;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const format = detectFormat(file.name, new TextDecoder().decode(bytes.subarray(0, 256)));
  if (format === 'csv') {
    const scanner = new CsvScanner(which === 'records' ? target.recordSink(requireColumns, warn) : target.subjectSink(requireColumns, warn));
    for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
      const chunk = bytes.subarray(at, Math.min(bytes.length, at + CHUNK_BYTES));
      utf8(decoder, chunk, file.name, () => scanner.lineAtEnd());
      scanner.push(chunk);
      step(at + chunk.length);
    }
    utf8(decoder, undefined, file.name, () => scanner.lineAtEnd());
    scanner.end();
    if (!headerSeen) requireColumns([]);
    return;
  }
  const reader = createNdjsonReader();
  const add = (e: InputEvent) => {
    if (e.kind === 'error' && e.header) warn(e.line, e.reason);
    else if (which === 'records') target.addRecord(e);
    else target.addSubject(e);
  };
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
    const chunk = bytes.subarray(at, Math.min(bytes.length, at + CHUNK_BYTES));
    const text = utf8(decoder, chunk, file.name, () => reader.lineAtEnd());
    for (const e of reader.push(text)) add(e);
    step(at + chunk.length);
  }
  for (const e of reader.push(utf8(decoder, undefined, file.name, () => reader.lineAtEnd()))) add(e);
  for (const e of reader.end()) add(e);
  warnUnknown(reader.columns());
}

/** Decodes a chunk as strict UTF-8 (streaming); a file that is not UTF-8 is refused, not misread. */
function utf8(decoder: { decode(input?: Uint8Array, options?: { stream?: boolean }): string }, chunk: Uint8Array | undefined, name: string, line: () => number): string {
  try {
    return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
  } catch {
    throw new InputProblem(`${name} 不是 UTF-8 编码的文本（约第 ${line()} 行）/ ${name} is not UTF-8 text (near line ${line()})`);
  }
}
