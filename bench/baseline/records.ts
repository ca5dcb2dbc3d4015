// What happens to each row once its fields are read: duplicates, field problems, the outcome
// rules in policy order (exclude, rejects, disregards), and the sums a counted record adds to.
// Rejected rows are written to a byte buffer as the report's JSON entries at once.

import { bigMul, bigOf, canonical, MAX_SAFE, POW10, SCALE, type Big } from './exact.ts';
import { dateCode, explain, numBig, problemKey, N_DAYS, N_HOURS, N_PRACTICAL, N_RATE, N_SCORE, type Row } from './fields.ts';
import { IdSet } from './ids.ts';
import { ByteOut, utf8 } from './out.ts';
import {
  BAND_FACTOR100, BAND_FROM, CYCLE_FROM, CYCLE_TO, DISREGARD_RULES, DUPLICATE_ARTICLE, FALSE, HOURS_PER_DAY, INDUCTION,
  INEFFECTIVE, L_SCHOOL, ONLINE, ONLINE_HI10, ONLINE_LO10, OUTSIDE_CYCLE, OUTSIDE_INDUCTION, OUTSIDE_PRACTICAL, RATE_HI10,
  RATE_LO10, RECORD_FIELDS, rateReason, R_INDUCTION_WITHOUT_HOURS, R_RATE_OUT_OF_RANGE, R_SHORT_TERM_WITHOUT_DAYS,
  R_ANNIVERSARY_OUT_OF_RANGE, R_TEACHING_WITHOUT_HOURS, R_TRAINING_WITHOUT_ELECTIVE, R_TRAINING_WITHOUT_HOURS, R_TRAINING_WITHOUT_RATE,
  R_TRAINING_WITHOUT_SCORE, R_WITHOUT_LEVEL, SHORT_TERM, S_COUNTY, S_CREDITS, S_ELECTIVE, S_HOURS, S_INDUCTION, S_MODULE,
  SLOTS, S_PRACTICAL, S_SCHOOL, TEACHER_FIELDS, TEACHING, TEACHING_RATE, TENTHS_TEXT, TRAINING, TRUE, T_COUNTY_ID, T_HIRED_ON,
  T_SCHOOL_ID, T_TEACHER_ID, VOID, YEAR_SLOTS, type RejectRule,
} from './rules.ts';
import { TeacherTable } from './teachers.ts';
import { trim, trimEnd, trimStart } from './text.ts';

const J_RECORD = utf8('{"record_id":');
const J_TEACHER = utf8('{"teacher_id":');
const J_FILE_RECORDS = utf8(',"file":"records","line":');
const J_FILE_TEACHERS = utf8(',"file":"teachers","line":');
const J_REASON = utf8(',"reason":');
const J_RULE = utf8(',"rule":');
const J_ARTICLE = utf8(',"article":');
const J_NULL = utf8('null');

/** A reject rule's JSON tail: `,"reason":"…","rule":"…","article":"…"}`. */
function ruleTail(r: RejectRule): Uint8Array {
  return utf8(`,"reason":${JSON.stringify(r.reason)},"rule":${JSON.stringify(r.id)},"article":${JSON.stringify(r.article)}}`);
}
const TAIL_SHORT_TERM = ruleTail(R_SHORT_TERM_WITHOUT_DAYS);
const TAIL_TRAINING_HOURS = ruleTail(R_TRAINING_WITHOUT_HOURS);
const TAIL_ANNIVERSARY = ruleTail(R_ANNIVERSARY_OUT_OF_RANGE);
const TAIL_LEVEL = ruleTail(R_WITHOUT_LEVEL);
const TAIL_RATE = ruleTail(R_TRAINING_WITHOUT_RATE);
const TAIL_SCORE = ruleTail(R_TRAINING_WITHOUT_SCORE);
const TAIL_ELECTIVE = ruleTail(R_TRAINING_WITHOUT_ELECTIVE);
const TAIL_TEACHING_HOURS = ruleTail(R_TEACHING_WITHOUT_HOURS);
const TAIL_INDUCTION_HOURS = ruleTail(R_INDUCTION_WITHOUT_HOURS);

/** Counts of what became of a file's rows, keyed maps in order of first occurrence. */
export interface RowTally {
  read: number;
  evaluated: number;
  rejected: number;
  outOfScope: number;
  readonly rejectedBy: Map<string, number>;
  readonly disregardedBy: Map<string, number>;
  readonly outOfScopeBy: Map<string, number>;
}

function newTally(): RowTally {
  return { read: 0, evaluated: 0, rejected: 0, outOfScope: 0, rejectedBy: new Map(), disregardedBy: new Map(), outOfScopeBy: new Map() };
}

function bump(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

/** `m / 10^s` (m ≥ 0) as a count of 10^-SCALE, or NaN when that is not a safe integer. */
function scaled(m: number, s: number): number {
  if (s <= SCALE) {
    const r = m * POW10[SCALE - s]!;
    return r <= MAX_SAFE ? r : NaN;
  }
  const k = s - SCALE;
  if (k >= POW10.length) return m === 0 ? 0 : NaN;
  const p = POW10[k]!;
  return m % p === 0 ? m / p : NaN;
}

/** Whether number field `k` of `row` is at least the integer `whole`. */
function atLeast(row: Row, k: number, whole: number): boolean {
  const s = row.numS[k]!;
  if (row.numState[k] === 1 && s <= 13) return row.numM[k]! >= whole * POW10[s]!;
  const b = numBig(row, k);
  return b.m >= BigInt(whole) * 10n ** BigInt(b.s);
}

/** -1, 0, 1 as number field `k` of `row` compares with `tenths / 10`. */
function cmpTenths(row: Row, k: number, tenths: number): number {
  const s = row.numS[k]!;
  if (row.numState[k] === 1 && s <= 15) {
    // m / 10^s vs tenths / 10: m · 10 vs tenths · 10^s, or m vs tenths · 10^(s-1); exact below 2^53
    // (m · 10 is a multiple of 10 below 10^16 when s = 0).
    const m = row.numM[k]!;
    const x = s === 0 ? m * 10 : m;
    const y = s === 0 ? tenths : tenths * POW10[s - 1]!;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const b = numBig(row, k);
  const x = b.m * 10n;
  const y = BigInt(tenths) * 10n ** BigInt(b.s);
  return x < y ? -1 : x > y ? 1 : 0;
}

// addFast relies on this layout of a year's slots.
if (S_SCHOOL !== S_COUNTY + 1 || S_MODULE - 1 !== S_SCHOOL) throw new Error('baseline: slot layout changed');

/** 1 + the coefficient of each band in hundredths, and 0 for a fail (index 4). */
const FACTOR100_OR_FAIL: readonly number[] = [...BAND_FACTOR100, 0];

/** The grade band of the row's score (0 优 … 3 合格), or 4 for a fail: bands by lower bound. */
function bandOf(row: Row): number {
  for (let k = 0; k < BAND_FROM.length; k++) if (atLeast(row, N_SCORE, BAND_FROM[k]!)) return k;
  return BAND_FROM.length;
}

/**
 * The evaluation state of one run: the id sets, the teachers and their sums, what became of
 * every row, and the rejected rows' JSON.
 */
export class Evaluator {
  readonly ids: IdSet;
  /** teacher_id values of the teachers file (the first row with an id owns it). */
  private readonly teacherKeys = new IdSet();
  readonly teachers: TeacherTable;
  /**
   * The report's `rejected` entries, comma separated, in row order: full 1 MiB chunks in
   * `rejectedChunks`, the rest in the writer (a list of chunks, so a file of millions of
   * rejected rows costs their size and no copying).
   */
  readonly rejectedChunks: Uint8Array[] = [];
  readonly rejected = new ByteOut(1 << 20, (chunk) => this.rejectedChunks.push(chunk), true);
  private rejectedEntries = 0;
  /** Explanations of bad rows as JSON tails, with their rules (see rejectProblems). */
  private readonly problemTails = new Map<string, { rule: string; tail: Uint8Array }>();
  /** JSON tails of rate_out_of_range rejections, by rate and range (see rejectRate). */
  private readonly rateTails = new Map<number, Uint8Array>();
  /** The previous record's teacher and a copy of its id. */
  private lastTeacher = -1;
  private lastTeacherId = new Uint8Array(64);
  private lastTeacherLen = 0;
  readonly records = newTally();
  readonly teacherRows = newTally();

  constructor(expectedTeachers?: number, expectedRecords?: number) {
    this.teachers = new TeacherTable(expectedTeachers);
    this.ids = new IdSet(expectedRecords);
  }

  private entryHead(records: boolean, keyBuf: Uint8Array | null, s: number, e: number, line: number): ByteOut {
    const w = this.rejected;
    if (this.rejectedEntries++ > 0) w.byte(0x2c);
    w.bytes(records ? J_RECORD : J_TEACHER);
    if (keyBuf === null || s === e) w.bytes(J_NULL);
    else w.jsonSpan(keyBuf, s, e);
    w.bytes(records ? J_FILE_RECORDS : J_FILE_TEACHERS);
    w.uint(line);
    return w;
  }

  /** A rejected row with a reason made at run time. */
  private rejectText(records: boolean, keyBuf: Uint8Array | null, s: number, e: number, line: number, reason: string, rule: string | null, article: string | null): void {
    const tally = records ? this.records : this.teacherRows;
    tally.rejected++;
    bump(tally.rejectedBy, rule ?? 'unreadable');
    const w = this.entryHead(records, keyBuf, s, e, line);
    w.bytes(J_REASON);
    w.jsonText(reason);
    w.bytes(J_RULE);
    if (rule === null) w.bytes(J_NULL);
    else w.jsonText(rule);
    w.bytes(J_ARTICLE);
    if (article === null) w.bytes(J_NULL);
    else w.jsonText(article);
    w.byte(0x7d);
  }

  /** A record rejected by one of the policy's reject rules. */
  private rejectRule(row: Row, line: number, rule: RejectRule, tail: Uint8Array): void {
    this.records.rejected++;
    bump(this.records.rejectedBy, rule.id);
    this.entryHead(true, row.buf, row.idS, row.idE, line).bytes(tail);
  }

  /**
   * A training record whose rate is outside its range. The reason shows the rate, so its JSON is
   * made per rate and range — and kept, keyed by a number, for the small rates every file
   * repeats.
   */
  private rejectRate(row: Row, line: number, lo: number, hi: number): void {
    const m = row.numM[N_RATE]!;
    const s = row.numS[N_RATE]!;
    const small = row.numState[N_RATE] === 1 && m < 2147483648 && s < 32;
    const key = small ? ((m * 32 + s) * 64 + lo) * 64 + hi : -1;
    let tail = small ? this.rateTails.get(key) : undefined;
    if (tail === undefined) {
      const reason = rateReason(canonical(numBig(row, N_RATE)), TENTHS_TEXT[lo]!, TENTHS_TEXT[hi]!);
      tail = utf8(`,"reason":${JSON.stringify(reason)},"rule":${JSON.stringify(R_RATE_OUT_OF_RANGE.id)},"article":${JSON.stringify(R_RATE_OUT_OF_RANGE.article)}}`);
      if (small && this.rateTails.size < 4096) this.rateTails.set(key, tail);
    }
    this.rejectRule(row, line, R_RATE_OUT_OF_RANGE, tail);
  }

  /**
   * A record with fields that do not fit. Its explanation depends only on which fields and their
   * texts, so it is made once per such combination (up to a bound) and kept as JSON.
   */
  private rejectProblems(row: Row, line: number): void {
    const key = problemKey(row);
    let x = this.problemTails.get(key);
    if (x === undefined) {
      const e = explain(RECORD_FIELDS, row.buf, row.fs, row.fe);
      const article = e.article === null ? 'null' : JSON.stringify(e.article);
      x = { rule: e.rule, tail: utf8(`,"reason":${JSON.stringify(e.reason)},"rule":${JSON.stringify(e.rule)},"article":${article}}`) };
      if (key.length <= 512 && this.problemTails.size < 4096) this.problemTails.set(key, x);
    }
    this.records.rejected++;
    bump(this.records.rejectedBy, x.rule);
    this.entryHead(true, row.buf, row.idS, row.idE, line).bytes(x.tail);
  }

  /** A row the CSV reader could not read (wrong width, bad quoting). */
  unreadable(records: boolean, line: number, reason: string): void {
    const tally = records ? this.records : this.teacherRows;
    tally.read++;
    this.rejectText(records, null, 0, 0, line, reason, null, null);
  }

  /** A well-formed record row whose fields have been read into `row`. */
  record(row: Row, line: number): void {
    const c = this.records;
    // The first row with an id owns it, whatever else is wrong with either row.
    if (row.idE > row.idS) {
      const first = this.ids.check(row.buf, row.idS, row.idE, line);
      if (first > 0) {
        c.read++;
        this.rejectText(true, row.buf, row.idS, row.idE, line,
          `重复的 record_id（首次出现在第 ${first} 行）/ duplicate record_id (first on line ${first})`, 'record_id', DUPLICATE_ARTICLE);
        return;
      }
    }
    c.read++;
    if (row.bad) return this.rejectProblems(row, line);
    const teachers = this.teachers;
    // The teacher: nearly always the previous row's (exports group rows by teacher), so the id
    // is first compared with a copy of that one, in place.
    const b = row.buf;
    const tS = row.tS;
    const tLen = row.tE - tS;
    let t = this.lastTeacher;
    if (t >= 0 && tLen === this.lastTeacherLen) {
      const last = this.lastTeacherId;
      for (let i = 0; i < tLen; i++) {
        if (b[tS + i] !== last[i]) {
          t = -1;
          break;
        }
      }
    } else t = -1;
    if (t < 0) t = this.teacherOf(b, tS, row.tE);
    // A teacher whose row in the teachers file was rejected has unknown facts: their records are rejected.
    const rejectedOn = teachers.rejectedOn[t]!;
    if (rejectedOn !== 0) {
      const id = new TextDecoder().decode(b.subarray(tS, row.tE));
      return this.rejectText(true, b, row.idS, row.idE, line,
        `teacher_id ${id} 在 teachers 文件第 ${rejectedOn} 行的记录被拒绝，其记录无法评估 / the row of teacher_id ${id} in the teachers file (line ${rejectedOn}) was rejected, so their records cannot be evaluated`,
        'teacher_id', null);
    }
    const year = row.year;
    const inCycle = year >= CYCLE_FROM && year <= CYCLE_TO;
    const kind = row.kind;
    const training = kind === TRAINING;
    let firstYear = false; // first_service_year, needed for induction only
    if (kind === INDUCTION) {
      const hired = teachers.hired[t]!;
      // A hire in 9999 has no first anniversary: the rule needs one, and rejects the record.
      if (hired > 0 && row.date >= hired && Math.floor(hired / 10000) === 9999) return this.rejectRule(row, line, R_ANNIVERSARY_OUT_OF_RANGE, TAIL_ANNIVERSARY);
      firstYear = hired > 0 && row.date >= hired && row.date < teachers.anniversary[t]!;
    }
    // exclude outside_cycle
    if (!inCycle && !(kind === INDUCTION && firstYear)) {
      c.outOfScope++;
      bump(c.outOfScopeBy, OUTSIDE_CYCLE);
      return;
    }
    // The reject rules, in policy order.
    const format = row.format;
    const ns = row.numState;
    if (training && format === SHORT_TERM && ns[N_DAYS] === 0 && ns[N_HOURS] === 0) return this.rejectRule(row, line, R_SHORT_TERM_WITHOUT_DAYS, TAIL_SHORT_TERM);
    if (training && format !== SHORT_TERM && ns[N_HOURS] === 0) return this.rejectRule(row, line, R_TRAINING_WITHOUT_HOURS, TAIL_TRAINING_HOURS);
    if (kind !== INDUCTION && row.level === 0) return this.rejectRule(row, line, R_WITHOUT_LEVEL, TAIL_LEVEL);
    if (training && ns[N_RATE] === 0) return this.rejectRule(row, line, R_TRAINING_WITHOUT_RATE, TAIL_RATE);
    if (training && ns[N_SCORE] === 0) return this.rejectRule(row, line, R_TRAINING_WITHOUT_SCORE, TAIL_SCORE);
    if (training && row.elective === 0) return this.rejectRule(row, line, R_TRAINING_WITHOUT_ELECTIVE, TAIL_ELECTIVE);
    if (kind === TEACHING && ns[N_HOURS] === 0) return this.rejectRule(row, line, R_TEACHING_WITHOUT_HOURS, TAIL_TEACHING_HOURS);
    if (kind === INDUCTION && ns[N_HOURS] === 0) return this.rejectRule(row, line, R_INDUCTION_WITHOUT_HOURS, TAIL_INDUCTION_HOURS);
    if (training) {
      const lo = format === ONLINE ? ONLINE_LO10 : RATE_LO10[row.level]!;
      const hi = format === ONLINE ? ONLINE_HI10 : RATE_HI10[row.level]!;
      const rs = row.numS[N_RATE]!;
      let outside: boolean;
      if (ns[N_RATE] === 1 && rs >= 1 && rs <= 15) {
        // rate · 10 vs bound (tenths): compare m with bound · 10^(s-1), exact below 2^53.
        const f = POW10[rs - 1]!;
        const m = row.numM[N_RATE]!;
        outside = m < lo * f || m > hi * f;
      } else outside = cmpTenths(row, N_RATE, lo) < 0 || cmpTenths(row, N_RATE, hi) > 0;
      if (outside) return this.rejectRate(row, line, lo, hi);
    }
    // The engine would reject a record whose sums read a value it lacks ("缺少 X（Y 需要）/
    // missing X, needed by Y"). Under these rules none can get here: every value a sum reads
    // (for training hours or days, rate, score, elective; for teaching hours and level; for
    // induction hours) is demanded by a reject rule above, and level by without_level. So that
    // rejection has no code here; the oracle tests would catch a rule change that made it reachable.
    // Evaluated from here on; the disregard rules count the row for nothing.
    c.evaluated++;
    teachers.evaluated[t]!++;
    const disregard: number = row.inSystem === FALSE ? 0 : row.status === VOID ? 1 : row.status === INEFFECTIVE ? 2 : -1;
    if (disregard >= 0) {
      teachers.disregarded[t]!++;
      bump(c.disregardedBy, DISREGARD_RULES[disregard]!);
      return;
    }
    const base = inCycle ? (year - CYCLE_FROM) * YEAR_SLOTS : -1;
    if (kind === INDUCTION) this.addInduction(row, t, base, firstYear);
    else if (!this.addFast(row, t, base, training)) this.addExact(row, t, base, training);
  }

  /** Looks a record's teacher up (creating it), and remembers its id for the next row. */
  private teacherOf(b: Uint8Array, s: number, e: number): number {
    const t = this.teachers.find(b, s, e);
    if (e - s > this.lastTeacherId.length) this.lastTeacherId = new Uint8Array(2 * (e - s));
    const last = this.lastTeacherId;
    for (let i = s; i < e; i++) last[i - s] = b[i]!;
    this.lastTeacher = t;
    this.lastTeacherLen = e - s;
    return t;
  }

  /** Induction earns no hours or credits: only its own totals, for rows in the first year of service. */
  private addInduction(row: Row, t: number, base: number, firstYear: boolean): void {
    if (!firstYear) return;
    const teachers = this.teachers;
    const hSlot = base < 0 ? OUTSIDE_INDUCTION : base + S_INDUCTION;
    const pSlot = base < 0 ? OUTSIDE_PRACTICAL : base + S_PRACTICAL;
    const ns = row.numState;
    const hx = ns[N_HOURS] === 1 ? scaled(row.numM[N_HOURS]!, row.numS[N_HOURS]!) : NaN;
    if (hx === hx) {
      if (hx !== 0) teachers.add(t, hSlot, hx);
    } else teachers.addBig(t, hSlot, numBig(row, N_HOURS));
    if (ns[N_PRACTICAL] === 0) return;
    const px = ns[N_PRACTICAL] === 1 ? scaled(row.numM[N_PRACTICAL]!, row.numS[N_PRACTICAL]!) : NaN;
    if (px === px) {
      if (px !== 0) teachers.add(t, pSlot, px);
    } else teachers.addBig(t, pSlot, numBig(row, N_PRACTICAL));
  }

  /**
   * Training and teaching in safe integers: returns false (having added nothing) when some
   * value or product is not exactly representable, for {@link Evaluator.addExact} to redo.
   */
  private addFast(row: Row, t: number, base: number, training: boolean): boolean {
    const at = t * SLOTS + base;
    const mod = row.module;
    let hx = 0;
    let cx: number;
    // Which band, which bucket, which module, elective or not: picked by arithmetic where that
    // is possible (the data decides them row by row, so branches on them mispredict), and zero
    // contributions are added rather than tested for.
    if (training) {
      const ns = row.numState;
      const useDays = row.format === SHORT_TERM && ns[N_DAYS] !== 0;
      const q = useDays ? N_DAYS : N_HOURS;
      if (ns[q] !== 1 || ns[N_RATE] !== 1 || ns[N_SCORE] !== 1) return false;
      const qs = row.numS[q]!;
      const qm = row.numM[q]! * (useDays ? HOURS_PER_DAY : 1);
      if (!(qm <= MAX_SAFE)) return false; // values are ≥ 0
      hx = qs <= SCALE ? qm * POW10[SCALE - qs]! : scaled(qm, qs);
      if (!(hx <= MAX_SAFE)) return false; // also NaN
      const ss = row.numS[N_SCORE]!;
      if (ss > 13) return false;
      const m = row.numM[N_SCORE]!;
      const f = POW10[ss]!;
      // Bands by lower bound: the number of bounds the score is below (4: a fail, no credits).
      const band = +(m < BAND_FROM[0]! * f) + +(m < BAND_FROM[1]! * f) + +(m < BAND_FROM[2]! * f) + +(m < BAND_FROM[3]! * f);
      const cm = row.numM[N_RATE]! * qm;
      if (!(cm <= MAX_SAFE)) return false;
      const cm2 = cm * FACTOR100_OR_FAIL[band]!;
      if (!(cm2 <= MAX_SAFE)) return false;
      const cs = row.numS[N_RATE]! + qs + 2;
      cx = cs <= SCALE ? cm2 * POW10[SCALE - cs]! : scaled(cm2, cs);
      if (!(cx <= MAX_SAFE)) return false;
    } else {
      if (row.numState[N_HOURS] !== 1) return false;
      const hs = row.numS[N_HOURS]!;
      const cm = row.numM[N_HOURS]! * TEACHING_RATE[row.level]!;
      if (!(cm <= MAX_SAFE)) return false;
      cx = hs <= SCALE ? cm * POW10[SCALE - hs]! : scaled(cm, hs);
      if (!(cx <= MAX_SAFE)) return false;
    }
    // Every contribution is exact: add them. Hours go to S_COUNTY or, for the school level, the
    // slot after it (S_SCHOOL); module m to S_MODULE + m - 1, or nothing — zero added to
    // S_MODULE - 1 — without one. A sum leaving the safe range (or a NaN, bigint, slot) goes
    // the exact way.
    const sums = this.teachers.sums;
    const mx = mod === 0 ? 0 : cx;
    const ex = !training || row.elective === TRUE ? cx : 0;
    this.addAt(sums, t, at + S_HOURS, hx);
    this.addAt(sums, t, at + S_COUNTY + +(row.level === L_SCHOOL), hx);
    this.addAt(sums, t, at + S_CREDITS, cx);
    this.addAt(sums, t, at + S_MODULE - 1 + mod, mx);
    this.addAt(sums, t, at + S_ELECTIVE, ex);
    return true;
  }

  /** Adds `x` to `sums[i]` (slot `i - t·SLOTS` of teacher `t`). */
  private addAt(sums: Float64Array, t: number, i: number, x: number): void {
    const v = sums[i]! + x;
    if (v <= MAX_SAFE) sums[i] = v;
    else if (x !== 0) this.teachers.add(t, i - t * SLOTS, x);
  }

  /** The same sums as {@link Evaluator.addFast}, in bigints (huge or very precise values). */
  private addExact(row: Row, t: number, base: number, training: boolean): void {
    const teachers = this.teachers;
    const mod = row.module;
    let credits: Big;
    if (training) {
      const useDays = row.format === SHORT_TERM && row.numState[N_DAYS] !== 0;
      const hours = useDays ? bigMul(numBig(row, N_DAYS), bigOf(HOURS_PER_DAY, 0)) : numBig(row, N_HOURS);
      const band = bandOf(row);
      credits = band < BAND_FROM.length ? bigMul(bigMul(numBig(row, N_RATE), hours), bigOf(BAND_FACTOR100[band]!, 2)) : bigOf(0, 0);
      if (hours.m !== 0n) {
        teachers.addBig(t, base + S_HOURS, hours);
        teachers.addBig(t, base + (row.level === L_SCHOOL ? S_SCHOOL : S_COUNTY), hours);
      }
    } else {
      credits = bigMul(numBig(row, N_HOURS), bigOf(TEACHING_RATE[row.level]!, 0));
    }
    if (credits.m === 0n) return;
    teachers.addBig(t, base + S_CREDITS, credits);
    if (mod !== 0) teachers.addBig(t, base + S_MODULE + mod - 1, credits);
    if (!training || row.elective === TRUE) teachers.addBig(t, base + S_ELECTIVE, credits);
  }

  /**
   * A well-formed row of the teachers file: `starts`/`ends` give each subject field's raw span
   * in `b` (start -1: no such column).
   */
  teacher(b: Uint8Array, starts: Int32Array, ends: Int32Array, line: number): void {
    const c = this.teacherRows;
    const span = (f: number): void => {
      if (starts[f]! < 0) trim(b, 0, 0);
      else trim(b, starts[f]!, ends[f]!);
    };
    span(T_TEACHER_ID);
    const idS = trimStart;
    const idE = trimEnd;
    if (idE > idS) {
      const first = this.teacherKeys.check(b, idS, idE, line);
      if (first > 0) {
        c.read++;
        this.rejectText(false, b, idS, idE, line,
          `重复的 teacher_id（首次出现在第 ${first} 行）/ duplicate teacher_id (first on line ${first})`, 'teacher_id', null);
        return;
      }
    }
    c.read++;
    span(T_HIRED_ON);
    const hired = dateCode(b, trimStart, trimEnd);
    if (idE === idS || hired < 0) {
      const x = explain(TEACHER_FIELDS, b, starts, ends);
      this.rejectText(false, b, idS, idE, line, x.reason, x.rule, x.article);
      if (idE > idS) this.teachers.rejectedOn[this.teachers.find(b, idS, idE)] = line;
      return;
    }
    const teachers = this.teachers;
    const t = teachers.find(b, idS, idE);
    teachers.listed[t] = 1;
    teachers.setHired(t, hired);
    span(T_SCHOOL_ID);
    if (trimEnd > trimStart) {
      teachers.schoolStart[t] = teachers.store(b, trimStart, trimEnd);
      teachers.schoolLen[t] = trimEnd - trimStart;
    }
    span(T_COUNTY_ID);
    if (trimEnd > trimStart) {
      teachers.countyStart[t] = teachers.store(b, trimStart, trimEnd);
      teachers.countyLen[t] = trimEnd - trimStart;
    }
    c.evaluated++;
  }
}
