// A generated writer of a compiled subject's measures — the cycle's, then every period's — for
// compact output, made once per program and output layout: what writeCompactScope (compact.ts)
// does measure by measure, with the layout unrolled. The JSON between two numbers is always the
// same bytes (`,"hours":`, `},"elective_credits":`, `},"2017":{"credits":`), so each run of them
// is written as a few 32-bit stores of constant words, and each number is read from its fixed
// offset in the subject's numbers. Only numbers and identifiers become source: the keys are
// passed as the words' values, never as text (test/scopes-writer.test.ts checks it, and that the
// bytes are writeCompactScope's).

import { QUOTIENT_SLOT, type OutputLayout } from '../codegen/program.ts';
import type { Program } from '../compile.ts';
import { SLOT_WIDTH } from '../compiled-subject.ts';
import { quotientParts } from './display.ts';
import { copyAt, writeInteger, writeRoundedAt, writeScaledAt } from './json-writer.ts';

/**
 * Writes the measures of every scope of a subject whose numbers are `n` (see
 * CompiledSubjectResult) at `p` of `b` (`dv` a view of `b`): the cycle's as members of the open
 * subject object (each with its comma), then the periods' object (`,"years":{…}`). Returns the
 * end, or -1 when a number is beyond the fast digits (then nothing counts as written: the caller
 * writes the subject the general way).
 */
export type ScopesWriter = (b: Uint8Array, dv: DataView, p: number, n: Float64Array) => number;

/** A generated scopes writer and the most bytes it writes. */
export interface GeneratedScopesWriter {
  readonly write: ScopesWriter;
  readonly room: number;
  /** The generated source of one scope (for the tests: numbers and identifiers only). */
  readonly source: string;
}

/** Bytes one number may take: sign, 13 digits, point and two decimals (|r| < 10^15), with margin. */
const NUMBER_ROOM = 24;

/** One piece of a scope: constant bytes, or the number at an offset of the scope's numbers. */
type Piece = { readonly bytes: number[] } | { readonly at: number; readonly quotient: boolean };

const utf8 = new TextEncoder();
const cache = new WeakMap<OutputLayout, { readonly program: Program; readonly writer: GeneratedScopesWriter }>();

/** The scopes writer of `program` with output `layout`, generated on first use. */
export function scopesWriter(program: Program, layout: OutputLayout): GeneratedScopesWriter {
  const hit = cache.get(layout);
  if (hit && hit.program === program) return hit.writer;
  const writer = generate(program, layout);
  cache.set(layout, { program, writer });
  return writer;
}

/**
 * One scope's measures, from the first key's opening quote to the last number, offsets from the
 * scope's start in the subject's numbers; constant bytes merged.
 */
function scopePieces(program: Program, layout: OutputLayout): Piece[] {
  const pieces: Piece[] = [];
  const text = (t: string) => {
    const bytes = [...utf8.encode(t)];
    const last = pieces[pieces.length - 1];
    if (last && 'bytes' in last) last.bytes.push(...bytes);
    else pieces.push({ bytes });
  };
  program.measures.forEach((m, j) => {
    text(`${j === 0 ? '' : ','}${JSON.stringify(m.id)}:`);
    const o = layout.slot[j]! * SLOT_WIDTH;
    if (m.grouped) {
      m.keys.forEach((k, i) => {
        text(`${i === 0 ? '{' : ','}${JSON.stringify(k)}:`);
        pieces.push({ at: o + i * SLOT_WIDTH, quotient: false });
      });
      text('}');
    } else pieces.push({ at: o, quotient: true });
  });
  return pieces;
}

/**
 * The writer: a generated function for one scope (every scope has the same layout, so one
 * function of a scope's size, which the engine optimises quickly, rather than one of the whole
 * subject's), and around it the bytes between scopes, prepared per period.
 */
function generate(program: Program, layout: OutputLayout): GeneratedScopesWriter {
  const lines: string[] = ['let r = 0, m = 0, s = 0;'];
  let scopeRoom = 0;
  for (const piece of scopePieces(program, layout)) {
    if ('bytes' in piece) {
      const b = piece.bytes;
      scopeRoom += b.length;
      let k = 0;
      // Little-endian words: the first byte is the lowest.
      for (; k + 4 <= b.length; k += 4) {
        const word = (b[k]! | (b[k + 1]! << 8) | (b[k + 2]! << 16) | (b[k + 3]! << 24)) >>> 0;
        lines.push(`dv.setUint32(p + ${k}, ${word}, true);`);
      }
      for (; k < b.length; k++) lines.push(`b[p + ${k}] = ${b[k]!};`);
      lines.push(`p += ${b.length};`);
      continue;
    }
    scopeRoom += NUMBER_ROOM;
    const o = piece.at;
    lines.push(`m = n[o + ${o}]; s = n[o + ${o + 1}];`);
    // A whole number (hours, counts, the many zeros) is its digits: no rounding to cents and back.
    const general = 'p = writeRoundedAt(b, p, m, s); if (p < 0) return -1;';
    const number = `if (s === 0 && m >= 0 && m < 2147483648) p = writeInteger(b, p, m); else { ${general} }`;
    lines.push(piece.quotient
      ? `if (s === ${QUOTIENT_SLOT}) { r = quotientParts(n[o + ${o + 2}], n[o + ${o + 3}], n[o + ${o + 4}], n[o + ${o + 5}]); if (r !== r) return -1; p = writeScaledAt(b, p, r); } else ${number}`
      : number);
  }
  lines.push('return p;');
  const source = `return function writeScope(b, dv, p, n, o) {\n  ${lines.join('\n  ')}\n};`;
  const scope = new Function('writeRoundedAt', 'quotientParts', 'writeScaledAt', 'writeInteger', source)(writeRoundedAt, quotientParts, writeScaledAt, writeInteger) as ScopeWriter;

  // The bytes before each scope (the cycle's, then each period's), and after the last.
  const periods = program.periods.length;
  const bytes = (t: string) => utf8.encode(t);
  const key = (t: string) => JSON.stringify(t);
  const before: Uint8Array[] = [];
  const first = periods === 0 ? '' : key(String(program.periods[0]!));
  // The cycle's measures are members of the open subject object: a comma before them, and none
  // when the policy has no measures (the periods' object then brings its own).
  before.push(bytes(program.measures.length === 0 ? '' : ','));
  program.periods.forEach((year, c) => {
    before.push(bytes(c === 0 ? `,${key(program.policy.period.collection)}:{${first}:{` : `},${key(String(year))}:{`));
  });
  const after = bytes(periods === 0 ? `,${key(program.policy.period.collection)}:{}` : '}}');
  const stride = layout.width * SLOT_WIDTH;
  let room = (periods + 1) * scopeRoom + after.length;
  for (const b of before) room += b.length;

  const write: ScopesWriter = (b, dv, p, n) => {
    p = copyAt(b, p, before[0]!);
    p = scope(b, dv, p, n, periods * stride);
    if (p < 0) return -1;
    for (let c = 0; c < periods; c++) {
      p = copyAt(b, p, before[c + 1]!);
      p = scope(b, dv, p, n, c * stride);
      if (p < 0) return -1;
    }
    return copyAt(b, p, after);
  };
  return { write, room, source };
}

/** The generated function of one scope: see {@link ScopesWriter}, for the scope at `o` of `n`. */
type ScopeWriter = (b: Uint8Array, dv: DataView, p: number, n: Float64Array, o: number) => number;
