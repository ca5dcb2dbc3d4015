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
import { copyAt, writeFixedAt, writeScaledAt, type JsonWriter } from './json-writer.ts';

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

/**
 * A violation's prepared bytes. Its JSON is `open`, then by scope (periods, then the cycle; see
 * writeViolationAt) `lead` (the period and the key before the actual value), the actual value,
 * `,"required":` and the required value, `say` (the message up to its first number), the actual
 * and required values in words[2]'s frame, `mid`, the two values again around words[5], `close`.
 */
export interface ViolationHead {
  /** `{"rule":"…","key":"…","article":"…","<period>":` */
  readonly open: Uint8Array;
  /** The sentence's fixed parts, escaped and encoded. */
  readonly words: readonly Uint8Array[];
  /** By scope: `<period or null>,"actual":`. */
  readonly lead: readonly Uint8Array[];
  /** By scope: `,"message":"` and the sentence up to its first number (its period in Chinese). */
  readonly say: readonly Uint8Array[];
  /** By scope: the sentence between its second and third numbers (its period in English). */
  readonly mid: readonly Uint8Array[];
  /**
   * By scope: the sentence's end, then the violation's last members — its version, if named,
   * and for a fork where its rule is written.
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
  const scopes = [...program.periods, undefined];
  const membersOf = (rule: string) => scopes.map((year) => {
    const version = scopeVersionName(p, year);
    const source = ruleSourceOf(p, year, rule);
    return `${version === undefined ? '' : `,"version":${JSON.stringify(version)}`}`
      + `${source === undefined ? '' : `,"origin":${JSON.stringify(source.origin)},"source":${JSON.stringify(ruleSourceText(source))}`}`;
  });
  const lead = scopes.map((year) => bytesOf(`${year === undefined ? 'null' : year},"actual":`));
  const violationHead = program.requirements.map((r) => {
    const members = membersOf(r.id);
    return (r.loopKeys ?? [undefined]).map((key): ViolationHead => {
      const open = bytesOf(`{"rule":${JSON.stringify(r.id)}${key === undefined ? '' : `,"key":${JSON.stringify(key)}`},"article":${JSON.stringify(r.cites.join('; '))},${JSON.stringify(p.period.name)}:`);
      const sentence = sentenceOf(p, { rule: r.id, key, label: r.labelFor(key), cites: r.cites, period: undefined, op: r.op, unit: r.unit, actual: undefined, required: undefined, problem: undefined });
      const words = sentence.fixed.map((w) => JSON.stringify(w).slice(1, -1));
      // The sentence's parts as violationMessage (report.ts) words it, each scope's period in.
      const say = scopes.map((year) => bytesOf(`,"message":"${words[0]}${escaped(sentencePeriod(year).zh)}${words[1]}`));
      const mid = scopes.map((year) => bytesOf(`${words[3]}${year === undefined ? escaped(sentencePeriod(undefined).en) : year}${words[4]}`));
      const close = members.map((m) => bytesOf(`${words[6]}"${m}}`));
      const most = (parts: readonly Uint8Array[]) => Math.max(...parts.map((b) => b.length));
      const room = open.length + most(lead) + most(say) + most(mid) + most(close) + bytesOf(`${words[2]}${words[5]}`).length + REQUIRED.length + 6 * NUMBER_ROOM;
      return { open, words: words.map(bytesOf), lead, say, mid, close, room };
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
  const scope = period < 0 ? head.close.length - 1 : period - firstPeriod;
  const words = head.words;
  at = copyAt(b, at, open);
  at = copyAt(b, at, head.lead[scope]!);
  at = writeScaledAt(b, at, actual);
  at = copyAt(b, at, REQUIRED);
  at = writeScaledAt(b, at, required);
  at = copyAt(b, at, head.say[scope]!);
  at = writeFixedAt(b, at, actual);
  at = copyAt(b, at, words[2]!);
  at = writeFixedAt(b, at, required);
  at = copyAt(b, at, head.mid[scope]!);
  at = writeFixedAt(b, at, actual);
  at = copyAt(b, at, words[5]!);
  at = writeFixedAt(b, at, required);
  return copyAt(b, at, head.close[scope]!);
}

const REQUIRED = bytesOf(',"required":');

/** Text as it stands inside a JSON string literal. */
function escaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
