// The diff of two policies over the same records (see diff.ts), and its document's type.

export * from './diff-json.ts';
export { defaultGroupFields, Diff, diffSide, type DiffOptions } from './diff.ts';
export { distribution, histogram, nearestRank, HISTOGRAM_BINS } from './distribution.ts';
export { RecordComparison, teeSink } from './record-diff.ts';
export { diffSubjects, type SubjectDiff } from './subject-diff.ts';
export { writeDiffJson } from './diff-writer.ts';
export { diffTable } from './diff-table.ts';
