/**
 * Streaming input readers: turn decoded text chunks into rows with their source line numbers.
 * Portable (browser and Node): no Node APIs.
 */
export { MAX_RUNAWAY_BYTES, RunawayLine, type InputEvent, type InputError, type InputRow, type RowReader } from './types.ts';
export { createCsvReader } from './csv.ts';
export { createNdjsonReader } from './ndjson.ts';

/**
 * Guess the format of an input file: by extension first (`.csv` is CSV; `.ndjson`, `.jsonl` and
 * `.json` are NDJSON, case-insensitive), otherwise NDJSON if the first character that is not
 * whitespace or a BOM in `firstChunk` is `{`, else CSV (the safer default for tabular data).
 */
export function detectFormat(fileName: string, firstChunk: string): 'csv' | 'ndjson' {
  const name = fileName.toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl') || name.endsWith('.json')) return 'ndjson';
  // String.prototype.trimStart removes \uFEFF as well as ordinary whitespace and newlines.
  return firstChunk.trimStart().startsWith('{') ? 'ndjson' : 'csv';
}

/**
 * Why the start of a file read as NDJSON shows it is a JSON document instead (an array of
 * records, or one object spread over lines), or undefined. Read line by line, such a file would be
 * nothing but bad lines: it is better refused as a whole, saying what to do.
 */
export function jsonDocumentProblem(firstChunk: string): string | undefined {
  const text = firstChunk.trimStart();
  const lf = text.indexOf('\n');
  const first = (lf < 0 ? text : text.slice(0, lf)).trim();
  if (first.startsWith('[')) {
    return '这是一个 JSON 数组，不是 NDJSON：请每行写一个 JSON 对象（如 jq -c ".[]" 的输出）/ '
      + 'this is a JSON array, not NDJSON: write one JSON object per line (as `jq -c ".[]"` prints)';
  }
  if (first === '{' && lf >= 0) {
    return '这是一个跨多行的 JSON 对象，不是 NDJSON：每个对象须写在一行上 / '
      + 'this is a JSON object spread over several lines, not NDJSON: each object must be on one line';
  }
  return undefined;
}
export { canonicalDate, dateForm, layoutRows, layoutSink, recogniseLayout, type FileLayout, type InputMapping, type LayoutHooks, type RowLayout } from './mapping.ts';
export { ID_MASK, isIdCardNumber, maskIdNumbers } from './personal-data.ts';
