// A subject's result as the generated code leaves it: every measure of every scope as an exact
// mantissa and scale in one typed array, made into Decimals only if someone asks for them. The
// report writers read the numbers straight from the array: a province has millions of them.

import type { Program } from './compile.ts';
import { QUOTIENT_SLOT, SLOT_WIDTH, type OutputLayout } from './codegen/program.ts';
import { Decimal } from './decimal.ts';
import { Quotient } from './quotient.ts';
import type { MeasureValue, SubjectResult, Violation } from './results.ts';
import { violation } from './interpret.ts';
import { KeyedTotals, positionsOf, type Value } from './values.ts';

/** A violation being built (Violation's members are read-only to its readers). */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export { SLOT_WIDTH };

/**
 * Per violation: the requirement's index, the loop key's index, the period (-1 for the cycle),
 * the actual and the required value (mantissa, scale each), and — for a requirement that could
 * not be checked — the constant index of the missing value (-1 otherwise).
 */
export const VIOLATION_WIDTH = 8;

/**
 * In a violation's last number (instead of a missing value's constant, or -1): a yes/no
 * requirement whose condition did not hold; its actual mantissa is then the bit mask of the
 * parts that did not hold (bit i: part i of CompiledRequirement.condition).
 */
export const CONDITION_UNMET = -2;

/** The result of a subject whose scopes the generated code worked out. */
export class CompiledSubjectResult implements SubjectResult {
  private cycleValues: MeasureValue[] | undefined;
  private periodValues: Map<number, MeasureValue[]> | undefined;

  /**
   * @param numbers - for scope c (period index, the cycle last) and output slot k, at
   *   `(c * width + k) * SLOT_WIDTH`: mantissa, scale ({@link QUOTIENT_SLOT} for a quotient),
   *   then the quotient's numerator and denominator mantissa and scale.
   */
  private violationList: Violation[] | undefined;

  /**
   * @param violationData - {@link VIOLATION_WIDTH} numbers per violation, in order.
   * @param constantOf - the text of a constant of the generated code (a missing value's name).
   */
  constructor(
    readonly id: string,
    readonly fields: readonly Value[],
    readonly evaluated: number,
    readonly disregarded: number,
    readonly program: Program,
    readonly output: OutputLayout,
    readonly numbers: Float64Array,
    readonly violationData: Float64Array,
    private readonly constantOf: (i: number) => string,
    /** For periods other than the years of a fixed cycle: each period's name, by place (SubjectResult.periodNames). */
    readonly periodNames?: readonly string[],
    /** For a cycle per subject: the last day (YYYYMMDD) of each period, then of the cycle. */
    private readonly lastDays?: readonly number[],
    /** For one cycle of a repeating cycle: its name and the places (in Program.periods) of its periods. */
    private readonly ofCycle?: { readonly name: string; readonly periods: readonly number[] },
  ) {}

  /** One cycle's name, of a repeating cycle (SubjectResult.cycleName). */
  get cycleName(): string | undefined {
    return this.ofCycle?.name;
  }

  /** The places (in Program.periods) of the periods this result has: all, or one cycle's. */
  get places(): readonly number[] {
    return this.ofCycle?.periods ?? (this.allPlaces ??= this.program.periods.map((_, k) => k));
  }

  private allPlaces: readonly number[] | undefined;

  /** For a cycle per subject: the cycle's last day (SubjectResult.lastDay). */
  get lastDay(): number | undefined {
    return this.lastDays?.[this.program.periods.length];
  }

  get compliant(): boolean {
    return this.violationData.length === 0;
  }

  get violations(): readonly Violation[] {
    if (!this.violationList) {
      const d = this.violationData;
      const list: Violation[] = [];
      for (let o = 0; o < d.length; o += VIOLATION_WIDTH) {
        const r = this.program.requirements[d[o]!]!;
        const period = d[o + 2]! < 0 ? undefined : d[o + 2]!;
        const what = d[o + 7]!;
        const key = r.loopKeys?.[d[o + 1]!];
        // Named as the interpreter names it: a period's by its name, where periods have names.
        const place = period === undefined ? this.program.periods.length : this.program.periods.indexOf(period);
        const name = period === undefined || !this.periodNames ? undefined : this.periodNames[place]!;
        const lastDay = this.lastDays?.[place];
        // Built as one object, members added in the interpreter's order (no spreads: a province has many).
        const v: Mutable<Violation> = what === CONDITION_UNMET || what >= 0
          ? violation(r, key, period, undefined, undefined, what >= 0 ? this.constantOf(what) : undefined)
          : violation(r, key, period, Decimal.fromSafe(d[o + 3]!, d[o + 4]!), Decimal.fromSafe(d[o + 5]!, d[o + 6]!), undefined);
        if (name !== undefined) v.periodName = name;
        if (lastDay !== undefined) v.lastDay = lastDay;
        if (what === CONDITION_UNMET) {
          const mask = d[o + 3]!;
          v.unmet = r.condition!.parts.filter((_, i) => (mask & (1 << i)) !== 0).map((part) => part.text);
        }
        list.push(v);
      }
      this.violationList = list;
    }
    return this.violationList;
  }

  get cycle(): readonly MeasureValue[] {
    return (this.cycleValues ??= this.values(this.program.periods.length));
  }

  get periods(): ReadonlyMap<number, readonly MeasureValue[]> {
    if (!this.periodValues) {
      this.periodValues = new Map();
      for (const c of this.places) this.periodValues.set(this.program.periods[c]!, this.values(c));
    }
    return this.periodValues;
  }

  /** Where slot `k` of scope `c` begins in `numbers`. */
  at(c: number, k: number): number {
    return (c * this.output.width + k) * SLOT_WIDTH;
  }

  private values(c: number): MeasureValue[] {
    const n = this.numbers;
    const decimal = (i: number) => Decimal.fromSafe(n[i]!, n[i + 1]!);
    return this.program.measures.map((m, j) => {
      const o = this.at(c, this.output.slot[j]!);
      if (m.grouped) {
        const totals = m.keys.map((_, k) => decimal(o + k * SLOT_WIDTH));
        return new KeyedTotals(positionsOf(m.keys), m.keys, totals);
      }
      if (n[o + 1] === QUOTIENT_SLOT) return new Quotient(Decimal.fromSafe(n[o + 2]!, n[o + 3]!), Decimal.fromSafe(n[o + 4]!, n[o + 5]!));
      return decimal(o);
    });
  }
}
