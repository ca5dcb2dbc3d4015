// Which version of a policy is in force: for a record, on its date; for a subject's totals, at
// the end of the period or cycle they are checked for. A policy of one version has one; a
// combined policy (dsl/combine-versions.ts) lists them, and its rules switch on the index this
// module works out (VERSION_NAME).

import { baseId, calendarCycleLastDay, calendarPeriodLastDay, isYearly, type PolicyAst, type RuleSource } from '../dsl/index.ts';

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

/**
 * The timeline of a policy: its combined versions, or itself alone. The policy's own dates bound
 * it (they are the first version's effective date and the last one's end: with one version
 * chosen for everything, that version's rules cover the whole span).
 */
export function timelineOf(p: PolicyAst): VersionTimeline {
  const later = (p.versions ?? []).slice(1);
  return {
    starts: [dateNumber(p.effective), ...later.map((v) => dateNumber(v.effective))],
    end: p.until === undefined ? undefined : dateNumber(p.until),
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
  return scopeVersionOn(t, year * 10000 + 1231);
}

/** The version a scope ending on `date` (YYYYMMDD) is checked under (see {@link scopeVersion}). */
export function scopeVersionOn(t: VersionTimeline, date: number): number {
  const s = t.starts;
  let v = 0;
  while (v + 1 < s.length && s[v + 1]! <= date) v++;
  return v;
}

const timelines = new WeakMap<PolicyAst, VersionTimeline>();

/**
 * The name of the version a scope's requirements were checked under — `period`'s, or the
 * cycle's when undefined — for a policy of several versions; undefined for a policy of one (its
 * report names no version but the policy's own).
 */
export function scopeVersionName(p: PolicyAst, period: number | undefined, lastDay?: number): string | undefined {
  const versions = p.versions;
  if (!versions || versions.length < 2) return undefined;
  let t = timelines.get(p);
  if (!t) timelines.set(p, (t = timelineOf(p)));
  return versions[scopeVersionOn(t, lastDay ?? scopeLastDay(p, period))]!.version;
}

/**
 * The last day (YYYYMMDD) of period `period` of a fixed cycle (its key: a year, or a place in
 * the cycle), or of the cycle when undefined. A cycle per subject has its own days: its
 * violations carry them (Violation.lastDay).
 */
export function scopeLastDay(p: PolicyAst, period: number | undefined): number {
  if (period === undefined) return calendarCycleLastDay(p);
  return isYearly(p) ? period * 10000 + 1231 : calendarPeriodLastDay(p, period);
}

/**
 * Where a fork's rule `rule` is written, in the version its requirements were checked under in
 * `period` (the cycle's when undefined); undefined for a policy that extends nothing.
 */
export function ruleSourceOf(p: PolicyAst, period: number | undefined, rule: string, lastDay?: number): RuleSource | undefined {
  const versions = p.versions;
  if (!versions || versions.length < 2) return p.ruleSources?.get(baseId(rule));
  let t = timelines.get(p);
  if (!t) timelines.set(p, (t = timelineOf(p)));
  return versions[scopeVersionOn(t, lastDay ?? scopeLastDay(p, period))]!.ruleSources?.get(baseId(rule));
}

/** Where a fork's rule `rule` is written in version `version` (an index of the timeline; see recordVersion). */
export function ruleSourceAt(p: PolicyAst, version: number, rule: string): RuleSource | undefined {
  const versions = p.versions;
  if (!versions || versions.length < 2) return p.ruleSources?.get(baseId(rule));
  return versions[Math.min(Math.max(version, 0), versions.length - 1)]!.ruleSources?.get(baseId(rule));
}

/** The text a report gives for where a rule is written: `file:line`. */
export const ruleSourceText = (s: RuleSource): string => `${s.file}:${s.line}`;

/** The versions, as the report's `policy` lists them (none for a policy of one version). */
export function versionsJson(p: PolicyAst): { version: string; effective: string; until?: string; document: string; hypothetical?: true }[] | undefined {
  const versions = p.versions;
  if (!versions || versions.length < 2) return undefined;
  return versions.map((v) => ({
    version: v.version, effective: v.effective, ...(v.until === undefined ? {} : { until: v.until }), document: v.document,
    ...(v.hypothetical ? { hypothetical: true as const } : {}),
  }));
}
