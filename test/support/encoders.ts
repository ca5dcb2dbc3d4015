// Encoders for the encoding tests, sharing no code with cli/encoding.ts: GB18030 from a table made
// by decoding every two-byte sequence with the platform's decoder (Chinese text is all in that
// range), UTF-16 by splitting code units into bytes.

let gbTable: Map<string, [number, number]> | undefined;

/** The GB18030 bytes of `text` (ASCII as is; every other character must be in the two-byte range). */
export function gb18030(text: string): Uint8Array {
  if (gbTable === undefined) {
    gbTable = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const c = decoder.decode(Uint8Array.of(lead, trail));
        if (c.length === 1 && c !== '\uFFFD' && !gbTable.has(c)) gbTable.set(c, [lead, trail]);
      }
    }
  }
  const out: number[] = [];
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    const pair = gbTable.get(c);
    if (pair === undefined) throw new Error(`no two-byte GB18030 code for ${c}`);
    out.push(...pair);
  }
  return Uint8Array.from(out);
}

/** The UTF-16 bytes of `text` in the byte order given, after a BOM when `bom`. */
export function utf16(text: string, order: 'le' | 'be', bom = true): Uint8Array {
  const units = (bom ? '\uFEFF' : '') + text;
  const out = new Uint8Array(units.length * 2);
  for (let i = 0; i < units.length; i++) {
    const u = units.charCodeAt(i);
    const [first, second] = order === 'le' ? [u & 0xff, u >> 8] : [u >> 8, u & 0xff];
    out[2 * i] = first;
    out[2 * i + 1] = second;
  }
  return out;
}
