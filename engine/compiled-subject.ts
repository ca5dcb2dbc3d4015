// A subject's result as the generated code leaves it: every measure of every scope as an exact
// mantissa and scale in one typed array, made into Decimals only if someone asks for them. The
// report writers read the numbers straight from the array: a province has millions of them.

import type { Program } from './compile.ts';
import { QUOTIENT_SLOT, type OutputLayout } from './codegen/program.ts';
import { Decimal } from './decimal.ts';
import { Quotient } from './quotient.ts';
import type { MeasureValue, SubjectResult, Violation } from './results.ts';
import { KeyedTotals, positionsOf, type Value } from './values.ts';

/** Per output slot: mantissa, scale, and a quotient's numerator and denominator (mantissa, scale). */
export const SLOT_WIDTH = 6;

/** The result of a subject whose scopes the generated code worked out. */
export class CompiledSubjectResult implements SubjectResult {
  private cycleValues: MeasureValue[] | undefined;
  private periodValues: Map<number, MeasureValue[]> | undefined;

  /**
   * @param numbers - for scope c (period index, the cycle last) and output slot k, at
   *   `(c * width + k) * SLOT_WIDTH`: mantissa, scale ({@link QUOTIENT_SLOT} for a quotient),
   *   then the quotient's numerator and denominator mantissa and scale.
   */
  constructor(
    readonly id: string,
    readonly compliant: boolean,
    readonly fields: readonly Value[],
    readonly violations: readonly Violation[],
    readonly evaluated: number,
    readonly disregarded: number,
    readonly program: Program,
    readonly output: OutputLayout,
    readonly numbers: Float64Array,
  ) {}

  get cycle(): readonly MeasureValue[] {
    return (this.cycleValues ??= this.values(this.program.periods.length));
  }

  get periods(): ReadonlyMap<number, readonly MeasureValue[]> {
    if (!this.periodValues) {
      this.periodValues = new Map();
      this.program.periods.forEach((year, c) => this.periodValues!.set(year, this.values(c)));
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
