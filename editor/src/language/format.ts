// Format document, as plain data: the rule texts of the policy file reprinted by the formatter
// `guize fmt` uses (dsl/format-policy.ts), which keeps comments and every byte of the YAML around
// the rules; the change given as one edit over the lines that differ.

import { formatPolicyText, LineIndex } from '../dsl.ts';

/** A replacement: the 1-based place replaced (end exclusive) and the text put there. */
export interface TextEdit {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly text: string;
}

/**
 * The edits that format `text` (the file at `path`): none when it is already formatted, or when
 * its YAML or rules do not parse (the diagnostics say why); else one edit, from the first line
 * that changes to the last.
 */
export function formatEdits(path: string, text: string): TextEdit[] {
  const result = formatPolicyText(path, text);
  if (!result.ok || result.value === text) return [];
  const after = result.value;
  // The unchanged lines at the start and at the end are left alone (the cursor stays put there).
  let start = 0;
  while (start < text.length && start < after.length && text[start] === after[start]) start++;
  start = text.lastIndexOf('\n', start - 1) + 1;
  let tail = 0;
  while (tail < text.length - start && tail < after.length - start && text[text.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  // Back to a line start, so the edit ends where a line does.
  while (tail > 0 && text[text.length - tail - 1] !== '\n') tail--;
  const lines = new LineIndex(text);
  const from = lines.position(start);
  const to = lines.position(text.length - tail);
  return [{ startLine: from.line, startColumn: from.column, endLine: to.line, endColumn: to.column, text: after.slice(start, after.length - tail) }];
}
