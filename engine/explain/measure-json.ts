// A measure's value as the explanation (and the eval report) gives it.

import { Decimal } from '../decimal.ts';
import { jsonNumber } from '../output/display.ts';
import { Quotient } from '../quotient.ts';
import type { MeasureValue } from '../results.ts';
import type { JsonNumber } from './types.ts';

/** A measure's value: a number as eval writes it, or a grouped one's by key. */
export function measureJson(v: MeasureValue): JsonNumber | { [key: string]: JsonNumber } {
  if (v instanceof Decimal || v instanceof Quotient) return jsonNumber(v);
  return Object.fromEntries([...v].map(([k, d]) => [k, jsonNumber(d)]));
}
