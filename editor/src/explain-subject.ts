// The editor's explanation of one subject, as `guize explain --format json` gives it
// (cli/explain-command.ts): the policy's texts loaded and compiled, one pass over the records
// traced for that subject only, the explainer's document with the provenance of every version.
// No DOM and no Node: it runs in the editor's web worker and under vitest
// (test/editor-evaluate.test.ts compares it with the CLI's output).

import { loadPolicySet, memoryFiles, provenanceOf, type PolicySet, type ProvenanceEntry, type SourceFile, type VersionChoice } from '../../dsl/index.ts';
import { compilePolicy, Evaluation, SubjectExplainer, type CycleExplanations, type Explanation, type Program } from '../../engine/index.ts';
import { InputProblem, readData, type DataFile } from './read-data.ts';

/** A policy among the editor's files: its texts by path, its folder, the version choice. */
export interface PolicyRef {
  readonly files: Readonly<Record<string, string>>;
  readonly path: string;
  readonly choice: VersionChoice;
}

/** A policy loaded without errors and compiled. */
export interface LoadedProgram {
  readonly program: Program;
  readonly set: PolicySet;
  readonly sources: ReadonlyMap<string, SourceFile>;
}

/** Loads and compiles a policy; undefined when it has errors (the live evaluation lists them). */
export function loadProgram(ref: PolicyRef): LoadedProgram | undefined {
  const loaded = loadPolicySet(memoryFiles(ref.files), ref.path, ref.choice);
  if (!loaded.result.ok) return undefined;
  return { program: compilePolicy(loaded.result.value.checked), set: loaded.result.value, sources: loaded.sources };
}

/** What explaining one subject gives. */
export type ExplainOutcome =
  /**
   * `doc` is the subject's explanation; in a repeating cycle, the last cycle's, and `cycles` holds
   * every cycle's (as `guize explain --format json` gives them), for the view to choose from.
   */
  | { readonly kind: 'explained'; readonly doc: Explanation; readonly cycles?: CycleExplanations }
  /** No row of the data names the subject. */
  | { readonly kind: 'not-found'; readonly id: string }
  /** The policy has errors (they are in the live evaluation's diagnostics). */
  | { readonly kind: 'policy-errors' }
  /** A data file cannot be used: the bilingual reason. */
  | { readonly kind: 'input-error'; readonly message: string };

/**
 * Reads the data into an evaluation of `program`, as read-data.ts's readData does (the worker
 * gives its kept rows instead: kept-data.ts).
 */
export type DataReader = (program: Program, evaluation: Evaluation) => void;

/** One subject's explanation under a policy, over the data (the files' bytes, or what `read` gives). */
export function explainSubject(ref: PolicyRef, id: string, records: DataFile, subjects: DataFile | undefined, read?: DataReader): ExplainOutcome {
  const loaded = loadProgram(ref);
  if (!loaded) return { kind: 'policy-errors' };
  const explainer = new SubjectExplainer(loaded.program, id);
  const evaluation = new Evaluation(loaded.program, { trace: explainer });
  try {
    if (read) read(loaded.program, evaluation);
    else readData([loaded.program], evaluation, records, subjects, []);
  } catch (e) {
    if (e instanceof InputProblem) return { kind: 'input-error', message: e.message };
    throw e;
  }
  const options = { provenance: provenanceByVersion(loaded) };
  if (loaded.program.cycles) {
    const cycles = explainer.explainCycles(evaluation, options);
    const last = cycles?.explanations.at(-1);
    return cycles && last ? { kind: 'explained', doc: last, cycles } : { kind: 'not-found', id };
  }
  const doc = explainer.explain(evaluation, options);
  return doc ? { kind: 'explained', doc } : { kind: 'not-found', id };
}

/** The provenance of every version of the policy, by version name (as the CLI gives it). */
function provenanceByVersion(loaded: LoadedProgram): Map<string, readonly ProvenanceEntry[]> {
  return new Map(loaded.set.versions.map((v) => [v.ast.version, provenanceOf(v.ast, loaded.set.origins, loaded.sources)]));
}
