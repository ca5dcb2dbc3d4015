// The subjects met so far, numbered in order of appearance and found by the bytes of their id:
// a record finds its subject without making a string of the id; a string is made once, when the
// subject first appears.

import { UNSET, type Slot, type SubjectContext } from './frame.ts';
import { ByteKeyTable } from './key-table.ts';
import { decodeText } from './row-decoder.ts';
import type { Value } from './values.ts';

/** Subjects a new table has room for before its columns first grow. */
const INITIAL_ROOM = 1024;

/**
 * Every subject's id, facts and counters, by subject number.
 *
 * The counters are typed-array columns, not arrays of numbers and booleans: a province's subjects
 * file adds hundreds of thousands of subjects, and one array push per column per subject (each
 * array growing and copying on its own) cost more than the rest of reading the file. A column is
 * replaced when the table grows, so it is always indexed through the table, never kept.
 */
export class SubjectTable {
  readonly ids: string[] = [];
  /**
   * The line of the subject's row in the subjects file when it was listed there, 0 when it was
   * not (lines start at 1, so 0 is never a line).
   */
  listedOn = new Float64Array(INITIAL_ROOM);
  /** 1 when the subject is outside a fork's own subjects (then it has no results). */
  outside = new Uint8Array(INITIAL_ROOM);
  /**
   * The line of the subject's row in the subjects file when that row was rejected (0 when it was
   * not): its facts are unknown, so its records cannot be evaluated.
   */
  rejectedOn = new Float64Array(INITIAL_ROOM);
  /** Rows evaluated, and of those the ones that count for nothing. */
  evaluated = new Float64Array(INITIAL_ROOM);
  disregarded = new Float64Array(INITIAL_ROOM);
  private readonly fields: (readonly Value[])[] = [];
  private readonly lets: (Slot[] | undefined)[] = [];
  private readonly table = new ByteKeyTable();
  private readonly noFields: readonly Value[];
  // The last subject looked up: exports list a subject's records together, so most lookups are it.
  private readonly last = new Uint8Array(64);
  private lastLength = -1;
  private lastIndex = -1;

  /**
   * @param fieldCount - fields of a subject (all missing for a subject not in the subjects file).
   * @param letCount - lets of the program, for the interpreter's per-subject cache.
   * @param onNew - called with the number of each new subject.
   */
  constructor(
    fieldCount: number,
    private readonly letCount: number,
    private readonly onNew: (index: number) => void,
  ) {
    this.noFields = new Array<Value>(fieldCount).fill(undefined);
  }

  /** Number of subjects. */
  get size(): number {
    return this.ids.length;
  }

  /** Whether subject `i` is in the subjects file. */
  listed(i: number): boolean {
    return this.listedOn[i]! > 0;
  }

  /**
   * The line of the subjects-file row that owns subject `i`'s id — the first row with it, listed
   * or rejected — or 0 when no row of the subjects file has it.
   */
  ownerLine(i: number): number {
    return this.listedOn[i]! || this.rejectedOn[i]!;
  }

  /** The number of the subject whose id is `bytes[a, b)`, adding it if it is new. */
  indexOf(bytes: Uint8Array, a: number, b: number): number {
    const len = b - a;
    const last = this.last;
    if (len === this.lastLength) {
      let same = true;
      for (let k = 0; k < len; k++) {
        if (last[k] !== bytes[a + k]) {
          same = false;
          break;
        }
      }
      if (same) return this.lastIndex;
    }
    let i = this.table.getOrAdd(bytes, a, b, this.ids.length);
    if (i < 0) i = this.add(decodeText(bytes, a, b));
    if (len <= last.length) {
      // A loop, not set(subarray): no view object per lookup.
      for (let k = 0; k < len; k++) last[k] = bytes[a + k]!;
      this.lastLength = len;
      this.lastIndex = i;
    }
    return i;
  }

  private add(id: string): number {
    const i = this.ids.length;
    if (i === this.evaluated.length) this.grow();
    this.ids.push(id);
    this.fields.push(this.noFields);
    this.lets.push(undefined);
    this.onNew(i);
    return i;
  }

  private grow(): void {
    const room = this.evaluated.length * 2;
    const widened = <T extends Float64Array | Uint8Array>(column: T, make: (n: number) => T): T => {
      const next = make(room);
      next.set(column);
      return next;
    };
    this.listedOn = widened(this.listedOn, (n) => new Float64Array(n));
    this.outside = widened(this.outside, (n) => new Uint8Array(n));
    this.rejectedOn = widened(this.rejectedOn, (n) => new Float64Array(n));
    this.evaluated = widened(this.evaluated, (n) => new Float64Array(n));
    this.disregarded = widened(this.disregarded, (n) => new Float64Array(n));
  }

  /** The rows evaluated per subject, and of those disregarded, as arrays of the table's size. */
  counts(): { readonly evaluated: number[]; readonly disregarded: number[] } {
    return { evaluated: Array.from(this.evaluated.subarray(0, this.size)), disregarded: Array.from(this.disregarded.subarray(0, this.size)) };
  }

  /** Records the subjects file's facts about subject `i`, from its row on `line`. */
  list(i: number, fields: readonly Value[], line: number): void {
    this.listedOn[i] = line;
    this.fields[i] = fields;
  }

  /** The subject's facts. */
  fieldsOf(i: number): readonly Value[] {
    return this.fields[i]!;
  }

  /** What the interpreter's rules see of subject `i`. */
  context(i: number): SubjectContext {
    const lets = (this.lets[i] ??= new Array<Slot>(this.letCount).fill(UNSET));
    return { fields: this.fields[i]!, lets };
  }
}
