import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDecimalText } from '../dsl/decimal-text.ts';

describe('compareDecimalText', () => {
  it('orders decimals by their digits, exactly', () => {
    expect(compareDecimalText('89.5', '90')).toBe(-1);
    expect(compareDecimalText('90', '89.5')).toBe(1);
    expect(compareDecimalText('0.50', '.5')).toBe(0);
    expect(compareDecimalText('-0', '0.0')).toBe(0);
    expect(compareDecimalText('+1', '1.')).toBe(0);
    expect(compareDecimalText('-2', '-10')).toBe(1);
    expect(compareDecimalText('-0.5', '0.1')).toBe(-1);
    // Floats cannot tell these apart: 0.1 + 0.2 is 0.30000000000000004.
    expect(compareDecimalText('0.30000000000000004', '0.3')).toBe(1);
    expect(compareDecimalText('123456789012345.000000000000001', '123456789012345')).toBe(1);
    expect(compareDecimalText('007', '7')).toBe(0);
  });

  it('says nothing of what is not a plain decimal', () => {
    expect(compareDecimalText('1e3', '1')).toBeUndefined();
    expect(compareDecimalText('.', '1')).toBeUndefined();
    expect(compareDecimalText('', '1')).toBeUndefined();
  });

  it('agrees with bigint comparison of scaled integers (property)', () => {
    const dec = fc.tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 8 }));
    const text = ([m, s]: [bigint, number]) => {
      const neg = m < 0n;
      const digits = (neg ? -m : m).toString().padStart(s + 1, '0');
      return `${neg ? '-' : ''}${s === 0 ? digits : `${digits.slice(0, -s)}.${digits.slice(-s)}`}`;
    };
    fc.assert(fc.property(dec, dec, (a, b) => {
      const scale = Math.max(a[1], b[1]);
      const x = a[0] * 10n ** BigInt(scale - a[1]);
      const y = b[0] * 10n ** BigInt(scale - b[1]);
      expect(compareDecimalText(text(a), text(b))).toBe(x < y ? -1 : x > y ? 1 : 0);
    }));
  });
});
