// The values each `count(distinct field …)` has met: per subject, per scope, per aggregate, a set
// of keys. Such a total is a set, not a sum, so it is kept apart from the TotalsStore; both paths
// (the interpreter's commit and the generated code's callback) add to it, and a count over several
// scopes (the cycle, a window of `per N periods`) is the size of the union of their sets, a value
// met in two of them counting once. A part of a records file read on another thread hands its sets
// over (engine/parts.ts), to be added to the whole's.

import { Decimal } from './decimal.ts';
import type { Value } from './values.ts';

/** A field value as a key of a distinct count: values of different kinds never meet. */
export function distinctKey(v: Exclude<Value, undefined>): string {
  return v instanceof Decimal ? `n${v.toString()}` : `${typeof v}:${String(v)}`;
}

/** One set of a part's export: its subject (by the part's numbering), scope, aggregate and values. */
export type DistinctEntry = readonly [subject: number, scope: number, aggregate: number, values: readonly string[]];

/** The values distinct counts have met, by subject, then scope, then aggregate. */
export class DistinctValues {
  private readonly bySubject = new Map<number, Map<number, Set<string>>[]>();

  /** Adds `value` (a {@link distinctKey}; none when the field is empty) met by `aggregate` for subject `si` in `scope`. */
  add(si: number, scope: number, aggregate: number, value: string | undefined): void {
    if (value === undefined) return;
    let scopes = this.bySubject.get(si);
    if (!scopes) this.bySubject.set(si, (scopes = []));
    let byAggregate = scopes[scope];
    if (!byAggregate) scopes[scope] = byAggregate = new Map();
    let set = byAggregate.get(aggregate);
    if (!set) byAggregate.set(aggregate, (set = new Set()));
    set.add(value);
  }

  /** How many different values `aggregate` met for subject `si` over `scopes` (a value met in two of them counts once). */
  size(si: number, aggregate: number, scopes: readonly number[]): number {
    const byScope = this.bySubject.get(si);
    if (!byScope) return 0;
    if (scopes.length === 1) return byScope[scopes[0]!]?.get(aggregate)?.size ?? 0;
    const all = new Set<string>();
    for (const scope of scopes) for (const v of byScope[scope]?.get(aggregate) ?? []) all.add(v);
    return all.size;
  }

  /** {@link size} as a Decimal. */
  count(si: number, aggregate: number, scopes: readonly number[]): Decimal {
    return Decimal.fromNumber(this.size(si, aggregate, scopes));
  }

  /** Every set, for a part's result (plain data: it crosses to another thread). */
  export(): DistinctEntry[] {
    const out: DistinctEntry[] = [];
    for (const [si, scopes] of this.bySubject) {
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
