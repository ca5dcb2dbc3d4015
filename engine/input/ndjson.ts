/**
 * Streaming NDJSON (JSON Lines) reader: one JSON object per line.
 *
 * Only the unfinished last line of a chunk is kept between pushes, so memory stays bounded by
 * the longest line, whatever the chunk sizes.
 */
import { parseJsonLine } from './json-line.ts';
import { MAX_RUNAWAY_BYTES, RunawayLine, type InputError, type InputEvent, type RowReader } from './types.ts';

/**
 * Create a streaming NDJSON reader: one JSON object per line (LF or CRLF; a leading UTF-8 BOM is
 * stripped; blank or whitespace-only lines are skipped).
 *
 * Values become raw text like a CSV field: a string is kept as is, a number as written (so a
 * 20-digit id keeps its digits, and `1e21` stays `1e21`, for the field's decoder to judge), a
 * boolean `'true'`/`'false'`, and null `''`. A line that is not valid JSON (located by column),
 * not an object, has an array/object value, or gives a key twice yields an {@link InputError}
 * for that line; reading continues. `columns()` is the union of the keys of
 * all lines read so far, in order of first appearance.
 */
/** Longest line read as a record (UTF-16 units, about the CSV scanner's 1 MiB row). */
const MAX_LINE = 1 << 20;
const ERR_LINE_TOO_LONG = '该行超过 1 MiB，已跳过至下一个换行 / the line is longer than 1 MiB; skipped to the next line feed';

export function createNdjsonReader(): RowReader {
  let pending = '';
  /** Inside a line longer than MAX_LINE, reported, until its line feed. */
  let skipping = false;
  /** While skipping: how much of the over-long line was seen (a file with no line feed must end). */
  let skipped = 0;
  let line = 1;
  let started = false;
  let ended = false;
  const seen = new Set<string>();
  const columns: string[] = [];

  /** Parse one complete line (without its \n) into an event, or nothing if it is blank. */
  function readLine(text: string, out: InputEvent[]): void {
    const at = line++;
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 0x0d) text = text.slice(0, -1);
    // Blank or whitespace-only: skipped. Only trim when the line starts with whitespace, as an
    // object line nearly always starts with '{' and trimming every line would copy it.
    if (text.length === 0 || (text.charCodeAt(0) <= 0x20 && text.trim() === '')) return;
    const parsed = parseJsonLine(text);
    if (!parsed.ok) {
      // A field given twice or not a scalar is named; a syntax error is located in the line.
      const reason = !parsed.syntax
        ? `${parsed.zh} / ${parsed.en}`
        : `不是合法的 JSON（第 ${parsed.column} 列：${parsed.zh}）/ invalid JSON at column ${parsed.column}: ${parsed.en}`;
      out.push({ kind: 'error', line: at, reason });
      return;
    }
    const values = parsed.values;
    // Columns are recorded only for rows actually emitted, so a rejected line adds none.
    for (const key in values) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
    out.push({ kind: 'row', line: at, values });
  }

  /**
   * The unfinished line past MAX_LINE: reported once and dropped up to its line feed, so that one
   * runaway line (or a file with no line feeds at all) does not grow without bound — in whatever
   * chunks it comes; past MAX_RUNAWAY_BYTES with no line feed, the file is not rows at all.
   */
  function tooLong(out: InputEvent[]): void {
    if (pending.length <= MAX_LINE) return;
    out.push({ kind: 'error', line, reason: ERR_LINE_TOO_LONG });
    skipped = pending.length;
    pending = '';
    skipping = true;
    if (skipped > MAX_RUNAWAY_BYTES) throw new RunawayLine(line);
  }

  return {
    push(chunk: string): InputEvent[] {
      if (ended) throw new Error('NDJSON reader: push() after end()');
      const out: InputEvent[] = [];
      if (chunk.length === 0) return out;
      let i = 0;
      if (!started) {
        started = true;
        // The BOM only counts at the very first character of the file.
        if (chunk.charCodeAt(0) === 0xfeff) i = 1;
      }
      let lf = chunk.indexOf('\n', i);
      if (skipping) {
        // Inside an over-long line, already reported: dropped up to its line feed.
        if (lf === -1) {
          skipped += chunk.length - i;
          if (skipped > MAX_RUNAWAY_BYTES) throw new RunawayLine(line);
          return out;
        }
        skipping = false;
        line++;
        i = lf + 1;
        lf = chunk.indexOf('\n', i);
      }
      if (lf === -1) {
        pending += i === 0 ? chunk : chunk.slice(i);
        tooLong(out);
        return out;
      }
      // The first line may have begun in earlier chunks.
      if (pending.length + (lf - i) > MAX_LINE) {
        out.push({ kind: 'error', line: line++, reason: ERR_LINE_TOO_LONG });
      } else readLine(pending + chunk.slice(i, lf), out);
      pending = '';
      i = lf + 1;
      while ((lf = chunk.indexOf('\n', i)) !== -1) {
        if (lf - i > MAX_LINE) out.push({ kind: 'error', line: line++, reason: ERR_LINE_TOO_LONG });
        else readLine(chunk.slice(i, lf), out);
        i = lf + 1;
      }
      pending = chunk.slice(i);
      tooLong(out);
      return out;
    },
    end(): InputEvent[] {
      const out: InputEvent[] = [];
      if (ended) return out;
      ended = true;
      // A last line without a trailing newline is still a line.
      if (pending !== '' && !skipping) readLine(pending, out);
      pending = '';
      return out;
    },
    lineAtEnd(): number {
      return line; // the pending text holds no line feed
    },
    columns(): readonly string[] {
      return columns;
    },
  };
}
