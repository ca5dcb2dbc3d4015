/**
 * The byte-level CSV scanner: finds the fields of each row in UTF-8 bytes, without making a string
 * per field or an object per row. Every CSV reader of the project (the engine's record path and
 * the string reader of csv.ts) is this scanner, so they cannot disagree.
 *
 * RFC 4180: comma separated; the first non-blank row is the header; optional double quotes with
 * `""` escapes; commas and line breaks inside quotes; LF, CRLF or lone CR line ends (old Mac
 * exports, and files whose lines were joined from several systems mix them); a leading UTF-8 BOM
 * is skipped. Lenient where exports are sloppy: a `"` inside an unquoted field is a literal
 * character, and completely empty lines are skipped. A line is what an editor shows as one: line
 * numbers count LF, CRLF and lone CR line ends alike, inside quotes too. Portable: no Node APIs.
 *
 * Chunks may end anywhere (inside a field, a quote, a CRLF or a UTF-8 sequence): a row is reported
 * only once its end is seen, so the unfinished tail of a chunk is carried into the next. A row is
 * bounded by {@link MAX_ROW_BYTES}: a longer one is reported as an error and skipped up to the next
 * line feed, so one runaway quote cannot hold the whole file in memory; a row that runs past
 * {@link MAX_RUNAWAY_BYTES} with no line feed at all stops the scan ({@link RunawayLine}).
 */

import { MAX_RUNAWAY_BYTES, RunawayLine } from './types.ts';

/** Receives what the scanner finds, in file order. */
export interface CsvSink {
  /**
   * The header. `names` are the distinct non-empty column names (trimmed), in order; `columnOf[k]`
   * is the raw column index of `names[k]` (the first of two equal names wins).
   */
  header(names: readonly string[], columnOf: Int32Array, line: number, width: number): void;
  /**
   * A data row with exactly as many fields as the header: field `c` is `bytes[starts[c], ends[c])`,
   * its quotes removed and `""` unescaped. The arrays are reused: read them before returning.
   */
  row(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, line: number): void;
  /** A row that cannot be read (or, with `header`, a problem of the header, which is not a row). */
  error(line: number, reason: string, header: boolean): void;
  /**
   * Optional, set once the header is known: reads and takes in the whole row at `start` straight
   * from the bytes when it can (a plain row of valid values), returning the offset past its line
   * feed; or returns -1, and the scanner reads the row itself. Such a row has one line feed. It is
   * only called for a row that starts before `lastLineFeed`, the offset of the buffer's last line
   * feed, so reading up to the row's own line feed never runs past the bytes.
   */
  fastRow?: ((bytes: Uint8Array, start: number, lastLineFeed: number, line: number) => number) | undefined;
  /**
   * Optional, with `fastRow`: takes in as many rows from `start` as it can the same way, the
   * first on line `line`, and returns the offset of the first row it leaves to the scanner;
   * `taken` then says how many rows (and lines) it took.
   */
  fastRows?: ((bytes: Uint8Array, start: number, lastLineFeed: number, line: number) => number) | undefined;
  taken?: number;
}

/** Longest row read as a row; a longer one is one error (a runaway quote, a binary file). */
export const MAX_ROW_BYTES = 1 << 20;

/** Most columns a header may have: wider is not a table anyone exports. */
export const MAX_COLUMNS = 4096;

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** The line ends in `buf[from, to)`: each LF, and each CR not followed by an LF. */
function lineEnds(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let j = buf.indexOf(LF, from); j >= 0 && j < to; j = buf.indexOf(LF, j + 1)) n++;
  for (let j = buf.indexOf(CR, from); j >= 0 && j < to; j = buf.indexOf(CR, j + 1)) if (buf[j + 1] !== LF) n++;
  return n;
}

const ERR_UNTERMINATED = '引号未闭合 / unterminated quoted field';
const ERR_AFTER_QUOTE = '右引号后、逗号前有多余字符 / unexpected text after a closing quote';
const ERR_HEADER_AFTER_QUOTE = '表头：右引号后、逗号前有多余字符 / header: unexpected text after a closing quote';
const ERR_TOO_LONG = `该行超过 ${MAX_ROW_BYTES / 1024 / 1024} MiB，已跳过至下一个换行 / the row is longer than ${MAX_ROW_BYTES / 1024 / 1024} MiB; skipped to the next line feed`;
const ERR_TOO_WIDE = `表头超过 ${MAX_COLUMNS} 列 / the header has more than ${MAX_COLUMNS} columns`;

/** How a row's scan ended. */
const enum Scan {
  /** The row is complete (its line feed, or the end of input, was seen). */
  Done,
  /** The buffer ended first: scan the row again when more bytes arrive. */
  More,
}

// ignoreBOM: a U+FEFF inside a field is data (the file's own BOM is skipped by the scanner).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Streaming scanner: `push` byte chunks, then `end`. */
export class CsvScanner {
  /** Unconsumed bytes of the previous chunk (an unfinished row), copied into `work`. */
  private carry: Uint8Array = new Uint8Array(0);
  private work: Uint8Array = new Uint8Array(0);
  private started = false;
  private ended = false;
  /** Skipping the rest of an over-long row, up to its line feed. */
  private skipping = false;
  /** While skipping: the line the over-long row starts on, and how many of its bytes were seen. */
  private runawayLine = 0;
  private runawayBytes = 0;
  /** Physical line of the scan position. */
  private line = 1;
  /** Raw header width; -1 until the header is read. */
  private width = -1;
  // Field boundaries of the row being scanned: one more than the header is wide, so that a row
  // with too many fields is still counted, not written past the end.
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private count = 0;
  /** Field indexes holding `""` escapes, unescaped once the row is known to be complete. */
  private escaped: number[] = [];
  /** Per field with text after its closing quote: its index, the quote's offset, and whether it has escapes. */
  private spliced: number[] = [];
  private rowError: string | undefined;

  constructor(private readonly sink: CsvSink) {}

  /** Scans the next chunk (a boundary may fall anywhere). */
  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('CSV scanner: push() after end()');
    if (chunk.length === 0) return;
    let buf = chunk;
    let from = 0;
    if (this.carry.length > 0 && this.started && !this.skipping) {
      // Most often the unfinished row ends at the chunk's first line feed: join only that much,
      // and read the rest of the chunk where it lies (copying every chunk whole costs a pass).
      const lf = chunk.indexOf(LF);
      if (lf >= 0) {
        const head = this.carry.length + lf + 1;
        if (this.work.length < head) this.work = new Uint8Array(Math.max(head, this.work.length * 2));
        this.work.set(this.carry, 0);
        this.work.set(chunk.subarray(0, lf + 1), this.carry.length);
        const joined = this.work.subarray(0, head);
        const stop = this.scan(joined, 0, false);
        if (stop < head && !this.skipping) {
          // A quoted field runs on past that line feed: what is left of the join goes before the
          // rest of the chunk, and the two are read as one.
          const rest = joined.subarray(stop);
          buf = new Uint8Array(rest.length + chunk.length - lf - 1);
          buf.set(rest, 0);
          buf.set(chunk.subarray(lf + 1), rest.length);
        } else from = lf + 1;
        this.carry = new Uint8Array(0);
      }
    }
    if (this.carry.length > 0) {
      const n = this.carry.length + chunk.length;
      if (this.work.length < n) this.work = new Uint8Array(Math.max(n, this.work.length * 2));
      this.work.set(this.carry, 0);
      this.work.set(chunk, this.carry.length);
      buf = this.work.subarray(0, n);
    }
    if (!this.started) {
      // The BOM only counts at the very start of the file, wherever the chunks begin.
      if (buf.length < 3 && buf[0] === 0xef) {
        this.carry = buf.slice();
        return;
      }
      this.started = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) from = 3;
    }
    const stop = this.scan(buf, from, false);
    this.carry = stop < buf.length ? buf.slice(stop) : new Uint8Array(0);
  }

  /** Ends the input: a last row without a line feed is still a row. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const bomPossible = !this.started;
    this.started = true;
    const buf = this.carry;
    this.carry = new Uint8Array(0);
    let from = 0;
    if (bomPossible && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) from = 3;
    if (buf.length > from) this.scan(buf, from, true);
  }

  /** Whether the bytes pushed so far end inside a row (it waits for more, or for end()). */
  get inRow(): boolean {
    return this.carry.length > 0 || this.skipping;
  }

  /** The line the next byte pushed would be on (for locating an error in the bytes not yet pushed). */
  lineAtEnd(): number {
    return this.line + lineEnds(this.carry, 0, this.carry.length);
  }

  /** Scans rows from `from`; returns the offset of the first byte not consumed (an unfinished row). */
  private scan(buf: Uint8Array, from: number, final: boolean): number {
    let i = from;
    const n = buf.length;
    const lastLineFeed = buf.lastIndexOf(LF);
    // The sink's row parser, once the header is read (looked up again after each row the scanner
    // reads itself, which the header is).
    let fast = this.width >= 0 ? this.sink.fastRow : undefined;
    while (i < n) {
      if (this.skipping) {
        const lf = buf.indexOf(LF, i);
        if (lf < 0) {
          // Still inside the over-long row: drop what was seen — unless there is no end to it.
          this.runawayBytes += n - i;
          if (this.runawayBytes > MAX_RUNAWAY_BYTES) throw new RunawayLine(this.runawayLine);
          return n;
        }
        this.skipping = false;
        this.line++;
        i = lf + 1;
        continue;
      }
      const rowLine = this.line;
      if (fast !== undefined && i < lastLineFeed) {
        const many = this.sink.fastRows;
        if (many !== undefined) {
          const next = many(buf, i, lastLineFeed, rowLine);
          const taken = this.sink.taken ?? 0;
          if (taken > 0) {
            this.line = rowLine + taken;
            i = next;
            continue;
          }
        } else {
          const next = fast(buf, i, lastLineFeed, rowLine);
          if (next >= 0) {
            this.line = rowLine + 1;
            i = next;
            continue;
          }
        }
      }
      const end = this.scanRow(buf, i, final);
      if (end < 0) {
        // Unfinished: undo the lines counted inside it, and keep its bytes for the next chunk,
        // unless it is already too long to be a row.
        this.line = rowLine;
        if (n - i > MAX_ROW_BYTES) {
          // Too long to be a row: one error, then reading resumes after the next line feed past
          // the limit. The line feeds skipped over still count, so later rows keep their lines.
          this.sink.error(rowLine, ERR_TOO_LONG, false);
          const limit = i + MAX_ROW_BYTES;
          for (let k = buf.indexOf(LF, i); k >= 0 && k < limit; k = buf.indexOf(LF, k + 1)) this.line++;
          this.skipping = true;
          this.runawayLine = rowLine;
          this.runawayBytes = MAX_ROW_BYTES;
          i = limit;
          continue;
        }
        return i;
      }
      if (end - i > MAX_ROW_BYTES) this.sink.error(rowLine, ERR_TOO_LONG, false);
      else this.finishRow(buf, rowLine);
      i = end;
      fast = this.width >= 0 ? this.sink.fastRow : undefined;
    }
    return n;
  }

  /**
   * Scans one row starting at `i`, recording its fields. Returns the offset just past its line
   * feed (or `n` at the end of input), or -1 if the buffer ends before the row does.
   */
  private scanRow(buf: Uint8Array, i: number, final: boolean): number {
    const n = buf.length;
    this.count = 0;
    this.escaped.length = 0;
    this.spliced.length = 0;
    this.rowError = undefined;
    for (;;) {
      // A field starts at i.
      if (i < n && buf[i] === QUOTE) {
        const r = this.quotedField(buf, i, final);
        if (r === Scan.More) return -1;
        i = this.afterQuoted;
        if (this.rowEnded) return i;
        continue;
      }
      // Unquoted: up to the next comma or line end. The hot loop of every CSV read.
      const start = i;
      let c = 0;
      while (i < n) {
        c = buf[i]!;
        if (c === COMMA || c === LF || c === CR) break;
        i++;
      }
      if (i >= n) {
        if (!final) return -1;
        // End of input: the last row needs no line end.
        if (this.count > 0 || n > start || this.rowError !== undefined) this.addField(start, n);
        else this.count = -1; // nothing: not a row
        return n;
      }
      if (c === COMMA) {
        this.addField(start, i);
        i++;
        if (i >= n && final) {
          // "a,b," at the end of input: the row has one more, empty, field.
          this.addField(i, i);
          return n;
        }
        continue;
      }
      // A line end: LF, CRLF, or a lone CR (is the CR a CRLF's? the next byte must be seen).
      let next = i + 1;
      if (c === CR) {
        if (next >= n) {
          if (!final) return -1;
        } else if (buf[next] === LF) next++;
      }
      this.line++;
      if (this.count > 0 || i > start || this.rowError !== undefined) this.addField(start, i);
      else this.count = -1; // an empty line is not a row
      return next;
    }
  }

  // Results of quotedField, kept in fields rather than an allocated object.
  private afterQuoted = 0;
  private rowEnded = false;

  /** Scans a quoted field whose opening quote is at `i`. */
  private quotedField(buf: Uint8Array, i: number, final: boolean): Scan {
    const n = buf.length;
    const start = i + 1;
    let k = start;
    let escapes = false;
    for (;;) {
      const q = buf.indexOf(QUOTE, k);
      if (q < 0) {
        if (!final) return Scan.More;
        // Unterminated at the end of input: the row (from its first line) is one error.
        this.line += lineEnds(buf, k, n);
        this.rowError = ERR_UNTERMINATED;
        this.unterminated = true;
        this.afterQuoted = n;
        this.rowEnded = true;
        return Scan.Done;
      }
      // Line ends inside the quotes are data, but they still advance the physical line.
      this.line += lineEnds(buf, k, q);
      if (q + 1 >= n && !final) return Scan.More; // is it `""` or the closing quote?
      if (buf[q + 1] === QUOTE) {
        escapes = true;
        k = q + 2;
        continue;
      }
      // The closing quote at q.
      const fieldEnd = q;
      let j = q + 1;
      if (j >= n) {
        this.addQuoted(start, fieldEnd, escapes);
        this.afterQuoted = n;
        this.rowEnded = true;
        return Scan.Done;
      }
      let c = buf[j]!;
      if (c === CR) {
        if (j + 1 >= n && !final) return Scan.More;
        if (j + 1 >= n) {
          // `"abc"\r` at the end of input.
          this.addQuoted(start, fieldEnd, escapes);
          this.afterQuoted = n;
          this.rowEnded = true;
          return Scan.Done;
        }
        if (buf[j + 1] === LF) j++;
        else {
          // A lone CR ends the row.
          this.addQuoted(start, fieldEnd, escapes);
          this.line++;
          this.afterQuoted = j + 1;
          this.rowEnded = true;
          return Scan.Done;
        }
        c = buf[j]!;
      }
      if (c === COMMA) {
        this.addQuoted(start, fieldEnd, escapes);
        this.afterQuoted = j + 1;
        this.rowEnded = false;
        if (j + 1 >= n && final) {
          this.addField(n, n);
          this.rowEnded = true;
        }
        return Scan.Done;
      }
      if (c === LF) {
        this.addQuoted(start, fieldEnd, escapes);
        this.line++;
        this.afterQuoted = j + 1;
        this.rowEnded = true;
        return Scan.Done;
      }
      // `"ab"c`: the row is an error; read on as unquoted text so it still ends at the real row
      // boundary (later quoted fields stay quoted). Its value no longer matters.
      this.rowError ??= ERR_AFTER_QUOTE;
      let m = j;
      while (m < n && buf[m] !== COMMA && buf[m] !== LF && buf[m] !== CR) m++;
      if (m >= n && !final) return Scan.More;
      if (m + 1 >= n && buf[m] === CR && !final) return Scan.More; // a CRLF's, or a lone one?
      // The field's text is its quoted content and then what follows the closing quote (as a
      // header's column name, it still names the column): spliced once the row is complete.
      const end = m;
      this.spliced.push(this.count, fieldEnd, escapes ? 1 : 0);
      if (m >= n) {
        this.addField(start, n);
        this.afterQuoted = n;
        this.rowEnded = true;
        return Scan.Done;
      }
      this.addField(start, end);
      if (buf[m] === LF || buf[m] === CR) {
        this.line++;
        this.afterQuoted = buf[m] === CR && buf[m + 1] === LF ? m + 2 : m + 1;
        this.rowEnded = true;
      } else {
        this.afterQuoted = m + 1;
        this.rowEnded = false;
        if (m + 1 >= n && final) {
          this.addField(n, n);
          this.rowEnded = true;
        }
      }
      return Scan.Done;
    }
  }

  /** Set when the row ended in an unterminated quote: reported without its fields. */
  private unterminated = false;

  private addQuoted(start: number, end: number, escapes: boolean): void {
    if (escapes) this.escaped.push(this.count);
    this.addField(start, end);
  }

  private addField(start: number, end: number): void {
    const k = this.count;
    if (k >= this.starts.length) {
      // Grow up to one past the header's width: past that, only the count matters.
      if (this.width >= 0 && k > this.width) {
        this.count++;
        return;
      }
      const grown = Math.min(this.starts.length * 2, MAX_COLUMNS + 2);
      if (k >= grown) {
        this.count++;
        return;
      }
      const s = new Int32Array(grown);
      s.set(this.starts);
      this.starts = s;
      const e = new Int32Array(grown);
      e.set(this.ends);
      this.ends = e;
    }
    this.starts[k] = start;
    this.ends[k] = end;
    this.count = k + 1;
  }

  /** Turns the completed row into the header, a row, or an error. */
  private finishRow(buf: Uint8Array, line: number): void {
    const count = this.count;
    if (this.unterminated) {
      this.unterminated = false;
      this.sink.error(line, ERR_UNTERMINATED, false);
      return;
    }
    if (count < 0) return; // a blank line
    for (const k of this.escaped) if (k < count && k < this.starts.length) this.ends[k] = unescapeQuotes(buf, this.starts[k]!, this.ends[k]!);
    for (let x = 0; x < this.spliced.length; x += 3) {
      const k = this.spliced[x]!;
      if (k >= count || k >= this.starts.length) continue;
      const q = this.spliced[x + 1]!;
      const end = this.ends[k]!;
      let w = this.spliced[x + 2] === 1 ? unescapeQuotes(buf, this.starts[k]!, q) : q;
      for (let r = q + 1; r < end; r++) buf[w++] = buf[r]!;
      this.ends[k] = w;
    }
    const error = this.rowError;
    if (this.width < 0) {
      // A malformed header row still defines the columns: reporting it once is more useful than
      // turning every following row into an error.
      if (error !== undefined) this.sink.error(line, ERR_HEADER_AFTER_QUOTE, true);
      this.setHeader(buf, count, line);
      return;
    }
    if (error !== undefined) {
      this.sink.error(line, error, false);
    } else if (count !== this.width) {
      this.sink.error(line, `第 ${line} 行有 ${count} 个字段，表头有 ${this.width} 个 / row has ${count} fields, the header has ${this.width}`, false);
    } else {
      this.sink.row(buf, this.starts, this.ends, line);
    }
  }

  private setHeader(buf: Uint8Array, count: number, line: number): void {
    if (count > MAX_COLUMNS) {
      this.sink.error(line, ERR_TOO_WIDE, true);
      count = MAX_COLUMNS;
    }
    this.width = count;
    const seen = new Set<string>();
    const zh: string[] = [];
    const en: string[] = [];
    const names: string[] = [];
    const columnOf: number[] = [];
    for (let k = 0; k < count; k++) {
      const name = decoder.decode(buf.subarray(this.starts[k]!, this.ends[k]!)).trim();
      if (name === '') {
        zh.push(`第 ${k + 1} 列名为空`);
        en.push(`column ${k + 1} has an empty name`);
      } else if (seen.has(name)) {
        zh.push(`列名“${name}”重复`);
        en.push(`duplicate column name "${name}"`);
      } else {
        seen.add(name);
        names.push(name);
        columnOf.push(k);
      }
    }
    if (zh.length > 0) this.sink.error(line, `表头有误：${zh.join('；')} / bad header: ${en.join('; ')}`, true);
    this.sink.header(names, Int32Array.from(columnOf), line, count);
  }
}

/** Unescapes `""` to `"` in place in `buf[start, end)`; returns the new end. */
function unescapeQuotes(buf: Uint8Array, start: number, end: number): number {
  let w = start;
  for (let r = start; r < end; r++, w++) {
    const c = buf[r]!;
    buf[w] = c;
    if (c === QUOTE && buf[r + 1] === QUOTE) r++;
  }
  return w;
}
