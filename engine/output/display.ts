// Numbers as reports show them: exact decimals rounded half up to 2 places, as JSON numbers and
// as fixed text. The common case (a small mantissa) is worked out on doubles, exactly; anything
// else takes Decimal's own rounding, so the two can never differ.

import { Decimal } from '../decimal.ts';
import { Quotient } from '../quotient.ts';

/** Decimals shown in reports. */
export const PLACES = 2;

/** Mantissas up to 2^50 are rounded on doubles: quotients and remainders stay exact integers. */
const FAST_LIMIT = 2 ** 50;
/** A rounded value of fewer than 15 digits prints as its digits in any JavaScript engine. */
const PRINT_LIMIT = 1e15;
/** As a typed array: read unboxed by the hot writer (a plain array of them holds boxed doubles). */
const P10 = Float64Array.from({ length: 16 }, (_, k) => 10 ** k);
/** Their reciprocals: a multiplication costs a fraction of a division (see roundedParts). */
const INV_P10 = P10.map((x) => 1 / x);

/**
 * `d` rounded half up (away from zero) to {@link PLACES} decimals, as the integer `r` with
 * `rounded = r / 100` — or NaN when `r` would not be a safe integer below 10^15 (then use
 * {@link Decimal.round}).
 */
export function scaledRounded(d: Decimal): number {
  const m = d.safeMantissa;
  return m === undefined ? NaN : roundedParts(m, d.scale);
}

/** {@link scaledRounded} of `m / 10^s` (a safe-integer mantissa). */
export function roundedParts(m: number, s: number): number {
  const negative = m < 0;
  const q = roundedMagnitude(negative ? -m : m, s);
  if (q < 0) return NaN;
  return negative && q !== 0 ? -q : q;
}

/**
 * `a / 10^s` (a ≥ 0, a safe integer) rounded half up to {@link PLACES} decimals, as the integer
 * `q` with `rounded = q / 100` — or -1 when `q` would not be below 10^15. The sign is the
 * caller's: a writer puts the minus sign down itself rather than have it taken off again.
 */
export function roundedMagnitude(a: number, s: number): number {
  if (s <= PLACES) {
    const r = a * P10[PLACES - s]!;
    return r < PRINT_LIMIT ? r : -1;
  }
  const k = s - PLACES;
  if (a > FAST_LIMIT || k >= P10.length) return k >= P10.length && a < P10[15]! ? 0 : -1;
  const p = P10[k]!;
  // a · 10^-k is within a unit of a / 10^k (a < 2^50: its relative error is a few 2^-53), so the
  // floor is off by at most one, which the exact remainder corrects: q · p stays below 2^53.
  let q = Math.floor(a * INV_P10[k]!);
  let rem = a - q * p;
  if (rem < 0) {
    q--;
    rem += p;
  } else if (rem >= p) {
    q++;
    rem -= p;
  }
  if (rem * 2 >= p) q++;
  return q < PRINT_LIMIT ? q : -1;
}

/**
 * A quotient rounded half up to {@link PLACES} decimals, as `r` (see {@link scaledRounded}),
 * worked out on doubles — or NaN when the doubles cannot be sure (the value lies too near a
 * rounding half point, or is too large), and the exact value must decide. The double quotient is
 * within a few units in the last place of the true one, and the language's 34-digit quotient
 * closer still, so outside the tolerance all three round alike.
 */
function quotientRounded(q: Quotient): number {
  const n = q.num.safeMantissa;
  const d = q.den.safeMantissa;
  if (n === undefined || d === undefined) return NaN;
  return quotientParts(n, q.num.scale, d, q.den.scale);
}

/** {@link quotientRounded} of `(n / 10^ns) / (d / 10^ds)` (safe-integer mantissas). */
export function quotientParts(n: number, ns: number, d: number, ds: number): number {
  if (n === 0 || d === 0) return 0; // x / 0 is 0
  const e = ds - ns + PLACES;
  if (e > 22 || e < -22) return NaN;
  const x = e >= 0 ? (n / d) * P10_22[e]! : n / d / P10_22[-e]!;
  const a = x < 0 ? -x : x;
  if (!(a < 2 ** 40)) return NaN;
  const whole = Math.floor(a);
  const frac = a - whole;
  if (Math.abs(frac - 0.5) <= a * 1e-14 + 1e-12) return NaN;
  const r = frac > 0.5 ? whole + 1 : whole;
  return x < 0 && r !== 0 ? -r : r;
}

const P10_22: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** {@link scaledRounded} of a decimal or a quotient: `r` with the shown value `r / 100`, or NaN. */
export function roundedForDisplay(v: Decimal | Quotient): number {
  return rounded(v);
}

function rounded(v: Decimal | Quotient): number {
  return v instanceof Quotient ? quotientRounded(v) : scaledRounded(v);
}

const exactOf = (v: Decimal | Quotient): Decimal => (v instanceof Quotient ? v.value() : v);

const zeros = ['', '0', '00'];

/** The text of `r / 100` as `JSON.stringify` prints that number (|r| < 10^15). */
export function scaledJsonText(r: number): string {
  if (r === 0) return '0';
  const negative = r < 0;
  const digits = String(negative ? -r : r);
  let whole: string;
  let frac: string;
  if (digits.length > PLACES) {
    whole = digits.slice(0, digits.length - PLACES);
    frac = digits.slice(digits.length - PLACES);
  } else {
    whole = '0';
    frac = zeros[PLACES - digits.length]! + digits;
  }
  // Trailing zeros of the fraction are not printed (0.70 is 0.7, 1.00 is 1).
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
  const text = end === 0 ? whole : `${whole}.${frac.slice(0, end)}`;
  return negative ? `-${text}` : text;
}

/**
 * A decimal as a JSON number's text, rounded for display. A value too large for a JSON number
 * (only a pathological policy makes one) is given as exact decimal text in quotes rather than as
 * null.
 */
export function jsonNumberText(v: Decimal | Quotient): string {
  const r = rounded(v);
  if (r === r) return scaledJsonText(r);
  const d = exactOf(v);
  const n = d.toNumber(PLACES);
  return Number.isFinite(n) ? JSON.stringify(n) : JSON.stringify(d.round(PLACES).toString());
}

/** A decimal as JSON data: what {@link jsonNumberText} prints, for callers that build JSON values. */
export function jsonNumber(v: Decimal | Quotient): number | string {
  const r = rounded(v);
  if (r === r) return r / 100;
  const d = exactOf(v);
  const n = d.toNumber(PLACES);
  return Number.isFinite(n) ? n : d.round(PLACES).toString();
}

/** Fixed text with exactly {@link PLACES} decimals after rounding half up ("6.00", never "-0.00"). */
export function fixedText(v: Decimal | Quotient): string {
  const r = rounded(v);
  if (r !== r) return exactOf(v).toFixed(PLACES);
  const negative = r < 0;
  const digits = String(negative ? -r : r).padStart(PLACES + 1, '0');
  const text = `${digits.slice(0, digits.length - PLACES)}.${digits.slice(digits.length - PLACES)}`;
  return negative ? `-${text}` : text;
}
