// A streaming JSON writer: tokens in, UTF-8 bytes out in chunks, formatted exactly as
// `JSON.stringify(value)` (compact) or `JSON.stringify(value, null, 2)` (pretty) would format the
// same value — so a report of any size is written without ever being one string.

import { roundedMagnitude } from './display.ts';

/** Receives output bytes. It must be done with them when it returns: the buffer is reused. */
export type ByteSink = (chunk: Uint8Array) => void;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const SPACE = 0x20;

const utf8 = new TextEncoder();
/** A bound on the key cache, for reports whose keys are data (ids of a policy, not of rows). */
const MAX_CACHED_KEYS = 4096;

/** A text as an encoded JSON string literal, quotes included. */
export function literalBytes(text: string): Uint8Array {
  return utf8.encode(JSON.stringify(text));
}

/** Text as it stands inside a JSON string literal (escaped as JSON.stringify escapes), in UTF-8. */
export function escapedBytes(text: string): Uint8Array {
  return utf8.encode(JSON.stringify(text).slice(1, -1));
}

/** "00" … "99" as character codes, two per number: digits are written in pairs. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 0x30 + Math.floor(i / 10);
  PAIRS[2 * i + 1] = 0x30 + (i % 10);
}

/** Hundredths below this have a whole part that is a 32-bit integer (see writeHundredthsAt). */
const INT32_HUNDREDTHS = 0x80000000 * 100;

/** Writes `r / 100` (r an integer below 10^15) at `p` as JSON.stringify prints it; returns the end. */
export function writeScaledAt(b: Uint8Array, p: number, r: number): number {
  if (r < 0) {
    b[p++] = 0x2d;
    r = -r;
  }
  if (r < INT32_HUNDREDTHS) return writeHundredthsAt(b, p, r);
  const whole = Math.floor(r / 100);
  const frac = r - whole * 100;
  p = writeInteger(b, p, whole);
  if (frac !== 0) {
    b[p++] = 0x2e;
    b[p++] = PAIRS[frac * 2]!;
    if (frac % 10 !== 0) b[p++] = PAIRS[frac * 2 + 1]!;
  }
  return p;
}

/**
 * Writes `r / 100` (0 ≤ r < INT32_HUNDREDTHS, an integer) at `p`; returns the end. The whole
 * part and the hundredths are 32-bit integers throughout — the whole part from a product by 0.01,
 * off by at most one and corrected by the exact remainder — which the engine keeps in registers
 * as such, where a double quotient would be converted at every digit.
 */
function writeHundredthsAt(b: Uint8Array, p: number, r: number): number {
  let whole = Math.floor(r * 0.01) | 0;
  let frac = r - whole * 100;
  if (frac < 0) {
    whole--;
    frac += 100;
  } else if (frac >= 100) {
    whole++;
    frac -= 100;
  }
  p = writeInt32At(b, p, whole);
  if (frac !== 0) {
    const f = frac | 0;
    b[p++] = 0x2e;
    b[p++] = PAIRS[f * 2]!;
    // 0.5, not 0.50: JSON.stringify prints no trailing zero.
    if (f % 10 !== 0) b[p++] = PAIRS[f * 2 + 1]!;
  }
  return p;
}

/**
 * Writes `m / 10^s` rounded for display, as writeScaledAt of roundedParts would, in one call:
 * a report's writer meets millions of numbers, and its generated code is too large for the
 * engine to inline the two into it. Returns the end, or -1, having written nothing, when the
 * number is beyond the fast digits (roundedParts is NaN).
 */
export function writeRoundedAt(b: Uint8Array, p: number, m: number, s: number): number {
  const negative = m < 0;
  const q = roundedMagnitude(negative ? -m : m, s);
  if (q < 0) return -1;
  if (q >= INT32_HUNDREDTHS) return writeScaledAt(b, p, negative ? -q : q);
  if (negative && q !== 0) b[p++] = 0x2d;
  return writeHundredthsAt(b, p, q);
}

/** Writes `r / 100` at `p` with exactly two decimals ("6.00"); returns the end. */
export function writeFixedAt(b: Uint8Array, p: number, r: number): number {
  if (r < 0) {
    b[p++] = 0x2d;
    r = -r;
  }
  const whole = r < 0x80000000 ? (r / 100) | 0 : Math.floor(r / 100);
  const frac = r - whole * 100;
  p = writeInteger(b, p, whole);
  b[p++] = 0x2e;
  b[p++] = PAIRS[frac * 2]!;
  b[p++] = PAIRS[frac * 2 + 1]!;
  return p;
}

/** Parts at least this long are copied by set() (a memory copy); shorter ones by a loop, which costs less to start. */
const COPY_BY_SET = 32;

/** Copies `from` into `b` at `p`; returns the end. */
export function copyAt(b: Uint8Array, p: number, from: Uint8Array): number {
  const n = from.length;
  if (n >= COPY_BY_SET) b.set(from, p);
  else for (let k = 0; k < n; k++) b[p + k] = from[k]!;
  return p + n;
}

/** Writes the digits of a non-negative integer below 2^53 at `p`; returns the end. */
export function writeInteger(b: Uint8Array, p: number, n: number): number {
  if (n < 0x80000000) return writeInt32At(b, p, n | 0);
  let digits = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
  const end = p + digits;
  for (let k = end - 1; k >= p; k--) {
    b[k] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  return end;
}

/** Writes the digits of `n` (0 ≤ n < 2^31) at `p`; returns the end. */
function writeInt32At(b: Uint8Array, p: number, n: number): number {
  if (n < 10) {
    b[p] = 0x30 + n;
    return p + 1;
  }
  // 32-bit integer arithmetic, two digits at a time: most numbers in a report are small.
  const digits = n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : n < 1000000 ? 6 : n < 10000000 ? 7 : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
  let k = p + digits;
  let x = n;
  while (x >= 100) {
    const q = (x / 100) | 0;
    const r = (x - q * 100) * 2;
    b[--k] = PAIRS[r + 1]!;
    b[--k] = PAIRS[r]!;
    x = q;
  }
  if (x >= 10) {
    b[--k] = PAIRS[x * 2 + 1]!;
    b[--k] = PAIRS[x * 2]!;
  } else b[--k] = 0x30 + x;
  return p + digits;
}

/** Writes one JSON document (or, for NDJSON, one document per line). */
export class JsonWriter {
  private readonly buf: Uint8Array;
  private pos = 0;
  /** Per open container: whether nothing has been written in it yet. */
  private readonly empty: boolean[] = [];
  /** Per open container: whether it is an array (its values need separators). */
  private readonly array: boolean[] = [];
  /** Bytes written so far, flushed or not. */
  private total = 0;
  /** Keys as encoded bytes (quotes, colon and, when indenting, the space after it). */
  private readonly keys = new Map<string, Uint8Array>();

  constructor(
    private readonly sink: ByteSink,
    private readonly pretty: boolean,
    bufferSize = 1 << 16,
  ) {
    this.buf = new Uint8Array(Math.max(bufferSize, 256));
  }

  /** Bytes written so far. */
  get written(): number {
    return this.total + this.pos;
  }

  beginObject(): void {
    this.beforeValue();
    this.byte(0x7b);
    this.empty.push(true);
    this.array.push(false);
  }

  endObject(): void {
    this.close(0x7d);
  }

  beginArray(): void {
    this.beforeValue();
    this.byte(0x5b);
    this.empty.push(true);
    this.array.push(true);
  }

  endArray(): void {
    this.close(0x5d);
  }

  /** The key of the next member of the open object. */
  key(name: string): void {
    const d = this.empty.length - 1;
    if (!this.empty[d]) this.byte(0x2c);
    this.empty[d] = false;
    if (this.pretty) this.indent(d + 1);
    // Reports repeat a few keys many times: each is encoded once, with its quotes and colon.
    let bytes = this.keys.get(name);
    if (!bytes) {
      bytes = utf8.encode(`${JSON.stringify(name)}:${this.pretty ? ' ' : ''}`);
      if (this.keys.size < MAX_CACHED_KEYS) this.keys.set(name, bytes);
    }
    this.bytes(bytes);
  }

  /** A key given as its encoded JSON string literal, quotes included (see {@link keyBytes}). */
  encodedKey(literal: Uint8Array): void {
    const d = this.empty.length - 1;
    if (!this.empty[d]) this.byte(0x2c);
    this.empty[d] = false;
    if (this.pretty) this.indent(d + 1);
    this.bytes(literal);
    this.byte(0x3a);
    if (this.pretty) this.byte(SPACE);
  }

  /** A string value given as its encoded JSON string literal, quotes included. */
  encodedString(literal: Uint8Array): void {
    this.beforeValue();
    this.bytes(literal);
  }

  /** Whether the output is indented (the raw-member methods below are for compact output). */
  get indented(): boolean {
    return this.pretty;
  }

  /**
   * Compact output only: bytes written as they are — a key with its comma and colon, say —
   * inside the open container, which then counts as having members.
   */
  rawMember(bytes: Uint8Array): void {
    this.bytes(bytes);
    this.empty[this.empty.length - 1] = false;
  }

  /** Compact output only: bytes as they are (a whole value, or part of one). */
  rawBytes(bytes: Uint8Array): void {
    this.bytes(bytes);
  }

  /** Compact output only: `r / 100` right after a key written with {@link rawMember}. */
  rawScaled(r: number): void {
    this.room(20);
    this.pos = writeScaledAt(this.buf, this.pos, r);
  }

  /**
   * Direct writing, compact output only: makes room for `n` bytes and returns the offset in
   * {@link buffer} to write at ({@link wrote} ends it) — or -1 when the buffer is smaller than
   * `n`, and the caller must write through the other methods.
   */
  reserve(n: number): number {
    if (n > this.buf.length) return -1;
    this.room(n);
    return this.pos;
  }

  /** The buffer that direct writing writes into (valid until the next call of another method). */
  get buffer(): Uint8Array {
    return this.buf;
  }

  /** Ends direct writing at `pos`: the open container now has members. */
  wrote(pos: number): void {
    this.pos = pos;
    if (this.empty.length > 0) this.empty[this.empty.length - 1] = false;
  }

  /** Whether the open container has no member yet. */
  get atStart(): boolean {
    return this.empty[this.empty.length - 1] === true;
  }

  /** The number `r / 100` (r an integer below 10^15), as JSON.stringify prints it. */
  scaled(r: number): void {
    this.beforeValue();
    this.rawScaled(r);
  }

  /** A whole number (a count, a line, a year), as JSON.stringify prints it. */
  integer(n: number): void {
    this.beforeValue();
    this.room(24);
    let p = this.pos;
    if (n < 0) {
      this.buf[p++] = 0x2d;
      n = -n;
    }
    this.pos = writeInteger(this.buf, p, n);
  }

  string(text: string): void {
    this.beforeValue();
    this.stringBody(text);
  }

  /**
   * A string written in parts: `openString()`, then any of `stringBytes` (text already escaped
   * and encoded, see {@link escapedBytes}), `stringScaled`, `stringInteger`, then `closeString()`.
   */
  openString(): void {
    this.beforeValue();
    this.byte(QUOTE);
  }

  stringBytes(bytes: Uint8Array): void {
    this.bytes(bytes);
  }

  /** `r / 100` with exactly two decimals (r an integer below 10^15): `6.00`, `-0.50`. */
  stringScaled(r: number): void {
    this.room(20);
    this.pos = writeFixedAt(this.buf, this.pos, r);
  }

  stringInteger(n: number): void {
    this.room(24);
    let p = this.pos;
    if (n < 0) {
      this.buf[p++] = 0x2d;
      n = -n;
    }
    this.pos = writeInteger(this.buf, p, n);
  }

  closeString(): void {
    this.byte(QUOTE);
  }

  /** A value already in JSON form, of ASCII characters (a number, `true`, `null`). */
  raw(json: string): void {
    this.beforeValue();
    this.ascii(json);
  }

  bool(b: boolean): void {
    this.raw(b ? 'true' : 'false');
  }

  null(): void {
    this.raw('null');
  }

  /** Ends an NDJSON line (outside any container). */
  newline(): void {
    this.byte(NEWLINE);
  }

  /** Hands everything written so far to the sink. */
  flush(): void {
    if (this.pos > 0) {
      this.sink(this.buf.subarray(0, this.pos));
      this.total += this.pos;
      this.pos = 0;
    }
  }

  private close(c: number): void {
    const wasEmpty = this.empty.pop()!;
    this.array.pop();
    if (!wasEmpty && this.pretty) this.indent(this.empty.length);
    this.byte(c);
  }

  /** Separator and indentation before a value in an array; nothing after a key or at the top. */
  private beforeValue(): void {
    const d = this.array.length - 1;
    if (d < 0 || !this.array[d]) return;
    if (!this.empty[d]) this.byte(0x2c);
    this.empty[d] = false;
    if (this.pretty) this.indent(d + 1);
  }

  private indent(level: number): void {
    this.room(1 + level * 2);
    const b = this.buf;
    b[this.pos++] = NEWLINE;
    for (let k = 0; k < level * 2; k++) b[this.pos++] = SPACE;
  }

  private byte(c: number): void {
    if (this.pos >= this.buf.length) this.flush();
    this.buf[this.pos++] = c;
  }

  private room(n: number): void {
    if (this.pos + n > this.buf.length) this.flush();
  }

  private bytes(bytes: Uint8Array): void {
    const n = bytes.length;
    if (n <= 32 && this.pos + n <= this.buf.length) {
      // Short parts by hand: cheaper than set() for a few bytes.
      const b = this.buf;
      let p = this.pos;
      for (let k = 0; k < n; k++) b[p++] = bytes[k]!;
      this.pos = p;
      return;
    }
    if (bytes.length > this.buf.length) {
      this.flush();
      this.sink(bytes);
      this.total += bytes.length;
      return;
    }
    this.room(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  private ascii(text: string): void {
    const n = text.length;
    if (n > this.buf.length) {
      this.flush();
      this.sink(utf8.encode(text));
      this.total += n;
      return;
    }
    this.room(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = text.charCodeAt(i);
    this.pos = p;
  }

  /** A JSON string literal, escaped as JSON.stringify escapes. */
  private stringBody(text: string): void {
    const n = text.length;
    // Plain printable ASCII is copied as it is: ids, keys and most values.
    if (n + 2 <= this.buf.length) {
      this.room(n + 2);
      const b = this.buf;
      let p = this.pos;
      b[p++] = QUOTE;
      let i = 0;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c < 0x20 || c >= 0x7f || c === QUOTE || c === BACKSLASH) break;
        b[p++] = c;
      }
      if (i === n) {
        b[p++] = QUOTE;
        this.pos = p;
        return;
      }
      // Non-ASCII text that needs no escape (Chinese labels and messages): encoded in place.
      let plain = true;
      for (let j = i; j < n; j++) {
        const c = text.charCodeAt(j);
        if (c < 0x20 || c === QUOTE || c === BACKSLASH || (c >= 0xd800 && c <= 0xdfff)) {
          plain = false;
          break;
        }
      }
      if (plain && n * 3 + 2 <= this.buf.length) {
        this.room(n * 3 + 2);
        const q = this.pos;
        this.buf[q] = QUOTE;
        const written = utf8.encodeInto(text, this.buf.subarray(q + 1)).written;
        this.buf[q + 1 + written] = QUOTE;
        this.pos = q + written + 2;
        return;
      }
    }
    this.encoded(JSON.stringify(text));
  }

  /** Any text, UTF-8 encoded (used for an already escaped literal). */
  private encoded(text: string): void {
    // Worst case 3 bytes per UTF-16 unit.
    if (text.length * 3 > this.buf.length) {
      this.flush();
      const bytes = utf8.encode(text);
      this.sink(bytes);
      this.total += bytes.length;
      return;
    }
    this.room(text.length * 3);
    this.pos += utf8.encodeInto(text, this.buf.subarray(this.pos)).written;
  }
}
