// The parts of an evaluation that are not its state: the options it takes, what it tells a
// tracer or a diff about each row, where the totals lie, and the small helpers of its row path.
// Split out of evaluate.ts so that the Evaluation class is what that file holds.

import type { CompiledField, Program } from './compile.ts';
import type { SubjectContext, Totals } from './frame.ts';
import type { RecordInterpreter, SubjectCycle, TotalsOver } from './interpret.ts';
import type { Rejection } from './results.ts';
import type { RowContributions } from './fast-path.ts';
import type { Value } from './values.ts';
import type { Decimal } from './decimal.ts';

const utf8 = new TextEncoder();

/** Where each aggregate's totals lie in a scope: its first slot, and how many (a group has one per key). */
export interface SlotLayout {
  readonly first: readonly number[];
  readonly size: readonly number[];
  readonly width: number;
}

export function slotLayout(program: Program): SlotLayout {
  const first: number[] = [];
  const size: number[] = [];
  let width = 0;
  for (const a of program.aggregates) {
    first.push(width);
    const n = a.positions === undefined ? 1 : a.positions.size;
    size.push(n);
    width += n;
  }
  return { first, size, width };
}

/**
 * Names for every slot of a scope's totals, stable across programs: an aggregate is named by the
 * measure or requirement that owns it and its place among that owner's aggregates, a slot of a
 * grouped one by its key too (`credits#0`, `modules#0[ethics]`). The diff pairs the slots of two
 * programs by these names.
 */
export function totalSlotNames(program: Program): string[] {
  const names: string[] = [];
  const seen = new Map<string, number>();
  for (const a of program.aggregates) {
    const k = seen.get(a.owner) ?? 0;
    seen.set(a.owner, k + 1);
    const name = `${a.owner}#${k}`;
    if (a.positions === undefined) names.push(name);
    else {
      const keys: string[] = [];
      for (const [key, at] of a.positions) keys[at] = key;
      for (const key of keys) names.push(`${name}[${key}]`);
    }
  }
  return names;
}

/** What a counted record row added, per aggregate (see {@link Evaluation.rowAdded}). */
export interface RowAdded extends RowContributions {
  /** Per aggregate: the amount when it is beyond a safe-integer mantissa (else undefined). */
  readonly big: (Decimal | undefined)[];
}

/** What became of the last record row (see {@link Evaluation.rowOutcome}). */
export const RowOutcome = {
  /** Evaluated, and its contributions added to its subject's totals. */
  Counted: 0,
  /** Evaluated, counting for nothing (a `disregard` rule). */
  Disregarded: 1,
  /** Rejected: unreadable, a field that does not fit, a duplicate key, a `reject` rule, a value missing. */
  Rejected: 2,
  /** Out of scope (an `exclude` rule). */
  OutOfScope: 3,
} as const;
export type RowOutcome = (typeof RowOutcome)[keyof typeof RowOutcome];

/** How an evaluation runs the rules. */
export interface EvaluationOptions {
  /**
   * Run every rule with the interpreter, never the generated code (the two give the same
   * results; tests compare them).
   */
  readonly interpret?: boolean;
  /**
   * Trace one subject's rows (`guize explain`): they run through the tracer's interpreter, and
   * the tracer is told what became of each; every other row runs as usual.
   */
  readonly trace?: RowTracer;
  /**
   * Keep what each record row added to its subject's totals, readable after the row in
   * {@link Evaluation.rowAdded} (the diff compares rows with it). Off, eval pays nothing: the
   * generated code is then exactly as without it.
   */
  readonly observeRows?: boolean;
  /**
   * For many evaluations of slightly different policies (the editor, after every edit): the
   * generated code reads the policy's numbers from a pool instead of holding them, and is kept by
   * its source, so that a policy differing only in such numbers runs on code the JavaScript engine
   * has already optimised. The results are the same; off, the code is exactly as without it.
   */
  readonly reuseCode?: boolean;
}

/** What became of a row of the traced subject. */
export type TracedOutcome =
  /** Evaluated, and its contributions added to the totals of `scope` (a period's index, or the one after them: outside the periods). */
  | { readonly kind: 'counted'; readonly scope: number }
  /** Evaluated but counting for nothing, or out of scope: outcome rule `rule` (its index) fired, for `reason`. */
  | { readonly kind: 'disregarded' | 'out_of_scope'; readonly rule: number; readonly reason: string }
  /** Rejected: by outcome rule `rule` (its index), or, when undefined, for a value it lacks, a value that does not fit, or a repeated key. */
  | { readonly kind: 'rejected'; readonly rejection: Rejection; readonly rule: number | undefined }
  /** Out of scope: dated outside the subject's own cycle (a cycle per subject). */
  | { readonly kind: 'outside_cycle' };

/**
 * Follows one subject's rows through an evaluation (engine/explain). Rows are matched by the
 * subject field's text, so rows rejected before they are decoded (a repeated key, a value that
 * does not fit) are told too.
 */
export interface RowTracer {
  /** The subject's id. */
  readonly subject: string;
  /** Runs the subject's records (a program compiled with a trace sink): never the generated code. */
  readonly interpreter: RecordInterpreter;
  /**
   * A decoded row of the subject is about to run: its values by field index, the version in
   * force, and in a repeating cycle the cycle it belongs to (its index in the subject's cycles).
   */
  begin(line: number, values: readonly Value[], version: number, cycle?: number): void;
  /** What became of it (for a row rejected before decoding, with no `begin` first). */
  settled(line: number, outcome: TracedOutcome): void;
}

/** What an evaluation knows of one subject, for an explanation. */
export interface SubjectState {
  /** Whether the subject is in the subjects file. */
  readonly listed: boolean;
  /** Whether it is outside a fork's own subjects. */
  readonly outside: boolean;
  readonly fields: readonly Value[];
  readonly evaluated: number;
  readonly disregarded: number;
  /** What the rules see of it, and its totals per period and for the cycle (as the interpreter takes them). */
  readonly context: SubjectContext;
  readonly periodTotals: readonly Totals[];
  readonly cycleTotals: Totals;
  /** Its totals over some periods together (by place), for the windows of `per N periods` requirements. */
  readonly totalsOver: TotalsOver;
  /** For a cycle per subject: the subject's own cycle (SubjectInterpreter.run takes it). */
  readonly cycle?: SubjectCycle;
}

/** The reason a row repeating a key is rejected. */
export function duplicateReason(keyField: string, firstLine: number): string {
  return `重复的 ${keyField}（首次出现在第 ${firstLine} 行）/ duplicate ${keyField} (first on line ${firstLine})`;
}

/** Puts a text row's values for `fields` into one byte buffer, recording each field's range. */
export function encodeRow(fields: readonly CompiledField[], values: Readonly<Record<string, string>>, fStart: Int32Array, fEnd: Int32Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let at = 0;
  fields.forEach((f, i) => {
    const v = values[f.id];
    if (v === undefined) {
      fStart[i] = -1;
      return;
    }
    const b = utf8.encode(v);
    parts.push(b);
    fStart[i] = at;
    at += b.length;
    fEnd[i] = at;
  });
  const bytes = new Uint8Array(at);
  at = 0;
  for (const b of parts) {
    bytes.set(b, at);
    at += b.length;
  }
  return bytes;
}
