/**
 * Streaming input readers: turn decoded text chunks into rows with their source line numbers.
 * Portable (browser and Node): no Node APIs.
 */
export type { InputEvent, InputError, InputRow, RowReader } from './types.ts';
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
