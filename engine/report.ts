// Results → the output document: plain JSON data named by the policy (its subject key, its
// collection and period names, its measure ids). Numbers are rounded half up to 2 decimals here
// and only here.

import { formatUnit, type PolicyAst, type Unit } from '../dsl/index.ts';
import { Decimal } from './decimal.ts';
import { disregardedCount, type EvaluationResult, type MeasureValue, type RowCounts, type SubjectResult, type Violation } from './evaluate.ts';
import { fixedText, jsonNumber as number } from './output/display.ts';
import { Quotient } from './quotient.ts';

/** A JSON value, as the report is made of. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function measureJson(v: MeasureValue): Json {
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

/** The fixed words of a violation's sentence, for one requirement (and loop key) of a policy. */
interface SentenceParts {
  readonly zh: string;
  readonly en: string;
  readonly unitZh: string;
  /** " hours", or '' for a plain number, which has no unit to name. */
  readonly unitEn: string;
  readonly opZh: string;
  readonly opEn: string;
}

/** Made once per policy, requirement and key: a report has one sentence per violation. */
const sentenceParts = new WeakMap<PolicyAst, Map<string, SentenceParts>>();

function partsOf(p: PolicyAst, v: Violation): SentenceParts {
  let byRule = sentenceParts.get(p);
  if (!byRule) sentenceParts.set(p, (byRule = new Map()));
  // A rule id names one requirement, whose label, comparison and unit are fixed.
  const id = v.key === undefined ? v.rule : `${v.rule}\u0000${v.key}`;
  let parts = byRule.get(id);
  if (!parts) {
    const { zh, en } = splitLabel(v.label ?? v.rule);
    const u = unitWords(p, v.unit);
    const op = opWords[v.op]!;
    parts = {
      zh: v.key === undefined ? zh : `${zh}（${v.key}）`, en: v.key === undefined ? en : `${en} (${v.key})`,
      unitZh: u.zh, unitEn: u.en ? ` ${u.en}` : '', opZh: op.zh, opEn: op.en,
    };
    byRule.set(id, parts);
  }
  return parts;
}

/** The sentence for a violation: what was required, what there was, in both languages. */
export function violationMessage(p: PolicyAst, v: Violation): string {
  const w = partsOf(p, v);
  const whenZh = v.period === undefined ? '本周期' : `${v.period}年`;
  const whenEn = v.period === undefined ? 'cycle' : String(v.period);
  if (v.problem !== undefined || !v.actual || !v.required) {
    return `${w.zh}：${whenZh}无法判断，缺少 ${v.problem} / ${w.en}: ${whenEn} cannot be checked, ${v.problem} is missing`;
  }
  const actual = fixedText(v.actual);
  const required = fixedText(v.required);
  return `${w.zh}：${whenZh}实际 ${actual}${w.unitZh}，要求${w.opZh} ${required}${w.unitZh}` +
    ` / ${w.en}: ${whenEn} has ${actual}${w.unitEn}, requires ${w.opEn} ${required}${w.unitEn}`;
}

function violationJson(p: PolicyAst, v: Violation): Json {
  return {
    rule: v.rule,
    ...(v.key === undefined ? {} : { key: v.key }),
    article: v.cites.join('; '),
    [p.period.name]: v.period ?? null,
    actual: v.actual ? number(v.actual) : null,
    required: v.required ? number(v.required) : null,
    message: violationMessage(p, v),
  };
}

function subjectJson(r: EvaluationResult, s: SubjectResult): Json {
  const p = r.program.policy;
  const measures = (values: readonly MeasureValue[]): Record<string, Json> =>
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
    compliant: s.compliant,
    ...measures(s.cycle),
    [p.period.collection]: Object.fromEntries([...s.periods].map(([year, values]) => [String(year), measures(values)])),
    violations: s.violations.map((v) => violationJson(p, v)),
    records: { evaluated: s.evaluated, disregarded: s.disregarded },
    ...extra,
  };
}

function countsJson(c: RowCounts): Record<string, Json> {
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
    policy: { id: p.id, version: p.version, document: p.document, effective: p.effective },
    [p.subject.collection]: r.subjects.map((s) => subjectJson(r, s)),
    rejected: r.rejected.map((x) => ({
      [x.source === 'records' ? p.record.key : p.subject.key]: x.key ?? null,
      file: x.source === 'records' ? 'records' : p.subject.collection,
      line: x.line,
      reason: x.reason,
      rule: x.rule ?? null,
      article: x.cites.join('; ') || null,
    })),
    summary: {
      ...countsJson(r.records),
      [p.subject.collection]: r.subjects.length,
      compliant,
      non_compliant: r.subjects.length - compliant,
      violations_by_rule: Object.fromEntries(violationsByRule),
      [`${p.subject.collection}_file`]: { rows_read: r.subjectRows.read, accepted: r.subjectRows.evaluated, rejected: r.subjectRows.rejected },
    },
  };
}
