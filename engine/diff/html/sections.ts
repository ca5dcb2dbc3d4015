// The report's sections other than the changed subjects (subjects.ts): the two sides, the
// headline counts, failures by rule, measure deltas, record outcomes, row accounting, groups.

import type { DiffJson, DiffSide } from '../diff-json.ts';
import { histogramChart, rulesChart, transitionChart, type ChartSpec } from './charts.ts';
import { escapeHtml } from './escape.ts';
import { labelHtml, numberText, ruleText, valueText } from './format.ts';
import { LABELS, transitionLabel, type Label } from './labels.ts';
import { num, tableHtml, text, type Cell } from './table.ts';

/** A section's markup and the charts it holds. */
export interface Section {
  readonly html: string;
  readonly charts: readonly ChartSpec[];
}

function heading(level: 2 | 3, label: Label, id?: string): string {
  return `<h${level}${id ? ` id="${id}"` : ''}>${labelHtml(label)}</h${level}>`;
}

function chartDiv(chart: ChartSpec): string {
  return `<div class="chart" id="${chart.id}" style="height:${chart.height}px"></div>`;
}

/** The title and a table of the two sides compared. */
export function sidesSection(doc: DiffJson): Section {
  const side = (s: DiffSide): Cell[] => [
    text(s.source), text(s.id), s.version === null ? { kind: 'html', html: labelHtml(LABELS.allVersions) } : text(s.version), text(s.document ?? '—'),
  ];
  const table = tableHtml(
    [{ label: '' }, { label: LABELS.source }, { label: LABELS.policy }, { label: LABELS.version }, { label: LABELS.document }],
    [[{ kind: 'html', html: labelHtml(LABELS.base) }, ...side(doc.base)], [{ kind: 'html', html: labelHtml(LABELS.head) }, ...side(doc.head)]],
    { cap: 2 },
  );
  const title = `<h1>${labelHtml(LABELS.title)}</h1>\n<p class="muted">${escapeHtml(doc.base.source)} → ${escapeHtml(doc.head.source)}</p>`;
  return { html: `${title}\n${table}`, charts: [] };
}

function card(label: Label, value: string, className = ''): string {
  return `<div class="card"><div class="v${className ? ` ${className}` : ''}">${escapeHtml(value)}</div><div class="k">${labelHtml(label)}</div></div>`;
}

/** The headline counts and the transition chart. */
export function headlineSection(doc: DiffJson): Section {
  const s = doc.summary;
  const cards = [
    card(LABELS.subjects, String(s.subjects)),
    card(LABELS.compliantBaseHead, `${s.base_compliant} → ${s.head_compliant}`),
    card(transitionLabel('became_compliant'), String(s.became_compliant), 'ok'),
    card(transitionLabel('became_non_compliant'), String(s.became_non_compliant), 'bad'),
    card(LABELS.changedMeasures, String(s.changed_measures)),
    card(LABELS.unchanged, String(s.unchanged)),
    card(LABELS.onlyBase, String(s.only_base)),
    card(LABELS.onlyHead, String(s.only_head)),
  ].join('\n');
  const chart = transitionChart(doc);
  const chartHtml = chart === null
    ? `<p class="note">${labelHtml(LABELS.noData)}</p>`
    : `${chartDiv(chart)}\n<p class="note">${labelHtml(LABELS.transitionNote)}</p>`;
  return {
    html: `${heading(2, LABELS.headline, 'headline')}\n<div class="cards" id="headline-counts">\n${cards}\n</div>\n${heading(3, LABELS.transitions)}\n${chartHtml}`,
    charts: chart === null ? [] : [chart],
  };
}

/** Failures by rule: the chart (per rule) and the table (per rule, period and key). */
export function rulesSection(doc: DiffJson, cap: number): Section {
  const chart = rulesChart(doc);
  const rows = doc.by_rule.map((r): Cell[] => [
    text(r.rule), text(r.article ?? '—'),
    r.window !== undefined ? text(r.window) : r.year === null ? { kind: 'html', html: labelHtml(LABELS.cycle) } : num(r.year),
    text(r.key ?? '—'),
    num(r.base_failures), num(r.head_failures),
    num(r.newly_failing, undefined, r.newly_failing > 0 ? 'bad' : undefined),
    num(r.newly_passing, undefined, r.newly_passing > 0 ? 'ok' : undefined),
  ]);
  const table = rows.length === 0 ? `<p class="note">${labelHtml(LABELS.noData)}</p>` : tableHtml([
    { label: LABELS.rule }, { label: LABELS.article }, { label: LABELS.year }, { label: LABELS.key },
    { label: LABELS.baseFailures, numeric: true }, { label: LABELS.headFailures, numeric: true },
    { label: LABELS.newlyFailing, numeric: true }, { label: LABELS.newlyPassing, numeric: true },
  ], rows, { sortable: true, cap, id: 'rules-table' });
  return {
    html: `${heading(2, LABELS.failuresByRule, 'rules')}\n${chart === null ? '' : `${chartDiv(chart)}\n`}${table}`,
    charts: chart === null ? [] : [chart],
  };
}

/** One histogram per measure whose values changed. */
export function measuresSection(doc: DiffJson): Section {
  const charts = doc.measures.map((m, i) => histogramChart(m, i));
  const figures = doc.measures.map((m, i) => {
    const stats = [m.min, m.q1, m.median, m.q3, m.max].map(numberText).join(' / ');
    return `<figure>\n<figcaption>${escapeHtml(m.measure)} <span class="muted">(${labelHtml(LABELS.changedCount)}: ${m.changed})</span></figcaption>\n`
      + `${chartDiv(charts[i]!)}\n<p class="note">${labelHtml(LABELS.quartiles)}: ${escapeHtml(stats)}</p>\n</figure>`;
  }).join('\n');
  const body = figures === '' ? `<p class="note">${labelHtml(LABELS.noData)}</p>` : `<div class="histograms">\n${figures}\n</div>`;
  return { html: `${heading(2, LABELS.measureDeltas, 'measures')}\n${body}`, charts };
}

/** Record rows whose outcome changed, and the rules that decided them; each side's row accounting. */
export function recordsSection(doc: DiffJson, cap: number): Section {
  const r = doc.records;
  const counts = tableHtml([{ label: LABELS.rowsItem }, { label: LABELS.rowCount, numeric: true }], ([
    [LABELS.acceptedToRejected, r.accepted_to_rejected], [LABELS.rejectedToAccepted, r.rejected_to_accepted],
    [LABELS.countedToDisregarded, r.counted_to_disregarded], [LABELS.disregardedToCounted, r.disregarded_to_counted],
    [LABELS.valuesChanged, r.values_changed],
  ] as const).map(([label, n]): Cell[] => [{ kind: 'html', html: labelHtml(label) }, num(n)]), { cap: 5, id: 'records-table' });
  const byRule = r.by_rule.length === 0 ? '' : `${heading(3, LABELS.decidedBy)}\n${tableHtml(
    [{ label: LABELS.rule }, { label: LABELS.base, numeric: true }, { label: LABELS.head, numeric: true }],
    r.by_rule.map((b): Cell[] => [text(ruleText(b.rule, b.article)), num(b.base), num(b.head)]),
    { sortable: true, cap, id: 'records-rules-table' },
  )}`;
  const keys = [...new Set([...Object.keys(doc.rows.base), ...Object.keys(doc.rows.head)])];
  const rows = tableHtml(
    [{ label: LABELS.rowsItem }, { label: LABELS.base, numeric: true }, { label: LABELS.head, numeric: true }],
    keys.map((k): Cell[] => [text(k), text(valueText(doc.rows.base[k]), 'n'), text(valueText(doc.rows.head[k]), 'n')]),
    { cap, id: 'rows-table' },
  );
  return { html: `${heading(2, LABELS.records, 'records')}\n${counts}\n${byRule}\n${heading(3, LABELS.rows)}\n${rows}`, charts: [] };
}

/** One sortable table per group field (`school_id`, `county_id`). */
export function groupsSection(doc: DiffJson, cap: number): Section {
  const fields = Object.keys(doc.by_group);
  if (fields.length === 0) return { html: '', charts: [] };
  const tables = fields.map((field, f) => {
    const rows = (doc.by_group[field] ?? []).map((g): Cell[] => {
      const change = g.head_compliant - g.base_compliant;
      return [
        text(g.group), num(g.subjects), num(g.base_compliant), num(g.head_compliant),
        num(change, change > 0 ? `+${change}` : String(change), change > 0 ? 'up' : change < 0 ? 'down' : undefined),
        num(g.became_compliant), num(g.became_non_compliant),
      ];
    });
    return `<h3>${escapeHtml(field)}</h3>\n${tableHtml([
      { label: `${LABELS.group.zh} / ${LABELS.group.en} (${field})` }, { label: LABELS.subjects, numeric: true },
      { label: LABELS.baseCompliant, numeric: true }, { label: LABELS.headCompliant, numeric: true },
      { label: LABELS.compliantChange, numeric: true },
      { label: transitionLabel('became_compliant'), numeric: true },
      { label: transitionLabel('became_non_compliant'), numeric: true },
    ], rows, { sortable: true, cap, id: `group-table-${f}` })}`;
  }).join('\n');
  return { html: `${heading(2, LABELS.byGroup, 'groups')}\n<p class="note">${labelHtml(LABELS.sortHint)}</p>\n${tables}`, charts: [] };
}
