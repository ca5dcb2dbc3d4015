// Implementations of the built-in functions declared in dsl/builtins.ts, registered by name.

import { Decimal } from './decimal.ts';
import { isLeapYear, type Value } from './values.ts';

/** A built-in's implementation: present arguments in, value out. */
export type BuiltinImpl = (args: readonly Value[]) => Value;

function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  // 29 February has no twin in a common year: the anniversary is 28 February.
  return `${String(y).padStart(4, '0')}-${md === '02-29' && !isLeapYear(y) ? '02-28' : md}`;
}

/** The implementations, by the names their declarations use. */
export const builtinImpls: ReadonlyMap<string, BuiltinImpl> = new Map<string, BuiltinImpl>([
  ['year', ([d]) => Decimal.fromNumber(Number((d as string).slice(0, 4)))],
  ['add_years', ([d, n]) => addYears(d as string, Number((n as Decimal).round(0).toString()))],
  ['min', ([a, b]) => (a as Decimal).min(b as Decimal)],
  ['max', ([a, b]) => (a as Decimal).max(b as Decimal)],
]);
