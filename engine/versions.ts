// Which version of a policy is in force: for a record, on its date; for a subject's totals, at
// the end of the period or cycle they are checked for. A policy of one version has one; a
// combined policy (dsl/combine-versions.ts) lists them, and its rules switch on the index this
// module works out (VERSION_NAME).

import type { PolicyAst } from '../dsl/index.ts';

/** A record dated before the first version took effect (and the policy does not reach back). */
export const BEFORE_FIRST_VERSION = -1;
/** A record dated after the last version's end. */
export const AFTER_LAST_VERSION = -2;

/** The versions' start dates as YYYYMMDD numbers, and what lies outside them. */
export interface VersionTimeline {
  /** Each version's first day, ascending. */
  readonly starts: readonly number[];
  /** The last version's last day, if it has one. */
  readonly end: number | undefined;
  /** Whether records before the first version are evaluated under it (else out of scope). */
  readonly reachesBack: boolean;
}

const dateNumber = (text: string): number => Number(text.replaceAll('-', ''));

/** The timeline of a policy: its combined versions, or itself alone. */
export function timelineOf(p: PolicyAst): VersionTimeline {
  const versions = p.versions ?? [{ effective: p.effective, until: p.until }];
  const last = versions[versions.length - 1]!;
  return {
    starts: versions.map((v) => dateNumber(v.effective)),
    end: last.until === undefined ? undefined : dateNumber(last.until),
    reachesBack: p.beforeEffective?.value === 'evaluate',
  };
}

/** The version in force on `date` (YYYYMMDD) for a record: an index, or one of the two outside it. */
export function recordVersion(t: VersionTimeline, date: number): number {
  const s = t.starts;
  if (date < s[0]!) return t.reachesBack ? 0 : BEFORE_FIRST_VERSION;
  if (t.end !== undefined && date > t.end) return AFTER_LAST_VERSION;
  let v = 0;
  while (v + 1 < s.length && s[v + 1]! <= date) v++;
  return v;
}

/**
 * The version a scope's requirements are checked under: the one in force on the scope's last day
 * (31 December of `year`); the first version for a scope that ends before it, the last for one
 * that ends after its end.
 */
export function scopeVersion(t: VersionTimeline, year: number): number {
  const s = t.starts;
  const date = year * 10000 + 1231;
  let v = 0;
  while (v + 1 < s.length && s[v + 1]! <= date) v++;
  return v;
}
