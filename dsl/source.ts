// Source positions: spans are UTF-16 offsets into one file, half-open; lines and columns are
// computed only at the edges (CLI output, editor markers).

/** A half-open range `[start, end)` of UTF-16 offsets in the file named `file`. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** A source file as read: its name as the user gave it, and its full text. */
export interface SourceFile {
  readonly name: string;
  readonly text: string;
}

/** A 1-based line and column, as editors and compilers print them. */
export interface LineColumn {
  readonly line: number;
  readonly column: number;
}

/** Finds line starts once per text, so that many conversions on one file stay cheap. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }

  /** The 1-based line and column of a UTF-16 offset (clamped to the text). */
  position(offset: number): LineColumn {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - this.starts[lo]! + 1 };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.starts[line - 1] ?? this.text.length;
    const next = this.starts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }

  /** The 0-based offset of a 1-based line and column. */
  offset(line: number, column: number): number {
    return (this.starts[line - 1] ?? this.text.length) + column - 1;
  }
}
