// Compact output of what the bulk of a report is — every compiled subject's measures, scope by
// scope, and its violations — written straight into the writer's buffer: the JSON around the
// numbers is prepared bytes (keys with their commas and colons, a violation's rule, article and
// sentence words), and the numbers are formatted in place. report-writer.ts uses it for compact
// output; test/report-writer.test.ts holds the result to JSON.stringify of reportJson.

import { QUOTIENT_SLOT } from '../codegen/program.ts';
import { ruleSourceOf, ruleSourceText, scopeVersionName } from '../versions.ts';
import type { Program } from '../compile.ts';
import { SLOT_WIDTH, type CompiledSubjectResult } from '../compiled-subject.ts';
import { Decimal } from '../decimal.ts';
import { Quotient } from '../quotient.ts';
import { sentenceOf, sentencePeriod } from '../report.ts';
import { jsonNumberText, quotientParts, roundedParts } from './display.ts';
import { copyAt, escapedBytes, writeFixedAt, writeInteger, writeScaledAt, type JsonWriter } from './json-writer.ts';

const utf8 = new TextEncoder();
const bytesOf = (text: string) => utf8.encode(text);

/** Room for one number in the buffer: digits, sign, point, or the quoted exact text of a huge one. */
const NUMBER_ROOM = 64;

/** A program's prepared bytes for compact output. */
export interface CompactNames {
  /** Per measure: its key with a colon, with and without a comma before it. */
  readonly first: readonly Uint8Array[];
  readonly next: readonly Uint8Array[];
  /** Per grouped measure: `{"key":` and `,"key":` for each of its keys. */
  readonly groupFirst: readonly (readonly Uint8Array[])[];
  readonly groupNext: readonly (readonly Uint8Array[])[];
  /** The most bytes one scope's measures take. */
  readonly scopeRoom: number;
  /** Per requirement (by index) and loop key (by index; 0 without a loop): a violation's opening. */
  readonly violationHead: readonly (readonly ViolationHead[])[];
  readonly firstPeriod: number;
}

export interface ViolationHead {
  /** `{"rule":"…","key":"…","article":"…","<period>":` */
  readonly open: Uint8Array;
  /** The sentence's fixed parts, escaped and encoded. */
  readonly words: readonly Uint8Array[];
  /**
   * The violation's last bytes, by scope (periods, then the cycle): its version, if named, and
   * for a fork where its rule is written.
   */
  readonly close: readonly Uint8Array[];
  /** The most bytes the violation takes, its numbers included. */
  readonly room: number;
}

const names = new WeakMap<Program, CompactNames>();

/** The prepared bytes of `program`, made on first use. */
export function compactNames(program: Program): CompactNames {
  let n = names.get(program);
  if (n) return n;
  const member = (key: string, comma: boolean) => bytesOf(`${comma ? ',' : ''}${JSON.stringify(key)}:`);
  const first = program.measures.map((m) => member(m.id, false));
  const next = program.measures.map((m) => member(m.id, true));
  const groupFirst = program.measures.map((m) => m.keys.map((k, i) => bytesOf(`${i === 0 ? '{' : ','}${JSON.stringify(k)}:`)));
  const groupNext = groupFirst;
  let scopeRoom = 2;
  program.measures.forEach((m, j) => {
    scopeRoom += next[j]!.length + 2 + (m.grouped ? groupFirst[j]!.reduce((s, b) => s + b.length + NUMBER_ROOM, 0) : NUMBER_ROOM);
  });
  const p = program.policy;
  // A violation ends with its message, and, in a policy of several versions, the version it was
  // checked under; in a fork, whose rule it is and where it is written.
  const closeOf = (rule: string) => [...program.periods, undefined].map((year) => {
    const version = scopeVersionName(p, year);
    const source = ruleSourceOf(p, year, rule);
    const members = `${version === undefined ? '' : `,"version":${JSON.stringify(version)}`}`
      + `${source === undefined ? '' : `,"origin":${JSON.stringify(source.origin)},"source":${JSON.stringify(ruleSourceText(source))}`}`;
    return members === '' ? CLOSE : bytesOf(`"${members}}`);
  });
  const violationHead = program.requirements.map((r) => {
    const close = closeOf(r.id);
    const closeRoom = Math.max(...close.map((c) => c.length));
    return (r.loopKeys ?? [undefined]).map((key): ViolationHead => {
      const open = bytesOf(`{"rule":${JSON.stringify(r.id)}${key === undefined ? '' : `,"key":${JSON.stringify(key)}`},"article":${JSON.stringify(r.cites.join('; '))},${JSON.stringify(p.period.name)}:`);
      const sentence = sentenceOf(p, { rule: r.id, key, label: r.labelFor(key), cites: r.cites, period: undefined, op: r.op, unit: r.unit, actual: undefined, required: undefined, problem: undefined });
      const words = sentence.fixed.map(escapedBytes);
      const room = open.length + 64 + words.reduce((s, b) => s + b.length, 0) + 6 * NUMBER_ROOM + 2 * 32 + closeRoom;
      return { open, words, close, room };
    });
  });
  n = { first, next, groupFirst, groupNext, scopeRoom, violationHead, firstPeriod: program.periods[0]! };
  names.set(program, n);
  return n;
}

/**
 * A compiled subject's measures of scope `c`, as members of the open object (`first`: they open
 * it). Compact output only; false, having written nothing, when the writer's buffer is too small.
 */
export function writeCompactScope(w: JsonWriter, e: CompactNames, s: CompiledSubjectResult, c: number, first: boolean): boolean {
  const n = s.numbers;
  const measures = s.program.measures;
  const slots = s.output.slot;
  let p = w.reserve(e.scopeRoom);
  if (p < 0) return false;
  const b = w.buffer;
  for (let j = 0; j < measures.length; j++) {
    p = copyAt(b, p, first && j === 0 ? e.first[j]! : e.next[j]!);
    let o = s.at(c, slots[j]!);
    const m = measures[j]!;
    if (m.grouped) {
      const keys = e.groupFirst[j]!;
      for (let k = 0; k < keys.length; k++, o += SLOT_WIDTH) {
        p = copyAt(b, p, keys[k]!);
        p = writeNumber(b, p, n[o]!, n[o + 1]!);
      }
      b[p++] = 0x7d;
      continue;
    }
    if (n[o + 1] === QUOTIENT_SLOT) {
      const r = quotientParts(n[o + 2]!, n[o + 3]!, n[o + 4]!, n[o + 5]!);
      p = r === r ? writeScaledAt(b, p, r) : copyAt(b, p, bytesOf(jsonNumberText(new Quotient(Decimal.fromSafe(n[o + 2]!, n[o + 3]!), Decimal.fromSafe(n[o + 4]!, n[o + 5]!)))));
    } else p = writeNumber(b, p, n[o]!, n[o + 1]!);
  }
  w.wrote(p);
  return true;
}

/** `m / 10^s` rounded for display, at `p`. */
function writeNumber(b: Uint8Array, p: number, m: number, s: number): number {
  const r = roundedParts(m, s);
  return r === r ? writeScaledAt(b, p, r) : copyAt(b, p, bytesOf(jsonNumberText(Decimal.fromSafe(m, s))));
}

/**
 * Writes the violation at `o` of a compiled subject's violation data (see VIOLATION_WIDTH) as
 * the next element of the open array, when it can be written from prepared bytes (a requirement
 * that was checked, numbers of the fast form); false, having written nothing, otherwise.
 * Compact output only.
 */
export function writeCompactViolation(w: JsonWriter, e: CompactNames, data: Float64Array, o: number): boolean {
  // A value that could not be worked out, or a yes/no requirement: written the general way.
  if (data[o + 7]! !== -1) return false;
  const head = e.violationHead[data[o]!]![data[o + 1]!]!;
  const actual = roundedParts(data[o + 3]!, data[o + 4]!);
  const required = roundedParts(data[o + 5]!, data[o + 6]!);
  if (actual !== actual || required !== required) return false;
  const period = data[o + 2]!;
  const comma = !w.atStart;
  let at = w.reserve(head.room);
  if (at < 0) return false;
  const b = w.buffer;
  if (comma) b[at++] = 0x2c;
  w.wrote(writeViolationAt(b, at, head.open, head, period, actual, required, e.firstPeriod));
  return true;
}

/**
 * A violation's JSON object at `at`, from `open` (its members up to the period's key and colon)
 * to its closing brace: the period (-1: the cycle, null), `actual` and `required` (`r / 100`, see
 * roundedParts), the message from the prepared sentence of `head`, and `head`'s closing members
 * for the period's scope (`firstPeriod`: the program's first). Returns the end. The diff's
 * violations (engine/diff/changed-writer.ts) differ from the report's only in `open`.
 */
export function writeViolationAt(
  b: Uint8Array, at: number, open: Uint8Array, head: ViolationHead, period: number, actual: number, required: number, firstPeriod: number,
): number {
  at = copyAt(b, at, open);
  if (period < 0) at = copyAt(b, at, NULL);
  else at = writeInteger(b, at, period);
  at = copyAt(b, at, ACTUAL);
  at = writeScaledAt(b, at, actual);
  at = copyAt(b, at, REQUIRED);
  at = writeScaledAt(b, at, required);
  at = copyAt(b, at, MESSAGE);
  at = writeSentenceAt(b, at, head.words, period, actual, required);
  return copyAt(b, at, head.close[period < 0 ? head.close.length - 1 : period - firstPeriod]!);
}

/**
 * A violation's message, inside its string literal, at `at`: the sentence's prepared `words`
 * with the period (-1: the cycle) and the numbers (`r / 100`, see roundedParts) in the order
 * violationMessage (report.ts) words it. Returns the end.
 */
function writeSentenceAt(b: Uint8Array, at: number, words: readonly Uint8Array[], period: number, actual: number, required: number): number {
  at = copyAt(b, at, words[0]!);
  at = copyAt(b, at, periodZh(period < 0 ? undefined : period));
  at = copyAt(b, at, words[1]!);
  at = writeFixedAt(b, at, actual);
  at = copyAt(b, at, words[2]!);
  at = writeFixedAt(b, at, required);
  at = copyAt(b, at, words[3]!);
  if (period < 0) at = copyAt(b, at, CYCLE_EN);
  else at = writeInteger(b, at, period);
  at = copyAt(b, at, words[4]!);
  at = writeFixedAt(b, at, actual);
  at = copyAt(b, at, words[5]!);
  at = writeFixedAt(b, at, required);
  return copyAt(b, at, words[6]!);
}

const NULL = bytesOf('null');
const ACTUAL = bytesOf(',"actual":');
const REQUIRED = bytesOf(',"required":');
const MESSAGE = bytesOf(',"message":"');
const CLOSE = bytesOf('"}');
const CYCLE_EN = escapedBytes(sentencePeriod(undefined).en);

/** The periods' names in Chinese ("2017年"), escaped and encoded once. */
const zh = new Map<number | undefined, Uint8Array>();
function periodZh(period: number | undefined): Uint8Array {
  let b = zh.get(period);
  if (!b) zh.set(period, (b = escapedBytes(sentencePeriod(period).zh)));
  return b;
}
