// The output side: one reusable byte buffer, filled with JSON written straight as bytes (numbers
// formatted digit by digit, strings escaped byte by byte) and handed to a sink whenever it is
// full, so the report never exists as one big string.

import { exactCents, fixed2, POW10, SCALE, type Exact } from './exact.ts';

const encoder = new TextEncoder();
/** JSON bytes of texts written before (see {@link ByteOut.jsonText}). */
const textCache = new Map<string, Uint8Array>();

/** UTF-8 bytes of a constant (labels, keys, messages are encoded once, at load). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

const HEX = utf8('0123456789abcdef');
/** 10^-8 units per cent. */
const CENT = POW10[SCALE - 2]!;
const INV_CENT = 1 / CENT;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Bytes JSON.stringify escapes: `"`, `\` and the C0 controls. */
const NEEDS_ESCAPE = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) NEEDS_ESCAPE[c] = 1;
NEEDS_ESCAPE[QUOTE] = 1;
NEEDS_ESCAPE[BACKSLASH] = 1;

/** JSON.stringify's short escapes; the other controls are \u00XX with lower-case hex. */
const SHORT_ESCAPE: Record<number, number> = { 0x08: 0x62, 0x09: 0x74, 0x0a: 0x6e, 0x0c: 0x66, 0x0d: 0x72, 0x22: 0x22, 0x5c: 0x5c };

/** A constant as little-endian 32-bit words, for {@link putWords}. */
export interface Words {
  readonly words: Int32Array;
  readonly length: number;
}

/** Splits bytes into 32-bit words (the last zero-padded). */
export function words(b: Uint8Array): Words {
  const n = Math.ceil(b.length / 4);
  const padded = new Uint8Array(n * 4);
  padded.set(b);
  const dv = new DataView(padded.buffer);
  const w = new Int32Array(n);
  for (let i = 0; i < n; i++) w[i] = dv.getInt32(4 * i, true);
  return { words: w, length: b.length };
}

/**
 * Writes a constant four bytes at a time; returns the position after it. Up to three bytes past
 * it are overwritten with padding, so the caller must have made that room too (and writes over
 * them next).
 */
export function putWords(dv: DataView, pos: number, c: Words): number {
  const w = c.words;
  for (let i = 0; i < w.length; i++) dv.setInt32(pos + 4 * i, w[i]!, true);
  return pos + c.length;
}

/** "00" … "99": two digits per step when writing numbers. */
const PAIRS = utf8(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''));

/** A non-negative integer below 2^31 in decimal, by int32 arithmetic; returns the new position. */
export function putInt31(buf: Uint8Array, pos: number, n: number): number {
  const len = n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : n < 1000000 ? 6
    : n < 10000000 ? 7 : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
  let p = pos + len;
  while (n >= 100) {
    const q = (n / 100) | 0;
    const r = (n - q * 100) * 2;
    buf[--p] = PAIRS[r + 1]!;
    buf[--p] = PAIRS[r]!;
    n = q;
  }
  if (n >= 10) {
    buf[--p] = PAIRS[n * 2 + 1]!;
    buf[--p] = PAIRS[n * 2]!;
  } else buf[--p] = 48 + n;
  return pos + len;
}

/**
 * Cents below 2^31 · 100 (so the whole part is an int32) as the JSON number (trailing zeros
 * dropped) or, with `fixed`, as two-decimal text; returns the new position (≤ 13 bytes). The
 * whole part comes from a multiplication by 0.01, off by at most one and then corrected.
 */
export function putCents(buf: Uint8Array, pos: number, c: number, fixed: boolean): number {
  let ip = Math.floor(c * 0.01);
  let r = c - ip * 100;
  if (r < 0) {
    ip--;
    r += 100;
  } else if (r >= 100) {
    ip++;
    r -= 100;
  }
  pos = putInt31(buf, pos, ip);
  if (r === 0 && !fixed) return pos;
  buf[pos++] = 46; // .
  buf[pos++] = PAIRS[r * 2]!;
  if (fixed || r % 10 !== 0) buf[pos++] = PAIRS[r * 2 + 1]!;
  return pos;
}

/**
 * A total in the fast representation (a non-negative safe integer counting 10^-SCALE) as the
 * report's JSON number, rounded half up to cents; returns the new position (≤ 13 bytes). The
 * quotient by CENT = 10^6 comes from a multiplication by 10^-6, off by at most one and then
 * corrected: `q·10^6` is exact (q·5^6 is below 2^53, times 2^6), so the remainder is too.
 */
export function putNum8(buf: Uint8Array, pos: number, x: number): number {
  if (x === 0) {
    buf[pos] = 48;
    return pos + 1;
  }
  let q = Math.floor(x * INV_CENT);
  let r = x - q * CENT;
  if (r < 0) {
    q--;
    r += CENT;
  } else if (r >= CENT) {
    q++;
    r -= CENT;
  }
  const c = r * 2 >= CENT ? q + 1 : q;
  if (c >= 2147483648) return putCents(buf, pos, c, false);
  // Cents in an int32: whole part and the two decimals by int32 division (exact).
  const ip = (c / 100) | 0;
  const f = c - ip * 100;
  pos = putInt31(buf, pos, ip);
  if (f === 0) return pos;
  buf[pos++] = 46; // .
  buf[pos++] = PAIRS[f * 2]!;
  if (f % 10 !== 0) buf[pos++] = PAIRS[f * 2 + 1]!;
  return pos;
}

/**
 * A growable or flushing byte buffer. With a sink, a full buffer is handed to the sink (which
 * must consume it before returning: the buffer is reused); without one, it grows, and
 * {@link ByteOut.bytesView} gives what was written.
 */
export class ByteOut {
  buf: Uint8Array;
  pos = 0;
  private dvOf: Uint8Array | undefined;
  private dvView: DataView | undefined;

  /** A DataView of the current buffer. */
  get dv(): DataView {
    if (this.dvOf !== this.buf) {
      this.dvOf = this.buf;
      this.dvView = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    }
    return this.dvView!;
  }

  /**
   * @param size - the buffer's size.
   * @param sink - where full buffers go.
   * @param handOff - give the sink the buffer itself (it may keep it) and continue in a new one.
   */
  constructor(size: number, private readonly sink?: (chunk: Uint8Array) => void, private readonly handOff = false) {
    this.buf = new Uint8Array(size);
  }

  /** Makes room for `n` more bytes. */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (this.sink && n <= this.buf.length) {
      this.flush();
      return;
    }
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Hands what is buffered to the sink. */
  flush(): void {
    if (this.sink && this.pos > 0) {
      this.sink(this.buf.subarray(0, this.pos));
      if (this.handOff) this.buf = new Uint8Array(this.buf.length);
    }
    this.pos = 0;
  }

  /** What was written (sink-less buffers). */
  bytesView(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** One byte. */
  byte(c: number): void {
    if (this.pos >= this.buf.length) this.room(1);
    this.buf[this.pos++] = c;
  }

  /** Raw bytes (pre-encoded constants: short ones are copied by hand, which beats set()). */
  bytes(b: Uint8Array): void {
    const n = b.length;
    if (this.sink && n > this.buf.length) {
      // Larger than the whole buffer: straight to the sink.
      this.flush();
      this.sink(b);
      return;
    }
    this.room(n);
    const buf = this.buf;
    let p = this.pos;
    if (n < 24) for (let i = 0; i < n; i++) buf[p++] = b[i]!;
    else {
      buf.set(b, p);
      p += n;
    }
    this.pos = p;
  }

  /** A constant, four bytes at a time (see {@link putWords}). */
  words(c: Words): void {
    this.room(c.length + 4);
    this.pos = putWords(this.dv, this.pos, c);
  }

  /** Raw bytes of a span of another buffer. */
  span(src: Uint8Array, s: number, e: number): void {
    const n = e - s;
    this.room(n);
    if (n < 64) {
      const buf = this.buf;
      let p = this.pos;
      for (let i = s; i < e; i++) buf[p++] = src[i]!;
      this.pos = p;
    } else {
      this.buf.set(src.subarray(s, e), this.pos);
      this.pos += n;
    }
  }

  /** A non-negative safe integer in decimal. */
  uint(n: number): void {
    if (n < 2147483648) {
      this.room(10);
      this.pos = putInt31(this.buf, this.pos, n);
      return;
    }
    this.ascii(String(n));
  }

  /** A total in the fast representation as the report's number (see {@link putNum8}). */
  num8(x: number): void {
    this.room(14);
    this.pos = putNum8(this.buf, this.pos, x);
  }

  /** Any integer (a negative one only on paths no Lincang data reaches). */
  int(n: number | bigint): void {
    if (typeof n === 'number' && n >= 0 && n <= 9007199254740991) this.uint(n);
    else this.ascii(String(n));
  }

  /** ASCII text (short, dynamic: digits, rule ids). */
  ascii(s: string): void {
    const n = s.length;
    this.room(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** A JSON string of the bytes of a span (valid UTF-8), escaped as JSON.stringify does. */
  jsonSpan(src: Uint8Array, s: number, e: number): void {
    this.room(e - s + 2);
    this.buf[this.pos++] = QUOTE;
    let from = s;
    for (let i = s; i < e; i++) {
      const c = src[i]!;
      if (NEEDS_ESCAPE[c] === 0) continue;
      this.span(src, from, i);
      this.escape(c);
      from = i + 1;
    }
    this.span(src, from, e);
    this.byte(QUOTE);
  }

  /**
   * A JSON string of a JS string (texts made at run time: reasons, rule ids, articles). They
   * repeat (every duplicate of a file, every rate out of range of one level has the same
   * reason), so short ones are encoded once and kept, up to a bound.
   */
  jsonText(text: string): void {
    let b = textCache.get(text);
    if (b === undefined) {
      const u = encoder.encode(text);
      const w = new ByteOut(u.length + 16);
      w.jsonSpan(u, 0, u.length);
      b = w.bytesView().slice();
      if (text.length <= 256 && textCache.size < 8192) textCache.set(text, b);
    }
    this.bytes(b);
  }

  private escape(c: number): void {
    this.room(6);
    const buf = this.buf;
    buf[this.pos++] = BACKSLASH;
    const short = SHORT_ESCAPE[c];
    if (short !== undefined) {
      buf[this.pos++] = short;
      return;
    }
    buf[this.pos++] = 0x75; // u
    buf[this.pos++] = 48;
    buf[this.pos++] = 48;
    buf[this.pos++] = HEX[c >> 4]!;
    buf[this.pos++] = HEX[c & 15]!;
  }

  /**
   * A count of cents as the JSON number JSON.stringify gives for it (the engine shows
   * `Number(rounded.toString())`). Below 10^15 cents the value has at most 15 significant
   * digits, so the double nearest to it prints as exactly those digits: written here without
   * any double. Larger values go through Number and String as the engine's do; a value too large
   * for a double would be exact text, as in the engine (no Lincang data comes near).
   */
  cents(c: number | bigint): void {
    if (typeof c === 'number' && c >= 0 && c < 1e15) {
      if (c < 214748364700) {
        this.room(14);
        this.pos = putCents(this.buf, this.pos, c, false);
      } else this.ascii(trimFraction(fixed2(c)));
      return;
    }
    const text = trimFraction(fixed2(c));
    const n = Number(text);
    if (Number.isFinite(n)) this.ascii(String(n));
    else this.jsonText(text);
  }

  /** Two-decimal text of cents, as in violation messages ("4.13", "72.00"). */
  fixed(c: number | bigint): void {
    if (typeof c === 'number' && c >= 0 && c < 214748364700) {
      this.room(14);
      this.pos = putCents(this.buf, this.pos, c, true);
    } else this.ascii(fixed2(c));
  }

  /** An exact value as the report's JSON number (rounded half up to 2 decimals). */
  exact(x: Exact): void {
    if (typeof x === 'number') this.num8(x);
    else this.cents(exactCents(x));
  }
}

/** "12.50" → "12.5", "72.00" → "72": the canonical text of a rounded value. */
function trimFraction(text: string): string {
  if (!text.includes('.')) return text;
  let t = text;
  while (t.endsWith('0')) t = t.slice(0, -1);
  return t.endsWith('.') ? t.slice(0, -1) : t;
}
