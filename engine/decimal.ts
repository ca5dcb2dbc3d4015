/**
 * Exact decimal arithmetic for credits and hours.
 *
 * Binary floats cannot represent 0.1, so sums such as 71.5 + 0.1 + 0.1 + 0.1 + 0.2 come out as
 * 71.99999999999999 and fail the very floor they add up to. Every credit/hour value
 * in the engine therefore goes through {@link Decimal}. Portable by design: only ES2022 + BigInt, no
 * Node APIs, so the same code runs in the browser editor and in the CLI.
 *
 * @module
 */

/** Significant digits kept by a non-terminating division (same as IEEE 754 decimal128). */
const DIV_DIGITS = 34;
/** Scales above this are trimmed after multiplication so repeated products do not grow unbounded. */
const MAX_LAZY_SCALE = 20;
/** Largest |exponent| accepted by parse: "1e1000000000" would otherwise allocate gigabytes. */
const MAX_EXPONENT = 1000;
/** Largest `places` for round/toFixed/toNumber, mirroring Number#toFixed's limit of 100. */
const MAX_PLACES = 100;

// Powers of ten are the hot constant of every alignment; cache the small ones instead of
// recomputing 10n ** k per operation. Larger ones are rare (absurd inputs) and not worth caching.
const POW10: bigint[] = [1n];
const POW10_CACHE_LIMIT = 256;

function pow10(n: number): bigint {
  if (n > POW10_CACHE_LIMIT) return 10n ** BigInt(n);
  while (POW10.length <= n) POW10.push(POW10[POW10.length - 1]! * 10n);
  return POW10[n]!;
}

/** Number of decimal digits of a non-negative bigint, by comparison (no string conversion). */
function digitCount(n: bigint): number {
  let d = 1;
  // Gallop in steps of 16 so 34-70 digit quotients need only a handful of comparisons.
  while (n >= pow10(d + 16)) d += 16;
  while (n >= pow10(d)) d++;
  return d;
}

const absBig = (n: bigint): bigint => (n < 0n ? -n : n);

// Plain decimal grammar: sign, digits with optional fraction ("5.", ".5"), optional exponent.
// `\d` without the `u` flag is ASCII-only, so other scripts' digits are rejected.
const DECIMAL_RE = /^([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?\d+))?$/;

function checkPlaces(places: number): void {
  if (!Number.isInteger(places) || places < 0 || places > MAX_PLACES) {
    throw new RangeError(`places must be an integer in [0, ${MAX_PLACES}], got ${places}`);
  }
}

/**
 * An immutable exact decimal: `mantissa / 10^scale`.
 *
 * The representation is not canonical (1.5 may be stored as 15/10^1 or 150/10^2) because
 * normalising after every operation would cost a division per step; comparisons align scales
 * instead, and {@link Decimal.toString} is canonical. Never compare instances with `===`.
 */
export class Decimal {
  /** The value 0. */
  static readonly ZERO: Decimal = new Decimal(0n, 0);
  /** The value 1. */
  static readonly ONE: Decimal = new Decimal(1n, 0);

  /**
   * @param mantissa - signed integer digits of the value.
   * @param scale - non-negative integer count of fractional digits. Private so every instance
   *   upholds that invariant; use the static factories.
   */
  private constructor(
    /** Signed integer digits; value = mantissa / 10^scale. Not canonical (see class docs). */
    readonly mantissa: bigint,
    /** Non-negative number of fractional digits. Not canonical (see class docs). */
    readonly scale: number,
  ) {}

  /** Builds a value, trimming trailing zeros only when the scale has grown large (cheap path). */
  private static make(m: bigint, s: number): Decimal {
    return s > MAX_LAZY_SCALE ? Decimal.trimmed(m, s) : new Decimal(m, s);
  }

  /** Builds a value with all removable trailing fractional zeros stripped. */
  private static trimmed(m: bigint, s: number): Decimal {
    if (m === 0n) return Decimal.ZERO;
    // Strip in chunks of 16/8/4/2/1 digits so a 34-zero tail costs ~6 divisions, not 34.
    for (let step = 16; step >= 1; step >>= 1) {
      const p = pow10(step);
      while (s >= step && m % p === 0n) {
        m /= p;
        s -= step;
      }
    }
    return new Decimal(m, s);
  }

  /**
   * Parses a plain decimal: optional sign, digits, optional '.' fraction (".5" and "5." allowed),
   * optional exponent e/E (e.g. "1.5e3"); surrounding whitespace is trimmed.
   * Returns undefined for anything else ("", "abc", "1,5", "NaN", "Infinity", "0x10", "1.2.3"),
   * and for exponents beyond ±1000, which no real credit value needs and which could exhaust memory.
   */
  static parse(text: string): Decimal | undefined {
    const match = DECIMAL_RE.exec(text.trim());
    if (match === null) return undefined;
    const [, sign, intPart, fracA, fracB, expText] = match;
    const frac = fracB ?? fracA ?? '';
    const exp = expText === undefined ? 0 : Number(expText);
    if (!(Math.abs(exp) <= MAX_EXPONENT)) return undefined;
    let m = BigInt((intPart ?? '') + frac || '0');
    if (m === 0n) return Decimal.ZERO;
    if (sign === '-') m = -m;
    const s = frac.length - exp;
    return s < 0 ? new Decimal(m * pow10(-s), 0) : Decimal.make(m, s);
  }

  /**
   * Converts a finite JS number via its shortest round-trip string (String(n)), so 0.1 becomes
   * exactly 1/10 rather than the binary value 0.1000000000000000055511151231257827...
   * @throws RangeError for NaN and ±Infinity.
   */
  static fromNumber(n: number): Decimal {
    if (!Number.isFinite(n)) throw new RangeError(`Decimal.fromNumber: not finite: ${n}`);
    // Fast path: integers (the common case for counts and whole hours) skip string parsing.
    if (Number.isSafeInteger(n)) return new Decimal(BigInt(n), 0);
    return Decimal.parse(String(n))!; // String() of a finite number always matches the grammar.
  }

  /** Converts an integer bigint exactly. */
  static fromBigInt(n: bigint): Decimal {
    return new Decimal(n, 0);
  }

  /** Exact sum. */
  add(o: Decimal): Decimal {
    if (this.scale === o.scale) return new Decimal(this.mantissa + o.mantissa, this.scale);
    if (this.scale > o.scale) {
      return new Decimal(this.mantissa + o.mantissa * pow10(this.scale - o.scale), this.scale);
    }
    return new Decimal(this.mantissa * pow10(o.scale - this.scale) + o.mantissa, o.scale);
  }

  /** Exact difference `this - o`. */
  sub(o: Decimal): Decimal {
    return this.add(o.neg());
  }

  /** Exact product. */
  mul(o: Decimal): Decimal {
    return Decimal.make(this.mantissa * o.mantissa, this.scale + o.scale);
  }

  /** Negation. */
  neg(): Decimal {
    return this.mantissa === 0n ? this : new Decimal(-this.mantissa, this.scale);
  }

  /** Absolute value. */
  abs(): Decimal {
    return this.mantissa < 0n ? new Decimal(-this.mantissa, this.scale) : this;
  }

  /**
   * Quotient `this / o`. Exact when the quotient terminates within 34 significant digits;
   * otherwise rounded half-even to 34 significant digits (like IEEE 754 decimal128).
   *
   * Division by zero returns {@link Decimal.ZERO}: the policy language is total, so `x / 0 = 0`
   * by definition (a rule must never crash or produce NaN halfway through millions of records).
   */
  div(o: Decimal): Decimal {
    if (o.mantissa === 0n || this.mantissa === 0n) return Decimal.ZERO;
    const n = absBig(this.mantissa);
    const d = absBig(o.mantissa);
    // Scale the dividend so the integer quotient has at least DIV_DIGITS + 1 digits: the extra
    // digit plus the remainder (as a sticky bit) decide the rounding exactly. If the true
    // quotient terminates within DIV_DIGITS digits, the remainder is 0 and nothing is lost.
    const k = Math.max(0, DIV_DIGITS + 1 - (digitCount(n) - digitCount(d)));
    const scaled = n * pow10(k);
    let q = scaled / d;
    const r = scaled % d;
    const excess = digitCount(q) - DIV_DIGITS;
    if (excess > 0) {
      const p = pow10(excess);
      const tail = q % p;
      q /= p;
      const twice = tail * 2n;
      if (twice > p || (twice === p && (r !== 0n || (q & 1n) === 1n))) q += 1n;
    }
    if ((this.mantissa < 0n) !== (o.mantissa < 0n)) q = -q;
    const s = this.scale - o.scale + k - Math.max(0, excess);
    return s < 0 ? new Decimal(q * pow10(-s), 0) : Decimal.trimmed(q, s);
  }

  /** Numeric comparison: -1 if `this < o`, 0 if equal (regardless of scale), 1 if greater. */
  cmp(o: Decimal): -1 | 0 | 1 {
    const a = this.mantissa;
    const b = o.mantissa;
    // Sign test first: most comparisons against a floor or zero are decided without scaling.
    const sa = a > 0n ? 1 : a < 0n ? -1 : 0;
    const sb = b > 0n ? 1 : b < 0n ? -1 : 0;
    if (sa !== sb) return sa < sb ? -1 : 1;
    let x = a;
    let y = b;
    if (this.scale > o.scale) y *= pow10(this.scale - o.scale);
    else if (this.scale < o.scale) x *= pow10(o.scale - this.scale);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /** True when numerically equal (1.50 eq 1.5). */
  eq(o: Decimal): boolean {
    return this.cmp(o) === 0;
  }
  /** `this < o`. */
  lt(o: Decimal): boolean {
    return this.cmp(o) < 0;
  }
  /** `this <= o`. */
  lte(o: Decimal): boolean {
    return this.cmp(o) <= 0;
  }
  /** `this > o`. */
  gt(o: Decimal): boolean {
    return this.cmp(o) > 0;
  }
  /** `this >= o`. */
  gte(o: Decimal): boolean {
    return this.cmp(o) >= 0;
  }
  /** True for zero at any scale. */
  isZero(): boolean {
    return this.mantissa === 0n;
  }
  /** -1, 0 or 1 according to the sign. */
  sign(): -1 | 0 | 1 {
    return this.mantissa > 0n ? 1 : this.mantissa < 0n ? -1 : 0;
  }
  /** The smaller of the two (`this` on ties). */
  min(o: Decimal): Decimal {
    return this.cmp(o) <= 0 ? this : o;
  }
  /** The larger of the two (`this` on ties). */
  max(o: Decimal): Decimal {
    return this.cmp(o) >= 0 ? this : o;
  }

  /**
   * Rounds to `places` decimals, half up (ties away from zero: 2.345 -> 2.35, -2.345 -> -2.35),
   * the rule people use on paper and in spreadsheets, so published totals match hand checks.
   * @throws RangeError unless `places` is an integer in [0, 100].
   */
  round(places: number): Decimal {
    checkPlaces(places);
    if (this.scale <= places) return this;
    const p = pow10(this.scale - places);
    const a = absBig(this.mantissa);
    let q = a / p;
    if ((a % p) * 2n >= p) q += 1n;
    return new Decimal(this.mantissa < 0n ? -q : q, places);
  }

  /**
   * Fixed notation with exactly `places` decimals after rounding half up. A negative value that
   * rounds to zero prints as "0.00", never "-0.00".
   * @throws RangeError unless `places` is an integer in [0, 100].
   */
  toFixed(places: number): string {
    const r = this.round(places);
    return format(r.mantissa * pow10(places - r.scale), places);
  }

  /**
   * Rounded half up to `places` (default 2) and converted to a JS number, for JSON output.
   * @throws RangeError unless `places` is an integer in [0, 100].
   */
  toNumber(places = 2): number {
    // Number() of a decimal string is correctly rounded, unlike mantissa / 10 ** scale.
    return Number(this.round(places).toString());
  }

  /**
   * Canonical shortest plain decimal string: no exponent, no trailing fractional zeros, and
   * "-0" never appears, e.g. "1.5", "100", "0.001". Equal values always print the same.
   */
  toString(): string {
    const t = Decimal.trimmed(this.mantissa, this.scale);
    return format(t.mantissa, t.scale);
  }
}

/** Formats `m / 10^s` in plain notation with exactly `s` fractional digits. */
function format(m: bigint, s: number): string {
  const digits = absBig(m).toString();
  const sign = m < 0n ? '-' : '';
  if (s === 0) return sign + digits;
  const padded = digits.padStart(s + 1, '0');
  const cut = padded.length - s;
  return `${sign}${padded.slice(0, cut)}.${padded.slice(cut)}`;
}
