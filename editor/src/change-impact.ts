// The editor's change impact, as `guize diff --format json` gives it (cli/diff-command.ts): the
// base policy (as loaded, a chosen version, or a fork's parent) and the head (the texts as
// edited), both over the same rows in one pass (engine/diff's Diff), compared into the DiffJson
// document. No DOM and no Node: it runs in the editor's web worker and under vitest
// (test/editor-evaluate.test.ts compares it with the CLI's output).

import { parse } from 'yaml';
import { normalizePath } from '../../dsl/index.ts';
import { Diff, diffSide, type DiffJson } from '../../engine/diff/index.ts';
import { loadProgram, type PolicyRef } from './explain-subject.ts';
import { InputProblem, readData, type DataFile, type RowTarget } from './read-data.ts';

/** One side of the comparison: the policy, and how the document names it (`DiffSide.source`). */
export interface ImpactSide extends PolicyRef {
  readonly source: string;
}

/** What comparing two policies gives: the document, or why there is none. */
export type ImpactOutcome =
  | { readonly kind: 'compared'; readonly doc: DiffJson; readonly milliseconds: number }
  /** A side's policy has errors. */
  | { readonly kind: 'policy-errors'; readonly side: 'base' | 'head' }
  | { readonly kind: 'input-error'; readonly message: string };

/** Both policies over the data, compared. */
export function compareImpact(base: ImpactSide, head: ImpactSide, records: DataFile, subjects: DataFile | undefined): ImpactOutcome {
  const t0 = performance.now();
  const b = loadProgram(base);
  if (!b) return { kind: 'policy-errors', side: 'base' };
  const h = loadProgram(head);
  if (!h) return { kind: 'policy-errors', side: 'head' };
  // Both sides' code kept for the next edit's comparison (the base's is the same every time).
  const diff = new Diff(b.program, h.program, { reuseCode: true });
  // Each row goes to both sides; the columns are checked against both programs.
  const target: RowTarget = {
    recordSink: (onHeader, warn) => diff.recordSink((_side, columns) => onHeader(columns), warn),
    subjectSink: (onHeader, warn) => diff.subjectSink((_side, columns) => onHeader(columns), warn),
    addRecord: (e) => diff.addRecord(e),
    addSubject: (e) => diff.addSubject(e),
  };
  try {
    readData([b.program, h.program], target, records, subjects, []);
  } catch (e) {
    if (e instanceof InputProblem) return { kind: 'input-error', message: e.message };
    throw e;
  }
  const doc = diff.finish(diffSide(b.program, base.choice.version, base.source), diffSide(h.program, head.choice.version, head.source));
  return { kind: 'compared', doc, milliseconds: performance.now() - t0 };
}

/**
 * The parent folder of a fork (its `extends:` policy, relative to the fork's folder), or
 * undefined for a policy that extends none. Read from the text as loaded.
 */
export function parentOf(files: Readonly<Record<string, string>>, path: string): string | undefined {
  const text = files[`${path}/policy.yaml`] ?? files[`${path}/policy.yml`];
  if (text === undefined) return undefined;
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return undefined;
  }
  const ext = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>).extends : undefined;
  const rel = typeof ext === 'string' ? ext : ext !== null && typeof ext === 'object' ? (ext as Record<string, unknown>).policy : undefined;
  return typeof rel === 'string' ? normalizePath(`${path}/${rel}`) : undefined;
}
