// The interpreter: a program's closures (compile.ts) run over a Frame of Values. It is the
// reference meaning of a program, and the path for whatever the generated code (codegen/) leaves
// to it — a record with a number beyond the fast form, a program the generator does not take.

import { calendarPeriodName, isYearly, windowLastDay, windowPeriodName, type ComparisonOp, type SubjectWindow } from '../dsl/index.ts';
import { scopeLastDay, scopeVersionOn } from './versions.ts';
import { ownWindowName, slideTotals, windowName, windowsOf } from './windows.ts';
import type { CompiledRequirement, Program } from './compile.ts';
import { Decimal } from './decimal.ts';
import { distinctKey } from './distinct-values.ts';
import { Quotient } from './quotient.ts';
import { Frame, type SubjectContext, type Totals } from './frame.ts';
import type { MeasureProblem, MeasureValue, Violation } from './results.ts';
import { DateOutOfRange, KeyedTotals, MissingValue, positionsOf, type GroupValue, type Value } from './values.ts';

/** What became of a record: an outcome rule fired, a value was missing, or it counts. */
export const enum RecordStep {
  /** Every aggregate's contribution is in `contribution` / `groupAt`. */
  Counted = -1,
  /** A rule needed a value the record lacks: see `missingRule`, `missingWhat`. */
  Missing = -2,
}

/** Runs records through a program's outcome rules and aggregates. */
export class RecordInterpreter {
  private readonly frame: Frame;
  private readonly periodValues = new Map<number, Decimal>();
  /** Each aggregate's contribution of the last record, or undefined where its `where` failed. */
  readonly contribution: (Decimal | undefined)[];
  /** For grouped aggregates: the position of the record's group, or undefined when it has none. */
  readonly groupAt: (number | undefined)[];
  /** For distinct counts: the record's value of the counted field, as a key, or undefined. */
  readonly distinctValue: (string | undefined)[];
  /** After an outcome fired: its reason for this record. */
  reason = '';
  /** After RecordStep.Missing: the rule that needed the value, its articles, and the value. */
  missingRule = '';
  missingCites: readonly string[] = [];
  missingWhat = '';
  /** After RecordStep.Missing: whether the rule stopped at a date out of range rather than a missing value. */
  missingOutOfRange = false;

  constructor(private readonly program: Program) {
    this.frame = new Frame(program.letCount, program.measures.length);
    this.contribution = new Array(program.aggregates.length).fill(undefined);
    this.groupAt = new Array(program.aggregates.length).fill(undefined);
    this.distinctValue = new Array(program.aggregates.length).fill(undefined);
  }

  /**
   * Whether a subject is outside a fork's own subjects (the program's `subjectScope`), under the
   * version in force at the end of the cycle.
   */
  outsideScope(subject: SubjectContext): boolean {
    const p = this.program;
    if (p.subjectScope === undefined) return false;
    const f = this.frame;
    f.record = [];
    f.subject = subject;
    f.totals = undefined;
    f.loop = undefined;
    f.period = undefined;
    f.version = p.scopeVersions[p.scopeVersions.length - 1]!;
    f.refresh();
    try {
      return p.outcomes[p.subjectScope]!.test(f) === true;
    } catch (e) {
      if (e instanceof MissingValue) return true;
      throw e;
    }
  }

  /**
   * Evaluates one record of `subject`, dated in period `period`. Returns the index of the
   * outcome rule that fired (its reason in `reason`), or a {@link RecordStep}.
   */
  run(values: Value[], subject: SubjectContext, period: number, version: number): number {
    const p = this.program;
    const f = this.frame;
    f.record = values;
    f.subject = subject;
    f.totals = undefined;
    f.loop = undefined;
    f.period = this.periodValue(period);
    f.version = version;
    f.refresh();
    // Which rule is running, for the reason if it needs a missing value: outcomes are numbered
    // first, then aggregates (a number, not an object per rule per record).
    let at = 0;
    const outcomes = p.outcomes;
    try {
      for (; at < outcomes.length; at++) {
        const o = outcomes[at]!;
        if (o.test(f)) {
          this.reason = o.reason(f);
          return at;
        }
      }
      for (let i = 0; i < p.aggregates.length; i++, at++) {
        const a = p.aggregates[i]!;
        this.contribution[i] = a.where === undefined || a.where(f) ? (a.value ? (a.value(f) as Decimal) : Decimal.ONE) : undefined;
        this.groupAt[i] = a.positions === undefined ? undefined : a.positions.get(values[a.by!] as string);
        // A distinct count counts the record's value (none, when the field is empty).
        if (a.distinct !== undefined && this.contribution[i] !== undefined) {
          const v = values[a.distinct];
          this.distinctValue[i] = v === undefined ? undefined : distinctKey(v);
        }
      }
    } catch (e) {
      if (!(e instanceof MissingValue)) throw e;
      const rule = at < outcomes.length ? outcomes[at]! : p.aggregates[at - outcomes.length]!;
      const stage = 'owner' in rule ? { id: rule.owner, cites: rule.cites } : rule;
      this.missingRule = stage.id;
      this.missingCites = stage.cites;
      this.missingWhat = e.what;
      this.missingOutOfRange = e instanceof DateOutOfRange;
      return RecordStep.Missing;
    }
    return RecordStep.Counted;
  }

  /** The period's number as a Decimal, made once per period rather than once per record. */
  private periodValue(year: number): Decimal {
    let d = this.periodValues.get(year);
    if (!d) this.periodValues.set(year, (d = Decimal.fromNumber(year)));
    return d;
  }
}

/** What the requirements of one subject came to. */
export interface SubjectOutcome {
  readonly cycle: (MeasureValue | undefined)[];
  readonly periods: Map<number, (MeasureValue | undefined)[]>;
  readonly violations: Violation[];
  /** Measures left undefined, each for the value it lacked. */
  readonly problems: MeasureProblem[];
  /** For periods other than the years of a fixed cycle: each period's name, by place (SubjectResult.periodNames). */
  readonly periodNames?: readonly string[];
  /** For a cycle per subject: the subject's cycle's last day (YYYYMMDD), when it has one. */
  readonly lastDay?: number;
}

/** A subject's own cycle, for a cycle per subject: its window, or undefined when it cannot be placed (no date in `field`). */
export interface SubjectCycle {
  readonly window: SubjectWindow | undefined;
  readonly field: string;
}

/**
 * A subject's totals over some of its periods together (by place in Program.periods): a window's,
 * for `per N periods` requirements — sums added up, distinct values counted once over them all.
 */
export type TotalsOver = (places: readonly number[]) => Totals;

/** How one check of a requirement (for one loop key, in one scope) came out. */
export type CheckStatus = 'met' | 'violated' | 'not_applicable' | 'unknown';

/**
 * Told of every check of every requirement, met or not (`guize explain`; the report keeps only
 * violations). `begin` comes before the check runs, `end` after.
 */
export interface CheckListener {
  begin(r: CompiledRequirement, key: string | undefined, period: number | undefined): void;
  /** `problem`: for 'unknown', the value that was missing. */
  end(status: CheckStatus, actual: Decimal | undefined, required: Decimal | undefined, problem: string | undefined): void;
  /**
   * A repeating cycle's scope is entered (runCycles): a period of cycle `cycle` (its index, in
   * order), or the cycle itself when `period` is undefined, checked under version `version` (its
   * index in the program's timeline); its measures are worked out next. An explanation starts
   * reading the trace afresh here, as cycles share `period` undefined.
   */
  scope?(cycle: number, period: number | undefined, version: number): void;
  /** The scope's measures are worked out (its checks follow): their traces can be read now. */
  measured?(): void;
  /**
   * A window of `per N periods` is entered (its requirements' checks follow): its name
   * (`2020/2022`), the version it is checked under (an index of the timeline) and its measures'
   * values over its periods.
   */
  window?(name: string, version: number, measures: readonly (MeasureValue | undefined)[]): void;
}

/** Works out a subject's measures and checks its requirements from its totals. */
export class SubjectInterpreter {
  private readonly frame: Frame;
  private readonly periodRequirements: readonly CompiledRequirement[];
  private readonly cycleRequirements: readonly CompiledRequirement[];
  /** `per N periods` requirements, by N (in order of first appearance), each checked over every window of N periods. */
  private readonly windowRequirements: ReadonlyMap<number, readonly CompiledRequirement[]>;
  /** For each grouped measure, the position of each of its keys (shared by its results). */
  private readonly keyIndexes: readonly ReadonlyMap<string, number>[];
  /** Each period's number, for a sum over the periods (Frame.periodScopes). */
  private readonly periodNumbers: readonly Decimal[];

  constructor(
    private readonly program: Program,
    /** Told of every check, for an explanation (none for the report). */
    private readonly listener?: CheckListener,
  ) {
    this.frame = new Frame(program.letCount, program.measures.length);
    this.periodRequirements = program.requirements.filter((r) => r.scope === 'period');
    this.cycleRequirements = program.requirements.filter((r) => r.scope === 'cycle');
    const bySize = new Map<number, CompiledRequirement[]>();
    for (const r of program.requirements) {
      if (r.scope !== 'window') continue;
      let list = bySize.get(r.window!);
      if (!list) bySize.set(r.window!, (list = []));
      list.push(r);
    }
    this.windowRequirements = bySize;
    this.keyIndexes = program.measures.map((m) => positionsOf(m.keys));
    this.periodNumbers = program.periods.map((y) => Decimal.fromNumber(y));
    this.named = !isYearly(program.policy);
    if (this.named && program.cycleField === undefined) {
      const ast = program.policy;
      this.names = program.periods.map((k) => calendarPeriodName(ast, k));
    }
  }

  /**
   * One scope per period and one for the cycle, entered once for its measures and all its
   * requirements: nothing cached depends on a requirement's loop key, so the lets and measures
   * worked out for one requirement hold for the next. Then, after the periods, each window of
   * `per N periods` requirements (its totals from `totalsOver`, needed when there are any).
   */
  run(subject: SubjectContext, periodTotals: readonly Totals[], cycleTotals: Totals, own?: SubjectCycle, totalsOver?: TotalsOver): SubjectOutcome {
    const p = this.program;
    if (own && !own.window) return this.unplaced(own.field);
    const f = this.frame;
    f.record = [];
    f.subject = subject;
    f.previousCycle = undefined;
    // Versions and names by the periods' own days, for periods other than a fixed cycle's years.
    const named = this.named;
    const window = own?.window;
    let versions = p.scopeVersions;
    if (window) {
      versions = [...p.periods.map((_, k) => windowLastDay(window, k)), windowLastDay(window, undefined)].map((d) => scopeVersionOn(p.timeline, d));
      this.names = p.periods.map((_, k) => windowPeriodName(window, k));
      this.lastDays = [...p.periods.map((_, k) => windowLastDay(window, k)), windowLastDay(window, undefined)];
    }
    f.periodScopes = { totals: periodTotals, periods: this.periodNumbers, versions };
    const violations: Violation[] = [];
    const problems: MeasureProblem[] = [];
    const periods = new Map<number, (MeasureValue | undefined)[]>();
    p.periods.forEach((year, k) => {
      this.enterScope(periodTotals[k]!, year, versions[k]!);
      this.place = k;
      periods.set(year, this.measureValues(year, problems));
      for (const r of this.periodRequirements) this.check(r, year, violations);
    });
    this.checkWindows(p.periods.map((_, k) => k), periodTotals, versions, totalsOver, violations, window);
    this.enterScope(cycleTotals, undefined, versions[p.periods.length]!);
    this.place = p.periods.length;
    const cycle = this.measureValues(undefined, problems);
    for (const r of this.cycleRequirements) this.check(r, undefined, violations);
    if (!named) return { cycle, periods, violations, problems };
    return { cycle, periods, violations, problems, periodNames: this.names, ...(window ? { lastDay: this.lastDays[p.periods.length]! } : {}) };
  }

  /**
   * A subject whose own cycle cannot be placed (no date to count it from): no periods, every
   * measure a problem and every requirement one that cannot be checked, for want of that date.
   */
  private unplaced(field: string): SubjectOutcome {
    const p = this.program;
    const problems: MeasureProblem[] = p.measures.map((m) => ({ measure: m.id, period: undefined, what: field }));
    const violations: Violation[] = [];
    // A window requirement cannot be checked either: with no periods it has no windows, yet
    // the subject is not thereby compliant.
    for (const r of p.requirements) {
      if (r.scope === 'period') continue;
      for (const key of r.loopKeys ?? NO_LOOP) {
        this.listener?.begin(r, key, undefined);
        this.listener?.end('unknown', undefined, undefined, field);
        violations.push(violation(r, key, undefined, undefined, undefined, field));
      }
    }
    return { cycle: p.measures.map(() => undefined), periods: new Map(), violations, problems, periodNames: [] };
  }

  /** Whether periods are named other than by their keys (anything but the years of a fixed cycle). */
  private readonly named: boolean;
  /** The names of the periods of the subject being worked out, by place; and each scope's last day (the cycle's last). */
  private names: readonly string[] = [];
  private lastDays: readonly number[] = [];
  /** The place of the scope being worked out (a period's, or the cycle's after them). */
  private place = 0;

  /** A violation in the current scope, named (and dated, for versions) by its period where periods have names. */
  private violation(r: CompiledRequirement, key: string | undefined, period: number | undefined, actual: Decimal | undefined, required: Decimal | undefined, problem: string | undefined): Violation {
    const v = violation(r, key, period, actual, required, problem);
    if (this.windowAt) return { ...v, window: this.windowAt.name, lastDay: this.windowAt.lastDay };
    if (!this.named) return v;
    const lastDay = this.lastDays[this.place];
    return { ...v, ...(period === undefined ? {} : { periodName: this.names[this.place]! }), ...(lastDay === undefined ? {} : { lastDay }) };
  }

  /** While a window is checked: its name and last day, for its violations. */
  private windowAt: { readonly name: string; readonly lastDay: number } | undefined;

  /**
   * Checks the `per N periods` requirements over each window of N consecutive periods among
   * `places` (one cycle's periods, by place): the window's totals are its periods' together, a
   * sum over the periods adds up its periods only, and it is checked under the version in force
   * on its last day — as if the window were a cycle of its own. `versions` is by place; `own` is
   * a cycle per subject's window of days, which names the windows by their days.
   */
  private checkWindows(
    places: readonly number[], periodTotals: readonly Totals[], versions: readonly number[],
    totalsOver: TotalsOver | undefined, out: Violation[], own: SubjectWindow | undefined,
  ): void {
    if (this.windowRequirements.size === 0) return;
    if (!totalsOver) throw new Error('a window requirement needs the totals over its periods');
    const p = this.program;
    const f = this.frame;
    const scopes = f.periodScopes;
    // Without a distinct count, each window's totals are the one before's, one period in and one
    // out; a distinct count's values must be counted over the window's periods afresh.
    const slide = !p.aggregates.some((a) => a.distinct !== undefined);
    try {
      for (const [size, requirements] of this.windowRequirements) {
        let totals: Totals | undefined;
        let before: readonly number[] | undefined;
        for (const w of windowsOf(places, size)) {
          const first = w[0]!;
          const last = w[w.length - 1]!;
          totals = slide && totals && before ? slideTotals(totals, periodTotals[last]!, periodTotals[before[0]!]!) : totalsOver(w);
          before = w;
          f.periodScopes = { totals: w.map((k) => periodTotals[k]!), periods: w.map((k) => this.periodNumbers[k]!), versions: w.map((k) => versions[k]!) };
          this.enterScope(totals, undefined, versions[last]!);
          this.windowAt = {
            name: own ? ownWindowName(own, first, last) : this.named ? windowName(this.names[first]!, this.names[last]!) : windowName(String(p.periods[first]), String(p.periods[last])),
            lastDay: own ? windowLastDay(own, last) : scopeLastDay(p.policy, p.periods[last]),
          };
          if (this.listener?.window) this.listener.window(this.windowAt.name, versions[last]!, this.measureValues(undefined, []));
          for (const r of requirements) this.check(r, undefined, out);
        }
      }
    } finally {
      f.periodScopes = scopes;
      this.windowAt = undefined;
    }
  }

  /**
   * A repeating cycle (Program.cycles): each cycle in order, as `run` does the one cycle — its
   * periods, then the cycle — with the cycle before's measures at hand for `previous(m)`.
   * `cycleTotals` holds each cycle's totals, in the order of Program.cycles. For a cycle per
   * subject (`own`), the periods are the subject's window's, named and versioned by their own
   * days, and each cycle checked under the version in force on its own last day; a subject whose
   * window cannot be placed has one outcome, as `run` gives it (no periods, so no cycles either).
   * A cycle's windows (`per N periods`, totals from `totalsOver`) lie within it.
   */
  runCycles(subject: SubjectContext, periodTotals: readonly Totals[], cycleTotals: readonly Totals[], own?: SubjectCycle, totalsOver?: TotalsOver): SubjectOutcome[] {
    const p = this.program;
    if (own && !own.window) return [this.unplaced(own.field)];
    const f = this.frame;
    f.record = [];
    f.subject = subject;
    f.previousCycle = undefined;
    const window = own?.window;
    let versions = p.scopeVersions;
    let periodDays: readonly number[] = [];
    if (window) {
      periodDays = p.periods.map((_, k) => windowLastDay(window, k));
      versions = periodDays.map((d) => scopeVersionOn(p.timeline, d));
      this.names = p.periods.map((_, k) => windowPeriodName(window, k));
    }
    const out: SubjectOutcome[] = [];
    (p.cycles ?? []).forEach((c, n) => {
      // A cycle per subject's cycle ends on its last period's last day, and is checked under the
      // version in force then; the scopes' last days (for violations) are this cycle's.
      const lastDay = window ? periodDays[c.periods[c.periods.length - 1]!]! : undefined;
      const version = lastDay === undefined ? c.version : scopeVersionOn(p.timeline, lastDay);
      if (lastDay !== undefined) this.lastDays = [...periodDays, lastDay];
      // A sum over the periods adds up this cycle's periods only.
      f.periodScopes = {
        totals: c.periods.map((k) => periodTotals[k]!), periods: c.periods.map((k) => this.periodNumbers[k]!),
        versions: c.periods.map((k) => versions[k]!),
      };
      const violations: Violation[] = [];
      const problems: MeasureProblem[] = [];
      const periods = new Map<number, (MeasureValue | undefined)[]>();
      const l = this.listener;
      for (const k of c.periods) {
        const year = p.periods[k]!;
        l?.scope?.(n, year, versions[k]!);
        this.enterScope(periodTotals[k]!, year, versions[k]!);
        this.place = k;
        periods.set(year, this.measureValues(year, problems));
        l?.measured?.();
        for (const r of this.periodRequirements) this.check(r, year, violations);
      }
      this.checkWindows(c.periods, periodTotals, versions, totalsOver, violations, window);
      l?.scope?.(n, undefined, version);
      this.enterScope(cycleTotals[n]!, undefined, version);
      this.place = p.periods.length;
      const cycle = this.measureValues(undefined, problems);
      l?.measured?.();
      for (const r of this.cycleRequirements) this.check(r, undefined, violations);
      if (!this.named) out.push({ cycle, periods, violations, problems });
      else out.push({ cycle, periods, violations, problems, periodNames: this.names, ...(lastDay === undefined ? {} : { lastDay }) });
      f.previousCycle = cycle;
    });
    f.previousCycle = undefined;
    return out;
  }

  /** Every measure's value in the current scope; a grouped one as a map of all its keys. */
  private measureValues(period: number | undefined, problems: MeasureProblem[]): (MeasureValue | undefined)[] {
    const measures = this.program.measures;
    const out: (MeasureValue | undefined)[] = new Array(measures.length);
    for (let i = 0; i < measures.length; i++) {
      try {
        out[i] = this.measureValue(i);
      } catch (e) {
        // A measure that reads an empty optional field of the subject has no value: the
        // subject's problem, never an exception out of the evaluation.
        if (!(e instanceof MissingValue)) throw e;
        out[i] = undefined;
        problems.push({ measure: measures[i]!.id, period, what: e.what, ...(this.named && period !== undefined ? { periodName: this.names[this.place]! } : {}) });
      }
    }
    return out;
  }

  /** Measure `i`'s value in the current scope; throws MissingValue when it needs a value the subject lacks. */
  private measureValue(i: number): MeasureValue {
    const f = this.frame;
    const m = this.program.measures[i]!;
    if (m.quotient) {
      // Its sides, as the measure itself would work them out (in order: numerator first).
      const num = m.quotient.num(f) as Decimal;
      return new Quotient(num, m.quotient.den(f) as Decimal);
    }
    const v = m.value(f);
    if (!m.grouped) return v as Decimal;
    const g = v as GroupValue;
    const totals: Decimal[] = new Array(m.keys.length);
    for (let k = 0; k < m.keys.length; k++) totals[k] = g.get(m.keys[k]!) ?? Decimal.ZERO;
    return new KeyedTotals(this.keyIndexes[i]!, m.keys, totals);
  }

  private enterScope(totals: Totals, period: number | undefined, version: number): void {
    const f = this.frame;
    f.totals = totals;
    f.version = version;
    f.period = period === undefined ? undefined : Decimal.fromNumber(period);
    f.loop = undefined;
    f.refresh();
  }

  private check(r: CompiledRequirement, period: number | undefined, out: Violation[]): void {
    const f = this.frame;
    const l = this.listener;
    for (const key of r.loopKeys ?? NO_LOOP) {
      f.loop = key;
      l?.begin(r, key, period);
      try {
        if (r.when && !r.when(f)) {
          l?.end('not_applicable', undefined, undefined, undefined);
          continue;
        }
        if (r.condition) {
          this.checkCondition(r, r.condition, key, period, out);
          continue;
        }
        const actual = r.actual(f) as Decimal;
        const required = r.required(f) as Decimal;
        const held = holds(r.op, actual.cmp(required));
        r.checked?.(held);
        l?.end(held ? 'met' : 'violated', actual, required, undefined);
        if (!held) out.push(this.violation(r, key, period, actual, required, undefined));
      } catch (e) {
        if (!(e instanceof MissingValue)) throw e;
        l?.end('unknown', undefined, undefined, e.what);
        out.push(this.violation(r, key, period, undefined, undefined, e.what));
      }
    }
    f.loop = undefined;
  }

  /**
   * A yes/no requirement: met when its condition holds; otherwise a violation naming each part
   * that does not hold (a part that needs a missing value counts as not holding; only when the
   * condition as a whole needs one is the violation one of a missing value).
   */
  private checkCondition(r: CompiledRequirement, c: NonNullable<CompiledRequirement['condition']>, key: string | undefined, period: number | undefined, out: Violation[]): void {
    const f = this.frame;
    const held = c.test(f) === true;
    r.checked?.(held);
    this.listener?.end(held ? 'met' : 'violated', undefined, undefined, undefined);
    if (held) return;
    const unmet: string[] = [];
    for (const part of c.parts) {
      let ok = false;
      try {
        ok = part.test(f) === true;
      } catch (e) {
        if (!(e instanceof MissingValue)) throw e;
      }
      if (!ok) unmet.push(part.text);
    }
    out.push({ ...this.violation(r, key, period, undefined, undefined, undefined), unmet });
  }
}

/** The keys of a requirement without a loop: one pass, with no key. */
const NO_LOOP: readonly undefined[] = [undefined];

/** A violation of requirement `r`. */
export function violation(
  r: CompiledRequirement, key: string | undefined, period: number | undefined,
  actual: Decimal | undefined, required: Decimal | undefined, problem: string | undefined,
): Violation {
  return { rule: r.id, key, label: r.labelFor(key), cites: r.cites, period, op: r.op, unit: r.unit, actual, required, problem };
}

/** Whether a comparison whose three-way result is `c` holds for `op`. */
export function holds(op: ComparisonOp, c: number): boolean {
  switch (op) {
    case '==': return c === 0;
    case '!=': return c !== 0;
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
  }
}
