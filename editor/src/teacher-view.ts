// The teacher view: one subject's explanation (engine/explain's document, as `guize explain`
// gives it) in the editor's style — what they lack, every requirement per year and for the
// cycle (met, violated, not applicable; actual against required; the shortfall in words; the
// article, with its text from the source document as the hover shows it), every row of theirs
// with its outcome and arithmetic, and the rules used with their version and origin. Built with
// the DOM (every text escaped by it), in Chinese or English.

import type { Explanation, RecordExplanation, RequirementCheck, RuleUse, ScopeExplanation } from '../../engine/index.ts';
import { stepText, traceText, valueText, type Lang } from '../../engine/explain/render-expr.ts';
import { additionScope, requiredWorthShowing, scopeName, WORDS } from '../../engine/explain/render-text.ts';
import { assertNever } from '../../dsl/ast.ts';
import { h } from './dom.ts';
import type { ExplainOutcome } from './explain-subject.ts';

/** What the view needs besides the explanation. */
export interface TeacherViewContext {
  readonly lang: Lang;
  readonly setLang: (lang: Lang) => void;
  /** The text of the article a citation names, when it names the source document. */
  readonly articleText: (cite: string) => string | undefined;
  /** Opens a policy file at a line (a rule's `written_by`). */
  readonly reveal: (file: string, line: number) => void;
  /** In a repeating cycle: the cycle to show (undefined: the subject's last), and how to choose another. */
  readonly cycle?: string | undefined;
  readonly chooseCycle?: (cycle: string) => void;
}

/** The editor's own words, beside the explanation's (engine/explain/render-text.ts WORDS). */
const MORE = {
  zh: { pending: '计算中…', notFound: (key: string, id: string) => `数据中没有 ${key} 为 ${id} 的行`, policyErrors: '策略有错误，无法解释', text: '原文', arithmetic: '计算', status: '结果', requirement: '要求', actual: '实际', requiredCol: '要求值', shortfall: '差额', article: '条款', item: '项目', origin: '来源', where: '位置' },
  en: { pending: 'explaining…', notFound: (key: string, id: string) => `no row of the data names ${key} ${id}`, policyErrors: 'the policy has errors: nothing to explain', text: "the article's text", arithmetic: 'arithmetic', status: 'result', requirement: 'requirement', actual: 'actual', requiredCol: 'required', shortfall: 'shortfall', article: 'article', item: 'item', origin: 'origin', where: 'written in' },
} as const;

const MARK: Record<RequirementCheck['status'], string> = { met: '✓', violated: '✗', not_applicable: '–', unknown: '?' };

/** The language toggle: 中文 / English. */
function langToggle(ctx: TeacherViewContext): HTMLElement {
  const button = (lang: Lang, label: string) => {
    const b = h('button', { class: ctx.lang === lang ? 'lang active' : 'lang', 'data-testid': `lang-${lang}`, 'aria-pressed': String(ctx.lang === lang) }, label);
    b.addEventListener('click', () => ctx.setLang(lang));
    return b;
  };
  return h('span', { class: 'lang-toggle' }, button('zh', '中文'), button('en', 'English'));
}

/** A citation, with the article's text to unfold where the source document has it. */
function articleView(cite: string, ctx: TeacherViewContext): HTMLElement {
  const text = cite === '' ? undefined : ctx.articleText(cite);
  if (text === undefined) return h('span', {}, cite || '—');
  return h('details', { class: 'cite' }, h('summary', { title: text }, cite), h('p', { class: 'article' }, text));
}

/** The content of the teacher pane: the explanation of subject `id`, or why there is none (yet). */
export function teacherView(id: string, outcome: ExplainOutcome | undefined, key: string, ctx: TeacherViewContext): HTMLElement {
  const m = MORE[ctx.lang];
  const root = h('div', { class: 'teacher', 'data-testid': 'teacher-view', lang: ctx.lang === 'zh' ? 'zh-CN' : 'en' });
  if (outcome === undefined) {
    root.append(h('div', { class: 'teacher-head' }, h('h3', {}, `${key} ${id}`), langToggle(ctx)), h('div', { class: 'muted' }, m.pending));
    return root;
  }
  switch (outcome.kind) {
    case 'explained': {
      const set = outcome.cycles;
      const doc = set?.explanations.find((d) => d.cycle === ctx.cycle) ?? outcome.doc;
      const view = explanationView(doc, ctx);
      // A repeating cycle: the subject's cycles to choose from, under the heading.
      if (set && set.explanations.length > 1) view.splice(1, 0, cycleChooser(set.explanations.map((d) => d.cycle ?? ''), doc.cycle ?? '', ctx));
      root.append(...view);
      return root;
    }
    case 'not-found':
      root.append(h('h3', {}, `${key} ${id}`), h('div', { class: 'muted' }, m.notFound(key, outcome.id)));
      return root;
    case 'policy-errors':
      root.append(h('h3', {}, `${key} ${id}`), h('div', { class: 'muted' }, m.policyErrors));
      return root;
    case 'input-error':
      root.append(h('h3', {}, `${key} ${id}`), h('div', { class: 'status bad' }, outcome.message));
      return root;
    default:
      return assertNever(outcome);
  }
}

/** The subject's cycles (a repeating cycle), the one shown chosen. */
function cycleChooser(names: readonly string[], shown: string, ctx: TeacherViewContext): HTMLElement {
  const w = WORDS[ctx.lang];
  const select = h('select', { 'data-testid': 'cycle-choice', 'aria-label': w.cycle },
    ...names.map((n) => h('option', { value: n, ...(n === shown ? { selected: '' } : {}) }, w.cycleNamed(n))));
  select.addEventListener('change', () => ctx.chooseCycle?.((select as HTMLSelectElement).value));
  return h('div', { class: 'cycle-choice' }, select);
}

function explanationView(doc: Explanation, ctx: TeacherViewContext): HTMLElement[] {
  const lang = ctx.lang;
  const w = WORDS[lang];
  const p = doc.policy;
  const facts = Object.entries(doc.subject.fields).filter(([, v]) => v !== null).map(([k, v]) => `${k} ${valueText(v, lang)}`);
  let verdict: HTMLElement;
  if (!doc.subject.in_scope) {
    const r = doc.subject.scope_rule;
    verdict = h('p', { class: 'verdict muted' }, `${w.outOfScope}${r ? `: ${r.reason[lang]} (${r.rule}, ${r.article})` : ''}`);
  } else if (doc.compliant) {
    verdict = h('p', { class: 'verdict met' }, w.compliant);
  } else {
    verdict = h('p', { class: 'verdict violated' }, w.nonCompliant(doc.shortfalls.length));
  }
  const out: HTMLElement[] = [
    h('div', { class: 'teacher-head' }, h('h3', {}, `${doc.names.subject_key} ${doc.subject.id}${doc.cycle === undefined ? '' : ` · ${WORDS[lang].cycleNamed(doc.cycle)}`}`), langToggle(ctx)),
    h('div', { class: 'muted' }, `${p.id} ${p.version} · ${p.document}`),
    h('div', { class: 'muted' }, `${doc.subject.listed ? w.listed : w.notListed}${facts.length ? ` · ${facts.join(' · ')}` : ''}`),
    verdict,
  ];
  if (doc.shortfalls.length > 0) {
    out.push(h('h4', {}, w.lacks), h('ol', { class: 'shortfalls' }, ...doc.shortfalls.map((s) => h('li', { 'data-testid': 'shortfall' },
      h('b', {}, s.message[lang]), ' ', h('span', { class: 'muted' }, `[${w.version} ${s.version}]`), articleView(s.article, ctx)))));
  }
  if (doc.scopes.length > 0) out.push(h('h4', {}, w.scopes), ...doc.scopes.map((s) => scopeView(doc, s, ctx)));
  out.push(h('h4', {}, `${w.records} (${w.summary(doc.records.summary)})`));
  if (doc.records.rows.length === 0) out.push(h('div', { class: 'muted' }, w.noRows));
  out.push(h('div', { class: 'records' }, ...doc.records.rows.map((r) => recordView(r, doc, ctx))));
  out.push(h('h4', {}, w.rulesUsed), rulesView(doc.rules, ctx));
  return out;
}

/** A number of the document as text (numbers as the report writes them). */
const n = (v: number | string | null) => (v === null ? '—' : String(v));

function scopeView(doc: Explanation, s: ScopeExplanation, ctx: TeacherViewContext): HTMLElement {
  const lang = ctx.lang;
  const w = WORDS[lang];
  const m = MORE[lang];
  const failed = s.checks.filter((c) => c.status === 'violated' || c.status === 'unknown').length;
  const met = s.checks.filter((c) => c.status === 'met').length;
  // The measures on one wrapped line (a grouped one by key), as `guize explain` prints them.
  const measures = h('div', { class: 'measures-line' }, h('span', { class: 'muted' }, `${w.measures}: `), ...doc.measures.map((mi) => {
    const v = s.measures[mi.id];
    const text = v === undefined || v === null ? '—' : typeof v === 'object' ? Object.entries(v).map(([k, x]) => `${k} ${x}`).join(', ') : String(v);
    return h('span', { class: 'measure', 'data-measure': mi.id }, h('span', { class: 'muted' }, mi.label ? mi.label[lang] : mi.id), ` ${text}`);
  }));
  const checks = h('table', { class: 'checks' },
    h('thead', {}, h('tr', {}, ...[m.status, m.requirement, m.actual, '', m.requiredCol, m.shortfall, m.article].map((c) => h('th', {}, c)))),
    h('tbody', {}, ...s.checks.flatMap((c) => checkRows(c, ctx))));
  const open = failed > 0 ? { open: '' } : {};
  return h('details', { class: 'scope', ...open, 'data-period': s.period === null ? 'cycle' : String(s.period) },
    h('summary', {}, `${scopeName(s.period, lang, s.name)} · ${w.version} ${s.version} · ✓ ${met}${failed > 0 ? ` ✗ ${failed}` : ''}`),
    measures,
    s.steps.length > 0 ? h('ul', { class: 'steps' }, ...s.steps.map((st) => h('li', {}, h('code', {}, stepText(st, lang))))) : undefined,
    checks);
}

/** A check's row, and a row of detail where there is one (the `when` that did not hold, a required value worked out). */
function checkRows(c: RequirementCheck, ctx: TeacherViewContext): HTMLElement[] {
  const lang = ctx.lang;
  const w = WORDS[lang];
  const unit = c.unit[lang];
  const label = c.status === 'not_applicable' ? `${c.label[lang]} (${w.notApplicable})` : c.label[lang];
  const rows = [h('tr', { class: c.status, title: c.message[lang] },
    h('td', { class: 'mark' }, MARK[c.status]),
    h('td', {}, label, c.status === 'violated' || c.status === 'unknown' ? h('div', { class: 'message' }, c.message[lang]) : undefined),
    h('td', { class: 'n' }, c.status === 'not_applicable' ? '' : `${n(c.actual)}${unit ? ` ${unit}` : ''}`),
    h('td', {}, c.status === 'not_applicable' ? '' : c.op),
    h('td', { class: 'n' }, c.status === 'not_applicable' ? '' : n(c.required)),
    h('td', { class: 'n' }, c.shortfall_exact ?? ''),
    h('td', {}, articleView(c.article, ctx)))];
  let detail: string | undefined;
  if (c.status === 'not_applicable' && c.when) detail = `${w.when}: ${traceText(c.when, lang)} = ${valueText(c.when.value, lang)}`;
  else if (requiredWorthShowing(c)) detail = `${w.required} = ${traceText(c.required_trace!, lang)} = ${valueText(c.required_trace!.value, lang)}`;
  else if (c.problem) detail = c.problem;
  if (detail !== undefined) rows.push(h('tr', { class: 'detail' }, h('td', {}), h('td', { colspan: '6' }, h('code', {}, detail))));
  return rows;
}

function recordView(r: RecordExplanation, doc: Explanation, ctx: TeacherViewContext): HTMLElement {
  const lang = ctx.lang;
  const w = WORDS[lang];
  const date = r.fields?.[doc.names.period_field];
  const adds = r.contributions.filter((c) => !/^-?0(\.0+)?$/.test(c.amount));
  const added = adds.map((c) => `${c.measure}${c.key === null ? '' : `[${c.key}]`} +${valueText(c.amount, lang)}`).join(', ');
  const head = [w.line(r.line), r.key ?? '?', typeof date === 'string' ? date : '', r.version ?? '', w.status[r.status]].filter((x) => x !== '').join(' · ');
  const why = r.outcome ? ` — ${r.outcome.reason[lang]}` : added ? ` → ${added}` : '';
  const body: (HTMLElement | undefined)[] = [];
  if (r.outcome) {
    body.push(h('li', {}, `${r.outcome.rule ?? ''} `, articleView(r.outcome.article, ctx)));
    if (r.outcome.when) body.push(h('li', {}, h('code', { class: 'arithmetic' }, `${w.when}: ${traceText(r.outcome.when, lang)} = ${valueText(r.outcome.when.value, lang)}`)));
  }
  if (r.fields) {
    const skip = new Set([doc.names.record_key, doc.names.subject_key]);
    body.push(h('li', {}, h('code', {}, Object.entries(r.fields).filter(([k, v]) => v !== null && !skip.has(k)).map(([k, v]) => `${k}=${valueText(v, lang)}`).join(' '))));
  }
  for (const s of r.steps) body.push(h('li', {}, h('code', { class: 'arithmetic' }, stepText(s, lang)), ' ', h('span', { class: 'muted' }, s.article ? `[${s.article}]` : '')));
  if (adds.length > 0) body.push(h('li', {}, `→ ${w.into} ${added}${w.inPeriod(additionScope(doc, adds[0]!.period, lang))}`));
  return h('details', { class: `record ${r.status}`, 'data-line': String(r.line) }, h('summary', {}, head, why), h('ul', {}, ...body));
}

/** The rules used: one row per item and origin, with the versions it was used in (as the text renderer groups them). */
function rulesView(rules: readonly RuleUse[], ctx: TeacherViewContext): HTMLElement {
  const lang = ctx.lang;
  const w = WORDS[lang];
  const m = MORE[lang];
  const groups = new Map<string, { u: RuleUse; versions: string[] }>();
  for (const u of rules) {
    const id = `${u.kind}\u0000${u.item}\u0000${u.origin}\u0000${u.written_by?.file}:${u.written_by?.line}`;
    const g = groups.get(id);
    if (g) g.versions.push(u.version);
    else groups.set(id, { u, versions: [u.version] });
  }
  return h('table', { class: 'rules-used', 'data-testid': 'rules-used' },
    h('thead', {}, h('tr', {}, ...[m.item, w.version, m.origin, m.where, m.article].map((c) => h('th', {}, c)))),
    h('tbody', {}, ...[...groups.values()].map(({ u, versions }) => {
      let where: HTMLElement | string = '';
      if (u.written_by) {
        const wb = u.written_by;
        const a = h('a', { href: '#' }, `${wb.policy} ${wb.version} · ${wb.file}:${wb.line}`);
        a.addEventListener('click', (ev) => {
          ev.preventDefault();
          ctx.reveal(wb.file, wb.line);
        });
        where = a;
      }
      return h('tr', { class: u.origin ?? '' },
        h('td', {}, `${w.kind[u.kind]} `, h('code', {}, u.item)), h('td', {}, versions.join(', ')),
        h('td', {}, u.origin ? w.origin[u.origin] : w.noProvenance), h('td', {}, where), h('td', {}, articleView(u.article, ctx)));
    })));
}
