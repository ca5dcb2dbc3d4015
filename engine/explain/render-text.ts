// An explanation for the terminal, in Chinese or English: what the subject lacks first, then each
// year and the cycle (measures, the lets the checks worked out, every check), then every row with
// what became of it and how its values were computed, then the rules used and where they come from.

import type { CycleExplanations, Explanation, RecordExplanation, RequirementCheck, RuleUse, ScopeExplanation } from './types.ts';
import { isPlain, measureStepText, previousText, stepText, traceText, valueText, type Lang } from './render-expr.ts';
import { periodWords } from '../../dsl/periods.ts';
import { windowWords } from '../windows.ts';

/** The fixed words of the text, in each language. */
export const WORDS = {
  zh: {
    title: '规则解释', version: '版本', compliant: '结论：全部要求均已满足', nonCompliant: (n: number) => `结论：有 ${n} 项要求未满足`,
    outOfScope: '不在本策略的适用范围内', lacks: '还缺少什么', scopes: '各年与本周期', cycle: '本周期', year: (y: number) => `${y}年`,
    measures: '指标', required: '要求', when: '条件', records: '记录', rulesUsed: '所用规则与来源',
    summary: (s: Explanation['records']['summary']) => `共 ${s.rows} 行：计入 ${s.counted}，不计 ${s.disregarded}，拒绝 ${s.rejected}，不在范围内 ${s.out_of_scope}`,
    line: (n: number) => `第 ${n} 行`, status: { counted: '计入', disregarded: '不计', rejected: '拒绝', out_of_scope: '不在范围内' },
    into: '计入', inPeriod: (scope: string | null) => (scope === null ? '（只计入本周期）' : `（${scope}及本周期）`),
    notApplicable: '不适用', origin: { own: '本策略', inherited: '继承', overridden: '覆盖' }, noProvenance: '（来源未知）',
    kind: { rule: '规则', parameter: '参数', setting: '设置', row: '表行', band: '分档' }, listed: '名单中', notListed: '不在名单中',
    noRows: '（没有记录）', cycleNamed: (c: string) => `周期 ${c}`, noCycle: '不属于任何周期的记录',
  },
  en: {
    title: 'Explanation', version: 'version', compliant: 'Result: every requirement is met', nonCompliant: (n: number) => `Result: ${n} requirement check(s) not met`,
    outOfScope: 'Not within this policy\'s scope', lacks: 'What is missing', scopes: 'Each year and the cycle', cycle: 'cycle', year: (y: number) => String(y),
    measures: 'measures', required: 'required', when: 'when', records: 'Records', rulesUsed: 'Rules used and where they come from',
    summary: (s: Explanation['records']['summary']) => `${s.rows} rows: ${s.counted} counted, ${s.disregarded} disregarded, ${s.rejected} rejected, ${s.out_of_scope} out of scope`,
    line: (n: number) => `line ${n}`, status: { counted: 'counted', disregarded: 'disregarded', rejected: 'rejected', out_of_scope: 'out of scope' },
    into: 'adds', inPeriod: (scope: string | null) => (scope === null ? ' (to the cycle only)' : ` (in ${scope} and the cycle)`),
    notApplicable: 'not applicable', origin: { own: 'own', inherited: 'inherited', overridden: 'overridden' }, noProvenance: '(origin unknown)',
    kind: { rule: 'rule', parameter: 'parameter', setting: 'setting', row: 'table row', band: 'band' }, listed: 'listed', notListed: 'not in the subjects file',
    noRows: '(no records)', cycleNamed: (c: string) => `cycle ${c}`, noCycle: 'Records in no cycle',
  },
} as const;

const CHECK_MARK: Record<RequirementCheck['status'], string> = { met: '✓', violated: '✗', not_applicable: '–', unknown: '?' };

/** The scope's name: "2018年" / "2018", "本周期" / "cycle", a window's "2020年至2022年" / "2020 to 2022". */
export function scopeName(period: number | null, lang: Lang, name?: string): string {
  if (name !== undefined && period !== null) return periodWords(name)[lang];
  // A scope with a name but no period is a window of `per N periods` (ScopeExplanation.window).
  if (name !== undefined) return windowWords(name)[lang];
  return period === null ? WORDS[lang].cycle : WORDS[lang].year(period);
}

/**
 * Where a record's additions count, as its scope is headed: "2018年" / "2018", or the period's
 * name where periods are not years (`2021-07-01至2022-06-30`); null for the cycle only.
 */
export function additionScope(doc: Explanation, period: number | null, lang: Lang): string | null {
  if (period === null) return null;
  return scopeName(period, lang, doc.scopes.find((s) => s.period === period)?.name);
}

/** Whether a check's required side is worth a line of its own (it is worked out, not a plain value). */
export function requiredWorthShowing(c: RequirementCheck): boolean {
  const t = c.required_trace;
  return t !== undefined && !isPlain(t) && t.kind !== 'lookup';
}

/** The explanation as text for a terminal. */
export function explanationText(doc: Explanation, lang: Lang): string {
  const w = WORDS[lang];
  const out: string[] = [];
  const p = doc.policy;
  const cycle = doc.cycle === undefined ? '' : ` · ${w.cycleNamed(doc.cycle)}`;
  out.push(`${w.title} · ${doc.names.subject_key} ${doc.subject.id}${cycle} · ${p.id} ${p.version} · ${p.document}`);
  const facts = Object.entries(doc.subject.fields).filter(([, v]) => v !== null).map(([k, v]) => `${k} ${valueText(v, lang)}`);
  out.push(`  ${doc.subject.listed ? w.listed : w.notListed}${facts.length ? ` · ${facts.join(' · ')}` : ''}`);
  out.push('');
  if (!doc.subject.in_scope) {
    const r = doc.subject.scope_rule;
    out.push(`${w.outOfScope}${r ? `：${r.reason[lang]}（${r.rule}，${r.article}）` : ''}`);
  } else if (doc.compliant) {
    out.push(w.compliant);
  } else {
    out.push(w.nonCompliant(doc.shortfalls.length));
    out.push('');
    out.push(`${w.lacks}:`.replace(':', lang === 'zh' ? '：' : ':'));
    for (const s of doc.shortfalls) out.push(`  ✗ ${s.message[lang]}  [${s.article} · ${s.version}]`);
  }
  if (doc.scopes.length > 0) {
    out.push('');
    out.push(`${w.scopes}`);
    for (const s of doc.scopes) out.push(...scopeLines(doc, s, lang));
  }
  out.push('');
  out.push(...recordsLines(w.records, doc.records, doc, lang));
  out.push('');
  out.push(w.rulesUsed);
  for (const line of ruleLines(doc.rules, lang)) out.push(`  ${line}`);
  return `${out.join('\n')}\n`;
}

/** A heading with the rows' counts, then each row. */
function recordsLines(heading: string, records: Explanation['records'], doc: Explanation, lang: Lang): string[] {
  const w = WORDS[lang];
  const out = [`${heading}（${w.summary(records.summary)}）`.replace('（', lang === 'zh' ? '（' : ' (').replace(/）$/, lang === 'zh' ? '）' : ')')];
  if (records.rows.length === 0) out.push(`  ${w.noRows}`);
  for (const r of records.rows) out.push(...recordLines(r, doc, lang));
  return out;
}

/**
 * A repeating cycle's explanation as text: each cycle's in order, headed by its name, then the
 * subject's rows in no cycle (when there are any).
 */
export function explanationsText(set: CycleExplanations, lang: Lang): string {
  const parts = set.explanations.map((doc) => explanationText(doc, lang));
  const rest = set.outside_cycles;
  const first = set.explanations[0];
  if (rest && rest.rows.length > 0 && first) parts.push(`${recordsLines(WORDS[lang].noCycle, rest, first, lang).join('\n')}\n`);
  return parts.join('\n');
}

/** A scope's name in a document: a repeating cycle's own scope says which cycle. */
function scopeTitle(doc: Explanation, s: ScopeExplanation, lang: Lang): string {
  return s.period === null && s.window === undefined && doc.cycle !== undefined ? WORDS[lang].cycleNamed(doc.cycle) : scopeName(s.period, lang, s.name);
}

function scopeLines(doc: Explanation, s: ScopeExplanation, lang: Lang): string[] {
  const w = WORDS[lang];
  const out = [`  ${scopeTitle(doc, s, lang)}（${w.version} ${s.version}）`.replace('（', lang === 'zh' ? '（' : ' (').replace(/）$/, lang === 'zh' ? '）' : ')')];
  const measures = doc.measures.map((m) => {
    const v = s.measures[m.id]!;
    const name = m.label ? m.label[lang] : m.id;
    if (typeof v === 'object') return `${name} ${Object.entries(v).map(([k, x]) => `${k} ${x}`).join(', ')}`;
    return `${name} ${v}`;
  });
  out.push(`    ${w.measures}: ${measures.join(' · ')}`);
  for (const v of s.previous ?? []) out.push(`    · ${previousText(v, lang)}`);
  for (const d of s.derivations ?? []) out.push(`    · ${measureStepText(d, lang)}`);
  for (const st of s.steps) out.push(`    · ${stepText(st, lang)}`);
  for (const c of s.checks) {
    out.push(`    ${CHECK_MARK[c.status]} ${c.message[lang]}  [${c.article}]`);
    if (c.status === 'not_applicable' && c.when) out.push(`        ${w.when}: ${traceText(c.when, lang)} = ${valueText(c.when.value, lang)}`);
    else if (requiredWorthShowing(c)) out.push(`        ${w.required} = ${traceText(c.required_trace!, lang)} = ${valueText(c.required_trace!.value, lang)}`);
  }
  return out;
}

function recordLines(r: RecordExplanation, doc: Explanation, lang: Lang): string[] {
  const w = WORDS[lang];
  const head = [w.line(r.line), r.key ?? '?', r.fields?.[doc.names.period_field] ?? '', r.version ? `[${r.version}]` : ''].filter((x) => x !== '' && x !== null).join(' ');
  const o = r.outcome;
  const [open, comma, close] = lang === 'zh' ? ['（', '，', '）'] : [' (', ', ', ')'];
  const why = o ? ` — ${o.reason[lang]}${o.rule ? `${open}${o.rule}${o.article ? `${comma}${o.article}` : ''}${close}` : ''}` : '';
  const out = [`  ${head}: ${w.status[r.status]}${why}`];
  if (r.fields) {
    const skip = new Set([doc.names.record_key, doc.names.subject_key]);
    const fields = Object.entries(r.fields).filter(([k, v]) => v !== null && !skip.has(k)).map(([k, v]) => `${k}=${valueText(v, lang)}`);
    out.push(`      ${fields.join(' ')}`);
  }
  if (r.outcome?.when) out.push(`      ${w.when}: ${traceText(r.outcome.when, lang)} = ${valueText(r.outcome.when.value, lang)}`);
  for (const s of r.steps) out.push(`      · ${stepText(s, lang)}  [${s.article}]`);
  const adds = r.contributions.filter((c) => !/^-?0(\.0+)?$/.test(c.amount));
  if (adds.length > 0) {
    const list = adds.map((c) => `${c.measure}${c.key === null ? '' : `[${c.key}]`} +${valueText(c.amount, lang)}`).join(', ');
    out.push(`      → ${w.into} ${list}${w.inPeriod(additionScope(doc, adds[0]!.period, lang))}`);
  }
  return out;
}

/** One line per item and origin, with the versions it was used in (the JSON has one entry per version). */
export function ruleLines(rules: readonly RuleUse[], lang: Lang): string[] {
  const w = WORDS[lang];
  const groups = new Map<string, { u: RuleUse; versions: string[] }>();
  for (const u of rules) {
    const id = `${u.kind}\u0000${u.item}\u0000${u.origin}\u0000${u.written_by?.file}:${u.written_by?.line}`;
    const g = groups.get(id);
    if (g) g.versions.push(u.version);
    else groups.set(id, { u, versions: [u.version] });
  }
  return [...groups.values()].map(({ u, versions }) => {
    const origin = u.origin ? w.origin[u.origin] : w.noProvenance;
    const where = u.written_by ? ` · ${u.written_by.policy} ${u.written_by.version} · ${u.written_by.file}:${u.written_by.line}` : '';
    return `${w.kind[u.kind]} ${u.item} (${w.version} ${versions.join(', ')}) · ${origin}${where}${u.article ? ` · ${u.article}` : ''}`;
  });
}
