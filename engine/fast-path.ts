// The generated program (codegen/) at work: the typed arrays it reads and writes, shared with
// the evaluation, and the translation of what it leaves there into results. Whatever it cannot
// do — a shape the generator does not take, a number beyond the fast form — the caller hands to
// the interpreter, so a result never depends on which of the two ran.

import { calendarPeriodName, isYearly, windowLastDay, windowPeriodName, type SubjectWindow } from '../dsl/index.ts';
import { scopeVersionOn } from './versions.ts';
import type { Program } from './compile.ts';
import { generateProgram, QUOTIENT_SLOT, windowSizes, type OutputLayout } from './codegen/program.ts';
import { windowsOf } from './windows.ts';
import { helpers, MISSING, OVERFLOW, REG, WHAT } from './codegen/runtime.ts';
import { Unsupported } from './codegen/expr.ts';
import { CONDITION_UNMET, SLOT_WIDTH, VIOLATION_WIDTH } from './compiled-subject.ts';
import { distinctKey, type DistinctValues } from './distinct-values.ts';
import type { Decimal } from './decimal.ts';
import { dateNumber, MAX_FAST_SCALE, POW10, type RowDecoder } from './row-decoder.ts';
import type { TotalsStore } from './totals-store.ts';
import type { Value } from './values.ts';

/** What running a record through the generated code came to, beyond an outcome's index. */
export const enum FastStep {
  Counted = -1,
  /** A rule needed a missing value: `stage` and `missingWhat` say which rule and which value. */
  Missing = -2,
  /** A number left the fast form: run the record through the interpreter instead. */
  Overflow = -3,
}

/**
 * Where the generated code leaves a counted record's contributions, per aggregate: the slot of
 * its scope it added to (-1: none), and the amount as mantissa and scale (see Layout.observe).
 */
export interface RowContributions {
  readonly slot: Int32Array;
  readonly m: Float64Array;
  readonly s: Int32Array;
}

interface Generated {
  record(subject: number, period: number, M: Float64Array, S: Uint8Array, offset: number, version: number): number;
  periodScope(subject: number, period: number, version: number): void;
  cycleScope(subject: number, version: number): void;
  /** Where the next scope's measures go: `numbers`, from `base` (SLOT_WIDTH numbers per output slot). */
  OUT(numbers: Float64Array, base: number): void;
  /** Per size of window (`per N periods`, in order of first appearance): its requirements' checks. */
  windowScopes: readonly ((subject: number, version: number) => void)[];
  stage(): number;
}

/** The generated program of one policy, and the arrays it works on. */
/** A generated program's factory: called with the runtime, it gives the program's functions. */
type Factory = (rt: unknown) => Generated;

/** Factories kept by their source (EvaluationOptions.reuseCode), the latest last. */
const FACTORIES = new Map<string, Factory>();
const MAX_FACTORIES = 4;

/**
 * The factory of `source`. With `reuse`, one made before for the same source is given again:
 * the functions it makes share what the JavaScript engine learnt and optimised running them
 * (closures made at one place of one function share their feedback), so an evaluation after an
 * edit that changed only the policy's numbers (read from the pool N) starts with warm code.
 */
function factoryOf(source: string, reuse: boolean): Factory {
  const kept = reuse ? FACTORIES.get(source) : undefined;
  if (kept) {
    FACTORIES.delete(source);
    FACTORIES.set(source, kept);
    return kept;
  }
  const made = new Function('rt', source) as Factory;
  if (reuse) {
    FACTORIES.set(source, made);
    if (FACTORIES.size > MAX_FACTORIES) FACTORIES.delete(FACTORIES.keys().next().value!);
  }
  return made;
}

export class FastPath {
  /** The totals of the scope being checked, by slot. */
  readonly TM: Float64Array;
  readonly TS: Int32Array;
  /** Per period, its totals as they were when it was worked out (only for a sum over the periods). */
  private readonly PTM: Float64Array[] = [];
  private readonly PTS: Int32Array[] = [];
  /** Where the last scope's measures went (for endCycle): the numbers and the scope's first. */
  private lastNumbers: Float64Array = new Float64Array(0);
  private lastBase = 0;
  // The subjects' facts as columns, by field then subject number.
  private readonly SM: number[][];
  private readonly SS: number[][];
  private readonly SC: number[][];
  private readonly ST: (string | undefined)[][];
  /** Subjects with a fact beyond the fast form: their records and requirements are interpreted. */
  private readonly bigSubject: boolean[] = [];
  private readonly fns: Generated;
  private readonly constants: readonly unknown[];
  private readonly output: OutputLayout;
  /**
   * The current subject's violations, {@link VIOLATION_WIDTH} numbers each (see
   * CompiledSubjectResult): no object per violation until someone asks for one.
   */
  private log = new Float64Array(64 * VIOLATION_WIDTH);
  private logLength = 0;
  private period: number | undefined;

  // The subject and scope of the record being run (for a sum that leaves the fast form).
  private recordSubject = 0;
  private recordScope = 0;

  private constructor(
    private readonly program: Program,
    generated: ReturnType<typeof generateProgram>,
    aggregateSlot: readonly number[],
    decoder: RowDecoder,
    private readonly totals: TotalsStore,
    private readonly distinct: DistinctValues,
    observe: RowContributions | undefined,
    reuse: boolean,
  ) {
    const totalsWidth = totals.width;
    this.TM = new Float64Array(totalsWidth);
    this.TS = new Int32Array(totalsWidth);
    // Each period's totals, kept for a sum over the periods in the cycle (see codegen/period-sums.ts).
    if (program.checked.periodSums.size > 0) {
      this.PTM = program.periods.map(() => new Float64Array(totalsWidth));
      this.PTS = program.periods.map(() => new Int32Array(totalsWidth));
    }
    const columns = () => program.subjectFields.map(() => [] as number[]);
    this.SM = columns();
    this.SS = columns();
    this.SC = columns();
    this.ST = program.subjectFields.map(() => []);
    this.constants = generated.constants;
    this.fieldsRead = [...generated.subjectFieldsRead].sort((a, b) => a - b);
    this.windowSizes = windowSizes(program);
    this.output = generated.output;
    this.cycleScopes = [...program.periods.map((_, k) => k), program.periods.length];
    this.cyclePeriods = program.periods.map((_, k) => k);
    this.previousM = new Float64Array(program.measures.length);
    this.previousS = new Int32Array(program.measures.length);
    // Periods of a calendar cycle other than its years are named, the same for every subject (a
    // cycle per subject names each subject's own: beginSubject).
    this.periodNames = isYearly(program.policy) || program.cycleField !== undefined ? undefined : program.periods.map((k) => calendarPeriodName(program.policy, k));
    this.scopeVersions = [...program.scopeVersions];
    this.distinctAggregates = program.aggregates.flatMap((a, i) => (a.distinct === undefined ? [] : [[i, aggregateSlot[i]!] as const]));
    const rt = {
      helpers, K: generated.constants, N: Float64Array.from(generated.numbers), P10: POW10,
      RM: decoder.m, RS: decoder.s, RC: decoder.code, RT: (i: number) => decoder.textOf(i),
      TM: this.TM, TS: this.TS, PTM: this.PTM, PTS: this.PTS, PN: program.periods, PVR: this.scopeVersions, PK: this.cyclePeriods,
      PST: this.previousState, PRM: this.previousM, PRS: this.previousS, ADD: (slot: number, m: number, s: number) => totals.add(this.recordSubject, this.recordScope, slot, m, s),
      SM: this.SM, SS: this.SS, SC: this.SC, ST: this.ST,
      CK: observe?.slot, CM: observe?.m, CS: observe?.s,
      V: (r: number, k: number, am: number, as: number, bm: number, bs: number) => this.violated(r, k, am, as, bm, bs),
      VM: (r: number, k: number, what: number) => this.unchecked(r, k, what),
      VC: (r: number, k: number, unmet: number) => this.logViolation(r, k, unmet, 0, 0, 0, CONDITION_UNMET),
      DV: (a: number) => {
        const v = decoder.value(program.aggregates[a]!.distinct!);
        distinct.add(this.recordSubject, this.recordScope, a, v === undefined ? undefined : distinctKey(v));
      },
    };
    // The factory is built from the typed AST only (codegen/program.ts): no text of the policy
    // is part of its source.
    this.fns = factoryOf(generated.source, reuse)(rt);
  }

  /**
   * The generated program of `program`, or undefined when the generator does not take its
   * shape (the interpreter then runs everything). With `observe`, each counted record's
   * contributions are left there too.
   */
  static create(
    program: Program, aggregateSlot: readonly number[], totals: TotalsStore, distinct: DistinctValues, decoder: RowDecoder,
    observe?: RowContributions, reuse = false,
  ): FastPath | undefined {
    try {
      const layout = { aggregateSlot, ...(observe ? { observe: true } : {}), ...(reuse ? { pooled: true } : {}) };
      return new FastPath(program, generateProgram(program, layout), aggregateSlot, decoder, totals, distinct, observe, reuse);
    } catch (e) {
      if (e instanceof Unsupported) return undefined;
      throw e;
    }
  }

  /** The generated source, for tests. */
  static source(program: Program, aggregateSlot: readonly number[]): string {
    return generateProgram(program, { aggregateSlot }).source;
  }

  // ── Subjects ─────────────────────────────────────────────────────────────────────────────────

  /** The subject fields the generated code reads: only theirs are kept in columns. */
  private readonly fieldsRead: readonly number[];

  /** A new subject, with every fact missing. */
  addSubject(): void {
    const read = this.fieldsRead;
    for (let k = 0; k < read.length; k++) {
      const f = read[k]!;
      this.SM[f]!.push(0);
      this.SS[f]!.push(-1);
      this.SC[f]!.push(-1);
      this.ST[f]!.push(undefined);
    }
    this.bigSubject.push(false);
  }

  /** The subjects file's facts about subject `i`. */
  setSubject(i: number, values: readonly Value[]): void {
    const fields = this.program.subjectFields;
    const read = this.fieldsRead;
    // A field the code never reads is not kept: not even a number beyond the fast form matters then.
    for (let k = 0; k < read.length; k++) {
      const f = read[k]!;
      const v = values[f];
      if (v === undefined) continue;
      const d = fields[f]!.decl;
      switch (d.type) {
        case 'number': {
          const m = (v as Decimal).safeMantissa;
          if (m === undefined || (v as Decimal).scale > MAX_FAST_SCALE) this.bigSubject[i] = true;
          else {
            this.SM[f]![i] = m;
            this.SS[f]![i] = (v as Decimal).scale;
          }
          continue;
        }
        case 'enum': this.SC[f]![i] = d.values.indexOf(v as string); continue;
        case 'bool': this.SC[f]![i] = v === true ? 1 : 0; continue;
        case 'date': this.SC[f]![i] = dateNumber(v as string); continue;
        case 'text': this.ST[f]![i] = v as string; continue;
      }
    }
  }

  /** Whether subject `i` must be interpreted (a fact of theirs is beyond the fast form). */
  interpreted(i: number): boolean {
    return this.bigSubject[i]!;
  }

  // ── Records ──────────────────────────────────────────────────────────────────────────────────

  /** After FastStep.Missing: the outcome or aggregate (numbered outcomes first) that needed it. */
  get stage(): number {
    return this.fns.stage();
  }

  /** After FastStep.Missing: the value that was missing. */
  get missingWhat(): string {
    return this.constants[REG[WHAT]!] as string;
  }

  /**
   * Runs the decoded record of subject `si`, dated in period `period`, whose totals are those of
   * scope `scope`: the index of the outcome rule that fired, or a {@link FastStep} (Counted: its
   * contributions are added to the subject's totals).
   */
  record(si: number, period: number, scope: number, version: number): number {
    this.recordSubject = si;
    this.recordScope = scope;
    const t = this.totals;
    try {
      return this.fns.record(si, period, t.mantissas(si), t.scales(si), t.offset(si, scope), version);
    } catch (e) {
      if (e === MISSING) return FastStep.Missing;
      if (e === OVERFLOW) return FastStep.Overflow;
      throw e;
    }
  }

  // ── Subjects' totals ─────────────────────────────────────────────────────────────────────────

  /**
   * Starts a subject: no violations yet; for a cycle per subject, its own `window`. False when
   * the subject must be interpreted (a cycle per subject that cannot be placed).
   */
  beginSubject(window: SubjectWindow | undefined): boolean {
    this.logLength = 0;
    const p = this.program;
    if (p.cycleField === undefined) return true;
    // A cycle per subject: the subject's own periods — their names, last days and versions, as
    // the interpreter's run works them out. One that cannot be placed is the interpreter's.
    if (!window) return false;
    const n = p.periods.length;
    const lastDays: number[] = [];
    for (let k = 0; k <= n; k++) {
      const day = windowLastDay(window, k < n ? k : undefined);
      lastDays.push(day);
      this.scopeVersions[k] = scopeVersionOn(p.timeline, day);
    }
    this.lastDays = lastDays;
    this.periodNames = p.periods.map((_, k) => windowPeriodName(window, k));
    return true;
  }

  /** The current subject's violations so far, as CompiledSubjectResult holds them, copied into `into`. */
  violationsInto(into: (n: number) => Float64Array): Float64Array {
    const out = into(this.logLength);
    out.set(this.log.subarray(0, this.logLength));
    return out;
  }

  /**
   * Works out one scope — period `year`, or the cycle when undefined — from the totals in TM/TS:
   * its measures' values into `numbers` at scope `c` (see CompiledSubjectResult), and its
   * violations added to the subject's. False when it must be interpreted instead.
   */
  scope(si: number, year: number | undefined, c: number, numbers: Float64Array): boolean {
    this.period = year;
    const before = this.logLength;
    if (this.distinctAggregates.length > 0) this.loadDistinct(si, year === undefined ? this.cycleScopes : [c]);
    if (year !== undefined && c < this.PTM.length) {
      this.PTM[c]!.set(this.TM);
      this.PTS[c]!.set(this.TS);
    }
    // The generated scope writes its measures into `numbers` at the scope's place itself.
    const base = c * this.output.width * SLOT_WIDTH;
    this.fns.OUT(numbers, base);
    this.lastNumbers = numbers;
    this.lastBase = base;
    try {
      const version = this.scopeVersions[c]!;
      if (year === undefined) this.fns.cycleScope(si, version);
      else this.fns.periodScope(si, year, version);
    } catch (e) {
      if (e === OVERFLOW || e === MISSING) {
        this.logLength = before;
        return false;
      }
      throw e;
    }
    return true;
  }

  /** The periods' names, where periods are named other than by their years (SubjectResult.periodNames): for a cycle per subject, the current subject's. */
  periodNames: readonly string[] | undefined;
  /** For a cycle per subject: the current subject's last day of each period, then of the cycle. */
  lastDays: readonly number[] | undefined;
  /** The version each scope is checked under (for a cycle per subject, the current subject's), as the generated code reads them. */
  private readonly scopeVersions: number[];
  /** The scopes of the cycle's totals, for a distinct count: every one (the one outside the periods last), or a repeating cycle's periods. */
  private cycleScopes: readonly number[];
  /** The places of the cycle's periods, for a sum over the periods (a repeating cycle's: the current cycle's). Changed in place: the generated code holds it. */
  private readonly cyclePeriods: number[];
  /** `[1]` when the previous cycle's measures are in previousM/previousS, `[0]` in a subject's first cycle. */
  private readonly previousState = new Int32Array(1);
  private readonly previousM: Float64Array;
  private readonly previousS: Int32Array;

  /**
   * Starts cycle `n` of a repeating cycle (Program.cycles) of the current subject: its periods,
   * its version (`version`, for a cycle per subject: the one on the cycle's own last day), its own
   * violations; the cycle before's measures at hand (see endCycle) unless it is the first.
   */
  beginCycle(n: number, version?: number): void {
    const p = this.program;
    const c = p.cycles![n]!;
    this.logLength = 0;
    this.cycleScopes = c.periods;
    this.cyclePeriods.length = 0;
    this.cyclePeriods.push(...c.periods);
    this.scopeVersions[p.periods.length] = version ?? c.version;
    this.previousState[0] = n === 0 ? 0 : 1;
  }

  /**
   * Ends a cycle worked out by {@link scope} (the cycle's scope last): its measures become the
   * next cycle's `previous` (a quotient's never: previous of a quotient is interpreted).
   */
  endCycle(): void {
    const slot = this.output.slot;
    const n = this.lastNumbers;
    for (let j = 0; j < slot.length; j++) {
      const o = this.lastBase + slot[j]! * SLOT_WIDTH;
      this.previousM[j] = n[o]!;
      this.previousS[j] = n[o + 1]!;
    }
  }

  /** The sizes of the program's windows (`per N periods`), as its windowScopes are numbered. */
  private readonly windowSizes: readonly number[];

  /**
   * Checks the windows of `per N periods` requirements among `places` (the cycle's periods, or a
   * repeating cycle's, after they were worked out by {@link scope}), each from its periods' totals
   * together under the version of its last period, as the interpreter's checkWindows does.
   * A window's violation is the interpreter's to report (it names the window): false then, as
   * for anything beyond the fast form, and the subject is interpreted. Most subjects meet them.
   */
  windows(si: number, places: readonly number[]): boolean {
    if (this.windowSizes.length === 0) return true;
    const before = this.logLength;
    const periods = this.cyclePeriods;
    const saved = periods.slice();
    try {
      for (let n = 0; n < this.windowSizes.length; n++) {
        for (const w of windowsOf(places, this.windowSizes[n]!)) {
          if (!this.totals.loadScopes(si, w, this.TM, this.TS)) return false;
          if (this.distinctAggregates.length > 0) this.loadDistinct(si, w);
          // A sum over the periods adds up the window's periods only.
          periods.length = 0;
          periods.push(...w);
          this.period = undefined;
          this.fns.windowScopes[n]!(si, this.scopeVersions[w[w.length - 1]!]!);
          if (this.logLength !== before) return false;
        }
      }
    } catch (e) {
      if (e === OVERFLOW || e === MISSING) return false;
      throw e;
    } finally {
      this.logLength = before;
      periods.length = 0;
      periods.push(...saved);
    }
    return true;
  }

  /** The aggregates that count distinct values, and their totals slots. */
  private readonly distinctAggregates: readonly (readonly [aggregate: number, slot: number])[];

  /** Subject `si`'s distinct counts over `scopes` into TM/TS, where the generated scope reads its totals. */
  private loadDistinct(si: number, scopes: readonly number[]): void {
    for (const [a, slot] of this.distinctAggregates) {
      this.TM[slot] = this.distinct.size(si, a, scopes);
      this.TS[slot] = 0;
    }
  }

  /** The output layout of the measures (for CompiledSubjectResult). */
  get layout(): OutputLayout {
    return this.output;
  }

  private violated(r: number, k: number, am: number, as: number, bm: number, bs: number): void {
    this.logViolation(r, k, am, as, bm, bs, -1);
  }

  private unchecked(r: number, k: number, what: number): void {
    this.logViolation(r, k, 0, 0, 0, 0, what);
  }

  private logViolation(r: number, k: number, am: number, as: number, bm: number, bs: number, what: number): void {
    if (this.logLength + VIOLATION_WIDTH > this.log.length) {
      const grown = new Float64Array(this.log.length * 2);
      grown.set(this.log);
      this.log = grown;
    }
    const l = this.log;
    const o = this.logLength;
    l[o] = r;
    l[o + 1] = k;
    l[o + 2] = this.period ?? -1;
    l[o + 3] = am;
    l[o + 4] = as;
    l[o + 5] = bm;
    l[o + 6] = bs;
    l[o + 7] = what;
    this.logLength = o + VIOLATION_WIDTH;
  }

  /** The text a violation's missing value was named by (see VIOLATION_WIDTH). */
  constant(i: number): string {
    return this.constants[i] as string;
  }
}
