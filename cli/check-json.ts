// `guize check --format json`: a policy's diagnostics as data, for editors and CI — one JSON
// document on standard output, whatever the diagnostics (the exit code says whether there were
// errors). Its shape is stable: `format` names its version, and fields are only ever added.

import { LineIndex, provenanceOf, type Diagnostic, type LoadedPolicySet, type ProvenanceEntry, type SourceFile } from '../dsl/index.ts';

/** The version of the document's shape; a change that removes or renames a field gets a new one. */
export const CHECK_JSON_FORMAT = 'guize-check/1';

/** A 1-based line and column (UTF-16 code units, as editors such as VS Code and Monaco count them). */
export interface PositionJson {
  readonly line: number;
  readonly column: number;
}

/** One diagnostic, as data. */
export interface DiagnosticJson {
  /** The stable code (see dsl/codes.ts), e.g. `unknown-key`. */
  readonly code: string;
  readonly severity: 'error' | 'warning';
  /** The file as the policy names it (relative to where guize runs, or as `--policy` gave it). */
  readonly file: string;
  /** Where the offending text starts; null when the diagnostic is about a file as a whole that was not read. */
  readonly line: number | null;
  readonly column: number | null;
  /** Just past the offending text (exclusive), as editors take a range's end. */
  readonly end: PositionJson | null;
  readonly message: { readonly zh: string; readonly en: string };
  /** What to do about it (English), when there is something useful to say. */
  readonly help?: string;
}

/** A version of the policy, as `guize check` lists it. */
export interface VersionJson {
  readonly id: string;
  readonly version: string;
  readonly effective: string;
  readonly until: string | null;
  readonly document: string;
  readonly hypothetical: boolean;
  readonly change: string | null;
  /** Whether `@VERSION` or `--as-of` chose it (false for all when none was chosen). */
  readonly chosen: boolean;
}

/** The whole document. */
export interface CheckJson {
  readonly format: typeof CHECK_JSON_FORMAT;
  /** No error: the policy can be evaluated. */
  readonly ok: boolean;
  readonly errors: number;
  readonly warnings: number;
  /** At most 50 (`truncated` says when there were more). */
  readonly diagnostics: readonly DiagnosticJson[];
  readonly truncated: boolean;
  /** The versions, by effective date; empty when the policy has errors. */
  readonly versions: readonly VersionJson[];
  /** With `--provenance` (and no error): what `guize check --provenance` lists. */
  readonly provenance?: { readonly policy: string; readonly version: string; readonly items: readonly ProvenanceEntry[] };
}

/** A diagnostic as data, its span turned into lines and columns of the file it points into. */
export function diagnosticJson(d: Diagnostic, files: ReadonlyMap<string, SourceFile>, indexes = new Map<string, LineIndex>()): DiagnosticJson {
  const file = files.get(d.span.file);
  let at: { line: number; column: number; end: PositionJson } | undefined;
  if (file) {
    let index = indexes.get(file.name);
    if (!index) indexes.set(file.name, (index = new LineIndex(file.text)));
    const from = index.position(d.span.start);
    at = { ...from, end: index.position(Math.max(d.span.start, d.span.end)) };
  }
  return {
    code: d.code, severity: d.severity, file: d.span.file,
    line: at?.line ?? null, column: at?.column ?? null, end: at?.end ?? null,
    message: { zh: d.zh, en: d.message },
    ...(d.help === undefined ? {} : { help: d.help }),
  };
}

/** The document for a loaded (or failed) policy set. */
export function checkJson(loaded: LoadedPolicySet, cap: number, provenance: boolean): CheckJson {
  const all = loaded.result.diagnostics;
  const indexes = new Map<string, LineIndex>();
  const diagnostics = all.map((d) => diagnosticJson(d, loaded.sources, indexes));
  const errors = all.filter((d) => d.severity === 'error').length;
  const base = {
    format: CHECK_JSON_FORMAT, ok: loaded.result.ok, errors, warnings: all.length - errors,
    diagnostics, truncated: all.length >= cap,
  } as const;
  if (!loaded.result.ok) return { ...base, versions: [] };
  const set = loaded.result.value;
  const versions = set.versions.map((v): VersionJson => ({
    id: v.ast.id, version: v.ast.version, effective: v.ast.effective, until: v.ast.until ?? null, document: v.ast.document,
    hypothetical: v.ast.hypothetical === true, change: v.ast.change ?? null, chosen: v.ast.version === set.chosen,
  }));
  if (!provenance) return { ...base, versions };
  // The version chosen, or else the latest: what is in force now (as the table shows).
  const v = set.versions.find((x) => x.ast.version === set.chosen) ?? set.versions[set.versions.length - 1]!;
  return { ...base, versions, provenance: { policy: v.ast.id, version: v.ast.version, items: provenanceOf(v.ast, set.origins, loaded.sources) } };
}
