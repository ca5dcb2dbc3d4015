// A report's numbers written straight from a mantissa and a scale (engine/output/json-writer.ts
// writeRoundedAt, which the generated scope writer calls for every number that is not whole),
// against an oracle on BigInt: m / 10^s rounded half away from zero to two places, printed as
// JSON prints it — or nothing at all when the fast digits cannot hold it (then the writer's
// caller takes the exact path, so "refused" is a right answer there, and only there).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeRoundedAt } from '../engine/output/json-writer.ts';

/** The oracle: the rounded value's JSON text, or undefined when it is 10^13 or more (cents ≥ 10^15). */
function expected(m: bigint, s: number): string | undefined {
  const negative = m < 0n;
  const a = negative ? -m : m;
  let cents: bigint;
  if (s <= 2) cents = a * 10n ** BigInt(2 - s);
  else {
    const d = 10n ** BigInt(s - 2);
    cents = a / d;
    if ((a % d) * 2n >= d) cents += 1n;
  }
  if (cents >= 10n ** 15n) return undefined;
  if (cents === 0n) return '0';
  const whole = cents / 100n;
  const frac = cents % 100n;
  const fracText = frac === 0n ? '' : `.${frac.toString().padStart(2, '0').replace(/0$/, '')}`;
  return `${negative ? '-' : ''}${whole}${fracText}`;
}

function written(m: number, s: number): string | undefined {
  const b = new Uint8Array(64).fill(0x7e);
  const end = writeRoundedAt(b, 3, m, s);
  if (end < 0) {
    expect(b.every((x) => x === 0x7e)).toBe(true); // nothing written
    return undefined;
  }
  expect(b[2]).toBe(0x7e);
  expect(b[end]).toBe(0x7e);
  return new TextDecoder().decode(b.subarray(3, end));
}

describe('writeRoundedAt', () => {
  it('rounds half away from zero to two places, and prints as JSON does', () => {
    const cases: [number, number, string][] = [
      [0, 0, '0'], [5, 0, '5'], [-5, 0, '-5'], [12345, 2, '123.45'], [12340, 2, '123.4'], [12300, 2, '123'],
      [123456, 3, '123.46'], [123455, 3, '123.46'], [123454, 3, '123.45'], [-123455, 3, '-123.46'],
      [-4, 3, '0'], [-5, 3, '-0.01'], [5, 3, '0.01'], [4999, 5, '0.05'], [4999, 6, '0'], [5000, 6, '0.01'],
      [7, 1, '0.7'], [75, 1, '7.5'], [1, 20, '0'],
    ];
    for (const [m, s, text] of cases) expect([m, s, written(m, s)]).toEqual([m, s, text]);
  });

  it('agrees with exact arithmetic on every mantissa below 2^50 and scale up to 20', () => {
    const mantissa = fc.oneof(
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
      fc.bigInt({ min: -(2n ** 50n), max: 2n ** 50n }).map(Number),
      // Next to a half point at scale 3 … 9: …5 and its neighbours.
      fc.tuple(fc.integer({ min: 0, max: 10 ** 6 }), fc.integer({ min: 3, max: 9 }), fc.integer({ min: -1, max: 1 }))
        .map(([q, k, d]) => q * 10 ** (k - 2) + 5 * 10 ** (k - 3) + d),
    );
    fc.assert(fc.property(mantissa, fc.integer({ min: 0, max: 20 }), (m, s) => {
      const got = written(m, s);
      // Refused only where the doubles cannot be sure: a divisor beyond 10^15 with a mantissa of
      // 16 digits, or a value too large to print from its cents.
      if (got === undefined && s - 2 >= 16 && Math.abs(m) >= 10 ** 15) return;
      expect(got).toBe(expected(BigInt(m), s));
    }), { numRuns: 20000 });
  });

  it('refuses, writing nothing, what the fast digits cannot hold', () => {
    expect(written(10 ** 15, 2)).toBeUndefined(); // 10^13: cents of 16 digits
    expect(written(2 ** 51, 4)).toBeUndefined(); // beyond the exact double quotient
    expect(written(999999999999999, 2)).toBe('9999999999999.99');
  });
});
