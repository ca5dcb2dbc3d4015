// Stage 6 of the pipeline: Program + input rows → results. Records stream through one at a time;
// what is kept is per subject (totals per period and for the cycle), never per row, apart from
// the set of record keys seen, which duplicate detection needs.

import type { ComparisonOp, Outcome } from '../dsl/index.ts';
import type { CompiledField, CompiledRequirement, Program } from './compile.ts';
import { Decimal } from './decimal.ts';
import { isProblem } from './fields.ts';
import { Frame, UNSET, type SubjectState, type Totals } from './frame.ts';
import type { InputEvent } from './input/index.ts';
import { KeyedTotals, MissingValue, positionsOf, type GroupValue, type Value } from './values.ts';

/** Which input file a row came from. */
export type InputSource = 'records' | 'subjects';

/** A row that was not evaluated because it is invalid, with where it was and why. */
export interface Rejection {
  readonly source: InputSource;
  /** The row's key (record id or subject id), when it could be read. */
  readonly key: string | undefined;
  readonly line: number;
  /** Reason in both languages, "中文 / English". */
  readonly reason: string;
  /** The rule that rejected it, or the field that did not fit. */
  readonly rule: string | undefined;
  readonly cites: readonly string[];
}

/** A requirement a subject does not meet, in one period or for the cycle. */
export interface Violation {
  readonly rule: string;
  /** The loop key (the table row) for requirements with `for … in table`. */
  readonly key: string | undefined;
  readonly label: string | undefined;
  readonly cites: readonly string[];
  /** The period, or undefined for the cycle. */
  readonly period: number | undefined;
  readonly op: ComparisonOp;
  /** Undefined when the requirement could not be evaluated (see `problem`). */
  readonly actual: Decimal | undefined;
  readonly required: Decimal | undefined;
  readonly unit: Program['requirements'][number]['unit'];
  /** Set when the requirement needed a value the subject lacks. */
  readonly problem: string | undefined;
}

/** A measure's value: a number, or numbers by key for grouped measures. */
export type MeasureValue = Decimal | ReadonlyMap<string, Decimal>;

/** Everything evaluated for one subject. */
export interface SubjectResult {
  readonly id: string;
  readonly compliant: boolean;
  readonly fields: readonly Value[];
  readonly cycle: readonly MeasureValue[];
  readonly periods: ReadonlyMap<number, readonly MeasureValue[]>;
  readonly violations: readonly Violation[];
  readonly evaluated: number;
  readonly disregarded: number;
}

/** Counts of what happened to the input rows; `read = evaluated + rejected + outOfScope`. */
export interface RowCounts {
  read: number;
  evaluated: number;
  rejected: number;
  outOfScope: number;
  /** Evaluated rows that count for nothing, by rule id (a subset of `evaluated`). */
  readonly disregardedBy: Map<string, number>;
  readonly outOfScopeBy: Map<string, number>;
  readonly rejectedBy: Map<string, number>;
}

/** The result of an evaluation. */
export interface EvaluationResult {
  readonly program: Program;
  readonly subjects: readonly SubjectResult[];
  readonly rejected: readonly Rejection[];
  readonly records: RowCounts;
  readonly subjectRows: RowCounts;
}

/** How many evaluated rows counted for nothing, whatever the rule. */
export function disregardedCount(c: RowCounts): number {
  let n = 0;
  for (const v of c.disregardedBy.values()) n += v;
  return n;
}

function newCounts(): RowCounts {
  return { read: 0, evaluated: 0, rejected: 0, outOfScope: 0, disregardedBy: new Map(), outOfScopeBy: new Map(), rejectedBy: new Map() };
}

function bump(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

function newTotals(n: number): Totals {
  return { sums: new Array<Decimal>(n).fill(Decimal.ZERO), groups: new Array(n).fill(undefined) };
}

/**
 * A streaming evaluation. Feed the subjects file first (if any; adding a subject after a record
 * is an error), then the records; `finish` checks the requirements and returns the results.
 * Pure: no I/O, no clock, no randomness.
 */
export class Evaluation {
  private readonly frame: Frame;
  private readonly subjects = new Map<string, SubjectState>();
  private readonly seenKeys = new Map<string, number>();
  private readonly seenSubjectKeys = new Map<string, number>();
  private readonly periodValues = new Map<number, Decimal>();
  private readonly rejected: Rejection[] = [];
  private readonly records = newCounts();
  private readonly subjectRows = newCounts();
  private readonly aggregateCount: number;
  // Scratch space for one record's contributions, committed only if the whole record evaluates.
  private readonly contribution: (Decimal | undefined)[];
  /** For grouped aggregates: the position of the record's group (see Totals.groups). */
  private readonly groupAt: (number | undefined)[];
  /** Totals of a period with no records: shared, as totals are only ever read once made. */
  private readonly emptyTotals: Totals;
  private readonly periodRequirements: readonly CompiledRequirement[];
  private readonly cycleRequirements: readonly CompiledRequirement[];
  /** For each grouped measure, the position of each of its keys (shared by its results). */
  private readonly keyIndexes: readonly ReadonlyMap<string, number>[];

  constructor(private readonly program: Program) {
    this.frame = new Frame(program.letCount, program.measures.length);
    this.aggregateCount = program.aggregates.length;
    this.contribution = new Array(this.aggregateCount).fill(undefined);
    this.groupAt = new Array(this.aggregateCount).fill(undefined);
    this.emptyTotals = newTotals(this.aggregateCount);
    this.periodRequirements = program.requirements.filter((r) => r.scope === 'period');
    this.cycleRequirements = program.requirements.filter((r) => r.scope === 'cycle');
    this.keyIndexes = program.measures.map((m) => positionsOf(m.keys));
  }

  private subject(id: string): SubjectState {
    let s = this.subjects.get(id);
    if (!s) {
      s = {
        id, fields: this.program.subjectFields.map(() => undefined), lets: new Array(this.program.letCount).fill(UNSET),
        outside: newTotals(this.aggregateCount), periods: new Map(), listed: false, evaluated: 0, disregarded: 0,
      };
      this.subjects.set(id, s);
    }
    return s;
  }

  private reject(source: InputSource, counts: RowCounts, line: number, key: string | undefined, reason: string, rule: string | undefined, cites: readonly string[]): void {
    counts.rejected++;
    bump(counts.rejectedBy, rule ?? 'unreadable');
    this.rejected.push({ source, key, line, reason, rule, cites });
  }

  /**
   * The first row with a key owns it, whether it then counts or is rejected for its own reasons;
   * every later row with that key is a duplicate, whatever else is wrong with it. Rejects such a
   * row and returns true; otherwise remembers the key (if the row has one) and returns false.
   */
  private isDuplicate(source: InputSource, counts: RowCounts, seen: Map<string, number>, keyField: string, cites: readonly string[], event: InputEvent): boolean {
    const key = event.kind === 'row' ? event.values[keyField]?.trim() : undefined;
    if (!key) return false;
    const firstLine = seen.get(key);
    if (firstLine === undefined) {
      seen.set(key, event.line);
      return false;
    }
    counts.read++;
    this.reject(source, counts, event.line, key, `重复的 ${keyField}（首次出现在第 ${firstLine} 行）/ duplicate ${keyField} (first on line ${firstLine})`, keyField, cites);
    return true;
  }

  /** Reads one row's fields; rejects it (and returns undefined) if any does not fit. */
  private readFields(source: InputSource, counts: RowCounts, fields: readonly CompiledField[], keyIndex: number, event: InputEvent): Value[] | undefined {
    counts.read++;
    if (event.kind === 'error') {
      this.reject(source, counts, event.line, undefined, event.reason, undefined, []);
      return undefined;
    }
    const raw = event.values;
    const values: Value[] = new Array(fields.length);
    let problems: string[] | undefined; // allocated only for a bad row: most rows are fine
    let first: CompiledField | undefined;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      const v = field.read(raw[field.id]);
      if (isProblem(v)) {
        (problems ??= []).push(`${v.zh} / ${v.en}`);
        first ??= field;
      } else values[i] = v;
    }
    if (first && problems) {
      const key = raw[fields[keyIndex]!.id]?.trim() || undefined;
      this.reject(source, counts, event.line, key, problems.join('; '), first.decl.id, first.decl.cites);
      return undefined;
    }
    return values;
  }

  /** Adds one row of the subjects file. A header problem is not a row: callers warn about it. */
  addSubject(event: InputEvent): void {
    // Records are evaluated as they arrive, using their subject's facts: those must come first.
    if (this.records.read > 0) throw new Error('Evaluation: add every subject before the first record');
    if (event.kind === 'error' && event.header) return;
    const p = this.program;
    if (this.isDuplicate('subjects', this.subjectRows, this.seenSubjectKeys, p.policy.subject.key, [], event)) return;
    const values = this.readFields('subjects', this.subjectRows, p.subjectFields, p.subjectKey, event);
    if (!values) return;
    const s = this.subject(values[p.subjectKey] as string);
    s.listed = true;
    s.fields = values;
    this.subjectRows.evaluated++;
  }

  /** Adds one row of the records file. A header problem is not a row: callers warn about it. */
  addRecord(event: InputEvent): void {
    if (event.kind === 'error' && event.header) return;
    const p = this.program;
    const counts = this.records;
    if (this.isDuplicate('records', counts, this.seenKeys, p.policy.record.key, p.policy.record.keyCites, event)) return;
    const values = this.readFields('records', counts, p.recordFields, p.recordKey, event);
    if (!values) return;
    const line = event.line;
    const key = values[p.recordKey] as string;

    const subject = this.subject(values[p.recordSubject] as string);
    const f = this.frame;
    f.record = values;
    f.subject = subject;
    f.totals = undefined;
    f.loop = undefined;
    const year = yearOf(values[p.periodField] as string);
    f.period = this.periodValue(year);
    f.refresh();

    // Which rule is running, for the reason if it needs a missing value: outcomes are numbered
    // first, then aggregates (a number, not an object per rule per record: this is the hot loop).
    let at = 0;
    const outcomes = p.outcomes;
    try {
      for (; at < outcomes.length; at++) {
        const o = outcomes[at]!;
        if (o.test(f)) return this.settle(o.outcome, o.id, o.reason(f), o.cites, subject, line, key);
      }
      for (let i = 0; i < this.aggregateCount; i++, at++) {
        const a = p.aggregates[i]!;
        this.contribution[i] = a.where === undefined || a.where(f) ? (a.value ? (a.value(f) as Decimal) : Decimal.ONE) : undefined;
        this.groupAt[i] = a.positions === undefined ? undefined : a.positions.get(values[a.by!] as string);
      }
    } catch (e) {
      if (!(e instanceof MissingValue)) throw e;
      const rule = at < outcomes.length ? outcomes[at]! : p.aggregates[at - outcomes.length]!;
      const stage = 'owner' in rule ? { id: rule.owner, cites: rule.cites } : rule;
      const reason = `缺少 ${e.what}（${stage.id} 需要）/ missing ${e.what}, needed by ${stage.id}`;
      const field = p.recordFields.find((x) => x.decl.id === e.what)?.decl;
      this.reject('records', counts, line, key, reason, stage.id, stage.cites.length > 0 ? stage.cites : (field?.cites ?? []));
      return;
    }
    this.commit(subject, year);
    subject.evaluated++;
    counts.evaluated++;
  }

  private settle(outcome: Outcome, id: string, reason: string, cites: readonly string[], subject: SubjectState, line: number, key: string): void {
    const counts = this.records;
    switch (outcome) {
      case 'reject':
        return this.reject('records', counts, line, key, reason, id, cites);
      case 'exclude':
        counts.outOfScope++;
        bump(counts.outOfScopeBy, id);
        return;
      case 'disregard':
        counts.evaluated++;
        bump(counts.disregardedBy, id);
        subject.evaluated++;
        subject.disregarded++;
        return;
    }
  }

  /** The period's number as a Decimal, made once per period rather than once per record. */
  private periodValue(year: number): Decimal {
    let d = this.periodValues.get(year);
    if (!d) this.periodValues.set(year, (d = Decimal.fromNumber(year)));
    return d;
  }

  /** Adds the record's contributions to its period's totals (or to those outside the periods). */
  private commit(subject: SubjectState, year: number): void {
    const inCycle = year >= this.program.periods[0]! && year <= this.program.periods[this.program.periods.length - 1]!;
    let totals = subject.outside;
    if (inCycle) {
      const period = subject.periods.get(year);
      if (period) totals = period;
      else subject.periods.set(year, (totals = newTotals(this.aggregateCount)));
    }
    for (let i = 0; i < this.aggregateCount; i++) {
      const c = this.contribution[i];
      if (c === undefined) continue;
      const positions = this.program.aggregates[i]!.positions;
      if (positions === undefined) addTo(totals, i, c);
      else {
        const at = this.groupAt[i];
        if (at !== undefined) addToGroup(totals, i, positions.size, at, c); // no group to add to: it still counts elsewhere
      }
    }
  }

  /** The cycle's totals of a subject: everything outside the periods plus every period's. */
  private cycleTotals(s: SubjectState): Totals {
    const cycle = newTotals(this.aggregateCount);
    addTotals(cycle, s.outside);
    for (const t of s.periods.values()) addTotals(cycle, t);
    return cycle;
  }

  /** Checks every subject's requirements and returns the results, subjects in id order. */
  finish(): EvaluationResult {
    const p = this.program;
    const subjects = [...this.subjects.values()]
      .filter((s) => s.listed || s.evaluated > 0)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((s) => this.finishSubject(s));
    return { program: p, subjects, rejected: this.rejected, records: this.records, subjectRows: this.subjectRows };
  }

  private finishSubject(s: SubjectState): SubjectResult {
    const p = this.program;
    const f = this.frame;
    f.record = [];
    f.subject = s;
    const violations: Violation[] = [];
    // One scope per period and one for the cycle, entered once for its measures and all its
    // requirements: nothing cached depends on a requirement's loop key, so the lets and measures
    // worked out for one requirement hold for the next.
    const periods = new Map<number, MeasureValue[]>();
    for (const year of p.periods) {
      this.enterScope(s.periods.get(year) ?? this.emptyTotals, year);
      periods.set(year, this.measureValues());
      for (const r of this.periodRequirements) this.check(r, year, violations);
    }
    this.enterScope(this.cycleTotals(s), undefined);
    const cycle = this.measureValues();
    for (const r of this.cycleRequirements) this.check(r, undefined, violations);
    return {
      id: s.id, compliant: violations.length === 0, fields: s.fields, cycle, periods, violations,
      evaluated: s.evaluated, disregarded: s.disregarded,
    };
  }

  /** Every measure's value in the current scope; a grouped one as a map of all its keys. */
  private measureValues(): MeasureValue[] {
    const f = this.frame;
    const measures = this.program.measures;
    const out: MeasureValue[] = new Array(measures.length);
    for (let i = 0; i < measures.length; i++) {
      const m = measures[i]!;
      const v = m.value(f);
      if (!m.grouped) {
        out[i] = v as Decimal;
        continue;
      }
      const g = v as GroupValue;
      const totals: Decimal[] = new Array(m.keys.length);
      for (let k = 0; k < m.keys.length; k++) totals[k] = g.get(m.keys[k]!) ?? Decimal.ZERO;
      out[i] = new KeyedTotals(this.keyIndexes[i]!, m.keys, totals);
    }
    return out;
  }

  private enterScope(totals: Totals, period: number | undefined): void {
    const f = this.frame;
    f.totals = totals;
    f.period = period === undefined ? undefined : this.periodValue(period);
    f.loop = undefined;
    f.refresh();
  }

  private check(r: CompiledRequirement, period: number | undefined, out: Violation[]): void {
    const f = this.frame;
    for (const key of r.loopKeys ?? NO_LOOP) {
      f.loop = key;
      try {
        if (r.when && !r.when(f)) continue;
        const actual = r.actual(f) as Decimal;
        const required = r.required(f) as Decimal;
        if (!holds(r.op, actual.cmp(required))) out.push(violation(r, key, period, actual, required, undefined));
      } catch (e) {
        if (!(e instanceof MissingValue)) throw e;
        out.push(violation(r, key, period, undefined, undefined, e.what));
      }
    }
    f.loop = undefined;
  }
}

/** The keys of a requirement without a loop: one pass, with no key. */
const NO_LOOP: readonly undefined[] = [undefined];

function violation(
  r: CompiledRequirement, key: string | undefined, period: number | undefined,
  actual: Decimal | undefined, required: Decimal | undefined, problem: string | undefined,
): Violation {
  return { rule: r.id, key, label: r.label, cites: r.cites, period, op: r.op, unit: r.unit, actual, required, problem };
}

/** Character code of the digit 0. */
const ZERO_CODE = '0'.charCodeAt(0);

/**
 * The year of a period field's value: a date's first four digits, read by character code as
 * this runs for every record (a value that does not start with four digits goes through Number).
 */
function yearOf(date: string): number {
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const d = date.charCodeAt(i) - ZERO_CODE;
    if (!(d >= 0 && d <= 9)) return Number(date.slice(0, 4));
    y = y * 10 + d;
  }
  return y;
}

/** Adds every total of `from` to `to`; zeros (most of a subject's outside totals) cost nothing. */
function addTotals(to: Totals, from: Totals): void {
  for (let i = 0; i < from.sums.length; i++) {
    const v = from.sums[i]!;
    if (!v.isZero()) to.sums[i] = to.sums[i]!.add(v);
    const g = from.groups[i];
    if (g) for (let k = 0; k < g.length; k++) if (!g[k]!.isZero()) addToGroup(to, i, g.length, k, g[k]!);
  }
}

function addTo(t: Totals, i: number, c: Decimal): void {
  t.sums[i] = t.sums[i]!.add(c);
}

/** Adds `c` to the total of the group at position `at` of a grouped aggregate with `size` groups. */
function addToGroup(t: Totals, i: number, size: number, at: number, c: Decimal): void {
  const g = (t.groups[i] ??= new Array<Decimal>(size).fill(Decimal.ZERO));
  g[at] = g[at]!.add(c);
}

function holds(op: ComparisonOp, c: number): boolean {
  switch (op) {
    case '==': return c === 0;
    case '!=': return c !== 0;
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
  }
}

/** Evaluates whole inputs at once: subjects (optional) then records. */
export function evaluate(program: Program, records: Iterable<InputEvent>, subjects: Iterable<InputEvent> = []): EvaluationResult {
  const e = new Evaluation(program);
  for (const s of subjects) e.addSubject(s);
  for (const r of records) e.addRecord(r);
  return e.finish();
}
