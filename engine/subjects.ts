// The subjects met so far, numbered in order of appearance and found by the bytes of their id:
// a record finds its subject without making a string of the id; a string is made once, when the
// subject first appears.

import { UNSET, type Slot, type SubjectContext } from './frame.ts';
import { ByteKeyTable } from './key-table.ts';
import { decodeText } from './row-decoder.ts';
import type { Value } from './values.ts';

/** Every subject's id, facts and counters, by subject number. */
export class SubjectTable {
  readonly ids: string[] = [];
  /** Whether the subject is in the subjects file. */
  readonly listed: boolean[] = [];
  /** Whether the subject is outside a fork's own subjects (then it has no results). */
  readonly outside: boolean[] = [];
  /**
   * The line of the subject's row in the subjects file when that row was rejected (0 when it was
   * not): its facts are unknown, so its records cannot be evaluated.
   */
  readonly rejectedOn: number[] = [];
  /** Rows evaluated, and of those the ones that count for nothing. */
  readonly evaluated: number[] = [];
  readonly disregarded: number[] = [];
  private readonly fields: (readonly Value[])[] = [];
  private readonly lets: (Slot[] | undefined)[] = [];
  private readonly table = new ByteKeyTable();
  private readonly noFields: readonly Value[];
  // The last subject looked up: exports list a subject's records together, so most lookups are it.
  private last = new Uint8Array(64);
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

  /** The number of the subject whose id is `bytes[a, b)`, adding it if it is new. */
  indexOf(bytes: Uint8Array, a: number, b: number): number {
    const len = b - a;
    if (len === this.lastLength) {
      let same = true;
      const last = this.last;
      for (let k = 0; k < len; k++) {
        if (last[k] !== bytes[a + k]) {
          same = false;
          break;
        }
      }
      if (same) return this.lastIndex;
    }
    let i = this.table.getOrAdd(bytes, a, b, this.ids.length);
    if (i < 0) {
      i = this.ids.length;
      this.ids.push(decodeText(bytes, a, b));
      this.listed.push(false);
      this.outside.push(false);
      this.rejectedOn.push(0);
      this.evaluated.push(0);
      this.disregarded.push(0);
      this.fields.push(this.noFields);
      this.lets.push(undefined);
      this.onNew(i);
    }
    if (len <= this.last.length) {
      this.last.set(bytes.subarray(a, b));
      this.lastLength = len;
      this.lastIndex = i;
    }
    return i;
  }

  /** Records the subjects file's facts about subject `i`. */
  list(i: number, fields: readonly Value[]): void {
    this.listed[i] = true;
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
