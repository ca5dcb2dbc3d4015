// The engine: compile a checked policy, evaluate records, report. Runs in Node and the browser.

export { Decimal } from './decimal.ts';
export { Quotient } from './quotient.ts';
export { compilePolicy, type CompileOptions, type Program } from './compile.ts';
export {
  disregardedCount, evaluate, Evaluation, type EvaluationOptions, type EvaluationResult, type InputSource, type MeasureValue, type Rejection,
  streamOf, type RecordSlots, type ResultStream, type RowCounts, type SubjectResult, type Violation,
} from './evaluate.ts';
export { reportJson, splitLabel, violationMessage, unitWords, type Json } from './report.ts';
export * from './input/index.ts';
export { CsvScanner, MAX_ROW_BYTES, type CsvSink } from './input/csv-scan.ts';
export { JsonWriter, type ByteSink } from './output/json-writer.ts';
export { writeNdjsonReport, writeReport, type ReportInput } from './output/report-writer.ts';
export { fixedText, jsonNumberText } from './output/display.ts';
export { partsAddUp, type PartResult } from './parts.ts';
export { COVERAGE_CATEGORIES, CoverageProbe, coverageItems, coverageKey, coverageReport, percentOf, type CoverageCategory, type CoverageCount, type CoverageItem, type CoverageReport } from './coverage.ts';
export { TraceSink, type TracedLet, type TracedValue } from './trace.ts';
export type { RowTracer, SubjectState, TracedOutcome } from './evaluate.ts';
export * from './explain/index.ts';
