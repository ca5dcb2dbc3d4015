// Run-time values of the rule language, and the one way a rule can fail on good input: reading
// a value that the record does not have.

import { Decimal } from './decimal.ts';

/** A row of a table: column name → value. */
export type RowValue = Readonly<Record<string, Decimal | boolean | string>>;

/** Totals by the values of an enum (a grouped sum). */
export type GroupValue = ReadonlyMap<string, Decimal>;

/**
 * A value: numbers are exact decimals; dates are `YYYY-MM-DD` strings (so they order as text);
 * enum values and texts are strings; `undefined` is a missing value.
 */
export type Value = Decimal | boolean | string | RowValue | GroupValue | undefined;

/** Thrown when a rule reads a value the record lacks; the record is then rejected, naming it. */
export class MissingValue extends Error {
  constructor(readonly what: string) {
    super(`missing ${what}`);
  }
}

/** Equality of two present scalar values. */
export function sameValue(a: Value, b: Value): boolean {
  if (a instanceof Decimal) return b instanceof Decimal && a.eq(b);
  return a === b;
}

/** Orders two present numbers or dates. */
export function compareValues(a: Value, b: Value): number {
  if (a instanceof Decimal) return a.cmp(b as Decimal);
  return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
}
