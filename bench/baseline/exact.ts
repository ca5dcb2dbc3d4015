// Exact decimals for the baseline, in two representations:
//
// - the fast one, a plain JS number holding an integer count of 10^-SCALE (a total of
//   12.345 credits is 1234500000). Integer arithmetic on doubles is exact as long as every
//   operand and result is a safe integer, and a result whose true value is not safe comes out
//   above MAX_SAFE (rounding is monotonic and 2^53 is representable), so one comparison after
//   each operation tells "exact" from "overflowed";
// - the slow one, {@link Big}: a bigint mantissa and any scale, used for a value that leaves the
//   safe range or needs more than SCALE decimals (hours of 999999999999999.9, rates of 1e-900).
//
// Nothing here is shared with the engine's Decimal: only the arithmetic's meaning is the same.

/** Decimals of the fast representation. Real data has at most 5 (rate 2 + hours 1 + factor 2). */
export const SCALE = 8;

/** 2^53 - 1. */
export const MAX_SAFE = 9007199254740991;

/** 10^0 … 10^22: every one is exactly representable as a double. */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** An exact decimal `m / 10^s` (s ≥ 0). Not normalised: 1.5 may be 15/10 or 150/100. */
export interface Big {
  readonly m: bigint;
  readonly s: number;
}

/** An exact value: a safe integer count of 10^-SCALE, or a {@link Big}. */
export type Exact = number | Big;

const P10N: bigint[] = [1n];

/** 10^k as a bigint (cached for the small exponents every alignment uses). */
export function pow10n(k: number): bigint {
  if (k > 512) return 10n ** BigInt(k);
  while (P10N.length <= k) P10N.push(P10N[P10N.length - 1]! * 10n);
  return P10N[k]!;
}

/** Whether `x` is an integer in the safe range (the invariant of the fast representation). */
export function isSafe(x: number): boolean {
  return x <= MAX_SAFE && x >= -MAX_SAFE;
}

/** A small mantissa and scale as a {@link Big}; a negative scale is folded into the mantissa. */
export function bigOf(m: number | bigint, s: number): Big {
  const bm = typeof m === 'bigint' ? m : BigInt(m);
  return s >= 0 ? { m: bm, s } : { m: bm * pow10n(-s), s: 0 };
}

/** Either representation as a {@link Big}. */
export function toBig(x: Exact): Big {
  return typeof x === 'number' ? { m: BigInt(x), s: SCALE } : x;
}

/** Drops trailing fractional zeros once the scale has grown, so repeated products stay small. */
function tidy(b: Big): Big {
  if (b.s <= 40 || b.m === 0n) return b.m === 0n ? { m: 0n, s: 0 } : b;
  let { m, s } = b;
  while (s > 0 && m % 10n === 0n) {
    m /= 10n;
    s--;
  }
  return { m, s };
}

/** Exact sum. */
export function bigAdd(a: Big, b: Big): Big {
  if (a.s === b.s) return { m: a.m + b.m, s: a.s };
  if (a.s > b.s) return { m: a.m + b.m * pow10n(a.s - b.s), s: a.s };
  return { m: a.m * pow10n(b.s - a.s) + b.m, s: b.s };
}

/** Exact product. */
export function bigMul(a: Big, b: Big): Big {
  return tidy({ m: a.m * b.m, s: a.s + b.s });
}

/** -1, 0 or 1 as `a` is below, equal to or above `b`. */
export function bigCmp(a: Big, b: Big): number {
  let x = a.m;
  let y = b.m;
  if (a.s > b.s) y *= pow10n(a.s - b.s);
  else if (a.s < b.s) x *= pow10n(b.s - a.s);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Exact sum of two values in either representation. */
export function exactAdd(a: Exact, b: Exact): Exact {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (isSafe(r)) return r;
  }
  return bigAdd(toBig(a), toBig(b));
}

/** -1, 0 or 1 as `a` is below, equal to or above `b`. */
export function exactCmp(a: Exact, b: Exact): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  return bigCmp(toBig(a), toBig(b));
}

/** Whether a value is zero. */
export function exactIsZero(a: Exact): boolean {
  return typeof a === 'number' ? a === 0 : a.m === 0n;
}

/**
 * The value rounded half up (ties away from zero) to 2 decimals, as a count of cents: what the
 * report shows (a number) and what messages print (with exactly two decimals).
 */
export function exactCents(x: Exact): number | bigint {
  if (typeof x === 'number') return scaledCents(x, SCALE);
  return bigCents(x);
}

/**
 * Cents of a safe integer `v` counting 10^-scale (2 ≤ scale ≤ 17), half up. `%` on doubles is
 * exact (fmod), so are `v - r` and the division by a power of ten that divides it.
 */
export function scaledCents(v: number, scale: number): number {
  if (v < 0) return -scaledCents(-v, scale);
  const p = POW10[scale - 2]!;
  const r = v % p;
  const q = (v - r) / p;
  return r * 2 >= p ? q + 1 : q;
}

/** Cents of a {@link Big}, half up (ties away from zero). */
export function bigCents(b: Big): bigint {
  if (b.s <= 2) return b.m * pow10n(2 - b.s);
  const p = pow10n(b.s - 2);
  const neg = b.m < 0n;
  const a = neg ? -b.m : b.m;
  let q = a / p;
  if ((a % p) * 2n >= p) q += 1n;
  return neg ? -q : q;
}

/** Number of decimal digits of a positive bigint. */
function digitCount(n: bigint): number {
  return n.toString().length;
}

/**
 * The quotient `a / b` exactly as the engine's division makes it: exact when it terminates
 * within 34 significant digits, otherwise rounded half-even to 34 significant digits (an
 * IEEE 754 decimal128 quotient); `x / 0 = 0`. Mathematically this is "round the true quotient
 * half-even to 34 significant digits", whatever the operands' scales, so the engine's choice of
 * representation cannot change it.
 */
export function div34(a: Big, b: Big): Big {
  if (a.m === 0n || b.m === 0n) return { m: 0n, s: 0 };
  const n = a.m < 0n ? -a.m : a.m;
  const d = b.m < 0n ? -b.m : b.m;
  const k = Math.max(0, 35 - (digitCount(n) - digitCount(d)));
  const scaled = n * pow10n(k);
  let q = scaled / d;
  const r = scaled % d;
  const excess = digitCount(q) - 34;
  if (excess > 0) {
    const p = pow10n(excess);
    const tail = q % p;
    q /= p;
    const twice = tail * 2n;
    if (twice > p || (twice === p && (r !== 0n || (q & 1n) === 1n))) q += 1n;
  }
  if ((a.m < 0n) !== (b.m < 0n)) q = -q;
  const s = a.s - b.s + k - Math.max(0, excess);
  return s < 0 ? { m: q * pow10n(-s), s: 0 } : { m: q, s };
}

/**
 * Cents of the elective share `e / c` as the engine shows it: its 34-digit quotient
 * ({@link div34}) rounded half up to 2 decimals; `x / 0 = 0`.
 *
 * Fast path, for 0 ≤ e ≤ c with 100e + c safe: integer long division gives round-half-up of the
 * *true* quotient Q. That equals rounding the 34-digit quotient: a half-cent boundary B = (2j+1)/200
 * that Q does not hit lies at least 1/(200c) from it (c < 2^53, so > 5e-19), while the 34-digit
 * rounding moves Q ≤ 1 by at most 5e-34 — too little to cross or reach B; and when Q = B exactly,
 * B (three decimals) is its own 34-digit rounding. Everything else takes the exact path.
 */
export function shareCents(e: Exact, c: Exact): number | bigint {
  if (exactIsZero(e) || exactIsZero(c)) return 0;
  if (typeof e === 'number' && typeof c === 'number' && e > 0 && e <= c && isSafe(100 * e + c)) {
    const n = 100 * e;
    let q = Math.floor(n / c);
    let r = n - q * c; // exact: q·c ≤ n + c is safe
    if (r < 0) {
      q--;
      r += c;
    } else if (r >= c) {
      q++;
      r -= c;
    }
    return r * 2 >= c ? q + 1 : q;
  }
  return bigCents(div34(toBig(e), toBig(c)));
}

/** Canonical plain decimal text of `m / 10^s`: no exponent, no trailing fractional zeros. */
export function canonical(b: Big): string {
  let { m, s } = b;
  if (m === 0n) return '0';
  while (s > 0 && m % 10n === 0n) {
    m /= 10n;
    s--;
  }
  const neg = m < 0n;
  const digits = (neg ? -m : m).toString();
  if (s === 0) return (neg ? '-' : '') + digits;
  const padded = digits.padStart(s + 1, '0');
  const cut = padded.length - s;
  return `${neg ? '-' : ''}${padded.slice(0, cut)}.${padded.slice(cut)}`;
}

/** Text of a count of cents with exactly two decimals ("4.13", "72.00"), as in messages. */
export function fixed2(cents: number | bigint): string {
  const c = typeof cents === 'bigint' ? cents : BigInt(cents);
  const neg = c < 0n;
  const digits = (neg ? -c : c).toString().padStart(3, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
