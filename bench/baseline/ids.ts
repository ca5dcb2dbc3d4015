// The set of record ids seen, with the line each was first seen on: exact duplicate detection
// in a few bytes per row, and no JS string per row.
//
// Exports number their records, so ids nearly always arrive in increasing order (R0000001,
// R0000002, … or R1 … R9, R10, …). Such ids are kept in a *run*: front-coded like the blocks of
// an SSTable (each entry stores only how many leading bytes it shares with the one before, its
// remaining bytes and its line as a delta), with a full entry every 16 ("restarts") to search
// from. An id greater than the run's last (in shortlex order: shorter first, then by bytes) is
// new without any search — appending costs about 3–4 bytes. An id that is not greater is either
// a duplicate of one in the run (binary search over the restarts, then a scan of one block) or a
// new out-of-order id, kept in an ordinary open-addressing hash set over an arena of its bytes.
// An in-order id never needs the hash set: everything there is below the run's last id.

/** Entries between two restarts of the run. */
const BLOCK = 16;

function grow(a: Uint8Array, need: number): Uint8Array {
  if (need <= a.length) return a;
  const next = new Uint8Array(Math.max(a.length * 2, need));
  next.set(a);
  return next;
}

/** Shortlex order of two spans: by length, then by bytes. */
function shortlex(a: Uint8Array, as: number, al: number, b: Uint8Array, bs: number, bl: number): number {
  if (al !== bl) return al - bl;
  for (let i = 0; i < al; i++) {
    const d = a[as + i]! - b[bs + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Exact set of byte strings with the line each was first seen on. */
export class IdSet {
  // ── the run ──
  private data: Uint8Array;
  private dlen = 0;
  private restarts = new Float64Array(1024);
  private nrestart = 0;
  private runCount = 0;
  /** The run's last id (full bytes) and line. */
  private last: Uint8Array = new Uint8Array(64);
  private lastLen = 0;
  private lastLine = 0;
  /** Scratch for keys decoded while scanning a block. */
  private scratch: Uint8Array = new Uint8Array(64);

  // ── the hash set of out-of-order ids: entries [len varint][bytes][line varint] ──
  private arena: Uint8Array = new Uint8Array(1 << 12);
  private alen = 0;
  private slots = new Float64Array(1 << 10);
  private slotHash = new Int32Array(1 << 10);
  private hashCount = 0;

  /** @param expected - about how many ids to expect, to size the run's arena (4 bytes each). */
  constructor(expected = 0) {
    this.data = new Uint8Array(Math.max(1 << 16, 4 * expected));
  }

  /**
   * Looks `b[s, e)` up. Returns 0 if it is new (it is then added, with `line`), else the line it
   * was first seen on.
   */
  check(b: Uint8Array, s: number, e: number, line: number): number {
    const len = e - s;
    if (this.runCount > 0) {
      const last = this.last;
      const lastLen = this.lastLen;
      // Shortlex comparison with the last id, finding the shared prefix on the way.
      const n = len < lastLen ? len : lastLen;
      let shared = 0;
      while (shared < n && b[s + shared] === last[shared]) shared++;
      let greater: boolean;
      if (len !== lastLen) greater = len > lastLen;
      else if (shared === len) return this.lastLine; // equal to the last id: a duplicate
      else greater = b[s + shared]! > last[shared]!;
      if (!greater) return this.lookup(b, s, e, line);
      // The common case of append, in place: not a restart, one-byte counts, room in the arena
      // and in the copy of the last id.
      const suffix = len - shared;
      const delta = line - this.lastLine;
      const at = this.dlen;
      if ((this.runCount & (BLOCK - 1)) !== 0 && suffix < 128 && shared < 128 && delta < 128 && at + suffix + 3 <= this.data.length &&
        len <= last.length) {
        const d = this.data;
        let q = at;
        d[q++] = shared;
        d[q++] = suffix;
        for (let i = shared; i < len; i++) {
          const c = b[s + i]!;
          d[q++] = c;
          last[i] = c;
        }
        d[q++] = delta;
        this.dlen = q;
        this.lastLen = len;
        this.lastLine = line;
        this.runCount++;
        return 0;
      }
      this.append(b, s, len, shared, line);
      return 0;
    }
    this.append(b, s, len, 0, line);
    return 0;
  }

  private append(b: Uint8Array, s: number, len: number, shared: number, line: number): void {
    const restart = (this.runCount & (BLOCK - 1)) === 0;
    if (restart) {
      shared = 0;
      if (this.nrestart === this.restarts.length) {
        const next = new Float64Array(this.restarts.length * 2);
        next.set(this.restarts);
        this.restarts = next;
      }
      this.restarts[this.nrestart++] = this.dlen;
    }
    const suffix = len - shared;
    if (this.dlen + suffix + 30 > this.data.length) this.data = grow(this.data, this.dlen + suffix + 30);
    const d = this.data;
    let p = this.dlen;
    // Entries: shared, suffix length, suffix, line (delta); the counts are nearly always < 128.
    if (shared < 128 && suffix < 128) {
      d[p++] = shared;
      d[p++] = suffix;
    } else {
      p = putVarint(d, p, shared);
      p = putVarint(d, p, suffix);
    }
    const last = len > this.last.length ? (this.last = grow(this.last, len)) : this.last;
    for (let i = shared; i < len; i++) {
      const c = b[s + i]!;
      d[p++] = c;
      last[i] = c;
    }
    const delta = restart ? line : line - this.lastLine;
    if (delta < 128) d[p++] = delta;
    else p = putVarint(d, p, delta);
    this.dlen = p;
    this.lastLen = len;
    this.lastLine = line;
    this.runCount++;
  }

  /** An id not above the run's last: a duplicate of a run entry or a hash-set entry, or new. */
  private lookup(b: Uint8Array, s: number, e: number, line: number): number {
    const found = this.findInRun(b, s, e - s);
    if (found > 0) return found;
    return this.hashCheck(b, s, e, line);
  }

  /** The line of `b[s, s+len)` in the run, or 0. */
  private findInRun(b: Uint8Array, s: number, len: number): number {
    const d = this.data;
    // The last restart whose key is ≤ the probe.
    let lo = 0;
    let hi = this.nrestart - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      let p = this.restarts[mid]!;
      p = getVarint(d, p); // shared: always 0 at a restart
      p = getVarint(d, p);
      const kl = varintValue;
      const c = shortlex(d, p, kl, b, s, len);
      if (c <= 0) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (at < 0) return 0;
    // Scan the block, rebuilding each key from its predecessor.
    let p = this.restarts[at]!;
    const end = at + 1 < this.nrestart ? this.restarts[at + 1]! : this.dlen;
    let key = this.scratch;
    let keyLen = 0;
    let keyLine = 0;
    let first = true;
    while (p < end) {
      p = getVarint(d, p);
      const shared = varintValue;
      p = getVarint(d, p);
      const suffix = varintValue;
      if (shared + suffix > key.length) {
        key = grow(key, shared + suffix);
        this.scratch = key;
      }
      for (let i = 0; i < suffix; i++) key[shared + i] = d[p + i]!;
      p += suffix;
      keyLen = shared + suffix;
      p = getVarint(d, p);
      keyLine = first ? varintValue : keyLine + varintValue;
      first = false;
      const c = shortlex(key, 0, keyLen, b, s, len);
      if (c === 0) return keyLine;
      if (c > 0) return 0; // the run is sorted: the probe is not in it
    }
    return 0;
  }

  private hashCheck(b: Uint8Array, s: number, e: number, line: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    const mask = this.slots.length - 1;
    let i = h & mask;
    const len = e - s;
    for (;;) {
      const v = this.slots[i]!;
      if (v === 0) break;
      if (this.slotHash[i] === h) {
        let p = getVarint(this.arena, v - 1);
        if (varintValue === len) {
          const a = this.arena;
          let same = true;
          for (let k = 0; k < len; k++) if (a[p + k] !== b[s + k]) { same = false; break; }
          if (same) {
            p += len;
            getVarint(a, p);
            return varintValue;
          }
        }
      }
      i = (i + 1) & mask;
    }
    // New: append to the arena and take the empty slot.
    this.arena = grow(this.arena, this.alen + len + 20);
    const a = this.arena;
    const at = this.alen;
    let p = putVarint(a, at, len);
    for (let k = 0; k < len; k++) a[p++] = b[s + k]!;
    p = putVarint(a, p, line);
    this.alen = p;
    this.slots[i] = at + 1;
    this.slotHash[i] = h;
    if (++this.hashCount * 2 > this.slots.length) this.rehash();
    return 0;
  }

  private rehash(): void {
    const old = this.slots;
    const oldHash = this.slotHash;
    this.slots = new Float64Array(old.length * 2);
    this.slotHash = new Int32Array(old.length * 2);
    const mask = this.slots.length - 1;
    for (let k = 0; k < old.length; k++) {
      const v = old[k]!;
      if (v === 0) continue;
      let i = oldHash[k]! & mask;
      while (this.slots[i] !== 0) i = (i + 1) & mask;
      this.slots[i] = v;
      this.slotHash[i] = oldHash[k]!;
    }
  }
}

/** Value of the last {@link getVarint}. */
let varintValue = 0;

/** Writes a non-negative integer (up to 2^53) as a little-endian base-128 varint. */
function putVarint(d: Uint8Array, p: number, v: number): number {
  while (v >= 128) {
    d[p++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  d[p++] = v;
  return p;
}

/** Reads a varint at `p` into {@link varintValue}; returns the position after it. */
function getVarint(d: Uint8Array, p: number): number {
  let v = 0;
  let mul = 1;
  for (;;) {
    const c = d[p++]!;
    v += (c & 127) * mul;
    if (c < 128) break;
    mul *= 128;
  }
  varintValue = v;
  return p;
}
