// A row parser generated for one file's header: the columns in their order, each read straight
// from the bytes by code for its field's type, in one pass — what a hand-written program for that
// layout would do: an enum value is recognised by comparing its bytes, a date by its ten
// digits and dashes, a number is accumulated digit by digit. It takes only the rows real exports
// are made of (unquoted, no white space around values, every value valid for its field) and says
// -1 for anything else; the general scanner and decoder then read that row, so what a row means
// never depends on which path read it.
//
// Like the rules' code (program.ts), the source is made of identifiers, numbers and operators
// only: enum values are compared as numbers.

import type { FieldDecl } from '../../dsl/index.ts';
import { Decimal } from '../decimal.ts';
import { MAX_FAST_SCALE, POW10, type RowDecoder } from '../row-decoder.ts';
import { cmp } from './runtime.ts';

/**
 * Reads the row at `start`; returns the offset past its line feed, or -1 (let the scanner read
 * it). A line feed must follow `start` in `bytes` (the scanner makes sure): it ends every loop.
 */
export type RowParser = (bytes: Uint8Array, start: number) => number;

const COMMA = 44;
const LF = 10;
const CR = 13;
const utf8 = new TextEncoder();

/** A number bound in the fast form; undefined when it has none (the parser then takes no row). */
function bound(text: string | undefined): [number, number] | undefined | 'none' {
  if (text === undefined) return 'none';
  const d = Decimal.parse(text);
  const m = d?.safeMantissa;
  return d && m !== undefined && d.scale <= MAX_FAST_SCALE ? [m, d.scale] : undefined;
}

/**
 * Source that is true when the number read (`m` at scale `fr`) is above `max`: for a whole bound
 * small enough that max · 10^fr stays an exact integer (fr ≤ 7, the common case), one product and
 * one comparison; else the exact comparison.
 */
function above([hm, hs]: [number, number]): string {
  const exact = `cmp(m, fr, ${hm}, ${hs}) > 0`;
  return hs === 0 && Math.abs(hm) * 1e7 <= Number.MAX_SAFE_INTEGER ? `(fr <= 7 ? m > ${hm} * P10[fr] : ${exact})` : exact;
}

/**
 * The parser for a file whose raw column `c` holds field `fieldOf[c]` (-1: a column the policy
 * does not read), writing into `decoder`'s slots as its decode() would.
 */
export function rowParser(fields: readonly FieldDecl[], fieldOf: readonly number[], decoder: RowDecoder): RowParser {
  const lines: string[] = [];
  const width = fieldOf.length;
  const present = new Set(fieldOf.filter((f) => f >= 0));
  // Fields the file has no column for are missing in every row (a required one: never fast).
  for (let i = 0; i < fields.length; i++) {
    if (present.has(i)) continue;
    if (fields[i]!.required) return () => -1;
    lines.push(`FS[${i}] = -1; FE[${i}] = -1; RS[${i}] = -1; RC[${i}] = -1; TX[${i}] = undefined;`);
  }
  lines.push('let p = start, c = 0;');
  for (let col = 0; col < width; col++) {
    const last = col === width - 1;
    const i = fieldOf[col]!;
    const f = i < 0 ? undefined : fields[i]!;
    // Whether the byte at `at` ends this column: a comma, or for the last one the line feed
    // (a CR just before it belongs to the line end).
    const ends = (at: string) => (last ? `(B[${at}] === ${LF} || (B[${at}] === ${CR} && B[${at} + 1] === ${LF}))` : `B[${at}] === ${COMMA}`);
    // Moves p past the delimiter at p.
    const past = last ? `p += B[p] === ${CR} ? 2 : 1;` : 'p++;';
    lines.push(`{ // column ${col}${f ? `: field ${i}, ${f.type}` : ', not read'}`);
    const empty = f === undefined ? '' : f.required ? 'return -1;' : `RS[${i}] = -1; RC[${i}] = -1;${f.type === 'text' ? ` FS[${i}] = p; FE[${i}] = p; TX[${i}] = undefined;` : ''}`;
    switch (f?.type) {
      case undefined:
      case 'text': {
        // Up to the delimiter; a quote could hide a comma, and then only the scanner knows.
        lines.push('const s = p;');
        lines.push('if (B[p] === 34) return -1;');
        // Bytes above the comma are none of comma, quote, CR or LF: one test each for most.
        lines.push(`c = B[p]; while (c > ${COMMA} || (c !== ${COMMA} && c !== ${LF} && c !== ${CR})) c = B[++p];`);
        lines.push(`if (!(${ends('p')})) return -1;`);
        if (f) {
          lines.push(`if (p === s) { ${empty} } else {`);
          // White space or a non-ASCII byte at either end: only the decoder trims those right.
          lines.push('  if (B[s] <= 32 || B[p - 1] <= 32 || B[s] >= 128 || B[p - 1] >= 128) return -1;');
          lines.push(`  FS[${i}] = s; FE[${i}] = p; TX[${i}] = undefined;`);
          lines.push('}');
        }
        break;
      }
      case 'number': {
        const lo = bound(f.min);
        const hi = bound(f.max);
        if (lo === undefined || hi === undefined) return () => -1;
        lines.push(`if (${ends('p')}) { ${empty} } else {`);
        lines.push('  let m = 0, nd = 0, fr = 0;');
        lines.push('  c = B[p];');
        lines.push('  while (c >= 48 && c <= 57) { m = m * 10 + (c - 48); nd++; c = B[++p]; }');
        lines.push('  if (c === 46) { c = B[++p]; while (c >= 48 && c <= 57) { m = m * 10 + (c - 48); fr++; c = B[++p]; } }');
        // No sign, exponent, stray character, digit string past 2^53, absurd magnitude (fields.ts).
        lines.push(`  if (!(${ends('p')}) || nd + fr === 0 || m > 9007199254740991 || fr > ${MAX_FAST_SCALE} || (fr <= 7 && m >= P10[15 + fr])) return -1;`);
        lines.push('  if (m === 0) fr = 0;');
        // The number read has no sign: a lower bound at or below zero always holds.
        if (lo !== 'none' && lo[0] > 0) lines.push(`  if (cmp(m, fr, ${lo[0]}, ${lo[1]}) < 0) return -1;`);
        if (hi !== 'none') lines.push(`  if (${above(hi)}) return -1;`);
        lines.push(`  RM[${i}] = m; RS[${i}] = fr;`);
        lines.push('}');
        break;
      }
      case 'date':
        lines.push(`if (${ends('p')}) { ${empty} } else {`);
        lines.push(`  if (!(${ends('p + 10')}) || B[p + 4] !== 45 || B[p + 7] !== 45) return -1;`);
        lines.push('  const y0 = B[p] - 48, y1 = B[p + 1] - 48, y2 = B[p + 2] - 48, y3 = B[p + 3] - 48;');
        lines.push('  const m0 = B[p + 5] - 48, m1 = B[p + 6] - 48, d0 = B[p + 8] - 48, d1 = B[p + 9] - 48;');
        // `x >>> 0 > 9` is x outside 0–9 (a negative x becomes a large unsigned one).
        lines.push('  if (y0 >>> 0 > 9 || y1 >>> 0 > 9 || y2 >>> 0 > 9 || y3 >>> 0 > 9 || m0 >>> 0 > 9 || m1 >>> 0 > 9 || d0 >>> 0 > 9 || d1 >>> 0 > 9) return -1;');
        lines.push('  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3, mo = m0 * 10 + m1, d = d0 * 10 + d1;');
        // The leap year is worked out for every date, not only for a 29 February: code that runs
        // only now and then would meet the optimised parser without its type feedback, and send
        // it back to be compiled again (a deopt costs tens of milliseconds of a run).
        lines.push('  if (mo < 1 || mo > 12 || d < 1) return -1;');
        lines.push('  const leap = (y & 3) === 0 && (y % 400 === 0 || y % 100 !== 0) ? 1 : 0;');
        lines.push('  if (d > (mo === 2 ? 28 + leap : DAYS[mo])) return -1;');
        lines.push(`  RC[${i}] = y * 10000 + mo * 100 + d;`);
        lines.push('  p += 10;');
        lines.push('}');
        break;
      case 'bool':
      case 'enum':
        lines.push(`if (${ends('p')}) { ${empty} }`);
        for (const [k, bytes] of enumBytes(f).entries()) {
          lines.push(`else if (${ends(`p + ${bytes.length}`)} && ${matchAt(bytes)}) { RC[${i}] = ${k}; p += ${bytes.length}; }`);
        }
        // Exact bytes only (no case folding, no trimming): `TRUE`, ` ok` and the like are the decoder's.
        lines.push('else return -1;');
        break;
    }
    lines.push(past);
    lines.push('}');
  }
  lines.push('return p;');
  const source = [
    "'use strict';",
    'const RM = rt.RM, RS = rt.RS, RC = rt.RC, FS = rt.FS, FE = rt.FE, TX = rt.TX, P10 = rt.P10, cmp = rt.cmp, DAYS = rt.DAYS;',
    `return function parseRow(B, start) {\n  ${lines.join('\n  ')}\n};`,
  ].join('\n');
  const rt = {
    RM: decoder.m, RS: decoder.s, RC: decoder.code, FS: decoder.start, FE: decoder.end, TX: decoder.text, P10: POW10, cmp,
    DAYS: [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31],
  };
  return new Function('rt', source)(rt) as RowParser;
}

/** The UTF-8 bytes of each value of an enum (or of `false`, `true`), by index. */
function enumBytes(f: FieldDecl): Uint8Array[] {
  return (f.type === 'bool' ? ['false', 'true'] : f.values).map((v) => utf8.encode(v));
}

/**
 * A test that the bytes at p are `bytes`, byte by byte: most values differ from a candidate in
 * their first byte. (32-bit words read through a DataView of the buffer were tried: the view,
 * made again when the buffer changes, is code that runs now and then, and each time it first ran
 * in the optimised parser it sent it back to be compiled again.) Only run once the delimiter just
 * past them is seen, so no read leaves the row.
 */
function matchAt(bytes: Uint8Array): string {
  const tests: string[] = [];
  for (let k = 0; k < bytes.length; k++) tests.push(`B[p + ${k}] === ${bytes[k]}`);
  return tests.length > 0 ? tests.join(' && ') : 'true';
}
