// Values quoted in messages come from files anyone may write: a 50 MB cell or a 100,000-digit
// number must not become a 50 MB reason, repeated in both languages. Quoted values are cut to an
// excerpt that still shows how the value starts and ends, and how long it was.

/** Longest value quoted whole. */
export const MAX_QUOTED = 80;

/**
 * `text` as a message quotes it: whole up to {@link MAX_QUOTED} UTF-16 units, else its first 48
 * and last 16 characters around `…` and its length (`1111…1111 (100002 chars)`). A cut never
 * splits a surrogate pair.
 */
export function excerpt(text: string): string {
  if (text.length <= MAX_QUOTED) return text;
  let head = 48;
  if (isHigh(text.charCodeAt(head - 1))) head--;
  let tail = text.length - 16;
  if (isLow(text.charCodeAt(tail))) tail++;
  return `${text.slice(0, head)}…${text.slice(tail)} (${text.length} chars)`;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** A list of names as a message gives it: at most `max` of them, then how many more. */
export function nameList(names: readonly string[], separator: string, max = 20): string {
  const shown = names.slice(0, max).map(excerpt).join(separator);
  return names.length > max ? `${shown}${separator}… (+${names.length - max})` : shown;
}
