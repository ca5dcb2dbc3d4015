// A subject's results in a repeating cycle (Program.cycles) through the generated code: each
// cycle in order, as the interpreter's runCycles works them out — its periods, then the cycle
// from its periods' totals only — with the cycle before's measures at hand for `previous(m)`.
// Whatever one cycle cannot do in the fast form, the interpreter does for every cycle of the
// subject (the cycles are linked by `previous`).

import type { Program } from './compile.ts';
import { CompiledSubjectResult, SLOT_WIDTH } from './compiled-subject.ts';
import type { CycleCounts } from './cycle-counts.ts';
import type { FastPath } from './fast-path.ts';
import type { TotalsStore } from './totals-store.ts';
import type { Value } from './values.ts';

/** Subject `i`'s results, one per cycle, or undefined when the interpreter must work them out. */
export function generatedCycles(
  program: Program, fast: FastPath, totals: TotalsStore, counts: CycleCounts, i: number,
  subject: { readonly id: string; readonly fields: readonly Value[] }, carve: (n: number) => Float64Array,
): CompiledSubjectResult[] | undefined {
  const p = program;
  const layout = fast.layout;
  const out: CompiledSubjectResult[] = [];
  const cycles = p.cycles!;
  for (let n = 0; n < cycles.length; n++) {
    const c = cycles[n]!;
    fast.beginCycle(n);
    const numbers = carve((p.periods.length + 1) * layout.width * SLOT_WIDTH);
    for (const k of c.periods) {
      if (!totals.loadScope(i, k, fast.TM, fast.TS)) return undefined;
      if (!fast.scope(i, p.periods[k]!, k, numbers)) return undefined;
    }
    if (!totals.loadScopes(i, c.periods, fast.TM, fast.TS)) return undefined;
    if (!fast.scope(i, undefined, p.periods.length, numbers)) return undefined;
    fast.endCycle();
    out.push(new CompiledSubjectResult(
      subject.id, subject.fields, counts.evaluated(i, n), counts.disregarded(i, n), p, layout, numbers,
      // Periods other than years are named (2020-Q1), the same in every cycle of a calendar cycle.
      fast.violationsInto(carve), (k) => fast.constant(k), fast.periodNames, undefined, { name: c.name, periods: c.periods },
    ));
  }
  return out;
}
