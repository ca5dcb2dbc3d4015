// The distribution of a measure's changes: min, quartiles and max by nearest rank, and a
// histogram of equal-width bins — all on exact decimals (a bin's edges are min + k·(max − min)/10,
// and dividing by ten is exact in decimal, so no delta is ever put in the wrong bin by rounding).

import { Decimal } from '../decimal.ts';
import { jsonNumber } from '../output/display.ts';
import type { MeasureDistribution } from './diff-json.ts';

/** Bins of a histogram whose deltas are not all equal (all equal: one bin). */
export const HISTOGRAM_BINS = 10;

const TENTH = Decimal.fromSafe(1, 1);

/**
 * The nearest-rank percentile of sorted values: the value at rank ⌈p·n⌉ (1-based), for p in
 * (0, 1] given as `num / den` so that the rank is worked out on integers.
 */
export function nearestRank<T>(sorted: readonly T[], num: number, den: number): T {
  const rank = Math.max(1, Math.ceil((sorted.length * num) / den));
  return sorted[rank - 1]!;
}

/** The equal-width bins of `sorted` (ascending, non-empty), with their exact edges and counts. */
export function histogram(sorted: readonly Decimal[]): { from: Decimal; to: Decimal; count: number }[] {
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  if (min.eq(max)) return [{ from: min, to: max, count: sorted.length }];
  const width = max.sub(min).mul(TENTH);
  const edge = (k: number) => (k === HISTOGRAM_BINS ? max : min.add(width.mul(Decimal.fromSafe(k, 0))));
  const bins = Array.from({ length: HISTOGRAM_BINS }, (_, k) => ({ from: edge(k), to: edge(k + 1), count: 0 }));
  // Sorted: walk the bins once. A value goes in the last bin whose lower edge it reaches; the
  // last bin is closed, so max falls in it.
  let k = 0;
  for (const x of sorted) {
    while (k < HISTOGRAM_BINS - 1 && x.gte(bins[k + 1]!.from)) k++;
    bins[k]!.count++;
  }
  return bins;
}

/** The distribution of `deltas` (any order, non-empty) of measure `measure`. */
export function distribution(measure: string, deltas: Decimal[]): MeasureDistribution {
  const sorted = deltas.sort((a, b) => a.cmp(b));
  return {
    measure,
    changed: sorted.length,
    min: jsonNumber(sorted[0]!),
    q1: jsonNumber(nearestRank(sorted, 1, 4)),
    median: jsonNumber(nearestRank(sorted, 1, 2)),
    q3: jsonNumber(nearestRank(sorted, 3, 4)),
    max: jsonNumber(sorted[sorted.length - 1]!),
    histogram: histogram(sorted).map((b) => ({ from: jsonNumber(b.from), to: jsonNumber(b.to), count: b.count })),
  };
}
