// A few helpers for building the panes' DOM without a framework.

/** An element with attributes and children; text children are escaped by the DOM. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs: Record<string, string | undefined> = {}, ...children: (Node | string | undefined)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) if (c !== undefined) el.append(c);
  return el;
}

/** A JSON number or null as the report shows it (numbers as written in the report, no float arithmetic). */
export function num(v: unknown): string {
  return typeof v === 'number' ? String(v) : v === null || v === undefined ? '—' : String(v);
}
