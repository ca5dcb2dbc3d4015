// The context compiled rules run in: one record (or none, for totals), its subject, the period,
// the totals in scope, and the caches that make each let and measure run at most once per use.

import { Decimal } from './decimal.ts';
import { KeyedTotals, positionsOf, type GroupValue, type Value } from './values.ts';

/** Marks a cache slot not yet filled (distinct from `undefined`, a legitimate missing value). */
export const UNSET: unique symbol = Symbol('unset');
export type Slot = Value | typeof UNSET;

/** Sums of one subject over one scope (a period, or the cycle), by aggregate index. */
export interface Totals {
  readonly sums: Decimal[];
  /**
   * For grouped aggregates only: totals by the position of the enum value among the field's
   * declared values (undefined until a record adds to it).
   */
  readonly groups: (Decimal[] | undefined)[];
}

/** What the rules see of a subject: its fields, and the cache of lets that depend only on it. */
export interface SubjectContext {
  /** Subject-file fields, by declaration index (all missing if the subject is not in the file). */
  readonly fields: readonly Value[];
  /** Cache of lets that depend only on the subject (and constants). */
  readonly lets: Slot[];
}

/** A mutable evaluation context, reused for every record and every totals check. */
export class Frame {
  /** The record's field values, by declaration index; empty when checking totals. */
  record: Value[] = [];
  subject!: SubjectContext;
  /** The record's period, or the period a requirement is checked for; undefined for the cycle. */
  period: Decimal | undefined;
  /** The totals in scope (a period's or the cycle's); undefined while reading a record. */
  totals: Totals | undefined;
  /**
   * While a subject's totals are checked: every period's totals, number and version, for a sum
   * over the periods (`sum(min(hours, cap))`, CheckedPolicy.periodSums) worked out in the cycle.
   */
  periodScopes: { readonly totals: readonly Totals[]; readonly periods: readonly Decimal[]; readonly versions: readonly number[] } | undefined;
  /**
   * In a repeating cycle (Program.cycles): every measure's value for the subject's previous
   * cycle, which `previous(m)` reads; undefined in the first cycle (and without repetition).
   */
  previousCycle: readonly (import('./results.ts').MeasureValue | undefined)[] | undefined;
  /** The current key of a requirement's `for … in table` loop. */
  loop: string | undefined;
  /** The version in force: the record's, or the scope's (see VERSION_NAME). */
  version = 0;
  /** Per-record (or per-check) cache of lets; refreshed by bumping `stamp`. */
  readonly letValues: Slot[];
  readonly letStamps: number[];
  /** Per-scope cache of measures; refreshed by bumping `stamp`. */
  readonly measureValues: Slot[];
  readonly measureStamps: number[];
  stamp = 1;

  constructor(lets: number, measures: number) {
    this.letValues = new Array<Slot>(lets).fill(UNSET);
    this.letStamps = new Array<number>(lets).fill(0);
    this.measureValues = new Array<Slot>(measures).fill(UNSET);
    this.measureStamps = new Array<number>(measures).fill(0);
  }

  /** Starts a new context: every per-record and per-scope cached value is stale from now on. */
  refresh(): void {
    this.stamp++;
  }
}

/** The totals of a group with no records: zero for every key. */
const zerosCache = new WeakMap<readonly string[], readonly Decimal[]>();

/**
 * A grouped total as a read-only map over the enum's `keys` (never undefined: a group with no
 * records has every key at zero).
 */
export function groupOf(totals: Totals, index: number, keys: readonly string[]): GroupValue {
  let values: readonly Decimal[] | undefined = totals.groups[index];
  if (!values) {
    values = zerosCache.get(keys);
    if (!values) zerosCache.set(keys, (values = keys.map(() => Decimal.ZERO)));
  }
  return new KeyedTotals(positionsOf(keys), keys, values);
}
