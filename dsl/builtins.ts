// Built-in functions of the rule language: their declarations (name, signature, description).
// The implementations live in engine/builtins.ts, registered under the same names; the
// descriptions also feed editor hover and completion.

/** Argument and result kinds of a built-in's signature. `number` keeps its unit where `sameUnit`. */
export type BuiltinParam = 'date' | 'number' | 'integer';

/** A built-in function's declaration. */
export interface BuiltinDecl {
  readonly name: string;
  readonly params: readonly BuiltinParam[];
  /** `date`, a dimensionless `number`, or `sameUnit`: a number in the unit of all arguments. */
  readonly result: 'date' | 'number' | 'sameUnit';
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
      name: 'add_years', params: ['date', 'integer'], result: 'date',
      description: { en: 'The same day n years later (29 February becomes 28 February).', zh: 'n 年后的同一天（2月29日记为2月28日）。' },
    },
    {
      name: 'min', params: ['number', 'number'], result: 'sameUnit',
      description: { en: 'The smaller of two numbers of the same unit.', zh: '两数中较小者（单位相同）。' },
    },
    {
      name: 'max', params: ['number', 'number'], result: 'sameUnit',
      description: { en: 'The larger of two numbers of the same unit.', zh: '两数中较大者（单位相同）。' },
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
