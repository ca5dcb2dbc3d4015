// `--format csv`: one row per subject, for spreadsheets — the cycle's totals, each period's, and
// the rules not met.

import { Decimal, type EvaluationResult, type MeasureValue } from '../engine/index.ts';

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function cells(keys: readonly string[] | undefined, v: MeasureValue): string[] {
  if (v instanceof Decimal) return [v.toFixed(2)];
  return (keys ?? [...v.keys()]).map((k) => (v.get(k) ?? Decimal.ZERO).toFixed(2));
}

/** Renders the results as CSV (header row first, LF line ends). */
export function formatCsv(r: EvaluationResult): string {
  const p = r.program.policy;
  const measureColumns = (prefix: string) =>
    r.program.measures.flatMap((m) => (m.grouped ? m.keys.map((k) => `${prefix}${m.id}.${k}`) : [`${prefix}${m.id}`]));
  const header = [
    p.subject.key, 'compliant', ...measureColumns(''),
    ...r.program.periods.flatMap((y) => measureColumns(`${y}.`)),
    'violations',
  ];
  const lines = [header.map(quote).join(',')];
  for (const s of r.subjects) {
    const row = [
      s.id, String(s.compliant),
      ...r.program.measures.flatMap((m, i) => cells(m.keys, s.cycle[i]!)),
      ...r.program.periods.flatMap((y) => r.program.measures.flatMap((m, i) => cells(m.keys, s.periods.get(y)![i]!))),
      s.violations.map((v) => `${v.rule}${v.key ? `[${v.key}]` : ''}@${v.period ?? 'cycle'}`).join(';'),
    ];
    lines.push(row.map(quote).join(','));
  }
  return `${lines.join('\n')}\n`;
}
