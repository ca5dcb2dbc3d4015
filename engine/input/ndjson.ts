/**
 * Streaming NDJSON (JSON Lines) reader: one JSON object per line.
 *
 * Only the unfinished last line of a chunk is kept between pushes, so memory stays bounded by
 * the longest line, whatever the chunk sizes.
 */
import type { InputError, InputEvent, RowReader } from './types.ts';

/**
 * Create a streaming NDJSON reader: one JSON object per line (LF or CRLF; a leading UTF-8 BOM is
 * stripped; blank or whitespace-only lines are skipped).
 *
 * Values become raw text like a CSV field: a string is kept as is, a number becomes `String(n)`
 * (so integers beyond 2^53 lose precision, as in JSON.parse), a boolean `'true'`/`'false'`, and
 * null `''`. A line that is not valid JSON, not an object, or has an array/object value yields an
 * {@link InputError} for that line; reading continues. `columns()` is the union of the keys of
 * all lines read so far, in order of first appearance.
 */
export function createNdjsonReader(): RowReader {
  let pending = '';
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
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      out.push({ kind: 'error', line: at, reason: `不是合法的 JSON / invalid JSON: ${message}` });
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      const reason = '该行不是 JSON 对象 / the line is not a JSON object';
      out.push({ kind: 'error', line: at, reason });
      return;
    }
    // No prototype, so a "__proto__" key (an own property after JSON.parse) stays a plain key.
    const values: Record<string, string> = Object.create(null);
    const object = parsed as Record<string, unknown>;
    // for-in allocates no [key, value] pair per field, unlike Object.entries; the hasOwn check
    // keeps keys enumerable on a (polluted) Object.prototype out of the row.
    for (const key in object) {
      if (!Object.hasOwn(object, key)) continue;
      const text = scalarText(object[key]);
      if (text === undefined) {
        const reason = `字段 ${key} 不是标量 / field ${key} is not a scalar value`;
        out.push({ kind: 'error', line: at, reason });
        return;
      }
      values[key] = text;
    }
    // Columns are recorded only for rows actually emitted, so a rejected line adds none.
    for (const key in values) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
    out.push({ kind: 'row', line: at, values });
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
      if (lf === -1) {
        pending += i === 0 ? chunk : chunk.slice(i);
        return out;
      }
      // The first line may have begun in earlier chunks.
      readLine(pending + chunk.slice(i, lf), out);
      pending = '';
      i = lf + 1;
      while ((lf = chunk.indexOf('\n', i)) !== -1) {
        readLine(chunk.slice(i, lf), out);
        i = lf + 1;
      }
      pending = chunk.slice(i);
      return out;
    },
    end(): InputEvent[] {
      const out: InputEvent[] = [];
      if (ended) return out;
      ended = true;
      // A last line without a trailing newline is still a line.
      if (pending !== '') readLine(pending, out);
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

/** The raw text of a scalar JSON value, or undefined for an array or object. */
function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return value === null ? '' : undefined;
  }
}
