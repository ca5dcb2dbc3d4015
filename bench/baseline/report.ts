// The report, written as compact JSON bytes in the engine's key order: the policy, every
// teacher (sorted by id as JS sorts strings) with cycle and yearly measures and violations, the
// rejected rows, and the summary. Requirements are checked here, teacher by teacher.

import { exactAdd, exactCents, exactCmp, isSafe, MAX_SAFE, scaledCents, SCALE, shareCents, toBig, type Big, type Exact } from './exact.ts';
import { ByteOut, putCents, putNum8, putWords, utf8, words } from './out.ts';
import type { Evaluator, RowTally } from './records.ts';
import {
  CYCLE_COUNTY, CYCLE_CREDITS, CYCLE_FROM, CYCLE_HOURS, CYCLE_MODULE, CYCLE_SCHOOL, CYCLE_TO, CYCLE_YEARS,
  ELECTIVE_MINIMUM, FLOOR_MODULES, INDUCTION_FLOOR, INDUCTION_PRACTICE, INDUCTION_TOTAL, MODULES, OUTSIDE_INDUCTION,
  OUTSIDE_PRACTICAL, PRACTICE_FLOOR, SLOTS, S_COUNTY, S_CREDITS, S_ELECTIVE, S_HOURS, S_INDUCTION, S_MODULE, S_PRACTICAL,
  S_SCHOOL, YEARLY_COUNTY, YEARLY_COUNTY_FLOOR, YEARLY_CREDITS, YEARLY_CREDITS_FLOOR, YEARLY_HOURS, YEARLY_HOURS_FLOOR,
  YEARLY_MODULE, YEARLY_SCHOOL, YEARLY_SCHOOL_FLOOR, YEAR_SLOTS, type Requirement,
} from './rules.ts';
import { compareUtf16 } from './text.ts';

const J_HEAD = utf8('{"policy":{"id":"lincang.teacher-training","version":"2017.1","document":"临教发〔2017〕105号","effective":"2017-08-28"},"teachers":[');
const J_TEACHER_ID = words(utf8('{"teacher_id":'));
const J_COMPLIANT = words(utf8(',"compliant":true,"credits":'));
const J_NOT_COMPLIANT = words(utf8(',"compliant":false,"credits":'));
const J_HOURS = utf8(',"hours":');
const J_COUNTY = utf8(',"county_hours":');
const J_SCHOOL = utf8(',"school_hours":');
const J_MODULES = MODULES.map((m, i) => utf8(`${i === 0 ? ',"modules":{' : ','}"${m}":`));
const J_ELECTIVE = utf8('},"elective_credits":');
const J_SHARE = utf8(',"elective_share":');
const J_INDUCTION = utf8(',"induction_hours":');
const J_PRACTICAL = utf8(',"induction_practical":');
/** Opening each year's measures (closing the previous year's). */
const J_YEARS = Array.from({ length: CYCLE_YEARS }, (_, i) => words(utf8(`${i === 0 ? ',"years":{' : '},'}"${CYCLE_FROM + i}":{"credits":`)));
const J_VIOLATIONS = words(utf8('}},"violations":['));
const J_RECORDS = words(utf8('],"records":{"evaluated":'));
const J_DISREGARDED = words(utf8(',"disregarded":'));
const J_SCHOOL_ID = words(utf8('},"school_id":'));
const J_COUNTY_ID = words(utf8(',"county_id":'));
const J_HIRED_ON = words(utf8(',"hired_on":'));
const J_NULL = utf8('null');
const J_REJECTED = utf8('],"rejected":[');
const J_ACTUAL = utf8(',"actual":');
const J_REQUIRED = utf8(',"required":');
const J_MSG_ACTUAL = utf8('实际 ');
const J_MSG_HAS = utf8(' has ');
/** Room for one scope's keys (under 300 bytes) and fourteen numbers (at most 13 bytes each). */
const SCOPE_ROOM = 1024;

/** The constant pieces of one requirement's violations (per loop key, for module floors). */
interface Pieces {
  readonly id: string;
  /** `{"rule":…,"key":…,"article":…,"year":` */
  readonly head: Uint8Array;
  /** `,"message":"<label>（key）：` */
  readonly msgLabel: Uint8Array;
  /** `<unit>，要求不少于 ` */
  readonly msgRequires: Uint8Array;
  /** `<unit> / <label> (key): ` */
  readonly msgEn: Uint8Array;
  /** ` <unit>, requires at least ` */
  readonly msgEnRequires: Uint8Array;
  /** ` <unit>"}` */
  readonly msgEnd: Uint8Array;
  /**
   * A violation's bytes between its three uses of the actual value, by year and required value
   * (only the actual value differs between the violations of one requirement, key, year and
   * floor). Not for elective_minimum, whose required value differs from teacher to teacher.
   */
  readonly cache: Map<number, readonly Uint8Array[]> | undefined;
}

function pieces(r: Requirement, key?: string, cached = true): Pieces {
  const keyJson = key === undefined ? '' : `,"key":${JSON.stringify(key)}`;
  const keyZh = key === undefined ? '' : `（${key}）`;
  const keyEn = key === undefined ? '' : ` (${key})`;
  return {
    id: r.id,
    head: utf8(`{"rule":${JSON.stringify(r.id)}${keyJson},"article":${JSON.stringify(r.article)},"year":`),
    msgLabel: utf8(`,"message":"${r.zh}${keyZh}：`),
    msgRequires: utf8(`${r.unitZh}，要求不少于 `),
    msgEn: utf8(`${r.unitZh} / ${r.en}${keyEn}: `),
    msgEnRequires: utf8(` ${r.unitEn}, requires at least `),
    msgEnd: utf8(` ${r.unitEn}"}`),
    cache: cached ? new Map() : undefined,
  };
}

const P_YEARLY_HOURS = pieces(YEARLY_HOURS);
const P_YEARLY_COUNTY = pieces(YEARLY_COUNTY);
const P_YEARLY_SCHOOL = pieces(YEARLY_SCHOOL);
const P_YEARLY_CREDITS = pieces(YEARLY_CREDITS);
const P_YEARLY_MODULE = FLOOR_MODULES.map((m) => pieces(YEARLY_MODULE, m.name));
const P_CYCLE_HOURS = pieces(CYCLE_HOURS);
const P_CYCLE_COUNTY = pieces(CYCLE_COUNTY);
const P_CYCLE_SCHOOL = pieces(CYCLE_SCHOOL);
const P_CYCLE_CREDITS = pieces(CYCLE_CREDITS);
const P_CYCLE_MODULE = FLOOR_MODULES.map((m) => pieces(CYCLE_MODULE, m.name));
const P_ELECTIVE = pieces(ELECTIVE_MINIMUM, undefined, false);
const P_INDUCTION_TOTAL = pieces(INDUCTION_TOTAL);
const P_INDUCTION_PRACTICE = pieces(INDUCTION_PRACTICE);
const YEAR_ZH = Array.from({ length: CYCLE_YEARS }, (_, i) => utf8(`${CYCLE_FROM + i}年`));
const YEAR_EN = Array.from({ length: CYCLE_YEARS }, (_, i) => utf8(String(CYCLE_FROM + i)));
const CYCLE_ZH = utf8('本周期');
const CYCLE_EN = utf8('cycle');

/** The floors checked per year (and, × n, per cycle), in policy order: slot, yearly floor, pieces. */
const FLOORS = [
  { slot: S_HOURS, yearly: YEARLY_HOURS_FLOOR, year: P_YEARLY_HOURS, cycle: P_CYCLE_HOURS },
  { slot: S_COUNTY, yearly: YEARLY_COUNTY_FLOOR, year: P_YEARLY_COUNTY, cycle: P_CYCLE_COUNTY },
  { slot: S_SCHOOL, yearly: YEARLY_SCHOOL_FLOOR, year: P_YEARLY_SCHOOL, cycle: P_CYCLE_SCHOOL },
  { slot: S_CREDITS, yearly: YEARLY_CREDITS_FLOOR, year: P_YEARLY_CREDITS, cycle: P_CYCLE_CREDITS },
  ...FLOOR_MODULES.map((m, i) => ({ slot: S_MODULE + m.code - 1, yearly: m.yearly, year: P_YEARLY_MODULE[i]!, cycle: P_CYCLE_MODULE[i]! })),
];
const FLOOR_SLOT = Int32Array.from(FLOORS, (f) => f.slot);
const FLOOR_YEARLY = Float64Array.from(FLOORS, (f) => f.yearly);
const YEARLY_PIECES = FLOORS.map((f) => f.year);
const CYCLE_PIECES = FLOORS.map((f) => f.cycle);

/** The keys before each value of a scope after `credits` (whose key the caller writes), and their slots (-1: the share). */
const SCOPE_KEYS = [J_HOURS, J_COUNTY, J_SCHOOL, ...J_MODULES, J_ELECTIVE, J_SHARE, J_INDUCTION, J_PRACTICAL].map(words);
const SCOPE_SLOTS = Int32Array.from([S_HOURS, S_COUNTY, S_SCHOOL, ...MODULES.map((_, m) => S_MODULE + m), S_ELECTIVE, -1, S_INDUCTION, S_PRACTICAL]);

/** One failed requirement, kept until the teacher's measures are written. */
interface Failure {
  p: Pieces;
  /** Year index, or -1 for the cycle. */
  year: number;
  actual: number | bigint;
  required: number | bigint;
}

/** Writes the report of a finished evaluation; `violationsByRule` is filled on the way. */
export class ReportWriter {
  /**
   * One teacher's values: the years' slots, then the cycle's. A safe integer counting 10^-SCALE
   * (nearly always), or NaN with the exact value in `bigValues`.
   */
  private readonly values = new Float64Array((CYCLE_YEARS + 1) * YEAR_SLOTS);
  private readonly bigValues: (Big | undefined)[] = new Array<Big | undefined>((CYCLE_YEARS + 1) * YEAR_SLOTS).fill(undefined);
  private readonly failures: Failure[] = [];
  private failureCount = 0;
  private readonly violationsByRule = new Map<string, number>();
  private compliant = 0;

  constructor(private readonly ev: Evaluator, private readonly w: ByteOut) {}

  /** The whole report, then a newline; flushes the writer. */
  write(): void {
    const w = this.w;
    const ev = this.ev;
    w.bytes(J_HEAD);
    const order = this.reported();
    for (let k = 0; k < order.length; k++) {
      if (k > 0) w.byte(0x2c);
      this.teacher(order[k]!);
    }
    w.bytes(J_REJECTED);
    for (const chunk of ev.rejectedChunks) w.bytes(chunk);
    w.bytes(ev.rejected.buf.subarray(0, ev.rejected.pos));
    w.ascii('],"summary":{');
    this.tally(ev.records);
    w.ascii(`,"teachers":${order.length},"compliant":${this.compliant},"non_compliant":${order.length - this.compliant},"violations_by_rule":`);
    this.map(this.violationsByRule);
    const t = ev.teacherRows;
    w.ascii(`,"teachers_file":{"rows_read":${t.read},"accepted":${t.evaluated},"rejected":${t.rejected}}}}\n`);
    w.flush();
  }

  /** The teachers in the results (listed, or with an evaluated row), in the engine's id order. */
  private reported(): number[] {
    const tt = this.ev.teachers;
    const out: number[] = [];
    for (let t = 0; t < tt.count; t++) if (tt.listed[t] === 1 || tt.evaluated[t]! > 0) out.push(t);
    const a = tt.arena;
    const st = tt.idStart;
    const ln = tt.idLen;
    out.sort((x, y) => compareUtf16(a, st[x]!, st[x]! + ln[x]!, a, st[y]!, st[y]! + ln[y]!));
    return out;
  }

  private tally(c: RowTally): void {
    const w = this.w;
    let disregarded = 0;
    for (const v of c.disregardedBy.values()) disregarded += v;
    w.ascii(`"rows_read":${c.read},"evaluated":${c.evaluated},"disregarded":${disregarded},"rejected":${c.rejected},"out_of_scope":${c.outOfScope},"disregarded_by_rule":`);
    this.map(c.disregardedBy);
    w.ascii(',"rejected_by_rule":');
    this.map(c.rejectedBy);
    w.ascii(',"out_of_scope_by_rule":');
    this.map(c.outOfScopeBy);
  }

  /** A map of counts as a JSON object, keys in insertion (first occurrence) order. */
  private map(m: Map<string, number>): void {
    const w = this.w;
    w.byte(0x7b);
    let first = true;
    for (const [k, v] of m) {
      if (!first) w.byte(0x2c);
      first = false;
      w.jsonText(k);
      w.byte(0x3a);
      w.uint(v);
    }
    w.byte(0x7d);
  }

  private fail(p: Pieces, year: number, actual: Exact, required: Exact): void {
    const f = this.failures[this.failureCount];
    const a = exactCents(actual);
    const r = exactCents(required);
    if (f) {
      f.p = p;
      f.year = year;
      f.actual = a;
      f.required = r;
    } else this.failures.push({ p, year, actual: a, required: r });
    this.failureCount++;
    this.violationsByRule.set(p.id, (this.violationsByRule.get(p.id) ?? 0) + 1);
  }

  /** Value `i` of the current teacher. */
  private value(i: number): Exact {
    const x = this.values[i]!;
    return x === x ? x : this.bigValues[i]!;
  }

  /** Sets value `i` (from a slot, or a sum). */
  private setValue(i: number, x: Exact): void {
    if (typeof x === 'number') this.values[i] = x;
    else {
      this.values[i] = NaN;
      this.bigValues[i] = x;
    }
  }

  /** Adds `x` to value `i`. */
  private addValue(i: number, x: number, big: Big | undefined): void {
    const v = this.values[i]! + x; // NaN if either side is a bigint
    if (v <= MAX_SAFE) this.values[i] = v;
    else this.setValue(i, exactAdd(this.value(i), big ?? x));
  }

  /** `value(i) ≥ floor` for a floor that is a safe integer count of 10^-SCALE. */
  private check(p: Pieces, year: number, i: number, floor: number): void {
    const x = this.values[i]!;
    if (x === x ? x < floor : exactCmp(this.bigValues[i]!, floor) < 0) this.fail(p, year, this.value(i), floor);
  }

  private teacher(t: number): void {
    const tt = this.ev.teachers;
    const v = this.values;
    const sums = tt.sums;
    const at = t * SLOTS;
    const cyc = CYCLE_YEARS * YEAR_SLOTS;
    for (let s = 0; s < YEAR_SLOTS; s++) {
      // Every slot is ≥ 0, so a double sum of safe integers is exact unless it passes 2^53,
      // and then it stays above MAX_SAFE; NaN (a bigint slot) fails the test as well.
      let sum = 0;
      for (let i = s; i < cyc; i += YEAR_SLOTS) {
        const x = sums[at + i]!;
        v[i] = x;
        sum += x;
      }
      if (sum <= MAX_SAFE) v[cyc + s] = sum;
      else {
        v[cyc + s] = 0;
        for (let i = s; i < cyc; i += YEAR_SLOTS) {
          const x = v[i]!;
          let big: Big | undefined;
          if (x !== x) this.bigValues[i] = big = tt.bigs.get(at + i)!;
          if (x !== 0) this.addValue(cyc + s, x, big);
        }
      }
    }
    const oi = sums[at + OUTSIDE_INDUCTION]!;
    if (oi !== 0) this.addValue(cyc + S_INDUCTION, oi, oi === oi ? undefined : tt.bigs.get(at + OUTSIDE_INDUCTION));
    const op = sums[at + OUTSIDE_PRACTICAL]!;
    if (op !== 0) this.addValue(cyc + S_PRACTICAL, op, op === op ? undefined : tt.bigs.get(at + OUTSIDE_PRACTICAL));

    // Requirements, per year then for the cycle, in policy order.
    this.failureCount = 0;
    const hired = tt.hired[t]!;
    const hireYear = Math.floor(hired / 10000);
    const isNew = hired > 0 && hireYear >= CYCLE_FROM && hireYear <= CYCLE_TO;
    // first_year_counts is false: a new teacher's floors start the year after the hire.
    const counted = isNew ? CYCLE_TO - hireYear : CYCLE_YEARS;
    for (let y = 0; y < CYCLE_YEARS; y++) {
      if (isNew && CYCLE_FROM + y <= hireYear) continue;
      const b = y * YEAR_SLOTS;
      for (let k = 0; k < FLOORS.length; k++) {
        const x = v[b + FLOOR_SLOT[k]!]!;
        if (x === x ? x < FLOOR_YEARLY[k]! : exactCmp(this.bigValues[b + FLOOR_SLOT[k]!]!, FLOOR_YEARLY[k]!) < 0) {
          this.fail(YEARLY_PIECES[k]!, y, this.value(b + FLOOR_SLOT[k]!), FLOOR_YEARLY[k]!);
        }
      }
    }
    if (counted > 0) {
      // The cycle floors are five times the yearly ones, so floor × n / 5 is the yearly floor × n.
      for (let k = 0; k < FLOORS.length; k++) {
        const floor = FLOOR_YEARLY[k]! * counted;
        const i = cyc + FLOOR_SLOT[k]!;
        const x = v[i]!;
        if (x === x ? x < floor : exactCmp(this.bigValues[i]!, floor) < 0) this.fail(CYCLE_PIECES[k]!, -1, this.value(i), floor);
      }
      this.electiveMinimum(this.value(cyc + S_ELECTIVE), this.value(cyc + S_CREDITS));
    }
    if (isNew) {
      this.check(P_INDUCTION_TOTAL, -1, cyc + S_INDUCTION, INDUCTION_FLOOR);
      this.check(P_INDUCTION_PRACTICE, -1, cyc + S_PRACTICAL, PRACTICE_FLOOR);
    }
    if (this.failureCount === 0) this.compliant++;

    const w = this.w;
    w.words(J_TEACHER_ID);
    w.jsonSpan(tt.arena, tt.idStart[t]!, tt.idStart[t]! + tt.idLen[t]!);
    w.words(this.failureCount === 0 ? J_COMPLIANT : J_NOT_COMPLIANT);
    this.measures(cyc);
    for (let y = 0; y < CYCLE_YEARS; y++) {
      w.words(J_YEARS[y]!);
      this.measures(y * YEAR_SLOTS);
    }
    w.words(J_VIOLATIONS);
    for (let k = 0; k < this.failureCount; k++) {
      if (k > 0) w.byte(0x2c);
      this.violation(this.failures[k]!);
    }
    w.words(J_RECORDS);
    w.uint(tt.evaluated[t]!);
    w.words(J_DISREGARDED);
    w.uint(tt.disregarded[t]!);
    w.words(J_SCHOOL_ID);
    if (tt.schoolStart[t]! < 0) w.bytes(J_NULL);
    else w.jsonSpan(tt.arena, tt.schoolStart[t]!, tt.schoolStart[t]! + tt.schoolLen[t]!);
    w.words(J_COUNTY_ID);
    if (tt.countyStart[t]! < 0) w.bytes(J_NULL);
    else w.jsonSpan(tt.arena, tt.countyStart[t]!, tt.countyStart[t]! + tt.countyLen[t]!);
    w.words(J_HIRED_ON);
    if (hired === 0) w.bytes(J_NULL);
    else w.ascii(`"${dateText(hired)}"`);
    w.byte(0x7d);
  }

  /** elective_minimum: elective credits ≥ 0.6 × credits, i.e. 10·E ≥ 6·C. */
  private electiveMinimum(e: Exact, c: Exact): void {
    if (typeof e === 'number' && typeof c === 'number' && isSafe(10 * e) && isSafe(6 * c)) {
      if (10 * e < 6 * c) this.failRaw(P_ELECTIVE, exactCents(e), scaledCents(6 * c, SCALE + 1));
      return;
    }
    const eb = toBig(e);
    const cb = toBig(c);
    const required = { m: cb.m * 6n, s: cb.s + 1 };
    if (exactCmp(eb, required) < 0) this.failRaw(P_ELECTIVE, exactCents(eb), exactCents(required));
  }

  private failRaw(p: Pieces, actual: number | bigint, required: number | bigint): void {
    this.failures[this.failureCount] = { p, year: -1, actual, required };
    this.failureCount++;
    this.violationsByRule.set(p.id, (this.violationsByRule.get(p.id) ?? 0) + 1);
  }

  /** Writes value `i` (a bigint one) through the writer, then makes room for the rest of a scope. */
  private slowNum(pos: number, i: number): number {
    const w = this.w;
    w.pos = pos;
    w.exact(this.bigValues[i]!);
    w.room(SCOPE_ROOM);
    return w.pos;
  }

  /**
   * The nine measures of one scope (cycle or year), from `credits`'s value on: one reservation
   * of room, then keys and numbers written at a running position, in one loop (so that the
   * number writer has one call site and is inlined).
   */
  private measures(b: number): void {
    const w = this.w;
    const v = this.values;
    w.room(SCOPE_ROOM);
    let buf = w.buf;
    let dv = w.dv;
    let pos = w.pos;
    for (let k = -1; k < SCOPE_KEYS.length; k++) {
      let i = b + S_CREDITS;
      if (k >= 0) {
        pos = putWords(dv, pos, SCOPE_KEYS[k]!);
        const slot = SCOPE_SLOTS[k]!;
        if (slot < 0) {
          pos = this.share(pos, b);
          buf = w.buf;
          dv = w.dv;
          continue;
        }
        i = b + slot;
      }
      const x = v[i]!;
      if (x === x) pos = putNum8(buf, pos, x);
      else {
        pos = this.slowNum(pos, i);
        buf = w.buf;
        dv = w.dv;
      }
    }
    w.pos = pos;
  }

  /** elective_share of a scope: elective credits / credits, x / 0 = 0. */
  private share(pos: number, b: number): number {
    const w = this.w;
    const e = this.values[b + S_ELECTIVE]!;
    const c = this.values[b + S_CREDITS]!;
    if (e === 0 || c === 0) {
      w.buf[pos] = 48;
      return pos + 1;
    }
    const share = shareCents(this.value(b + S_ELECTIVE), this.value(b + S_CREDITS));
    if (typeof share === 'number' && share < 214748364700) return putCents(w.buf, pos, share, false);
    w.pos = pos;
    w.cents(share);
    w.room(SCOPE_ROOM);
    return w.pos;
  }

  private violation(f: Failure): void {
    const w = this.w;
    const p = f.p;
    const cache = p.cache;
    if (cache !== undefined && typeof f.required === 'number' && f.required < 1e12) {
      const key = (f.year + 1) * 1e12 + f.required;
      let parts = cache.get(key);
      if (parts === undefined) cache.set(key, (parts = violationParts(p, f.year, f.required)));
      w.bytes(parts[0]!);
      w.cents(f.actual);
      w.bytes(parts[1]!);
      w.fixed(f.actual);
      w.bytes(parts[2]!);
      w.fixed(f.actual);
      w.bytes(parts[3]!);
      return;
    }
    writeViolation(w, p, f.year, f.actual, f.required);
  }
}

/**
 * A violation: `{"rule":…,"key":…,"article":…,"year":…,"actual":…,"required":…,"message":…}`,
 * the message as the engine words it, "中文 / English", with the values to two decimals. Returns
 * the positions where the actual value is written, for {@link violationParts}.
 */
function writeViolation(w: ByteOut, p: Pieces, year: number, actual: number | bigint, required: number | bigint): number[] {
  const at: number[] = [];
  w.bytes(p.head);
  if (year < 0) w.bytes(J_NULL);
  else w.uint(CYCLE_FROM + year);
  w.bytes(J_ACTUAL);
  at.push(w.pos);
  w.cents(actual);
  at.push(w.pos);
  w.bytes(J_REQUIRED);
  w.cents(required);
  w.bytes(p.msgLabel);
  w.bytes(year < 0 ? CYCLE_ZH : YEAR_ZH[year]!);
  w.bytes(J_MSG_ACTUAL);
  at.push(w.pos);
  w.fixed(actual);
  at.push(w.pos);
  w.bytes(p.msgRequires);
  w.fixed(required);
  w.bytes(p.msgEn);
  w.bytes(year < 0 ? CYCLE_EN : YEAR_EN[year]!);
  w.bytes(J_MSG_HAS);
  at.push(w.pos);
  w.fixed(actual);
  at.push(w.pos);
  w.bytes(p.msgEnRequires);
  w.fixed(required);
  w.bytes(p.msgEnd);
  at.push(w.pos);
  return at;
}

/** The four constant stretches of a violation around its actual value, made by writing one. */
function violationParts(p: Pieces, year: number, required: number): Uint8Array[] {
  const w = new ByteOut(1024);
  const at = writeViolation(w, p, year, 0, required);
  const b = w.bytesView();
  return [b.slice(0, at[0]), b.slice(at[1], at[2]), b.slice(at[3], at[4]), b.slice(at[5], at[6])];
}

/** yyyymmdd as YYYY-MM-DD. */
function dateText(d: number): string {
  const y = Math.floor(d / 10000);
  const md = d % 10000;
  return `${String(y).padStart(4, '0')}-${String(Math.floor(md / 100)).padStart(2, '0')}-${String(md % 100).padStart(2, '0')}`;
}
