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

/**
 * Thrown when a date function's result would fall outside the four-digit years (0000-01-01 …
 * 9999-12-31): like a missing value, it stops the rule, and the record is rejected naming the
 * call (`what` is its text) — never a date that is not one.
 */
export class DateOutOfRange extends MissingValue {}

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

/**
 * A grouped measure's value in the results: every key of its enum, in declaration order, with
 * its total. A read-only view over an array rather than a Map of its own, because results hold
 * one per grouped measure per period and subject, and most are never iterated: `get`, `has` and
 * `size` read the array; iterating builds a Map once, on first use.
 */
export class KeyedTotals implements ReadonlyMap<string, Decimal> {
  private map: Map<string, Decimal> | undefined;

  /**
   * @param index - position of each key in `keyList` (shared by every value of one measure).
   * @param keyList - the keys, in order.
   * @param totals - the total of each key, by position.
   */
  constructor(
    private readonly index: ReadonlyMap<string, number>,
    private readonly keyList: readonly string[],
    private readonly totals: readonly Decimal[],
  ) {}

  /** Number of keys. */
  get size(): number {
    return this.keyList.length;
  }

  /** The total of `key`, or undefined if it is not one of the keys. */
  get(key: string): Decimal | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.totals[i];
  }

  /** Whether `key` is one of the keys. */
  has(key: string): boolean {
    return this.index.has(key);
  }

  /** Calls `fn` for each key and total, in key order. */
  forEach(fn: (value: Decimal, key: string, map: ReadonlyMap<string, Decimal>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.keyList.length; i++) fn.call(thisArg, this.totals[i]!, this.keyList[i]!, this);
  }

  /** [key, total] pairs in key order. */
  entries(): MapIterator<[string, Decimal]> {
    return this.asMap().entries();
  }

  /** The keys, in order. */
  keys(): MapIterator<string> {
    return this.asMap().keys();
  }

  /** The totals, in key order. */
  values(): MapIterator<Decimal> {
    return this.asMap().values();
  }

  /** [key, total] pairs in key order. */
  [Symbol.iterator](): MapIterator<[string, Decimal]> {
    return this.entries();
  }

  private asMap(): Map<string, Decimal> {
    return (this.map ??= new Map(this.keyList.map((k, i) => [k, this.totals[i]!])));
  }
}

const positionsCache = new WeakMap<readonly string[], ReadonlyMap<string, number>>();

/**
 * The position of each key in `keys`, made once per list of keys (an enum's declared values) and
 * shared by everything that totals by that enum.
 */
export function positionsOf(keys: readonly string[]): ReadonlyMap<string, number> {
  let m = positionsCache.get(keys);
  if (!m) positionsCache.set(keys, (m = new Map(keys.map((k, i) => [k, i]))));
  return m;
}

export { isLeapYear } from '../dsl/calendar.ts';
