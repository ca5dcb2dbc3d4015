/**
 * Reads the declared fields of one row from UTF-8 bytes into typed slots, with no string, object
 * or Decimal per value on the common path.
 *
 * Two paths, one meaning. The fast path recognises, straight from the bytes, the values real
 * exports hold: ASCII numbers without an exponent (parsed to a mantissa and a scale), enum values
 * (compared as bytes), `true`/`false`, `YYYY-MM-DD` dates (as the integer YYYYMMDD). Everything
 * else — a value that does not fit, an exponent, a digit string past 2^53, text that may begin or
 * end in non-ASCII white space — goes to the slow path, which decodes the text and runs the
 * field's string reader (fields.ts), the definition of what a field accepts and of every message
 * about it. The fast path only ever says "valid, and this is the value" where the string reader
 * would say the same (test/row-decoder.test.ts checks this on generated texts).
 */
import type { FieldDecl } from '../dsl/index.ts';
import { Decimal } from './decimal.ts';
import { isProblem, type FieldReader } from './fields.ts';
import type { Value } from './values.ts';

/** The scale slot of a number that is missing. */
export const MISSING = -1;
/** The scale slot of a number held as a Decimal in `big` (beyond the safe-integer form). */
export const BIG = -2;
/** Largest scale kept in the fast form: 10^22 is the largest power of ten a double holds exactly. */
export const MAX_FAST_SCALE = 22;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** 10^0 … 10^22, all exact doubles. */
export const POW10: Float64Array = Float64Array.from({ length: MAX_FAST_SCALE + 1 }, (_, k) => 10 ** k);

const enum Kind { Text, Number, Date, Bool, Enum }

const kindOf = (f: FieldDecl): Kind => {
  switch (f.type) {
    case 'text': return Kind.Text;
    case 'number': return Kind.Number;
    case 'date': return Kind.Date;
    case 'bool': return Kind.Bool;
    case 'enum': return Kind.Enum;
  }
};

const utf8 = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Decodes `bytes[start, end)` as UTF-8 text (a U+FEFF in it is kept: it is data). */
export function decodeText(bytes: Uint8Array, start: number, end: number): string {
  // Short ASCII texts (ids) are made directly: cheaper than a TextDecoder call.
  if (end - start <= 24) {
    let text = '';
    let i = start;
    for (; i < end; i++) {
      const c = bytes[i]!;
      if (c >= 0x80) break;
      text += String.fromCharCode(c);
    }
    if (i === end) return text;
  }
  return textDecoder.decode(bytes.subarray(start, end));
}

/** ASCII white space as String.prototype.trim removes it: TAB, LF, VT, FF, CR, SP. */
const isAsciiSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * Whether the code point whose UTF-8 lead byte is at `i` might be white space that `trim`
 * removes (U+00A0, U+1680, U+2000–U+205F, U+3000, U+FEFF): then only the string reader trims it
 * right. A superset is safe: it only sends a value down the slow path.
 */
function maybeUnicodeSpace(bytes: Uint8Array, i: number): boolean {
  const c = bytes[i]!;
  return (c === 0xc2 && bytes[i + 1] === 0xa0) || c === 0xe1 || c === 0xe2 || (c === 0xe3 && bytes[i + 1] === 0x80) || c === 0xef;
}

/** Where the UTF-8 sequence that ends just before `end` begins (at most 3 bytes back). */
function leadBefore(bytes: Uint8Array, start: number, end: number): number {
  let i = end - 1;
  while (i > start && i > end - 4 && (bytes[i]! & 0xc0) === 0x80) i--;
  return i;
}

/**
 * The typed slots of one decoded row, by field index. A number is `m[i] / 10^s[i]` (`s[i]` is
 * {@link MISSING} or {@link BIG}); an enum is the index of its value, a bool 0 or 1, a date the
 * integer YYYYMMDD, in `code[i]` (-1 when missing); a text is a byte range of the row, or a string
 * when the slow path made one.
 */
export class RowDecoder {
  readonly m: Float64Array;
  readonly s: Int32Array;
  readonly code: Int32Array;
  readonly big: (Decimal | undefined)[];
  /** Trimmed byte range of each field in `bytes` (text fields are read from it on demand). */
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** A text made by the slow path (it trimmed what the byte range cannot say). */
  readonly text: (string | undefined)[];
  /** The bytes of the row being decoded (valid until the next row). */
  bytes: Uint8Array = new Uint8Array(0) as Uint8Array;
  /** Set by decode(): any number held as a Decimal (the compiled fast path cannot take it). */
  hasBig = false;
  /** After a failed decode(): the reasons, in field order, and the first field that did not fit. */
  problems: string[] = [];
  firstProblem = -1;

  private readonly kinds: Int8Array;
  private readonly required: Uint8Array;
  private readonly enumBytes: (readonly Uint8Array[])[];
  /** Bounds of number fields in the fast form (scale -1 when unbounded or not representable). */
  private readonly minM: Float64Array;
  private readonly minS: Int32Array;
  private readonly maxM: Float64Array;
  private readonly maxS: Int32Array;

  constructor(
    readonly fields: readonly FieldDecl[],
    private readonly readers: readonly FieldReader[],
  ) {
    const n = fields.length;
    this.m = new Float64Array(n);
    this.s = new Int32Array(n);
    this.code = new Int32Array(n);
    this.big = new Array(n).fill(undefined);
    this.start = new Int32Array(n);
    this.end = new Int32Array(n);
    this.text = new Array(n).fill(undefined);
    this.kinds = Int8Array.from(fields.map(kindOf));
    this.required = Uint8Array.from(fields.map((f) => (f.required ? 1 : 0)));
    this.enumBytes = fields.map((f) => (f.type === 'enum' ? f.values.map((v) => utf8.encode(v)) : []));
    this.minM = new Float64Array(n);
    this.minS = new Int32Array(n).fill(-1);
    this.maxM = new Float64Array(n);
    this.maxS = new Int32Array(n).fill(-1);
    fields.forEach((f, i) => {
      const fast = (text: string | undefined): [number, number] | undefined => {
        const d = text === undefined ? undefined : Decimal.parse(text);
        const m = d?.safeMantissa;
        return d && m !== undefined && d.scale <= MAX_FAST_SCALE ? [m, d.scale] : undefined;
      };
      const lo = fast(f.min);
      const hi = fast(f.max);
      if (lo) [this.minM[i], this.minS[i]] = lo;
      else if (f.min !== undefined) this.minS[i] = -2; // a bound only the slow path can check
      if (hi) [this.maxM[i], this.maxS[i]] = hi;
      else if (f.max !== undefined) this.maxS[i] = -2;
    });
  }

  /**
   * Takes the row `other`'s generated row parser has just read, as it read it: a decoder of the
   * same fields (see {@link readsAlike}) then holds what its own parser would have left. (The
   * parser takes no value beyond the fast form, so `big` is never read for such a row.)
   */
  copyRow(other: RowDecoder): void {
    const n = this.fields.length;
    const { m, s, code, start, end, text } = other;
    for (let i = 0; i < n; i++) {
      this.m[i] = m[i]!;
      this.s[i] = s[i]!;
      this.code[i] = code[i]!;
      this.start[i] = start[i]!;
      this.end[i] = end[i]!;
      this.text[i] = text[i];
    }
    this.bytes = other.bytes;
    this.hasBig = other.hasBig;
  }

  /**
   * Whether `other` reads rows exactly as this one does: the same fields in the same order, each
   * of the same type, values, bounds and requiredness (what decoding and the row parser go by).
   */
  readsAlike(other: RowDecoder): boolean {
    const a = this.fields;
    const b = other.fields;
    return a.length === b.length && a.every((f, i) => {
      const g = b[i]!;
      return f.id === g.id && f.type === g.type && f.required === g.required && f.min === g.min && f.max === g.max
        && f.values.length === g.values.length && f.values.every((v, k) => v === g.values[k]);
    });
  }

  /**
   * Decodes the fields of a row: field `i` is `bytes[fStart[i], fEnd[i])`, or absent when
   * `fStart[i] < 0`. Returns true when every field fits; otherwise `problems` says why.
   */
  decode(bytes: Uint8Array, fStart: Int32Array, fEnd: Int32Array): boolean {
    this.bytes = bytes;
    this.hasBig = false;
    let ok = true;
    const n = this.kinds.length;
    for (let i = 0; i < n; i++) {
      let a = fStart[i]!;
      let b = a < 0 ? a : fEnd[i]!;
      if (a >= 0) {
        while (a < b && isAsciiSpace(bytes[a]!)) a++;
        while (b > a && isAsciiSpace(bytes[b - 1]!)) b--;
      }
      this.text[i] = undefined;
      const slow = a < b && ((bytes[a]! >= 0x80 && maybeUnicodeSpace(bytes, a)) || (bytes[b - 1]! >= 0x80 && maybeUnicodeSpace(bytes, leadBefore(bytes, a, b))));
      if (!slow && this.fast(i, bytes, a, b)) continue;
      if (!this.slow(i, a < 0 ? undefined : decodeText(bytes, fStart[i]!, fEnd[i]!))) {
        if (ok) {
          ok = false;
          this.problems = [];
          this.firstProblem = i;
        }
        this.problems.push(this.lastProblem);
      }
    }
    return ok;
  }

  private readonly key: { bytes: Uint8Array; start: number; end: number } = { bytes: new Uint8Array(0), start: 0, end: 0 };

  /**
   * The trimmed bytes of a field as given (before any decode), or undefined when it is empty or
   * absent: what keys are compared by. The result is reused by the next call.
   */
  trimmedField(bytes: Uint8Array, a: number, b: number): { readonly bytes: Uint8Array; readonly start: number; readonly end: number } | undefined {
    if (a < 0) return undefined;
    const a0 = a;
    const b0 = b;
    while (a < b && isAsciiSpace(bytes[a]!)) a++;
    while (b > a && isAsciiSpace(bytes[b - 1]!)) b--;
    const k = this.key;
    if (a < b && ((bytes[a]! >= 0x80 && maybeUnicodeSpace(bytes, a)) || (bytes[b - 1]! >= 0x80 && maybeUnicodeSpace(bytes, leadBefore(bytes, a, b))))) {
      const t = decodeText(bytes, a0, b0).trim();
      if (t === '') return undefined;
      k.bytes = utf8.encode(t);
      k.start = 0;
      k.end = k.bytes.length;
      return k;
    }
    if (a >= b) return undefined;
    k.bytes = bytes;
    k.start = a;
    k.end = b;
    return k;
  }

  /** The bytes of text field `i` of the row just decoded (reused by the next call), or undefined when it is empty. */
  decodedBytes(i: number): { readonly bytes: Uint8Array; readonly start: number; readonly end: number } | undefined {
    const k = this.key;
    const t = this.text[i];
    if (t !== undefined) {
      k.bytes = utf8.encode(t);
      k.start = 0;
      k.end = k.bytes.length;
      return k;
    }
    if (this.start[i]! >= this.end[i]!) return undefined;
    k.bytes = this.bytes;
    k.start = this.start[i]!;
    k.end = this.end[i]!;
    return k;
  }

  /** The text of the last {@link trimmedField}. */
  lastTrimmedText(): string {
    return decodeText(this.key.bytes, this.key.start, this.key.end);
  }

  /** The trimmed text of field `i` of the row just decoded, or undefined when it is empty. */
  textOf(i: number): string | undefined {
    const t = this.text[i];
    if (t !== undefined) return t;
    const a = this.start[i]!;
    const b = this.end[i]!;
    return a < b ? decodeText(this.bytes, a, b) : undefined;
  }

  /** Field `i` of the row just decoded as a value of the rule language (for the interpreter). */
  value(i: number): Value {
    const f = this.fields[i]!;
    switch (f.type) {
      case 'text': return this.textOf(i);
      case 'number': {
        const s = this.s[i]!;
        return s === MISSING ? undefined : s === BIG ? this.big[i] : Decimal.fromSafe(this.m[i]!, s);
      }
      case 'enum': {
        const c = this.code[i]!;
        return c < 0 ? undefined : f.values[c];
      }
      case 'bool': {
        const c = this.code[i]!;
        return c < 0 ? undefined : c === 1;
      }
      case 'date': {
        const c = this.code[i]!;
        return c < 0 ? undefined : dateText(c);
      }
    }
  }

  private lastProblem = '';

  /** The fast path for the trimmed bytes [a, b); false when only the slow path can tell. */
  private fast(i: number, bytes: Uint8Array, a: number, b: number): boolean {
    this.start[i] = a;
    this.end[i] = b;
    if (a >= b) {
      // Empty or absent: missing, which is a problem only for a required field.
      if (this.required[i] === 1) return false;
      this.s[i] = MISSING;
      this.code[i] = -1;
      return true;
    }
    switch (this.kinds[i] as Kind) {
      case Kind.Text:
        return true;
      case Kind.Enum: {
        const values = this.enumBytes[i]!;
        const len = b - a;
        outer: for (let v = 0; v < values.length; v++) {
          const e = values[v]!;
          if (e.length !== len) continue;
          for (let k = 0; k < len; k++) if (e[k] !== bytes[a + k]) continue outer;
          this.code[i] = v;
          return true;
        }
        return false;
      }
      case Kind.Bool: {
        const len = b - a;
        // ASCII case-insensitive: no other letters lower-case to those of "true" or "false".
        if (len === 4 && (bytes[a]! | 0x20) === 0x74 && (bytes[a + 1]! | 0x20) === 0x72 && (bytes[a + 2]! | 0x20) === 0x75 && (bytes[a + 3]! | 0x20) === 0x65) {
          this.code[i] = 1;
          return true;
        }
        if (len === 5 && (bytes[a]! | 0x20) === 0x66 && (bytes[a + 1]! | 0x20) === 0x61 && (bytes[a + 2]! | 0x20) === 0x6c && (bytes[a + 3]! | 0x20) === 0x73 && (bytes[a + 4]! | 0x20) === 0x65) {
          this.code[i] = 0;
          return true;
        }
        return false;
      }
      case Kind.Date: {
        const d = parseDate(bytes, a, b);
        if (d < 0) return false;
        this.code[i] = d;
        return true;
      }
      case Kind.Number:
        return this.fastNumber(i, bytes, a, b);
    }
  }

  private fastNumber(i: number, bytes: Uint8Array, a: number, b: number): boolean {
    let k = a;
    const first = bytes[k]!;
    const negative = first === 0x2d;
    if (negative || first === 0x2b) k++;
    let m = 0;
    let digits = 0;
    for (; k < b; k++) {
      const d = bytes[k]! - 0x30;
      if (d < 0 || d > 9) break;
      m = m * 10 + d;
      digits++;
    }
    let frac = 0;
    if (k < b && bytes[k] === 0x2e) {
      for (k++; k < b; k++) {
        const d = bytes[k]! - 0x30;
        if (d < 0 || d > 9) break;
        m = m * 10 + d;
        frac++;
      }
    }
    // Exponents, stray characters, digit strings past 2^53 and tiny scales: the slow path.
    if (k !== b || digits + frac === 0 || m > MAX_SAFE || frac > MAX_FAST_SCALE) return false;
    // No real value reaches 10^15 (fields.ts): such a number is left to the slow path to refuse.
    if (frac <= 7 && m >= POW10[15 + frac]!) return false;
    if (m === 0) frac = 0;
    else if (negative) m = -m;
    const minS = this.minS[i]!;
    if (minS !== -1 && (minS === -2 || compareScaled(m, frac, this.minM[i]!, minS) < 0)) return false;
    const maxS = this.maxS[i]!;
    if (maxS !== -1 && (maxS === -2 || compareScaled(m, frac, this.maxM[i]!, maxS) > 0)) return false;
    this.m[i] = m;
    this.s[i] = frac;
    return true;
  }

  /** The slow path: the field's string reader on the raw text. False (and `lastProblem`) if it does not fit. */
  private slow(i: number, raw: string | undefined): boolean {
    const v = this.readers[i]!(raw);
    if (isProblem(v)) {
      this.lastProblem = `${v.zh} / ${v.en}`;
      // Nothing to show of it (textOf then says there is no text), not a stale range.
      this.start[i] = 0;
      this.end[i] = 0;
      return false;
    }
    this.s[i] = MISSING;
    this.code[i] = -1;
    this.start[i] = 0;
    this.end[i] = 0;
    if (v === undefined) return true;
    switch (this.kinds[i] as Kind) {
      case Kind.Text:
        this.text[i] = v as string;
        return true;
      case Kind.Number: {
        const d = v as Decimal;
        const m = d.safeMantissa;
        if (m !== undefined && d.scale <= MAX_FAST_SCALE) {
          this.m[i] = m;
          this.s[i] = d.scale;
        } else {
          this.s[i] = BIG;
          this.big[i] = d;
          this.hasBig = true;
        }
        return true;
      }
      case Kind.Enum:
        this.code[i] = this.fields[i]!.values.indexOf(v as string);
        return true;
      case Kind.Bool:
        this.code[i] = v === true ? 1 : 0;
        return true;
      case Kind.Date:
        this.code[i] = dateNumber(v as string);
        return true;
    }
  }
}

/**
 * Compares `am / 10^as` with `bm / 10^bs` (safe-integer mantissas, scales ≤ 22). Aligning can
 * leave the safe range only on the side that is then larger in magnitude, which decides.
 */
export function compareScaled(am: number, as: number, bm: number, bs: number): number {
  if (as > bs) {
    const y = bm * POW10[as - bs]!;
    if (y > MAX_SAFE || y < -MAX_SAFE) return y > 0 ? -1 : 1;
    return am < y ? -1 : am > y ? 1 : 0;
  }
  if (as < bs) {
    const x = am * POW10[bs - as]!;
    if (x > MAX_SAFE || x < -MAX_SAFE) return x > 0 ? 1 : -1;
    return x < bm ? -1 : x > bm ? 1 : 0;
  }
  return am < bm ? -1 : am > bm ? 1 : 0;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether a year of the proleptic Gregorian calendar has a 29 February. */
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** A real calendar date written YYYY-MM-DD in `bytes[a, b)` as the integer YYYYMMDD, or -1. */
export function parseDate(bytes: Uint8Array, a: number, b: number): number {
  if (b - a !== 10 || bytes[a + 4] !== 0x2d || bytes[a + 7] !== 0x2d) return -1;
  let y = 0;
  for (let k = 0; k < 4; k++) {
    const d = bytes[a + k]! - 0x30;
    if (d < 0 || d > 9) return -1;
    y = y * 10 + d;
  }
  const m1 = bytes[a + 5]! - 0x30;
  const m2 = bytes[a + 6]! - 0x30;
  const d1 = bytes[a + 8]! - 0x30;
  const d2 = bytes[a + 9]! - 0x30;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return -1;
  const mo = m1 * 10 + m2;
  const d = d1 * 10 + d2;
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[mo]!)) return -1;
  return y * 10000 + mo * 100 + d;
}

/** `YYYY-MM-DD` (already checked) as the integer YYYYMMDD. */
export function dateNumber(text: string): number {
  return Number(text.slice(0, 4)) * 10000 + Number(text.slice(5, 7)) * 100 + Number(text.slice(8, 10));
}

/** The integer YYYYMMDD as `YYYY-MM-DD`. */
export function dateText(d: number): string {
  const y = Math.floor(d / 10000);
  const md = d % 10000;
  const mo = Math.floor(md / 100);
  const day = md % 100;
  return `${String(y).padStart(4, '0')}-${mo < 10 ? '0' : ''}${mo}-${day < 10 ? '0' : ''}${day}`;
}
