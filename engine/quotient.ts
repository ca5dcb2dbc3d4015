// A measure that is a quotient (`elective_credits / credits`), kept as its two parts.

import { Decimal } from './decimal.ts';

/**
 * The value of a measure written as a division, kept as numerator and denominator: its value is
 * `num / den` under the language's division (exact when the quotient terminates, else rounded to
 * 34 significant digits; `x / 0` is 0), worked out on first use. A report shows it rounded to
 * 2 places, which the parts give directly (engine/output/display.ts) — most quotients never
 * terminate, and working each out to 34 digits would cost more than the rest of a subject.
 */
export class Quotient {
  private exact: Decimal | undefined;

  constructor(
    readonly num: Decimal,
    readonly den: Decimal,
  ) {}

  /** The value, as the division of the rule language gives it. */
  value(): Decimal {
    return (this.exact ??= this.num.div(this.den));
  }

  /** The value's canonical text, as Decimal prints it. */
  toString(): string {
    return this.value().toString();
  }
}
