// What an evaluation produces: per subject results, the rows that were not evaluated, and the
// counts that show nothing was lost.

import type { ComparisonOp } from '../dsl/index.ts';
import type { Program } from './compile.ts';
import type { Decimal } from './decimal.ts';
import type { Quotient } from './quotient.ts';
import type { Value } from './values.ts';

/** Which input file a row came from. */
export type InputSource = 'records' | 'subjects';

/** A row that was not evaluated because it is invalid, with where it was and why. */
export interface Rejection {
  readonly source: InputSource;
  /** The row's key (record id or subject id), when it could be read. */
  readonly key: string | undefined;
  readonly line: number;
  /** Reason in both languages, "中文 / English". */
  readonly reason: string;
  /** The rule that rejected it, or the field that did not fit. */
  readonly rule: string | undefined;
  readonly cites: readonly string[];
  /** For a record rejected by an outcome rule: the index of the version in force on its date (where the rule is written). */
  readonly version?: number;
}

/** A requirement a subject does not meet, in one period or for the cycle. */
export interface Violation {
  readonly rule: string;
  /** The loop key (the table row) for requirements with `for … in table`. */
  readonly key: string | undefined;
  readonly label: string | undefined;
  readonly cites: readonly string[];
  /** The period, or undefined for the cycle. */
  readonly period: number | undefined;
  readonly op: ComparisonOp;
  /** Undefined when the requirement could not be evaluated (see `problem`). */
  readonly actual: Decimal | undefined;
  readonly required: Decimal | undefined;
  readonly unit: Program['requirements'][number]['unit'];
  /** Set when the requirement needed a value the subject lacks. */
  readonly problem: string | undefined;
  /**
   * For a requirement that is a yes/no condition: the parts of it that did not hold, as
   * written (`actual` and `required` are then undefined; the report gives them as false, true).
   */
  readonly unmet?: readonly string[];
  /** For periods other than the years of a fixed cycle: the period's name (`2016-Q3`, `2022-04-01/2023-03-31`); `period` is then its place, 1 for the first. */
  readonly periodName?: string;
  /** For a cycle per subject: the last day (YYYYMMDD) of the period, or of the subject's cycle, the requirement was checked for (which version was in force then). */
  readonly lastDay?: number;
  /**
   * For a `per N periods` requirement: the window, by its first and last period (`2020/2022`,
   * `2020-Q1/2020-Q4`; for a cycle per subject its first and last day, `2022-04-01/2025-03-31`).
   * `period` is then undefined and `lastDay` the window's last day (which version was in force).
   */
  readonly window?: string;
}

/**
 * A measure's value: a number; a quotient, for a measure written as a division (its exact value
 * is `value()`); or numbers by key, for a grouped measure.
 */
export type MeasureValue = Decimal | Quotient | ReadonlyMap<string, Decimal>;

/** Everything evaluated for one subject. */
export interface SubjectResult {
  readonly id: string;
  /**
   * In a repeating cycle (Program.cycles): the cycle this result is for, by its name
   * (`2019-2020`); each subject has one result per cycle. Undefined otherwise.
   */
  readonly cycleName?: string;
  readonly compliant: boolean;
  readonly fields: readonly Value[];
  /** Each measure's value, for the cycle and per period; undefined where it needs a value the subject lacks (see `problems`). */
  readonly cycle: readonly (MeasureValue | undefined)[];
  readonly periods: ReadonlyMap<number, readonly (MeasureValue | undefined)[]>;
  readonly violations: readonly Violation[];
  /** Measures that could not be worked out: each needs a value the subject lacks (none: undefined). */
  readonly problems?: readonly MeasureProblem[];
  readonly evaluated: number;
  readonly disregarded: number;
  /**
   * For periods other than the years of a fixed cycle: the name of each period, by place (the
   * key of `periods` is the place, 1 for the first): `2016-Q3`, or a subject's own days,
   * `2022-04-01/2023-03-31`. Empty for a subject whose own cycle cannot be placed.
   */
  readonly periodNames?: readonly string[];
  /** For a cycle per subject: the subject's cycle's last day (YYYYMMDD), for the version its cycle was checked under. */
  readonly lastDay?: number;
}

/** A measure of a subject that needs a value the subject lacks (an empty optional field). */
export interface MeasureProblem {
  readonly measure: string;
  /** The period, or undefined for the cycle. */
  readonly period: number | undefined;
  /** The missing value's name. */
  readonly what: string;
  /** The period's name, where periods have names (see Violation.periodName). */
  readonly periodName?: string;
}

/** Counts of what happened to the input rows; `read = evaluated + rejected + outOfScope`. */
export interface RowCounts {
  read: number;
  evaluated: number;
  rejected: number;
  outOfScope: number;
  /** Evaluated rows that count for nothing, by rule id (a subset of `evaluated`). */
  readonly disregardedBy: Map<string, number>;
  readonly outOfScopeBy: Map<string, number>;
  readonly rejectedBy: Map<string, number>;
}

/**
 * The results of an evaluation as they are written out: everything but the subjects is known,
 * and the subjects are worked out one at a time, in id order, so that a province's results never
 * have to be held at once.
 */
export interface ResultStream {
  readonly program: Program;
  readonly rejected: readonly Rejection[];
  readonly records: RowCounts;
  readonly subjectRows: RowCounts;
  /** How many subjects `subjects()` yields. */
  readonly subjectCount: number;
  /**
   * The subjects' results in id order, each made when it is reached (from a stream asked for as
   * `transient`, each valid until the next is reached).
   */
  subjects(): Iterable<SubjectResult>;
}

/** The result of an evaluation, with every subject's result at hand. */
export interface EvaluationResult {
  readonly program: Program;
  readonly subjects: readonly SubjectResult[];
  readonly rejected: readonly Rejection[];
  readonly records: RowCounts;
  readonly subjectRows: RowCounts;
}

/** How many evaluated rows counted for nothing, whatever the rule. */
export function disregardedCount(c: RowCounts): number {
  let n = 0;
  for (const v of c.disregardedBy.values()) n += v;
  return n;
}

/** Counts with nothing counted yet. */
export function newCounts(): RowCounts {
  return { read: 0, evaluated: 0, rejected: 0, outOfScope: 0, disregardedBy: new Map(), outOfScopeBy: new Map(), rejectedBy: new Map() };
}

/** Adds one to the count of `key`. */
export function bump(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

/** A whole result as a stream, for the writers that take one. */
export function streamOf(r: EvaluationResult): ResultStream {
  return {
    program: r.program, rejected: r.rejected, records: r.records, subjectRows: r.subjectRows,
    subjectCount: r.subjects.length, subjects: () => r.subjects,
  };
}
