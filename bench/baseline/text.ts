// Text as bytes: what String.prototype.trim, string equality and string order mean, worked out
// on the UTF-8 bytes of a field so that no row needs a JS string.

/** The result of {@link trim}: a span, left in two module variables to avoid an allocation. */
export let trimStart = 0;
export let trimEnd = 0;

/**
 * Length of the JS-whitespace character (what `trim()` removes) starting at `i`, or 0. The set is
 * ECMAScript's WhiteSpace and LineTerminator: TAB, LF, VT, FF, CR, SPACE, NBSP, U+1680,
 * U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 and U+FEFF.
 */
function spaceAt(b: Uint8Array, i: number, e: number): number {
  const c = b[i]!;
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return 1;
  if (c < 0xc2) return 0;
  if (c === 0xc2) return i + 1 < e && b[i + 1] === 0xa0 ? 2 : 0;
  if (i + 2 >= e) return 0;
  const c1 = b[i + 1]!;
  const c2 = b[i + 2]!;
  switch (c) {
    case 0xe1: return c1 === 0x9a && c2 === 0x80 ? 3 : 0;
    case 0xe2:
      if (c1 === 0x80) return c2 <= 0x8a || c2 === 0xa8 || c2 === 0xa9 || c2 === 0xaf ? 3 : 0;
      return c1 === 0x81 && c2 === 0x9f ? 3 : 0;
    case 0xe3: return c1 === 0x80 && c2 === 0x80 ? 3 : 0;
    case 0xef: return c1 === 0xbb && c2 === 0xbf ? 3 : 0;
    default: return 0;
  }
}

/**
 * Length of the JS-whitespace character ending just before `e`, or 0. A multi-byte space is
 * recognised by its last byte (0x80–0xbf, a continuation byte: it cannot be confused with an
 * ASCII character) and the two or three bytes before it.
 */
function spaceBefore(b: Uint8Array, s: number, e: number): number {
  const c = b[e - 1]!;
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return 1;
  if (c < 0x80 || c > 0xbf) return 0;
  if (e - 2 >= s && b[e - 2] === 0xc2 && c === 0xa0) return 2;
  if (e - 3 < s) return 0;
  return spaceAt(b, e - 3, e) === 3 ? 3 : 0;
}

/**
 * Trims JS whitespace from both ends of `b[s, e)`; the result is in {@link trimStart} and
 * {@link trimEnd}. Most fields need nothing: their first and last bytes are printable ASCII.
 */
export function trim(b: Uint8Array, s: number, e: number): void {
  while (s < e) {
    const n = spaceAt(b, s, e);
    if (n === 0) break;
    s += n;
  }
  while (e > s) {
    const n = spaceBefore(b, s, e);
    if (n === 0) break;
    e -= n;
  }
  trimStart = s;
  trimEnd = e;
}

/** Whether two spans hold the same bytes. */
export function sameBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): boolean {
  const n = ae - as;
  if (n !== be - bs) return false;
  for (let i = 0; i < n; i++) if (a[as + i] !== b[bs + i]) return false;
  return true;
}

/**
 * Compares two UTF-8 spans in the order JS compares the strings (UTF-16 code units), which is
 * what the engine sorts subjects by. Byte order is code point order, which differs from UTF-16
 * order only between a character above U+FFFF (surrogates, 0xD800–0xDFFF) and one in
 * U+E000–U+FFFF. The first differing bytes of two valid UTF-8 texts are either both lead bytes
 * (the common prefix ended on a character boundary) or continuation bytes of characters with the
 * same lead; so that case is exactly "one lead byte is 0xEE–0xEF and the other 0xF0–0xF4".
 */
export function compareUtf16(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let i = 0; i < n; i++) {
    const x = a[as + i]!;
    const y = b[bs + i]!;
    if (x === y) continue;
    if (x >= 0xee && y >= 0xee && x <= 0xf4 && y <= 0xf4 && (x >= 0xf0) !== (y >= 0xf0)) return x >= 0xf0 ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return ae - as - (be - bs);
}

const decoder = new TextDecoder();

/** A span as a JS string (only for rare texts: header names, values quoted in reasons). */
export function decode(b: Uint8Array, s: number, e: number): string {
  return decoder.decode(b.subarray(s, e));
}
