// Limits a parent sets its forks: `fork_range: [low, high]` on a parameter, or per column of a
// keyed table (each end a number, or a column of the same row — as when a document lets a
// department set a rate anywhere within the range of the row's level). A range is checked where it is declared
// (it must make sense) and where a fork overrides a value under it (the value must lie within it,
// or the error names the parent's article). Comparisons are on exact decimal text.

import { compareDecimalText } from './decimal-text.ts';
import type { DiagnosticBag } from './diagnostics.ts';
import type { CellValue, ForkBound, ForkRange, KeyedTableDecl, PolicyAst, TableRow } from './policy.ts';
import { didYouMean } from './suggest.ts';

const boundText = (b: ForkBound): string => ('number' in b ? b.number : b.column);

/** The declared ranges make sense: on number columns, bounds of numbers, low ≤ high, the parent's own values inside. */
export function checkForkRangeDecls(p: PolicyAst, bag: DiagnosticBag): void {
  for (const d of p.parameters) {
    if (!d.forkRange) continue;
    const r = d.forkRange;
    if ('column' in r.low || 'column' in r.high || d.type === 'date') {
      bag.error('fork-range-invalid', r.span, `the fork range of parameter '${d.id}' must be two numbers`, `参数 '${d.id}' 的分支范围须为两个数`);
      continue;
    }
    const order = compareDecimalText(r.low.number, r.high.number);
    if (order !== undefined && order > 0) {
      bag.error('fork-range-invalid', r.span, `the fork range of '${d.id}' runs from ${r.low.number} down to ${r.high.number}`,
        `'${d.id}' 的分支范围从 ${r.low.number} 到 ${r.high.number}，下限大于上限`, 'write the lower end first');
    } else if (!within(d.value, r.low.number, r.high.number)) {
      bag.error('fork-range-invalid', d.valueSpan, `'${d.id}' is ${d.value}, outside its own fork range ${r.low.number}–${r.high.number}`,
        `'${d.id}' 的值 ${d.value} 不在其分支范围 ${r.low.number}–${r.high.number} 内`);
    }
  }
  for (const t of p.tables) {
    if (t.kind !== 'keyed' || !t.forkRange) continue;
    const numbers = t.columns.filter((c) => c.type === 'number').map((c) => c.name);
    for (const [column, r] of Object.entries(t.forkRange)) {
      if (!numbers.includes(column)) {
        bag.error('fork-range-invalid', r.span, `'${column}' is not a number column of table '${t.id}'`, `'${column}' 不是表 '${t.id}' 的数值列`,
          didYouMean(column, numbers) ?? `number columns: ${numbers.join(', ')}`);
        continue;
      }
      const bad = [r.low, r.high].find((b) => 'column' in b && !numbers.includes(b.column));
      if (bad) {
        bag.error('fork-range-invalid', r.span, `'${boundText(bad)}' is neither a number nor a number column of table '${t.id}'`,
          `'${boundText(bad)}' 既不是数，也不是表 '${t.id}' 的数值列`, didYouMean(boundText(bad), numbers));
        continue;
      }
      for (const row of t.rows) {
        const [low, high] = [rowBound(r.low, row), rowBound(r.high, row)];
        const v = row.cells[column];
        if (typeof v === 'string' && low !== undefined && high !== undefined && !within(v, low, high)) {
          bag.error('fork-range-invalid', row.cellSpans[column] ?? row.span, `'${column}' of row '${row.key}' of table '${t.id}' is ${v}, outside its own fork range ${low}–${high}`,
            `表 '${t.id}' 行 '${row.key}' 的 '${column}' 为 ${v}，不在其分支范围 ${low}–${high} 内`);
        }
      }
    }
  }
}

/** A fork's values under its parent's ranges: each inside, or an error naming the parent's article. */
export function checkForkValues(parent: PolicyAst, forked: PolicyAst, bag: DiagnosticBag): void {
  const parentName = `${parent.id} ${parent.version}`;
  for (const d of forked.parameters) {
    const was = parent.parameters.find((x) => x.id === d.id);
    const r = was?.forkRange;
    if (!was || !r || !('number' in r.low) || !('number' in r.high) || d.valueSpan.file === was.valueSpan.file) continue;
    if (!within(d.value, r.low.number, r.high.number)) outside(bag, d.valueSpan, [`'${d.id}'`, `参数 '${d.id}'`], d.value, r.low.number, r.high.number, parentName, was.cites);
  }
  for (const t of forked.tables) {
    const was = parent.tables.find((x): x is KeyedTableDecl => x.id === t.id && x.kind === 'keyed');
    if (t.kind !== 'keyed' || !was?.forkRange) continue;
    for (const row of t.rows) {
      const old = was.rows.find((x) => x.key === row.key);
      for (const [column, r] of Object.entries(was.forkRange)) {
        const v = row.cells[column];
        const span = row.cellSpans[column];
        // Only what the fork writes is its choice: an inherited cell is the parent's.
        if (typeof v !== 'string' || !span || (old && old.cellSpans[column]?.file === span.file)) continue;
        // A row new to the fork has no parent row for bounds that name a column.
        const [low, high] = old ? [rowBound(r.low, old), rowBound(r.high, old)] : [numberBound(r.low), numberBound(r.high)];
        if (low === undefined || high === undefined || within(v, low, high)) continue;
        outside(bag, span, [`'${column}' of row '${row.key}' of table '${t.id}'`, `表 '${t.id}' 行 '${row.key}' 的 '${column}'`], v, low, high, parentName, old?.cites.length ? old.cites : was.cites);
      }
    }
  }
}

function outside(bag: DiagnosticBag, span: ForkRange['span'], [what, whatZh]: readonly [string, string], value: string, low: string, high: string, parent: string, cites: readonly string[]): void {
  const article = cites.length > 0 ? ` (${cites.join(', ')})` : '';
  const articleZh = cites.length > 0 ? `（${cites.join('、')}）` : '';
  bag.error('fork-out-of-range', span, `${what} is ${value}, outside the range ${low}–${high} that ${parent} lets a fork choose within${article}`,
    `${whatZh} 为 ${value}，超出 ${parent} 允许分支选择的范围 ${low}–${high}${articleZh}`, `choose a value from ${low} to ${high}`);
}

function rowBound(b: ForkBound, row: TableRow): string | undefined {
  if ('number' in b) return b.number;
  const v: CellValue | undefined = row.cells[b.column];
  return typeof v === 'string' ? v : undefined;
}

const numberBound = (b: ForkBound): string | undefined => ('number' in b ? b.number : undefined);

function within(v: string, low: string, high: string): boolean {
  const a = compareDecimalText(v, low);
  const b = compareDecimalText(v, high);
  return a !== undefined && b !== undefined && a >= 0 && b <= 0;
}
