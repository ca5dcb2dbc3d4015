// Decimal keeps safe-integer mantissas as numbers and larger ones as bigints. These tests pin the
// number path to exact bigint arithmetic done here, independently, on operands chosen around the
// boundary (2^53) and across scales where aligning overflows, and pin the hand-written parse
// scanner to the grammar's regular expression.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../engine/decimal.ts';

/** An exact value m / 10^s, as the reference arithmetic sees it. */
interface Exact {
  readonly m: bigint;
  readonly s: number;
}

const TWO_53 = 2n ** 53n;

/** Canonical text of m / 10^s (what Decimal#toString promises). */
function text({ m, s }: Exact): string {
  while (s > 0 && m % 10n === 0n) {
    m /= 10n;
    s--;
  }
  const neg = m < 0n;
  const digits = (neg ? -m : m).toString().padStart(s + 1, '0');
  const cut = digits.length - s;
  return `${neg ? '-' : ''}${digits.slice(0, cut)}${s > 0 ? `.${digits.slice(cut)}` : ''}`;
}

const dec = (x: Exact): Decimal => Decimal.parse(`${x.m}e-${x.s}`)!;
const align = (a: Exact, b: Exact): [bigint, bigint, number] => {
  const s = Math.max(a.s, b.s);
  return [a.m * 10n ** BigInt(s - a.s), b.m * 10n ** BigInt(s - b.s), s];
};

/** Mantissas on both sides of 2^53 (and of 2^53 / 10^k, where aligning scales overflows). */
const mantissa = fc.oneof(
  fc.bigInt({ min: -1000n, max: 1000n }),
  fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
  fc.tuple(fc.integer({ min: 0, max: 15 }), fc.bigInt({ min: -50n, max: 50n }), fc.boolean())
    .map(([k, d, neg]) => (TWO_53 / 10n ** BigInt(k) + d) * (neg ? -1n : 1n)),
  fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }),
);
const exact: fc.Arbitrary<Exact> = fc.record({ m: mantissa, s: fc.integer({ min: 0, max: 24 }) });

describe('Decimal safe-integer fast path agrees with exact bigint arithmetic', () => {
  it('add and sub', () => {
    fc.assert(fc.property(exact, exact, (a, b) => {
      const [x, y, s] = align(a, b);
      expect(dec(a).add(dec(b)).toString()).toBe(text({ m: x + y, s }));
      expect(dec(a).sub(dec(b)).toString()).toBe(text({ m: x - y, s }));
    }), { numRuns: 2000 });
  });

  it('mul', () => {
    fc.assert(fc.property(exact, exact, (a, b) => {
      expect(dec(a).mul(dec(b)).toString()).toBe(text({ m: a.m * b.m, s: a.s + b.s }));
    }), { numRuns: 2000 });
  });

  it('cmp, sign and isZero', () => {
    fc.assert(fc.property(exact, exact, (a, b) => {
      const [x, y] = align(a, b);
      expect(dec(a).cmp(dec(b))).toBe(x < y ? -1 : x > y ? 1 : 0);
      expect(dec(a).sign()).toBe(a.m < 0n ? -1 : a.m > 0n ? 1 : 0);
      expect(dec(a).isZero()).toBe(a.m === 0n);
    }), { numRuns: 2000 });
  });

  it('neg and abs', () => {
    fc.assert(fc.property(exact, (a) => {
      expect(dec(a).neg().toString()).toBe(text({ m: -a.m, s: a.s }));
      expect(dec(a).abs().toString()).toBe(text({ m: a.m < 0n ? -a.m : a.m, s: a.s }));
    }));
  });

  it('div: a quotient that terminates comes back exactly', () => {
    const short = fc.record({ m: fc.bigInt({ min: -(10n ** 7n), max: 10n ** 7n }), s: fc.integer({ min: 0, max: 6 }) });
    const nonZero = short.filter((x) => x.m !== 0n);
    fc.assert(fc.property(short, nonZero, (q, y) => {
      const x = dec(q).mul(dec(y));
      expect(x.div(dec(y)).toString()).toBe(text(q));
    }), { numRuns: 2000 });
  });

  it('div: otherwise 34 significant digits, rounded half-even (checked with bigints here)', () => {
    fc.assert(fc.property(exact, exact.filter((y) => y.m !== 0n), (a, b) => {
      expect(dec(a).div(dec(b)).toString()).toBe(referenceDiv(a, b));
    }), { numRuns: 2000 });
  });

  it('mixes number and bigint mantissas across 2^53 both ways', () => {
    const big = Decimal.fromBigInt(TWO_53 + 1n);
    const small = Decimal.fromNumber(Number.MAX_SAFE_INTEGER);
    expect(small.add(Decimal.ONE).toString()).toBe(String(TWO_53));
    expect(big.sub(Decimal.ONE).toString()).toBe(String(TWO_53));
    expect(big.sub(big).isZero()).toBe(true);
    expect(big.sub(Decimal.fromBigInt(TWO_53)).toString()).toBe('1');
    expect(small.mul(Decimal.fromNumber(10)).toString()).toBe(`${Number.MAX_SAFE_INTEGER}0`);
    expect(small.cmp(big)).toBe(-1);
    expect(big.neg().cmp(small.neg())).toBe(-1);
    expect(Decimal.parse('0.000000000000000000001')!.cmp(Decimal.parse('1000000000000000')!)).toBe(-1);
    expect(Decimal.parse('-1e-30')!.cmp(Decimal.parse('-1')!)).toBe(1);
    expect(Decimal.fromNumber(-0).toString()).toBe('0');
    expect(Decimal.fromNumber(-3).mul(Decimal.ZERO).sign()).toBe(0);
  });
});

// The grammar as the regular expression it always was (see Decimal.parse).
const GRAMMAR = /^([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?\d+))?$/;

/** What parse must return for `t`: the canonical text, or undefined. */
function referenceParse(t: string): string | undefined {
  const m = GRAMMAR.exec(t.trim());
  if (!m) return undefined;
  const [, sign, int, fracA, fracB, expText] = m;
  const frac = fracB ?? fracA ?? '';
  const exp = expText === undefined ? 0 : Number(expText);
  if (!(Math.abs(exp) <= 1000)) return undefined;
  const mant = BigInt((int ?? '') + frac || '0') * (sign === '-' ? -1n : 1n);
  const s = frac.length - exp;
  return text(s < 0 ? { m: mant * 10n ** BigInt(-s), s: 0 } : { m: mant, s });
}

describe('Decimal.parse scanner accepts exactly the grammar', () => {
  const chars = fc.constantFrom(...'0123456789012345678901234567890.+-eE x'.split(''));
  it('on random strings of digits, signs, points and exponents', () => {
    fc.assert(fc.property(fc.array(chars, { maxLength: 24 }).map((cs) => cs.join('')), (t) => {
      expect(Decimal.parse(t)?.toString()).toBe(referenceParse(t));
    }), { numRuns: 5000 });
  });
  it.each([
    '9007199254740991', '9007199254740992', '-9007199254740993', '123456789012345678901234567890.5',
    '0.00000000000000000000000001', '1e1000', '1e-1000', '1e1001', '0e1001', '00000000000000000000001',
    '1.e5', '.5e-3', '+.5', '5e0000000000000000000001', ' 12.50 ', '1e+5', '1e-', '+', '.',
  ])('%j', (t) => {
    expect(Decimal.parse(t)?.toString()).toBe(referenceParse(t));
  });
});

/** Division to 34 significant digits, half-even, by bigint long division (independent of Decimal). */
function referenceDiv(a: Exact, b: Exact): string {
  if (a.m === 0n) return '0';
  const negative = (a.m < 0n) !== (b.m < 0n);
  const n = a.m < 0n ? -a.m : a.m;
  const d = b.m < 0n ? -b.m : b.m;
  // a / b = (n / d) · 10^(b.s - a.s). Long division: q / 10^shift is n / d cut after `shift`
  // fractional digits, extended until q has 35 significant digits (one more than is kept).
  let q = n / d;
  let r = n % d;
  let shift = 0;
  while (q.toString().length < 35) {
    q = q * 10n + (r * 10n) / d;
    r = (r * 10n) % d;
    shift++;
  }
  // Keep 34 digits; round half-even on the dropped ones, the remainder r acting as a sticky bit.
  const drop = q.toString().length - 34;
  const unit = 10n ** BigInt(drop);
  let kept = q / unit;
  const twice = (q % unit) * 2n;
  if (twice > unit || (twice === unit && (r !== 0n || kept % 2n === 1n))) kept += 1n;
  const m = negative ? -kept : kept;
  const s = shift - drop + a.s - b.s;
  return s >= 0 ? text({ m, s }) : text({ m: m * 10n ** BigInt(-s), s: 0 });
}
