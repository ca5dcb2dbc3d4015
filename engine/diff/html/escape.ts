// Escaping for the diff report. Teacher ids, messages, group names and file names come from input
// files: everything the report writes from a document passes through one of these, so text can
// only ever be text.

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * JSON for a `<script type="application/json">` block: `<` is written `\u003c`, so no `</script>`
 * or `<!--` inside a string can end or derail the block; U+2028 and U+2029 likewise, for older
 * JavaScript parsers. JSON.parse reads the same value back.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * JavaScript source for an inline `<script>`: `</script` and `<!--` (which would end the element
 * or switch the HTML parser into its escaped state) written with a backslash, `<\/script`,
 * `<\!--`. They can only occur inside a string, template or regular expression literal, or a
 * comment, and in each of those the backslash leaves the meaning unchanged.
 */
export function scriptText(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
