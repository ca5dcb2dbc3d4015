// `--format csv`: one row per subject, for spreadsheets — the cycle's totals, each period's, and
// the rules not met. Written row by row.

import { Decimal, fixedText, Quotient, streamOf, type EvaluationResult, type MeasureValue, type ResultStream } from '../engine/index.ts';

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function cells(m: { readonly grouped: boolean; readonly keys: readonly string[] }, v: MeasureValue | undefined): string[] {
  // A measure the subject could not have (it lacks a value): empty cells, as many as it has columns.
  if (v === undefined) return m.grouped ? m.keys.map(() => '') : [''];
  const keys = m.grouped ? m.keys : undefined;
  if (v instanceof Decimal || v instanceof Quotient) return [fixedText(v)];
  return (keys ?? [...v.keys()]).map((k) => fixedText(v.get(k) ?? Decimal.ZERO));
}

/** Writes the results as CSV (header row first, LF line ends), a line at a time. */
export function writeCsv(r: ResultStream, write: (text: string) => void): void {
  const p = r.program.policy;
  const measureColumns = (prefix: string) =>
    r.program.measures.flatMap((m) => (m.grouped ? m.keys.map((k) => `${prefix}${m.id}.${k}`) : [`${prefix}${m.id}`]));
  const header = [
    p.subject.key, 'compliant', ...measureColumns(''),
    ...r.program.periods.flatMap((y) => measureColumns(`${y}.`)),
    'violations',
  ];
  write(`${header.map(quote).join(',')}\n`);
  for (const s of r.subjects()) {
    const row = [
      s.id, String(s.compliant),
      ...r.program.measures.flatMap((m, i) => cells(m, s.cycle[i])),
      ...r.program.periods.flatMap((y) => r.program.measures.flatMap((m, i) => cells(m, s.periods.get(y)![i]))),
      s.violations.map((v) => `${v.rule}${v.key ? `[${v.key}]` : ''}@${v.period ?? 'cycle'}`).join(';'),
    ];
    write(`${row.map(quote).join(',')}\n`);
  }
}

/** Renders the results as CSV text. */
export function formatCsv(r: EvaluationResult): string {
  const parts: string[] = [];
  writeCsv(streamOf(r), (t) => parts.push(t));
  return parts.join('');
}
