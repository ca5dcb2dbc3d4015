// Positions in a policy file's text, as the language features need them, without Monaco: the
// word at a position (by the same word pattern the editor's language configuration gives
// Monaco), the word up to it, and whether a line is inside a `rules:` block.

/** A name or a number of the rule language (Chinese names too): what a double-click selects. */
export const WORD_PATTERN = /[A-Za-z_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff][A-Za-z0-9_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]*|\d+(?:\.\d+)?%?/;

/** A word on a line: its text and its 1-based columns, end exclusive (as Monaco's IWordAtPosition). */
export interface Word {
  readonly word: string;
  readonly startColumn: number;
  readonly endColumn: number;
}

/** The word that holds (or ends at) a 1-based column of a line, if any. */
export function wordAt(lineText: string, column: number): Word | undefined {
  const re = new RegExp(WORD_PATTERN.source, 'g');
  for (let m = re.exec(lineText); m; m = re.exec(lineText)) {
    const start = m.index + 1;
    const end = start + m[0].length;
    if (start <= column && column <= end) return { word: m[0], startColumn: start, endColumn: end };
    if (start > column) break;
  }
  return undefined;
}

/** The part of the word at a column before it (the text a completion replaces); empty at its column if none. */
export function wordUntil(lineText: string, column: number): Word {
  const w = wordAt(lineText, column);
  if (!w) return { word: '', startColumn: column, endColumn: column };
  return { word: w.word.slice(0, column - w.startColumn), startColumn: w.startColumn, endColumn: column };
}

/**
 * Whether a 1-based line of `lines` is inside the YAML block scalar under a `rules:` key (the
 * rule language): some line above it is `rules: |` (or `>`), with no top-level key in between.
 */
export function inRules(lines: readonly string[], line: number): boolean {
  for (let l = line; l >= 1; l--) {
    const text = lines[l - 1] ?? '';
    if (/^(\s*)rules:\s*[|>]/.test(text)) return l < line;
    // A top-level key, on the line itself or above, ends (or is outside) the block.
    if (/^[A-Za-z_][\w-]*:/.test(text)) return false;
  }
  return false;
}

/** A text's lines, without their line breaks. */
export function linesOf(text: string): string[] {
  return text.split(/\r?\n/);
}
