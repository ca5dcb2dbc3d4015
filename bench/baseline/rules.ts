// The Lincang rules (临教发〔2017〕105号, as policies/lincang/policy.yaml reads them), written out
// by hand: every field, enum value, article, floor, label and message is a constant here. Change
// the policy and this file must follow — the cost guize exists to remove.

import { SCALE, POW10 } from './exact.ts';

// ── Record fields, in declaration order (the order problems are reported in) ──────────────────

export const F_RECORD_ID = 0;
export const F_TEACHER_ID = 1;
export const F_DATE = 2;
export const F_KIND = 3;
export const F_LEVEL = 4;
export const F_FORMAT = 5;
export const F_MODULE = 6;
export const F_ELECTIVE = 7;
export const F_DAYS = 8;
export const F_HOURS = 9;
export const F_PRACTICAL = 10;
export const F_RATE = 11;
export const F_SCORE = 12;
export const F_IN_SYSTEM = 13;
export const F_STATUS = 14;
export const RECORD_FIELD_COUNT = 15;

/** How a field's text is read. */
export type FieldType = 'text' | 'date' | 'enum' | 'bool' | 'number';

/** A declared field: its column name, type, whether required, its articles, and for enums its values. */
export interface FieldSpec {
  readonly id: string;
  readonly type: FieldType;
  readonly required: boolean;
  /** Articles, joined "; " in the report. */
  readonly article: string | null;
  readonly values?: readonly string[];
  /** For numbers: the range as the policy writes it ("0–…", "0–100"); all Lincang numbers have min 0. */
  readonly range?: string;
  /** For numbers: a maximum (score ≤ 100). */
  readonly max100?: boolean;
}

export const KINDS = ['training', 'teaching', 'induction'] as const;
export const LEVELS = ['national', 'province', 'city', 'county', 'school'] as const;
export const FORMATS = ['short_term', 'online', 'school_based'] as const;
export const MODULES = ['ethics', 'knowledge', 'ability', 'class_management', 'mental_health', 'school_based'] as const;
export const STATUSES = ['ok', 'void', 'ineffective'] as const;

// Enum codes: 0 is "missing", then the values in declaration order from 1.
export const TRAINING = 1;
export const TEACHING = 2;
export const INDUCTION = 3;
export const L_SCHOOL = 5;
export const SHORT_TERM = 1;
export const ONLINE = 2;
export const VOID = 2;
export const INEFFECTIVE = 3;
export const TRUE = 1;
export const FALSE = 2;

const A5 = '管理办法 第五条';
const A7 = '管理办法 第七条';
const A9 = '管理办法 第九条';
const A10 = '管理办法 第十条';
const A11 = '管理办法 第十一条';
const A12 = '管理办法 第十二条';
const A15 = '管理办法 第十五条';
const A20 = '管理办法 第二十条';

/** The records file's fields. */
export const RECORD_FIELDS: readonly FieldSpec[] = [
  { id: 'record_id', type: 'text', required: true, article: A15 },
  { id: 'teacher_id', type: 'text', required: true, article: '管理办法 第四条' },
  { id: 'date', type: 'date', required: true, article: A9 },
  { id: 'kind', type: 'enum', required: true, article: `${A9}; ${A12}`, values: KINDS },
  { id: 'level', type: 'enum', required: false, article: A5, values: LEVELS },
  { id: 'format', type: 'enum', required: false, article: A9, values: FORMATS },
  { id: 'module', type: 'enum', required: false, article: `管理办法 第六条; ${A11}`, values: MODULES },
  { id: 'elective', type: 'bool', required: false, article: A7 },
  { id: 'days', type: 'number', required: false, article: A9, range: '0–…' },
  { id: 'hours', type: 'number', required: false, article: A9, range: '0–…' },
  { id: 'practical_hours', type: 'number', required: false, article: A9, range: '0–…' },
  { id: 'rate', type: 'number', required: false, article: A10, range: '0–…' },
  { id: 'score', type: 'number', required: false, article: A10, range: '0–100', max100: true },
  { id: 'in_system', type: 'bool', required: true, article: A20 },
  { id: 'status', type: 'enum', required: true, article: `${A15}; 管理办法 第二十一条`, values: STATUSES },
];

export const T_TEACHER_ID = 0;
export const T_SCHOOL_ID = 1;
export const T_COUNTY_ID = 2;
export const T_HIRED_ON = 3;

/** The teachers file's fields (the policy's subject fields). */
export const TEACHER_FIELDS: readonly FieldSpec[] = [
  { id: 'teacher_id', type: 'text', required: true, article: null },
  { id: 'school_id', type: 'text', required: false, article: null },
  { id: 'county_id', type: 'text', required: false, article: null },
  { id: 'hired_on', type: 'date', required: false, article: A9 },
];

/** The record key's article, cited when a duplicate is rejected (record.cite). */
export const DUPLICATE_ARTICLE = A15;

// ── Outcome rules, in policy order ─────────────────────────────────────────────────────────

/** A reject rule: its id, its reason, its article. */
export interface RejectRule {
  readonly id: string;
  readonly reason: string;
  readonly article: string;
}

export const R_SHORT_TERM_WITHOUT_DAYS: RejectRule = { id: 'short_term_without_days', reason: '短期集中培训缺少天数 / short-term training without days', article: A9 };
export const R_TRAINING_WITHOUT_HOURS: RejectRule = { id: 'training_without_hours', reason: '培训记录缺少学时 / training record without hours', article: A9 };
export const R_WITHOUT_LEVEL: RejectRule = { id: 'without_level', reason: '缺少项目级别 / project level missing', article: A5 };
export const R_TRAINING_WITHOUT_RATE: RejectRule = { id: 'training_without_rate', reason: '缺少项目学分 / credit rate missing', article: A10 };
export const R_TRAINING_WITHOUT_SCORE: RejectRule = { id: 'training_without_score', reason: '缺少培训成绩 / score missing', article: A10 };
export const R_TRAINING_WITHOUT_ELECTIVE: RejectRule = { id: 'training_without_elective', reason: '未注明指令性或自主选学 / mandatory or elective not given', article: A7 };
export const R_TEACHING_WITHOUT_HOURS: RejectRule = { id: 'teaching_without_hours', reason: '授课记录缺少授课学时 / teaching record without hours taught', article: A12 };
export const R_INDUCTION_WITHOUT_HOURS: RejectRule = { id: 'induction_without_hours', reason: '上岗培训记录缺少学时 / induction record without hours', article: A9 };
export const R_RATE_OUT_OF_RANGE: RejectRule = { id: 'rate_out_of_range', reason: '', article: A10 };
/** An induction record on or after a hire in 9999: its first anniversary is past the last date there is. */
export const R_ANNIVERSARY_OUT_OF_RANGE: RejectRule = {
  id: 'outside_cycle',
  reason: 'add_years(hired_on, 1) 超出 0000-01-01–9999-12-31（outside_cycle）/ add_years(hired_on, 1) falls outside 0000-01-01–9999-12-31, in outside_cycle',
  article: A9,
};

/** The reason of rate_out_of_range, its placeholders filled in (values in canonical decimal text). */
export function rateReason(rate: string, lo: string, hi: string): string {
  return `项目学分 ${rate} 超出第十条规定的范围 ${lo}–${hi} / credit rate ${rate} is outside ${lo}–${hi} (article 10)`;
}

export const OUTSIDE_CYCLE = 'outside_cycle';
export const DISREGARD_RULES = ['not_in_system', 'void', 'ineffective'] as const;

// ── Numbers ──────────────────────────────────────────────────────────────────────────────────

export const CYCLE_FROM = 2016;
export const CYCLE_TO = 2020;
export const CYCLE_YEARS = CYCLE_TO - CYCLE_FROM + 1;

/** rate_range (第十条) by level code, and online research's range, in tenths of a credit per hour. */
export const RATE_LO10: readonly number[] = [0, 10, 10, 10, 10, 5];
export const RATE_HI10: readonly number[] = [0, 30, 25, 20, 15, 10];
export const ONLINE_LO10 = 5;
export const ONLINE_HI10 = 10;
/** The bounds as the reason prints them (canonical decimals). */
export const TENTHS_TEXT: Readonly<Record<number, string>> = { 5: '0.5', 10: '1', 15: '1.5', 20: '2', 25: '2.5', 30: '3' };

/** teaching_rate (第十二条): credits per hour taught, by level code. */
export const TEACHING_RATE: readonly number[] = [0, 10, 8, 6, 4, 0];

/** Grade bands by lower bound (第十条): 1 + coefficient in hundredths; below 60 is a fail. */
export const BAND_FROM: readonly number[] = [90, 80, 70, 60];
export const BAND_FACTOR100: readonly number[] = [125, 120, 115, 110];

export const HOURS_PER_DAY = 6;

/** A whole number of hours or credits in the fast representation. */
const whole = (n: number): number => n * POW10[SCALE]!;

// ── Totals: slots of a teacher's sums ────────────────────────────────────────────────────────

// Each cycle year has 13 slots; induction rows dated outside the cycle (a hire late in 2020) add
// to two more, which count only for the cycle.
export const S_CREDITS = 0;
export const S_HOURS = 1;
export const S_COUNTY = 2;
export const S_SCHOOL = 3;
/** modules: S_MODULE + module code - 1 (ethics … school_based). */
export const S_MODULE = 4;
export const S_ELECTIVE = 10;
export const S_INDUCTION = 11;
export const S_PRACTICAL = 12;
export const YEAR_SLOTS = 13;
export const OUTSIDE_INDUCTION = CYCLE_YEARS * YEAR_SLOTS;
export const OUTSIDE_PRACTICAL = OUTSIDE_INDUCTION + 1;
export const SLOTS = OUTSIDE_PRACTICAL + 1;

// ── Requirements, in policy order ────────────────────────────────────────────────────────────

/** A requirement: id, label halves, article, unit words, and its floor (per counted year). */
export interface Requirement {
  readonly id: string;
  readonly zh: string;
  readonly en: string;
  readonly article: string;
  readonly unitZh: string;
  readonly unitEn: string;
}

const HOUR = { unitZh: '学时', unitEn: 'hours' };
const CREDIT = { unitZh: '学分', unitEn: 'credits' };

export const YEARLY_HOURS: Requirement = { id: 'yearly_hours', zh: '每年学时不少于72', en: 'at least 72 hours a year', article: A9, ...HOUR };
export const CYCLE_HOURS: Requirement = { id: 'cycle_hours', zh: '周期学时不少于360', en: 'at least 360 hours per cycle', article: A9, ...HOUR };
export const YEARLY_COUNTY: Requirement = { id: 'yearly_county_hours', zh: '每年县级以上学时不少于48', en: 'at least 48 county-and-above hours a year', article: A9, ...HOUR };
export const CYCLE_COUNTY: Requirement = { id: 'cycle_county_hours', zh: '周期县级以上学时不少于240', en: 'at least 240 county-and-above hours per cycle', article: A9, ...HOUR };
export const YEARLY_SCHOOL: Requirement = { id: 'yearly_school_hours', zh: '每年校本研修学时不少于24', en: 'at least 24 school-based hours a year', article: A9, ...HOUR };
export const CYCLE_SCHOOL: Requirement = { id: 'cycle_school_hours', zh: '周期校本研修学时不少于120', en: 'at least 120 school-based hours per cycle', article: A9, ...HOUR };
export const YEARLY_CREDITS: Requirement = { id: 'yearly_credits', zh: '每年学分不少于72', en: 'at least 72 credits a year', article: A11, ...CREDIT };
export const CYCLE_CREDITS: Requirement = { id: 'cycle_credits', zh: '周期学分不少于360', en: 'at least 360 credits per cycle', article: A11, ...CREDIT };
export const YEARLY_MODULE: Requirement = { id: 'yearly_module_credits', zh: '模块年度学分', en: 'yearly credits of the module', article: A11, ...CREDIT };
export const CYCLE_MODULE: Requirement = { id: 'cycle_module_credits', zh: '模块周期学分', en: 'cycle credits of the module', article: A11, ...CREDIT };
export const ELECTIVE_MINIMUM: Requirement = { id: 'elective_minimum', zh: '自主选学学分不低于60%', en: 'elective credits at least 60%', article: A7, ...CREDIT };
export const INDUCTION_TOTAL: Requirement = { id: 'induction_total', zh: '上岗培训不少于120学时', en: 'induction at least 120 hours', article: A9, ...HOUR };
export const INDUCTION_PRACTICE: Requirement = { id: 'induction_practice', zh: '上岗实践培训不少于60学时', en: 'induction practice at least 60 hours', article: A9, ...HOUR };

/** Yearly floors (第九条, 第十一条); the cycle floors are five times these, scaled by n/5. */
export const YEARLY_HOURS_FLOOR = whole(72);
export const YEARLY_COUNTY_FLOOR = whole(48);
export const YEARLY_SCHOOL_FLOOR = whole(24);
export const YEARLY_CREDITS_FLOOR = whole(72);
/** Per floor module (module_floor's rows, in table order): module code and yearly floor. */
export const FLOOR_MODULES: readonly { readonly code: number; readonly name: string; readonly yearly: number }[] = [
  { code: 1, name: 'ethics', yearly: whole(6) },
  { code: 2, name: 'knowledge', yearly: whole(12) },
  { code: 3, name: 'ability', yearly: whole(24) },
  { code: 4, name: 'class_management', yearly: whole(6) },
  { code: 6, name: 'school_based', yearly: whole(24) },
];
export const INDUCTION_FLOOR = whole(120);
export const PRACTICE_FLOOR = whole(60);
