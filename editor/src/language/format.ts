// Format document, as plain data: each statement of the rules written in a file reprinted by
// dsl/print.ts (the printer the parser's round-trip tests use), its indentation kept.

import { LineIndex, printStatement, type Statement } from '../dsl.ts';

/** A replacement: the 1-based place replaced (end exclusive) and the text put there. */
export interface TextEdit {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly text: string;
}

/**
 * The edits that format `text` (the file at `path`), given the statements parsed from this very
 * text (spans are offsets in it). A statement already as printed is left alone, and so is one with
 * a comment inside it (the printer prints the syntax tree, which has no comments) or one not at
 * the start of its line.
 */
export function formatEdits(statements: readonly Statement[], path: string, text: string): TextEdit[] {
  const lines = new LineIndex(text);
  const edits: TextEdit[] = [];
  for (const s of statements) {
    if (s.span.file !== path) continue;
    const old = text.slice(s.span.start, s.span.end);
    if (old.includes('#')) continue;
    const start = lines.position(s.span.start);
    const indent = lines.lineText(start.line).slice(0, start.column - 1);
    if (indent.trim() !== '') continue;
    const printed = printStatement(s).split('\n').join(`\n${indent}`);
    if (printed === old) continue;
    const end = lines.position(s.span.end);
    edits.push({ startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column, text: printed });
  }
  return edits;
}

