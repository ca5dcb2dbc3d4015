// What happens to each row once its fields are read: duplicates, field problems, the outcome
// rules in policy order (exclude, rejects, disregards), and the sums a counted record adds to.
// Rejected rows are written to a byte buffer as the report's JSON entries at once.

import { bigMul, bigOf, canonical, isSafe, MAX_SAFE, POW10, SCALE, type Big } from './exact.ts';
import { dateCode, explain, numBig, type Num, type Row } from './fields.ts';
import { IdSet } from './ids.ts';
import { ByteOut, utf8 } from './out.ts';
import {
  BAND_FACTOR100, BAND_FROM, CYCLE_FROM, CYCLE_TO, DISREGARD_RULES, DUPLICATE_ARTICLE, FALSE, HOURS_PER_DAY, INDUCTION,
  INEFFECTIVE, L_SCHOOL, ONLINE, ONLINE_HI10, ONLINE_LO10, OUTSIDE_CYCLE, OUTSIDE_INDUCTION, OUTSIDE_PRACTICAL, RATE_HI10,
  RATE_LO10, RECORD_FIELDS, rateReason, R_INDUCTION_WITHOUT_HOURS, R_RATE_OUT_OF_RANGE, R_SHORT_TERM_WITHOUT_DAYS,
  R_TEACHING_WITHOUT_HOURS, R_TRAINING_WITHOUT_ELECTIVE, R_TRAINING_WITHOUT_HOURS, R_TRAINING_WITHOUT_RATE,
  R_TRAINING_WITHOUT_SCORE, R_WITHOUT_LEVEL, SHORT_TERM, S_COUNTY, S_CREDITS, S_ELECTIVE, S_HOURS, S_INDUCTION, S_MODULE,
  S_PRACTICAL, S_SCHOOL, TEACHER_FIELDS, TEACHING, TEACHING_RATE, TENTHS_TEXT, TRAINING, TRUE, T_COUNTY_ID, T_HIRED_ON,
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

/** Whether `n ≥ whole` for a non-negative integer `whole`. */
function atLeast(n: Num, whole: number): boolean {
  if (n.state === 1 && n.s <= 13) return n.m >= whole * POW10[n.s]!;
  const b = numBig(n);
  return b.m >= BigInt(whole) * 10n ** BigInt(b.s);
}

/** -1, 0, 1 as `n` compares with `tenths / 10`. */
function cmpTenths(n: Num, tenths: number): number {
  if (n.state === 1 && n.s >= 1 && n.s <= 15) {
    const t = tenths * POW10[n.s - 1]!;
    return n.m < t ? -1 : n.m > t ? 1 : 0;
  }
  if (n.state === 1 && n.s === 0) {
    const x = n.m * 10; // exact: a multiple of 10 below 10^16
    return x < tenths ? -1 : x > tenths ? 1 : 0;
  }
  const b = numBig(n);
  const x = b.m * 10n;
  const y = BigInt(tenths) * 10n ** BigInt(b.s);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The grade band of a score (0 优 … 3 合格), or 4 for a fail. */
function bandOf(score: Num): number {
  for (let k = 0; k < BAND_FROM.length; k++) if (atLeast(score, BAND_FROM[k]!)) return k;
  return BAND_FROM.length;
}

/**
 * The evaluation state of one run: the id sets, the teachers and their sums, what became of
 * every row, and the rejected rows' JSON.
 */
export class Evaluator {
  readonly ids = new IdSet();
  /** teacher_id values of the teachers file (the first row with an id owns it). */
  private readonly teacherKeys = new IdSet();
  readonly teachers: TeacherTable;
  /** The report's `rejected` entries, comma separated, in row order. */
  readonly rejected = new ByteOut(1 << 16);
  private rejectedEntries = 0;
  readonly records = newTally();
  readonly teacherRows = newTally();
  /** Set once the first record arrives: teachers must come first, as in the engine. */
  recordsStarted = false;

  constructor(expectedTeachers?: number) {
    this.teachers = new TeacherTable(expectedTeachers);
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

  /** A row the CSV reader could not read (wrong width, bad quoting). */
  unreadable(records: boolean, line: number, reason: string): void {
    const tally = records ? this.records : this.teacherRows;
    if (records) this.recordsStarted = true;
    tally.read++;
    this.rejectText(records, null, 0, 0, line, reason, null, null);
  }

  /** A well-formed record row whose fields have been read into `row`. */
  record(row: Row, line: number): void {
    this.recordsStarted = true;
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
    if (row.bad) {
      const x = explain(RECORD_FIELDS, row.buf, row.fs, row.fe);
      this.rejectText(true, row.buf, row.idS, row.idE, line, x.reason, x.rule, x.article);
      return;
    }
    const teachers = this.teachers;
    const t = teachers.find(row.buf, row.tS, row.tE);
    const year = Math.floor(row.date / 10000);
    const inCycle = year >= CYCLE_FROM && year <= CYCLE_TO;
    const kind = row.kind;
    const training = kind === TRAINING;
    let firstYear = false; // first_service_year, needed for induction only
    if (kind === INDUCTION) {
      const hired = teachers.hired[t]!;
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
    if (training && format === SHORT_TERM && row.days.state === 0 && row.hours.state === 0) return this.rejectRule(row, line, R_SHORT_TERM_WITHOUT_DAYS, TAIL_SHORT_TERM);
    if (training && format !== SHORT_TERM && row.hours.state === 0) return this.rejectRule(row, line, R_TRAINING_WITHOUT_HOURS, TAIL_TRAINING_HOURS);
    if (kind !== INDUCTION && row.level === 0) return this.rejectRule(row, line, R_WITHOUT_LEVEL, TAIL_LEVEL);
    if (training && row.rate.state === 0) return this.rejectRule(row, line, R_TRAINING_WITHOUT_RATE, TAIL_RATE);
    if (training && row.score.state === 0) return this.rejectRule(row, line, R_TRAINING_WITHOUT_SCORE, TAIL_SCORE);
    if (training && row.elective === 0) return this.rejectRule(row, line, R_TRAINING_WITHOUT_ELECTIVE, TAIL_ELECTIVE);
    if (kind === TEACHING && row.hours.state === 0) return this.rejectRule(row, line, R_TEACHING_WITHOUT_HOURS, TAIL_TEACHING_HOURS);
    if (kind === INDUCTION && row.hours.state === 0) return this.rejectRule(row, line, R_INDUCTION_WITHOUT_HOURS, TAIL_INDUCTION_HOURS);
    if (training) {
      const lo = format === ONLINE ? ONLINE_LO10 : RATE_LO10[row.level]!;
      const hi = format === ONLINE ? ONLINE_HI10 : RATE_HI10[row.level]!;
      if (cmpTenths(row.rate, lo) < 0 || cmpTenths(row.rate, hi) > 0) {
        const reason = rateReason(canonical(numBig(row.rate)), TENTHS_TEXT[lo]!, TENTHS_TEXT[hi]!);
        this.rejectText(true, row.buf, row.idS, row.idE, line, reason, R_RATE_OUT_OF_RANGE.id, R_RATE_OUT_OF_RANGE.article);
        return;
      }
    }
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

  /** Induction earns no hours or credits: only its own totals, for rows in the first year of service. */
  private addInduction(row: Row, t: number, base: number, firstYear: boolean): void {
    if (!firstYear) return;
    const teachers = this.teachers;
    const hSlot = base < 0 ? OUTSIDE_INDUCTION : base + S_INDUCTION;
    const pSlot = base < 0 ? OUTSIDE_PRACTICAL : base + S_PRACTICAL;
    const h = row.hours;
    const hx = h.state === 1 ? scaled(h.m, h.s) : NaN;
    if (hx === hx) {
      if (hx !== 0) teachers.add(t, hSlot, hx);
    } else teachers.addBig(t, hSlot, numBig(h));
    const p = row.practical;
    if (p.state === 0) return;
    const px = p.state === 1 ? scaled(p.m, p.s) : NaN;
    if (px === px) {
      if (px !== 0) teachers.add(t, pSlot, px);
    } else teachers.addBig(t, pSlot, numBig(p));
  }

  /**
   * Training and teaching in safe integers: returns false (having added nothing) when some
   * value or product is not exactly representable, for {@link Evaluator.addExact} to redo.
   */
  private addFast(row: Row, t: number, base: number, training: boolean): boolean {
    const teachers = this.teachers;
    const mod = row.module;
    if (training) {
      const useDays = row.format === SHORT_TERM && row.days.state !== 0;
      const q = useDays ? row.days : row.hours;
      const r = row.rate;
      if (q.state !== 1 || r.state !== 1) return false;
      const qm = useDays ? q.m * HOURS_PER_DAY : q.m;
      if (!isSafe(qm)) return false;
      const hx = scaled(qm, q.s);
      if (hx !== hx) return false;
      const band = bandOf(row.score);
      let cx = 0;
      if (band < BAND_FROM.length) {
        const cm = r.m * qm;
        if (!isSafe(cm)) return false;
        const cm2 = cm * BAND_FACTOR100[band]!;
        if (!isSafe(cm2)) return false;
        cx = scaled(cm2, r.s + q.s + 2);
        if (cx !== cx) return false;
      }
      if (hx !== 0) {
        teachers.add(t, base + S_HOURS, hx);
        teachers.add(t, base + (row.level === L_SCHOOL ? S_SCHOOL : S_COUNTY), hx);
      }
      if (cx !== 0) {
        teachers.add(t, base + S_CREDITS, cx);
        if (mod !== 0) teachers.add(t, base + S_MODULE + mod - 1, cx);
        if (row.elective === TRUE) teachers.add(t, base + S_ELECTIVE, cx);
      }
      return true;
    }
    const h = row.hours;
    if (h.state !== 1) return false;
    const cm = h.m * TEACHING_RATE[row.level]!;
    if (!isSafe(cm)) return false;
    const cx = scaled(cm, h.s);
    if (cx !== cx) return false;
    if (cx !== 0) {
      teachers.add(t, base + S_CREDITS, cx);
      if (mod !== 0) teachers.add(t, base + S_MODULE + mod - 1, cx);
      teachers.add(t, base + S_ELECTIVE, cx);
    }
    return true;
  }

  /** The same sums as {@link Evaluator.addFast}, in bigints (huge or very precise values). */
  private addExact(row: Row, t: number, base: number, training: boolean): void {
    const teachers = this.teachers;
    const mod = row.module;
    let credits: Big;
    if (training) {
      const useDays = row.format === SHORT_TERM && row.days.state !== 0;
      const hours = useDays ? bigMul(numBig(row.days), bigOf(HOURS_PER_DAY, 0)) : numBig(row.hours);
      const band = bandOf(row.score);
      credits = band < BAND_FROM.length ? bigMul(bigMul(numBig(row.rate), hours), bigOf(BAND_FACTOR100[band]!, 2)) : bigOf(0, 0);
      if (hours.m !== 0n) {
        teachers.addBig(t, base + S_HOURS, hours);
        teachers.addBig(t, base + (row.level === L_SCHOOL ? S_SCHOOL : S_COUNTY), hours);
      }
    } else {
      credits = bigMul(numBig(row.hours), bigOf(TEACHING_RATE[row.level]!, 0));
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
    if (this.recordsStarted) throw new Error('baseline: the teachers file must be read before the records');
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
