/**
 * The CSV reader as text in, rows of strings out: the byte scanner (csv-scan.ts) behind the
 * {@link RowReader} interface, for callers that hold text (tests, the editor's small files). The
 * engine's record path reads bytes with the scanner directly and makes no strings per row.
 */
import { CsvScanner, type CsvSink } from './csv-scan.ts';
import type { InputEvent, RowReader } from './types.ts';

const encoder = new TextEncoder();
// ignoreBOM: a U+FEFF inside a field is data (the file's own BOM is skipped by the scanner).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Create a streaming CSV reader (RFC 4180: comma separated, first non-blank row is the header,
 * optional double quotes with `""` escapes, LF or CRLF line endings, leading UTF-8 BOM stripped).
 *
 * - Completely empty lines outside quotes are skipped, not rows.
 * - A row whose field count differs from the header's, an unterminated quote at end of input, or
 *   text between a closing quote and the next comma yields an {@link InputError} for that row;
 *   reading continues with the next row.
 * - A bad header (an empty or duplicate name after trimming) yields one error for the header
 *   line; rows are still read, empty-named columns are dropped and a duplicate name keeps the
 *   value of its first column. `columns()` lists the distinct non-empty names.
 * - A `"` inside an unquoted field is kept as a literal character (lenient, like most readers).
 * - Line numbers count \n, so a lone \r (kept as data) does not start a new line.
 */
export function createCsvReader(): RowReader {
  let out: InputEvent[] = [];
  let names: readonly string[] = [];
  let columnOf: Int32Array = new Int32Array(0);
  const sink: CsvSink = {
    header(n, c) {
      names = n;
      columnOf = c;
    },
    row(bytes, starts, ends, line) {
      // No prototype, so a column named "__proto__" or "constructor" is just a key.
      const values: Record<string, string> = Object.create(null);
      for (let k = 0; k < names.length; k++) {
        const c = columnOf[k]!;
        values[names[k]!] = decoder.decode(bytes.subarray(starts[c]!, ends[c]!));
      }
      out.push({ kind: 'row', line, values });
    },
    error(line, reason, header) {
      out.push(header ? { kind: 'error', line, reason, header: true } : { kind: 'error', line, reason });
    },
  };
  const scanner = new CsvScanner(sink);
  const take = (): InputEvent[] => {
    const events = out;
    out = [];
    return events;
  };
  let ended = false;
  // A chunk may end between the two halves of a surrogate pair: hold the first half back.
  let pending = '';
  return {
    push(chunk: string): InputEvent[] {
      if (ended) throw new Error('CSV reader: push() after end()');
      let text = pending + chunk;
      pending = '';
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        pending = text.slice(-1);
        text = text.slice(0, -1);
      }
      scanner.push(encoder.encode(text));
      return take();
    },
    end(): InputEvent[] {
      if (ended) return [];
      ended = true;
      if (pending !== '') scanner.push(encoder.encode(pending));
      scanner.end();
      return take();
    },
    columns: () => names,
    lineAtEnd: () => scanner.lineAtEnd(),
  };
}
