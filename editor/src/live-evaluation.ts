// What the editor's worker does for each edit: the policy's texts loaded, checked and compiled
// (the diagnostics, answered at once), then the kept rows (kept-data.ts) evaluated and only
// what the results pane shows taken from the results — per subject the id, compliant or not,
// the number of violations and the measures of the table's columns, as typed arrays that
// postMessage transfers rather than copies; and the summary's counts. The full JSON report is
// not written: the numbers are those it would hold (jsonNumber, the writer's rounding), which
// test/editor-worker.test.ts holds to `guize eval`'s report. No DOM and no Node.

import type { VersionChoice } from '../../dsl/index.ts';
import { QUOTIENT_SLOT } from '../../engine/codegen/program.ts';
import { CompiledSubjectResult, VIOLATION_WIDTH } from '../../engine/compiled-subject.ts';
import { Decimal, Evaluation, Quotient, type Program } from '../../engine/index.ts';
import { jsonNumber, quotientParts, roundedParts } from '../../engine/output/display.ts';
import { checkPolicy, type CheckedPolicy } from './evaluate-policy.ts';
import type { KeptData } from './kept-data.ts';
import { InputProblem, type ProgressCallback } from './read-data.ts';

/** The first answer to an edit: what the checks say, and the policy's versions and provenance. */
export type LiveDiagnostics = Omit<CheckedPolicy, 'program'> & {
  /** Whether results follow (the policy has no errors). */
  readonly evaluates: boolean;
  readonly milliseconds: number;
};

/** One column of measure values: a number per subject (NaN where the report has none, or `texts` has it). */
export interface MeasureColumn {
  readonly measure: string;
  readonly values: Float64Array;
  /** Values the report writes as text (beyond what a double holds), by subject index. */
  readonly texts: Readonly<Record<number, string>>;
}

/** The summary's counts, as the JSON report's `summary` has them. */
export interface LiveSummary {
  readonly subjects: number;
  readonly compliant: number;
  readonly non_compliant: number;
  readonly rows_read: number;
  readonly evaluated: number;
  readonly rejected: number;
  readonly out_of_scope: number;
}

/** What the results pane shows of an evaluation: per subject (in id order, as the report lists them) and the counts. */
export interface LiveTable {
  readonly ids: readonly string[];
  /** In a repeating cycle: each row's cycle, as eval names it (a subject has a row per cycle); else undefined. */
  readonly cycles: readonly (string | undefined)[] | undefined;
  /** 1 compliant, 0 not. */
  readonly compliant: Uint8Array;
  readonly violations: Uint32Array;
  readonly columns: readonly MeasureColumn[];
  readonly summary: LiveSummary;
  readonly policy: { readonly id: string; readonly version: string; readonly document: string };
  /** Whether the rules ran as generated code (engine/codegen) rather than through the interpreter. */
  readonly compiled: boolean;
}

/** The second answer: the table, or why there is none. */
export interface LiveResult {
  readonly table: LiveTable | undefined;
  readonly inputError: string | undefined;
  readonly inputWarnings: readonly string[];
  /** From the request to the table made (the diagnostics' time included). */
  readonly milliseconds: number;
}

/** What to evaluate: the policy's texts, which policy and version, and the measures the table shows. */
export interface LiveRequest {
  readonly files: Readonly<Record<string, string>>;
  readonly path: string;
  readonly choice: VersionChoice;
  readonly columns: readonly string[];
}

/** The buffers of a table, for postMessage's transfer list. */
export function transferables(t: LiveTable | undefined): ArrayBuffer[] {
  if (!t) return [];
  return [t.compliant.buffer as ArrayBuffer, t.violations.buffer as ArrayBuffer, ...t.columns.map((c) => c.values.buffer as ArrayBuffer)];
}

/**
 * One edit: `diagnostics` is called as soon as the policy is checked, then the kept rows are
 * evaluated; the result is returned. Never throws for a bad policy or bad data.
 */
export function evaluateLive(req: LiveRequest, data: KeptData, diagnostics: (d: LiveDiagnostics) => void, progress: ProgressCallback = () => {}): LiveResult {
  const t0 = performance.now();
  const { program, ...checked } = checkPolicy(req.files, req.path, req.choice);
  diagnostics({ ...checked, evaluates: program !== undefined, milliseconds: performance.now() - t0 });
  if (!program) return { table: undefined, inputError: undefined, inputWarnings: [], milliseconds: performance.now() - t0 };
  const warnings: string[] = [];
  const evaluation = newEvaluation(program);
  try {
    data.readInto(program, evaluation, warnings, progress);
  } catch (e) {
    if (!(e instanceof InputProblem)) throw e;
    return { table: undefined, inputError: e.message, inputWarnings: warnings, milliseconds: performance.now() - t0 };
  }
  const table = tableOf(program, evaluation, req.columns);
  return { table, inputError: undefined, inputWarnings: warnings, milliseconds: performance.now() - t0 };
}

/**
 * An evaluation of `program`, its rules as generated code (engine/codegen, made with `new
 * Function`, kept for the next edit: EvaluationOptions.reuseCode) — or interpreted, where the page's Content-Security-Policy forbids making code
 * (an EvalError): the results are the same either way, only slower.
 */
export function newEvaluation(program: Program): Evaluation {
  try {
    // The policy's numbers handed to the code, and the code kept by its text: an edit of a
    // number runs on the code the browser already optimised for the edit before.
    return new Evaluation(program, { reuseCode: true });
  } catch (e) {
    if (e instanceof EvalError) return new Evaluation(program, { interpret: true });
    throw e;
  }
}

/** The table of an evaluation whose rows are all read. */
export function tableOf(program: Program, evaluation: Evaluation, columns: readonly string[]): LiveTable {
  const r = evaluation.results();
  const n = r.subjectCount;
  const ids: string[] = [];
  const cycles: (string | undefined)[] | undefined = program.cycles ? [] : undefined;
  const compliant = new Uint8Array(n);
  const violations = new Uint32Array(n);
  const measureIndex = columns.map((id) => program.measures.findIndex((m) => m.id === id));
  const cols = columns.map((measure) => ({ measure, values: new Float64Array(n).fill(NaN), texts: {} as Record<number, string> }));
  const put = (c: number, i: number, v: Decimal | Quotient) => {
    const x = jsonNumber(v);
    if (typeof x === 'number') cols[c]!.values[i] = x;
    else cols[c]!.texts[i] = x;
  };
  let i = 0;
  let good = 0;
  for (const s of r.subjects()) {
    ids.push(s.id);
    cycles?.push(s.cycleName);
    if (s.compliant) {
      compliant[i] = 1;
      good++;
    }
    violations[i] = s instanceof CompiledSubjectResult ? s.violationData.length / VIOLATION_WIDTH : s.violations.length;
    if (s instanceof CompiledSubjectResult) {
      // Straight from the generated code's numbers, rounded as the JSON writer rounds them (writeCompiledMeasures).
      const nums = s.numbers;
      const cycle = program.periods.length;
      measureIndex.forEach((j, c) => {
        if (j < 0 || program.measures[j]!.grouped) return;
        const o = s.at(cycle, s.output.slot[j]!);
        const quotient = nums[o + 1] === QUOTIENT_SLOT;
        const r = quotient ? quotientParts(nums[o + 2]!, nums[o + 3]!, nums[o + 4]!, nums[o + 5]!) : roundedParts(nums[o]!, nums[o + 1]!);
        if (r === r) cols[c]!.values[i] = r / 100;
        else put(c, i, quotient ? new Quotient(Decimal.fromSafe(nums[o + 2]!, nums[o + 3]!), Decimal.fromSafe(nums[o + 4]!, nums[o + 5]!)) : Decimal.fromSafe(nums[o]!, nums[o + 1]!));
      });
    } else if (measureIndex.some((j) => j >= 0)) {
      const values = s.cycle;
      measureIndex.forEach((j, c) => {
        const v = j < 0 ? undefined : values[j];
        // A grouped measure is numbers by key: not one number for a column.
        if (v instanceof Decimal || v instanceof Quotient) put(c, i, v);
      });
    }
    i++;
  }
  const rec = r.records;
  const p = program.policy;
  return {
    ids, cycles, compliant, violations, columns: cols, compiled: evaluation.compiled,
    summary: { subjects: n, compliant: good, non_compliant: n - good, rows_read: rec.read, evaluated: rec.evaluated, rejected: rec.rejected, out_of_scope: rec.outOfScope },
    policy: { id: p.id, version: p.version, document: p.document },
  };
}
