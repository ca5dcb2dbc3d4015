// The checked policy: the AST plus what the checker learnt about it — the type of every
// expression, what every name refers to, and the dependencies of every let. The compiler reads
// only this.

import type { AmbientName } from './builtins.ts';
import type { Expr, LetStmt, MeasureStmt, OutcomeStmt, RequireStmt } from './ast.ts';
import type { BandTableDecl, FieldDecl, KeyedTableDecl, PolicyAst, TableDecl } from './policy.ts';
import type { Unit } from './units.ts';

/** The type of an expression. */
export type Type =
  | { readonly t: 'number'; readonly unit: Unit; /** a bare literal: takes the unit of what it meets */ readonly literal: boolean }
  | { readonly t: 'bool' }
  | { readonly t: 'text' }
  | { readonly t: 'date' }
  | { readonly t: 'enum'; readonly domain: string; readonly values: readonly string[] }
  /** A bare name that is nothing declared: valid only where an enum value is expected. */
  | { readonly t: 'symbol'; readonly name: string }
  | { readonly t: 'table'; readonly table: TableDecl }
  | { readonly t: 'row'; readonly table: TableDecl }
  /** A grouped sum: one number per value of an enum. */
  | { readonly t: 'group'; readonly domain: string; readonly values: readonly string[]; readonly unit: Unit }
  /** After an error: accepted everywhere, so one mistake is reported once. */
  | { readonly t: 'error' };

/** What a name refers to. */
export type Resolution =
  | { readonly r: 'field'; readonly field: FieldDecl; readonly index: number }
  | { readonly r: 'subjectField'; readonly field: FieldDecl; readonly index: number }
  /** `value`: decimal text, or `YYYY-MM-DD` for a date parameter (its type says which). */
  | { readonly r: 'parameter'; readonly id: string; readonly value: string }
  | { readonly r: 'setting'; readonly id: string; readonly value: boolean | string }
  | { readonly r: 'table'; readonly table: TableDecl }
  | { readonly r: 'let'; readonly index: number }
  | { readonly r: 'measure'; readonly index: number }
  | { readonly r: 'loop' }
  | { readonly r: 'ambient'; readonly name: AmbientName }
  | { readonly r: 'enumValue'; readonly value: string };

/** What an expression's value depends on: decides where it may be used and how it is cached. */
export interface Deps {
  /** Reads a record's fields (so it may only run per record, e.g. inside `sum(…)`). */
  readonly record: boolean;
  /** Reads the subject's fields. */
  readonly subject: boolean;
  /** Reads `period`. */
  readonly period: boolean;
  /** Reads the version in force (a combined policy's switch between versions). */
  readonly version: boolean;
  /** Reads totals (aggregates or measures), so it runs per subject and period or cycle. */
  readonly totals: boolean;
}

/** A let with its inferred type and dependencies. */
export interface CheckedLet {
  readonly stmt: LetStmt;
  readonly type: Type;
  readonly deps: Deps;
}

/** A measure with its type (a number with its unit, or a group). */
export interface CheckedMeasure {
  readonly stmt: MeasureStmt;
  readonly type: Type;
}

/** A requirement with the keys its loop runs over (none without a loop). */
export interface CheckedRequirement {
  readonly stmt: RequireStmt;
  readonly loopTable: KeyedTableDecl | undefined;
  /** The comparison at the top of the body: its left side is the actual value, its right side the required one. */
  readonly body: Extract<Expr, { kind: 'binary' }>;
  /**
   * For a requirement whose body is a yes/no condition rather than a comparison of numbers (a
   * declaration made, evidence present, `a or b`): the condition. `body` is then `condition ==
   * true`, and the requirement is met when the condition holds.
   */
  readonly condition: Expr | undefined;
}

/** A policy that passed every check, ready to compile. */
export interface CheckedPolicy {
  readonly ast: PolicyAst;
  readonly lets: readonly CheckedLet[];
  readonly outcomes: readonly OutcomeStmt[];
  readonly measures: readonly CheckedMeasure[];
  readonly requirements: readonly CheckedRequirement[];
  /** The type of every expression node. */
  readonly types: ReadonlyMap<Expr, Type>;
  /** What every `name` node refers to. */
  readonly names: ReadonlyMap<Expr, Resolution>;
  /** `sum(…)` nodes that add up a value worked out per period (a value reading totals: `sum(min(hours, cap))`). */
  readonly periodSums: ReadonlySet<Expr>;
  /**
   * `previous(measure …)` calls of a repeating cycle, each with the index (in `measures`) of the
   * measure whose value in the subject's previous cycle it reads.
   */
  readonly previousCalls: ReadonlyMap<Expr, number>;
  /** Banded tables called like functions (`grade(score)`), by call node. */
  readonly bandCalls: ReadonlyMap<Expr, BandTableDecl>;
}
