// The values each `count(distinct field …)` has met: per subject, per scope, per aggregate, a set
// of keys. Such a total is no sum, so it is kept apart from the TotalsStore; both paths (the
// interpreter's commit and the generated code's callback) add to it, and a scope's count is the
// size of the union of its scopes' sets.

import { Decimal } from './decimal.ts';
import type { Value } from './values.ts';

/** A field value as a key of a distinct count: values of different kinds never meet. */
export function distinctKey(v: Exclude<Value, undefined>): string {
  return v instanceof Decimal ? `n${v.toString()}` : `${typeof v}:${String(v)}`;
}

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

  /** How many different values `aggregate` met for subject `si` over `scopes` (a value met in two periods counts once in the cycle). */
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
}
