// The size of a rolling window (`require … per 3 periods: …`): a whole number of periods, at least
// two, no more than a cycle holds (a repeating cycle's windows lie within each of its cycles).

import type { DiagnosticBag } from './diagnostics.ts';
import { periodCount } from './periods.ts';
import type { PolicyAst } from './policy.ts';
import type { Span } from './source.ts';

/**
 * The largest window: each window's totals are worked out from its periods' (a subject's cycle
 * of n periods has n - size + 1 windows), so the size bounds the work per subject. Ten years of
 * months; a scheme's rolling windows are a few years, quarters or months.
 */
export const MAX_WINDOW = 120;

/**
 * The number of periods in one cycle, windows lying within it: `every` for a repeating cycle,
 * else the cycle's (each subject's own, for a cycle per subject). Undefined when the cycle is in
 * error itself (reported where it is written).
 */
export function cyclePeriods(p: PolicyAst): number | undefined {
  const n = p.cycle.every !== undefined ? p.cycle.every : periodCount(p);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/**
 * Checks the size of a window (`per N periods`) as written; returns it, or undefined after a
 * `bad-window` error. Only a whole-number literal is taken: the size is the shape of the check
 * (which periods are added up together), not a value that changes from one version to the next.
 */
export function checkWindowSize(p: PolicyAst, w: { readonly text: string; readonly span: Span }, bag: DiagnosticBag): number | undefined {
  const n = /^\d+$/.test(w.text) ? Number(w.text) : Number.NaN;
  if (!(n >= 2 && n <= MAX_WINDOW)) {
    bag.error('bad-window', w.span, `a window of '${w.text}' periods: write a whole number from 2 to ${MAX_WINDOW}`,
      `窗口期数 '${w.text}'：须为 2 到 ${MAX_WINDOW} 之间的整数`,
      n === 1 ? "a window of one period is 'per period'" : "e.g. 'per 3 periods' for any three consecutive periods");
    return undefined;
  }
  const periods = cyclePeriods(p);
  if (periods !== undefined && n > periods) {
    const cycle = p.cycle.every !== undefined ? 'each cycle' : 'the cycle';
    bag.error('bad-window', w.span, `a window of ${n} periods does not fit in ${cycle}, which has ${periods}`,
      `${n} 期的窗口超出了周期的 ${periods} 期`, 'every window lies within one cycle: make the window shorter or the cycle longer');
    return undefined;
  }
  return n;
}
