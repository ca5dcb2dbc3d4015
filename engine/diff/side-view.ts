// One side's subject as the diff's merge compares it: its cycle-level number measures and its
// violations in flat scratch arrays, filled straight from a compiled result's numbers (no Decimal,
// Violation or string made per subject) or, for a subject the interpreter worked out, from its
// values. Numbers are held as a safe-integer mantissa and scale where they fit, else as a Decimal.

import type { Program } from '../compile.ts';
import { CompiledSubjectResult, SLOT_WIDTH, VIOLATION_WIDTH } from '../compiled-subject.ts';
import { QUOTIENT_SLOT } from '../codegen/program.ts';
import { Decimal } from '../decimal.ts';
import { quotientParts, roundedForDisplay } from '../output/display.ts';
import { Quotient } from '../quotient.ts';
import type { MeasureValue, SubjectResult, Violation } from '../results.ts';

/** How a number is held in a view: absent, as mantissa and scale, or as a Decimal. */
export const enum Held {
  None = 0,
  Safe = 1,
  Exact = 2,
}

/** Failures of one requirement × loop key × period (or window), over both sides (see RuleFailures). */
export interface Failures {
  rule: string; article: string | null; year: number | null; key: string | null;
  /** A window of `per N periods`, or undefined. */
  window: string | undefined;
  base_failures: number; head_failures: number; newly_failing: number; newly_passing: number;
  /** The merge's number of the last subject that failed it on base, on head, and whose base failure was counted as passing. */
  baseStamp: number; headStamp: number; passStamp: number;
}

/** Finds (or makes) the tally of a requirement, loop key and period, shared by both sides. */
export type FailuresOf = (rule: string, key: string | undefined, period: number | undefined, cites: readonly string[], window?: string) => Failures;

/**
 * The names of a program's cycle-level number measures (a grouped one's keys as `id.key`) and
 * how to read each: a measure's index, and a key's (undefined and -1: none).
 */
export interface MeasureNames {
  readonly names: readonly string[];
  readonly measure: readonly number[];
  readonly key: readonly (string | undefined)[];
  readonly keyIndex: readonly number[];
}

/** The {@link MeasureNames} of `program`, in its measures' order (a grouped one's keys in theirs). */
export function measureNames(program: Program): MeasureNames {
  const names: string[] = [];
  const measure: number[] = [];
  const key: (string | undefined)[] = [];
  const keyIndex: number[] = [];
  program.measures.forEach((m, j) => {
    if (m.grouped) {
      m.keys.forEach((k, i) => {
        names.push(`${m.id}.${k}`);
        measure.push(j);
        key.push(k);
        keyIndex.push(i);
      });
    } else {
      names.push(m.id);
      measure.push(j);
      key.push(undefined);
      keyIndex.push(-1);
    }
  });
  return { names, measure, key, keyIndex };
}

/** Scratch numbers: per index, how it is held, and its mantissa, scale or Decimal. */
export class Numbers {
  readonly held: Held[];
  readonly m: number[];
  readonly s: number[];
  readonly exact: (Decimal | undefined)[];

  /** Room for `n` numbers to begin with (more are added as they are set). */
  constructor(n = 0) {
    this.held = new Array<Held>(n).fill(Held.None);
    this.m = new Array<number>(n).fill(0);
    this.s = new Array<number>(n).fill(0);
    this.exact = new Array<Decimal | undefined>(n).fill(undefined);
  }

  setSafe(i: number, m: number, s: number): void {
    this.held[i] = Held.Safe;
    this.m[i] = m;
    this.s[i] = s;
  }

  set(i: number, d: Decimal | undefined): void {
    if (d === undefined) {
      this.held[i] = Held.None;
      return;
    }
    const m = d.safeMantissa;
    if (m !== undefined) this.setSafe(i, m, d.scale);
    else {
      this.held[i] = Held.Exact;
      this.exact[i] = d;
    }
  }

  /** The number at `i` as a Decimal (undefined when absent). */
  decimal(i: number): Decimal | undefined {
    const h = this.held[i];
    if (h === Held.Safe) return Decimal.fromSafe(this.m[i]!, this.s[i]!);
    return h === Held.Exact ? this.exact[i] : undefined;
  }
}

const P10: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** `m · 10^k` when it is a safe integer, else NaN. */
function scaleUp(m: number, k: number): number {
  if (k >= P10.length) return NaN;
  const r = m * P10[k]!;
  return r <= MAX_SAFE && r >= -MAX_SAFE ? r : NaN;
}

/** Whether `x[i]` and `y[j]` are the same number (or both absent): by value, as Decimal.eq. */
export function sameNumber(x: Numbers, i: number, y: Numbers, j: number): boolean {
  const hx = x.held[i];
  const hy = y.held[j];
  if (hx === Held.None || hy === Held.None) return hx === hy;
  if (hx === Held.Safe && hy === Held.Safe) {
    const sx = x.s[i]!;
    const sy = y.s[j]!;
    if (sx === sy) return x.m[i] === y.m[j];
    const a = sx < sy ? scaleUp(x.m[i]!, sy - sx) : x.m[i]!;
    const b = sy < sx ? scaleUp(y.m[j]!, sx - sy) : y.m[j]!;
    if (a === a && b === b) return a === b;
  }
  return x.decimal(i)!.eq(y.decimal(j)!);
}

/** `y[j] − x[i]` (both present) into `out[k]`, exactly. */
export function differenceInto(out: Numbers, k: number, x: Numbers, i: number, y: Numbers, j: number): void {
  if (x.held[i] === Held.Safe && y.held[j] === Held.Safe) {
    const sx = x.s[i]!;
    const sy = y.s[j]!;
    const s = sx > sy ? sx : sy;
    const a = scaleUp(x.m[i]!, s - sx);
    const b = scaleUp(y.m[j]!, s - sy);
    const d = b - a;
    if (d <= MAX_SAFE && d >= -MAX_SAFE) return out.setSafe(k, d, s);
  }
  out.set(k, y.decimal(j)!.sub(x.decimal(i)!));
}

/** One side of the merge: the subject being compared, in scratch arrays. */
export class SideView {
  readonly names: MeasureNames;
  /** The subject loaded (undefined: the side does not evaluate it). */
  subject: SubjectResult | undefined;
  /** Set when the violations are read from a compiled result's data (see VIOLATION_WIDTH). */
  compiled: CompiledSubjectResult | undefined;
  /** The cycle-level measures, by this side's measure name index. */
  readonly measures: Numbers;
  /** The violations: how many, each one's tally, numbers, missing value, and where it is in the compiled data. */
  count = 0;
  readonly failures: Failures[] = [];
  readonly actual = new Numbers();
  readonly required = new Numbers();
  readonly problem: (string | undefined)[] = [];
  readonly offset: number[] = [];
  /** A compiled result's tallies by requirement, loop key and scope (see failureAt). */
  private readonly cache: (Failures | undefined)[] = [];
  private readonly keys: number;
  private readonly scopes: number;

  constructor(
    readonly program: Program,
    private readonly failuresOf: FailuresOf,
  ) {
    this.names = measureNames(program);
    this.measures = new Numbers(this.names.names.length);
    this.keys = Math.max(1, ...program.requirements.map((r) => r.loopKeys?.length ?? 1));
    this.scopes = program.periods.length + 1;
  }

  /** Loads subject `s` (or none). */
  load(s: SubjectResult | undefined): void {
    this.subject = s;
    this.compiled = undefined;
    this.count = 0;
    if (!s) return;
    if (s instanceof CompiledSubjectResult && this.loadCompiled(s)) return;
    const n = this.names;
    const cycle = s.cycle;
    for (let i = 0; i < n.names.length; i++) this.measures.set(i, comparable(cycle[n.measure[i]!], n.key[i]));
    const vs = s.violations;
    for (let i = 0; i < vs.length; i++) this.addViolation(vs[i]!, i);
    this.count = vs.length;
  }

  /** A compiled result's violations (which must all have been checked) and measures, from its numbers. */
  private loadCompiled(s: CompiledSubjectResult): boolean {
    const d = s.violationData;
    // Violations named by their period's name, or one cycle's of several: read as the interpreter's.
    if (s.periodNames || s.cycleName !== undefined) return false;
    for (let o = 7; o < d.length; o += VIOLATION_WIDTH) if (d[o]! !== -1) return false;
    this.compiled = s;
    const n = this.names;
    const numbers = s.numbers;
    const slots = s.output.slot;
    const c = this.program.periods.length;
    for (let i = 0; i < n.names.length; i++) {
      const k = n.keyIndex[i]!;
      const o = s.at(c, slots[n.measure[i]!]!) + (k < 0 ? 0 : k * SLOT_WIDTH);
      if (numbers[o + 1] !== QUOTIENT_SLOT) {
        this.measures.setSafe(i, numbers[o]!, numbers[o + 1]!);
        continue;
      }
      // A quotient is compared by the value the report shows (as `comparable` does).
      const r = quotientParts(numbers[o + 2]!, numbers[o + 3]!, numbers[o + 4]!, numbers[o + 5]!);
      if (r === r) this.measures.setSafe(i, r, 2);
      else this.measures.set(i, new Quotient(Decimal.fromSafe(numbers[o + 2]!, numbers[o + 3]!), Decimal.fromSafe(numbers[o + 4]!, numbers[o + 5]!)).value().round(2));
    }
    const requirements = this.program.requirements;
    const first = this.program.periods[0]!;
    let i = 0;
    for (let o = 0; o < d.length; o += VIOLATION_WIDTH, i++) {
      const r = d[o]!;
      const k = d[o + 1]!;
      const period = d[o + 2]!;
      const at = (r * this.keys + k) * this.scopes + (period < 0 ? this.scopes - 1 : period - first);
      let f = this.cache[at];
      if (!f) {
        const req = requirements[r]!;
        this.cache[at] = f = this.failuresOf(req.id, req.loopKeys?.[k], period < 0 ? undefined : period, req.cites);
      }
      this.failures[i] = f;
      this.actual.setSafe(i, d[o + 3]!, d[o + 4]!);
      this.required.setSafe(i, d[o + 5]!, d[o + 6]!);
      this.problem[i] = undefined;
      this.offset[i] = o;
    }
    this.count = i;
    return true;
  }

  private addViolation(v: Violation, i: number): void {
    this.failures[i] = this.failuresOf(v.rule, v.key, v.period, v.cites, v.window);
    this.actual.set(i, v.actual);
    this.required.set(i, v.required);
    this.problem[i] = v.problem;
    this.offset[i] = -1;
  }

  /** Whether violation `i` here and `j` of `other` are the same: requirement, key, period, numbers and missing value. */
  sameViolation(i: number, other: SideView, j: number): boolean {
    return this.failures[i] === other.failures[j]
      && sameNumber(this.actual, i, other.actual, j)
      && sameNumber(this.required, i, other.required, j)
      && (this.problem[i] ?? '') === (other.problem[j] ?? '');
  }
}

/** A measure's number as compared: a decimal exactly; a quotient by the value the report shows. */
function comparable(v: MeasureValue | undefined, key: string | undefined): Decimal | undefined {
  if (v === undefined) return undefined; // the subject lacks a value the measure needs
  if (v instanceof Decimal) return v;
  if (v instanceof Quotient) {
    const r = roundedForDisplay(v);
    return r === r ? Decimal.fromSafe(r, 2) : v.value().round(2);
  }
  return key === undefined ? undefined : v.get(key);
}
