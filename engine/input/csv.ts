/**
 * Streaming RFC 4180 CSV reader.
 *
 * The scanner is an explicit state machine whose state survives between chunks, so a chunk
 * boundary may fall anywhere (inside a quoted field, between \r and \n, after a closing quote)
 * and nothing is ever re-scanned. Unquoted fields are cut out with indexOf + slice, never built
 * character by character, because that is the path taken by millions of ordinary rows.
 */
import type { InputError, InputEvent, RowReader } from './types.ts';

const QUOTE = 0x22; // "
const COMMA = 0x2c; // ,
const LF = 0x0a;
const CR = 0x0d;

// Scanner states, plain numbers (not an enum) so the file stays erasable-syntax TypeScript.
/** At the first character of a field (or of a row). */
const FIELD_START = 0;
/** Inside an unquoted field; its text so far (from earlier chunks) is in `acc`. */
const UNQUOTED = 1;
/** Inside a quoted field; its text so far is in `acc`. */
const QUOTED = 2;
/** Just saw `"` inside a quoted field: an escaped `""` or the closing quote. */
const QUOTE_SEEN = 3;
/** Saw a closing quote then \r: only \n may follow. */
const QUOTE_CR = 4;
type State = typeof FIELD_START | typeof UNQUOTED | typeof QUOTED | typeof QUOTE_SEEN | typeof QUOTE_CR;

const ERR_UNTERMINATED = '引号未闭合 / unterminated quoted field';
const ERR_AFTER_QUOTE = '右引号后、逗号前有多余字符 / unexpected text after a closing quote';
const ERR_HEADER_AFTER_QUOTE = '表头：右引号后、逗号前有多余字符 / header: unexpected text after a closing quote';

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
  return new CsvReader();
}

class CsvReader implements RowReader {
  private state: State = FIELD_START;
  /** Text of the current field carried across chunk boundaries or `""` escapes. */
  private acc = '';
  /** Completed fields of the current row. */
  private fields: string[] = [];
  /** First error of the current row; the row is still scanned to its end to resynchronise. */
  private rowError: string | undefined;
  /** Physical line at the scan position, and the line on which the current row started. */
  private line = 1;
  private rowLine = 1;
  private started = false;
  private ended = false;
  /** Raw header width (for the field-count check) and the columns that become row keys. */
  private width = -1;
  private keepIndex: number[] = [];
  private keepName: string[] = [];

  columns(): readonly string[] {
    return this.keepName;
  }

  push(chunk: string): InputEvent[] {
    if (this.ended) throw new Error('CSV reader: push() after end()');
    const out: InputEvent[] = [];
    if (chunk.length === 0) return out;
    let i = 0;
    if (!this.started) {
      this.started = true;
      // The BOM only counts at the very first character of the file, wherever the chunks start.
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    this.scan(chunk, i, out);
    return out;
  }

  end(): InputEvent[] {
    if (this.ended) return [];
    this.ended = true;
    const out: InputEvent[] = [];
    switch (this.state) {
      case FIELD_START:
        // Only a row that already has fields (e.g. "a,b," at EOF) is pending; else nothing is.
        if (this.fields.length > 0) {
          this.fields.push('');
          this.finishRow(out);
        }
        break;
      case UNQUOTED: {
        // A last line "a,b\r" without \n: treat the \r as its line ending, as with "\r\n".
        const text = stripCr(this.acc);
        if (this.fields.length > 0 || text !== '' || this.rowError !== undefined) {
          this.fields.push(text);
          this.finishRow(out);
        }
        break;
      }
      case QUOTED:
        out.push({ kind: 'error', line: this.rowLine, reason: ERR_UNTERMINATED });
        break;
      case QUOTE_SEEN:
      case QUOTE_CR:
        this.fields.push(this.acc);
        this.finishRow(out);
        break;
    }
    this.acc = '';
    this.fields = [];
    return out;
  }

  /** Scan `chunk` from `start`, appending completed rows to `out`. */
  private scan(chunk: string, start: number, out: InputEvent[]): void {
    const n = chunk.length;
    let i = start;
    // Cached positions of the next ',' and '\n' (n when none): each is searched for again only
    // once the scan has passed it, so the whole chunk costs O(n) whatever the field layout.
    let nextComma = -1;
    let nextLf = -1;
    while (i < n) {
      switch (this.state) {
        case FIELD_START:
          if (chunk.charCodeAt(i) === QUOTE) {
            this.state = QUOTED;
            i++;
            break;
          }
          // An unquoted field starting at i: the next iteration scans it.
          this.state = UNQUOTED;
          break;
        case UNQUOTED: {
          if (nextComma < i) nextComma = indexOrEnd(chunk, ',', i);
          if (nextLf < i) nextLf = indexOrEnd(chunk, '\n', i);
          const end = nextComma < nextLf ? nextComma : nextLf;
          if (end === n) {
            // The field continues in the next chunk.
            this.acc += chunk.slice(i);
            i = n;
            break;
          }
          const text = this.acc + chunk.slice(i, end);
          this.acc = '';
          i = end + 1;
          if (end === nextComma) {
            this.fields.push(text);
            this.state = FIELD_START;
          } else {
            const last = stripCr(text);
            // An empty line (or a lone "\r" of a CRLF one) is not a row.
            if (this.fields.length > 0 || last !== '' || this.rowError !== undefined) {
              this.fields.push(last);
              this.finishRow(out);
            }
            this.nextLine();
          }
          break;
        }
        case QUOTED: {
          const q = chunk.indexOf('"', i);
          const segEnd = q === -1 ? n : q;
          // Newlines inside the quotes are data, but they still advance the physical line.
          if (nextLf < i) nextLf = indexOrEnd(chunk, '\n', i);
          while (nextLf < segEnd) {
            this.line++;
            nextLf = indexOrEnd(chunk, '\n', nextLf + 1);
          }
          this.acc += chunk.slice(i, segEnd);
          if (q === -1) {
            i = n;
          } else {
            this.state = QUOTE_SEEN;
            i = q + 1;
          }
          break;
        }
        case QUOTE_SEEN: {
          const c = chunk.charCodeAt(i);
          if (c === QUOTE) {
            this.acc += '"';
            this.state = QUOTED;
            i++;
          } else if (c === COMMA) {
            this.fields.push(this.acc);
            this.acc = '';
            this.state = FIELD_START;
            i++;
          } else if (c === LF) {
            this.fields.push(this.acc);
            this.acc = '';
            this.finishRow(out);
            this.nextLine();
            i++;
          } else if (c === CR) {
            this.state = QUOTE_CR;
            i++;
          } else {
            // `"ab"c`: flag the row, then read the rest of the field as unquoted text so the
            // row still ends at the real row boundary (later quoted fields stay quoted).
            this.rowError ??= ERR_AFTER_QUOTE;
            this.state = UNQUOTED;
          }
          break;
        }
        case QUOTE_CR:
          if (chunk.charCodeAt(i) === LF) {
            this.fields.push(this.acc);
            this.acc = '';
            this.finishRow(out);
            this.nextLine();
            i++;
          } else {
            this.rowError ??= ERR_AFTER_QUOTE;
            this.acc += '\r';
            this.state = UNQUOTED;
          }
          break;
      }
    }
  }

  /** Move past a row-ending \n: the next row starts on the next physical line. */
  private nextLine(): void {
    this.line++;
    this.rowLine = this.line;
    this.state = FIELD_START;
  }

  /** Turn the completed fields into the header, a row, or an error. */
  private finishRow(out: InputEvent[]): void {
    const fields = this.fields;
    const error = this.rowError;
    const line = this.rowLine;
    this.fields = [];
    this.rowError = undefined;
    if (this.width < 0) {
      // A malformed header row still defines the columns: reporting it once is more useful
      // than turning every following row into an error.
      if (error !== undefined) out.push({ kind: 'error', line, reason: ERR_HEADER_AFTER_QUOTE, header: true });
      this.setHeader(fields, line, out);
      return;
    }
    if (error !== undefined) {
      out.push({ kind: 'error', line, reason: error });
    } else if (fields.length !== this.width) {
      const x = fields.length;
      const y = this.width;
      const reason = `第 ${line} 行有 ${x} 个字段，表头有 ${y} 个 / row has ${x} fields, the header has ${y}`;
      out.push({ kind: 'error', line, reason });
    } else {
      // No prototype, so a column named "__proto__" or "constructor" is just a key.
      const values: Record<string, string> = Object.create(null);
      const idx = this.keepIndex;
      const names = this.keepName;
      for (let k = 0; k < idx.length; k++) values[names[k]!] = fields[idx[k]!]!;
      out.push({ kind: 'row', line, values });
    }
  }

  private setHeader(fields: string[], line: number, out: InputEvent[]): void {
    this.width = fields.length;
    const seen = new Set<string>();
    const zh: string[] = [];
    const en: string[] = [];
    for (let k = 0; k < fields.length; k++) {
      const name = fields[k]!.trim();
      if (name === '') {
        zh.push(`第 ${k + 1} 列名为空`);
        en.push(`column ${k + 1} has an empty name`);
      } else if (seen.has(name)) {
        zh.push(`列名“${name}”重复`);
        en.push(`duplicate column name "${name}"`);
      } else {
        seen.add(name);
        this.keepIndex.push(k);
        this.keepName.push(name);
      }
    }
    if (zh.length > 0) {
      out.push({ kind: 'error', line, reason: `表头有误：${zh.join('；')} / bad header: ${en.join('; ')}`, header: true });
    }
  }
}

/** indexOf that answers s.length instead of -1, so "none" compares as "after everything". */
function indexOrEnd(s: string, needle: string, from: number): number {
  const k = s.indexOf(needle, from);
  return k === -1 ? s.length : k;
}

/** Drop the \r of a CRLF line ending from the last field of a row. */
function stripCr(s: string): string {
  return s.length > 0 && s.charCodeAt(s.length - 1) === CR ? s.slice(0, -1) : s;
}
