// The results pane: summary counts and a table of the subjects (teachers), sortable by any
// column and filterable by id and by compliance, rebuilt from each report.

import { L, t } from './i18n.ts';
import { h, num } from './dom.ts';
import type { Report } from './evaluate-policy.ts';

/** One subject (teacher) of the report, as the JSON report writes it. */
export type SubjectJson = Record<string, unknown> & { readonly compliant: boolean; readonly violations: readonly ViolationJson[] };

/** One violation of the report. */
export interface ViolationJson {
  readonly rule: string;
  readonly key?: string;
  readonly article: string | null;
  readonly year?: number;
  readonly actual: number | null;
  readonly required: number | null;
  readonly message: string;
}

interface Column {
  readonly id: string;
  /** The column heading: Chinese, English. */
  readonly label: readonly [string, string];
  readonly value: (s: SubjectJson) => string | number | boolean;
}

type Filter = 'all' | 'compliant' | 'non_compliant';

/** Sort keys compare as numbers where both are numbers (display order only: no arithmetic). */
function compare(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

export class ResultsTable {
  private subjects: readonly SubjectJson[] = [];
  private key = 'id';
  private sortBy = 'id';
  private descending = false;
  private filter: Filter = 'all';
  private text = '';
  private readonly body = h('tbody');
  private readonly head = h('tr');
  private readonly shown = h('span', { class: 'muted', 'data-testid': 'shown-count' });

  constructor(readonly root: HTMLElement, private readonly onSelect: (s: SubjectJson) => void) {
    const search = h('input', { type: 'search', placeholder: L('筛选编号', 'filter by id'), 'data-zh-placeholder': '筛选编号', 'data-en-placeholder': 'filter by id', 'aria-label': 'filter by id' });
    search.addEventListener('input', () => {
      this.text = search.value.trim();
      this.render();
    });
    const select = h('select', { 'aria-label': 'filter by compliance' },
      t('option', { value: 'all' }, '全部', 'all'), t('option', { value: 'compliant' }, '达标', 'compliant'),
      t('option', { value: 'non_compliant' }, '未达标', 'non-compliant'));
    select.addEventListener('change', () => {
      this.filter = select.value as Filter;
      this.render();
    });
    root.append(h('div', { class: 'toolbar' }, search, select, this.shown),
      h('div', { class: 'table-wrap' }, h('table', { class: 'results', 'data-testid': 'results' }, h('thead', {}, this.head), this.body)));
  }

  private columns(): Column[] {
    const n = (k: string) => (s: SubjectJson) => (typeof s[k] === 'number' ? (s[k] as number) : -Infinity);
    return [
      { id: 'id', label: [this.key, this.key], value: (s) => String(s[this.key] ?? '') },
      { id: 'compliant', label: ['达标', 'compliant'], value: (s) => s.compliant },
      { id: 'credits', label: ['学分', 'credits'], value: n('credits') },
      { id: 'hours', label: ['学时', 'hours'], value: n('hours') },
      { id: 'violations', label: ['未达要求', 'violations'], value: (s) => s.violations.length },
    ];
  }

  /** Shows a new report (the subject key and collection are the policy's names). */
  show(report: Report, key: string, collection: string): void {
    this.key = key;
    this.subjects = (report[collection] as SubjectJson[] | undefined) ?? [];
    this.render();
  }

  clear(): void {
    this.subjects = [];
    this.render();
  }

  private render(): void {
    const cols = this.columns();
    this.head.replaceChildren(...cols.map((c) => {
      const th = h('th', { 'data-col': c.id, title: '点击排序 click to sort' }, t('span', {}, c.label[0], c.label[1]), this.sortBy === c.id ? (this.descending ? ' ▼' : ' ▲') : '');
      th.addEventListener('click', () => {
        this.descending = this.sortBy === c.id ? !this.descending : false;
        this.sortBy = c.id;
        this.render();
      });
      return th;
    }));
    const col = cols.find((c) => c.id === this.sortBy) ?? cols[0]!;
    const rows = this.subjects
      .filter((s) => (this.filter === 'all' ? true : this.filter === 'compliant' ? s.compliant : !s.compliant))
      .filter((s) => this.text === '' || String(s[this.key] ?? '').includes(this.text))
      .slice()
      .sort((a, b) => (this.descending ? -1 : 1) * compare(col.value(a), col.value(b)));
    this.shown.textContent = `${rows.length} / ${this.subjects.length}`;
    this.body.replaceChildren(...rows.map((s) => {
      const tr = h('tr', { class: s.compliant ? 'ok' : 'bad', 'data-id': String(s[this.key] ?? '') },
        h('td', {}, String(s[this.key] ?? '')),
        s.compliant ? t('td', {}, '✓ 达标', '✓ compliant') : t('td', {}, '✗ 未达标', '✗ non-compliant'),
        h('td', { class: 'n' }, num(s.credits)),
        h('td', { class: 'n' }, num(s.hours)),
        h('td', { class: 'n' }, String(s.violations.length)));
      tr.addEventListener('click', () => this.onSelect(s));
      return tr;
    }));
  }
}

/** The summary counts of a report, as `guize eval --format table` totals them. */
export function summaryView(report: Report, collection: string): HTMLElement {
  const s = report.summary;
  const item = (label: readonly [string, string], value: unknown, id: string) => h('div', { class: 'count', 'data-testid': id }, h('b', {}, num(value)), t('span', {}, label[0], label[1]));
  const policy = report.policy as Record<string, unknown> | undefined;
  return h('div', { class: 'summary' },
    item([collection, collection], s[collection], 'count-subjects'),
    item(['达标', 'compliant'], s.compliant, 'count-compliant'),
    item(['未达标', 'non-compliant'], s.non_compliant, 'count-non-compliant'),
    item(['读入行', 'rows read'], s.rows_read, 'count-rows'),
    item(['计入', 'evaluated'], s.evaluated, 'count-evaluated'),
    item(['拒绝', 'rejected'], s.rejected, 'count-rejected'),
    item(['范围外', 'out of scope'], s.out_of_scope, 'count-out-of-scope'),
    h('div', { class: 'muted policy-line' }, `${num(policy?.id)} ${num(policy?.version)} · ${num(policy?.document)}`));
}
