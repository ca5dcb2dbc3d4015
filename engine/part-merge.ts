// A part of a records file evaluated on its own (a worker thread's share): what it hands over
// (exportPart) and how the evaluation of the whole adds it in (absorbPart). Totals and row counts
// are sums, so adding them is exact; rejected rows keep their order, and their lines move by the
// part's offset in the file.

import type { CycleCounts } from './cycle-counts.ts';
import { Decimal } from './decimal.ts';
import type { DistinctValues } from './distinct-values.ts';
import { duplicateReason } from './evaluation-parts.ts';
import type { PartResult } from './parts.ts';
import type { RecordKeySet } from './record-keys.ts';
import type { Rejection, RowCounts } from './results.ts';
import type { SubjectTable } from './subjects.ts';
import type { TotalsStore } from './totals-store.ts';

const utf8 = new TextEncoder();

/** The parts of an Evaluation that a part's results come from and go into (shared, not copied). */
export interface PartState {
  readonly subjects: SubjectTable;
  readonly totals: TotalsStore;
  readonly distinct: DistinctValues;
  readonly cycleCounts: CycleCounts | undefined;
  readonly records: RowCounts;
  /** Rejected rows of both files, in the order met. */
  readonly rejected: Rejection[];
  /** For each rejected record row that repeats a key: its index in `rejected` and the key's first line. */
  readonly duplicates: readonly (readonly [number, number])[];
  readonly seenKeys: RecordKeySet;
  /** The record key field's id, which a duplicate's reason names. */
  readonly keyField: string;
}

/** What the evaluation of a part came to (see Evaluation.exportPart). */
export function exportPart(state: PartState, unfinished: boolean, lines: number): PartResult {
  const s = state.subjects;
  const c = state.records;
  // The subjects file's rejections stay with the evaluation of the whole, which reads it too.
  const subjectRejections = state.rejected.filter((x) => x.source === 'subjects').length;
  return {
    ids: s.ids, ...s.counts(),
    totals: state.totals.exportAll(s.size),
    distinct: state.distinct.export(),
    ...(state.cycleCounts ? { cycleCounts: state.cycleCounts.export(s.size) } : {}),
    records: {
      read: c.read, evaluated: c.evaluated, rejected: c.rejected, outOfScope: c.outOfScope,
      disregardedBy: [...c.disregardedBy], outOfScopeBy: [...c.outOfScopeBy], rejectedBy: [...c.rejectedBy],
    },
    rejected: state.rejected.filter((x) => x.source === 'records'),
    duplicates: state.duplicates.map(([i, first]) => [i - subjectRejections, first] as const),
    keyRange: state.seenKeys.range(),
    unfinished, lines,
  };
}

/**
 * Adds a part into the evaluation of the whole, whose lines are `lineOffset` ahead of the
 * part's: its subjects' totals and counts, its rows' counts, its rejected rows.
 */
export function absorbPart(state: PartState, part: PartResult, lineOffset: number): void {
  const big = new Map(part.totals.big.map(([k, text]) => [k, Decimal.parse(text)!]));
  const totals = { m: part.totals.m, s: part.totals.s, big };
  const s = state.subjects;
  const toOf: number[] = [];
  part.ids.forEach((id, from) => {
    const bytes = utf8.encode(id);
    const to = s.indexOf(bytes, 0, bytes.length);
    toOf.push(to);
    state.totals.addSubjectFrom(totals, from, to);
    s.evaluated[to]! += part.evaluated[from]!;
    s.disregarded[to]! += part.disregarded[from]!;
    if (state.cycleCounts && part.cycleCounts) state.cycleCounts.addFrom(part.cycleCounts, from, to);
  });
  // A distinct count's values, which the totals store does not hold (a set is no sum).
  state.distinct.absorb(part.distinct, toOf);
  const c = state.records;
  const r = part.records;
  c.read += r.read;
  c.evaluated += r.evaluated;
  c.rejected += r.rejected;
  c.outOfScope += r.outOfScope;
  for (const [map, from] of [[c.disregardedBy, r.disregardedBy], [c.outOfScopeBy, r.outOfScopeBy], [c.rejectedBy, r.rejectedBy]] as const) {
    for (const [k, n] of from) map.set(k, (map.get(k) ?? 0) + n);
  }
  const duplicateOf = new Map(part.duplicates);
  part.rejected.forEach((x, i) => {
    const first = duplicateOf.get(i);
    // A repeated key names its first line: in the same part, so behind by as much.
    const reason = first === undefined ? x.reason : duplicateReason(state.keyField, first + lineOffset);
    state.rejected.push({ ...x, line: x.line + lineOffset, reason });
  });
}
