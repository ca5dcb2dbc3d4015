// Hover on a name in a policy file, as plain data (markdown and the word's columns), and the
// text hover and completion show for a name.

import type { NameInfo, PolicyIndex } from '../policy-index.ts';
import { wordAt } from './text.ts';

/** What each kind of name is called in Chinese (the English is the kind itself). */
export const KIND_ZH: Readonly<Record<NameInfo['kind'], string>> = {
  parameter: '参数', setting: '设置', table: '表', 'record field': '记录字段', 'subject field': '对象字段', 'enum value': '枚举值',
  let: '派生值', measure: '度量', requirement: '要求', outcome: '记录规则', unit: '单位',
};

/** The hover text of a name: each version's value and unit, its articles and their text. */
export function hoverMarkdown(infos: readonly NameInfo[], articleText: (cite: string) => string | undefined): string {
  const first = infos[0]!;
  const parts = [`**${first.name}** — ${KIND_ZH[first.kind]} ${first.kind}`];
  for (const i of infos) {
    const value = i.value === undefined ? '' : `值 value **${i.value}**${i.unit && i.unit !== '1' ? ` ${i.unit}` : ''}`;
    const unit = i.value === undefined && i.unit ? `单位 unit ${i.unit}` : '';
    const line = [value || unit, infos.length > 1 ? `(${i.version})` : ''].filter(Boolean).join(' ');
    if (line) parts.push(line);
  }
  const last = infos[infos.length - 1]!;
  if (last.detail) parts.push('```\n' + last.detail + '\n```');
  if (last.note) parts.push(last.note);
  for (const cite of new Set(infos.flatMap((i) => i.cites))) {
    const text = articleText(cite);
    parts.push(`条款 article: **${cite}**${text ? `\n\n> ${text}` : ''}`);
  }
  return parts.join('\n\n');
}

/** A hover: its markdown and the columns of the word it is about (1-based, end exclusive). */
export interface Hover {
  readonly markdown: string;
  readonly startColumn: number;
  readonly endColumn: number;
}

/** The hover at a 1-based column of a line: for a name of the policy, else none. */
export function hoverAt(ix: PolicyIndex, lineText: string, column: number, articleText: (cite: string) => string | undefined): Hover | undefined {
  const w = wordAt(lineText, column);
  const infos = w && ix.names.get(w.word);
  if (!w || !infos || infos.length === 0) return undefined;
  return { markdown: hoverMarkdown(infos, articleText), startColumn: w.startColumn, endColumn: w.endColumn };
}
