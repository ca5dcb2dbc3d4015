// The change pane: the policy as edited against a base (the policy as loaded, one of its versions,
// or a fork's parent) over the same data — engine/diff's document (`guize diff --format json`)
// shown as the summary counts, the transitions, failures per requirement before and after, the
// measures' distributions of change and the changed subjects (a click opens their explanation).
// "Open the full report" renders the diff report of `guize diff --format html` into a new tab.

import type { ChangedSubject, DiffJson, MeasureDistribution, RuleFailures } from '../../engine/diff/index.ts';
import { LABELS, transitionLabel, TRANSITIONS, type Label } from '../../engine/diff/html/labels.ts';
import { L, t } from './i18n.ts';
import { h } from './dom.ts';
import type { ImpactOutcome } from './change-impact.ts';

/** A base to compare against: its value in the picker and its label. */
export interface BaseOption {
  readonly value: string;
  readonly label: string;
}

/** What the pane needs besides the outcome. */
export interface ImpactContext {
  readonly bases: readonly BaseOption[];
  readonly base: string;
  readonly pickBase: (value: string) => void;
  /** Opens a subject's explanation, under the head (or the base, for a subject only the base evaluates). */
  readonly select: (id: string, side: 'base' | 'head') => void;
  readonly openReport: (doc: DiffJson) => void;
}

/**
 * A label of `guize diff` (shared with the HTML report) in the interface language: the pane is
 * redrawn on a language switch, so each label is written in the language of the moment.
 */
const l = (label: Label) => L(label.zh, label.en);

/** The quartiles' column headings, from the report's `min / q1 / median / q3 / max`. */
const quartiles = (): string[] => l(LABELS.quartiles).split(' / ');

/** At most this many rows per table here (the full report has them all). */
const MAX_ROWS = 200;

function toolbar(outcome: ImpactOutcome | undefined, ctx: ImpactContext): HTMLElement {
  const select = h('select', { 'aria-label': 'compare against', 'data-testid': 'impact-base' },
    ...ctx.bases.map((b) => h('option', { value: b.value, ...(b.value === ctx.base ? { selected: '' } : {}) }, b.label)));
  select.addEventListener('change', () => ctx.pickBase(select.value));
  const report = t('button', { 'data-testid': 'impact-report', ...(outcome?.kind === 'compared' ? {} : { disabled: '' }) }, '完整报告', 'open the full report');
  report.addEventListener('click', () => {
    if (outcome?.kind === 'compared') ctx.openReport(outcome.doc);
  });
  return h('div', { class: 'toolbar' }, t('b', {}, '变化', 'change'), h('label', {}, t('span', {}, '修改后对比：', 'as edited, against: '), select), report);
}

export function impactView(outcome: ImpactOutcome | undefined, ctx: ImpactContext): HTMLElement {
  const root = h('div', { class: 'impact', 'data-testid': 'impact' }, toolbar(outcome, ctx));
  if (outcome === undefined) {
    root.append(t('div', { class: 'muted' }, '比较中…', 'comparing…'));
    return root;
  }
  switch (outcome.kind) {
    case 'policy-errors':
      root.append(h('div', { class: 'muted' }, outcome.side === 'head'
        ? L('修改后的策略有错误，无法比较', 'the edited policy has errors: nothing to compare')
        : L('对比的基准策略有错误', 'the base policy has errors')));
      return root;
    case 'input-error':
      root.append(h('div', { class: 'status bad' }, outcome.message));
      return root;
    case 'compared':
      root.append(...documentView(outcome.doc, ctx));
      return root;
  }
}

function count(label: string, value: string, id: string, cls = ''): HTMLElement {
  return h('div', { class: `count ${cls}`, 'data-testid': id }, h('b', {}, value), h('span', {}, label));
}

function documentView(doc: DiffJson, ctx: ImpactContext): HTMLElement[] {
  const s = doc.summary;
  const delta = s.head_compliant - s.base_compliant;
  const out: HTMLElement[] = [
    h('div', { class: 'summary' },
      count(l(LABELS.compliantBaseHead), `${s.base_compliant} → ${s.head_compliant} (${delta >= 0 ? '+' : ''}${delta})`, 'impact-compliant'),
      count(l(transitionLabel('became_non_compliant')), String(s.became_non_compliant), 'impact-became-non-compliant', 'bad'),
      count(l(transitionLabel('became_compliant')), String(s.became_compliant), 'impact-became-compliant', 'ok'),
      count(l(LABELS.changedMeasures), String(s.changed_measures), 'impact-changed-measures'),
      count(l(LABELS.unchanged), String(s.unchanged), 'impact-unchanged'),
      ...(s.only_base + s.only_head > 0 ? [count(l(LABELS.onlyBase), String(s.only_base), 'impact-only-base'), count(l(LABELS.onlyHead), String(s.only_head), 'impact-only-head')] : [])),
  ];
  if (doc.changed.length === 0 && doc.records.rows_changed === 0) {
    out.push(t('div', { class: 'muted' }, '没有变化', 'nothing changes'));
    return out;
  }
  out.push(transitionsView(doc));
  out.push(rulesView(doc.by_rule));
  if (doc.measures.length > 0) out.push(measuresView(doc.measures));
  const r = doc.records;
  out.push(h('div', { class: 'muted', 'data-testid': 'impact-records' }, `${l(LABELS.records)}: ${r.rows_changed ?? 0} / ${r.rows_compared ?? 0} · ${l(LABELS.acceptedToRejected)} ${r.accepted_to_rejected} · ${l(LABELS.rejectedToAccepted)} ${r.rejected_to_accepted} · ${l(LABELS.countedToDisregarded)} ${r.counted_to_disregarded} · ${l(LABELS.disregardedToCounted)} ${r.disregarded_to_counted} · ${l(LABELS.valuesChanged)} ${r.values_changed}`));
  out.push(changedView(doc, ctx));
  return out;
}

function transitionsView(doc: DiffJson): HTMLElement {
  const n = new Map<string, number>();
  for (const c of doc.changed) n.set(c.transition, (n.get(c.transition) ?? 0) + 1);
  return h('details', {}, h('summary', {}, `${l(LABELS.transitions)}: ${TRANSITIONS.filter((t) => (n.get(t) ?? 0) > 0).map((t) => `${l(transitionLabel(t))} ${n.get(t)}`).join(' · ')}`),
    h('table', { class: 'facts', 'data-testid': 'impact-transitions' }, h('tbody', {}, ...TRANSITIONS.filter((t) => (n.get(t) ?? 0) > 0)
      .map((t) => h('tr', { 'data-transition': t }, h('th', {}, l(transitionLabel(t))), h('td', { class: 'n' }, String(n.get(t))))))));
}

const period = (year: number | null, window?: string) => window ?? (year === null ? l(LABELS.cycle) : String(year));

function rulesView(rules: readonly RuleFailures[]): HTMLElement {
  const changed = rules.filter((r) => r.base_failures !== r.head_failures || r.newly_failing > 0 || r.newly_passing > 0);
  return h('details', { open: '' }, h('summary', {}, `${l(LABELS.failuresByRule)} (${changed.length} / ${rules.length})`),
    h('div', { class: 'table-wrap short' }, h('table', { class: 'impact-rules', 'data-testid': 'impact-rules' },
      h('thead', {}, h('tr', {}, ...[LABELS.rule, LABELS.year, LABELS.key, LABELS.baseFailures, LABELS.headFailures, LABELS.newlyFailing, LABELS.newlyPassing, LABELS.article].map((c) => h('th', {}, l(c))))),
      h('tbody', {}, ...changed.slice(0, MAX_ROWS).map((r) => h('tr', {},
        h('td', {}, h('code', {}, r.rule)), h('td', {}, period(r.year, r.window)), h('td', {}, r.key ?? ''),
        h('td', { class: 'n' }, String(r.base_failures)), h('td', { class: 'n' }, String(r.head_failures)),
        h('td', { class: 'n bad' }, r.newly_failing ? `+${r.newly_failing}` : ''), h('td', { class: 'n ok' }, r.newly_passing ? `+${r.newly_passing}` : ''),
        h('td', {}, r.article ?? '')))))));
}

function measuresView(measures: readonly MeasureDistribution[]): HTMLElement {
  return h('details', {}, h('summary', {}, l(LABELS.measureDeltas)),
    h('table', { class: 'impact-measures', 'data-testid': 'impact-measures' },
      h('thead', {}, h('tr', {}, ...[l(LABELS.measure), l(LABELS.changedCount), ...quartiles(), ''].map((c) => h('th', {}, c)))),
      h('tbody', {}, ...measures.map((m) => {
        const most = Math.max(1, ...m.histogram.map((b) => b.count));
        // Bars of the histogram: heights are counts (whole numbers), not computed values.
        const bars = h('span', { class: 'histogram' }, ...m.histogram.map((b) => h('span', { class: 'bar', title: `${b.from} … ${b.to}: ${b.count}`, style: `height:${Math.round((16 * b.count) / most)}px` })));
        return h('tr', {}, h('td', {}, h('code', {}, m.measure)), h('td', { class: 'n' }, String(m.changed)),
          ...[m.min, m.q1, m.median, m.q3, m.max].map((v) => h('td', { class: 'n' }, String(v))), h('td', {}, bars));
      }))));
}

function changedView(doc: DiffJson, ctx: ImpactContext): HTMLElement {
  const key = doc.subject_key;
  const standing = (c: ChangedSubject, side: 'base' | 'head') => {
    const s = c[side];
    return !s.present ? '—' : s.compliant ? '✓' : `✗ ${s.violations.length}`;
  };
  const rows = doc.changed.slice(0, MAX_ROWS).map((c) => {
    const id = String(c[key]);
    const measures = Object.entries(c.measures).slice(0, 4).map(([m, v]) => `${m} ${v.base ?? '—'} → ${v.head ?? '—'}${v.delta === null ? '' : ` (${String(v.delta).startsWith('-') ? '' : '+'}${v.delta})`}`).join('; ');
    const tr = h('tr', { class: c.transition, 'data-id': id, title: L('点击查看说明', 'click for the explanation') },
      h('td', {}, c.cycle === undefined ? id : `${id} ${c.cycle}`), h('td', {}, l(transitionLabel(c.transition))), h('td', {}, `${standing(c, 'base')} → ${standing(c, 'head')}`), h('td', {}, measures));
    tr.addEventListener('click', () => ctx.select(id, c.transition === 'only_base' ? 'base' : 'head'));
    return tr;
  });
  return h('details', { open: '' }, h('summary', {}, `${l(LABELS.changedSubjects)} (${doc.changed.length})`),
    h('div', { class: 'table-wrap short' }, h('table', { class: 'results impact-changed', 'data-testid': 'impact-changed' },
      h('thead', {}, h('tr', {}, h('th', {}, key), h('th', {}, l(LABELS.transition)), h('th', {}, `${l(LABELS.status)} (${l(LABELS.base)} → ${l(LABELS.head)})`), h('th', {}, l(LABELS.measures)))),
      h('tbody', {}, ...rows))),
    doc.changed.length > MAX_ROWS ? t('div', { class: 'muted' }, `仅列出前 ${MAX_ROWS} 个（完整报告中有全部）`, `the first ${MAX_ROWS} are listed; the full report has them all`) : undefined);
}
