// Go to definition in a policy file, as plain data: the declarations of the name at a position,
// in whichever file writes them (a version file, a fork's parent).

import { LineIndex } from '../dsl.ts';
import type { PolicyIndex } from '../policy-index.ts';
import { wordAt } from './text.ts';

/** A place in a file: 1-based lines and columns, the end exclusive. */
export interface Place {
  readonly file: string;
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** The declarations of the name at a 1-based column of a line, one per version that differs. */
export function definitionsAt(ix: PolicyIndex, texts: Readonly<Record<string, string>>, lineText: string, column: number): Place[] {
  const w = wordAt(lineText, column);
  const infos = w && ix.names.get(w.word);
  if (!infos) return [];
  return infos.map((i) => {
    const lines = new LineIndex(texts[i.span.file] ?? '');
    const from = lines.position(i.span.start);
    const to = lines.position(i.span.end);
    return { file: i.span.file, startLine: from.line, startColumn: from.column, endLine: to.line, endColumn: to.column };
  });
}
