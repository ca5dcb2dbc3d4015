// Periods and cycles: which period a date falls in, what each period is called in the output, and
// on which day it ends (the version its requirements are checked under is the one in force then).
//
// Three shapes, all named by the policy:
// - calendar years of a fixed cycle (`by: year`, `cycle: { from: 2016, to: 2020 }`): a period's
//   key is its year, as it always was;
// - calendar half-years, quarters or months of a fixed cycle: a period's key is its place in the
//   cycle, 1 for the first, and its name is the calendar's (`2016-H1`, `2016-Q3`, `2016-07`);
// - a cycle per subject (`cycle: { from: <subject date field>, length: 3 years }`, or `before:`):
//   each subject's window is its own, its periods are `by`'s length counted from the window's
//   first day, a key is again a place, 1 for the first, and a name is the period's own days
//   (`2022-04-01/2023-03-31`, first and last day, ISO 8601's interval form).
// Dates are the integer YYYYMMDD here, as the decoder and the generated code hold them.

import { addMonths, daysInMonth, formatDate, fromDateNumber, parseDate, toDateNumber } from './calendar.ts';
import type { PeriodBy, PolicyAst } from './policy.ts';

/** The `period.by` values, in the order the schema and messages list them. */
export const PERIOD_BYS: readonly PeriodBy[] = ['year', 'half-year', 'quarter', 'month'];

/** How many months one period of each kind lasts. */
export const PERIOD_MONTHS: Readonly<Record<PeriodBy, number>> = { year: 12, 'half-year': 6, quarter: 3, month: 1 };

/** Whether a policy's periods are the calendar years of a fixed cycle: keys are years, names are years (as numbers). */
export function isYearly(p: PolicyAst): boolean {
  return p.period.by === 'year' && p.cycle.perSubject === undefined;
}

/** How many periods the cycle has (for a cycle per subject: each subject's). */
export function periodCount(p: PolicyAst): number {
  const months = PERIOD_MONTHS[p.period.by];
  const s = p.cycle.perSubject;
  if (s) return Math.floor(s.months / months);
  return ((p.cycle.to - p.cycle.from + 1) * 12) / months;
}

/** The periods' keys, in order: the years, or 1 … n. */
export function periodKeys(p: PolicyAst): number[] {
  const out: number[] = [];
  if (isYearly(p)) for (let y = p.cycle.from; y <= p.cycle.to; y++) out.push(y);
  else for (let k = 1; k <= periodCount(p); k++) out.push(k);
  return out;
}

/**
 * The key of the calendar period holding `date` (YYYYMMDD) — the year, or the place counted from
 * the cycle's first period (0 or less before the cycle, more than n after it), as `period` reads
 * in the rules. Not for a cycle per subject (see {@link windowScope}).
 */
export function calendarPeriodOf(p: PolicyAst, date: number): number {
  const year = Math.floor(date / 10000);
  if (p.period.by === 'year') return year;
  const month = Math.floor(date / 100) % 100;
  return Math.floor(((year - p.cycle.from) * 12 + month - 1) / PERIOD_MONTHS[p.period.by]) + 1;
}

/** The calendar period `key` of a fixed cycle: its year and its first month (1–12). */
function calendarStart(p: PolicyAst, key: number): { year: number; month: number } {
  if (p.period.by === 'year') return { year: key, month: 1 };
  const months = (key - 1) * PERIOD_MONTHS[p.period.by];
  const year = p.cycle.from + Math.floor(months / 12);
  return { year, month: months - (year - p.cycle.from) * 12 + 1 };
}

/** The name of calendar period `key` of a fixed cycle: `2016`, `2016-H1`, `2016-Q3`, `2016-07`. */
export function calendarPeriodName(p: PolicyAst, key: number): string {
  const { year, month } = calendarStart(p, key);
  const y = String(year).padStart(4, '0');
  switch (p.period.by) {
    case 'year': return y;
    case 'half-year': return `${y}-H${month <= 6 ? 1 : 2}`;
    case 'quarter': return `${y}-Q${(month + 2) / 3}`;
    case 'month': return `${y}-${String(month).padStart(2, '0')}`;
  }
}

/** The last day (YYYYMMDD) of calendar period `key` of a fixed cycle. */
export function calendarPeriodLastDay(p: PolicyAst, key: number): number {
  const { year, month } = calendarStart(p, key);
  const last = month + PERIOD_MONTHS[p.period.by] - 1;
  return year * 10000 + last * 100 + daysInMonth(year, last);
}

/** The last day (YYYYMMDD) of a fixed cycle. */
export function calendarCycleLastDay(p: PolicyAst): number {
  return p.cycle.to * 10000 + 1231;
}

/**
 * One subject's own cycle: the first day of each of its periods, then the day after the last
 * (so period k, counted from 0, is `starts[k]` up to but not including `starts[k + 1]`).
 */
export interface SubjectWindow {
  readonly starts: readonly number[];
}

/**
 * The window of a subject whose cycle field holds `anchor` (`YYYY-MM-DD`): counted forwards from
 * it (`from:`), or back from it (`before:`, so that it ends the day before). A period runs the
 * same day of the month to the same day (or the month's last, when shorter: 2024-02-29 back three
 * years is 2021-02-28). Undefined when the window would leave the four-digit years.
 */
export function subjectWindow(p: PolicyAst, anchor: string): SubjectWindow | undefined {
  const s = p.cycle.perSubject;
  const a = parseDate(anchor);
  if (!s || !a) return undefined;
  const months = PERIOD_MONTHS[p.period.by];
  const n = periodCount(p);
  const starts: number[] = [];
  for (let k = 0; k <= n; k++) {
    // Each boundary from the anchor itself, never from the one before: days clipped to a short
    // month do not shorten every later period.
    const d = s.anchor === 'from' ? addMonths(a, k * months) : addMonths(a, (k - n) * months);
    if (!d) return undefined;
    starts.push(toDateNumber(d));
  }
  return { starts };
}

/** The period (counted from 0) of `window` holding `date` (YYYYMMDD), or -1 outside the window. */
export function windowScope(window: SubjectWindow, date: number): number {
  const s = window.starts;
  if (date < s[0]! || date >= s[s.length - 1]!) return -1;
  let k = 0;
  while (date >= s[k + 1]!) k++;
  return k;
}

/** The day before `date` (YYYYMMDD). */
export function dayBefore(date: number): number {
  const c = fromDateNumber(date);
  if (c.d > 1) return date - 1;
  if (c.m > 1) return c.y * 10000 + (c.m - 1) * 100 + daysInMonth(c.y, c.m - 1);
  return (c.y - 1) * 10000 + 1231;
}

/** The name of period `k` (counted from 0) of a subject's window: `2022-04-01/2023-03-31`. */
export function windowPeriodName(window: SubjectWindow, k: number): string {
  return `${formatDate(fromDateNumber(window.starts[k]!))}/${formatDate(fromDateNumber(dayBefore(window.starts[k + 1]!)))}`;
}

/**
 * The name of the run of periods `first` … `last` (counted from 0) of a subject's window — one
 * cycle of a repeating cycle per subject — by its first and last day: `2019-04-01/2021-03-31`.
 */
export function windowSpanName(window: SubjectWindow, first: number, last: number): string {
  return `${formatDate(fromDateNumber(window.starts[first]!))}/${formatDate(fromDateNumber(dayBefore(window.starts[last + 1]!)))}`;
}

/** The last day (YYYYMMDD) of period `k` of a subject's window, or of the window when `k` is undefined. */
export function windowLastDay(window: SubjectWindow, k: number | undefined): number {
  return dayBefore(window.starts[k === undefined ? window.starts.length - 1 : k + 1]!);
}

/**
 * A period as a violation's sentence names it: the cycle; a year (`2017年`, `2017`); a calendar
 * half-year, quarter or month by its name (`2016年上半年`, `2016-H1`; `2016年第3季度`; `2016年7月`);
 * or a subject's own period by its days (`2022-04-01至2023-03-31`, `2022-04-01 to 2023-03-31`).
 */
export function periodWords(name: string | number | undefined): { zh: string; en: string } {
  if (name === undefined) return { zh: '本周期', en: 'cycle' };
  const text = String(name);
  let m = /^(\d{4})-H([12])$/.exec(text);
  if (m) return { zh: `${Number(m[1])}年${m[2] === '1' ? '上' : '下'}半年`, en: text };
  m = /^(\d{4})-Q([1-4])$/.exec(text);
  if (m) return { zh: `${Number(m[1])}年第${m[2]}季度`, en: text };
  m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m) return { zh: `${Number(m[1])}年${Number(m[2])}月`, en: text };
  m = /^(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (m) return { zh: `${m[1]}至${m[2]}`, en: `${m[1]} to ${m[2]}` };
  return { zh: `${text}年`, en: text };
}

/**
 * The `length:` of a cycle per subject in months: `3 years`, `1 year`, `36 months`; NaN for
 * anything else (a whole number of years or months, at least one).
 */
export function lengthMonths(text: string): number {
  const m = /^([1-9]\d{0,3}) (years?|months?)$/.exec(text.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2]!.startsWith('year') ? n * 12 : n;
}

/** The cycle in a few words, for a heading: `2016–2020`, `2016–2020 by quarter`, `3 years before renewal_date`. */
export function cycleText(p: PolicyAst): string {
  const s = p.cycle.perSubject;
  const by = p.period.by === 'year' ? '' : ` by ${p.period.by}`;
  return s ? `${s.lengthText} ${s.anchor} ${s.field}${by}` : `${p.cycle.from}–${p.cycle.to}${by}`;
}
