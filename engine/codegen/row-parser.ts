// A row parser generated for one file's header: the columns in their order, each read straight
// from the bytes by code for its field's type, in one pass — what a hand-written program for that
// layout would do. It takes only the rows real exports are made of (unquoted, no white space
// around values, every value valid for its field) and says -1 for anything else; the general
// scanner and decoder then read that row, so what a row means never depends on which path read it.
//
// Like the rules' code (program.ts), the source is made of identifiers, numbers and operators
// only: enum values are compared byte by byte as numbers.

import type { FieldDecl } from '../../dsl/index.ts';
import { Decimal } from '../decimal.ts';
import { MAX_FAST_SCALE, parseDate, POW10, type RowDecoder } from '../row-decoder.ts';
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

/** A number bound in the fast form, or undefined when it has none (rows are then checked by the decoder). */
function bound(text: string | undefined): [number, number] | undefined | 'none' {
  if (text === undefined) return 'none';
  const d = Decimal.parse(text);
  const m = d?.safeMantissa;
  return d && m !== undefined && d.scale <= MAX_FAST_SCALE ? [m, d.scale] : undefined;
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
  // The row's line feed bounds every loop below (none reads past it: it is no digit, comma or
  // quote), so no read falls outside the bytes.
  lines.push('let p = start, c = 0, s = 0, e = 0;');
  for (let col = 0; col < width; col++) {
    const i = fieldOf[col]!;
    const f = i < 0 ? undefined : fields[i]!;
    lines.push(`{ // column ${col}${f ? `: field ${i}, ${f.type}` : ', not read'}`);
    lines.push('s = p;');
    if (f?.type === 'number') {
      const lo = bound(f.min);
      const hi = bound(f.max);
      if (lo === undefined || hi === undefined) return () => -1;
      lines.push('let m = 0, nd = 0, fr = 0;');
      lines.push('c = B[p];');
      lines.push('while (c >= 48 && c <= 57) { m = m * 10 + (c - 48); nd++; c = B[++p]; }');
      lines.push('if (c === 46) { c = B[++p]; while (c >= 48 && c <= 57) { m = m * 10 + (c - 48); fr++; c = B[++p]; } }');
    } else {
      // Up to the delimiter; a quote could hide a comma, and then only the scanner knows.
      lines.push('if (B[p] === 34) return -1;');
      lines.push(`c = B[p]; while (c !== ${COMMA} && c !== ${LF} && c !== ${CR}) c = B[++p];`);
    }
    lines.push('e = p;');
    // The byte that must end this column: a comma, or for the last one the line feed (a CR just
    // before it belongs to the line end).
    if (col === width - 1) lines.push(`if (c === ${CR}) { if (B[p + 1] !== ${LF}) return -1; p++; } else if (c !== ${LF}) return -1;`);
    else lines.push(`if (c !== ${COMMA}) return -1;`);
    if (f) {
      const empty = f.required ? 'return -1;' : `FS[${i}] = s; FE[${i}] = s; RS[${i}] = -1; RC[${i}] = -1; TX[${i}] = undefined;`;
      lines.push(`if (e === s) { ${empty} } else {`);
      if (f.type !== 'number') {
        // White space or a non-ASCII byte at either end: only the decoder trims those right.
        lines.push('  if (B[s] <= 32 || B[e - 1] <= 32 || B[s] >= 128 || B[e - 1] >= 128) return -1;');
      }
      switch (f.type) {
        case 'number': {
          const lo = bound(f.min) as [number, number] | 'none';
          const hi = bound(f.max) as [number, number] | 'none';
          // No sign, exponent, stray character, digit string past 2^53, absurd magnitude (fields.ts).
          lines.push(`  if (nd + fr === 0 || m > 9007199254740991 || fr > ${MAX_FAST_SCALE} || (fr <= 7 && m >= P10[15 + fr])) return -1;`);
          lines.push('  if (m === 0) fr = 0;');
          if (lo !== 'none') lines.push(`  if (cmp(m, fr, ${lo[0]}, ${lo[1]}) < 0) return -1;`);
          if (hi !== 'none') lines.push(`  if (cmp(m, fr, ${hi[0]}, ${hi[1]}) > 0) return -1;`);
          lines.push(`  RM[${i}] = m; RS[${i}] = fr;`);
          break;
        }
        case 'date':
          lines.push(`  const d = e - s === 10 ? parseDate(B, s, e) : -1;`);
          lines.push(`  if (d < 0) return -1;`);
          lines.push(`  RC[${i}] = d;`);
          break;
        case 'text':
          lines.push(`  TX[${i}] = undefined;`);
          break;
        case 'bool':
        case 'enum':
          lines.push(`  ${matcher(f)}`, '  if (v < 0) return -1;', `  RC[${i}] = v;`);
          break;
      }
      lines.push(`  FS[${i}] = s; FE[${i}] = e;`);
      lines.push('}');
    }
    lines.push('p++;');
    lines.push('}');
  }
  lines.push('return p;');
  const source = [
    "'use strict';",
    'const RM = rt.RM, RS = rt.RS, RC = rt.RC, FS = rt.FS, FE = rt.FE, TX = rt.TX, P10 = rt.P10, cmp = rt.cmp, parseDate = rt.parseDate;',
    `return function parseRow(B, start) {\n  ${lines.join('\n  ')}\n};`,
  ].join('\n');
  const rt = { RM: decoder.m, RS: decoder.s, RC: decoder.code, FS: decoder.start, FE: decoder.end, TX: decoder.text, P10: POW10, cmp, parseDate };
  return new Function('rt', source)(rt) as RowParser;
}

/** Code that sets `v` to the index of the value in `B[s, e)` among the field's values, or -1. */
function matcher(f: FieldDecl): string {
  const values = f.type === 'bool' ? ['false', 'true'] : f.values;
  const byLength = new Map<number, { bytes: Uint8Array; index: number }[]>();
  values.forEach((v, index) => {
    const bytes = utf8.encode(v);
    const list = byLength.get(bytes.length) ?? [];
    list.push({ bytes, index });
    byLength.set(bytes.length, list);
  });
  // Exact bytes only (no case folding): `TRUE` and the like are left to the decoder.
  const cases = [...byLength].map(([len, list]) => {
    const tests = list.map(({ bytes, index }) => `if (${[...bytes].map((b, k) => `B[s + ${k}] === ${b}`).join(' && ')}) v = ${index};`);
    return `case ${len}: ${tests.join(' else ')} break;`;
  });
  return `let v = -1; switch (e - s) { ${cases.join(' ')} }`;
}
