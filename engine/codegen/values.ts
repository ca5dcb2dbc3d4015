// What the expression generator (expr.ts) works with: the compiled values it hands between
// expressions, where an expression runs, the evaluation's layout it is told, and the error that
// sends a program to the interpreter.

import type { Type } from '../../dsl/index.ts';
import type { Value } from '../values.ts';

/** A shape of policy the generator does not compile: the program is then interpreted. */
export class Unsupported extends Error {}

/** An enum's values (the order gives each its index), or the dates. */
export type Domain = readonly string[] | 'date';

/**
 * A compiled value: JavaScript expressions (names or number literals) for its parts.
 * - `num`: `m / 10^s`; in lenient results `s` is -1 when the value is missing.
 * - `bool`: a JavaScript boolean (never missing). `tri`: -1 missing, 0 false, 1 true (lenient).
 * - `code`: an enum value's index in `dom`, or a date as YYYYMMDD; -1 when missing (lenient).
 * - `text`: a string (undefined when missing, lenient).
 * - `group`: the totals slots `TM[base + k]` of a grouped sum, one per key.
 * - `const`: a value known while generating. `miss`: a constant that is missing (a table row
 *   that does not exist): reading it strictly stops the rule.
 */
export type CV =
  | { readonly k: 'num'; readonly m: string; readonly s: string }
  | { readonly k: 'bool'; readonly v: string }
  | { readonly k: 'tri'; readonly v: string }
  | { readonly k: 'code'; readonly v: string; readonly dom: Domain }
  | { readonly k: 'text'; readonly v: string }
  | { readonly k: 'group'; readonly base: number; readonly keys: readonly string[] }
  | { readonly k: 'const'; readonly value: Value }
  | { readonly k: 'miss'; readonly what: string };

/** Where an expression runs: per record, or over a subject's totals; and a loop's current key. */
export interface Env {
  readonly scope: 'record' | 'totals';
  readonly loop: string | undefined;
}

/** What the generator needs to know of the program's layout, from the evaluation. */
export interface Layout {
  /** First totals slot of each aggregate (a grouped one has one slot per key). */
  readonly aggregateSlot: readonly number[];
  /**
   * Also leave each counted record's contributions where the caller reads them (the diff compares
   * rows by them): per aggregate, the slot it added to (-1: none) in `CK`, the amount in `CM`/`CS`.
   * Off, the record function is exactly as without it.
   */
  readonly observe?: boolean;
  /**
   * Read the policy's numbers from the pool `N` (GeneratedProgram.numbers) rather than write them
   * into the code as literals (their scales stay written): two policies that differ only in such
   * numbers then have one source, and the code compiled and optimised for one serves the other
   * (the editor evaluates after every edit: EvaluationOptions.reuseCode). Off, the code is
   * exactly as without it.
   */
  readonly pooled?: boolean;
}

export const sameDomain = (a: Domain, b: Domain): boolean =>
  a === b || (a !== 'date' && b !== 'date' && a.length === b.length && a.every((x, i) => x === b[i]));

export const domainOf = (t: Type | undefined): Domain => {
  if (t?.t === 'enum') return t.values;
  if (t?.t === 'date') return 'date';
  throw new Unsupported(`no domain for ${t?.t}`);
};
