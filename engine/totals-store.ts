/**
 * Every subject's totals, in typed arrays: for each subject, one scope per period of the cycle plus
 * one for records in scope outside the periods, and in each scope one slot per total (a plain sum,
 * or one per key of a grouped sum). A slot holds an exact decimal as a safe-integer mantissa
 * (Float64Array) and a scale (Uint8Array); a total that outgrows that form moves, exactly, to a
 * Decimal kept aside, which only absurd inputs ever need.
 *
 * Struct of arrays in blocks of subjects: no object per subject or per total, nothing copied when
 * the number of subjects grows, and memory proportional to subjects, not to rows.
 */
import { Decimal } from './decimal.ts';
import { MAX_FAST_SCALE, POW10 } from './row-decoder.ts';

/** Subjects per block: 2^10. */
const BLOCK_BITS = 10;
const BLOCK = 1 << BLOCK_BITS;
/** The scale byte of a slot whose value is held as a Decimal in `big`. */
export const BIG_SCALE = 255;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Totals of every subject, by subject index, scope and slot. */
export class TotalsStore {
  /** Slots per subject. */
  readonly stride: number;
  private readonly mBlocks: Float64Array[] = [];
  private readonly sBlocks: Uint8Array[] = [];
  /** Values beyond the fast form, by global slot number. */
  private readonly big = new Map<number, Decimal>();

  /**
   * @param width - slots per scope.
   * @param scopes - scopes per subject.
   */
  constructor(
    readonly width: number,
    readonly scopes: number,
  ) {
    this.stride = width * scopes;
  }

  /** Makes room for subject `subject` (subjects are numbered 0, 1, 2, … as they first appear). */
  ensure(subject: number): void {
    const b = subject >>> BLOCK_BITS;
    while (this.mBlocks.length <= b) {
      this.mBlocks.push(new Float64Array(BLOCK * this.stride));
      this.sBlocks.push(new Uint8Array(BLOCK * this.stride));
    }
  }

  /** The block of mantissas holding subject `subject`'s totals (for generated code; see {@link offset}). */
  mantissas(subject: number): Float64Array {
    return this.mBlocks[subject >>> BLOCK_BITS]!;
  }

  /** The block of scales holding subject `subject`'s totals. */
  scales(subject: number): Uint8Array {
    return this.sBlocks[subject >>> BLOCK_BITS]!;
  }

  /** Where subject `subject`'s scope `scope` begins in its blocks. */
  offset(subject: number, scope: number): number {
    return (subject & (BLOCK - 1)) * this.stride + scope * this.width;
  }

  /** Adds `m / 10^s` (a safe-integer mantissa, `s` ≤ 22) to a slot. */
  add(subject: number, scope: number, slot: number, m: number, s: number): void {
    if (m === 0) return;
    const mb = this.mBlocks[subject >>> BLOCK_BITS]!;
    const sb = this.sBlocks[subject >>> BLOCK_BITS]!;
    const o = (subject & (BLOCK - 1)) * this.stride + scope * this.width + slot;
    const S = sb[o]!;
    if (S !== BIG_SCALE) {
      const M = mb[o]!;
      if (S === s) {
        const r = M + m;
        if (r <= MAX_SAFE && r >= -MAX_SAFE) {
          mb[o] = r;
          return;
        }
      } else if (S > s) {
        const a = m * POW10[S - s]!;
        const r = M + a;
        if (a <= MAX_SAFE && a >= -MAX_SAFE && r <= MAX_SAFE && r >= -MAX_SAFE) {
          mb[o] = r;
          return;
        }
      } else {
        const a = M * POW10[s - S]!;
        const r = a + m;
        if (a <= MAX_SAFE && a >= -MAX_SAFE && r <= MAX_SAFE && r >= -MAX_SAFE) {
          mb[o] = r;
          sb[o] = s;
          return;
        }
      }
    }
    this.set(subject, scope, slot, this.get(subject, scope, slot).add(Decimal.fromSafe(m, s)));
  }

  /** Adds any exact decimal to a slot. */
  addDecimal(subject: number, scope: number, slot: number, d: Decimal): void {
    if (!d.isZero()) this.set(subject, scope, slot, this.get(subject, scope, slot).add(d));
  }

  /** Sets a slot: in the fast form when the value fits it, else as a Decimal kept aside. */
  private set(subject: number, scope: number, slot: number, value: Decimal): void {
    const b = subject >>> BLOCK_BITS;
    const o = (subject & (BLOCK - 1)) * this.stride + scope * this.width + slot;
    const key = b * BLOCK * this.stride + o;
    const m = value.safeMantissa;
    if (m !== undefined && value.scale <= MAX_FAST_SCALE) {
      this.mBlocks[b]![o] = m;
      this.sBlocks[b]![o] = value.scale;
      this.big.delete(key);
    } else {
      this.mBlocks[b]![o] = 0;
      this.sBlocks[b]![o] = BIG_SCALE;
      this.big.set(key, value);
    }
  }

  /** A slot's exact value. */
  get(subject: number, scope: number, slot: number): Decimal {
    const sb = this.sBlocks[subject >>> BLOCK_BITS]!;
    const o = (subject & (BLOCK - 1)) * this.stride + scope * this.width + slot;
    const S = sb[o]!;
    if (S === BIG_SCALE) return this.big.get((subject >>> BLOCK_BITS) * BLOCK * this.stride + o)!;
    return Decimal.fromSafe(this.mBlocks[subject >>> BLOCK_BITS]![o]!, S);
  }

  /**
   * The raw fast form of a slot for compiled code: the mantissa, with the scale written to
   * `scaleOut[0]`, or NaN when the value is held as a Decimal (read it with {@link get}).
   */
  raw(subject: number, scope: number, slot: number, scaleOut: Int32Array): number {
    const sb = this.sBlocks[subject >>> BLOCK_BITS]!;
    const o = (subject & (BLOCK - 1)) * this.stride + scope * this.width + slot;
    const S = sb[o]!;
    if (S === BIG_SCALE) return NaN;
    scaleOut[0] = S;
    return this.mBlocks[subject >>> BLOCK_BITS]![o]!;
  }

  /**
   * Copies a subject's totals of one scope into `M`/`S` (by slot), for generated code. False when
   * a slot is held as a Decimal (the interpreter must take the subject).
   */
  loadScope(subject: number, scope: number, M: Float64Array, S: Int32Array): boolean {
    const mb = this.mBlocks[subject >>> BLOCK_BITS]!;
    const sb = this.sBlocks[subject >>> BLOCK_BITS]!;
    const o = (subject & (BLOCK - 1)) * this.stride + scope * this.width;
    for (let k = 0; k < this.width; k++) {
      const s = sb[o + k]!;
      if (s === BIG_SCALE) return false;
      M[k] = mb[o + k]!;
      S[k] = s;
    }
    return true;
  }

  /**
   * The sums of a subject's totals over `scopes` into `M`/`S`: every scope for the cycle, or one
   * cycle's periods of a repeating cycle. False when a slot is held as a Decimal or a sum leaves
   * the fast form.
   */
  loadScopes(subject: number, scopes: readonly number[], M: Float64Array, S: Int32Array): boolean {
    const mb = this.mBlocks[subject >>> BLOCK_BITS]!;
    const sb = this.sBlocks[subject >>> BLOCK_BITS]!;
    const base = (subject & (BLOCK - 1)) * this.stride;
    for (let k = 0; k < this.width; k++) {
      let m = 0;
      let s = 0;
      for (const scope of scopes) {
        const o = base + scope * this.width + k;
        const ts = sb[o]!;
        if (ts === BIG_SCALE) return false;
        const tm = mb[o]!;
        if (tm === 0) continue;
        if (ts === s) m += tm;
        else if (ts > s) {
          const a = m * POW10[ts - s]!;
          if (a > MAX_SAFE || a < -MAX_SAFE) return false;
          m = a + tm;
          s = ts;
        } else {
          const b = tm * POW10[s - ts]!;
          if (b > MAX_SAFE || b < -MAX_SAFE) return false;
          m += b;
        }
        if (m > MAX_SAFE || m < -MAX_SAFE) return false;
      }
      M[k] = m;
      S[k] = s;
    }
    return true;
  }

  /** Everything held, for another evaluation to add in (see {@link addPart}). */
  exportAll(subjects: number): { readonly m: Float64Array[]; readonly s: Uint8Array[]; readonly big: [number, string][] } {
    const blocks = Math.ceil(subjects / BLOCK);
    return {
      m: this.mBlocks.slice(0, blocks), s: this.sBlocks.slice(0, blocks),
      big: [...this.big].map(([k, d]) => [k, d.toString()]),
    };
  }

  /**
   * Adds the totals of another store's subject `from` (exported by {@link exportAll}, same
   * layout) to this store's subject `to`, exactly.
   */
  addSubjectFrom(part: { readonly m: readonly Float64Array[]; readonly s: readonly Uint8Array[]; readonly big: ReadonlyMap<number, Decimal> }, from: number, to: number): void {
    const mb = part.m[from >>> BLOCK_BITS]!;
    const sb = part.s[from >>> BLOCK_BITS]!;
    const base = (from & (BLOCK - 1)) * this.stride;
    for (let scope = 0; scope < this.scopes; scope++) {
      for (let slot = 0; slot < this.width; slot++) {
        const o = base + scope * this.width + slot;
        const s = sb[o]!;
        if (s === BIG_SCALE) this.addDecimal(to, scope, slot, part.big.get((from >>> BLOCK_BITS) * BLOCK * this.stride + o)!);
        else if (mb[o] !== 0) this.add(to, scope, slot, mb[o]!, s);
      }
    }
  }

  /** Bytes held, for the memory accounting of benchmarks. */
  get bytes(): number {
    return this.mBlocks.length * BLOCK * this.stride * 9;
  }
}
