// Calendar arithmetic (dsl/calendar.ts), the generated code's date helpers (codegen/runtime.ts)
// and exact rounding (Decimal.round/floor/ceil, runtime roundTo), each against an independent
// oracle: JavaScript's Date in UTC (here only, never in the engine) and bigint arithmetic.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, addYears, dayNumber, daysBetween, daysInMonth, formatDate, isRealDate, parseDate, type CivilDate } from '../dsl/calendar.ts';
import { addMonths as rtAddMonths, addYears as rtAddYears, daysBetween as rtDaysBetween, OVERFLOW, REG, roundTo } from '../engine/codegen/runtime.ts';
import { Decimal } from '../engine/decimal.ts';

const DAY_MS = 86_400_000;

/** Milliseconds of a date's midnight, UTC; setUTCFullYear, because Date.UTC maps years 0–99 to 1900–1999. */
function utc(c: CivilDate): number {
  const d = new Date(0);
  d.setUTCFullYear(c.y, c.m - 1, c.d);
  d.setUTCHours(0, 0, 0, 0);
  return d.getTime();
}

/** The last day of a month by the oracle: day 0 of the next month. */
function oracleLastDay(y: number, m: number): number {
  const d = new Date(0);
  d.setUTCFullYear(y, m, 0);
  return d.getUTCDate();
}

const dateArb = fc.record({ y: fc.integer({ min: 0, max: 9999 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
  .map((c) => ({ ...c, d: Math.min(c.d, oracleLastDay(c.y, c.m)) }));

describe('calendar', () => {
  it('knows real dates', () => {
    for (const t of ['2019-01-01', '2020-02-29', '2000-02-29', '0000-02-29', '9999-12-31', '0001-01-01']) expect(isRealDate(t), t).toBe(true);
    for (const t of ['2019-02-29', '1900-02-29', '2019-02-30', '2019-04-31', '2019-13-01', '2019-00-10', '2019-01-00', '2019-1-01', '19-01-01', ' 2019-01-01']) {
      expect(isRealDate(t), t).toBe(false);
    }
  });

  it('has the days of each month the oracle has', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), (y, m) => daysInMonth(y, m) === oracleLastDay(y, m)));
  });

  it('counts days between dates as the oracle does', () => {
    expect(daysBetween(parseDate('2019-01-01')!, parseDate('2020-01-01')!)).toBe(365);
    expect(daysBetween(parseDate('2020-01-01')!, parseDate('2021-01-01')!)).toBe(366);
    expect(daysBetween(parseDate('2017-08-28')!, parseDate('2017-08-01')!)).toBe(-27);
    expect(dayNumber(parseDate('0000-03-01')!)).toBe(0);
    fc.assert(fc.property(dateArb, dateArb, (a, b) => daysBetween(a, b) === (utc(b) - utc(a)) / DAY_MS));
  });

  it('adds months with end-of-month clamping', () => {
    const plus = (t: string, n: number) => {
      const r = addMonths(parseDate(t)!, n);
      return r && formatDate(r);
    };
    expect(plus('2019-01-31', 1)).toBe('2019-02-28');
    expect(plus('2020-01-31', 1)).toBe('2020-02-29');
    expect(plus('2019-03-31', -1)).toBe('2019-02-28');
    expect(plus('2019-08-31', 1)).toBe('2019-09-30');
    expect(plus('2019-12-15', 1)).toBe('2020-01-15');
    expect(plus('2019-01-15', -13)).toBe('2017-12-15');
    expect(plus('9999-12-31', 1)).toBeUndefined();
    expect(plus('0000-01-01', -1)).toBeUndefined();
    expect(plus('2019-01-01', 2 ** 60)).toBeUndefined();
    expect(formatDate(addYears(parseDate('2020-02-29')!, 1)!)).toBe('2021-02-28');
    expect(formatDate(addYears(parseDate('2020-02-29')!, 4)!)).toBe('2024-02-29');
    expect(addYears(parseDate('9000-01-01')!, 1000)).toBeUndefined();
    // Oracle: step month by month, then clamp with the oracle's last day.
    fc.assert(fc.property(dateArb, fc.integer({ min: -2400, max: 2400 }), (c, n) => {
      let y = c.y;
      let m = c.m;
      for (let i = 0; i < Math.abs(n); i++) {
        m += Math.sign(n);
        if (m === 13) [y, m] = [y + 1, 1];
        if (m === 0) [y, m] = [y - 1, 12];
      }
      const r = addMonths(c, n);
      if (y < 0 || y > 9999) return r === undefined;
      return r !== undefined && r.y === y && r.m === m && r.d === Math.min(c.d, oracleLastDay(y, m));
    }));
  });

  it('is the same in the generated code, which overflows (to the interpreter) where the interpreter rejects', () => {
    const num = (c: CivilDate) => c.y * 10000 + c.m * 100 + c.d;
    fc.assert(fc.property(dateArb, dateArb, fc.integer({ min: -130_000, max: 130_000 }), (a, b, n) => {
      expect(rtDaysBetween(num(a), num(b))).toBe(daysBetween(a, b));
      const r = addMonths(a, n);
      if (r) expect(rtAddMonths(num(a), n)).toBe(num(r));
      else expect(() => rtAddMonths(num(a), n)).toThrow();
      const ry = addYears(a, Math.trunc(n / 12));
      if (ry) expect(rtAddYears(num(a), Math.trunc(n / 12))).toBe(num(ry));
    }));
    let thrown: unknown;
    try {
      rtAddMonths(99991231, 1);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe(OVERFLOW);
  });
});

/** Oracle rounding on bigints: floor division, then the mode's adjustment. */
function oracle(m: bigint, s: number, places: number, mode: 'round' | 'floor' | 'ceil'): string {
  if (s <= places) return Decimal.fromBigInt(m).div(Decimal.fromBigInt(10n ** BigInt(s))).toString();
  const p = 10n ** BigInt(s - places);
  let q = m / p; // truncated towards zero
  const r = m - q * p;
  if (r < 0n) q -= 1n; // now floor
  const rem = m - q * p; // 0 ≤ rem < p
  if (mode === 'ceil' && rem > 0n) q += 1n;
  if (mode === 'round') {
    // half up, ties away from zero
    const twice = rem * 2n;
    if (m >= 0n ? twice >= p : twice > p) q += 1n;
  }
  const neg = q < 0n;
  const digits = (neg ? -q : q).toString().padStart(places + 1, '0');
  const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return Decimal.parse(`${neg ? '-' : ''}${text}`)!.toString();
}

describe('rounding with places', () => {
  it('rounds half up, floors and ceils exactly', () => {
    const d = (t: string) => Decimal.parse(t)!;
    expect(d('2.345').round(2).toString()).toBe('2.35');
    expect(d('-2.345').round(2).toString()).toBe('-2.35');
    expect(d('2.349').floor(2).toString()).toBe('2.34');
    expect(d('-2.341').floor(2).toString()).toBe('-2.35');
    expect(d('2.341').ceil(2).toString()).toBe('2.35');
    expect(d('-2.349').ceil(2).toString()).toBe('-2.34');
    expect(d('89.5').floor(0).toString()).toBe('89');
    expect(d('-0.5').ceil(0).toString()).toBe('0');
    expect(d('7').floor(3).toString()).toBe('7');
  });

  it('agrees with a bigint oracle, in the interpreter and in the generated code', () => {
    const modes = ['round', 'floor', 'ceil'] as const;
    fc.assert(fc.property(
      fc.bigInt({ min: -(2n ** 52n), max: 2n ** 52n }), fc.integer({ min: 0, max: 22 }), fc.integer({ min: 0, max: 15 }), fc.constantFrom(...modes),
      (m, s, places, mode) => {
        const x = Decimal.fromBigInt(m).div(Decimal.fromBigInt(10n ** BigInt(s)));
        const want = oracle(m, s, places, mode);
        expect(x[mode](places).toString()).toBe(want);
        try {
          const r = roundTo(Number(m), s, places, modes.indexOf(mode));
          expect(Decimal.fromSafe(r, REG[0]!).toString()).toBe(want);
        } catch (e) {
          // Where doubles would not be exact the generated code hands over; never a wrong value.
          expect(e).toBe(OVERFLOW);
        }
      },
    ), { numRuns: 2000 });
  });
});
