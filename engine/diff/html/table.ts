// Tables of the report: a header of bilingual labels, cells escaped, numeric cells right-aligned
// and carrying their number for sorting, and a cap on the rows written.

import { assertNever } from '../../../dsl/ast.ts';
import { escapeHtml } from './escape.ts';
import { labelHtml } from './format.ts';
import { fill, LABELS, type Label } from './labels.ts';

/** A cell: text (escaped when written), a number, or markup the report built itself. */
export type Cell =
  | { readonly kind: 'text'; readonly text: string; readonly className?: string }
  | { readonly kind: 'number'; readonly value: number; readonly text?: string; readonly className?: string }
  | { readonly kind: 'html'; readonly html: string; readonly sort?: number | string };

/** A text cell (escaped when written). */
export const text = (value: string, className?: string): Cell => ({ kind: 'text', text: value, ...(className === undefined ? {} : { className }) });
/** A number cell: right-aligned, sorted by `value`, shown as `shown` when given. */
export const num = (value: number, shown?: string, className?: string): Cell =>
  ({ kind: 'number', value, ...(shown === undefined ? {} : { text: shown }), ...(className === undefined ? {} : { className }) });
/** A cell of markup the report built (never text from the document unescaped). */
export const html = (markup: string, sort?: number | string): Cell => ({ kind: 'html', html: markup, ...(sort === undefined ? {} : { sort }) });

/** A column: its header, and whether it holds numbers (right-aligned). */
export interface Column {
  readonly label: Label | string;
  readonly numeric?: boolean;
}

function cellHtml(cell: Cell): string {
  switch (cell.kind) {
    case 'text': return `<td${cell.className ? ` class="${escapeHtml(cell.className)}"` : ''}>${escapeHtml(cell.text)}</td>`;
    case 'number': {
      const classes = ['n', ...(cell.className ? [cell.className] : [])].join(' ');
      return `<td class="${classes}" data-sort="${cell.value}">${escapeHtml(cell.text ?? String(cell.value))}</td>`;
    }
    case 'html': {
      const sort = cell.sort === undefined ? '' : typeof cell.sort === 'number' ? ` data-sort="${cell.sort}"` : '';
      return `<td${sort}>${cell.html}</td>`;
    }
    default: return assertNever(cell);
  }
}

/**
 * A table of at most `cap` rows; past the cap, a note saying how many rows are not shown. With
 * `sortable`, each header is a button that sorts the rows by its column (page-script.ts).
 */
export function tableHtml(
  columns: readonly Column[], rows: readonly (readonly Cell[])[],
  options: { readonly sortable?: boolean; readonly cap: number; readonly id?: string; readonly rowAttributes?: (index: number) => string },
): string {
  const head = columns.map((c) => {
    const label = typeof c.label === 'string' ? escapeHtml(c.label) : labelHtml(c.label);
    const inner = options.sortable ? `<button type="button">${label}</button>` : label;
    return `<th scope="col"${c.numeric ? ' class="n"' : ''}>${inner}</th>`;
  }).join('');
  const shown = rows.slice(0, options.cap);
  const body = shown.map((row, i) => `<tr${options.rowAttributes ? options.rowAttributes(i) : ''}>${row.map(cellHtml).join('')}</tr>`).join('\n');
  const attributes = `${options.id ? ` id="${escapeHtml(options.id)}"` : ''}${options.sortable ? ' class="sortable"' : ''}`;
  const table = `<table${attributes}>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
  return rows.length > shown.length ? `${table}\n${truncationNote(LABELS.truncatedRows, shown.length, rows.length - shown.length)}` : table;
}

/** The note under a list cut at its cap. */
export function truncationNote(label: Label, shown: number, more: number): string {
  return `<p class="note warn">${labelHtml(fill(label, { shown, more }))}</p>`;
}
