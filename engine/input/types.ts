/**
 * Shared types of the streaming input readers (CSV and NDJSON).
 *
 * Readers are fed already-decoded string chunks, so they run unchanged in the browser and in
 * Node: no Node APIs here, only ES2022.
 */

/**
 * One data row: the physical line (1-based) where the row starts in the file, and its values by
 * column name. Values are raw text ('' for an empty field).
 */
export interface InputRow {
  readonly kind: 'row';
  /** 1-based physical line on which the row starts (a multi-line quoted field does not move it). */
  readonly line: number;
  /** Raw text by column name; the object has no prototype, so a column named `__proto__` is safe. */
  readonly values: Readonly<Record<string, string>>;
}

/**
 * A row that could not be read; reason is bilingual "中文 / English". It does not stop reading.
 */
export interface InputError {
  readonly kind: 'error';
  /** 1-based physical line on which the faulty row (or the header) starts. */
  readonly line: number;
  /** Bilingual explanation, "中文 / English". */
  readonly reason: string;
  /**
   * Set when the problem is the CSV header, not a data row: it is not a row (rows still follow,
   * with duplicate columns keeping the first), so callers warn about it rather than count it.
   */
  readonly header?: true;
}

/** What a reader emits: a row or a per-row error, in file order. */
export type InputEvent = InputRow | InputError;

/**
 * A streaming reader: push chunks, then end(). Each call returns the events completed so far, in
 * file order.
 */
export interface RowReader {
  /** Feed the next chunk (a boundary may fall anywhere); returns the events it completed. */
  push(chunk: string): InputEvent[];
  /** Signal end of input; returns the events of a final row without a trailing newline, if any. */
  end(): InputEvent[];
  /**
   * column names once the header (CSV) has been read, or the union of keys seen so far (NDJSON)
   */
  columns(): readonly string[];
  /** The line on which the next text pushed would be (for locating a problem in text not yet pushed). */
  lineAtEnd(): number;
}

/**
 * Most bytes a CSV row or NDJSON line may run without a line feed before the file is refused. A
 * row past {@link MAX_ROW_BYTES}-sized limits is rejected and skipped to its line feed, but a file
 * that has none (a binary dump, `/dev/zero`) would be skipped for ever: past this, reading stops.
 * The same bound as a line of a GB18030 or UTF-16 file (cli/encoding.ts).
 */
export const MAX_RUNAWAY_BYTES = 16 << 20;

/**
 * Thrown by a reader when a line runs past {@link MAX_RUNAWAY_BYTES} without a line feed: the
 * file cannot be read as rows at all. `line` is where the runaway line starts; the caller names the file.
 */
export class RunawayLine extends Error {
  constructor(readonly line: number) {
    super(`第 ${line} 行超过 ${MAX_RUNAWAY_BYTES >> 20} MiB 没有换行 / line ${line} runs over ${MAX_RUNAWAY_BYTES >> 20} MiB without a line feed`);
    this.name = 'RunawayLine';
  }
}
