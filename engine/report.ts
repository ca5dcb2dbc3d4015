// Results → the output document: plain JSON data named by the policy (its subject key, its
// collection and period names, its measure ids). Numbers are rounded half up to 2 decimals here
// and only here.

import { formatUnit, periodWords, type PolicyAst, type Unit } from '../dsl/index.ts';
import { Decimal } from './decimal.ts';
import { disregardedCount, type EvaluationResult, type MeasureProblem, type MeasureValue, type Rejection, type RowCounts, type SubjectResult, type Violation } from './evaluate.ts';
import { fixedText, jsonNumber as number } from './output/display.ts';
import { Quotient } from './quotient.ts';
import { ruleSourceAt, ruleSourceOf, ruleSourceText, scopeVersionName, versionsJson } from './versions.ts';
import { windowWords } from './windows.ts';

/** A JSON value, as the report is made of. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function measureJson(v: MeasureValue | undefined): Json {
  if (v === undefined) return null;
  if (v instanceof Decimal || v instanceof Quotient) return number(v);
  return Object.fromEntries([...v].map(([k, d]) => [k, number(d)]));
}

/**
 * Splits a bilingual label written "中文 / English" into its two halves (a label without " / "
 * serves as both).
 */
export function splitLabel(label: string): { zh: string; en: string } {
  const at = label.indexOf(' / ');
  return at < 0 ? { zh: label, en: label } : { zh: label.slice(0, at).trim(), en: label.slice(at + 3).trim() };
}

/** Names of a unit for people, from the policy's `units:` (falls back to the unit's own text). */
export function unitWords(p: PolicyAst, unit: Unit): { zh: string; en: string } {
  const names = Object.keys(unit);
  if (names.length === 1 && unit[names[0]!] === 1) {
    const u = p.units.find((x) => x.id === names[0]);
    if (u) return { zh: u.zh, en: u.en };
  }
  const text = formatUnit(unit);
  return text === '1' ? { zh: '', en: '' } : { zh: text, en: text };
}

const opWords: Record<string, { zh: string; en: string }> = {
  '>=': { zh: '不少于', en: 'at least' }, '>': { zh: '多于', en: 'more than' },
  '<=': { zh: '不超过', en: 'at most' }, '<': { zh: '少于', en: 'less than' },
  '==': { zh: '等于', en: 'exactly' }, '!=': { zh: '不等于', en: 'other than' },
};

/**
 * The fixed words of a violation's sentence, for one requirement (and loop key) of a policy:
 * the sentence is `fixed[0]`, the period in Chinese, `fixed[1]`, the actual value, `fixed[2]`,
 * the required value, `fixed[3]`, the period in English, `fixed[4]`, the actual value, `fixed[5]`,
 * the required value, `fixed[6]` (report-writer.ts writes it from these parts too).
 */
export interface Sentence {
  readonly fixed: readonly [string, string, string, string, string, string, string];
  /** The label (with the loop key) in each language, for the sentence of a value that is missing. */
  readonly zh: string;
  readonly en: string;
}

/** Made once per policy, requirement and key (rule id, then key): a report has one sentence per violation. */
const sentences = new WeakMap<PolicyAst, Map<string, Map<string | undefined, Sentence>>>();

/** The fixed words of the sentence of violation `v`. */
export function sentenceOf(p: PolicyAst, v: Violation): Sentence {
  let byRule = sentences.get(p);
  if (!byRule) sentences.set(p, (byRule = new Map()));
  // A rule id names one requirement — or, in a policy of several versions, one per version,
  // each with its own label, comparison and unit.
  const id = p.versions && p.versions.length > 1 ? `${v.rule}\u0000${v.label ?? ''}\u0000${v.op}\u0000${formatUnit(v.unit)}` : v.rule;
  let byKey = byRule.get(id);
  if (!byKey) byRule.set(id, (byKey = new Map()));
  let sentence = byKey.get(v.key);
  if (!sentence) {
    const label = splitLabel(v.label ?? v.rule);
    const zh = v.key === undefined ? label.zh : `${label.zh}（${v.key}）`;
    const en = v.key === undefined ? label.en : `${label.en} (${v.key})`;
    const u = unitWords(p, v.unit);
    const unitEn = u.en ? ` ${u.en}` : ''; // a plain number has no unit to name
    const op = opWords[v.op]!;
    sentence = {
      fixed: [`${zh}：`, '实际 ', `${u.zh}，要求${op.zh} `, `${u.zh} / ${en}: `, ' has ', `${unitEn}, requires ${op.en} `, unitEn],
      zh, en,
    };
    byKey.set(v.key, sentence);
  }
  return sentence;
}

/** The period of a violation as its sentence names it, in Chinese and in English. */
export function sentencePeriod(period: number | undefined): { zh: string; en: string } {
  return period === undefined ? { zh: '本周期', en: 'cycle' } : { zh: `${period}年`, en: String(period) };
}

/** The name of period `key` of subject `s` in the report: its year, or its name (SubjectResult.periodNames). */
export function periodKeyName(s: SubjectResult, key: number): string {
  return s.periodNames?.[key - 1] ?? String(key);
}

/** The sentence for a violation: what was required, what there was, in both languages. */
export function violationMessage(p: PolicyAst, v: Violation): string {
  const s = sentenceOf(p, v);
  const when = v.window !== undefined ? windowWords(v.window) : v.periodName === undefined ? sentencePeriod(v.period) : periodWords(v.periodName);
  if (v.unmet !== undefined && v.problem === undefined) {
    return `${s.zh}：${when.zh}未满足：${v.unmet.join('；')} / ${s.en}: ${when.en} not met: ${v.unmet.join('; ')}`;
  }
  if (v.problem !== undefined || !v.actual || !v.required) {
    return `${s.zh}：${when.zh}无法判断，缺少 ${v.problem} / ${s.en}: ${when.en} cannot be checked, ${v.problem} is missing`;
  }
  const actual = fixedText(v.actual);
  const required = fixedText(v.required);
  const f = s.fixed;
  return `${f[0]}${when.zh}${f[1]}${actual}${f[2]}${required}${f[3]}${when.en}${f[4]}${actual}${f[5]}${required}${f[6]}`;
}

function violationJson(p: PolicyAst, v: Violation): Json {
  return {
    rule: v.rule,
    ...(v.key === undefined ? {} : { key: v.key }),
    article: v.cites.join('; '),
    [p.period.name]: v.periodName ?? v.period ?? null,
    // A window of `per N periods`, by its first and last period (its period member is null).
    ...(v.window === undefined ? {} : { window: v.window }),
    // A yes/no requirement: the condition was false, and true was required.
    actual: v.unmet ? false : v.actual ? number(v.actual) : null,
    required: v.unmet ? true : v.required ? number(v.required) : null,
    ...(v.unmet ? { unmet: [...v.unmet] } : {}),
    message: violationMessage(p, v),
    ...versionMember(p, v.period, v.lastDay),
    ...sourceMembers(p, v),
  };
}

/** `{ origin, source }` of a fork's violation: whose rule it is and where it is written. */
function sourceMembers(p: PolicyAst, v: Violation): { origin?: string; source?: string } {
  const s = ruleSourceOf(p, v.period, v.rule, v.lastDay);
  return s === undefined ? {} : { origin: s.origin, source: ruleSourceText(s) };
}

/** The words of a measure that could not be worked out. */
export function problemMessage(x: MeasureProblem): string {
  return `无法计算 ${x.measure}：缺少 ${x.what} / cannot work out ${x.measure}: ${x.what} is missing`;
}

/** A measure a subject could not have, as the report lists it under `problems`. */
function problemJson(p: PolicyAst, x: MeasureProblem): Json {
  return { measure: x.measure, [p.period.name]: x.periodName ?? x.period ?? null, problem: x.what, message: problemMessage(x) };
}

/** `{ origin, source }` of a fork's record rejected by a rule: whose rule it is and where it is written. */
export function rejectionSource(p: PolicyAst, x: Rejection): { origin?: string; source?: string } {
  const s = x.rule === undefined || x.version === undefined ? undefined : ruleSourceAt(p, x.version, x.rule);
  return s === undefined ? {} : { origin: s.origin, source: ruleSourceText(s) };
}

/** `{ version }` of a scope, for a policy of several versions. */
function versionMember(p: PolicyAst, period: number | undefined, lastDay?: number): { version?: string } {
  const version = scopeVersionName(p, period, lastDay);
  return version === undefined ? {} : { version };
}

function subjectJson(r: EvaluationResult, s: SubjectResult): Json {
  const p = r.program.policy;
  const measures = (values: readonly (MeasureValue | undefined)[]): Record<string, Json> =>
    Object.fromEntries(r.program.measures.map((m, i) => [m.id, measureJson(values[i]!)]));
  const extra: Record<string, Json> = {};
  r.program.subjectFields.forEach((f, i) => {
    if (i !== r.program.subjectKey) {
      const v = s.fields[i];
      extra[f.decl.id] = v === undefined ? null : v instanceof Decimal ? number(v) : (v as string | boolean);
    }
  });
  return {
    [p.subject.key]: s.id,
    ...(s.cycleName === undefined ? {} : { cycle: s.cycleName }),
    compliant: s.compliant,
    ...versionMember(p, undefined, s.lastDay),
    ...measures(s.cycle),
    [p.period.collection]: Object.fromEntries([...s.periods].map(([year, values]) => [periodKeyName(s, year), measures(values)])),
    violations: s.violations.map((v) => violationJson(p, v)),
    ...(s.problems && s.problems.length > 0 ? { problems: s.problems.map((x) => problemJson(p, x)) } : {}),
    records: { evaluated: s.evaluated, disregarded: s.disregarded },
    ...extra,
  };
}

/** A file's row counts, as the report's summary gives them (`rows_read`, `evaluated`, …, `*_by_rule`). */
export function countsJson(c: RowCounts): Record<string, Json> {
  return {
    rows_read: c.read,
    evaluated: c.evaluated,
    disregarded: disregardedCount(c),
    rejected: c.rejected,
    out_of_scope: c.outOfScope,
    disregarded_by_rule: Object.fromEntries(c.disregardedBy),
    rejected_by_rule: Object.fromEntries(c.rejectedBy),
    out_of_scope_by_rule: Object.fromEntries(c.outOfScopeBy),
  };
}

/** The whole report as JSON data. */
export function reportJson(r: EvaluationResult): Json {
  const p = r.program.policy;
  const violationsByRule = new Map<string, number>();
  for (const s of r.subjects) for (const v of s.violations) violationsByRule.set(v.rule, (violationsByRule.get(v.rule) ?? 0) + 1);
  const compliant = r.subjects.filter((s) => s.compliant).length;
  return {
    policy: { id: p.id, version: p.version, document: p.document, effective: p.effective, ...(versionsJson(p) ? { versions: versionsJson(p)! } : {}) },
    [p.subject.collection]: r.subjects.map((s) => subjectJson(r, s)),
    rejected: r.rejected.map((x) => ({
      [x.source === 'records' ? p.record.key : p.subject.key]: x.key ?? null,
      file: x.source === 'records' ? 'records' : p.subject.collection,
      line: x.line,
      reason: x.reason,
      rule: x.rule ?? null,
      article: x.cites.join('; ') || null,
      ...rejectionSource(p, x),
    })),
    summary: {
      ...countsJson(r.records),
      [p.subject.collection]: r.subjects.length,
      compliant,
      non_compliant: r.subjects.length - compliant,
      violations_by_rule: Object.fromEntries(violationsByRule),
      [`${p.subject.collection}_file`]: {
        rows_read: r.subjectRows.read, accepted: r.subjectRows.evaluated, rejected: r.subjectRows.rejected,
        ...(p.subjectScope ? { out_of_scope: r.subjectRows.outOfScope } : {}),
      },
    },
  };
}
