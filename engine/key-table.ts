/**
 * An exact table of byte strings (record ids, subject ids), each with a number, in a few bytes per
 * key and no JavaScript string per key.
 *
 * Why not a `Map<string, …>`: a province cycle has tens of millions of record ids, and a string
 * per id costs tens of bytes plus a map entry; worse, V8 keeps a string sliced out of a large
 * chunk as a view of that chunk, so long ids would pin the whole file in memory. Here the bytes of
 * each key are copied into an arena of large blocks, next to its number, and an open-addressing
 * table of 32-bit references finds them: about 13 bytes plus the key's length per key.
 *
 * Exact: keys are compared byte for byte (a hash only chooses where to look), so two different
 * ids are never taken for one.
 */

/** Bytes per arena block: an entry never spans two blocks, and a reference holds the block in 8 bits. */
const BLOCK_BITS = 24;
const BLOCK_SIZE = 1 << BLOCK_BITS;
const OFFSET_MASK = BLOCK_SIZE - 1;
const MAX_BLOCKS = 255;
/** Longest key: a row is at most 1 MiB, so no real key comes near. */
export const MAX_KEY_BYTES = 1 << 20;

/** A 32-bit hash of `bytes[start, end)`: FNV-1a, then a final mix so that the low bits vary. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** A growable set of byte keys, each with a non-negative 32-bit number. */
export class ByteKeyTable {
  private readonly blocks: Uint8Array[] = [];
  private block: Uint8Array;
  /** Next free offset in the current block (offset 0 of block 0 is never used: ref 0 is "empty"). */
  private pos = 1;
  /**
   * Open addressing, linear probing: slot i is `slots[2i]` (the key's hash, compared first so a
   * probe seldom reads the arena) and `slots[2i + 1]` (its reference, 0 when empty).
   */
  private slots: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.slots = new Uint32Array(cap * 2);
    this.mask = cap - 1;
    // The first block starts small, so a table of a few keys costs little.
    this.block = new Uint8Array(64 * 1024);
    this.blocks.push(this.block);
  }

  /** Number of keys. */
  get size(): number {
    return this.count;
  }

  /** Bytes held, for the memory accounting of benchmarks. */
  get bytes(): number {
    return this.slots.byteLength + this.blocks.reduce((n, b) => n + b.byteLength, 0);
  }

  /**
   * The number of the key `bytes[start, end)`, or -1 after adding it with `value` when it is new.
   * One lookup serves "is it there?" and "remember it".
   */
  getOrAdd(bytes: Uint8Array, start: number, end: number, value: number): number {
    const len = end - start;
    if (len > MAX_KEY_BYTES) throw new RangeError(`key of ${len} bytes is longer than ${MAX_KEY_BYTES}`);
    const h = hashBytes(bytes, start, end);
    const slots = this.slots;
    const mask = this.mask;
    let i = h & mask;
    for (;;) {
      const ref = slots[2 * i + 1]!;
      if (ref === 0) break;
      if (slots[2 * i] === h && this.equals(ref, bytes, start, len)) return this.valueAt(ref);
      i = (i + 1) & mask;
    }
    slots[2 * i] = h;
    slots[2 * i + 1] = this.append(bytes, start, len, value);
    if (++this.count * 10 > (mask + 1) * 7) this.grow();
    return -1;
  }

  /** The number of the key, or -1 when it is not in the table. */
  get(bytes: Uint8Array, start: number, end: number): number {
    const len = end - start;
    const h = hashBytes(bytes, start, end);
    const slots = this.slots;
    let i = h & this.mask;
    for (;;) {
      const ref = slots[2 * i + 1]!;
      if (ref === 0) return -1;
      if (slots[2 * i] === h && this.equals(ref, bytes, start, len)) return this.valueAt(ref);
      i = (i + 1) & this.mask;
    }
  }

  /** Every key's bytes (in no particular order). */
  keys(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let j = 1; j < this.slots.length; j += 2) {
      const ref = this.slots[j]!;
      if (ref === 0) continue;
      const b = this.blocks[ref >>> BLOCK_BITS]!;
      let p = (ref & OFFSET_MASK) + 4;
      let l = b[p]!;
      if (l === 0xff) {
        l = (b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16)) + b[p + 4]! * 0x1000000;
        p += 5;
      } else p++;
      out.push(b.slice(p, p + l));
    }
    return out;
  }

  // An entry: its number (4 bytes, little-endian), its length (1 byte, or 0xff and 4 bytes), its bytes.

  private append(bytes: Uint8Array, start: number, len: number, value: number): number {
    const need = 4 + (len < 0xff ? 1 : 5) + len;
    if (this.pos + need > this.block.length) this.newBlock(need);
    const b = this.block;
    let p = this.pos;
    const ref = ((this.blocks.length - 1) << BLOCK_BITS) | p;
    b[p] = value & 0xff;
    b[p + 1] = (value >>> 8) & 0xff;
    b[p + 2] = (value >>> 16) & 0xff;
    b[p + 3] = value >>> 24;
    p += 4;
    if (len < 0xff) b[p++] = len;
    else {
      b[p] = 0xff;
      b[p + 1] = len & 0xff;
      b[p + 2] = (len >>> 8) & 0xff;
      b[p + 3] = (len >>> 16) & 0xff;
      b[p + 4] = len >>> 24;
      p += 5;
    }
    // A loop, not set(subarray): a view object per key would be garbage per row.
    for (let k = 0; k < len; k++) b[p + k] = bytes[start + k]!;
    this.pos = p + len;
    return ref >>> 0;
  }

  private newBlock(need: number): void {
    const last = this.block;
    if (last.length < BLOCK_SIZE && this.blocks.length === 1 && this.pos + need <= BLOCK_SIZE) {
      // Still the small first block: grow it in place (its references keep their offsets).
      let size = last.length * 2;
      while (size < this.pos + need) size *= 2;
      const grown = new Uint8Array(Math.min(size, BLOCK_SIZE));
      grown.set(last.subarray(0, this.pos));
      this.block = grown;
      this.blocks[0] = grown;
      return;
    }
    if (this.blocks.length >= MAX_BLOCKS) throw new RangeError('key table: more than 4 GiB of keys');
    this.block = new Uint8Array(BLOCK_SIZE);
    this.blocks.push(this.block);
    this.pos = 0;
  }

  private valueAt(ref: number): number {
    const b = this.blocks[ref >>> BLOCK_BITS]!;
    const p = ref & OFFSET_MASK;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
  }

  private equals(ref: number, bytes: Uint8Array, start: number, len: number): boolean {
    const b = this.blocks[ref >>> BLOCK_BITS]!;
    let p = (ref & OFFSET_MASK) + 4;
    let l = b[p]!;
    if (l === 0xff) {
      l = (b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16)) + b[p + 4]! * 0x1000000;
      p += 5;
    } else p++;
    if (l !== len) return false;
    for (let k = 0; k < len; k++) if (b[p + k] !== bytes[start + k]) return false;
    return true;
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    const slots = new Uint32Array(cap * 2);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 2) {
      const ref = old[j + 1]!;
      if (ref === 0) continue;
      const h = old[j]!;
      let i = h & mask;
      while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
      slots[2 * i] = h;
      slots[2 * i + 1] = ref;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
