// Numbers, labels and small pieces of markup shared by the report's sections.

import type { DiffStanding, JsonNumber } from '../diff-json.ts';
import { escapeHtml } from './escape.ts';
import { LABELS, type Label } from './labels.ts';

/** A number as the document has it (exact decimal text stays as written); `—` for none. */
export function numberText(value: JsonNumber | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return String(value);
}

/** A delta with its sign: `+12.5`, `-3`, `0`. */
export function deltaText(value: JsonNumber | null | undefined): string {
  const text = numberText(value);
  if (text === '—' || text.startsWith('-') || /^[0.]+$/.test(text)) return text;
  return `+${text}`;
}

/** The sign of a delta, for colouring: 1, -1 or 0 (and 0 for none). */
export function deltaSign(value: JsonNumber | null | undefined): -1 | 0 | 1 {
  const text = numberText(value);
  if (text === '—' || /^-?[0.]+$/.test(text)) return 0;
  return text.startsWith('-') ? -1 : 1;
}

/** A label as markup: each language tagged, so a screen reader reads each in its own voice. */
export function labelHtml(label: Label): string {
  return `<span lang="zh-CN">${escapeHtml(label.zh)}</span> / <span lang="en">${escapeHtml(label.en)}</span>`;
}

/** A standing's status as a label. */
export function statusLabel(standing: DiffStanding): Label {
  if (!standing.present) return LABELS.absent;
  if (standing.compliant === true) return LABELS.compliant;
  if (standing.compliant === false) return LABELS.nonCompliant;
  return { zh: '—', en: '—' };
}

/** A CSS class for a standing's status. */
export function statusClass(standing: DiffStanding): string {
  if (!standing.present) return 'absent';
  return standing.compliant === true ? 'ok' : standing.compliant === false ? 'bad' : 'absent';
}

/** Any value of the row accounting as text (numbers and strings as they are, anything else as JSON). */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A rule with its article, in brackets when it has one: `rule (article)`. */
export function ruleText(rule: string, article: string | null): string {
  return article === null || article === '' ? rule : `${rule} (${article})`;
}
