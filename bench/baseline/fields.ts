// Reading one row's field texts (byte spans) as typed values, exactly as the engine's field
// readers do: trim, '' is missing, then enum / bool / date / number by the field's declaration;
// and, for a row that does not fit, the engine's bilingual explanation of every problem.

import { bigCmp, bigOf, MAX_SAFE, POW10, type Big } from './exact.ts';
import { utf8 } from './out.ts';
import {
  F_DATE, F_DAYS, F_ELECTIVE, F_FORMAT, F_HOURS, F_IN_SYSTEM, F_KIND, F_LEVEL, F_MODULE, F_PRACTICAL, F_RATE, F_RECORD_ID,
  F_SCORE, F_STATUS, F_TEACHER_ID, RECORD_FIELDS, RECORD_FIELD_COUNT, type FieldSpec,
} from './rules.ts';
import { decode, trim, trimEnd, trimStart } from './text.ts';

/** Positions of the number fields in a {@link Row}'s number arrays. */
export const N_DAYS = 0;
export const N_HOURS = 1;
export const N_PRACTICAL = 2;
export const N_RATE = 3;
export const N_SCORE = 4;

/** Number field `k` of a row as a {@link Big} (its state must be 1 or 2). */
export function numBig(row: Row, k: number): Big {
  return row.numState[k] === 2 ? row.numBig[k]! : bigOf(row.numM[k]!, row.numS[k]!);
}

const EMPTY = new Uint8Array(0);

/**
 * One record row, reused for every row: where each field's text is and what it reads as. Enum
 * and bool fields hold codes (0 missing; see rules.ts); dates are yyyymmdd integers (0 missing).
 */
export class Row {
  /** The buffer the spans point into (the input chunk, or the CSV scanner's scratch). */
  buf: Uint8Array = EMPTY;
  /** Each declared field's raw span, or -1/-1 when the header has no such column. */
  readonly fs = new Int32Array(RECORD_FIELD_COUNT);
  readonly fe = new Int32Array(RECORD_FIELD_COUNT);
  /** Trimmed record_id and teacher_id. */
  idS = 0;
  idE = 0;
  tS = 0;
  tE = 0;
  date = 0;
  /** The date's year (its cycle year, if in the cycle). */
  year = 0;
  kind = 0;
  level = 0;
  format = 0;
  module = 0;
  elective = 0;
  inSystem = 0;
  status = 0;
  /**
   * The number fields (days, hours, practical_hours, rate, score; see N_DAYS …): state 0 missing,
   * 1 a safe mantissa and scale (`numM`, `numS`: the value is m / 10^s), 2 a bigint (`numBig`).
   */
  readonly numState = new Int32Array(5);
  readonly numM = new Float64Array(5);
  readonly numS = new Int32Array(5);
  readonly numBig: (Big | null)[] = [null, null, null, null, null];
  /** Some field did not fit (or a required one is missing): the row is rejected with reasons. */
  bad = false;
  /** Which fields did not fit (bit f: field f), when read by the general reader. */
  badFields = 0;
}

// ── Typed readers over trimmed spans ─────────────────────────────────────────────────────────

/** The enum values' bytes, per enum field, for matching without strings. */
const ENUM_BYTES = new Map<readonly string[], readonly Uint8Array[]>();
for (const f of RECORD_FIELDS) if (f.values) ENUM_BYTES.set(f.values, f.values.map(utf8));

/** The code (1-based position) of the enum value spelled by `b[s, e)`, 0 if empty, -1 if none. */
export function enumCode(values: readonly Uint8Array[], b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n === 0) return 0;
  const c0 = b[s];
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (v.length !== n || v[0] !== c0) continue;
    let i = 1;
    while (i < n && v[i] === b[s + i]) i++;
    if (i === n) return k + 1;
  }
  return -1;
}

/** The enum values of a field as bytes. */
export function enumBytes(f: FieldSpec): readonly Uint8Array[] {
  return ENUM_BYTES.get(f.values!)!;
}

/**
 * A bool: 1 true, 2 false, 0 empty, -1 anything else. The engine lower-cases before comparing;
 * no non-ASCII character lower-cases to a letter of "true"/"false", so ASCII case folding
 * (`| 0x20` on a letter) is the same test.
 */
export function boolCode(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n === 4) {
    return (b[s]! | 0x20) === 0x74 && (b[s + 1]! | 0x20) === 0x72 && (b[s + 2]! | 0x20) === 0x75 && (b[s + 3]! | 0x20) === 0x65 ? 1 : -1;
  }
  if (n === 5) {
    return (b[s]! | 0x20) === 0x66 && (b[s + 1]! | 0x20) === 0x61 && (b[s + 2]! | 0x20) === 0x6c &&
      (b[s + 3]! | 0x20) === 0x73 && (b[s + 4]! | 0x20) === 0x65 ? 2 : -1;
  }
  return n === 0 ? 0 : -1;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether a year of the proleptic Gregorian calendar has 29 February. */
export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** A real date written YYYY-MM-DD as yyyymmdd (≥ 101), 0 if empty, -1 otherwise. */
export function dateCode(b: Uint8Array, s: number, e: number): number {
  if (e === s) return 0;
  if (e - s !== 10 || b[s + 4] !== 45 || b[s + 7] !== 45) return -1;
  const d0 = b[s]! - 48, d1 = b[s + 1]! - 48, d2 = b[s + 2]! - 48, d3 = b[s + 3]! - 48;
  const m0 = b[s + 5]! - 48, m1 = b[s + 6]! - 48, a0 = b[s + 8]! - 48, a1 = b[s + 9]! - 48;
  // An unsigned compare per digit: any byte outside '0'..'9' gives a value above 9.
  if ((d0 >>> 0) > 9 || (d1 >>> 0) > 9 || (d2 >>> 0) > 9 || (d3 >>> 0) > 9 ||
    (m0 >>> 0) > 9 || (m1 >>> 0) > 9 || (a0 >>> 0) > 9 || (a1 >>> 0) > 9) return -1;
  const y = d0 * 1000 + d1 * 100 + d2 * 10 + d3;
  const mo = m0 * 10 + m1;
  const d = a0 * 10 + a1;
  if (mo < 1 || mo > 12 || d < 1) return -1;
  if (d > (mo === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[mo]!)) return -1;
  return y * 10000 + mo * 100 + d;
}

/** Number problems, as codes: the engine checks in this order. */
export const NUM_OK = 1;
export const NUM_EMPTY = 0;
export const NUM_NOT_A_NUMBER = -1;
export const NUM_TOO_LARGE = -2;
export const NUM_OUT_OF_RANGE = -3;

/**
 * Parses a trimmed span as the engine's Decimal.parse does (sign, digits with an optional
 * fraction — "5." and ".5" too — and an optional exponent of at most ±1000), into `out`, then
 * checks it as a number field: |v| < 10^15, v ≥ 0 and, for a score, v ≤ 100.
 */
export function readNumber(b: Uint8Array, s: number, e: number, row: Row, k: number, max100: boolean): number {
  row.numState[k] = 0;
  if (s === e) return NUM_EMPTY;
  let i = s;
  const first = b[i];
  const negative = first === 45;
  if (negative || first === 43) i++;
  let m = 0;
  const intStart = i;
  for (; i < e; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) break;
    m = m * 10 + d;
  }
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < e && b[i] === 46) {
    fracStart = ++i;
    for (; i < e; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) break;
      m = m * 10 + d;
    }
    fracEnd = i;
  }
  if (intEnd - intStart + fracEnd - fracStart === 0) return NUM_NOT_A_NUMBER;
  let exp = 0;
  if (i < e && (b[i] === 69 || b[i] === 101)) {
    i++;
    const sign = b[i];
    const negExp = sign === 45;
    if (negExp || sign === 43) i++;
    let expDigits = 0;
    for (; i < e; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) break;
      exp = Math.min(exp * 10 + d, 10000); // capped like the engine: past ±1000 is refused anyway
      expDigits++;
    }
    if (expDigits === 0) return NUM_NOT_A_NUMBER;
    if (negExp) exp = -exp;
  }
  if (i !== e || Math.abs(exp) > 1000) return NUM_NOT_A_NUMBER;
  const scale = fracEnd - fracStart - exp;
  // The accumulated mantissa is exact while it stays a safe integer (and is then above
  // MAX_SAFE once the true one is), exactly as in the engine's scanner.
  if (m <= MAX_SAFE) {
    if (m === 0) setSmall(row, k, 0, 0);
    else if (scale >= 0) setSmall(row, k, negative ? -m : m, scale);
    else {
      const r = -scale < POW10.length ? m * POW10[-scale]! : Infinity;
      if (r <= MAX_SAFE) setSmall(row, k, negative ? -r : r, 0);
      else setBig(row, k, bigOf(BigInt(negative ? -m : m), scale));
    }
  } else {
    let digits = '';
    for (let i = intStart; i < intEnd; i++) digits += String.fromCharCode(b[i]!);
    for (let i = fracStart; i < fracEnd; i++) digits += String.fromCharCode(b[i]!);
    const bm = BigInt(digits);
    setBig(row, k, bigOf(negative ? -bm : bm, scale));
  }
  return checkNumber(row, k, max100);
}

function setSmall(row: Row, k: number, m: number, s: number): void {
  row.numState[k] = 1;
  row.numM[k] = m;
  row.numS[k] = s;
}

function setBig(row: Row, k: number, b: Big): void {
  row.numState[k] = 2;
  row.numBig[k] = b;
}

const LIMIT15 = bigOf(1n, -15);
const HUNDRED = bigOf(100n, 0);

/** Range checks of a parsed number: too large first, then outside min 0 / max 100. */
function checkNumber(row: Row, k: number, max100: boolean): number {
  if (row.numState[k] === 1) {
    const m = row.numM[k]!;
    const s = row.numS[k]!;
    // With a scale of 1 or more, |m| ≤ 2^53 < 10^16 ≤ 10^(15+s): never too large.
    if (s === 0 && (m >= 1e15 || m <= -1e15)) return NUM_TOO_LARGE;
    if (m < 0) return NUM_OUT_OF_RANGE;
    // 100·10^s exceeds any safe mantissa from s = 14 on.
    if (max100 && s <= 13 && m > 100 * POW10[s]!) return NUM_OUT_OF_RANGE;
    return NUM_OK;
  }
  const b = row.numBig[k]!;
  const abs = b.m < 0n ? { m: -b.m, s: b.s } : b;
  if (bigCmp(abs, LIMIT15) >= 0) return NUM_TOO_LARGE;
  if (b.m < 0n) return NUM_OUT_OF_RANGE;
  if (max100 && bigCmp(b, HUNDRED) > 0) return NUM_OUT_OF_RANGE;
  return NUM_OK;
}

// ── Whole rows, the general way ──────────────────────────────────────────────────────────────

const KIND_BYTES = enumBytes(RECORD_FIELDS[F_KIND]!);
const LEVEL_BYTES = enumBytes(RECORD_FIELDS[F_LEVEL]!);
const FORMAT_BYTES = enumBytes(RECORD_FIELDS[F_FORMAT]!);
const MODULE_BYTES = enumBytes(RECORD_FIELDS[F_MODULE]!);
const STATUS_BYTES = enumBytes(RECORD_FIELDS[F_STATUS]!);

/**
 * Reads every field of `row` from its span (set `row.buf`, `row.fs`, `row.fe` first); sets
 * `row.bad` when any does not fit. The general path: any spelling the engine accepts.
 */
export function readRecord(row: Row): void {
  const b = row.buf;
  let bad = 0;
  const span = (f: number): void => {
    const s = row.fs[f]!;
    if (s < 0) trim(b, 0, 0);
    else trim(b, s, row.fe[f]!);
  };
  span(F_RECORD_ID);
  row.idS = trimStart;
  row.idE = trimEnd;
  if (trimStart === trimEnd) bad |= 1 << F_RECORD_ID;
  span(F_TEACHER_ID);
  row.tS = trimStart;
  row.tE = trimEnd;
  if (trimStart === trimEnd) bad |= 1 << F_TEACHER_ID;
  span(F_DATE);
  row.date = dateCode(b, trimStart, trimEnd);
  if (row.date <= 0) bad |= 1 << F_DATE;
  else row.year = Math.floor(row.date / 10000);
  span(F_KIND);
  row.kind = enumCode(KIND_BYTES, b, trimStart, trimEnd);
  if (row.kind <= 0) bad |= 1 << F_KIND;
  span(F_LEVEL);
  row.level = enumCode(LEVEL_BYTES, b, trimStart, trimEnd);
  if (row.level < 0) bad |= 1 << F_LEVEL;
  span(F_FORMAT);
  row.format = enumCode(FORMAT_BYTES, b, trimStart, trimEnd);
  if (row.format < 0) bad |= 1 << F_FORMAT;
  span(F_MODULE);
  row.module = enumCode(MODULE_BYTES, b, trimStart, trimEnd);
  if (row.module < 0) bad |= 1 << F_MODULE;
  span(F_ELECTIVE);
  row.elective = boolCode(b, trimStart, trimEnd);
  if (row.elective < 0) bad |= 1 << F_ELECTIVE;
  span(F_DAYS);
  if (readNumber(b, trimStart, trimEnd, row, N_DAYS, false) < 0) bad |= 1 << F_DAYS;
  span(F_HOURS);
  if (readNumber(b, trimStart, trimEnd, row, N_HOURS, false) < 0) bad |= 1 << F_HOURS;
  span(F_PRACTICAL);
  if (readNumber(b, trimStart, trimEnd, row, N_PRACTICAL, false) < 0) bad |= 1 << F_PRACTICAL;
  span(F_RATE);
  if (readNumber(b, trimStart, trimEnd, row, N_RATE, false) < 0) bad |= 1 << F_RATE;
  span(F_SCORE);
  if (readNumber(b, trimStart, trimEnd, row, N_SCORE, true) < 0) bad |= 1 << F_SCORE;
  span(F_IN_SYSTEM);
  row.inSystem = boolCode(b, trimStart, trimEnd);
  if (row.inSystem <= 0) bad |= 1 << F_IN_SYSTEM;
  span(F_STATUS);
  row.status = enumCode(STATUS_BYTES, b, trimStart, trimEnd);
  if (row.status <= 0) bad |= 1 << F_STATUS;
  row.badFields = bad;
  row.bad = bad !== 0;
}

/**
 * What an explanation of a bad row depends on: which fields do not fit and their trimmed
 * texts, as a string (to key a cache of explanations: a broken export repeats its problem on
 * every row).
 */
export function problemKey(row: Row): string {
  let key = String(row.badFields);
  const b = row.buf;
  for (let f = 0; f < RECORD_FIELD_COUNT; f++) {
    if ((row.badFields & (1 << f)) === 0) continue;
    const s = row.fs[f]!;
    if (s < 0) trim(b, 0, 0);
    else trim(b, s, row.fe[f]!);
    const text = decode(b, trimStart, trimEnd);
    key += ` ${text.length}:${text}`; // lengths make the key unambiguous
  }
  return key;
}

/** Why a row was rejected: reason (every problem, joined "; "), the first bad field, its article. */
export interface Explanation {
  readonly reason: string;
  readonly rule: string;
  readonly article: string | null;
}

const scratchRow = new Row();

/**
 * A value as the engine's reasons quote it: whole up to 80 UTF-16 units; else 48 units, '…', the
 * last 16 and the length, moving either cut by one rather than split a surrogate pair.
 */
function quoted(t: string): string {
  if (t.length <= 80) return t;
  const surrogate = (i: number, lo: number) => t.charCodeAt(i) >= lo && t.charCodeAt(i) <= lo + 0x3ff;
  const head = surrogate(47, 0xd800) ? 47 : 48;
  const tail = surrogate(t.length - 16, 0xdc00) ? t.length - 15 : t.length - 16;
  return `${t.slice(0, head)}…${t.slice(tail)} (${t.length} chars)`;
}

/** The engine's problem text for one field's trimmed text, or undefined when it fits. */
function problem(f: FieldSpec, b: Uint8Array, s: number, e: number): string | undefined {
  if (s === e) return f.required ? `缺少必填字段 ${f.id} / required field ${f.id} is missing` : undefined;
  const text = (): string => quoted(decode(b, s, e));
  switch (f.type) {
    case 'text':
      return undefined;
    case 'enum':
      return enumCode(ENUM_BYTES.get(f.values!)!, b, s, e) > 0 ? undefined
        : `${f.id} 的值 '${text()}' 不是允许的值（${f.values!.join('、')}） / ${f.id}: '${text()}' is not one of ${f.values!.join(', ')}`;
    case 'bool':
      return boolCode(b, s, e) > 0 ? undefined : `${f.id} 的值 '${text()}' 应为 true 或 false / ${f.id}: '${text()}' is not true or false`;
    case 'date':
      return dateCode(b, s, e) > 0 ? undefined
        : `${f.id} 的值 '${text()}' 不是有效日期（YYYY-MM-DD） / ${f.id}: '${text()}' is not a date (YYYY-MM-DD)`;
    case 'number': {
      const r = readNumber(b, s, e, scratchRow, 0, f.max100 === true);
      if (r === NUM_NOT_A_NUMBER) return `${f.id} 的值 '${text()}' 不是数字 / ${f.id}: '${text()}' is not a number`;
      if (r === NUM_TOO_LARGE) return `${f.id} 的值 '${text()}' 大得不合情理 / ${f.id}: '${text()}' is too large to be a real value`;
      if (r === NUM_OUT_OF_RANGE) return `${f.id} 的值 ${text()} 超出范围 ${f.range!} / ${f.id}: ${text()} is outside ${f.range!}`;
      return undefined;
    }
  }
}

/**
 * Explains a row that does not fit: every field's problem in declaration order, joined "; "
 * (as the engine's readFields does), the rule being the first bad field. `starts`/`ends` give
 * each field's raw span in `b` (start -1: the column is absent).
 */
export function explain(fields: readonly FieldSpec[], b: Uint8Array, starts: Int32Array, ends: Int32Array): Explanation {
  const problems: string[] = [];
  let first: FieldSpec | undefined;
  for (let k = 0; k < fields.length; k++) {
    const f = fields[k]!;
    if (starts[k]! < 0) trim(b, 0, 0);
    else trim(b, starts[k]!, ends[k]!);
    const p = problem(f, b, trimStart, trimEnd);
    if (p !== undefined) {
      problems.push(p);
      first ??= f;
    }
  }
  if (!first) throw new Error('explain: the row has no problem');
  return { reason: problems.join('; '), rule: first.id, article: first.article };
}
