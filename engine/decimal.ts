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

// The small-mantissa fast path. Real quantities (counts, amounts, rates) have a handful of
// digits, so their mantissas are safe integers and number arithmetic on them is exact: a product or sum of
// safe integers whose true value is a safe integer is computed exactly, and one whose true value
// is not comes out beyond MAX_SAFE (rounding is monotonic and 2^53 is representable), so one
// range check after each operation tells exactness apart from overflow. On overflow the
// operation is redone with bigints, so results never depend on which path ran.
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_SAFE_BIG = BigInt(MAX_SAFE);
/** 10^0 … 10^15 as numbers: all exact, and 10^15 · 9 still below 2^53. */
const POW10_NUM: readonly number[] = Array.from({ length: 16 }, (_, k) => 10 ** k);

const isSafe = (n: number): boolean => n <= MAX_SAFE && n >= -MAX_SAFE;

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
// `\d` without the `u` flag is ASCII-only, so other scripts' digits are rejected. Only long
// mantissas use it (see Decimal.parse); the hand-written scanner there accepts the same grammar.
const DECIMAL_RE = /^([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?\d+))?$/;

const CH_0 = '0'.charCodeAt(0);
const CH_PLUS = 43;
const CH_MINUS = 45;
const CH_DOT = 46;
const CH_E = 69;
const CH_LOWER_E = 101;

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
 *
 * A mantissa that is a safe integer is held as a number (no bigint allocated, number arithmetic),
 * a larger one as a bigint; which one is an invariant of the value, not of how it was computed.
 */
export class Decimal {
  /** The value 0. */
  static readonly ZERO: Decimal = new Decimal(0, undefined, 0);
  /** The value 1. */
  static readonly ONE: Decimal = new Decimal(1, undefined, 0);

  /**
   * Private so every instance upholds the invariants; use the static factories.
   * @param small - the mantissa when it is a safe integer (never -0); 0 when `big` holds it.
   * @param big - the mantissa when it is not a safe integer; undefined otherwise.
   * @param scale - non-negative integer count of fractional digits.
   */
  private constructor(
    private readonly small: number,
    private readonly big: bigint | undefined,
    /** Non-negative number of fractional digits. Not canonical (see class docs). */
    readonly scale: number,
  ) {}

  /**
   * `m / 10^s` from a safe-integer mantissa, as the engine's typed fast path holds numbers.
   * @throws RangeError unless `m` is a safe integer and `s` a non-negative integer.
   */
  static fromSafe(m: number, s: number): Decimal {
    if (!Number.isSafeInteger(m) || !Number.isInteger(s) || s < 0) throw new RangeError(`Decimal.fromSafe: ${m} / 10^${s}`);
    if (m === 0) return s === 0 ? Decimal.ZERO : new Decimal(0, undefined, s);
    return new Decimal(m, undefined, s);
  }

  /** The mantissa when it is a safe integer (so the value is `safeMantissa / 10^scale`), else undefined. */
  get safeMantissa(): number | undefined {
    return this.big === undefined ? this.small : undefined;
  }

  /** Signed integer digits; value = mantissa / 10^scale. Not canonical (see class docs). */
  get mantissa(): bigint {
    return this.big ?? BigInt(this.small);
  }

  /** From a bigint mantissa, held as a number whenever it is a safe integer. */
  private static fromParts(m: bigint, s: number): Decimal {
    return m >= -MAX_SAFE_BIG && m <= MAX_SAFE_BIG ? new Decimal(Number(m), undefined, s) : new Decimal(0, m, s);
  }

  /** Builds a value, trimming trailing zeros only when the scale has grown large (cheap path). */
  private static make(m: bigint, s: number): Decimal {
    return s > MAX_LAZY_SCALE ? Decimal.trimmed(m, s) : Decimal.fromParts(m, s);
  }

  /** {@link Decimal.make} for a safe-integer mantissa. */
  private static makeSmall(m: number, s: number): Decimal {
    return s > MAX_LAZY_SCALE ? Decimal.trimmedSmall(m, s) : new Decimal(m, undefined, s);
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
    return Decimal.fromParts(m, s);
  }

  /** {@link Decimal.trimmed} for a safe-integer mantissa (at most 15 zeros to strip). */
  private static trimmedSmall(m: number, s: number): Decimal {
    if (m === 0) return Decimal.ZERO;
    while (s > 0 && m % 10 === 0) {
      m /= 10; // exact: m is a multiple of 10
      s--;
    }
    return new Decimal(m, undefined, s);
  }

  /** `m · 10^k` at scale 0, for a parse or quotient whose scale came out negative. */
  private static shifted(m: number, k: number): Decimal {
    if (k < POW10_NUM.length) {
      const r = m * POW10_NUM[k]!;
      if (isSafe(r)) return new Decimal(r, undefined, 0);
    }
    return Decimal.fromParts(BigInt(m) * pow10(k), 0);
  }

  /**
   * Parses a plain decimal: optional sign, digits, optional '.' fraction (".5" and "5." allowed),
   * optional exponent e/E (e.g. "1.5e3"); surrounding whitespace is trimmed.
   * Returns undefined for anything else ("", "abc", "1,5", "NaN", "Infinity", "0x10", "1.2.3"),
   * and for exponents beyond ±1000, which no real credit value needs and which could exhaust memory.
   */
  static parse(text: string): Decimal | undefined {
    // A scanner rather than the regex: this runs for every number of every record, and the
    // regex's match array and substrings were most of its cost. Mantissas of more than 15
    // digits (never real data) are handed to the regex and bigint path instead.
    const t = text.trim();
    const n = t.length;
    let i = 0;
    const first = t.charCodeAt(0);
    const negative = first === CH_MINUS;
    if (negative || first === CH_PLUS) i = 1;
    let m = 0;
    let digits = 0;
    for (; i < n; i++) {
      const d = t.charCodeAt(i) - CH_0;
      if (d < 0 || d > 9) break;
      m = m * 10 + d;
      digits++;
    }
    let fracDigits = 0;
    if (i < n && t.charCodeAt(i) === CH_DOT) {
      for (i++; i < n; i++) {
        const d = t.charCodeAt(i) - CH_0;
        if (d < 0 || d > 9) break;
        m = m * 10 + d;
        fracDigits++;
      }
    }
    if (digits + fracDigits === 0) return undefined;
    let exp = 0;
    if (i < n && (t.charCodeAt(i) === CH_E || t.charCodeAt(i) === CH_LOWER_E)) {
      i++;
      const sign = t.charCodeAt(i);
      const negExp = sign === CH_MINUS;
      if (negExp || sign === CH_PLUS) i++;
      let expDigits = 0;
      for (; i < n; i++) {
        const d = t.charCodeAt(i) - CH_0;
        if (d < 0 || d > 9) break;
        // Capped, not accumulated without bound: anything past the cap is rejected anyway.
        exp = Math.min(exp * 10 + d, 10 * MAX_EXPONENT);
        expDigits++;
      }
      if (expDigits === 0) return undefined;
      if (negExp) exp = -exp;
    }
    if (i !== n || Math.abs(exp) > MAX_EXPONENT) return undefined;
    if (!isSafe(m)) return Decimal.parseLong(t);
    if (m === 0) return Decimal.ZERO;
    if (negative) m = -m;
    const s = fracDigits - exp;
    return s < 0 ? Decimal.shifted(m, -s) : Decimal.makeSmall(m, s);
  }

  /** The bigint path of {@link Decimal.parse}, for mantissas beyond a safe integer. */
  private static parseLong(t: string): Decimal | undefined {
    const match = DECIMAL_RE.exec(t);
    if (match === null) return undefined;
    const [, sign, intPart, fracA, fracB, expText] = match;
    const frac = fracB ?? fracA ?? '';
    const exp = expText === undefined ? 0 : Number(expText);
    if (!(Math.abs(exp) <= MAX_EXPONENT)) return undefined;
    let m = BigInt((intPart ?? '') + frac || '0');
    if (m === 0n) return Decimal.ZERO;
    if (sign === '-') m = -m;
    const s = frac.length - exp;
    return s < 0 ? Decimal.fromParts(m * pow10(-s), 0) : Decimal.make(m, s);
  }

  /**
   * Converts a finite JS number via its shortest round-trip string (String(n)), so 0.1 becomes
   * exactly 1/10 rather than the binary value 0.1000000000000000055511151231257827...
   * @throws RangeError for NaN and ±Infinity.
   */
  static fromNumber(n: number): Decimal {
    if (!Number.isFinite(n)) throw new RangeError(`Decimal.fromNumber: not finite: ${n}`);
    // Fast path: integers (the common case for counts and whole hours) skip string parsing.
    if (Number.isSafeInteger(n)) return n === 0 ? Decimal.ZERO : new Decimal(n, undefined, 0);
    return Decimal.parse(String(n))!; // String() of a finite number always matches the grammar.
  }

  /** Converts an integer bigint exactly. */
  static fromBigInt(n: bigint): Decimal {
    return Decimal.fromParts(n, 0);
  }

  /** Exact sum. */
  add(o: Decimal): Decimal {
    return this.plus(o, false);
  }

  /** Exact difference `this - o`. */
  sub(o: Decimal): Decimal {
    return this.plus(o, true);
  }

  /** `this + o`, or `this - o` when `negate`: one body so subtraction allocates no negation. */
  private plus(o: Decimal, negate: boolean): Decimal {
    if (this.big === undefined && o.big === undefined) {
      const a = this.small;
      const b = negate ? -o.small : o.small;
      const d = this.scale - o.scale;
      if (d === 0) {
        const r = a + b;
        if (isSafe(r)) return new Decimal(r === 0 ? 0 : r, undefined, this.scale);
      } else if (d > 0) {
        // Align o to this scale; the aligned mantissa must itself be exact (safe) for r to be.
        if (d < POW10_NUM.length) {
          const bp = b * POW10_NUM[d]!;
          const r = a + bp;
          if (isSafe(bp) && isSafe(r)) return new Decimal(r === 0 ? 0 : r, undefined, this.scale);
        }
      } else if (-d < POW10_NUM.length) {
        const ap = a * POW10_NUM[-d]!;
        const r = ap + b;
        if (isSafe(ap) && isSafe(r)) return new Decimal(r === 0 ? 0 : r, undefined, o.scale);
      }
    }
    const a = this.mantissa;
    const b = negate ? -o.mantissa : o.mantissa;
    if (this.scale === o.scale) return Decimal.fromParts(a + b, this.scale);
    if (this.scale > o.scale) return Decimal.fromParts(a + b * pow10(this.scale - o.scale), this.scale);
    return Decimal.fromParts(a * pow10(o.scale - this.scale) + b, o.scale);
  }

  /** Exact product. */
  mul(o: Decimal): Decimal {
    if (this.big === undefined && o.big === undefined) {
      const r = this.small * o.small;
      if (isSafe(r)) return Decimal.makeSmall(r === 0 ? 0 : r, this.scale + o.scale);
    }
    return Decimal.make(this.mantissa * o.mantissa, this.scale + o.scale);
  }

  /** Negation. */
  neg(): Decimal {
    if (this.big !== undefined) return new Decimal(0, -this.big, this.scale);
    return this.small === 0 ? this : new Decimal(-this.small, undefined, this.scale);
  }

  /** Absolute value. */
  abs(): Decimal {
    return this.sign() < 0 ? this.neg() : this;
  }

  /**
   * Quotient `this / o`. Exact when the quotient terminates within 34 significant digits;
   * otherwise rounded half-even to 34 significant digits (like IEEE 754 decimal128).
   *
   * Division by zero returns {@link Decimal.ZERO}: the policy language is total, so `x / 0 = 0`
   * by definition (a rule must never crash or produce NaN halfway through millions of records).
   */
  div(o: Decimal): Decimal {
    if (o.isZero() || this.isZero()) return Decimal.ZERO;
    if (this.big === undefined && o.big === undefined) {
      // Most policy quotients terminate after a few digits (a floor scaled by a ratio): find
      // the first k with divisor | this · 10^k while that stays a safe integer. The quotient is
      // then exact and short, exactly what the general path below would return.
      const d = o.small;
      for (let k = 0; k < POW10_NUM.length; k++) {
        const n = this.small * POW10_NUM[k]!;
        if (!isSafe(n)) break;
        if (n % d === 0) {
          const q = n / d; // exact: an integer quotient no larger than n
          const s = this.scale - o.scale + k;
          return s < 0 ? Decimal.shifted(q, -s) : Decimal.trimmedSmall(q, s);
        }
      }
    }
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
    if (this.sign() !== o.sign()) q = -q;
    const s = this.scale - o.scale + k - Math.max(0, excess);
    return s < 0 ? Decimal.fromParts(q * pow10(-s), 0) : Decimal.trimmed(q, s);
  }

  /** Numeric comparison: -1 if `this < o`, 0 if equal (regardless of scale), 1 if greater. */
  cmp(o: Decimal): -1 | 0 | 1 {
    // Sign test first: most comparisons against a floor or zero are decided without scaling.
    const sa = this.sign();
    const sb = o.sign();
    if (sa !== sb) return sa < sb ? -1 : 1;
    if (sa === 0) return 0;
    if (this.big === undefined && o.big === undefined) {
      let x = this.small;
      let y = o.small;
      const d = this.scale - o.scale;
      // Align scales. If the aligned side leaves the safe range it is beyond the other side
      // (a safe integer of the same sign), which decides the order without bigints.
      if (d > 0) {
        y = d < POW10_NUM.length ? y * POW10_NUM[d]! : y * Infinity;
        if (!isSafe(y)) return sb > 0 ? -1 : 1;
      } else if (d < 0) {
        x = -d < POW10_NUM.length ? x * POW10_NUM[-d]! : x * Infinity;
        if (!isSafe(x)) return sa > 0 ? 1 : -1;
      }
      return x < y ? -1 : x > y ? 1 : 0;
    }
    let x = this.mantissa;
    let y = o.mantissa;
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
    // A bigint mantissa is never zero: zero is always held as a number.
    return this.big === undefined && this.small === 0;
  }
  /** -1, 0 or 1 according to the sign. */
  sign(): -1 | 0 | 1 {
    if (this.big !== undefined) return this.big > 0n ? 1 : -1;
    return this.small > 0 ? 1 : this.small < 0 ? -1 : 0;
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
    return Decimal.fromParts(this.sign() < 0 ? -q : q, places);
  }

  /**
   * Rounds down (towards minus infinity) to `places` decimals: 2.349 -> 2.34, -2.341 -> -2.35.
   * @throws RangeError unless `places` is an integer in [0, 100].
   */
  floor(places: number): Decimal {
    return this.toward(places, -1);
  }

  /**
   * Rounds up (towards plus infinity) to `places` decimals: 2.341 -> 2.35, -2.349 -> -2.34.
   * @throws RangeError unless `places` is an integer in [0, 100].
   */
  ceil(places: number): Decimal {
    return this.toward(places, 1);
  }

  /** Cuts to `places` decimals, then moves one unit in the direction `dir` if anything was cut off in that direction. */
  private toward(places: number, dir: -1 | 1): Decimal {
    checkPlaces(places);
    if (this.scale <= places) return this;
    const p = pow10(this.scale - places);
    const m = this.mantissa;
    // bigint division truncates towards zero: the remainder has the sign of m.
    let q = m / p;
    const r = m % p;
    if (dir < 0 && r < 0n) q -= 1n;
    if (dir > 0 && r > 0n) q += 1n;
    return Decimal.fromParts(q, places);
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
    if (this.big === undefined) {
      const t = Decimal.trimmedSmall(this.small, this.scale);
      return layout(String(Math.abs(t.small)), t.small < 0, t.scale);
    }
    const t = Decimal.trimmed(this.big, this.scale);
    return format(t.mantissa, t.scale);
  }
}

/** Formats `m / 10^s` in plain notation with exactly `s` fractional digits. */
function format(m: bigint, s: number): string {
  return layout(absBig(m).toString(), m < 0n, s);
}

/** Places the decimal point `s` digits from the right of `digits`, padding with zeros. */
function layout(digits: string, negative: boolean, s: number): string {
  const sign = negative ? '-' : '';
  if (s === 0) return sign + digits;
  const padded = digits.padStart(s + 1, '0');
  const cut = padded.length - s;
  return `${sign}${padded.slice(0, cut)}.${padded.slice(cut)}`;
}
