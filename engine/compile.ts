// Stage 5 of the pipeline: CheckedPolicy → Program. Every let, outcome, aggregate, measure and
// requirement becomes a closure over a Frame (compile-expr.ts); lets and measures are cached
// so each runs at most once per record or per scope.

import { scopeLastDay, scopeVersion, scopeVersionOn, timelineOf, type VersionTimeline } from './versions.ts';
import { calendarPeriodName, fillLabel, isYearly, periodKeys, printBare, type AggregateExpr, type CheckedPolicy, type ComparisonOp, type Expr, type FieldDecl, type Outcome, type PolicyAst, type RequirementScope, type Statement, type Unit } from '../dsl/index.ts';
import { ExprCompiler, type Compiled } from './compile-expr.ts';
import { coverageKey, type CoverageProbe } from './coverage.ts';
import type { TraceSink } from './trace.ts';
import { fieldReader, type FieldReader } from './fields.ts';
import { Decimal } from './decimal.ts';
import { UNSET, type Frame } from './frame.ts';
import { positionsOf, type Value } from './values.ts';

/** A record outcome rule: reject, exclude or disregard when `test` holds. */
export interface CompiledOutcome {
  readonly id: string;
  readonly outcome: Outcome;
  /** The reason for this record, its `{name}` placeholders filled in. */
  readonly reason: (f: Frame) => string;
  readonly cites: readonly string[];
  readonly test: Compiled;
}

/** A total per subject and scope: the sum of `value` (or count) over records where `where` holds. */
export interface CompiledAggregate {
  /** The measure or requirement it belongs to, for "missing value needed by …" reasons. */
  readonly owner: string;
  readonly cites: readonly string[];
  readonly value: Compiled | undefined;
  readonly where: Compiled | undefined;
  /** Record field index to group by, for grouped sums. */
  readonly by: number | undefined;
  /** For grouped sums: the position of each value of the `by` enum (see Totals.groups). */
  readonly positions: ReadonlyMap<string, number> | undefined;
  /**
   * For `count(distinct field …)`: the record field index whose different values are counted.
   * Such a total is a set of values per scope, not a sum (Evaluation keeps it apart).
   */
  readonly distinct?: number;
}

/** A measure: reported per period and for the cycle. */
export interface CompiledMeasure {
  readonly id: string;
  readonly label: string | undefined;
  readonly grouped: boolean;
  readonly unit: Unit;
  /** Keys of a grouped measure, in declaration order (all reported, zero when absent). */
  readonly keys: readonly string[];
  readonly value: Compiled;
  /**
   * For a measure written as a division (`a / b`): its two sides, so that its value in the
   * results is a Quotient (the division is worked out only if someone asks for it exactly).
   */
  readonly quotient: { readonly num: Compiled; readonly den: Compiled } | undefined;
}

/** A requirement, checked per period or for the cycle, once per loop key if it has a loop. */
export interface CompiledRequirement {
  readonly id: string;
  /** The label as written. */
  readonly label: string | undefined;
  /** The label with its placeholders filled in, for a loop key (or undefined without a loop). */
  readonly labelFor: (key: string | undefined) => string | undefined;
  readonly cites: readonly string[];
  readonly scope: RequirementScope;
  /** For a `per N periods` requirement (scope `window`): N, the periods of each window. */
  readonly window?: number;
  readonly loopKeys: readonly string[] | undefined;
  readonly when: Compiled | undefined;
  readonly op: ComparisonOp;
  readonly actual: Compiled;
  readonly required: Compiled;
  /** Unit of the compared values, for messages. */
  readonly unit: Unit;
  /** In a program compiled for coverage only: told whether each check held. */
  readonly checked?: (held: boolean) => void;
  /**
   * For a requirement that is a yes/no condition (CheckedRequirement.condition): the condition,
   * and its parts (the operands of a top-level `and`, or the whole) as written, each with its
   * own test, so that a violation names the parts that did not hold.
   */
  readonly condition?: {
    readonly test: Compiled;
    readonly parts: readonly { readonly text: string; readonly test: Compiled }[];
  };
}

/**
 * One cycle of a repeating cycle (`cycle.every`): its years, its name in the report, the indices
 * (in Program.periods) of its periods, and the version its cycle-wide requirements are checked under.
 */
export interface ProgramCycle {
  readonly from: number;
  readonly to: number;
  /**
   * `2019-2020`, or `2019` for a cycle of one period; `2020-Q1/2020-Q4` for calendar quarters (and
   * half-years, months). Empty for a cycle per subject, whose cycles are named by each subject's
   * own days (`2019-04-01/2021-03-31`: see engine/subject-cycles.ts).
   */
  readonly name: string;
  readonly periods: readonly number[];
  /** The version in force on the cycle's last day (for a cycle per subject, worked out per subject). */
  readonly version: number;
}

/** A compiled field of the records or subjects file. */
export interface CompiledField {
  readonly decl: FieldDecl;
  /** The column it is read from (`decl.id`, kept at hand for the per-row loop). */
  readonly id: string;
  readonly read: FieldReader;
}

/** An executable policy: what `evaluate` runs. Built only from the checked AST. */
export interface Program {
  readonly policy: PolicyAst;
  /** The checked policy it was compiled from (the code generator reads its types and names). */
  readonly checked: CheckedPolicy;
  /** The `sum(…)`/`count(…)` node of each aggregate, in the order of `aggregates`. */
  readonly aggregateNodes: readonly AggregateExpr[];
  /**
   * The closure of any expression of the policy, compiled as the program's own are (lets
   * linked): the code generator runs it to fold expressions whose operands are all constant.
   */
  readonly closureOf: (e: Expr) => Compiled;
  readonly recordFields: readonly CompiledField[];
  readonly subjectFields: readonly CompiledField[];
  readonly recordKey: number;
  readonly recordSubject: number;
  readonly subjectKey: number;
  readonly periodField: number;
  /**
   * The periods' keys: the years of a cycle of calendar years; otherwise 1 … n, each period's
   * place in the cycle (dsl/periods.ts names them).
   */
  readonly periods: readonly number[];
  /** For a cycle per subject: the subject field each subject's window is counted from. */
  readonly cycleField?: number;
  /** Which version is in force when (one version for a policy that has one). */
  readonly timeline: VersionTimeline;
  /** The version each period's requirements are checked under, then the cycle's (last). */
  readonly scopeVersions: readonly number[];
  /**
   * For a repeating cycle (`cycle.every`): the cycles, in order; each subject is evaluated once
   * per cycle. Undefined when the periods are one cycle.
   */
  readonly cycles?: readonly ProgramCycle[];
  readonly outcomes: readonly CompiledOutcome[];
  /**
   * A fork's own subjects: the index in `outcomes` of the exclusion of everyone else's records,
   * whose test reads only the subject — so it also decides which listed subjects are in scope.
   */
  readonly subjectScope: number | undefined;
  readonly aggregates: readonly CompiledAggregate[];
  readonly measures: readonly CompiledMeasure[];
  readonly requirements: readonly CompiledRequirement[];
  /** Number of lets, to size a Frame's let cache. */
  readonly letCount: number;
  /**
   * Set when compiled for a coverage run: the program records what it exercises there, and is
   * only ever interpreted (the generated code is not instrumented).
   */
  readonly coverage: CoverageProbe | undefined;
  /**
   * Set when compiled for a trace (`guize explain`): the program records every value it works
   * out there, and is only ever interpreted.
   */
  readonly trace: TraceSink | undefined;
}

/** How to compile a program. */
export interface CompileOptions {
  /** Instrument the program for rule coverage (engine/coverage.ts); it then runs interpreted. */
  readonly coverage?: CoverageProbe;
  /** Instrument the program to record what it works out (engine/trace.ts); it then runs interpreted. */
  readonly trace?: TraceSink;
}

/** Where a let's value is cached: per record (default), per subject, or once. */
type LetCache = 'record' | 'subject' | 'constant';

/** Compiles a checked policy into a program. */
export function compilePolicy(checked: CheckedPolicy, options: CompileOptions = {}): Program {
  const p = checked.ast;
  const probe = options.coverage;
  const trace = options.trace;
  /** In a coverage run, `body` wrapped to record that the statement was worked out. */
  const counted = (s: Statement, body: Compiled): Compiled => {
    if (!probe) return body;
    const key = coverageKey.evaluated(s);
    return (f) => (probe.hit(key), body(f));
  };
  /** In a trace, `body` of let `i` wrapped to say when it was finished. */
  const traced = (i: number, body: Compiled): Compiled => {
    if (!trace) return body;
    return (f) => {
      const from = trace.mark;
      const v = body(f);
      trace.letDone(i, from);
      return v;
    };
  };
  const aggregateNodes: AggregateExpr[] = [];
  const aggregates: CompiledAggregate[] = [];
  const letFns: (Compiled | undefined)[] = checked.lets.map(() => undefined);
  const measureFns: (Compiled | undefined)[] = checked.measures.map(() => undefined);
  let owner = { id: '', cites: [] as readonly string[] };

  // A let is compiled on its first reference, so the reference gets the compiled closure itself
  // (a constant, when folding made it one) rather than a trampoline through an array. The
  // checker has ruled out cycles, so this recursion ends. Lets hold no aggregates, so the order
  // they are compiled in changes nothing else.
  const compileLet = (i: number): Compiled => {
    const done = letFns[i];
    if (done) return done;
    const l = checked.lets[i]!;
    const body = traced(i, counted(l.stmt, compiler.compile(l.stmt.value)));
    // A trace works every let out afresh for each record, so that each record's trace shows it.
    const cache: LetCache = trace || l.deps.record || l.deps.period || l.deps.version ? 'record' : l.deps.subject ? 'subject' : 'constant';
    return (letFns[i] = compiler.isConstant(body) ? body : cachedLet(i, body, cache));
  };
  // Measures are compiled in declaration order, as their aggregates are numbered in that order
  // and that order decides which rule a record missing a value is rejected for. A reference to
  // a measure not compiled yet goes through a trampoline.
  const compileMeasure = (i: number): Compiled => {
    const m = checked.measures[i]!;
    owner = { id: m.stmt.id, cites: m.stmt.cites };
    const body = counted(m.stmt, compiler.compile(m.stmt.value));
    return (measureFns[i] = (f: Frame) => {
      if (f.measureStamps[i] === f.stamp) return f.measureValues[i] as ReturnType<Compiled>;
      const v = body(f);
      f.measureValues[i] = v;
      f.measureStamps[i] = f.stamp;
      return v;
    });
  };

  const compiler: ExprCompiler = new ExprCompiler(checked, {
    let: compileLet,
    measure: (i) => measureFns[i] ?? ((f) => measureFns[i]!(f)),
    aggregate: (node) => {
      if (node.kind !== 'aggregate') throw new Error('not an aggregate');
      const existing = aggregateNodes.indexOf(node);
      if (existing >= 0) return existing;
      aggregateNodes.push(node);
      const by = node.by ? p.record.fields.findIndex((f) => f.id === node.by!.name) : undefined;
      aggregates.push({
        owner: owner.id, cites: owner.cites,
        value: node.value ? compiler.compile(node.value) : undefined,
        where: node.where ? compiler.compile(node.where) : undefined,
        by, positions: by === undefined ? undefined : positionsOf(p.record.fields[by]!.values),
        ...(node.distinct ? { distinct: p.record.fields.findIndex((f) => f.id === node.distinct!.name) } : {}),
      });
      return aggregateNodes.length - 1;
    },
  }, probe, trace);

  checked.lets.forEach((_, i) => compileLet(i));

  const outcomes: CompiledOutcome[] = checked.outcomes.map((o) => ({
    id: o.id, outcome: o.outcome, cites: o.cites, test: compiler.compile(o.when),
    reason: compileReason(o.reason, o.placeholders.map((ph) => [ph.name, compiler.compile(ph, true)])),
  }));

  const measures: CompiledMeasure[] = checked.measures.map((m, i) => ({
    id: m.stmt.id, label: m.stmt.label === undefined ? undefined : fillLabel(m.stmt.label, p), grouped: m.type.t === 'group',
    unit: m.type.t === 'number' || m.type.t === 'group' ? m.type.unit : {},
    keys: m.type.t === 'group' ? m.type.values : [],
    value: compileMeasure(i),
    quotient: isQuotient(m.stmt.value) ? { num: counted(m.stmt, compiler.compile(m.stmt.value.left)), den: compiler.compile(m.stmt.value.right) } : undefined,
  }));

  const requirements: CompiledRequirement[] = checked.requirements.map((r) => {
    owner = { id: r.stmt.id, cites: r.stmt.cites };
    const lhs = checked.types.get(r.body.left);
    const rhs = checked.types.get(r.body.right);
    const unit = lhs?.t === 'number' && !lhs.literal ? lhs.unit : rhs?.t === 'number' ? rhs.unit : {};
    const loopKeys = r.loopTable?.rows.map((row) => row.key);
    const label = r.stmt.label;
    const loop = r.stmt.loop;
    const labels = new Map((loopKeys ?? [undefined]).map((key) => [key, label === undefined ? undefined : fillLabel(label, p, loop && { variable: loop.variable, key })]));
    return {
      id: r.stmt.id, label, labelFor: (key) => labels.get(key), cites: r.stmt.cites, scope: r.stmt.scope,
      ...(r.stmt.window ? { window: Number(r.stmt.window.text) } : {}),
      loopKeys,
      when: r.stmt.when ? compiler.compile(r.stmt.when) : undefined,
      op: r.body.op as ComparisonOp,
      actual: compiler.compile(r.body.left),
      required: compiler.compile(r.body.right),
      unit,
      ...(probe ? { checked: requirementProbe(probe, r.stmt) } : {}),
      ...(r.condition ? {
        condition: { test: compiler.compile(r.condition), parts: conjuncts(r.condition).map((e) => ({ text: printBare(e), test: compiler.compile(e) })) },
      } : {}),
    };
  });

  const index = (fields: readonly FieldDecl[], id: string) => fields.findIndex((f) => f.id === id);
  const periods = periodKeys(p);
  const timeline = timelineOf(p);
  return {
    policy: p,
    checked,
    aggregateNodes,
    closureOf: (e) => compiler.compile(e),
    recordFields: p.record.fields.map((decl) => ({ decl, id: decl.id, read: fieldReader(decl) })),
    subjectFields: p.subject.fields.map((decl) => ({ decl, id: decl.id, read: fieldReader(decl) })),
    recordKey: index(p.record.fields, p.record.key),
    recordSubject: index(p.record.fields, p.record.subject),
    subjectKey: index(p.subject.fields, p.subject.key),
    periodField: index(p.record.fields, p.period.field),
    periods,
    timeline,
    // A cycle per subject has days of its own: the subject interpreter works its versions out.
    scopeVersions: [...periods, undefined].map((k) => scopeVersionOn(timeline, scopeLastDay(p, k))),
    ...(p.cycle.every === undefined ? {} : { cycles: repeatingCycles(p, periods, p.cycle.every, timeline) }),
    ...(p.cycle.perSubject ? { cycleField: index(p.subject.fields, p.cycle.perSubject.field) } : {}),
    outcomes,
    subjectScope: p.subjectScope ? outcomes.findIndex((o) => o.id === p.subjectScope!.id) : undefined,
    aggregates,
    measures,
    requirements,
    letCount: checked.lets.length,
    coverage: probe,
    trace,
  };
}

/** The cycles of `every` periods each that `periods` split into (the checker made sure they divide). */
function repeatingCycles(p: PolicyAst, periods: readonly number[], every: number, timeline: VersionTimeline): ProgramCycle[] {
  const out: ProgramCycle[] = [];
  // Years by their numbers (`2019-2020`); calendar half-years, quarters and months by their first
  // and last period's names (`2020-Q1/2020-Q4`); a cycle per subject by each subject's days, later.
  const name = (from: number, to: number): string => {
    if (p.cycle.perSubject) return '';
    if (isYearly(p)) return from === to ? String(from) : `${from}-${to}`;
    return from === to ? calendarPeriodName(p, from) : `${calendarPeriodName(p, from)}/${calendarPeriodName(p, to)}`;
  };
  for (let k = 0; k < periods.length; k += every) {
    const from = periods[k]!;
    const to = periods[k + every - 1]!;
    out.push({
      from, to, name: name(from, to),
      periods: periods.slice(k, k + every).map((_, j) => k + j),
      version: scopeVersion(timeline, to),
    });
  }
  return out;
}

/** The operands of a top-level chain of `and` (the expression itself when it is not one). */
function conjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/** Records whether each check of a requirement held (coverage runs only). */
function requirementProbe(probe: CoverageProbe, s: Statement): (held: boolean) => void {
  const met = coverageKey.met(s);
  const violated = coverageKey.violated(s);
  return (held) => probe.hit(held ? met : violated);
}

/** Whether a measure's body is a division at its top: its value is then reported as a Quotient. */
export function isQuotient(e: Expr): e is Extract<Expr, { kind: 'binary' }> {
  return e.kind === 'binary' && e.op === '/';
}

/** Shows a value in a reason: numbers in canonical decimal form, a missing value as '?'. */
function showValue(v: Value): string {
  if (v === undefined) return '?';
  if (v instanceof Decimal || typeof v !== 'object') return String(v);
  return '?';
}

/** Builds the function that fills a reason's `{name}` placeholders for one record. */
function compileReason(text: string, placeholders: [string, Compiled][]): (f: Frame) => string {
  if (placeholders.length === 0) return () => text;
  const values = new Map(placeholders);
  return (f) => text.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const v = values.get(name);
    if (!v) return whole;
    try {
      return showValue(v(f));
    } catch {
      return '?';
    }
  });
}

/** Wraps a let's body in the cache its dependencies allow. */
function cachedLet(i: number, body: Compiled, cache: LetCache): Compiled {
  switch (cache) {
    case 'record':
      return (f) => {
        if (f.letStamps[i] === f.stamp) return f.letValues[i] as ReturnType<Compiled>;
        const v = body(f);
        f.letValues[i] = v;
        f.letStamps[i] = f.stamp;
        return v;
      };
    case 'subject':
      return (f) => {
        const cached = f.subject.lets[i];
        if (cached !== UNSET && cached !== undefined) return cached;
        const v = body(f);
        f.subject.lets[i] = v;
        return v;
      };
    case 'constant': {
      let value: ReturnType<Compiled> | typeof UNSET = UNSET;
      return (f) => (value === UNSET ? (value = body(f)) : value);
    }
  }
}
