// The compact key sets against a Map of strings: the same answers for any sequence of keys —
// in order (as exports number their records), out of order, repeated, of any length and bytes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteKeyTable } from '../engine/key-table.ts';
import { RecordKeySet } from '../engine/record-keys.ts';

const utf8 = new TextEncoder();

/** Runs `keys` through a set and a Map model; both must say the same for every key. */
function agree(keys: readonly string[], set: { getOrAdd(b: Uint8Array, s: number, e: number, v: number): number }, lines?: readonly number[]): void {
  const model = new Map<string, number>();
  keys.forEach((k, i) => {
    // Lines as given (rows between them may be rejected or blank), else one key a line.
    const line = (lines ? lines[i]! : i + 1) - 1;
    // The key inside a larger buffer, as rows give it.
    const bytes = utf8.encode(`,,${k},`);
    const start = 2;
    const end = bytes.length - 1;
    const expected = model.has(k) ? model.get(k)! : -1;
    if (!model.has(k)) model.set(k, line + 1);
    expect(set.getOrAdd(bytes, start, end, line + 1), `key ${JSON.stringify(k)} at ${line + 1}`).toBe(expected);
  });
}

const key = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer({ min: 0, max: 400 }).map((n) => `R${n}`),
  fc.integer({ min: 0, max: 400 }).map((n) => `R${String(n).padStart(7, '0')}`),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.constant('x'.repeat(300)),
);

describe('RecordKeySet', () => {
  it('answers as a Map for any sequence of keys (property)', () => {
    fc.assert(fc.property(fc.array(key, { maxLength: 300 }), (keys) => agree(keys, new RecordKeySet())), { numRuns: 300 });
  });

  it('answers as a Map for numbered keys in order with repeats and stragglers (property)', () => {
    const numbered = fc.array(fc.tuple(fc.nat(30), fc.boolean()), { minLength: 1, maxLength: 2000 }).map((steps) => {
      const keys: string[] = [];
      let n = 0;
      for (const [jump, back] of steps) {
        n += 1 + (jump % 3);
        // Now and then an id from before (a repeat or a row exported late).
        keys.push(back && jump < 4 ? `R${Math.max(0, n - jump * 7)}` : `R${n}`);
      }
      return keys;
    });
    fc.assert(fc.property(numbered, (keys) => agree(keys, new RecordKeySet())), { numRuns: 200 });
  });

  it('answers as a Map for ordered keys on lines far apart, and for long keys (property)', () => {
    // The line differences and the key bytes past one byte's worth of count (127, 128 and more)
    // take the general way of writing an entry; below it, the one-pass way.
    const rows = fc.array(fc.tuple(fc.nat(300), fc.integer({ min: 1, max: 3 }), fc.boolean()), { minLength: 1, maxLength: 600 }).map((steps) => {
      const keys: string[] = [];
      const lines: number[] = [];
      let n = 0;
      let line = 0;
      for (const [gap, step, long] of steps) {
        n += step;
        line += 1 + (gap > 200 ? gap * 3 : gap % 4);
        // A long key: a shared prefix of 140 bytes, then the number (the suffix is short); or a
        // number padded to 150 digits (a long suffix when many digits change at once).
        keys.push(long ? `${'p'.repeat(140)}${String(n).padStart(6, '0')}` : `Q${String(n).padStart(gap % 2 ? 150 : 5, '0')}`);
        lines.push(line);
      }
      // Then every key again, later: each is found, with its first line.
      for (const k of [...keys]) {
        keys.push(k);
        lines.push(++line);
      }
      return { keys, lines };
    });
    fc.assert(fc.property(rows, ({ keys, lines }) => agree(keys, new RecordKeySet(), lines)), { numRuns: 200 });
  });

  it('keeps ordered ids in a few bytes each', () => {
    const set = new RecordKeySet();
    const n = 200_000;
    let notNew = 0;
    for (let i = 1; i <= n; i++) {
      const b = utf8.encode(`R${String(i).padStart(7, '0')}`);
      if (set.getOrAdd(b, 0, b.length, i) !== -1) notNew++;
    }
    expect(notNew).toBe(0);
    // Repeats anywhere in the run are found, with their first line.
    for (const i of [1, 2, 17, 99_999, n]) {
      const b = utf8.encode(`R${String(i).padStart(7, '0')}`);
      expect(set.getOrAdd(b, 0, b.length, n + 1)).toBe(i);
    }
    expect(set.bytes / n).toBeLessThan(8);
  });
});

describe('ByteKeyTable', () => {
  it('answers as a Map for any sequence of keys, through growth (property)', () => {
    fc.assert(fc.property(fc.array(key, { maxLength: 500 }), (keys) => agree(keys, new ByteKeyTable(4))), { numRuns: 300 });
  });
});
