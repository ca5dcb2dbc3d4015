// Field readers check dates by character codes rather than a regex; this pins them to the
// regex-based check they replaced, on near-dates of every shape.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldDecl } from '../dsl/index.ts';
import { fieldReader, isProblem } from '../engine/fields.ts';

/** The previous check: YYYY-MM-DD by regex, then a real day of a real month. */
function referenceIsDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (mo === 2 && leap ? 29 : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!);
}

const field = (type: FieldDecl['type']): FieldDecl => ({ id: 'f', type, values: [], required: false } as unknown as FieldDecl);

describe('date fields', () => {
  const read = fieldReader(field('date'));
  const digit = fc.constantFrom(...'0123456789');
  const anyChar = fc.constantFrom(...'0123456789-/ a٣');
  const nearDate = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
      .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
    fc.array(fc.oneof(digit, anyChar), { minLength: 8, maxLength: 12 }).map((cs) => cs.join('')),
  );
  it('accept exactly the real calendar dates written YYYY-MM-DD', () => {
    fc.assert(fc.property(nearDate, (t) => {
      const v = read(t);
      expect(!isProblem(v) && v !== undefined).toBe(referenceIsDate(t));
      if (!isProblem(v) && v !== undefined) expect(v).toBe(t);
    }), { numRuns: 5000 });
  });
  it.each(['2020-02-29', '2019-02-29', '1900-02-29', '2000-02-29', '2021-04-31', '2021-12-31', '2021-1-01', '２０２１-01-01'])('%s', (t) => {
    expect(!isProblem(read(t))).toBe(referenceIsDate(t));
  });
});

describe('bool fields', () => {
  const read = fieldReader(field('bool'));
  it.each([['true', true], ['false', false], ['TRUE', true], [' False ', false], ['', undefined]])('%j', (t, v) => {
    expect(read(t)).toBe(v);
  });
  it('rejects anything else', () => {
    expect(isProblem(read('yes'))).toBe(true);
  });
});
