/**
 * Deterministic sample data for the Lincang teacher-training policy (临教发〔2017〕105号), in the
 * canonical training-record format of shared/DATA.md.
 *
 * Pure and portable: no Node APIs, dates only in UTC, and every credit computed in scaled
 * integers, so the same options give the same bytes in any JS engine.
 * Each teacher is built from a named profile (see {@link describeSample}): half are designed to
 * pass every floor with margin, the others to miss one specific thing, so an evaluator run over
 * the sample has realistic work to do and a known answer.
 */

/** Options for {@link generateSample} and {@link generateRecordRows}. */
export interface SampleOptions {
  /** Number of teachers (T00001, T00002, …). */
  teachers: number;
  /** PRNG seed (any integer); the same options always give the same bytes. */
  seed: number;
  /** First cycle year (default 2016). */
  cycleFrom?: number;
  /** Last cycle year, inclusive (default 2020). */
  cycleTo?: number;
  /** Include a few invalid rows for validators to reject (default true). */
  messy?: boolean;
}

/** A generated sample: two CSV texts, header row first, LF line ends, trailing LF. */
export interface SampleData {
  records: string;
  teachers: string;
}

/** The records file's columns, in file order. */
export const RECORD_COLUMNS = [
  'record_id', 'teacher_id', 'date', 'kind', 'level', 'format', 'module', 'elective',
  'days', 'hours', 'practical_hours', 'rate', 'score', 'in_system', 'status',
] as const;
/** The teachers file's columns, in file order. */
export const TEACHER_COLUMNS = ['teacher_id', 'school_id', 'county_id', 'hired_on'] as const;

/** What a teacher's records were designed to show. Profiles starting `ok` are compliant. */
export type Profile =
  | 'ok' | 'ok_teaching' | 'ok_new' | 'ok_new_last' | 'ok_old_hire' | 'ok_edge'
  | 'module_short' | 'ethics_just_short' | 'hours_short' | 'school_short' | 'elective_low' | 'fails'
  | 'not_in_system' | 'void' | 'ineffective' | 'missing_year' | 'induction_short_hours'
  | 'induction_short_practical' | 'no_records';

/** One teacher of a sample and the outcome its records were designed for. */
export interface SampleTeacher {
  teacher_id: string;
  school_id: string;
  county_id: string;
  /** YYYY-MM-DD, or '' when not a recent hire. */
  hired_on: string;
  profile: Profile;
  /** True when designed to meet every floor of the default Lincang readings. */
  compliant: boolean;
}

// Profiles alternate compliant / non-compliant by teacher index, so any sample is about half
// compliant and a small one already covers every variant.
const COMPLIANT_CYCLE: readonly Profile[] = [
  'ok', 'ok_teaching', 'ok_new', 'ok', 'ok_edge', 'ok_old_hire', 'ok_teaching', 'ok', 'ok_new_last', 'ok',
];
const DEFECT_CYCLE: readonly Profile[] = [
  'module_short', 'hours_short', 'elective_low', 'fails', 'school_short', 'not_in_system', 'induction_short_hours',
  'void', 'ineffective', 'missing_year', 'ethics_just_short', 'induction_short_practical', 'no_records',
];
const NEW_PROFILES: readonly Profile[] = ['ok_new', 'ok_new_last', 'induction_short_hours', 'induction_short_practical'];
// Lincang's districts and counties (临翔区, 凤庆县, 云县, 永德县, 镇康县, 双江, 耿马, 沧源).
const COUNTIES = ['530902', '530921', '530922', '530923', '530924', '530925', '530926', '530927'] as const;

// ---------------------------------------------------------------- PRNG

/** mulberry32: tiny, fast, and bit-identical in every JS engine (only 32-bit integer ops). */
class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi], inclusive. */
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(xs: readonly T[]): T {
    const x = xs[this.int(0, xs.length - 1)];
    if (x === undefined) throw new Error('pick from an empty list');
    return x;
  }
}

/** Derives independent sub-seeds, so a teacher's data does not depend on the teachers before it. */
function mix(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193);
    h ^= h >>> 13;
  }
  return h >>> 0;
}

// ---------------------------------------------------------------- calendar (days since 1970-01-01, UTC)

// UTC only, so no time zone or locale can change a date.
const DAY_MS = 86400000;
const toDay = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / DAY_MS;
function fromDay(n: number): [number, number, number] {
  const t = new Date(n * DAY_MS);
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const fmtDate = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);
const yearOf = (n: number): number => fromDay(n)[0];
// Day ≤ 28 keeps every date valid and keeps hire dates off 29 February (anniversaries stay simple).
const dayIn = (r: Rng, y: number, months: readonly number[] = ALL_MONTHS): number =>
  toDay(y, r.pick(months), r.int(1, 28));
const ALL_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;
// County-and-above projects are published in March and September (第五条): finish after those.
const PROJECT_MONTHS = [4, 5, 6, 7, 10, 11, 12] as const;

// ---------------------------------------------------------------- rows and exact credits

type Level = 'national' | 'province' | 'city' | 'county' | 'school';
type Module = 'ethics' | 'knowledge' | 'ability' | 'class_management' | 'mental_health' | 'school_based' | '';
type FloorModule = 'ethics' | 'knowledge' | 'ability' | 'class_management' | 'school_based';

/** One record before it gets an id. Scaled integers: ×10 for hours, days and score, ×100 for rate. */
interface Row {
  day: number;
  kind: 'training' | 'teaching' | 'induction';
  level: Level;
  format: 'short_term' | 'online' | 'school_based' | '';
  module: Module;
  elective: boolean;
  days10?: number; hours10?: number; practical10?: number; rate100?: number; score10?: number;
  inSystem: boolean;
  status: 'ok' | 'void' | 'ineffective';
}

// 第十条 rate ranges in hundredths; online research is 0.5–1 whatever its level.
const RATES: Record<Level | 'online', readonly [number, number]> = {
  school: [50, 100], county: [100, 150], city: [100, 200], province: [100, 250], national: [100, 300], online: [50, 100],
};
const TEACH_MULT: Record<Level, number> = { national: 10, province: 8, city: 6, county: 4, school: 0 }; // 第十二条
// Yearly floors (第九条, 第十一条): hours in tenths; credits in 1e-5 (rate×100 · hours×10 · factor×100).
const U = 100000;
const FLOOR = { hours: 720, upper: 480, school: 240, credits: 72 * U };
const MODULE_FLOOR: Record<FloorModule, number> = {
  ethics: 6 * U, knowledge: 12 * U, ability: 24 * U, class_management: 6 * U, school_based: 24 * U,
};

const counts = (r: Row): boolean => r.inSystem && r.status === 'ok';
const hours10 = (r: Row): number => (r.format === 'short_term' && r.days10 !== undefined ? r.days10 * 6 : r.hours10 ?? 0);
/** 1 + coefficient, in hundredths, by lower band bound; 0 for a fail. */
function factor(score10: number): number {
  return score10 >= 900 ? 125 : score10 >= 800 ? 120 : score10 >= 700 ? 115 : score10 >= 600 ? 110 : 0;
}
/** Exact credits of a row in units of 1e-5. */
function credits(r: Row): number {
  if (!counts(r)) return 0;
  if (r.kind === 'teaching') return (r.hours10 ?? 0) * TEACH_MULT[r.level] * 10000;
  if (r.kind !== 'training') return 0;
  return (r.rate100 ?? 0) * hours10(r) * factor(r.score10 ?? 0);
}

interface Tally { hours: number; upper: number; school: number; credits: number; mod: Record<FloorModule, number> }
function tally(rows: readonly Row[]): Tally {
  const mod = { ethics: 0, knowledge: 0, ability: 0, class_management: 0, school_based: 0 };
  const t: Tally = { hours: 0, upper: 0, school: 0, credits: 0, mod };
  for (const r of rows) {
    if (!counts(r) || r.kind === 'induction') continue;
    if (r.kind === 'training') {
      const h = hours10(r);
      t.hours += h;
      if (r.level === 'school') t.school += h;
      else t.upper += h;
    }
    const c = credits(r);
    t.credits += c;
    if (r.module !== '' && r.module !== 'mental_health') t.mod[r.module] += c;
  }
  return t;
}

// Scores: mostly ordinary passes, sometimes exactly on a band edge (89.5 is 良 under the default
// reading), sometimes with one decimal.
const EDGE_SCORES = [600, 695, 700, 800, 895, 900, 1000] as const;
function passScore(r: Rng): number {
  if (r.chance(0.15)) return r.pick(EDGE_SCORES);
  return r.chance(0.3) ? r.int(650, 990) : r.int(65, 99) * 10;
}
const failScore = (r: Rng): number => (r.chance(0.3) ? r.pick([595, 590, 0]) : r.int(200, 589));

/** A rate inside the level's range in steps of 0.05, often on a range bound. */
function rate(r: Rng, level: Level, online: boolean): number {
  const [lo, hi] = RATES[online ? 'online' : level];
  if (r.chance(0.2)) return r.chance(0.5) ? lo : hi;
  return lo + 5 * r.int(0, (hi - lo) / 5);
}

type Fmt = 'short_term' | 'online' | 'school_based';
function training(r: Rng, y: number, level: Level, format: Fmt, module: Module, qty10: number): Row {
  const row: Row = {
    day: dayIn(r, y, format === 'short_term' ? PROJECT_MONTHS : ALL_MONTHS), kind: 'training', level, format, module,
    elective: true, rate100: rate(r, level, format === 'online'), score10: passScore(r), inSystem: true, status: 'ok',
  };
  if (format === 'short_term') row.days10 = qty10;
  else row.hours10 = qty10;
  return row;
}
const UPPER: readonly Level[] = ['county', 'city', 'province', 'national'];
const shortTerm = (r: Rng, y: number, m: Module, levels: readonly Level[], days: readonly number[]): Row =>
  training(r, y, r.pick(levels), 'short_term', m, r.pick(days) * 10);
const online = (r: Rng, y: number, m: Module, lo: number, hi: number): Row =>
  training(r, y, r.pick(UPPER), 'online', m, r.int(lo, hi) * 10);
const schoolBased = (r: Rng, y: number, lo: number, hi: number): Row =>
  training(r, y, 'school', 'school_based', 'school_based', r.int(lo, hi) * 10);
/** A row with fixed figures, for the hand-built edge year. */
function fixed(r: Rng, y: number, level: Level, f: Fmt, m: Module, qty10: number, rate100: number, score10: number): Row {
  return { ...training(r, y, level, f, m, qty10), rate100, score10 };
}

/** An ordinary year that covers every floor: one or more rows per module plus school-based research. */
function fullYear(r: Rng, y: number): Row[] {
  const rows = [shortTerm(r, y, 'ethics', ['county', 'city'], [1, 1, 1.5, 2])];
  const knowledge = shortTerm(r, y, 'knowledge', ['county', 'city', 'province'], [2, 2.5, 3]);
  rows.push(r.chance(0.5) ? knowledge : online(r, y, 'knowledge', 12, 20));
  if (r.chance(0.6)) rows.push(shortTerm(r, y, 'ability', UPPER, [3, 4, 5]));
  else rows.push(shortTerm(r, y, 'ability', ['county', 'city'], [2]), online(r, y, 'ability', 8, 12));
  const cm = shortTerm(r, y, 'class_management', ['county', 'city'], [1, 2]);
  rows.push(r.chance(0.6) ? cm : online(r, y, 'class_management', 8, 12));
  if (r.chance(0.4)) rows.push(online(r, y, 'mental_health', 4, 10));
  if (r.chance(0.5)) rows.push(online(r, y, r.pick(['ethics', 'knowledge', 'ability']), 4, 10)); // self-chosen online study
  for (let i = r.int(2, 3); i > 0; i--) rows.push(schoolBased(r, y, 10, 18));
  return rows;
}

/** Adds rows until every yearly floor holds with 10 % to spare: "comfortably" compliant. */
function topUp(r: Rng, y: number, rows: Row[]): void {
  const need = (have: number, floor: number): boolean => have * 10 < floor * 11;
  for (let guard = 0; guard < 50; guard++) {
    const t = tally(rows);
    const before = rows.length;
    for (const m of ['ethics', 'knowledge', 'ability', 'class_management'] as const) {
      if (need(t.mod[m], MODULE_FLOOR[m])) rows.push(shortTerm(r, y, m, ['county', 'city'], [1, 2]));
    }
    const sb = MODULE_FLOOR.school_based;
    if (need(t.school, FLOOR.school) || need(t.mod.school_based, sb)) rows.push(schoolBased(r, y, 8, 12));
    if (need(t.upper, FLOOR.upper) || need(t.credits, FLOOR.credits)) {
      rows.push(shortTerm(r, y, r.pick(['ability', 'knowledge', 'mental_health']), ['county', 'city'], [1, 2]));
    }
    if (rows.length === before) return;
  }
  throw new Error('topUp did not converge'); // unreachable: each added row earns ≥ 6 h and 6.6 credits
}

/**
 * A year built to sit exactly on floors: ethics credits exactly 6 (4.32 + 1.68, which naive binary
 * floating point sums to 5.999999999999999), county-and-above hours exactly 48, school-based hours
 * and credits exactly 24, total hours exactly 72.
 */
function edgeYear(r: Rng, y: number): Row[] {
  return [
    fixed(r, y, 'county', 'online', 'ethics', 60, 60, 800),
    fixed(r, y, 'city', 'online', 'ethics', 20, 70, 800),
    fixed(r, y, 'city', 'short_term', 'knowledge', 20, 150, 850),
    fixed(r, y, 'province', 'short_term', 'ability', 30, 180, 920),
    fixed(r, y, 'county', 'short_term', 'class_management', 10, 120, 750),
    fixed(r, y, 'county', 'online', 'mental_health', 40, 50, 750),
    fixed(r, y, 'school', 'school_based', 'school_based', 120, 80, 900),
    fixed(r, y, 'school', 'school_based', 'school_based', 120, 80, 900),
  ];
}

/** Every module's credits from a few high-rate days: credits hold, hours fall short (30 h county+). */
function compactYear(r: Rng, y: number): Row[] {
  const at = (level: Level, m: Module, days: number, lo: number, hi: number): Row =>
    ({ ...training(r, y, level, 'short_term', m, days * 10), rate100: r.int(lo, hi) * 10 });
  return [
    at('province', 'ethics', 1, 12, 25), at('national', 'knowledge', 1, 20, 30), at('province', 'ability', 2, 20, 25),
    at('city', 'class_management', 1, 12, 20), schoolBased(r, y, 14, 18), schoolBased(r, y, 14, 18),
  ].map((row) => (row.format === 'school_based' ? { ...row, rate100: r.int(8, 10) * 10 } : row));
}

const SHORT_ROW: Record<'ethics' | 'knowledge' | 'ability' | 'class_management', readonly [number, number]> = {
  ethics: [0.5, 120], class_management: [0.5, 120], knowledge: [1, 130], ability: [2, 150],
};
/** Breaks one specific floor in year y of an otherwise compliant plan. */
function applyDefect(r: Rng, p: Profile, y: number, rows: Row[]): Row[] {
  const of = (m: Module): Row[] => rows.filter((x) => x.kind === 'training' && x.module === m);
  // Spoil that year's rows of one module: failed (hours still count), not entered, forged, or
  // not carried out (all school-based rows but one ≤ 18 h, so hours and credits end below 24).
  const spoil: Partial<Record<Profile, [Row[], (x: Row) => void]>> = {
    fails: [of('ability'), (x) => void (x.score10 = failScore(r))],
    not_in_system: [of('knowledge'), (x) => void (x.inSystem = false)],
    void: [of('class_management'), (x) => void (x.status = 'void')],
    ineffective: [of('school_based').slice(1), (x) => void (x.status = 'ineffective')],
  };
  const s = spoil[p];
  if (s !== undefined) s[0].forEach(s[1]);
  switch (p) {
    case 'module_short':
    case 'ethics_just_short': {
      const m = p === 'ethics_just_short' ? 'ethics' : r.pick(Object.keys(SHORT_ROW) as (keyof typeof SHORT_ROW)[]);
      // Relabel rather than delete, so hours and total credits stay put and only the module falls short.
      for (const x of of(m)) x.module = 'mental_health';
      // 0.9 × 6 h × 1.1 = 5.94, just under 6; otherwise 55–94 % of the floor.
      if (p === 'ethics_just_short') return [...rows, fixed(r, y, 'county', 'online', 'ethics', 60, 90, r.int(60, 69) * 10)];
      // [days, max rate]: at most 4.5 / 9.75 / 22.5 credits against floors of 6 / 12 / 24.
      const [days, maxRate] = SHORT_ROW[m];
      return [...rows, { ...shortTerm(r, y, m, ['county'], [days]), rate100: r.int(20, maxRate / 5) * 5 }];
    }
    case 'school_short':
      // Two 8–10 h rows at rate ≤ 0.8: at most 20 h and 20 credits against floors of 24.
      return [
        ...rows.filter((x) => x.format !== 'school_based'),
        ...[0, 1].map(() => ({ ...schoolBased(r, y, 8, 10), rate100: r.int(10, 16) * 5 })),
      ];
    default:
      return rows;
  }
}

/** Rows that never count (or, for compliant teachers, only add hours), as real exports have. */
function noise(r: Rng, y: number, compliant: boolean): Row[] {
  const out: Row[] = [];
  if (r.chance(0.12)) out.push({ ...online(r, y, r.pick(['knowledge', 'ability']), 4, 12), inSystem: false });
  if (r.chance(0.05)) out.push({ ...shortTerm(r, y, 'ability', UPPER, [1, 2]), status: 'void' });
  if (r.chance(0.06)) out.push({ ...schoolBased(r, y, 6, 12), status: 'ineffective' });
  if (compliant && r.chance(0.12)) out.push({ ...online(r, y, 'mental_health', 4, 8), score10: failScore(r) });
  return out;
}

/** Induction rows in the first year of service (第九条): from the hire date, inclusive, inside the cycle. */
function induction(r: Rng, p: Profile, hired: number, lastDay: number): Row[] {
  const [hy, hm, hd] = fromDay(hired);
  const anniversary = toDay(hy + 1, hm, hd);
  const end = Math.min(anniversary - 1, lastDay);
  const total = p === 'induction_short_hours' ? r.int(96, 114) : r.int(124, 150);
  const practical = p === 'induction_short_practical' ? r.int(40, 56) : r.int(64, 80);
  const k = r.int(4, 6);
  const rows: Row[] = [];
  for (let i = 0; i < k; i++) {
    // Remainders go to the first rows for both figures, so practical ≤ hours on every row.
    const h = Math.floor(total / k) + (i < total % k ? 1 : 0);
    const ph = Math.floor(practical / k) + (i < practical % k ? 1 : 0);
    const day = i === 0 ? hired : r.int(hired, end); // the first on the hire date: the inclusive bound
    rows.push({
      day, kind: 'induction', level: r.pick(['county', 'school']), format: '', module: '', elective: false,
      hours10: h * 10, practical10: ph * 10, score10: passScore(r), inSystem: true, status: 'ok',
    });
  }
  // A row dated exactly on the anniversary falls outside the first year: looks like 120+ h, is not.
  if (p === 'induction_short_hours' && anniversary <= lastDay) {
    rows.push({ ...(rows[0] as Row), day: anniversary, hours10: 240, practical10: 120 });
  }
  return rows;
}

/**
 * Marks training rows elective so elective credits land in a band of all credits (第七条):
 * fill greedily up to `hiPm` ‰, then, if still under `loPm` ‰, flip the smallest mandatory rows.
 * Teaching is always elective under the default reading, so it is counted as such from the start.
 */
function assignElective(r: Rng, rows: Row[], loPm: number, hiPm: number): void {
  const total = rows.reduce((s, x) => s + credits(x), 0);
  let el = 0;
  const earning: Row[] = [];
  for (const x of rows) {
    if (x.kind === 'teaching') {
      x.elective = true;
      el += credits(x);
    } else if (x.kind === 'training' && credits(x) > 0) earning.push(x);
    else if (x.kind === 'training') x.elective = r.chance(0.65);
  }
  for (let i = earning.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [earning[i], earning[j]] = [earning[j] as Row, earning[i] as Row];
  }
  for (const x of earning) {
    x.elective = (el + credits(x)) * 1000 <= hiPm * total;
    if (x.elective) el += credits(x);
  }
  for (const x of earning.filter((e) => !e.elective).sort((a, b) => credits(a) - credits(b))) {
    if (el * 1000 >= loPm * total) break;
    x.elective = true;
    el += credits(x);
  }
}

// ---------------------------------------------------------------- teachers

interface Resolved { teachers: number; seed: number; from: number; to: number; messy: boolean }
function resolve(o: SampleOptions): Resolved {
  const from = o.cycleFrom ?? 2016;
  const to = o.cycleTo ?? 2020;
  const bad = (what: string): never => {
    throw new RangeError(`generateSample: ${what}`);
  };
  if (!Number.isInteger(o.teachers) || o.teachers < 0) bad(`teachers must be a non-negative integer, got ${o.teachers}`);
  if (!Number.isInteger(o.seed)) bad(`seed must be an integer, got ${o.seed}`);
  if (!Number.isInteger(from) || !Number.isInteger(to) || from > to || from < 1000 || to > 9998) bad(`bad cycle ${from}..${to}`);
  return { teachers: o.teachers, seed: o.seed, from, to, messy: o.messy ?? true };
}

interface Plan extends SampleTeacher { index: number; hired?: number }
function plan(o: Resolved, i: number): Plan {
  const r = new Rng(mix(o.seed, i, 1));
  const cycle = i % 2 === 0 ? COMPLIANT_CYCLE : DEFECT_CYCLE;
  const profile = cycle[Math.floor(i / 2) % cycle.length] as Profile;
  const county = r.pick(COUNTIES);
  let hired: number | undefined;
  // New teachers start in late summer, early enough that floors apply to at least one later year;
  // ok_new_last starts in spring of the last year, so its whole first year stays inside the cycle.
  if (profile === 'ok_new_last') hired = toDay(o.to, r.pick([2, 3]), r.int(1, 28));
  else if (NEW_PROFILES.includes(profile)) {
    hired = toDay(o.to - o.from >= 2 ? r.int(o.from, o.to - 2) : o.from, r.pick([8, 9]), r.int(1, 28));
  }
  else if (profile === 'ok_old_hire') hired = toDay(o.from - r.int(2, 12), 9, r.int(1, 10));
  return {
    index: i, teacher_id: `T${pad(i + 1, 5)}`, school_id: `${county}${pad(r.int(1, 60), 3)}`, county_id: county,
    hired_on: hired === undefined ? '' : fmtDate(hired), hired, profile, compliant: profile.startsWith('ok'),
  };
}

/** Every record of one teacher, in date order, without ids. */
function teacherRows(o: Resolved, t: Plan): Row[] {
  if (t.profile === 'no_records') return [];
  const r = new Rng(mix(o.seed, t.index, 2));
  const hireYear = t.hired === undefined ? undefined : yearOf(t.hired);
  const isNew = hireYear !== undefined && hireYear >= o.from && hireYear <= o.to;
  const years: number[] = [];
  for (let y = isNew ? (hireYear as number) + 1 : o.from; y <= o.to; y++) years.push(y);
  const target = years.length > 0 ? r.pick(years) : o.from; // the year a defect (or the edge year) lands in
  const rows: Row[] = [];
  for (const y of years) {
    if (t.profile === 'missing_year' && y === target) continue;
    let yr: Row[];
    if (t.profile === 'ok_edge' && y === target) yr = edgeYear(r, y);
    else if (t.profile === 'hours_short' && y === target) yr = compactYear(r, y);
    else {
      yr = fullYear(r, y);
      topUp(r, y, yr);
      if (t.profile === 'ok_teaching' && r.chance(0.6)) {
        yr.push({
          day: dayIn(r, y, PROJECT_MONTHS), kind: 'teaching', level: r.pick(UPPER), format: '', elective: true,
          module: r.pick(['ability', 'knowledge', 'ethics']), hours10: r.int(4, 12) * 5, inSystem: true, status: 'ok',
        });
      }
      if (y === target) yr = applyDefect(r, t.profile, y, yr);
    }
    if (!(t.profile === 'ok_edge' && y === target)) yr.push(...noise(r, y, t.compliant));
    rows.push(...yr);
  }
  if (isNew && t.hired !== undefined) {
    const lastDay = toDay(o.to, 12, 31);
    rows.push(...induction(r, t.profile, t.hired, lastDay));
    // A little ordinary training after the hire date in the hire year: counts for credits, no floors apply.
    const after = (x: Row): Row => ({ ...x, day: r.int((t.hired as number) + 1, toDay(hireYear as number, 12, 31)) });
    const hy = hireYear as number;
    rows.push(after(online(r, hy, 'mental_health', 4, 8)), after(schoolBased(r, hy, 6, 10)));
  }
  if (t.profile === 'elective_low') assignElective(r, rows, 0, r.int(450, 550));
  else assignElective(r, rows, 620, r.int(650, 700));
  return rows.sort((a, b) => a.day - b.day); // stable: equal dates keep generation order
}

/** The teachers of a sample with the outcome each was designed for (same options as generateSample). */
export function describeSample(o: SampleOptions): SampleTeacher[] {
  const ro = resolve(o);
  return Array.from({ length: ro.teachers }, (_, i) => {
    const { teacher_id, school_id, county_id, hired_on, profile, compliant } = plan(ro, i);
    return { teacher_id, school_id, county_id, hired_on, profile, compliant };
  });
}

// ---------------------------------------------------------------- CSV

const tenths = (v: number | undefined): string =>
  v === undefined ? '' : v % 10 === 0 ? String(v / 10) : `${Math.floor(v / 10)}.${v % 10}`;
/** Rates always show 1–2 decimals (1.0, 1.25), as the issuing departments write them. */
const rateText = (v: number | undefined): string =>
  v === undefined ? '' : `${Math.floor(v / 100)}.${v % 10 === 0 ? (v % 100) / 10 : pad(v % 100, 2)}`;

// No generated value contains a comma, quote or newline, so fields need no quoting.
function fields(row: Row, id: string, teacher: string): string[] {
  return [
    id, teacher, fmtDate(row.day), row.kind, row.level, row.format, row.module, String(row.elective),
    tenths(row.days10), tenths(row.hours10), tenths(row.practical10), rateText(row.rate100), tenths(row.score10),
    String(row.inSystem), row.status,
  ];
}

type Bad = 'level' | 'teacher' | 'hours' | 'rate' | 'duplicate' | 'outside' | 'date';
const BAD_CYCLE: readonly Bad[] = ['level', 'teacher', 'hours', 'rate', 'duplicate', 'outside', 'date'];

/**
 * Streams the records CSV one line at a time (no line terminator), header first, so a benchmark
 * can produce millions of rows in constant memory. Joined with LF plus a trailing LF, the lines
 * are exactly {@link SampleData.records} of {@link generateSample} with the same options.
 *
 * With `messy`, one invalid extra row follows roughly every 100–200 good rows, cycling through
 * seven kinds: unknown level, missing teacher_id, non-numeric hours, rate out of range, reused
 * record_id, date outside the cycle, malformed date. They are extras built so that however an
 * engine rejects them, no teacher's designed outcome changes.
 */
export function* generateRecordRows(o: SampleOptions): Generator<string> {
  const ro = resolve(o);
  const r = new Rng(mix(ro.seed, 0x5eed, 3));
  yield RECORD_COLUMNS.join(',');
  let n = 0;
  let nextBad = r.int(100, 200);
  let badIdx = 0;
  let spareId: string | undefined; // id of an earlier row that counts for nothing, for the duplicate
  const nextId = (): string => `R${pad(++n, 7)}`;
  for (let i = 0; i < ro.teachers; i++) {
    const t = plan(ro, i);
    for (const row of teacherRows(ro, t)) {
      const id = nextId();
      if (!counts(row)) spareId = id;
      yield fields(row, id, t.teacher_id).join(',');
      if (!ro.messy || n < nextBad) continue;
      const kind = BAD_CYCLE[badIdx % BAD_CYCLE.length] as Bad;
      // The duplicate reuses a non-counting row's id and is itself an elective pass for a compliant
      // teacher: dropping either row, or keeping the later, leaves every outcome as designed.
      if (kind === 'duplicate' && (!t.compliant || spareId === undefined)) continue;
      const y = yearOf(row.day);
      const base = { ...online(r, y, 'knowledge', 4, 10), level: 'county' as Level, elective: true };
      const f = fields(base, kind === 'duplicate' ? (spareId as string) : nextId(), t.teacher_id);
      if (kind === 'level') f[4] = 'provincial';
      if (kind === 'teacher') f[1] = '';
      if (kind === 'hours') f[9] = 'abc';
      if (kind === 'rate') f[11] = r.pick(['1.2', '1.5', '0.4']); // online research is 0.5–1 at any level
      if (kind === 'outside') f[2] = fmtDate(dayIn(r, r.chance(0.5) ? ro.from - 1 : ro.to + 1));
      if (kind === 'date') f[2] = r.pick([`${y}-13-05`, `${y}/05/12`, `${y}-02-30`, `${y}0612`]);
      yield f.join(',');
      badIdx++;
      nextBad = n + r.int(100, 200);
    }
  }
}

/** Generates the records and teachers CSV texts of a sample; same options, same bytes. */
export function generateSample(o: SampleOptions): SampleData {
  const lines = Array.from(generateRecordRows(o));
  const teachers = [TEACHER_COLUMNS.join(',')];
  for (const t of describeSample(o)) teachers.push([t.teacher_id, t.school_id, t.county_id, t.hired_on].join(','));
  return { records: lines.join('\n') + '\n', teachers: teachers.join('\n') + '\n' };
}
