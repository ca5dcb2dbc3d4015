// The editor's evaluation, as `guize eval --format json` does it (cli/eval-command.ts,
// cli/load-policy.ts): the policy folder's texts → loadPolicySet → compilePolicy → the subjects
// file, then the records, through the byte scanner → the JSON report, written by the same
// writer as the CLI's and read back. No DOM and no Node: it runs in the editor's web worker and
// under vitest (test/editor-evaluate.test.ts compares it with the CLI's output).

import {
  LineIndex, loadPolicySet, memoryFiles, provenanceOf, versionInfo, type Diagnostic, type ProvenanceEntry, type SourceFile,
  type VersionChoice,
} from '../../dsl/index.ts';
import { compilePolicy, CsvScanner, createNdjsonReader, detectFormat, Evaluation, JsonWriter, writeReport, type Program } from '../../engine/index.ts';

/** A data file as the officer gave it (the sample, or a local file): its name and bytes. */
export interface DataFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A diagnostic with its place as editors count it (1-based lines and UTF-16 columns). */
export interface PlacedDiagnostic {
  readonly code: string;
  readonly severity: Diagnostic['severity'];
  readonly message: string;
  readonly zh: string;
  readonly help: string | undefined;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** One version of the policy as `guize check` lists it. */
export interface VersionSummary {
  readonly version: string;
  readonly effective: string;
  readonly until: string | undefined;
  readonly document: string;
  readonly hypothetical: boolean;
  readonly change: string | undefined;
  readonly file: string;
  readonly policy: string;
}

/** What one evaluation of the edited policy gives the editor. */
export interface EvaluationOutcome {
  /** Every diagnostic of every file read (errors stop the evaluation, warnings do not). */
  readonly diagnostics: readonly PlacedDiagnostic[];
  /** The report, exactly as `guize eval --format json` writes it; undefined when the policy has errors. */
  readonly report: Report | undefined;
  /** A data file that cannot be read as the policy needs (a missing column, text not UTF-8). */
  readonly inputError: string | undefined;
  /** Warnings about the data files (unknown columns, header problems), as the CLI prints them. */
  readonly inputWarnings: readonly string[];
  readonly versions: readonly VersionSummary[];
  /** The version chosen for everything, if one was. */
  readonly chosen: string | undefined;
  /** Where each item in force comes from (the chosen version, or the latest). */
  readonly provenance: readonly ProvenanceEntry[];
  /** The subject's key field and the report's collection (`teacher_id`, `teachers`), as the policy names them. */
  readonly subject: { readonly key: string; readonly collection: string } | undefined;
  readonly milliseconds: number;
}

/** The JSON report, as the CLI writes it (README, *JSON output*); read loosely, keyed by the policy's names. */
export type Report = Record<string, unknown> & { readonly summary: Record<string, unknown> };

/** What to evaluate: the policy's files by path, which policy and version, and the data. */
export interface EvaluationRequest {
  readonly files: Readonly<Record<string, string>>;
  /** The policy folder (or file) among `files`, e.g. `policies/lincang`. */
  readonly path: string;
  readonly choice: VersionChoice;
  readonly records: DataFile;
  readonly subjects: DataFile | undefined;
}

/** Reports how far reading the data has got: bytes done of the total. */
export type ProgressCallback = (done: number, total: number) => void;

/** An input file that cannot be used, with a bilingual reason (the CLI exits 2 for these). */
class InputProblem extends Error {}

/** Bytes handed to the scanner at a time, as the CLI reads files. */
const CHUNK_BYTES = 4 << 20;

export function placeDiagnostics(ds: readonly Diagnostic[], sources: ReadonlyMap<string, SourceFile>): PlacedDiagnostic[] {
  const indexes = new Map<string, LineIndex>();
  return ds.map((d) => {
    const text = sources.get(d.span.file)?.text ?? '';
    let index = indexes.get(d.span.file);
    if (!index) indexes.set(d.span.file, (index = new LineIndex(text)));
    const from = index.position(d.span.start);
    const to = index.position(Math.max(d.span.end, d.span.start + 1));
    return {
      code: d.code, severity: d.severity, message: d.message, zh: d.zh, help: d.help, file: d.span.file,
      line: from.line, column: from.column, endLine: to.line, endColumn: to.column,
    };
  });
}

/** Loads, checks, compiles and evaluates; never throws for a bad policy or bad data. */
export function evaluatePolicy(req: EvaluationRequest, progress: ProgressCallback = () => {}): EvaluationOutcome {
  const t0 = performance.now();
  const loaded = loadPolicySet(memoryFiles(req.files), req.path, req.choice);
  const diagnostics = placeDiagnostics(loaded.result.diagnostics, loaded.sources);
  const base = { diagnostics, versions: [] as VersionSummary[], chosen: undefined, provenance: [] as ProvenanceEntry[], inputWarnings: [] as string[], subject: undefined };
  if (!loaded.result.ok) return { ...base, report: undefined, inputError: undefined, milliseconds: performance.now() - t0 };
  const set = loaded.result.value;
  const versions = set.versions.map((v) => ({ ...versionInfo(v.ast), policy: v.ast.id, hypothetical: v.ast.hypothetical === true }));
  const current = set.versions.find((x) => x.ast.version === set.chosen) ?? set.versions[set.versions.length - 1]!;
  const provenance = provenanceOf(current.ast, set.origins, loaded.sources);
  const program = compilePolicy(set.checked);
  const subject = { key: program.policy.subject.key, collection: program.policy.subject.collection };
  const warnings: string[] = [];
  try {
    const report = run(program, req, warnings, progress);
    return { ...base, versions, chosen: set.chosen, provenance, subject, report, inputError: undefined, inputWarnings: warnings, milliseconds: performance.now() - t0 };
  } catch (e) {
    if (!(e instanceof InputProblem)) throw e;
    return { ...base, versions, chosen: set.chosen, provenance, subject, report: undefined, inputError: e.message, inputWarnings: warnings, milliseconds: performance.now() - t0 };
  }
}

function run(program: Program, req: EvaluationRequest, warnings: string[], progress: ProgressCallback): Report {
  const evaluation = new Evaluation(program);
  const total = req.records.bytes.length + (req.subjects?.bytes.length ?? 0);
  let before = 0;
  const step = (n: number) => progress(before + n, total);
  if (req.subjects) {
    readInto(program, evaluation, 'subjects', req.subjects, warnings, step);
    before = req.subjects.bytes.length;
  }
  readInto(program, evaluation, 'records', req.records, warnings, step);
  const chunks: Uint8Array[] = [];
  const w = new JsonWriter((c) => chunks.push(c.slice()), false, 1 << 20);
  writeReport(evaluation.results(), w);
  w.flush();
  const text = new TextDecoder().decode(concat(chunks));
  return JSON.parse(text) as Report;
}

/** One data file into the evaluation: CSV through the byte scanner, NDJSON line by line (cli/inputs.ts). */
function readInto(program: Program, evaluation: Evaluation, which: 'records' | 'subjects', file: DataFile, warnings: string[], step: (n: number) => void): void {
  const fields = which === 'records' ? program.policy.record.fields : program.policy.subject.fields;
  let headerSeen = false;
  const requireColumns = (names: readonly string[]) => {
    headerSeen = true;
    const missing = fields.filter((f) => f.required && !names.includes(f.id)).map((f) => f.id);
    if (missing.length > 0) throw new InputProblem(`${file.name} 缺少必需的列 ${missing.join(', ')} / ${file.name} lacks the required column(s) ${missing.join(', ')}`);
    const known = new Set(fields.map((f) => f.id));
    const unknown = names.filter((c) => !known.has(c));
    if (unknown.length > 0) warnings.push(`${file.name}: 忽略未知列 ignoring unknown column(s): ${unknown.join(', ')}`);
  };
  const warn = (line: number, reason: string) => warnings.push(`${file.name}:${line}: ${reason}`);
  const bytes = file.bytes;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const format = detectFormat(file.name, new TextDecoder().decode(bytes.subarray(0, 256)));
  if (format === 'csv') {
    const scanner = new CsvScanner(which === 'records' ? evaluation.recordSink(requireColumns, warn) : evaluation.subjectSink(requireColumns, warn));
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
  const add = (e: Parameters<Evaluation['addRecord']>[0]) => {
    if (e.kind === 'error' && e.header) warn(e.line, e.reason);
    else if (which === 'records') evaluation.addRecord(e);
    else evaluation.addSubject(e);
  };
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
    const chunk = bytes.subarray(at, Math.min(bytes.length, at + CHUNK_BYTES));
    const text = utf8(decoder, chunk, file.name, () => reader.lineAtEnd());
    for (const e of reader.push(text)) add(e);
    step(at + chunk.length);
  }
  for (const e of reader.push(utf8(decoder, undefined, file.name, () => reader.lineAtEnd()))) add(e);
  for (const e of reader.end()) add(e);
  const seen = reader.columns();
  const known = new Set(fields.map((f) => f.id));
  const unknown = seen.filter((c) => !known.has(c));
  if (unknown.length > 0) warnings.push(`${file.name}: 忽略未知列 ignoring unknown column(s): ${unknown.join(', ')}`);
}

/** Decodes a chunk as strict UTF-8 (streaming); a file that is not UTF-8 is refused, not misread. */
function utf8(decoder: { decode(input?: Uint8Array, options?: { stream?: boolean }): string }, chunk: Uint8Array | undefined, name: string, line: () => number): string {
  try {
    return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
  } catch {
    throw new InputProblem(`${name} 不是 UTF-8 编码的文本（约第 ${line()} 行）/ ${name} is not UTF-8 text (near line ${line()})`);
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
