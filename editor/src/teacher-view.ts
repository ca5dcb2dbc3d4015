// The teacher view: one subject's results explained — each requirement not met, actual against
// required, the shortfall and the article (with the article's text) — and the measures per
// period. Built on what `guize eval` reports today; this module is the one place to plug in the
// per-record explanation of `guize explain` (engine/explain/) when it lands: `renderSubject`
// takes the report's subject object and returns the pane's content.

import { h, num } from './dom.ts';
import type { SubjectJson, ViolationJson } from './results-table.ts';
import { shortfall } from './shortfall.ts';

/** What the view needs besides the subject: its key field and a lookup of articles' text. */
export interface TeacherViewContext {
  readonly key: string;
  readonly articleText: (cite: string) => string | undefined;
}

function violationView(v: ViolationJson, ctx: TeacherViewContext): HTMLElement {
  const [zh, en] = v.message.split(' / ');
  const text = v.article ? ctx.articleText(v.article) : undefined;
  const gap = shortfall(v);
  return h('li', { class: 'violation' },
    h('div', {}, h('b', {}, zh ?? v.message), en ? h('div', { class: 'muted' }, en) : undefined),
    h('table', { class: 'facts' },
      h('tr', {}, h('th', {}, '要求 rule'), h('td', {}, `${v.rule}${v.key ? ` [${v.key}]` : ''}`)),
      h('tr', {}, h('th', {}, '期间 period'), h('td', {}, v.year === undefined ? '周期 cycle' : String(v.year))),
      h('tr', {}, h('th', {}, '实际 actual'), h('td', { class: 'n' }, num(v.actual))),
      h('tr', {}, h('th', {}, '要求 required'), h('td', { class: 'n' }, num(v.required))),
      h('tr', {}, h('th', {}, '差额 shortfall'), h('td', { class: 'n' }, gap ?? '—')),
      h('tr', {}, h('th', {}, '条款 article'), h('td', {}, v.article ?? '—'))),
    text ? h('details', {}, h('summary', {}, `${v.article} 原文 / the article's text`), h('p', { class: 'article' }, text)) : undefined);
}

/** A table of the measures per period (and the cycle), numbers as the report gives them. */
function measuresView(s: SubjectJson): HTMLElement | undefined {
  const years = s.years as Record<string, Record<string, unknown>> | undefined;
  if (!years) return undefined;
  const periods = Object.keys(years);
  const flat = (o: Record<string, unknown>): [string, unknown][] => Object.entries(o).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' ? Object.entries(v as Record<string, unknown>).map(([k2, v2]): [string, unknown] => [`${k}.${k2}`, v2]) : [[k, v]]);
  const names = [...new Set(periods.flatMap((p) => flat(years[p]!).map(([k]) => k)))];
  const cycle = Object.fromEntries(flat(Object.fromEntries(Object.entries(s).filter(([k, v]) => typeof v === 'number' || (k === 'modules' && v !== null && typeof v === 'object')))));
  return h('table', { class: 'measures' },
    h('thead', {}, h('tr', {}, h('th', {}, '度量 measure'), ...periods.map((p) => h('th', {}, p)), h('th', {}, '周期 cycle'))),
    h('tbody', {}, ...names.map((n) => h('tr', {}, h('th', {}, n), ...periods.map((p) => h('td', { class: 'n' }, num(Object.fromEntries(flat(years[p]!))[n]))), h('td', { class: 'n' }, num(cycle[n]))))));
}

/** The content of the teacher pane for one subject of the report. */
export function renderSubject(s: SubjectJson, ctx: TeacherViewContext): HTMLElement {
  const records = s.records as { evaluated?: number; disregarded?: number } | undefined;
  return h('div', { class: 'teacher', 'data-testid': 'teacher-view' },
    h('h3', {}, `${String(s[ctx.key] ?? '')} — ${s.compliant ? '达标 compliant' : '未达标 not compliant'}`),
    h('div', { class: 'muted' }, `记录 records: ${num(records?.evaluated)} 计入 evaluated, ${num(records?.disregarded)} 不计 disregarded`),
    s.violations.length === 0
      ? h('p', {}, '满足全部要求 / meets every requirement')
      : h('ol', { class: 'violations' }, ...s.violations.map((v) => violationView(v, ctx))),
    h('h4', {}, '各期度量 / measures per period'),
    measuresView(s),
    h('p', { class: 'muted' }, '逐条记录的计算过程将由 guize explain 提供 / the per-record arithmetic comes with guize explain'));
}
