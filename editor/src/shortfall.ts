// A violation's shortfall, in exact decimals (no DOM here: the tests import it under Node).

import { Decimal } from '../../engine/decimal.ts';

/** What the shortfall needs of a violation of the JSON report. */
export interface Gap {
  readonly actual: number | null;
  readonly required: number | null;
}

/** `required − actual` exactly (decimals, not floats), as the shortfall of a floor not reached. */
export function shortfall(v: Gap): string | undefined {
  if (typeof v.actual !== 'number' || typeof v.required !== 'number') return undefined;
  const a = Decimal.parse(String(v.actual));
  const r = Decimal.parse(String(v.required));
  if (!a || !r) return undefined;
  return r.sub(a).abs().toString();
}

