// Unit tests of the baseline's own data structures and arithmetic against plain references:
// the record-id set (front-coded run plus hash set) against a Map, teacher lookup against a Map,
// exact decimals against bigint arithmetic, UTF-16 ordering against JS string comparison, and
// trimming against String.prototype.trim. The oracle test covers them end to end; these hunt
// the corners (long ids, restarts, ids out of order) directly.

import { describe, expect, it } from 'vitest';
import { bigCents, div34, shareCents, SCALE, type Big } from '../bench/baseline/exact.ts';
import { IdSet } from '../bench/baseline/ids.ts';
import { ByteOut } from '../bench/baseline/out.ts';
import { TeacherTable } from '../bench/baseline/teachers.ts';
import { compareUtf16, trim, trimEnd, trimStart } from '../bench/baseline/text.ts';
import { rng } from './support/baseline-inputs.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Checks `ids` against a Map over the same sequence of (id, line). */
function expectLikeMap(ids: readonly string[]): void {
  const set = new IdSet();
  const ref = new Map<string, number>();
  ids.forEach((id, i) => {
    const line = i + 2;
    const b = enc.encode(`,,${id},`); // not at offset 0, to test spans
    const got = set.check(b, 2, b.length - 1, line);
    const want = ref.get(id) ?? 0;
    if (want === 0) ref.set(id, line);
    if (got !== want) expect.fail(`id #${i} ${JSON.stringify(id)}: got ${got}, want ${want}`);
  });
}

describe('IdSet', () => {
  it('sequential ids with duplicates of earlier ones', () => {
    const r = rng(1);
    const ids: string[] = [];
    for (let i = 1; i <= 50000; i++) {
      ids.push(`R${String(i).padStart(7, '0')}`);
      if (r() < 0.02) ids.push(ids[Math.floor(r() * ids.length)]!);
    }
    expectLikeMap(ids);
  });

  it('unpadded numbers (shortlex order), lines far apart, long and non-ASCII ids', () => {
    const r = rng(2);
    const ids: string[] = [];
    for (let i = 1; i <= 20000; i++) {
      ids.push(r() < 0.01 ? `记录-${'x'.repeat(Math.floor(r() * 300))}-${i}` : `R${i}`);
      if (r() < 0.05) ids.push(ids[Math.floor(r() * ids.length)]!);
      if (r() < 0.01) for (let k = 0; k < 200; k++) ids.push(`R${i}-${k}`); // long runs: big line deltas later
    }
    expectLikeMap(ids);
  });

  it('random order (everything in the hash set), and a mix', () => {
    const r = rng(3);
    const ids: string[] = [];
    for (let i = 0; i < 30000; i++) ids.push(Math.floor(r() * 20000).toString(36));
    expectLikeMap(ids);
    const mixed: string[] = [];
    for (let i = 0; i < 30000; i++) mixed.push(r() < 0.7 ? `A${String(i).padStart(6, '0')}` : `A${String(Math.floor(r() * 40000)).padStart(6, '0')}`);
    expectLikeMap(mixed);
  });

  it('the empty id and ids that are prefixes of others', () => {
    expectLikeMap(['a', 'ab', 'a', 'abc', 'ab', 'b', 'a', 'abcd', 'abc', '', '', 'x'.repeat(1000), 'x'.repeat(999), 'x'.repeat(1000)]);
  });
});

describe('TeacherTable', () => {
  it('finds every id again, whatever the order, past rehashes and growth', () => {
    const r = rng(4);
    const t = new TeacherTable(16);
    const ref = new Map<string, number>();
    for (let i = 0; i < 30000; i++) {
      const id = r() < 0.5 ? `T${Math.floor(r() * 5000)}` : `教师${Math.floor(r() * 5000)}`;
      const b = enc.encode(id);
      const got = t.find(b, 0, b.length);
      const want = ref.get(id) ?? ref.size;
      if (!ref.has(id)) ref.set(id, want);
      if (got !== want) expect.fail(`${id}: got ${got}, want ${want}`);
    }
    for (const [id, n] of ref) expect(dec.decode(t.arena.subarray(t.idStart[n]!, t.idStart[n]! + t.idLen[n]!))).toBe(id);
  });
});

describe('text', () => {
  it('compareUtf16 orders UTF-8 as JS orders strings', () => {
    const alphabet = ['a', 'Z', '0', 'é', '中', '\uE000', '\uFFFF', '\u{1F600}', '\u{10000}', '\u{10FFFF}', '\uD7FF', ' '];
    const r = rng(5);
    for (let k = 0; k < 5000; k++) {
      const s = (): string => Array.from({ length: Math.floor(r() * 4) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
      const a = s();
      const b = s();
      const ea = enc.encode(a);
      const eb = enc.encode(b);
      const want = a < b ? -1 : a > b ? 1 : 0;
      expect(Math.sign(compareUtf16(ea, 0, ea.length, eb, 0, eb.length)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(want);
    }
  });

  it('trim removes what String.prototype.trim removes', () => {
    const spaces = [' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085', '\u180e', '\u200b'];
    const r = rng(6);
    for (let k = 0; k < 3000; k++) {
      const pick = (): string => (r() < 0.7 ? spaces[Math.floor(r() * spaces.length)]! : ['a', 'é', '中', '\u{1F600}'][Math.floor(r() * 4)]!);
      const text = Array.from({ length: Math.floor(r() * 6) }, pick).join('');
      const b = enc.encode(text);
      trim(b, 0, b.length);
      expect(dec.decode(b.subarray(trimStart, trimEnd)), JSON.stringify(text)).toBe(text.trim());
    }
  });

  it('JSON escaping of bytes is JSON.stringify', () => {
    const r = rng(7);
    for (let k = 0; k < 2000; k++) {
      const text = Array.from({ length: Math.floor(r() * 8) }, () => String.fromCharCode(Math.floor(r() * 0x90))).join('') + '"\\\u2028中';
      const w = new ByteOut(4);
      w.jsonText(text);
      expect(dec.decode(w.bytesView())).toBe(JSON.stringify(text));
    }
  });
});

describe('exact arithmetic', () => {
  /** Round half up (away from zero) of m / 10^s to cents, by bigint arithmetic written plainly. */
  const refCents = (b: Big): bigint => {
    const scaled = b.m * 100n;
    const d = 10n ** BigInt(b.s);
    const q = scaled / d;
    const r = scaled % d;
    return 2n * (r < 0n ? -r : r) >= d ? q + (b.m < 0n ? -1n : 1n) : q;
  };

  it('cents round half up', () => {
    const r = rng(8);
    for (let k = 0; k < 5000; k++) {
      const b: Big = { m: BigInt(Math.floor(r() * 1e12)) * (r() < 0.5 ? 1n : 10n ** BigInt(Math.floor(r() * 20))), s: Math.floor(r() * 30) };
      expect(bigCents(b)).toBe(refCents(b));
    }
  });

  it('the elective share: fast path and 34-digit path agree with the engine rule', () => {
    const r = rng(9);
    for (let k = 0; k < 20000; k++) {
      const c = 1 + Math.floor(r() * 10 ** (1 + Math.floor(r() * 13)));
      const e = Math.floor(r() * (c + 1));
      const fast = shareCents(e, c);
      const slow = bigCents(div34({ m: BigInt(e), s: SCALE }, { m: BigInt(c), s: SCALE }));
      expect(BigInt(fast), `${e}/${c}`).toBe(slow);
    }
    // Half-cent ties: 1/200, 3/200, … exactly.
    for (let j = 1; j < 200; j += 2) expect(shareCents(j * 5, 1000)).toBe(Math.ceil(j / 2));
  });
});
