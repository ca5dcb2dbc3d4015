// What generated code calls: exact arithmetic on numbers held as a safe-integer mantissa and a
// scale (m / 10^s), and the two ways it stops early. Every helper gives exactly the value
// Decimal would give, or throws OVERFLOW when the result would leave that form — the record or
// subject is then worked out again by the interpreter, with Decimals, so results never depend on
// which path ran.

import { dayNumber, daysInMonth, fromDateNumber } from '../../dsl/calendar.ts';
import { POW10 } from '../row-decoder.ts';
import { BIG_SCALE } from '../totals-store.ts';

const MAX = Number.MAX_SAFE_INTEGER;
/** Largest scale the fast form holds (10^22 is the largest exact power of ten in a double). */
const MAX_SCALE = 22;

/** Thrown when a rule needs a value that is missing; `REG[WHAT]` says which. Not an Error: no stack. */
export const MISSING: { readonly missing: true } = Object.freeze({ missing: true as const });
/** Thrown when a number would leave the fast form: the caller falls back to the interpreter. */
export const OVERFLOW: { readonly overflow: true } = Object.freeze({ overflow: true as const });

/** Registers the helpers write their second result to. */
export const REG = new Int32Array(2);
/** The scale of the last arithmetic result. */
export const SCALE = 0;
/** The constant index of the value a MISSING was thrown for. */
export const WHAT = 1;

/** Throws MISSING for the value named by constant `what`. */
export function missing(what: number): never {
  REG[WHAT] = what;
  throw MISSING;
}

/** Throws OVERFLOW. */
export function overflow(): never {
  throw OVERFLOW;
}

const unsafe = (x: number): boolean => x > MAX || x < -MAX;

/** `a + b`; the scale of the result in REG[SCALE]. */
export function add(am: number, as: number, bm: number, bs: number): number {
  let r: number;
  if (as === bs) {
    r = am + bm;
    if (unsafe(r)) throw OVERFLOW;
    REG[SCALE] = as;
    return r;
  }
  if (as > bs) {
    const b = bm * POW10[as - bs]!;
    r = am + b;
    if (unsafe(b) || unsafe(r)) throw OVERFLOW;
    REG[SCALE] = as;
    return r;
  }
  const a = am * POW10[bs - as]!;
  r = a + bm;
  if (unsafe(a) || unsafe(r)) throw OVERFLOW;
  REG[SCALE] = bs;
  return r;
}

/** `a - b`. */
export function sub(am: number, as: number, bm: number, bs: number): number {
  return add(am, as, bm === 0 ? 0 : -bm, bs);
}

/** `a × b`. */
export function mul(am: number, as: number, bm: number, bs: number): number {
  let r = am * bm;
  if (unsafe(r)) throw OVERFLOW;
  if (r === 0) {
    REG[SCALE] = 0;
    return 0;
  }
  let s = as + bs;
  // Trailing zeros can bring a long scale back into range (Decimal would trim them too).
  while (s > MAX_SCALE && r % 10 === 0) {
    r /= 10;
    s--;
  }
  if (s > MAX_SCALE) throw OVERFLOW;
  REG[SCALE] = s;
  return r;
}

/**
 * `a / b` when the quotient terminates within the fast form (x / 0 is 0, as in the language);
 * otherwise OVERFLOW (Decimal then rounds it to 34 digits).
 */
export function div(am: number, as: number, bm: number, bs: number): number {
  if (am === 0 || bm === 0) {
    REG[SCALE] = 0;
    return 0;
  }
  for (let k = 0; k <= 15; k++) {
    const n = am * POW10[k]!;
    if (unsafe(n)) break;
    if (n % bm === 0) {
      let q = n / bm;
      let s = as - bs + k;
      if (s < 0) {
        q *= POW10[-s]!;
        if (-s > MAX_SCALE || unsafe(q)) throw OVERFLOW;
        s = 0;
      }
      if (s > MAX_SCALE) throw OVERFLOW;
      REG[SCALE] = s;
      return q === 0 ? 0 : q;
    }
  }
  throw OVERFLOW;
}

/** Orders `a` and `b`: -1, 0 or 1. Aligning can only leave the safe range on the larger side. */
export function cmp(am: number, as: number, bm: number, bs: number): number {
  if (as === bs) return am < bm ? -1 : am > bm ? 1 : 0;
  if (as > bs) {
    const y = bm * POW10[as - bs]!;
    if (unsafe(y)) return y > 0 ? -1 : 1;
    return am < y ? -1 : am > y ? 1 : 0;
  }
  const x = am * POW10[bs - as]!;
  if (unsafe(x)) return x > 0 ? 1 : -1;
  return x < bm ? -1 : x > bm ? 1 : 0;
}

/** `m / 10^s` rounded half up (away from zero) to a whole number, as `Decimal.round(0)`. */
export function roundWhole(m: number, s: number): number {
  if (s === 0) return m;
  const a = m < 0 ? -m : m;
  if (a > 2 ** 50 || s > 15) {
    if (s > 15 && a < 1e15) return 0;
    throw OVERFLOW;
  }
  const p = POW10[s]!;
  let q = Math.floor(a / p);
  let rem = a - q * p;
  if (rem < 0) {
    q--;
    rem += p;
  } else if (rem >= p) {
    q++;
    rem -= p;
  }
  if (rem * 2 >= p) q++;
  return m < 0 && q !== 0 ? -q : q;
}

/**
 * `add_months(date, n)` on dates held as YYYYMMDD: the same day n months on, or the last day of
 * a shorter month (dsl/calendar.ts says the same in parts). A year outside 0000–9999 throws
 * OVERFLOW: the interpreter then rejects the record, naming the call.
 */
export function addMonths(date: number, months: number): number {
  const md = date % 10000;
  const d = md % 100;
  const total = Math.floor(date / 10000) * 12 + Math.floor(md / 100) - 1 + months;
  if (!Number.isSafeInteger(total)) throw OVERFLOW;
  const y = Math.floor(total / 12);
  if (y < 0 || y > 9999) throw OVERFLOW;
  const m = total - y * 12 + 1;
  const last = daysInMonth(y, m);
  return y * 10000 + m * 100 + (d < last ? d : last);
}

/** `add_years(date, n)`: 12 n months on (29 February becomes 28 February). */
export function addYears(date: number, years: number): number {
  return addMonths(date, years * 12);
}

/** `days_between(a, b)` on dates held as YYYYMMDD: b − a in whole days. */
export function daysBetween(a: number, b: number): number {
  return dayNumber(fromDateNumber(b)) - dayNumber(fromDateNumber(a));
}

/**
 * `round`, `floor` or `ceil` (`mode` 0, 1, 2) of `m / 10^s` to `places` decimals, as Decimal's
 * round (half up, ties away from zero), floor (towards −∞) and ceil (towards +∞); the scale of
 * the result in REG[SCALE]. OVERFLOW where the division would not be exact in doubles.
 */
export function roundTo(m: number, s: number, places: number, mode: number): number {
  if (s <= places) {
    REG[SCALE] = s;
    return m;
  }
  const k = s - places;
  const a = m < 0 ? -m : m;
  if (k > 15 || a > 2 ** 50) throw OVERFLOW;
  const p = POW10[k]!;
  let q = Math.floor(a / p);
  let rem = a - q * p;
  if (rem < 0) {
    q--;
    rem += p;
  } else if (rem >= p) {
    q++;
    rem -= p;
  }
  // Now |m| = q·p + rem exactly, 0 ≤ rem < p: round the magnitude, then restore the sign.
  if (mode === 0) {
    if (rem * 2 >= p) q++;
  } else if (rem > 0 && (mode === 1) === m < 0) {
    q++; // away from zero: floor of a negative number, ceil of a positive one
  }
  REG[SCALE] = places;
  return m < 0 && q !== 0 ? -q : q;
}

/**
 * Adds `m / 10^s` to slot `k` of a subject's totals block (`M` mantissas, `S` scales); false,
 * having changed nothing, when the sum leaves the fast form or the slot is held as a Decimal.
 */
export function addTotal(M: Float64Array, S: Uint8Array, k: number, m: number, s: number): boolean {
  const ts = S[k]!;
  if (ts === BIG_SCALE) return false;
  const tm = M[k]!;
  let r: number;
  if (ts === s) r = tm + m;
  else if (ts > s) {
    const a = m * POW10[ts - s]!;
    if (unsafe(a)) return false;
    r = tm + a;
  } else {
    const a = tm * POW10[s - ts]!;
    if (unsafe(a)) return false;
    r = a + m;
    if (unsafe(r)) return false;
    M[k] = r;
    S[k] = s;
    return true;
  }
  if (unsafe(r)) return false;
  M[k] = r;
  return true;
}

/** The helpers, as the generated factory receives them (by these names). */
export const helpers = { add, sub, mul, div, cmp, roundWhole, roundTo, addMonths, addYears, daysBetween, addTotal, missing, overflow, REG, MISSING, OVERFLOW };

/** The names generated code may call, checked by test/codegen.test.ts against the source. */
export const HELPER_NAMES: readonly string[] = Object.keys(helpers);
