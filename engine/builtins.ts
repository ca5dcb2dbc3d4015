// Implementations of the built-in functions declared in dsl/builtins.ts, registered by name.
// Dates are `YYYY-MM-DD` texts (values.ts); the calendar arithmetic is dsl/calendar.ts's.

import { addMonths, addYears, daysBetween, formatDate, parseDate, type CivilDate } from '../dsl/calendar.ts';
import { Decimal } from './decimal.ts';
import { DateOutOfRange, type Value } from './values.ts';

/**
 * A built-in's implementation: present arguments in, value out. `call` is the call's text, for
 * the rejection when a date would leave the four-digit years ({@link DateOutOfRange}).
 */
export type BuiltinImpl = (args: readonly Value[], call: string) => Value;

const civil = (v: Value): CivilDate => parseDate(v as string)!;

/** A whole number of months or years: the argument rounded half up, as the declaration says. */
const whole = (v: Value): number => Number((v as Decimal).round(0).toString());

const places = (v: Value): number => Number((v as Decimal).toString());

function dateOrReject(d: CivilDate | undefined, call: string): string {
  if (!d) throw new DateOutOfRange(call);
  return formatDate(d);
}

/** The implementations, by the names their declarations use. */
export const builtinImpls: ReadonlyMap<string, BuiltinImpl> = new Map<string, BuiltinImpl>([
  ['year', ([d]) => Decimal.fromNumber(civil(d).y)],
  ['month', ([d]) => Decimal.fromNumber(civil(d).m)],
  ['day', ([d]) => Decimal.fromNumber(civil(d).d)],
  ['days_between', ([a, b]) => Decimal.fromNumber(daysBetween(civil(a), civil(b)))],
  ['add_months', ([d, n], call) => dateOrReject(addMonths(civil(d), whole(n)), call)],
  ['add_years', ([d, n], call) => dateOrReject(addYears(civil(d), whole(n)), call)],
  // From the left: on a tie the earlier argument is kept, as a.min(b) keeps a.
  ['min', (args) => (args as Decimal[]).reduce((a, b) => a.min(b))],
  ['max', (args) => (args as Decimal[]).reduce((a, b) => a.max(b))],
  ['round', ([x, p]) => (x as Decimal).round(places(p))],
  ['floor', ([x, p]) => (x as Decimal).floor(places(p))],
  ['ceil', ([x, p]) => (x as Decimal).ceil(places(p))],
]);
