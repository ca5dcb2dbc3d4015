// Evaluating one records file in parts (on several threads) and adding the parts up: what a part
// hands over, and the checks that say whether the parts add up exactly to the whole.

import type { DistinctEntry } from './distinct-values.ts';
import type { Rejection } from './results.ts';
import { compareKeys } from './record-keys.ts';

/** What the evaluation of one part of a records file came to, for the evaluation of the whole. */
export interface PartResult {
  /** The part's subjects, by its own numbering: their ids and row counts. */
  readonly ids: readonly string[];
  readonly evaluated: readonly number[];
  readonly disregarded: readonly number[];
  /** Its totals store's blocks (see TotalsStore.exportAll). */
  readonly totals: { readonly m: Float64Array[]; readonly s: Uint8Array[]; readonly big: [number, string][] };
  /** The values its distinct counts met (see DistinctValues.export). */
  readonly distinct: readonly DistinctEntry[];
  /** For a repeating cycle: its subjects' rows per cycle (see CycleCounts.export). */
  readonly cycleCounts?: readonly number[];
  readonly records: {
    readonly read: number; readonly evaluated: number; readonly rejected: number; readonly outOfScope: number;
    readonly disregardedBy: [string, number][]; readonly outOfScopeBy: [string, number][]; readonly rejectedBy: [string, number][];
  };
  /** Its rejected record rows, lines numbered as the part's scanner counted them. */
  readonly rejected: readonly Rejection[];
  /** For each rejected row that repeats a key: its index in `rejected` and the key's first line. */
  readonly duplicates: readonly (readonly [number, number])[];
  /** Its smallest and largest record key. */
  readonly keyRange: { readonly min: Uint8Array; readonly max: Uint8Array } | undefined;
  /** Whether the part ended inside a row (its split fell inside a quoted field). */
  readonly unfinished: boolean;
  /** Lines the part's scanner read after the header. */
  readonly lines: number;
}

/**
 * Whether parts, in file order, add up to what one evaluation of the whole file would give:
 * each ended at a row boundary, and no key of a part can repeat one of an earlier part (their
 * key ranges do not meet — exports number their records in order, so they do not). When they do
 * not, the file must be evaluated in one piece; this says why.
 */
export function partsAddUp(parts: readonly PartResult[]): string | undefined {
  let max: Uint8Array | undefined;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    if (part.unfinished && k < parts.length - 1) return `part ${k + 1} ends inside a quoted field`;
    const range = part.keyRange;
    if (!range) continue;
    if (max && compareKeys(range.min, max) <= 0) return `the record keys of part ${k + 1} do not all come after those before it`;
    max = range.max;
  }
  return undefined;
}
