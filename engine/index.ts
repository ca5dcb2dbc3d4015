// The engine: compile a checked policy, evaluate records, report. Runs in Node and the browser.

export { Decimal } from './decimal.ts';
export { compilePolicy, type Program } from './compile.ts';
export {
  disregardedCount, evaluate, Evaluation, type EvaluationResult, type InputSource, type MeasureValue, type Rejection,
  type RowCounts, type SubjectResult, type Violation,
} from './evaluate.ts';
export { reportJson, splitLabel, violationMessage, unitWords, type Json } from './report.ts';
export * from './input/index.ts';
