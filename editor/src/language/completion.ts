// Completion in a policy file, as plain data: what Monaco's completion provider lists (the
// wiring in ../language-features.ts maps each kind to Monaco's icon). The names are the
// policy's own (policy-index.ts), never a list kept here.

import type { NameInfo, PolicyIndex } from '../policy-index.ts';
import { hoverMarkdown, KIND_ZH } from './hover.ts';
import { inRules, wordUntil } from './text.ts';

/** What a completion item is: a name of the policy, a keyword, a table's row key or column. */
export type CompletionKind = NameInfo['kind'] | 'keyword' | 'table key' | 'table column';

/** One completion item. */
export interface Completion {
  readonly label: string;
  readonly kind: CompletionKind;
  /** One line beside the label: what it is, and a parameter's or setting's value and unit. */
  readonly detail: string | undefined;
  /** The hover text of the name (markdown), for the item's details. */
  readonly documentation: string | undefined;
}

/** The items at a position and the columns of the text they replace (1-based, end exclusive). */
export interface Completions {
  readonly items: readonly Completion[];
  readonly startColumn: number;
  readonly endColumn: number;
}

/** The characters after which Monaco asks again without a keystroke of a word. */
export const TRIGGER_CHARACTERS = ['[', '.', '('];

/**
 * The completions at a 1-based line and column of a file's `lines`: after `table[` the table's
 * row keys, after `table[key].` or `bands(x).` its columns; elsewhere in a rules block the
 * keywords and every name of the policy (in the index's order); outside the rules, none.
 */
export function completions(ix: PolicyIndex, lines: readonly string[], line: number, column: number, articleText: (cite: string) => string | undefined): Completions {
  const text = lines[line - 1] ?? '';
  const word = wordUntil(text, column);
  const at = { startColumn: word.startColumn, endColumn: word.endColumn };
  const before = text.slice(0, word.startColumn - 1);
  const keyOf = /([A-Za-z_]\w*)\[$/.exec(before);
  const keys = keyOf && ix.tableKeys.get(keyOf[1]!);
  if (keyOf && keys) {
    return { ...at, items: keys.map((k) => ({ label: k, kind: 'table key', detail: `${keyOf[1]} 的行 / a row of ${keyOf[1]}`, documentation: undefined })) };
  }
  const columnOf = /([A-Za-z_]\w*)(?:\[[^\]]*\]|\([^)]*\))\.$/.exec(before);
  const columns = columnOf && ix.tableColumns.get(columnOf[1]!);
  if (columnOf && columns) {
    return { ...at, items: columns.map((c) => ({ label: c, kind: 'table column', detail: `${columnOf[1]} 的列 / a column of ${columnOf[1]}`, documentation: undefined })) };
  }
  if (!inRules(lines, line)) return { ...at, items: [] };
  const items: Completion[] = ix.keywords.map((k) => ({ label: k, kind: 'keyword', detail: undefined, documentation: undefined }));
  for (const [name, infos] of ix.names) {
    const last = infos[infos.length - 1]!;
    items.push({ label: name, kind: last.kind, detail: `${KIND_ZH[last.kind]} ${last.kind}${valueText(last)}`, documentation: hoverMarkdown(infos, articleText) });
  }
  return { ...at, items };
}

/** ` = 72 credit`: a value and its unit (none for a plain number). */
function valueText(i: NameInfo): string {
  return i.value === undefined ? '' : ` = ${i.value}${i.unit && i.unit !== '1' ? ` ${i.unit}` : ''}`;
}
