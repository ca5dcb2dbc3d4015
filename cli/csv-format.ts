// `--format csv`: one row per subject, for spreadsheets — the subject's fields, the cycle's
// totals, each period's, and the requirements not met with their actual and required values.
// Written row by row.

import { calendarPeriodName, isYearly, type ComparisonOp } from '../dsl/index.ts';
import { Decimal, fixedText, jsonNumberText, Quotient, streamOf, type EvaluationResult, type MeasureValue, type ResultStream, type SubjectResult, type Violation } from '../engine/index.ts';

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

/** A subject field's cell: empty when the subject has no value. */
function fieldCell(v: SubjectResult['fields'][number]): string {
  if (v === undefined) return '';
  if (v instanceof Decimal) return v.toString();
  return String(v);
}

/** What a failed requirement found instead: the negation of the comparison it asks for. */
const FAILED: Record<ComparisonOp, string> = { '>=': '<', '>': '<=', '<=': '>', '<': '>=', '==': '!=', '!=': '==' };

/** A number in a violation: as the JSON report gives it (rounded to 2 places, no trailing zeros). */
const shortNumber = (d: Decimal) => jsonNumberText(d).replace(/"/g, '');

/**
 * One violation as a spreadsheet reader wants it: which requirement, which period, and what was
 * found against what was required — `cycle_credits cycle: 300 < 360`,
 * `yearly_module_credits[ethics] 2018: 4.13 < 6`; a requirement that could not be worked out
 * says what was missing (`… 2016: ? (hired_on missing)`).
 */
export function violationText(v: Violation): string {
  const head = `${v.rule}${v.key === undefined ? '' : `[${v.key}]`} ${v.window ?? v.periodName ?? v.period ?? 'cycle'}`;
  if (v.actual === undefined || v.required === undefined) return `${head}: ? (${v.problem ?? 'no value'} missing)`;
  return `${head}: ${shortNumber(v.actual)} ${FAILED[v.op]} ${shortNumber(v.required)}`;
}

/** Writes the results as CSV (header row first, LF line ends), a line at a time. */
export function writeCsv(r: ResultStream, write: (text: string) => void): void {
  const p = r.program.policy;
  const measureColumns = (prefix: string) =>
    r.program.measures.flatMap((m) => (m.grouped ? m.keys.map((k) => `${prefix}${m.id}.${k}`) : [`${prefix}${m.id}`]));
  // The subject's own fields (its school, county, …) next to its key, for sorting and filtering.
  const fields = r.program.subjectFields.map((f, i) => ({ id: f.decl.id, i })).filter((f) => f.i !== r.program.subjectKey);
  // A repeating cycle: one row per subject and cycle, named in a column of its own; the years of
  // the other cycles are empty in it.
  const cycle = r.program.cycles === undefined ? [] : ['cycle'];
  const header = [
    p.subject.key, ...cycle, ...fields.map((f) => f.id), 'compliant', ...measureColumns(''),
    // Calendar periods by name (2016, 2016-Q3); a cycle per subject's by place (1, 2, 3: each subject's own days differ).
    ...r.program.periods.flatMap((y) => measureColumns(`${isYearly(p) || p.cycle.perSubject ? y : calendarPeriodName(p, y)}.`)),
    'violations',
  ];
  write(`${header.map(quote).join(',')}\n`);
  for (const s of r.subjects()) {
    const row = [
      // (A subject of a cycle per subject without the date has no cycles: one row, its cycle empty.)
      s.id, ...cycle.map(() => s.cycleName ?? ''), ...fields.map((f) => fieldCell(s.fields[f.i])), String(s.compliant),
      ...r.program.measures.flatMap((m, i) => cells(m, s.cycle[i])),
      ...r.program.periods.flatMap((y) => r.program.measures.flatMap((m, i) => cells(m, s.periods.get(y)?.[i]))),
      s.violations.map(violationText).join('; '),
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
