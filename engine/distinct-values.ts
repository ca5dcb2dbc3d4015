// The values `count(distinct field …)` has met, per subject, scope and aggregate: a distinct count
// is a set, not a sum, so the totals store cannot hold it. A count over several scopes (the cycle,
// a window of `per N periods`) counts a value met in two of them once; a part of a records file
// read on another thread hands its sets over (engine/parts.ts), to be added to the whole's.

import { Decimal } from './decimal.ts';

/** One set of a part's export: its subject (by the part's numbering), scope, aggregate and values. */
export type DistinctEntry = readonly [subject: number, scope: number, aggregate: number, values: readonly string[]];

/** The sets of distinct values of every subject. */
export class DistinctValues {
  /** By subject, then scope, then aggregate. */
  private readonly sets = new Map<number, Map<number, Set<string>>[]>();

  /** Notes that subject `si` met `value` in `scope` for distinct count `aggregate` (nothing for an empty field). */
  add(si: number, scope: number, aggregate: number, value: string | undefined): void {
    if (value === undefined) return;
    let scopes = this.sets.get(si);
    if (!scopes) this.sets.set(si, (scopes = []));
    let byAggregate = scopes[scope];
    if (!byAggregate) scopes[scope] = byAggregate = new Map();
    let set = byAggregate.get(aggregate);
    if (!set) byAggregate.set(aggregate, (set = new Set()));
    set.add(value);
  }

  /** How many different values distinct count `aggregate` met for subject `si` over `scopes`. */
  count(si: number, aggregate: number, scopes: readonly number[]): Decimal {
    const all = new Set<string>();
    const byScope = this.sets.get(si);
    if (byScope) for (const scope of scopes) for (const v of byScope[scope]?.get(aggregate) ?? []) all.add(v);
    return Decimal.fromNumber(all.size);
  }

  /** Every set, for a part's result (plain data: it crosses to another thread). */
  export(): DistinctEntry[] {
    const out: DistinctEntry[] = [];
    for (const [si, scopes] of this.sets) {
      scopes.forEach((byAggregate, scope) => {
        for (const [aggregate, set] of byAggregate) out.push([si, scope, aggregate, [...set]]);
      });
    }
    return out;
  }

  /** Adds a part's sets, its subject `k` being this evaluation's `to[k]`. */
  absorb(entries: readonly DistinctEntry[], to: readonly number[]): void {
    for (const [si, scope, aggregate, values] of entries) for (const v of values) this.add(to[si]!, scope, aggregate, v);
  }
}
