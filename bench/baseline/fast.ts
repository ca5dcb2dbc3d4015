// The fast paths: rows read straight from the chunk, no copy. Two tiers:
//
// 1. canonical record rows (the header is DATA.md's 15 columns in order): each field is
//    recognised while it is scanned — enum values by 32-bit words of their bytes, dates and
//    plain decimals parsed in place — for the spellings real exports use. Anything else in a row
//    (spaces to trim, an exponent, a bad value, an unknown word) makes this tier give the row up,
//    untouched, to
// 2. any unquoted row of the header's width (records or teachers): cut into fields in place and
//    handed to the file's row handler, whose general field readers (fields.ts) accept every
//    spelling the engine accepts and explain bad rows.
//
// A row with a quote at a field's start, or of the wrong width, is left to the general CSV
// scanner (csv.ts). Every tier gives the same values for the same text; the oracle test runs
// inputs through each of them.

import type { CsvScanner, CsvSink } from './csv.ts';
import { POW10 } from './exact.ts';
import { isLeap, type Row } from './fields.ts';
import type { FastPath } from './input.ts';
import type { Evaluator } from './records.ts';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Up to four ASCII bytes as the little-endian uint32 DataView.getUint32(p, true) reads. */
function le(s: string): number {
  let v = 0;
  for (let i = s.length - 1; i >= 0; i--) v = v * 256 + s.charCodeAt(i);
  return v;
}
const M2 = 0xffff;
const M3 = 0xffffff;
const K_TRAI = le('trai'), K_NING = le('ning'), K_TEAC = le('teac'), K_HING = le('hing'), K_INDU = le('indu'), K_CTIO = le('ctio');
const K_COUN = le('coun'), K_TY_ = le('ty,'), K_CITY = le('city'), K_SCHO = le('scho'), K_OL_ = le('ol,');
const K_PROV = le('prov'), K_INCE = le('ince'), K_NATI = le('nati'), K_ONAL = le('onal');
const K_ONLI = le('onli'), K_NE_ = le('ne,'), K_SHOR = le('shor'), K_T_TE = le('t_te'), K_RM_ = le('rm,');
const K_OL_B = le('ol_b'), K_ASED = le('ased');
const K_ETHI = le('ethi'), K_CS_ = le('cs,'), K_KNOW = le('know'), K_LEDG = le('ledg'), K_E_ = le('e,');
const K_ABIL = le('abil'), K_ITY_ = le('ity,'), K_CLAS = le('clas'), K_S_MA = le('s_ma'), K_NAGE = le('nage'), K_MENT = le('ment');
const K_AL_H = le('al_h'), K_EALT = le('ealt'), K_H_ = le('h,');
const K_TRUE = le('true'), K_FALS = le('fals');
const K_OK = le('ok'), K_VOID = le('void'), K_INEF = le('inef'), K_FECT = le('fect'), K_IVE = le('ive');

/** Where record_id and teacher_id end, read by {@link canonicalRow}. */
const TEXT_ENDS = new Int32Array(2);

/** Result of {@link plainNumber}: state 0 for an empty field, else mantissa and scale. */
let numState = 0;
let numM = 0;
let numS = 0;

/**
 * A field that is empty or a plain decimal ("12", "0.85", "2.", ".5") of at most 15 digits — so
 * its mantissa is exact and below 10^15 — followed by a comma. Returns the position after the
 * comma, or -1 for anything else (which the general reader then handles).
 */
function plainNumber(b: Uint8Array, p: number): number {
  let c = b[p]!;
  if (c === COMMA) {
    numState = 0;
    return p + 1;
  }
  let m = 0;
  let digits = 0;
  let d = c - 48;
  while (d >= 0 && d <= 9) {
    m = m * 10 + d;
    digits++;
    c = b[++p]!;
    d = c - 48;
  }
  let s = 0;
  if (c === 0x2e) {
    c = b[++p]!;
    d = c - 48;
    while (d >= 0 && d <= 9) {
      m = m * 10 + d;
      s++;
      c = b[++p]!;
      d = c - 48;
    }
    digits += s;
  }
  if (c !== COMMA || digits === 0 || digits > 15) return -1;
  numState = 1;
  numM = m;
  numS = s;
  return p + 1;
}

/**
 * A text field (record_id, teacher_id) of bytes above ',' — no quote, space, control or comma —
 * followed by a comma, neither starting nor ending with a non-ASCII byte (which might be a space
 * to trim). Returns the position of the comma, or -1.
 */
function plainText(b: Uint8Array, p: number): number {
  const s = p;
  while (b[p]! > COMMA) p++;
  if (b[p] !== COMMA || p === s || b[s]! >= 0x80 || b[p - 1]! >= 0x80) return -1;
  return p;
}

/**
 * Reads and evaluates one canonical row at `p`; returns the position after it, or -1 (having
 * done nothing) when the row needs the general reader. `dv` views `b`; every read stays within
 * 20 bytes after the row's line feed, which the caller guarantees are in the buffer.
 */
function canonicalRow(b: Uint8Array, dv: DataView, p0: number, row: Row, ev: Evaluator, line: number): number {
  let p = p0;
  // record_id, teacher_id (one call site, so the scanner is inlined)
  const ends = TEXT_ENDS;
  for (let k = 0; k < 2; k++) {
    p = plainText(b, p);
    if (p < 0) return -1;
    ends[k] = p++;
  }
  const idS = p0;
  const idE = ends[0]!;
  const tS = idE + 1;
  const tE = ends[1]!;
  // date: YYYY-MM-DD
  const y0 = b[p]! - 48, y1 = b[p + 1]! - 48, y2 = b[p + 2]! - 48, y3 = b[p + 3]! - 48;
  const m0 = b[p + 5]! - 48, m1 = b[p + 6]! - 48, d0 = b[p + 8]! - 48, d1 = b[p + 9]! - 48;
  if (b[p + 4] !== 45 || b[p + 7] !== 45 || b[p + 10] !== COMMA || (y0 >>> 0) > 9 || (y1 >>> 0) > 9 || (y2 >>> 0) > 9 ||
    (y3 >>> 0) > 9 || (m0 >>> 0) > 9 || (m1 >>> 0) > 9 || (d0 >>> 0) > 9 || (d1 >>> 0) > 9) return -1;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  if (month < 1 || month > 12 || day < 1 || (day > 28 && day > (month === 2 ? (isLeap(year) ? 29 : 28) : MONTH_DAYS[month]!))) return -1;
  p += 11;
  // kind
  let kind: number;
  let w = dv.getUint32(p, true);
  if (w === K_TRAI && dv.getUint32(p + 4, true) === K_NING && b[p + 8] === COMMA) {
    kind = 1;
    p += 9;
  } else if (w === K_TEAC && dv.getUint32(p + 4, true) === K_HING && b[p + 8] === COMMA) {
    kind = 2;
    p += 9;
  } else if (w === K_INDU && dv.getUint32(p + 4, true) === K_CTIO && b[p + 8] === 0x6e && b[p + 9] === COMMA) {
    kind = 3;
    p += 10;
  } else return -1;
  // level
  let level: number;
  if (b[p] === COMMA) {
    level = 0;
    p++;
  } else {
    w = dv.getUint32(p, true);
    if (w === K_COUN && (dv.getUint32(p + 4, true) & M3) === K_TY_) {
      level = 4;
      p += 7;
    } else if (w === K_SCHO && (dv.getUint32(p + 4, true) & M3) === K_OL_) {
      level = 5;
      p += 7;
    } else if (w === K_CITY && b[p + 4] === COMMA) {
      level = 3;
      p += 5;
    } else if (w === K_PROV && dv.getUint32(p + 4, true) === K_INCE && b[p + 8] === COMMA) {
      level = 2;
      p += 9;
    } else if (w === K_NATI && dv.getUint32(p + 4, true) === K_ONAL && b[p + 8] === COMMA) {
      level = 1;
      p += 9;
    } else return -1;
  }
  // format
  let format: number;
  if (b[p] === COMMA) {
    format = 0;
    p++;
  } else {
    w = dv.getUint32(p, true);
    if (w === K_ONLI && (dv.getUint32(p + 4, true) & M3) === K_NE_) {
      format = 2;
      p += 7;
    } else if (w === K_SHOR && dv.getUint32(p + 4, true) === K_T_TE && (dv.getUint32(p + 8, true) & M3) === K_RM_) {
      format = 1;
      p += 11;
    } else if (w === K_SCHO && dv.getUint32(p + 4, true) === K_OL_B && dv.getUint32(p + 8, true) === K_ASED && b[p + 12] === COMMA) {
      format = 3;
      p += 13;
    } else return -1;
  }
  // module
  let module: number;
  if (b[p] === COMMA) {
    module = 0;
    p++;
  } else {
    w = dv.getUint32(p, true);
    if (w === K_ETHI && (dv.getUint32(p + 4, true) & M3) === K_CS_) {
      module = 1;
      p += 7;
    } else if (w === K_KNOW && dv.getUint32(p + 4, true) === K_LEDG && (dv.getUint32(p + 8, true) & M2) === K_E_) {
      module = 2;
      p += 10;
    } else if (w === K_ABIL && dv.getUint32(p + 4, true) === K_ITY_) {
      module = 3;
      p += 8;
    } else if (w === K_CLAS && dv.getUint32(p + 4, true) === K_S_MA && dv.getUint32(p + 8, true) === K_NAGE &&
      dv.getUint32(p + 12, true) === K_MENT && b[p + 16] === COMMA) {
      module = 4;
      p += 17;
    } else if (w === K_MENT && dv.getUint32(p + 4, true) === K_AL_H && dv.getUint32(p + 8, true) === K_EALT &&
      (dv.getUint32(p + 12, true) & M2) === K_H_) {
      module = 5;
      p += 14;
    } else if (w === K_SCHO && dv.getUint32(p + 4, true) === K_OL_B && dv.getUint32(p + 8, true) === K_ASED && b[p + 12] === COMMA) {
      module = 6;
      p += 13;
    } else return -1;
  }
  // elective
  let elective: number;
  if (b[p] === COMMA) {
    elective = 0;
    p++;
  } else {
    w = dv.getUint32(p, true);
    if (w === K_TRUE && b[p + 4] === COMMA) {
      elective = 1;
      p += 5;
    } else if (w === K_FALS && (dv.getUint32(p + 4, true) & M2) === K_E_) {
      elective = 2;
      p += 6;
    } else return -1;
  }
  // days, hours, practical_hours, rate, score: one call site, so the parser is inlined. A row
  // given up later is re-read from scratch, so writing into `row` now is harmless.
  const ns = row.numState;
  const nm = row.numM;
  const nsc = row.numS;
  for (let k = 0; k < 5; k++) {
    p = plainNumber(b, p);
    if (p < 0) return -1;
    ns[k] = numState;
    nm[k] = numM;
    nsc[k] = numS;
  }
  if (numState === 1 && numM > 100 * POW10[numS]!) return -1; // a score above 100
  // in_system (required)
  let inSystem: number;
  w = dv.getUint32(p, true);
  if (w === K_TRUE && b[p + 4] === COMMA) {
    inSystem = 1;
    p += 5;
  } else if (w === K_FALS && (dv.getUint32(p + 4, true) & M2) === K_E_) {
    inSystem = 2;
    p += 6;
  } else return -1;
  // status (required), then the line end
  let status: number;
  w = dv.getUint32(p, true);
  if ((w & M2) === K_OK) {
    status = 1;
    p += 2;
  } else if (w === K_VOID) {
    status = 2;
    p += 4;
  } else if (w === K_INEF && dv.getUint32(p + 4, true) === K_FECT && (dv.getUint32(p + 8, true) & M3) === K_IVE) {
    status = 3;
    p += 11;
  } else return -1;
  const c = b[p];
  if (c === LF) p++;
  else if (c === CR && b[p + 1] === LF) p += 2;
  else return -1;

  row.buf = b;
  row.bad = false;
  row.idS = idS;
  row.idE = idE;
  row.tS = tS;
  row.tE = tE;
  row.date = year * 10000 + month * 100 + day;
  row.year = year;
  row.kind = kind;
  row.level = level;
  row.format = format;
  row.module = module;
  row.elective = elective;
  row.inSystem = inSystem;
  row.status = status;
  ev.record(row, line);
  return p;
}

/**
 * Tier 2 for any file whose header has been read: unquoted rows of the header's width, cut in
 * place and handed to `sink.row`. If `canonical` is given, it is tried first on each row that
 * ends at least 24 bytes before the end of the chunk (so its 32-bit reads stay in the buffer).
 */
export function rowsFastPath(scanner: CsvScanner, sink: CsvSink, canonical?: { row: Row; ev: Evaluator }): FastPath {
  const width = scanner.width;
  const lastCol = width - 1;
  const starts = new Int32Array(width);
  const ends = new Int32Array(width);
  let dv: DataView | undefined;

  /** One unquoted row of the header's width; -1 leaves it to the scanner. */
  const generalRow = (b: Uint8Array, p: number, line: number): number => {
    for (let k = 0; k < width; k++) {
      const s = p;
      let c = b[p];
      if (c === QUOTE) return -1;
      while (c !== COMMA && c !== LF && c !== CR) c = b[++p];
      const e = p;
      if (k === lastCol) {
        // LF or CRLF; a lone CR (a line end too) is the scanner's.
        if (c === CR) {
          if (b[p + 1] !== LF) return -1;
          p++;
        } else if (c !== LF) return -1;
      } else if (c !== COMMA) return -1;
      starts[k] = s;
      ends[k] = e;
      p++;
    }
    sink.row(b, starts, ends, line);
    return p;
  };

  return (b, p, limit) => {
    // The view depends on where the bytes are; the limit on what they are (a caller may refill
    // one array), so it is found again on every call.
    let canonLimit = 0;
    if (canonical !== undefined) {
      if (dv === undefined || dv.buffer !== b.buffer || dv.byteOffset !== b.byteOffset || dv.byteLength !== b.byteLength) {
        dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      }
      canonLimit = b.lastIndexOf(LF, b.length - 25) + 1;
    }
    let line = scanner.line;
    while (p < limit) {
      const c = b[p];
      if (c === LF) {
        // A blank line is not a row.
        line++;
        p++;
        continue;
      }
      if (c === CR && b[p + 1] === LF) {
        line++;
        p += 2;
        continue;
      }
      let q = canonical !== undefined && p < canonLimit ? canonicalRow(b, dv!, p, canonical.row, canonical.ev, line) : -1;
      if (q < 0) q = generalRow(b, p, line);
      if (q < 0) break;
      p = q;
      line++;
    }
    scanner.setLine(line);
    return p;
  };
}
