// Everything kept per teacher, in typed arrays indexed by a teacher number: the id's bytes, the
// teachers-file facts, the row counts, and the sums of every cycle year (see rules.ts's slots).
// Memory is proportional to the number of teachers, whatever the number of rows.

import { bigAdd, MAX_SAFE, SCALE, type Big, type Exact } from './exact.ts';
import { isLeap } from './fields.ts';
import { SLOTS } from './rules.ts';
import { sameBytes } from './text.ts';

function growU8(a: Uint8Array, need: number): Uint8Array {
  if (need <= a.length) return a;
  const next = new Uint8Array(Math.max(a.length * 2, need));
  next.set(a);
  return next;
}

function grown<T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(a: T, n: number, make: (n: number) => T, fill = 0): T {
  const next = make(n);
  next.set(a);
  if (fill !== 0) next.fill(fill, a.length);
  return next;
}

/**
 * The first anniversary of a hire date (yyyymmdd), as the rule language's add_years(d, 1) makes
 * it: 29 February's is 28 February. A hire in 9999 has none (the rule language's dates end at
 * 9999-12-31, and an induction record that needs it is rejected, records.ts): the hire date
 * itself stands in, an empty range.
 */
export function firstAnniversary(hired: number): number {
  const y = Math.floor(hired / 10000);
  if (y === 9999) return hired;
  const md = hired % 10000;
  return (y + 1) * 10000 + (md === 229 && !isLeap(y + 1) ? 228 : md);
}

/** The teachers seen so far (in the teachers file or in records), with their state and sums. */
export class TeacherTable {
  count = 0;
  private cap = 0;
  /** Bytes of ids and of teachers-file texts. */
  arena: Uint8Array = new Uint8Array(1 << 16);
  private alen = 0;
  idStart = new Int32Array(0);
  idLen = new Int32Array(0);
  private hashOf = new Int32Array(0);
  private slots = new Int32Array(1 << 12);
  /** 1 when listed in the teachers file. */
  listed = new Uint8Array(0);
  /** The line of the teacher's row in the teachers file when it was rejected, else 0. */
  rejectedOn = new Int32Array(0);
  /** hired_on as yyyymmdd, 0 when not given; and its first anniversary. */
  hired = new Int32Array(0);
  anniversary = new Int32Array(0);
  /** school_id and county_id spans in the arena (start -1: missing). */
  schoolStart = new Int32Array(0);
  schoolLen = new Int32Array(0);
  countyStart = new Int32Array(0);
  countyLen = new Int32Array(0);
  /** Rows evaluated (disregarded ones included) and rows disregarded. */
  evaluated = new Float64Array(0);
  disregarded = new Float64Array(0);
  /** SLOTS sums per teacher: integers counting 10^-SCALE, or NaN when the exact value is in `bigs`. */
  sums = new Float64Array(0);
  /** Sums that left the fast representation, by index into `sums`. */
  readonly bigs = new Map<number, Big>();
  /** The teacher of the previous lookup: exports group rows by teacher. */
  private last = -1;

  constructor(expected = 1024) {
    this.reserve(Math.max(expected, 1024));
    // Ids and two short texts per teacher: about 32 bytes.
    this.arena = new Uint8Array(Math.max(1 << 16, 32 * expected));
  }

  private reserve(cap: number): void {
    if (cap <= this.cap) return;
    this.idStart = grown(this.idStart, cap, (n) => new Int32Array(n));
    this.idLen = grown(this.idLen, cap, (n) => new Int32Array(n));
    this.hashOf = grown(this.hashOf, cap, (n) => new Int32Array(n));
    this.listed = grown(this.listed, cap, (n) => new Uint8Array(n));
    this.rejectedOn = grown(this.rejectedOn, cap, (n) => new Int32Array(n));
    this.hired = grown(this.hired, cap, (n) => new Int32Array(n));
    this.anniversary = grown(this.anniversary, cap, (n) => new Int32Array(n));
    this.schoolStart = grown(this.schoolStart, cap, (n) => new Int32Array(n), -1);
    this.schoolLen = grown(this.schoolLen, cap, (n) => new Int32Array(n));
    this.countyStart = grown(this.countyStart, cap, (n) => new Int32Array(n), -1);
    this.countyLen = grown(this.countyLen, cap, (n) => new Int32Array(n));
    this.evaluated = grown(this.evaluated, cap, (n) => new Float64Array(n));
    this.disregarded = grown(this.disregarded, cap, (n) => new Float64Array(n));
    this.sums = grown(this.sums, cap * SLOTS, (n) => new Float64Array(n));
    this.cap = cap;
  }

  /** Copies a span into the arena; returns its start. */
  store(b: Uint8Array, s: number, e: number): number {
    const at = this.alen;
    if (at + (e - s) > this.arena.length) this.arena = growU8(this.arena, at + (e - s));
    const a = this.arena;
    for (let i = s; i < e; i++) a[at + i - s] = b[i]!;
    this.alen = at + (e - s);
    return at;
  }

  /** The teacher whose id is `b[s, e)` (trimmed, non-empty), created if new. */
  find(b: Uint8Array, s: number, e: number): number {
    const last = this.last;
    if (last >= 0 && sameBytes(this.arena, this.idStart[last]!, this.idStart[last]! + this.idLen[last]!, b, s, e)) return last;
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    const mask = this.slots.length - 1;
    let i = h & mask;
    for (;;) {
      const v = this.slots[i]!;
      if (v === 0) break;
      const t = v - 1;
      if (this.hashOf[t] === h && sameBytes(this.arena, this.idStart[t]!, this.idStart[t]! + this.idLen[t]!, b, s, e)) {
        this.last = t;
        return t;
      }
      i = (i + 1) & mask;
    }
    const t = this.count++;
    if (t === this.cap) this.reserve(this.cap * 2);
    this.idStart[t] = this.store(b, s, e);
    this.idLen[t] = e - s;
    this.hashOf[t] = h;
    this.slots[i] = t + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
    this.last = t;
    return t;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let t = 0; t < this.count; t++) {
      let i = this.hashOf[t]! & mask;
      while (this.slots[i] !== 0) i = (i + 1) & mask;
      this.slots[i] = t + 1;
    }
  }

  /** Records a teacher's hire date (yyyymmdd, or 0). */
  setHired(t: number, hired: number): void {
    this.hired[t] = hired;
    this.anniversary[t] = hired > 0 ? firstAnniversary(hired) : 0;
  }

  /** Adds `x` (a safe integer counting 10^-SCALE) to slot `slot` of teacher `t`. */
  add(t: number, slot: number, x: number): void {
    const i = t * SLOTS + slot;
    const v = this.sums[i]! + x;
    // Also false for NaN: a sum already held as a bigint.
    if (v <= MAX_SAFE) this.sums[i] = v;
    else this.addBig(t, slot, { m: BigInt(x), s: SCALE });
  }

  /** Adds an exact value to a slot, moving the slot to the bigint side. */
  addBig(t: number, slot: number, x: Big): void {
    const i = t * SLOTS + slot;
    const v = this.sums[i]!;
    const cur: Big = Number.isNaN(v) ? this.bigs.get(i)! : { m: BigInt(v), s: SCALE };
    this.sums[i] = NaN;
    this.bigs.set(i, bigAdd(cur, x));
  }

  /** A slot's value. */
  value(t: number, slot: number): Exact {
    const i = t * SLOTS + slot;
    const v = this.sums[i]!;
    return Number.isNaN(v) ? this.bigs.get(i)! : v;
  }
}
