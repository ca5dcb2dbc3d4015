// The editor's evaluation, as `guize eval --format json` does it (cli/eval-command.ts,
// cli/load-policy.ts): the policy folder's texts → loadPolicySet → compilePolicy → the subjects
// file, then the records, through the byte scanner → the JSON report, written by the same
// writer as the CLI's and read back. No DOM and no Node: it runs in the editor's web worker and
// under vitest (test/editor-evaluate.test.ts compares it with the CLI's output).

import {
  LineIndex, loadPolicySet, memoryFiles, provenanceOf, versionInfo, type Diagnostic, type ProvenanceEntry, type SourceFile,
  type VersionChoice,
} from '../../dsl/index.ts';
import { compilePolicy, Evaluation, JsonWriter, writeReport, type Program } from '../../engine/index.ts';
import { InputProblem, readData, type DataFile, type ProgressCallback } from './read-data.ts';

export type { DataFile, ProgressCallback } from './read-data.ts';

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

/** What loading, checking and compiling the edited policy gives, before any row is read. */
export interface CheckedPolicy {
  readonly diagnostics: readonly PlacedDiagnostic[];
  readonly versions: readonly VersionSummary[];
  readonly chosen: string | undefined;
  readonly provenance: readonly ProvenanceEntry[];
  readonly subject: { readonly key: string; readonly collection: string } | undefined;
  /** The compiled program; undefined when the policy has errors. */
  readonly program: Program | undefined;
}

/** Loads, checks and compiles the policy's texts (as `guize check` and the start of `guize eval` do). */
export function checkPolicy(files: Readonly<Record<string, string>>, path: string, choice: VersionChoice): CheckedPolicy {
  const loaded = loadPolicySet(memoryFiles(files), path, choice);
  const diagnostics = placeDiagnostics(loaded.result.diagnostics, loaded.sources);
  if (!loaded.result.ok) return { diagnostics, versions: [], chosen: undefined, provenance: [], subject: undefined, program: undefined };
  const set = loaded.result.value;
  const versions = set.versions.map((v) => ({ ...versionInfo(v.ast), policy: v.ast.id, hypothetical: v.ast.hypothetical === true }));
  const current = set.versions.find((x) => x.ast.version === set.chosen) ?? set.versions[set.versions.length - 1]!;
  const provenance = provenanceOf(current.ast, set.origins, loaded.sources);
  const program = compilePolicy(set.checked);
  const subject = { key: program.policy.subject.key, collection: program.policy.subject.collection };
  return { diagnostics, versions, chosen: set.chosen, provenance, subject, program };
}

/** Loads, checks, compiles and evaluates; never throws for a bad policy or bad data. */
export function evaluatePolicy(req: EvaluationRequest, progress: ProgressCallback = () => {}): EvaluationOutcome {
  const t0 = performance.now();
  const { program, ...checked } = checkPolicy(req.files, req.path, req.choice);
  const base = { ...checked, inputWarnings: [] as string[] };
  if (!program) return { ...base, report: undefined, inputError: undefined, milliseconds: performance.now() - t0 };
  const warnings: string[] = [];
  try {
    const report = run(program, req, warnings, progress);
    return { ...base, report, inputError: undefined, inputWarnings: warnings, milliseconds: performance.now() - t0 };
  } catch (e) {
    if (!(e instanceof InputProblem)) throw e;
    return { ...base, report: undefined, inputError: e.message, inputWarnings: warnings, milliseconds: performance.now() - t0 };
  }
}

function run(program: Program, req: EvaluationRequest, warnings: string[], progress: ProgressCallback): Report {
  const evaluation = new Evaluation(program);
  readData([program], evaluation, req.records, req.subjects, warnings, progress);
  const chunks: Uint8Array[] = [];
  const w = new JsonWriter((c) => chunks.push(c.slice()), false, 1 << 20);
  writeReport(evaluation.results(), w);
  w.flush();
  const text = new TextDecoder().decode(concat(chunks));
  return JSON.parse(text) as Report;
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
