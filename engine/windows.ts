// Rolling windows (`require … per 3 periods: …`): which periods each window of a cycle holds, what
// a window is called in the report, and how its violation's sentence names it. A window is checked
// as if it were a cycle of its own — its measures over its periods' records together — by the
// interpreter (SubjectInterpreter) and by the generated code (FastPath.windows), which leaves a
// subject failing one to the interpreter.

import { dayBefore, periodWords, type SubjectWindow } from '../dsl/index.ts';
import { formatDate, fromDateNumber } from '../dsl/calendar.ts';
import { Decimal } from './decimal.ts';
import type { Totals } from './frame.ts';

/**
 * The windows of `size` consecutive periods among `places` (a cycle's periods, in order), each
 * as the places it holds, in order of their first period: a cycle of 5 periods has windows 1–3,
 * 2–4 and 3–5 for a size of 3. None when the cycle is shorter than the window (the checker
 * rules that out for a fixed cycle).
 */
export function windowsOf(places: readonly number[], size: number): number[][] {
  const out: number[][] = [];
  for (let a = 0; a + size <= places.length; a++) out.push(places.slice(a, a + size));
  return out;
}

/**
 * A window's name in the report, as ISO 8601 writes an interval: its first and last period's
 * names (`2020/2022`, `2020-Q1/2020-Q4`), or, for a cycle per subject, its first and last day
 * (`2022-04-01/2025-03-31`, see {@link ownWindowName}).
 */
export function windowName(firstName: string, lastName: string): string {
  return `${firstName}/${lastName}`;
}

/** The name of the window of a subject's own periods `first` to `last` (counted from 0): its first and last day. */
export function ownWindowName(window: SubjectWindow, first: number, last: number): string {
  const day = (d: number) => formatDate(fromDateNumber(d));
  return windowName(day(window.starts[first]!), day(dayBefore(window.starts[last + 1]!)));
}

/**
 * A window as a violation's sentence names it: `2020年至2022年` / `2020 to 2022`,
 * `2020年第1季度至2020年第4季度` / `2020-Q1 to 2020-Q4`, `2022-04-01至2025-03-31` /
 * `2022-04-01 to 2025-03-31`.
 */
export function windowWords(name: string): { zh: string; en: string } {
  // A subject's own days read as one interval already.
  if (/^\d{4}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2}$/.test(name)) return periodWords(name);
  const cut = name.indexOf('/');
  const first = periodWords(name.slice(0, cut));
  const last = periodWords(name.slice(cut + 1));
  return { zh: `${first.zh}至${last.zh}`, en: `${first.en} to ${last.en}` };
}

/**
 * The next window's totals from the one before (of sums only: a distinct count is no sum), the
 * period `added` coming in and `dropped` going out: two exact additions per total rather than
 * one per period of the window. A group no record added to on any side stays undefined (zeros).
 */
export function slideTotals(before: Totals, added: Totals, dropped: Totals): Totals {
  const sums = before.sums.map((v, a) => v.add(added.sums[a]!).sub(dropped.sums[a]!));
  const groups = before.groups.map((g, a) => {
    const plus = added.groups[a];
    const minus = dropped.groups[a];
    if (!plus && !minus) return g;
    const n = (g ?? plus ?? minus)!.length;
    const out: Decimal[] = new Array(n);
    for (let k = 0; k < n; k++) out[k] = (g?.[k] ?? Decimal.ZERO).add(plus?.[k] ?? Decimal.ZERO).sub(minus?.[k] ?? Decimal.ZERO);
    return out;
  });
  return { sums, groups };
}
