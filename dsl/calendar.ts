// Calendar arithmetic of the rule language, on the proleptic Gregorian calendar, in whole
// integers: no JavaScript Date (no time zones, no two-digit-year mapping). Shared by the checker
// (date literals), the interpreter and the generated code (engine/builtins.ts, codegen/runtime.ts).
//
// A date is written `YYYY-MM-DD`; every date the language handles has a four-digit year, so it
// lies in 0000-01-01 … 9999-12-31 (the interpreter orders dates as text, the generated code as
// the integer YYYYMMDD: both orders agree only on four-digit years). A function whose result
// would leave that range has no result: see {@link DATE_MIN_YEAR}.

/** The first and last years a date may have. */
export const DATE_MIN_YEAR = 0;
export const DATE_MAX_YEAR = 9999;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether a year of the proleptic Gregorian calendar has a 29 February. */
export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** The number of days of month `m` (1–12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m - 1]!;
}

/** A date's parts. */
export interface CivilDate {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

/** The parts of `YYYY-MM-DD` if it is exactly that shape and a real calendar date, else undefined. */
export function parseDate(text: string): CivilDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return { y, m, d };
}

/** Whether `text` is a real calendar date written `YYYY-MM-DD`. */
export function isRealDate(text: string): boolean {
  return parseDate(text) !== undefined;
}

/** `YYYY-MM-DD` of a date's parts (the year must have at most four digits). */
export function formatDate(c: CivilDate): string {
  return `${String(c.y).padStart(4, '0')}-${String(c.m).padStart(2, '0')}-${String(c.d).padStart(2, '0')}`;
}

/**
 * The day number of a date: days since 0000-03-01 of the proleptic Gregorian calendar (so
 * 0000-03-01 is 0). Counted in 400-year eras of 146 097 days, each starting on 1 March, so that
 * the leap day falls at the end of a counting year (the method of H. Hinnant's `days_from_civil`).
 */
export function dayNumber(c: CivilDate): number {
  const y = c.m <= 2 ? c.y - 1 : c.y;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400; // 0 … 399
  const mp = (c.m + 9) % 12; // March = 0 … February = 11
  const doy = Math.floor((153 * mp + 2) / 5) + c.d - 1; // 0 … 365
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy; // 0 … 146096
  return era * 146097 + doe;
}

/** `b − a` in whole days. */
export function daysBetween(a: CivilDate, b: CivilDate): number {
  return dayNumber(b) - dayNumber(a);
}

/**
 * The date `n` months after `c` (before it for negative `n`), on the same day of the month or, if
 * that month is shorter, its last day: 2019-01-31 + 1 month is 2019-02-28, 2020-01-31 + 1 month
 * is 2020-02-29. Undefined when the year would leave {@link DATE_MIN_YEAR}–{@link DATE_MAX_YEAR}
 * (or `n` is not a safe integer).
 */
export function addMonths(c: CivilDate, n: number): CivilDate | undefined {
  if (!Number.isSafeInteger(n)) return undefined;
  const total = c.y * 12 + (c.m - 1) + n;
  if (!Number.isSafeInteger(total)) return undefined;
  const y = Math.floor(total / 12);
  if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR) return undefined;
  const m = total - y * 12 + 1;
  return { y, m, d: Math.min(c.d, daysInMonth(y, m)) };
}

/** The date `n` years after `c`: {@link addMonths} of 12 n months (29 February becomes 28 February). */
export function addYears(c: CivilDate, n: number): CivilDate | undefined {
  return Number.isSafeInteger(n * 12) ? addMonths(c, n * 12) : undefined;
}

/** A date held as the integer YYYYMMDD (as the generated code holds dates) in parts. */
export function fromDateNumber(v: number): CivilDate {
  const md = v % 10000;
  return { y: Math.floor(v / 10000), m: Math.floor(md / 100), d: md % 100 };
}

/** A date's parts as the integer YYYYMMDD. */
export function toDateNumber(c: CivilDate): number {
  return c.y * 10000 + c.m * 100 + c.d;
}
