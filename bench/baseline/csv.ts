// The general CSV reader, over bytes: the engine's RFC 4180 state machine (engine/input/csv.ts)
// transcribed state for state, so every odd input — quotes, `""`, line breaks inside quotes,
// text after a closing quote, CR handling, blank lines, rows of the wrong width, a bad header —
// ends up exactly as there. It copies a row's field texts into a scratch buffer, so a row may
// span any number of chunks. The fast path (fast.ts) takes over for ordinary rows.

import { decode } from './text.ts';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

// The engine's scanner states.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3;
const QUOTE_CR = 4;
/** A row just ended at a CR: an LF next is that line end's, anything else starts the next row. */
const AFTER_CR = 5;

/** The engine's reasons, verbatim. */
export const ERR_UNTERMINATED = '引号未闭合 / unterminated quoted field';
export const ERR_AFTER_QUOTE = '右引号后、逗号前有多余字符 / unexpected text after a closing quote';
const ERR_HEADER_AFTER_QUOTE = '表头：右引号后、逗号前有多余字符 / header: unexpected text after a closing quote';

/** The engine's reason for a row of the wrong width. */
export function widthReason(line: number, fields: number, width: number): string {
  return `第 ${line} 行有 ${fields} 个字段，表头有 ${width} 个 / row has ${fields} fields, the header has ${width}`;
}

/** Where the scanner's rows go. */
export interface CsvSink {
  /** The header has been read (`scanner.columns` is set). */
  header(scanner: CsvScanner): void;
  /** A problem with the header: a warning, not a row. */
  headerWarning(line: number, reason: string): void;
  /** A row of exactly the header's width: column k's text is `b[starts[k], ends[k])`. */
  row(b: Uint8Array, starts: Int32Array, ends: Int32Array, line: number): void;
  /** A row that could not be read: it counts as a row, rejected with this reason. */
  error(line: number, reason: string): void;
}

/** The state machine; feed it bytes with {@link CsvScanner.feed}, then call {@link CsvScanner.end}. */
export class CsvScanner {
  /** Physical line at the scan position (1-based; every LF, CRLF and lone CR counts, quoted or not). */
  line = 1;
  /** Raw header width, -1 until the header is read. */
  width = -1;
  /** Column names kept (trimmed, non-empty, first of equal ones), in header order. */
  columns: string[] = [];
  /** Raw column index of each kept name. */
  private readonly columnIndex = new Map<string, number>();

  private state = FIELD_START;
  private rowLine = 1;
  private scratch: Uint8Array = new Uint8Array(4096);
  private slen = 0;
  private starts = new Int32Array(32);
  private ends = new Int32Array(32);
  private nf = 0;
  /** Where the current field's text starts in the scratch. */
  private cur = 0;
  private rowError = false;
  private ended = false;

  constructor(private readonly sink: CsvSink) {}

  /** The raw column of a kept column name, or -1. */
  columnOf(name: string): number {
    return this.columnIndex.get(name) ?? -1;
  }

  /** Moves the scan position to the start of `line` (the fast path read the rows before it). */
  setLine(line: number): void {
    this.line = line;
    this.rowLine = line;
  }

  /** Whether the scanner stands between rows (so the fast path may read the next one). */
  atRowStart(): boolean {
    return this.state === FIELD_START && this.nf === 0 && this.slen === 0 && !this.rowError;
  }

  private append(b: Uint8Array, s: number, e: number): void {
    const n = e - s;
    if (n === 0) return;
    if (this.slen + n > this.scratch.length) {
      const next = new Uint8Array(Math.max(this.scratch.length * 2, this.slen + n));
      next.set(this.scratch.subarray(0, this.slen));
      this.scratch = next;
    }
    // Fields are short: a loop beats allocating a subarray for set().
    if (n < 64) {
      const d = this.scratch;
      let q = this.slen;
      for (let i = s; i < e; i++) d[q++] = b[i]!;
    } else this.scratch.set(b.subarray(s, e), this.slen);
    this.slen += n;
  }

  private appendByte(c: number): void {
    if (this.slen === this.scratch.length) this.append(new Uint8Array([c]), 0, 1);
    else this.scratch[this.slen++] = c;
  }

  private pushField(s: number, e: number): void {
    if (this.nf === this.starts.length) {
      const a = new Int32Array(this.nf * 2);
      a.set(this.starts);
      this.starts = a;
      const z = new Int32Array(this.nf * 2);
      z.set(this.ends);
      this.ends = z;
    }
    this.starts[this.nf] = s;
    this.ends[this.nf++] = e;
  }

  /** A row-ending \n: the next row starts on the next line. */
  private nextLine(): void {
    this.line++;
    this.rowLine = this.line;
    this.state = FIELD_START;
    this.slen = 0;
    this.nf = 0;
    this.rowError = false;
  }

  /**
   * Scans `b[p, n)` until a row (or a blank line) ends, or the bytes run out; returns where it
   * stopped. Each call ends at a row boundary whenever one is reached, so the caller can switch
   * back to the fast path.
   */
  feed(b: Uint8Array, p: number, n: number): number {
    while (p < n) {
      switch (this.state) {
        case FIELD_START:
          this.cur = this.slen;
          if (b[p] === QUOTE) {
            this.state = QUOTED;
            p++;
          } else this.state = UNQUOTED;
          break;
        case AFTER_CR:
          this.state = FIELD_START;
          if (b[p] === LF) return p + 1;
          break;
        case UNQUOTED: {
          let q = p;
          while (q < n) {
            const c = b[q];
            if (c === COMMA || c === LF || c === CR) break;
            q++;
          }
          this.append(b, p, q);
          if (q === n) return n; // the field continues in the next chunk
          if (b[q] === COMMA) {
            this.pushField(this.cur, this.slen);
            this.state = FIELD_START;
            p = q + 1;
            break;
          }
          // A line end (LF, CRLF or a lone CR); a blank line is no row.
          if (this.nf > 0 || this.slen > this.cur || this.rowError) {
            this.pushField(this.cur, this.slen);
            this.finishRow();
          }
          this.nextLine();
          return this.afterLineEnd(b, q, n);
        }
        case QUOTED: {
          let q = b.indexOf(QUOTE, p);
          if (q < 0 || q >= n) q = n;
          // Line breaks inside quotes are data, but they still advance the physical line: each
          // LF, and each CR not followed by one (a CR ending the chunk is decided by the next).
          if (this.quotedCR && b[p] !== LF) this.line++;
          this.quotedCR = false;
          for (let i = b.indexOf(LF, p); i >= 0 && i < q; i = b.indexOf(LF, i + 1)) this.line++;
          for (let i = b.indexOf(CR, p); i >= 0 && i < q; i = b.indexOf(CR, i + 1)) {
            if (i + 1 === n) this.quotedCR = true;
            else if (b[i + 1] !== LF) this.line++;
          }
          this.append(b, p, q);
          if (q === n) return n;
          this.state = QUOTE_SEEN;
          p = q + 1;
          break;
        }
        case QUOTE_SEEN: {
          const c = b[p];
          if (c === QUOTE) {
            this.appendByte(QUOTE);
            this.state = QUOTED;
            p++;
          } else if (c === COMMA) {
            this.pushField(this.cur, this.slen);
            this.state = FIELD_START;
            p++;
          } else if (c === LF) {
            this.pushField(this.cur, this.slen);
            this.finishRow();
            this.nextLine();
            return p + 1;
          } else if (c === CR) {
            this.state = QUOTE_CR;
            p++;
          } else {
            // `"ab"c`: the row is bad; the rest of the field is read as unquoted text, so the
            // row still ends at its real end.
            this.rowError = true;
            this.state = UNQUOTED;
          }
          break;
        }
        case QUOTE_CR:
          // CRLF, or a lone CR: either way the row ended at the CR.
          this.pushField(this.cur, this.slen);
          this.finishRow();
          this.nextLine();
          return b[p] === LF ? p + 1 : p;
      }
    }
    return n;
  }

  /** Past the line end whose first byte (LF or CR) is at `q`. */
  private afterLineEnd(b: Uint8Array, q: number, n: number): number {
    if (b[q] !== CR) return q + 1;
    if (q + 1 >= n) {
      this.state = AFTER_CR;
      return n;
    }
    return b[q + 1] === LF ? q + 2 : q + 1;
  }

  /** Whether the chunk ended inside quotes just after a CR (a line end unless an LF follows). */
  private quotedCR = false;

  /** End of input: a last row without a line break, or an unterminated quote. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    switch (this.state) {
      case AFTER_CR:
        break;
      case FIELD_START:
        // Only a row that already has fields ("a,b," at the end) is pending.
        if (this.nf > 0) {
          this.pushField(this.slen, this.slen);
          this.finishRow();
        }
        break;
      case UNQUOTED: {
        // A last line without a line end.
        if (this.nf > 0 || this.slen > this.cur || this.rowError) {
          this.pushField(this.cur, this.slen);
          this.finishRow();
        }
        break;
      }
      case QUOTED:
        // As in the engine: an error row (not a header problem, even before any header).
        this.sink.error(this.rowLine, ERR_UNTERMINATED);
        break;
      case QUOTE_SEEN:
      case QUOTE_CR:
        this.pushField(this.cur, this.slen);
        this.finishRow();
        break;
    }
    this.slen = 0;
    this.nf = 0;
  }

  private finishRow(): void {
    const line = this.rowLine;
    if (this.width < 0) {
      // A malformed header still defines the columns.
      if (this.rowError) this.sink.headerWarning(line, ERR_HEADER_AFTER_QUOTE);
      this.setHeader(line);
    } else if (this.rowError) this.sink.error(line, ERR_AFTER_QUOTE);
    else if (this.nf !== this.width) this.sink.error(line, widthReason(line, this.nf, this.width));
    else this.sink.row(this.scratch, this.starts, this.ends, line);
    this.slen = 0;
    this.nf = 0;
    this.rowError = false;
  }

  private setHeader(line: number): void {
    this.width = this.nf;
    const zh: string[] = [];
    const en: string[] = [];
    for (let k = 0; k < this.nf; k++) {
      const name = decode(this.scratch, this.starts[k]!, this.ends[k]!).trim();
      if (name === '') {
        zh.push(`第 ${k + 1} 列名为空`);
        en.push(`column ${k + 1} has an empty name`);
      } else if (this.columnIndex.has(name)) {
        zh.push(`列名“${name}”重复`);
        en.push(`duplicate column name "${name}"`);
      } else {
        this.columnIndex.set(name, k);
        this.columns.push(name);
      }
    }
    if (zh.length > 0) this.sink.headerWarning(line, `表头有误：${zh.join('；')} / bad header: ${en.join('; ')}`);
    this.sink.header(this);
  }
}
