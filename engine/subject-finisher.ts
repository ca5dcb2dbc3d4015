// An evaluation's results, subject by subject, once every row is read: each subject's scopes
// worked out from their totals — through the generated code where it runs (compiled results,
// their numbers carved from large slabs), else by the interpreter — and, in a repeating cycle,
// one result per cycle in order. Evaluation (engine/evaluate.ts) reads the rows; this turns what
// it kept into results.

import type { Program } from './compile.ts';
import { generatedCycles, generatedScopes } from './compiled-cycles.ts';
import { CompiledSubjectResult, SLOT_WIDTH } from './compiled-subject.ts';
import type { CycleCounts } from './cycle-counts.ts';
import { Decimal } from './decimal.ts';
import type { DistinctValues } from './distinct-values.ts';
import type { SlotLayout } from './evaluation-parts.ts';
import type { FastPath } from './fast-path.ts';
import type { Totals } from './frame.ts';
import type { SubjectInterpreter } from './interpret.ts';
import type { SubjectResult } from './results.ts';
import { cycleResults } from './subject-cycles.ts';
import type { SubjectTable } from './subjects.ts';
import type { TotalsStore } from './totals-store.ts';
import type { SubjectWindow } from '../dsl/index.ts';

/** What an evaluation kept, as its results are worked out from it. */
export interface KeptTotals {
  readonly program: Program;
  readonly subjects: SubjectTable;
  readonly totals: TotalsStore;
  readonly layout: SlotLayout;
  readonly distinct: DistinctValues;
  /** For a cycle per subject: each subject's own window (undefined: none can be placed). */
  readonly windows: readonly (SubjectWindow | undefined)[];
  /** For a repeating cycle: each subject's rows per cycle. */
  readonly cycleCounts: CycleCounts | undefined;
  /** The generated code, when the program's shape allows it. */
  readonly fast: FastPath | undefined;
}

/** Works out subjects' results from the totals an evaluation kept. */
export class SubjectFinisher {
  private readonly program: Program;
  private readonly subjects: SubjectTable;
  private readonly totals: TotalsStore;
  private readonly layout: SlotLayout;
  private readonly distinct: DistinctValues;
  private readonly windows: readonly (SubjectWindow | undefined)[];
  private readonly cycleCounts: CycleCounts | undefined;
  private readonly fast: FastPath | undefined;
  /** Where compiled subjects' numbers are carved from. */
  private slab = new Float64Array(0);
  private slabAt = 0;

  /** Every period's place, in order; and every scope (the periods, then outside them). */
  private readonly allPlaces: readonly number[];
  private readonly allScopes: readonly number[];

  constructor(kept: KeptTotals) {
    ({ program: this.program, subjects: this.subjects, totals: this.totals, layout: this.layout, distinct: this.distinct,
      windows: this.windows, cycleCounts: this.cycleCounts, fast: this.fast } = kept);
    this.allPlaces = this.program.periods.map((_, k) => k);
    this.allScopes = [...this.allPlaces, this.allPlaces.length];
  }

  /** Subject `i`'s result: through the generated code where it can, else by `finisher`. */
  subject(finisher: SubjectInterpreter, i: number): SubjectResult {
    const fast = this.fast;
    return (fast && !fast.interpreted(i) && this.generated(fast, i)) || this.interpreted(finisher, i);
  }

  /** A subject's scopes through the generated code, or undefined when it must be interpreted. */
  private generated(fast: FastPath, i: number): SubjectResult | undefined {
    const p = this.program;
    const layout = fast.layout;
    const numbers = this.carve((p.periods.length + 1) * layout.width * SLOT_WIDTH);
    if (!fast.beginSubject(this.windows[i])) return undefined;
    // The cycle's totals are every scope's: the periods' and the records in scope outside them.
    if (!generatedScopes(p, fast, this.totals, i, this.allPlaces, this.allScopes, numbers)) return undefined;
    const s = this.subjects;
    return new CompiledSubjectResult(
      s.ids[i]!, s.fieldsOf(i), s.evaluated[i]!, s.disregarded[i]!, p, layout, numbers,
      fast.violationsInto((n) => this.carve(n)), (k) => fast.constant(k), fast.periodNames, fast.lastDays,
    );
  }

  /**
   * `n` numbers for a compiled subject's result, carved out of large slabs: a typed array of its
   * own per subject costs an allocation each.
   */
  private carve(n: number): Float64Array {
    // (See reuseSlab: a streaming writer's results share one slab.)
    if (this.slabAt + n > this.slab.length) {
      this.slab = new Float64Array(Math.max(1 << 16, n));
      this.slabAt = 0;
    }
    const out = this.slab.subarray(this.slabAt, this.slabAt + n);
    this.slabAt += n;
    return out;
  }

  /**
   * The results of the subjects `order`, in turn (a repeating cycle's: each subject's cycles
   * together). With `transient`, each subject's numbers are carved from the start of the slab
   * again, so a result is valid only until the next subject's is asked for: for a reader that
   * writes each one out as it comes (Evaluation.results). A province's results would otherwise
   * take fresh memory all the way — ~90 MB for 24 k teachers, touched once and left to the collector.
   */
  *results(finisher: SubjectInterpreter, order: readonly number[], transient: boolean): Generator<SubjectResult> {
    const cycles = this.program.cycles !== undefined;
    for (const i of order) {
      if (transient) this.slabAt = 0;
      if (cycles) yield* this.cycles(finisher, i);
      else yield this.subject(finisher, i);
    }
  }

  private interpreted(finisher: SubjectInterpreter, i: number): SubjectResult {
    const p = this.program;
    const periods: Totals[] = [];
    for (let k = 0; k < p.periods.length; k++) periods.push(this.scopeTotals(i, [k]));
    const cycle = this.scopeTotals(i, p.periods.map((_, k) => k).concat(p.periods.length));
    const s = this.subjects;
    const window = p.cycleField === undefined ? undefined : { window: this.windows[i], field: p.policy.cycle.perSubject!.field };
    const out = finisher.run(s.context(i), periods, cycle, window, (places) => this.scopeTotals(i, places));
    return {
      id: s.ids[i]!, compliant: out.violations.length === 0, fields: s.fieldsOf(i), cycle: out.cycle, periods: out.periods,
      violations: out.violations, ...(out.problems.length > 0 ? { problems: out.problems } : {}),
      ...(out.periodNames ? { periodNames: out.periodNames } : {}), ...(out.lastDay !== undefined ? { lastDay: out.lastDay } : {}),
      evaluated: s.evaluated[i]!, disregarded: s.disregarded[i]!,
    };
  }

  /**
   * A subject's results in a repeating cycle, one per cycle in order (Program.cycles), through the
   * generated code (compiled-cycles.ts) or else the interpreter, from the totals however they were
   * added up. A record dated outside every cycle (the scope outside the periods) is in none of them.
   */
  cycles(finisher: SubjectInterpreter, i: number, interpret = false): SubjectResult[] {
    const fast = this.fast;
    const s0 = this.subjects;
    const generated = fast && !interpret && !fast.interpreted(i)
      ? generatedCycles(this.program, fast, this.totals, this.cycleCounts!, i, { id: s0.ids[i]!, fields: s0.fieldsOf(i) }, (n) => this.carve(n), this.windows[i])
      : undefined;
    if (generated) return generated;
    const p = this.program;
    const cycles = p.cycles!;
    const periods: Totals[] = [];
    for (let k = 0; k < p.periods.length; k++) periods.push(this.scopeTotals(i, [k]));
    const s = this.subjects;
    const own = p.cycleField === undefined ? undefined : { window: this.windows[i], field: p.policy.cycle.perSubject!.field };
    const outs = finisher.runCycles(s.context(i), periods, cycles.map((c) => this.scopeTotals(i, c.periods)), own, (places) => this.scopeTotals(i, places));
    const subject = { id: s.ids[i]!, fields: s.fieldsOf(i), index: i, evaluated: s.evaluated[i]!, disregarded: s.disregarded[i]! };
    return cycleResults(outs, cycles, subject, this.cycleCounts!, own !== undefined, own?.window);
  }

  /** The interpreter's totals of subject `i` over the given scopes (one period, or all of them). */
  scopeTotals(i: number, scopes: readonly number[]): Totals {
    const { first, size } = this.layout;
    const aggregates = this.program.aggregates;
    const sums: Decimal[] = [];
    const groups: (Decimal[] | undefined)[] = [];
    for (let a = 0; a < aggregates.length; a++) {
      const n = size[a]!;
      const values: Decimal[] = [];
      for (let k = 0; k < n; k++) {
        let v = Decimal.ZERO;
        for (const scope of scopes) {
          const x = this.totals.get(i, scope, first[a]! + k);
          if (!x.isZero()) v = v.add(x);
        }
        values.push(v);
      }
      if (aggregates[a]!.distinct !== undefined) {
        sums.push(this.distinct.count(i, a, scopes));
        groups.push(undefined);
      } else if (aggregates[a]!.positions === undefined) {
        sums.push(values[0]!);
        groups.push(undefined);
      } else {
        sums.push(Decimal.ZERO);
        groups.push(values);
      }
    }
    return { sums, groups };
  }
}
