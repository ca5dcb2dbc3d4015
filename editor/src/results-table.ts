// The results pane: summary counts and a table of the subjects (teachers), sortable by any
// column and filterable by id and by compliance, rebuilt from each table the worker sends
// (live-evaluation.ts: typed arrays, one entry per subject). At most MAX_SHOWN rows are put in
// the page at a time (the filter finds any other): a province's tens of thousands of rows would
// make every edit wait on the DOM.

import { L, t } from './i18n.ts';
import { h } from './dom.ts';
import type { LiveSummary, LiveTable } from './live-evaluation.ts';

/** The measures the table shows (the policy's ids), asked of the worker with each evaluation. */
export const TABLE_MEASURES: readonly string[] = ['credits', 'hours'];

/** Rows put in the page at most. */
export const MAX_SHOWN = 1000;

interface Column {
  readonly id: string;
  /** The column heading: Chinese, English. */
  readonly label: readonly [string, string];
  /** The sort key of subject `i`. */
  readonly value: (i: number) => string | number;
}

type Filter = 'all' | 'compliant' | 'non_compliant';

/** Sort keys compare as numbers where both are numbers (display order only: no arithmetic). */
function compare(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** A measure's value as the report writes it (a JSON number, or text beyond a double), '—' for none. */
export function measureText(table: LiveTable, column: number, i: number): string {
  const c = table.columns[column];
  if (!c) return '—';
  const v = c.values[i]!;
  return v === v ? String(v) : (c.texts[i] ?? '—');
}

export class ResultsTable {
  private table: LiveTable | undefined;
  private key = 'id';
  private sortBy = 'id';
  private descending = false;
  private filter: Filter = 'all';
  private text = '';
  private readonly body = h('tbody');
  private readonly head = h('tr');
  private readonly shown = h('span', { class: 'muted', 'data-testid': 'shown-count' });
  private readonly more = h('div', { class: 'muted', 'data-testid': 'more-rows' });

  constructor(readonly root: HTMLElement, private readonly onSelect: (id: string, cycle: string | undefined) => void) {
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
      h('div', { class: 'table-wrap' }, h('table', { class: 'results', 'data-testid': 'results' }, h('thead', {}, this.head), this.body)), this.more);
  }

  private columns(): Column[] {
    const tb = this.table;
    const measure = (c: number) => (i: number) => {
      const v = tb?.columns[c]?.values[i];
      return v === undefined || v !== v ? -Infinity : v;
    };
    return [
      { id: 'id', label: [this.key, this.key], value: (i) => tb?.ids[i] ?? '' },
      // In a repeating cycle a subject has a row per cycle, named by it (the report's order within a subject).
      ...(tb?.cycles ? [{ id: 'cycle', label: ['周期', 'cycle'] as const, value: (i: number) => tb.cycles?.[i] ?? '' }] : []),
      { id: 'compliant', label: ['达标', 'compliant'], value: (i) => tb?.compliant[i] ?? 0 },
      { id: 'credits', label: ['学分', 'credits'], value: measure(0) },
      { id: 'hours', label: ['学时', 'hours'], value: measure(1) },
      { id: 'violations', label: ['未达要求', 'violations'], value: (i) => tb?.violations[i] ?? 0 },
    ];
  }

  /** Shows a new table (the subject key is the policy's name for it). */
  show(table: LiveTable, key: string): void {
    this.key = key;
    this.table = table;
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
    const tb = this.table;
    if (!tb) return;
    const col = cols.find((c) => c.id === this.sortBy) ?? cols[0]!;
    const rows: number[] = [];
    for (let i = 0; i < tb.ids.length; i++) {
      const ok = tb.compliant[i] === 1;
      if (this.filter === 'compliant' ? !ok : this.filter === 'non_compliant' ? ok : false) continue;
      if (this.text !== '' && !tb.ids[i]!.includes(this.text)) continue;
      rows.push(i);
    }
    // The report's order is the ids' order: sorting by id keeps it.
    if (col.id !== 'id' || this.descending) rows.sort((a, b) => (this.descending ? -1 : 1) * compare(col.value(a), col.value(b)) || a - b);
    this.shown.textContent = `${rows.length} / ${tb.ids.length}`;
    this.body.replaceChildren(...rows.slice(0, MAX_SHOWN).map((i) => {
      const id = tb.ids[i]!;
      const cycle = tb.cycles?.[i];
      const ok = tb.compliant[i] === 1;
      const tr = h('tr', { class: ok ? 'ok' : 'bad', 'data-id': id, ...(cycle === undefined ? {} : { 'data-cycle': cycle }) },
        h('td', {}, id),
        ...(tb.cycles ? [h('td', {}, cycle ?? '—')] : []),
        ok ? t('td', {}, '✓ 达标', '✓ compliant') : t('td', {}, '✗ 未达标', '✗ non-compliant'),
        h('td', { class: 'n' }, measureText(tb, 0, i)),
        h('td', { class: 'n' }, measureText(tb, 1, i)),
        h('td', { class: 'n' }, String(tb.violations[i])));
      tr.addEventListener('click', () => this.onSelect(id, cycle));
      return tr;
    }));
    if (rows.length > MAX_SHOWN) {
      this.more.dataset.zh = `仅显示前 ${MAX_SHOWN} 行（共 ${rows.length} 行）：按编号筛选可找到其余的`;
      this.more.dataset.en = `the first ${MAX_SHOWN} of ${rows.length} rows are shown: filter by id for the others`;
      this.more.textContent = L(this.more.dataset.zh, this.more.dataset.en);
    } else {
      delete this.more.dataset.zh;
      delete this.more.dataset.en;
      this.more.replaceChildren();
    }
  }
}

/** The summary counts of a table, as `guize eval --format table` totals them. */
export function summaryView(table: LiveTable, collection: string): HTMLElement {
  const s: LiveSummary = table.summary;
  const item = (label: readonly [string, string], value: number, id: string) => h('div', { class: 'count', 'data-testid': id }, h('b', {}, String(value)), t('span', {}, label[0], label[1]));
  const p = table.policy;
  return h('div', { class: 'summary' },
    item([collection, collection], s.subjects, 'count-subjects'),
    item(['达标', 'compliant'], s.compliant, 'count-compliant'),
    item(['未达标', 'non-compliant'], s.non_compliant, 'count-non-compliant'),
    item(['读入行', 'rows read'], s.rows_read, 'count-rows'),
    item(['计入', 'evaluated'], s.evaluated, 'count-evaluated'),
    item(['拒绝', 'rejected'], s.rejected, 'count-rejected'),
    item(['范围外', 'out of scope'], s.out_of_scope, 'count-out-of-scope'),
    h('div', { class: 'muted policy-line' }, `${p.id} ${p.version} · ${p.document}`));
}
