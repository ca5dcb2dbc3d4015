// A hand-written evaluator of the Lincang rules (policy.yaml, with its default readings), as an
// engineer would write it straight in TypeScript without guize. It is the baseline the engine is
// measured against (scripts/bench.ts) and an independent oracle for it (handwritten.test.ts), so
// it shares nothing with the engine but the input events and exact Decimal arithmetic. Every
// Lincang number lives here as a constant; change policy.yaml and this file must follow by hand,
// which is exactly the cost guize exists to remove. Pure: no Node APIs.

import { Decimal } from '../../engine/decimal.ts';
import type { RowCounts } from '../../engine/evaluate.ts';
import type { InputEvent } from '../../engine/input/index.ts';

/** One teacher's outcome, shaped for comparison with the engine's results. */
export interface HandwrittenTeacher {
  readonly teacher_id: string;
  readonly compliant: boolean;
  /** Cycle totals of credits and hours attended. */
  readonly credits: Decimal;
  readonly hours: Decimal;
  /** `rule[key]@year` or `rule@cycle`, in the order the engine reports them. */
  readonly violations: readonly string[];
}

/** What happened to the record rows, counted and named as the engine counts and names them. */
export type HandwrittenCounts = RowCounts;

/** The whole result: teachers in id order, and the record counts. */
export interface HandwrittenResult {
  readonly teachers: readonly HandwrittenTeacher[];
  readonly records: HandwrittenCounts;
}

// ── The readings of policy.yaml, hard-coded ──────────────────────────────────────────────────

const d = (text: string): Decimal => Decimal.parse(text)!;

const CYCLE_FROM = 2016;
const CYCLE_TO = 2020;
const CYCLE_LENGTH = CYCLE_TO - CYCLE_FROM + 1;
const HOURS_PER_DAY = d('6');
const ONLINE_RATE: readonly [Decimal, Decimal] = [d('0.5'), d('1')];
// rate_range (第十条), inclusive at both ends.
const RATE_RANGE: Readonly<Record<string, readonly [Decimal, Decimal]>> = {
  school: [d('0.5'), d('1')], county: [d('1'), d('1.5')], city: [d('1'), d('2')],
  province: [d('1'), d('2.5')], national: [d('1'), d('3')],
};
// teaching_rate (第十二条): credits per hour taught.
const TEACHING_RATE: Readonly<Record<string, Decimal>> = {
  national: d('10'), province: d('8'), city: d('6'), county: d('4'), school: d('0'),
};
// grade bands by lower bound: credits are multiplied by 1 + coefficient; below 60 fails.
const GRADE_FROM = [d('90'), d('80'), d('70'), d('60')];
const GRADE_FACTOR = [d('1.25'), d('1.2'), d('1.15'), d('1.1')];

const MIN_HOURS_YEARLY = d('72');
const MIN_COUNTY_HOURS_YEARLY = d('48');
const MIN_SCHOOL_HOURS_YEARLY = d('24');
const MIN_CREDITS_YEARLY = d('72');
const MIN_ELECTIVE_SHARE = d('0.6');
const MIN_INDUCTION_HOURS = d('120');
const MIN_INDUCTION_PRACTICAL = d('60');

// module_floor, in table row order (the order violations are reported in); mental_health has no
// floor, so its credits only reach the totals.
const FLOOR_MODULES = ['ethics', 'knowledge', 'ability', 'class_management', 'school_based'] as const;
const MODULE_INDEX: ReadonlyMap<string, number> = new Map(FLOOR_MODULES.map((m, i) => [m, i]));
const MODULE_YEARLY = ['6', '12', '24', '6', '24'].map(d);
const MODULE_CYCLE = ['30', '60', '120', '30', '120'].map(d);

// The cycle floors scaled by n counted years out of 5 (floor × n / 5), one row per n, computed
// once with the same exact division the policy writes.
const FIVE = d(String(CYCLE_LENGTH));
const scaled = (floor: string): Decimal[] =>
  Array.from({ length: CYCLE_LENGTH + 1 }, (_, n) => d(floor).mul(d(String(n))).div(FIVE));
const CYCLE_HOURS = scaled('360');
const CYCLE_COUNTY_HOURS = scaled('240');
const CYCLE_SCHOOL_HOURS = scaled('120');
const CYCLE_CREDITS = scaled('360');
const CYCLE_MODULE = MODULE_CYCLE.map((f) => scaled(f.toString()));

const KINDS = new Set(['training', 'teaching', 'induction']);
const LEVELS = new Set(['national', 'province', 'city', 'county', 'school']);
const FORMATS = new Set(['short_term', 'online', 'school_based']);
const MODULES = new Set(['ethics', 'knowledge', 'ability', 'class_management', 'mental_health', 'school_based']);
const STATUSES = new Set(['ok', 'void', 'ineffective']);
const SCORE_MAX = d('100');
// No real count, rate or score reaches 10^15; such a value is a broken export, rejected as a field.
const MAX_MAGNITUDE = d('1e15');

// ── Field parsing: '' is missing; BAD marks text that does not fit the field ─────────────────

const BAD = null;

function text(raw: string | undefined): string {
  return raw === undefined ? '' : raw.trim();
}

function num(t: string, max?: Decimal): Decimal | undefined | typeof BAD {
  if (t === '') return undefined;
  const n = Decimal.parse(t);
  if (n === undefined || n.gte(MAX_MAGNITUDE) || n.sign() < 0 || (max !== undefined && n.gt(max))) return BAD;
  return n;
}

function bool(t: string): boolean | undefined | typeof BAD {
  if (t === '') return undefined;
  if (t === 'true') return true;
  if (t === 'false') return false;
  const l = t.toLowerCase();
  return l === 'true' ? true : l === 'false' ? false : BAD;
}

function enumValue(t: string, allowed: ReadonlySet<string>): string | undefined | typeof BAD {
  return t === '' ? undefined : allowed.has(t) ? t : BAD;
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const DIGIT_AT = [0, 1, 2, 3, 5, 6, 8, 9];
const digit = (t: string, i: number): number => t.charCodeAt(i) - 48;

/** A real calendar date written YYYY-MM-DD (dates then order correctly as text). */
function isDate(t: string): boolean {
  if (t.length !== 10 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45) return false;
  for (const i of DIGIT_AT) {
    const c = digit(t, i);
    if (!(c >= 0 && c <= 9)) return false;
  }
  const y = digit(t, 0) * 1000 + digit(t, 1) * 100 + digit(t, 2) * 10 + digit(t, 3);
  const m = digit(t, 5) * 10 + digit(t, 6);
  const day = digit(t, 8) * 10 + digit(t, 9);
  if (m < 1 || m > 12 || day < 1) return false;
  return day <= (m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1]!);
}

/** The first anniversary of a date; 29 February's is 28 February (as the rule language's add_years). */
function anniversary(date: string): string {
  const y = Number(date.slice(0, 4)) + 1;
  const md = date.slice(5);
  return `${String(y).padStart(4, '0')}-${md === '02-29' && !isLeap(y) ? '02-28' : md}`;
}

// ── Per-teacher state ────────────────────────────────────────────────────────────────────────

/** One teacher's sums for one cycle year. Classes, not object literals, so shapes stay stable. */
class YearTotals {
  credits = Decimal.ZERO;
  hours = Decimal.ZERO;
  county = Decimal.ZERO;
  school = Decimal.ZERO;
  elective = Decimal.ZERO;
  readonly modules: Decimal[] = FLOOR_MODULES.map(() => Decimal.ZERO);
}

class TeacherState {
  listed = false;
  hiredOn: string | undefined = undefined;
  /** First anniversary of hiredOn, computed once: induction records are dated against it. */
  firstYearEnd = '';
  /** Rows evaluated, disregarded ones included: a teacher with none and not listed is not reported. */
  evaluated = 0;
  readonly years: (YearTotals | undefined)[] = new Array(CYCLE_LENGTH).fill(undefined);
  inductionHours = Decimal.ZERO;
  inductionPractical = Decimal.ZERO;
  constructor(readonly id: string) {}
}

const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);

/** Streaming evaluator: teachers first (optional), then records, then finish(). */
export class LincangEvaluator {
  private readonly teachers = new Map<string, TeacherState>();
  private readonly seen = new Set<string>();
  readonly counts: HandwrittenCounts = {
    read: 0, evaluated: 0, rejected: 0, outOfScope: 0, rejectedBy: new Map(), outOfScopeBy: new Map(), disregardedBy: new Map(),
  };
  /** Rows of the teachers file: read, accepted, rejected. */
  readonly teacherRows = { read: 0, accepted: 0, rejected: 0 };

  private teacher(id: string): TeacherState {
    let t = this.teachers.get(id);
    if (t === undefined) this.teachers.set(id, (t = new TeacherState(id)));
    return t;
  }

  private reject(rule: string): void {
    this.counts.rejected++;
    bump(this.counts.rejectedBy, rule);
  }

  /** A row of the teachers file; a bad or repeated row is dropped (the first listing counts). */
  addTeacher(e: InputEvent): void {
    const rows = this.teacherRows;
    if (e.kind === 'error' && e.header) return; // a bad header is a warning, not a row
    rows.read++;
    if (e.kind === 'error') return void rows.rejected++;
    const id = text(e.values['teacher_id']);
    const hired = text(e.values['hired_on']);
    if (id === '' || (hired !== '' && !isDate(hired))) return void rows.rejected++;
    const t = this.teacher(id);
    if (t.listed) return void rows.rejected++;
    t.listed = true;
    if (hired !== '') {
      t.hiredOn = hired;
      t.firstYearEnd = anniversary(hired);
    }
    rows.accepted++;
  }

  /** A row of the records file, taken through validation, the outcome rules and the sums. */
  addRecord(e: InputEvent): void {
    if (e.kind === 'error' && e.header) return; // a bad header is a warning, not a row
    const c = this.counts;
    c.read++;
    if (e.kind === 'error') return this.reject('unreadable');
    const v = e.values;
    // The first row with a record_id claims it, valid or not; any later row with that id is a
    // duplicate whatever else is wrong with it (so the first one is the one that counts).
    const id = text(v['record_id']);
    if (id === '') return this.reject('record_id');
    if (this.seen.has(id)) return this.reject('record_id');
    this.seen.add(id);
    // Field validation, in declaration order: the first field that does not fit names the rejection.
    const teacherId = text(v['teacher_id']);
    if (teacherId === '') return this.reject('teacher_id');
    const date = text(v['date']);
    if (!isDate(date)) return this.reject('date');
    const kindText = text(v['kind']);
    if (!KINDS.has(kindText)) return this.reject('kind');
    const level = enumValue(text(v['level']), LEVELS);
    if (level === BAD) return this.reject('level');
    const format = enumValue(text(v['format']), FORMATS);
    if (format === BAD) return this.reject('format');
    const module = enumValue(text(v['module']), MODULES);
    if (module === BAD) return this.reject('module');
    const elective = bool(text(v['elective']));
    if (elective === BAD) return this.reject('elective');
    const days = num(text(v['days']));
    if (days === BAD) return this.reject('days');
    const hours = num(text(v['hours']));
    if (hours === BAD) return this.reject('hours');
    const practical = num(text(v['practical_hours']));
    if (practical === BAD) return this.reject('practical_hours');
    const rate = num(text(v['rate']));
    if (rate === BAD) return this.reject('rate');
    const score = num(text(v['score']), SCORE_MAX);
    if (score === BAD) return this.reject('score');
    const inSystem = bool(text(v['in_system']));
    if (inSystem === BAD || inSystem === undefined) return this.reject('in_system');
    const status = text(v['status']);
    if (!STATUSES.has(status)) return this.reject('status');

    // The teacher exists from here on, but is reported only if some row of theirs is evaluated.
    const t = this.teacher(teacherId);
    const year = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3);
    const training = kindText === 'training';
    const induction = kindText === 'induction';

    // Outcome rules in policy order: exclude, then rejects, then disregards. Induction in the
    // first year of service is kept even outside the cycle (a hire late in its last year).
    const inFirstYear = t.hiredOn !== undefined && date >= t.hiredOn && date < t.firstYearEnd;
    if ((year < CYCLE_FROM || year > CYCLE_TO) && !(induction && inFirstYear)) {
      c.outOfScope++;
      return void bump(c.outOfScopeBy, 'outside_cycle');
    }
    if (training && format === 'short_term' && days === undefined && hours === undefined) return this.reject('short_term_without_days');
    if (training && format !== 'short_term' && hours === undefined) return this.reject('training_without_hours');
    if (!induction && level === undefined) return this.reject('without_level');
    if (training && rate === undefined) return this.reject('training_without_rate');
    if (training && score === undefined) return this.reject('training_without_score');
    if (training && elective === undefined) return this.reject('training_without_elective');
    if (kindText === 'teaching' && hours === undefined) return this.reject('teaching_without_hours');
    if (induction && hours === undefined) return this.reject('induction_without_hours');
    if (training) {
      const [lo, hi] = format === 'online' ? ONLINE_RATE : RATE_RANGE[level!]!;
      if (rate!.lt(lo) || rate!.gt(hi)) return this.reject('rate_out_of_range');
    }
    c.evaluated++;
    t.evaluated++;
    const disregard = !inSystem ? 'not_in_system' : status === 'void' ? 'void' : status === 'ineffective' ? 'ineffective' : undefined;
    if (disregard !== undefined) return void bump(c.disregardedBy, disregard);

    if (induction) {
      // Induction earns no hours or credits; only rows in the first year of service count, and
      // they may fall after the cycle (a hire in September 2020 is still in induction in 2021).
      if (inFirstYear) {
        t.inductionHours = t.inductionHours.add(hours!);
        if (practical !== undefined) t.inductionPractical = t.inductionPractical.add(practical);
      }
      return;
    }
    const yi = year - CYCLE_FROM;
    const y = (t.years[yi] ??= new YearTotals());
    let credits: Decimal;
    if (training) {
      // Short-term training counts 6 h a day when days are given; otherwise its actual hours.
      const h = format === 'short_term' && days !== undefined ? days.mul(HOURS_PER_DAY) : hours!;
      // A fail still counts its hours (failed_hours_count) but earns no credits.
      if (level === 'school') y.school = y.school.add(h);
      else y.county = y.county.add(h);
      y.hours = y.hours.add(h);
      let band = 0;
      while (band < GRADE_FROM.length && score!.lt(GRADE_FROM[band]!)) band++;
      credits = band < GRADE_FROM.length ? rate!.mul(h).mul(GRADE_FACTOR[band]!) : Decimal.ZERO;
      if (elective) y.elective = y.elective.add(credits);
    } else {
      // Teaching converts hours taught into credits, always elective, and adds no hours.
      credits = hours!.mul(TEACHING_RATE[level!]!);
      y.elective = y.elective.add(credits);
    }
    y.credits = y.credits.add(credits);
    const mi = module === undefined ? undefined : MODULE_INDEX.get(module);
    if (mi !== undefined) y.modules[mi] = y.modules[mi]!.add(credits);
  }

  /** Checks every teacher's floors; teachers in id order. */
  finish(): HandwrittenResult {
    const out: HandwrittenTeacher[] = [];
    for (const t of this.teachers.values()) if (t.listed || t.evaluated > 0) out.push(this.check(t));
    out.sort((a, b) => (a.teacher_id < b.teacher_id ? -1 : a.teacher_id > b.teacher_id ? 1 : 0));
    return { teachers: out, records: this.counts };
  }

  private check(t: TeacherState): HandwrittenTeacher {
    const hireYear = t.hiredOn === undefined ? undefined : Number(t.hiredOn.slice(0, 4));
    const isNew = hireYear !== undefined && hireYear >= CYCLE_FROM && hireYear <= CYCLE_TO;
    // A new teacher's hire year is induction only: yearly floors from the next year, cycle floors × n/5.
    const n = isNew ? CYCLE_TO - hireYear : CYCLE_LENGTH;
    const v: string[] = [];
    const empty = new YearTotals();
    const cycle = new YearTotals();
    for (let i = 0; i < CYCLE_LENGTH; i++) {
      const year = CYCLE_FROM + i;
      const y = t.years[i] ?? empty;
      cycle.credits = cycle.credits.add(y.credits);
      cycle.hours = cycle.hours.add(y.hours);
      cycle.county = cycle.county.add(y.county);
      cycle.school = cycle.school.add(y.school);
      cycle.elective = cycle.elective.add(y.elective);
      for (let m = 0; m < FLOOR_MODULES.length; m++) cycle.modules[m] = cycle.modules[m]!.add(y.modules[m]!);
      if (isNew && year <= hireYear) continue;
      if (y.hours.lt(MIN_HOURS_YEARLY)) v.push(`yearly_hours@${year}`);
      if (y.county.lt(MIN_COUNTY_HOURS_YEARLY)) v.push(`yearly_county_hours@${year}`);
      if (y.school.lt(MIN_SCHOOL_HOURS_YEARLY)) v.push(`yearly_school_hours@${year}`);
      if (y.credits.lt(MIN_CREDITS_YEARLY)) v.push(`yearly_credits@${year}`);
      for (let m = 0; m < FLOOR_MODULES.length; m++) {
        if (y.modules[m]!.lt(MODULE_YEARLY[m]!)) v.push(`yearly_module_credits[${FLOOR_MODULES[m]}]@${year}`);
      }
    }
    if (n > 0) {
      if (cycle.hours.lt(CYCLE_HOURS[n]!)) v.push('cycle_hours@cycle');
      if (cycle.county.lt(CYCLE_COUNTY_HOURS[n]!)) v.push('cycle_county_hours@cycle');
      if (cycle.school.lt(CYCLE_SCHOOL_HOURS[n]!)) v.push('cycle_school_hours@cycle');
      if (cycle.credits.lt(CYCLE_CREDITS[n]!)) v.push('cycle_credits@cycle');
      for (let m = 0; m < FLOOR_MODULES.length; m++) {
        if (cycle.modules[m]!.lt(CYCLE_MODULE[m]![n]!)) v.push(`cycle_module_credits[${FLOOR_MODULES[m]}]@cycle`);
      }
      if (cycle.elective.lt(MIN_ELECTIVE_SHARE.mul(cycle.credits))) v.push('elective_minimum@cycle');
    }
    if (isNew) {
      if (t.inductionHours.lt(MIN_INDUCTION_HOURS)) v.push('induction_total@cycle');
      if (t.inductionPractical.lt(MIN_INDUCTION_PRACTICAL)) v.push('induction_practice@cycle');
    }
    return { teacher_id: t.id, compliant: v.length === 0, credits: cycle.credits, hours: cycle.hours, violations: v };
  }
}

/** Evaluates whole inputs at once: teachers (optional) then records. */
export function evaluateLincang(records: Iterable<InputEvent>, teachers: Iterable<InputEvent> = []): HandwrittenResult {
  const e = new LincangEvaluator();
  for (const t of teachers) e.addTeacher(t);
  for (const r of records) e.addRecord(r);
  return e.finish();
}
