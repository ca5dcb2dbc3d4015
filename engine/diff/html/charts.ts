// The report's charts, as ECharts option objects: plain data, written into the page as JSON and
// handed to echarts.init there (page-script.ts). No functions in them (label formatters are
// ECharts' string templates), so the options survive JSON, and tooltips are drawn by the renderer
// as rich text rather than as HTML built from the data.

import type { DiffJson, MeasureDistribution } from '../diff-json.ts';
import { numberText, ruleText } from './format.ts';
import { bilingual, LABELS, type Label } from './labels.ts';

/** One chart of the page: the id of its element, its height in pixels and its options. */
export interface ChartSpec {
  readonly id: string;
  readonly height: number;
  readonly option: Record<string, unknown>;
}

const GREEN = '#2e7d32';
const RED = '#c62828';
const GREY = '#9e9e9e';
const BASE_COLOUR = '#5c6bc0';
const HEAD_COLOUR = '#ef6c00';

/** What every chart shares: no animation (printing and screenshots catch the final frame), rich-text tooltips. */
const COMMON = {
  animation: false,
  textStyle: { fontFamily: 'system-ui, "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif' },
  tooltip: { renderMode: 'richText', confine: true },
} as const;

/** How many subjects moved from each status on base to each on head. */
export interface TransitionFlows {
  /** from → to → count; statuses `compliant`, `non_compliant`, `absent`. */
  readonly flows: readonly { readonly from: Status; readonly to: Status; readonly count: number }[];
}

type Status = 'compliant' | 'non_compliant' | 'absent';

/**
 * The flows of the transition chart. Subjects that kept their status are counted from the
 * summary (most are unchanged, so not in `changed`); those only on one side from `changed`, which
 * lists each of them (its presence differs), to tell compliant from not. The summary's
 * `base_compliant` and `head_compliant` count the subjects each side evaluates, so
 *   stayed compliant     = base_compliant − became_non_compliant − (only on base, compliant)
 *   stayed non-compliant = (subjects − only_head − base_compliant) − became_compliant − (only on base, not compliant).
 * A count that a document inconsistent with that reading would make negative is drawn as 0.
 */
export function transitionFlows(doc: DiffJson): TransitionFlows {
  const s = doc.summary;
  let onlyBaseCompliant = 0, onlyBaseNon = 0, onlyHeadCompliant = 0, onlyHeadNon = 0;
  for (const subject of doc.changed) {
    if (subject.transition === 'only_base') {
      if (subject.base.compliant === true) onlyBaseCompliant++; else onlyBaseNon++;
    } else if (subject.transition === 'only_head') {
      if (subject.head.compliant === true) onlyHeadCompliant++; else onlyHeadNon++;
    }
  }
  const nonNegative = (n: number) => Math.max(0, n);
  const flows: { from: Status; to: Status; count: number }[] = [
    { from: 'compliant', to: 'compliant', count: nonNegative(s.base_compliant - s.became_non_compliant - onlyBaseCompliant) },
    { from: 'compliant', to: 'non_compliant', count: s.became_non_compliant },
    { from: 'non_compliant', to: 'compliant', count: s.became_compliant },
    { from: 'non_compliant', to: 'non_compliant', count: nonNegative(s.subjects - s.only_head - s.base_compliant - s.became_compliant - onlyBaseNon) },
    { from: 'compliant', to: 'absent', count: onlyBaseCompliant },
    { from: 'non_compliant', to: 'absent', count: onlyBaseNon },
    { from: 'absent', to: 'compliant', count: onlyHeadCompliant },
    { from: 'absent', to: 'non_compliant', count: onlyHeadNon },
  ];
  return { flows: flows.filter((f) => f.count > 0) };
}

function statusLabel(status: Status): Label {
  return status === 'compliant' ? LABELS.compliant : status === 'non_compliant' ? LABELS.nonCompliant : LABELS.absent;
}

function statusColour(status: Status): string {
  return status === 'compliant' ? GREEN : status === 'non_compliant' ? RED : GREY;
}

/** The transition chart: a Sankey diagram of status on base (left) to status on head (right). */
export function transitionChart(doc: DiffJson): ChartSpec | null {
  const { flows } = transitionFlows(doc);
  if (flows.length === 0) return null;
  const node = (side: Label, status: Status) => `${side.zh}${statusLabel(status).zh} / ${side.en} ${statusLabel(status).en}`;
  const nodes = new Map<string, Status>();
  for (const f of flows) {
    nodes.set(node(LABELS.base, f.from), f.from);
    nodes.set(node(LABELS.head, f.to), f.to);
  }
  return {
    id: 'chart-transitions',
    height: 320,
    option: {
      ...COMMON,
      series: [{
        type: 'sankey',
        left: 8, right: 240, top: 12, bottom: 12,
        nodeAlign: 'justify',
        layoutIterations: 0,
        emphasis: { focus: 'adjacency' },
        lineStyle: { color: 'gradient', opacity: 0.45 },
        // A template, not a function: the options travel as JSON. {b} the node's name, {c} its count.
        label: { fontSize: 12, formatter: '{b}  {c}' },
        data: [...nodes].map(([name, status]) => ({ name, itemStyle: { color: statusColour(status) } })),
        links: flows.map((f) => ({ source: node(LABELS.base, f.from), target: node(LABELS.head, f.to), value: f.count })),
      }],
    },
  };
}

/** Failures of each rule summed over periods and keys, on each side. */
export function failuresPerRule(doc: DiffJson): { readonly rule: string; readonly base: number; readonly head: number }[] {
  const byRule = new Map<string, { rule: string; base: number; head: number }>();
  for (const r of doc.by_rule) {
    const name = ruleText(r.rule, r.article);
    const entry = byRule.get(name) ?? { rule: name, base: 0, head: 0 };
    entry.base += r.base_failures;
    entry.head += r.head_failures;
    byRule.set(name, entry);
  }
  return [...byRule.values()].filter((r) => r.base > 0 || r.head > 0);
}

/** Failures by rule before and after: grouped horizontal bars (rule names are long), base and head. */
export function rulesChart(doc: DiffJson): ChartSpec | null {
  const rules = failuresPerRule(doc);
  if (rules.length === 0) return null;
  // The first rule at the top: a category y axis runs bottom-up, so the list goes in reversed.
  const shown = [...rules].reverse();
  return {
    id: 'chart-rules',
    height: Math.max(200, 70 + rules.length * 44),
    option: {
      ...COMMON,
      tooltip: { ...COMMON.tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 32, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, name: bilingual(LABELS.count), nameLocation: 'end' },
      yAxis: { type: 'category', data: shown.map((r) => r.rule), axisLabel: { width: 260, overflow: 'truncate' } },
      series: [
        { type: 'bar', name: bilingual(LABELS.baseFailures), data: shown.map((r) => r.base), itemStyle: { color: BASE_COLOUR }, label: { show: true, position: 'right' } },
        { type: 'bar', name: bilingual(LABELS.headFailures), data: shown.map((r) => r.head), itemStyle: { color: HEAD_COLOUR }, label: { show: true, position: 'right' } },
      ],
    },
  };
}

/** One histogram of a measure's deltas over the subjects whose value changed. */
export function histogramChart(distribution: MeasureDistribution, index: number): ChartSpec {
  const bins = distribution.histogram;
  return {
    id: `chart-measure-${index}`,
    height: 220,
    option: {
      ...COMMON,
      tooltip: { ...COMMON.tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: bins.map((b) => `${numberText(b.from)} – ${numberText(b.to)}`), axisLabel: { fontSize: 10, hideOverlap: true } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: bilingual(LABELS.count), data: bins.map((b) => b.count), barCategoryGap: '4%', itemStyle: { color: BASE_COLOUR } }],
    },
  };
}
