// Built-in functions of the rule language: their declarations (name, signature, description).
// The implementations live in engine/builtins.ts, registered under the same names; the
// descriptions also feed editor hover and completion.

/**
 * Argument kinds of a built-in's signature. `number` keeps its unit where the result is
 * `sameUnit`; `integer` is a plain number, rounded half up to a whole one; `places` must be
 * written as a whole-number literal from 0 to {@link MAX_ROUND_PLACES} (`bad-places`).
 */
export type BuiltinParam = 'date' | 'number' | 'integer' | 'places';

/** The most decimal places `round`, `floor` and `ceil` take: as many as a number in a policy may have. */
export const MAX_ROUND_PLACES = 15;

/** A built-in function's declaration. */
export interface BuiltinDecl {
  readonly name: string;
  readonly params: readonly BuiltinParam[];
  /** `date`, a dimensionless `number`, or `sameUnit`: a number in the unit of all arguments. */
  readonly result: 'date' | 'number' | 'sameUnit';
  /** Whether the last parameter repeats: the call takes `params.length` arguments or more. */
  readonly variadic?: boolean;
  readonly description: { readonly en: string; readonly zh: string };
}

/** The built-ins, by name. */
export const builtins: ReadonlyMap<string, BuiltinDecl> = new Map(
  [
    {
      name: 'year', params: ['date'], result: 'number',
      description: { en: 'The calendar year of a date, e.g. year(2017-08-28) = 2017.', zh: '日期所在的年份。' },
    },
    {
      name: 'month', params: ['date'], result: 'number',
      description: { en: 'The month of a date, 1–12, e.g. month(2017-08-28) = 8.', zh: '日期所在的月份（1–12）。' },
    },
    {
      name: 'day', params: ['date'], result: 'number',
      description: { en: 'The day of the month of a date, 1–31, e.g. day(2017-08-28) = 28.', zh: '日期是当月的第几日（1–31）。' },
    },
    {
      name: 'days_between', params: ['date', 'date'], result: 'number',
      description: { en: 'Whole days from the first date to the second (negative if the second is earlier).', zh: '从第一个日期到第二个日期的整天数（第二个较早时为负）。' },
    },
    {
      name: 'add_months', params: ['date', 'integer'], result: 'date',
      description: {
        en: 'The same day n months later, or the last day of that month if it is shorter (2019-01-31 + 1 month = 2019-02-28).',
        zh: 'n 个月后的同一天；该月没有这一天时取该月最后一天（2019-01-31 加 1 个月为 2019-02-28）。',
      },
    },
    {
      name: 'add_years', params: ['date', 'integer'], result: 'date',
      description: { en: 'The same day n years later (29 February becomes 28 February).', zh: 'n 年后的同一天（2月29日记为2月28日）。' },
    },
    {
      name: 'round', params: ['number', 'places'], result: 'sameUnit',
      description: { en: 'A number rounded half up (ties away from zero) to the given decimal places: round(2.345, 2) = 2.35.', zh: '按给定小数位四舍五入（恰在中间时远离零）。' },
    },
    {
      name: 'floor', params: ['number', 'places'], result: 'sameUnit',
      description: { en: 'A number rounded down (towards minus infinity) to the given decimal places: floor(-2.341, 2) = -2.35.', zh: '按给定小数位向下取整（朝负无穷）。' },
    },
    {
      name: 'ceil', params: ['number', 'places'], result: 'sameUnit',
      description: { en: 'A number rounded up (towards plus infinity) to the given decimal places: ceil(2.341, 2) = 2.35.', zh: '按给定小数位向上取整（朝正无穷）。' },
    },
    {
      name: 'min', params: ['number', 'number'], result: 'sameUnit', variadic: true,
      description: { en: 'The smallest of two or more numbers of the same unit: min(a, b, c).', zh: '两个或多个数中最小者（单位相同）。' },
    },
    {
      name: 'max', params: ['number', 'number'], result: 'sameUnit', variadic: true,
      description: { en: 'The largest of two or more numbers of the same unit: max(a, b, c).', zh: '两个或多个数中最大者（单位相同）。' },
    },
  ].map((b) => [b.name, b as BuiltinDecl]),
);

/**
 * Names every policy can use without declaring them: the period of the record (or of the
 * requirement being checked) and the bounds of the cycle.
 */
export const ambientNames = {
  period: { en: 'The period (year) of the record, or of the requirement being checked.', zh: '记录（或所检查要求）所在的年度。' },
  cycle_from: { en: 'The first period of the cycle.', zh: '周期的第一年。' },
  cycle_to: { en: 'The last period of the cycle.', zh: '周期的最后一年。' },
  cycle_length: { en: 'The number of periods in the cycle.', zh: '周期的年数。' },
} as const;

/**
 * The version in force, as its index among the policy's versions: the record's (by its period
 * field's date) per record, the scope's (at the end of the period or cycle) over totals; -1 for
 * a record dated before the first version, -2 after the last one's end. Only the combination of
 * a policy's versions (combine-versions.ts) writes it: no rule text can name it.
 */
export const VERSION_NAME = '$version';

export type AmbientName = keyof typeof ambientNames | typeof VERSION_NAME;
