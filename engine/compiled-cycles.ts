// A subject's results in a repeating cycle (Program.cycles) through the generated code: each
// cycle in order, as the interpreter's runCycles works them out — its periods, then the cycle
// from its periods' totals only — with the cycle before's measures at hand for `previous(m)`.
// Whatever one cycle cannot do in the fast form, the interpreter does for every cycle of the
// subject (the cycles are linked by `previous`).
//
// A repeating cycle per subject (`cycle: { before: …, every: 2 }`) cuts the subject's own window
// into cycles: each named by its own first and last day, checked under the version in force on
// its own last day, its periods named and versioned by their days (FastPath.beginSubject).

import { windowLastDay, windowSpanName, type SubjectWindow } from '../dsl/index.ts';
import type { Program } from './compile.ts';
import { CompiledSubjectResult, SLOT_WIDTH } from './compiled-subject.ts';
import type { CycleCounts } from './cycle-counts.ts';
import type { FastPath } from './fast-path.ts';
import type { TotalsStore } from './totals-store.ts';
import type { Value } from './values.ts';
import { scopeVersionOn } from './versions.ts';

/**
 * Subject `i`'s scopes through the generated code, into `numbers`: each of the periods `places`
 * from its own totals, the windows within them, then the cycle from the totals of `cycleScopes`.
 * False when a total or a value leaves the fast form (the interpreter then does the subject).
 */
export function generatedScopes(
  program: Program, fast: FastPath, totals: TotalsStore, i: number, places: readonly number[], cycleScopes: readonly number[],
  numbers: Float64Array,
): boolean {
  for (const k of places) {
    if (!totals.loadScope(i, k, fast.TM, fast.TS)) return false;
    if (!fast.scope(i, program.periods[k]!, k, numbers)) return false;
  }
  if (!fast.windows(i, places)) return false;
  if (!totals.loadScopes(i, cycleScopes, fast.TM, fast.TS)) return false;
  return fast.scope(i, undefined, program.periods.length, numbers);
}

/**
 * Subject `i`'s results, one per cycle, or undefined when the interpreter must work them out.
 * For a cycle per subject, `window` is the subject's own (undefined: it cannot be placed, and the
 * interpreter gives its one result).
 */
export function generatedCycles(
  program: Program, fast: FastPath, totals: TotalsStore, counts: CycleCounts, i: number,
  subject: { readonly id: string; readonly fields: readonly Value[] }, carve: (n: number) => Float64Array,
  window: SubjectWindow | undefined,
): CompiledSubjectResult[] | undefined {
  const p = program;
  const perSubject = p.cycleField !== undefined;
  if (!fast.beginSubject(window)) return undefined;
  const layout = fast.layout;
  const out: CompiledSubjectResult[] = [];
  const cycles = p.cycles!;
  const n0 = p.periods.length;
  for (let n = 0; n < cycles.length; n++) {
    const c = cycles[n]!;
    const first = c.periods[0]!;
    const last = c.periods[c.periods.length - 1]!;
    // A cycle of the subject's window ends on its last period's last day (the interpreter's
    // runCycles): its version is the one in force then, and its scopes' last days are its own.
    let lastDays: number[] | undefined;
    let version: number | undefined;
    if (perSubject) {
      const day = windowLastDay(window!, last);
      version = scopeVersionOn(p.timeline, day);
      lastDays = [...fast.lastDays!.slice(0, n0), day];
    }
    fast.beginCycle(n, version);
    const numbers = carve((n0 + 1) * layout.width * SLOT_WIDTH);
    // The cycle's windows (`per N periods`) lie within it; its totals are its own periods'.
    if (!generatedScopes(p, fast, totals, i, c.periods, c.periods, numbers)) return undefined;
    fast.endCycle();
    out.push(new CompiledSubjectResult(
      subject.id, subject.fields, counts.evaluated(i, n), counts.disregarded(i, n), p, layout, numbers,
      // Periods other than years are named (2020-Q1): the same in every cycle of a calendar
      // cycle, the subject's own days in a cycle per subject.
      fast.violationsInto(carve), (k) => fast.constant(k), fast.periodNames, lastDays,
      { name: perSubject ? windowSpanName(window!, first, last) : c.name, periods: c.periods },
    ));
  }
  return out;
}
