// The record keys seen so far, with the line each was first on: exact duplicate detection in a
// few bytes per row.
//
// Exports number their records, so keys nearly always arrive in increasing order (R0000001,
// R0000002, … or 1, 2, … 10, 11). Those are kept as one sorted *run*, front-coded (each entry
// holds only what differs from the key before it, and its line as a difference), with a full
// entry every 16 to search from: a key above the run's last is new without a search, and costs
// two to four bytes. A key that is not above the last is either in the run (a binary search over
// the full entries, then at most 16 steps) or out of order, and then it is kept in a hash table
// of its own (key-table.ts). Everything in that table is below the run's last key, so a key above
// it is in neither.

import { ByteKeyTable } from './key-table.ts';

/** Entries between two full entries of the run. */
const RESTART = 16; // a power of two: `entries & (RESTART - 1)` is the place in a block

/** Orders two keys shorter first, then byte by byte (the order of the run). */
export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  return shortlex(a, 0, a.length, b, 0, b.length);
}

/** Orders `a[as, as+al)` and `b[bs, bs+bl)` shorter first, then byte by byte. */
function shortlex(a: Uint8Array, as: number, al: number, b: Uint8Array, bs: number, bl: number): number {
  if (al !== bl) return al - bl;
  for (let i = 0; i < al; i++) {
    const d = a[as + i]! - b[bs + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** An exact set of byte keys, each with the line it was first seen on. */
export class RecordKeySet {
  private run = new Uint8Array(1 << 16);
  private runLength = 0;
  /** Offset in `run` of each full entry. */
  private restarts = new Float64Array(1024);
  private restartCount = 0;
  private entries = 0;
  /** The run's last key and its line. */
  private last = new Uint8Array(64);
  private lastLength = 0;
  private lastLine = 0;
  private scratch = new Uint8Array(64);
  private readonly others = new ByteKeyTable();

  /** Number of keys. */
  get size(): number {
    return this.entries + this.others.size;
  }

  /** Bytes held, for the memory accounting of benchmarks. */
  get bytes(): number {
    return this.run.byteLength + this.restarts.byteLength + this.others.bytes;
  }

  /**
   * The line on which `bytes[start, end)` was first seen, or -1 after adding it with `line` when
   * it is new. Lines must not decrease from call to call.
   */
  getOrAdd(bytes: Uint8Array, start: number, end: number, line: number): number {
    // The common case — a key of the last one's length just above it — is all this does; the
    // rest is another method's. Code that runs now and then, met by the optimised reading loop
    // (which takes this in) without type feedback, would send the whole loop back to be compiled.
    const len = end - start;
    const lastLength = this.lastLength;
    if (len === lastLength && this.entries > 0) {
      const last = this.last;
      let shared = 0;
      while (shared < len && bytes[start + shared] === last[shared]) shared++;
      if (shared < len && bytes[start + shared]! > last[shared]!) {
        // Nearly every key: not a full entry, its counts one byte each, room in the run. Written
        // here in one pass (the run and the copy of the last key together); append does the rest.
        const suffix = len - shared;
        const delta = line - this.lastLine;
        let q = this.runLength;
        if ((this.entries & (RESTART - 1)) !== 0 && shared < 0x80 && suffix < 0x80 && delta < 0x80 && q + suffix + 3 <= this.run.length) {
          const r = this.run;
          r[q++] = shared;
          r[q++] = suffix;
          for (let k = shared; k < len; k++) {
            const c = bytes[start + k]!;
            r[q++] = c;
            last[k] = c;
          }
          r[q++] = delta;
          this.runLength = q;
          this.lastLine = line;
          this.entries++;
          return -1;
        }
        this.append(bytes, start, len, shared, line);
        return -1;
      }
    }
    return this.uncommon(bytes, start, end, line);
  }

  /** {@link getOrAdd} of a key that is not of the last one's length just above it. */
  private uncommon(bytes: Uint8Array, start: number, end: number, line: number): number {
    const len = end - start;
    if (this.entries === 0) {
      this.append(bytes, start, len, 0, line);
      return -1;
    }
    const last = this.last;
    const lastLength = this.lastLength;
    const n = len < lastLength ? len : lastLength;
    let shared = 0;
    while (shared < n && bytes[start + shared] === last[shared]) shared++;
    let above: boolean;
    if (len !== lastLength) above = len > lastLength;
    else if (shared === len) return this.lastLine;
    else above = bytes[start + shared]! > last[shared]!;
    if (above) {
      this.append(bytes, start, len, shared, line);
      return -1;
    }
    const found = this.search(bytes, start, len);
    if (found >= 0) return found;
    return this.others.getOrAdd(bytes, start, end, line);
  }

  /**
   * The smallest and the largest key (shorter first, then byte by byte), or undefined when the
   * set is empty: two sets whose ranges do not meet share no key.
   */
  range(): { readonly min: Uint8Array; readonly max: Uint8Array } | undefined {
    if (this.entries === 0) return undefined;
    // The run's first entry is a full one; every out-of-order key is below the run's last.
    const r = this.run;
    let p = skipVarint(r, 0);
    const len = readVarint(r, p);
    p = varintEnd;
    let min: Uint8Array = r.slice(p, p + len);
    for (const k of this.others.keys()) if (compareKeys(k, min) < 0) min = k;
    return { min, max: this.last.slice(0, this.lastLength) };
  }

  // An entry: [shared][suffix length][suffix][line], the numbers as varints; a full entry (every
  // RESTART-th) has shared = 0 and its line whole, the others the line's increase.

  private append(bytes: Uint8Array, start: number, len: number, shared: number, line: number): void {
    const full = this.entries % RESTART === 0;
    if (full) {
      shared = 0;
      if (this.restartCount === this.restarts.length) {
        const grown = new Float64Array(this.restarts.length * 2);
        grown.set(this.restarts);
        this.restarts = grown;
      }
      this.restarts[this.restartCount++] = this.runLength;
    }
    const suffix = len - shared;
    this.reserve(suffix + 20);
    const r = this.run;
    let p = this.runLength;
    p = putVarint(r, p, shared);
    p = putVarint(r, p, suffix);
    for (let k = 0; k < suffix; k++) r[p + k] = bytes[start + shared + k]!;
    p += suffix;
    p = putVarint(r, p, full ? line : line - this.lastLine);
    this.runLength = p;
    if (len > this.last.length) {
      const grown = new Uint8Array(len * 2);
      grown.set(this.last.subarray(0, this.lastLength));
      this.last = grown;
      this.scratch = new Uint8Array(len * 2);
    }
    for (let k = shared; k < len; k++) this.last[k] = bytes[start + k]!;
    this.lastLength = len;
    this.lastLine = line;
    this.entries++;
  }

  private reserve(n: number): void {
    if (this.runLength + n <= this.run.length) return;
    const grown = new Uint8Array(Math.max(this.run.length * 2, this.runLength + n));
    grown.set(this.run.subarray(0, this.runLength));
    this.run = grown;
  }

  /** The line of the key in the run, or -1. */
  private search(bytes: Uint8Array, start: number, len: number): number {
    const r = this.run;
    // The last full entry whose key is not above the one sought.
    let lo = 0;
    let hi = this.restartCount - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      let p = this.restarts[mid]!;
      p = skipVarint(r, p); // shared: 0
      const suffix = readVarint(r, p);
      p = varintEnd;
      const c = shortlex(r, p, suffix, bytes, start, len);
      if (c === 0) return readVarint(r, p + suffix);
      if (c < 0) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (at < 0) return -1;
    // Walk that block, rebuilding each key from the one before it.
    let p = this.restarts[at]!;
    const end = at + 1 < this.restartCount ? this.restarts[at + 1]! : this.runLength;
    let key = this.scratch;
    let keyLength = 0;
    let line = 0;
    let first = true;
    while (p < end) {
      const shared = readVarint(r, p);
      p = varintEnd;
      const suffix = readVarint(r, p);
      p = varintEnd;
      if (shared + suffix > key.length) {
        const grown = new Uint8Array((shared + suffix) * 2);
        grown.set(key.subarray(0, keyLength));
        key = this.scratch = grown;
      }
      for (let k = 0; k < suffix; k++) key[shared + k] = r[p + k]!;
      keyLength = shared + suffix;
      p += suffix;
      const l = readVarint(r, p);
      p = varintEnd;
      line = first ? l : line + l;
      first = false;
      const c = shortlex(key, 0, keyLength, bytes, start, len);
      if (c === 0) return line;
      if (c > 0) return -1;
    }
    return -1;
  }
}

/** Writes `n` (≥ 0, below 2^53) as a little-endian base-128 varint at `p`; returns the end. */
function putVarint(b: Uint8Array, p: number, n: number): number {
  while (n >= 0x80) {
    b[p++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  b[p++] = n;
  return p;
}

/** Where the varint read last ended (a result beside the value, to allocate nothing). */
let varintEnd = 0;

function readVarint(b: Uint8Array, p: number): number {
  let n = 0;
  let scale = 1;
  for (;;) {
    const c = b[p++]!;
    n += (c & 0x7f) * scale;
    if (c < 0x80) break;
    scale *= 0x80;
  }
  varintEnd = p;
  return n;
}

function skipVarint(b: Uint8Array, p: number): number {
  while (b[p++]! >= 0x80);
  return p;
}
