// Placeholders in labels: `{min_hours_yearly}` (a parameter or setting), `{m}` (a requirement's
// loop variable: the row's key) and
// `{module_floor[m].yearly}` (a keyed table's cell, by a key or the requirement's loop variable)
// are filled with the value in force, so that "at least {min_credits_yearly} credits a year"
// follows a revision or a fork that changes the floor. The checker (check-labels.ts) says what
// a label may name; the engine fills them in once, when it compiles.

import type { PolicyAst } from './policy.ts';

/** One placeholder of a label: where it is in the label, and what it names. */
export interface LabelPlaceholder {
  /** Offsets of `{…}` in the label text. */
  readonly start: number;
  readonly end: number;
  /** A declaration's id (a parameter, setting or table). */
  readonly name: string;
  /** For a table cell: the row's key (or the loop variable) and the column. */
  readonly cell: { readonly key: string; readonly column: string } | undefined;
  /** The text between the braces. */
  readonly text: string;
}

const NAME = '[A-Za-z_\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff][A-Za-z0-9_@.\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff]*';
const PLACEHOLDER = new RegExp(`\\{(${NAME})(?:\\[([^\\]{}]+)\\]\\.(${NAME}))?\\}`, 'g');

/** The placeholders of a label, in order. */
export function labelPlaceholders(label: string): LabelPlaceholder[] {
  const out: LabelPlaceholder[] = [];
  for (const m of label.matchAll(PLACEHOLDER)) {
    out.push({
      start: m.index, end: m.index + m[0].length, name: m[1]!, text: m[0].slice(1, -1),
      cell: m[2] === undefined ? undefined : { key: m[2].trim(), column: m[3]! },
    });
  }
  return out;
}

/**
 * The label with its placeholders filled in from `p`, numbers as the policy writes them; `loop`
 * is the requirement's loop variable and the key it stands for. A placeholder that names nothing
 * stays as written (the checker reports it).
 */
export function fillLabel(label: string, p: PolicyAst, loop?: { readonly variable: string; readonly key: string | undefined }): string {
  const holes = labelPlaceholders(label);
  if (holes.length === 0) return label;
  let out = '';
  let at = 0;
  for (const h of holes) {
    out += label.slice(at, h.start) + (valueText(h, p, loop) ?? label.slice(h.start, h.end));
    at = h.end;
  }
  return out + label.slice(at);
}

function valueText(h: LabelPlaceholder, p: PolicyAst, loop: { readonly variable: string; readonly key: string | undefined } | undefined): string | undefined {
  if (!h.cell) {
    if (loop && h.name === loop.variable) return loop.key;
    const prm = p.parameters.find((x) => x.id === h.name);
    if (prm) return prm.value;
    const set = p.settings.find((x) => x.id === h.name);
    return set === undefined ? undefined : String(set.value);
  }
  const t = p.tables.find((x) => x.id === h.name);
  if (!t || t.kind !== 'keyed') return undefined;
  const key = loop && h.cell.key === loop.variable ? loop.key : h.cell.key;
  const v = t.rows.find((r) => r.key === key)?.cells[h.cell.column];
  return v === undefined ? undefined : String(v);
}
