// `guize explain`: one subject's results, step by step. The program `eval` runs is compiled a
// second time with a trace sink (engine/trace.ts); the evaluation runs every other row as usual
// and hands this subject's rows to the traced program's interpreter (EvaluationOptions.trace),
// which counts them into the same totals as any other row. Then the subject's requirements are
// checked by the traced program's SubjectInterpreter, told of every check, met or not. Nothing
// here evaluates a rule: it reads what the program recorded.

import type { CheckedPolicy, Expr, ProvenanceEntry } from '../../dsl/index.ts';
import { compilePolicy, type CompiledRequirement, type Program } from '../compile.ts';
import { Decimal } from '../decimal.ts';
import type { Evaluation, RowTracer, SubjectState, TracedOutcome } from '../evaluate.ts';
import { RecordInterpreter, SubjectInterpreter, violation, type CheckStatus as EngineCheckStatus } from '../interpret.ts';
import { fixedText, jsonNumber } from '../output/display.ts';
import { sentenceOf, sentencePeriod, splitLabel, unitWords } from '../report.ts';
import type { MeasureValue } from '../results.ts';
import { TraceSink } from '../trace.ts';
import { scopeVersionName, versionsJson } from '../versions.ts';
import { windowWords } from '../windows.ts';
import { CycleChecks } from './cycles.ts';
import { measureJson } from './measure-json.ts';
import type { Value } from '../values.ts';
import { isVersionGuard, TraceReader, traceValue } from './trace-tree.ts';
import type {
  Bilingual, Contribution, CycleExplanations, Explanation, JsonNumber, LetStep, MeasureInfo, RecordExplanation, RequirementCheck, RuleUse,
  ScopeExplanation, TraceNode, TraceValue,
} from './types.ts';

/** Where the items of each version come from (dsl/provenance.ts), by version name. */
export type ProvenanceByVersion = ReadonlyMap<string, readonly ProvenanceEntry[]>;

/** What an explanation may be given besides the evaluation. */
export interface ExplainOptions {
  /** The provenance of each version's items, for the origin of each rule used. */
  readonly provenance?: ProvenanceByVersion;
}

const cites = (c: readonly string[]): string => c.join('; ');
/**
 * A bilingual text "中文 / English" in its two halves. Reasons are written with " / " or with the
 * slash straight after a full-width character ("（第 2 行）/ duplicate …"); several reasons joined
 * with "; " are split one by one.
 */
export function bilingual(text: string): Bilingual {
  const parts = text.split('; ');
  if (parts.length > 1 && parts.every((x) => separatorAt(x) >= 0)) {
    const halves = parts.map(bilingual);
    return { zh: halves.map((h) => h.zh).join('；'), en: halves.map((h) => h.en).join('; ') };
  }
  const at = separatorAt(text);
  if (at < 0) return splitLabel(text);
  return { zh: text.slice(0, at).trim(), en: text.slice(text.indexOf('/ ', at) + 2).trim() };
}

/** Where the " / " between the halves of a bilingual text starts, or -1. */
function separatorAt(text: string): number {
  const spaced = text.indexOf(' / ');
  const m = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]\/ /.exec(text);
  const tight = m ? m.index + 1 : -1;
  if (spaced < 0) return tight;
  return tight < 0 ? spaced : Math.min(spaced, tight);
}

/**
 * Follows one subject through an evaluation: pass it as `new Evaluation(program, { trace })`,
 * feed the rows, then call {@link explain}.
 */
export class SubjectExplainer implements RowTracer {
  readonly interpreter: RecordInterpreter;
  /** The program compiled with the trace sink. */
  readonly traced: Program;
  /** @internal What the traced program records (engine/explain/cycles.ts reads it too). */
  readonly sink = new TraceSink();
  /** @internal */
  readonly reader: TraceReader;
  private readonly checked: CheckedPolicy;
  private readonly rows: RecordExplanation[] = [];
  /** In a repeating cycle: each row's cycle (its index; undefined: in none, or not decoded). */
  private readonly rowCycles: (number | undefined)[] = [];
  private current: { line: number; values: readonly Value[]; version: number; cycle: number | undefined } | undefined;
  /**
   * (kind, item, version) of everything used, in the order first used, by cycle (its index in a
   * repeating cycle; -1 for everything else): each cycle's explanation lists its own.
   */
  private readonly usedBy = new Map<number, Map<string, { kind: RuleUse['kind']; item: string; version: string }>>();
  /** The cycle whose rules are being used (see usedBy). */
  private usedIn = -1;

  constructor(
    readonly program: Program,
    readonly subject: string,
  ) {
    this.checked = program.checked;
    this.traced = compilePolicy(program.checked, { trace: this.sink });
    this.interpreter = new RecordInterpreter(this.traced);
    this.reader = new TraceReader(this.checked, this.sink);
  }

  // ── Rows (RowTracer) ─────────────────────────────────────────────────────────────────────────

  begin(line: number, values: readonly Value[], version: number, cycle?: number): void {
    this.sink.reset();
    this.current = { line, values: [...values], version, cycle };
  }

  settled(line: number, outcome: TracedOutcome): void {
    const cur = this.current?.line === line ? this.current : undefined;
    this.current = undefined;
    // A row dated outside every cycle is in none, even when it was decoded.
    const cycle = outcome.kind === 'outside_cycle' ? undefined : cur?.cycle;
    this.rowCycles.push(cycle);
    this.usedIn = cycle ?? -1;
    const p = this.program;
    const version = cur ? this.versionName(cur.version) : null;
    const fields = cur ? Object.fromEntries(p.recordFields.map((f, i) => [f.id, traceValue(cur.values[i])])) : null;
    const date = cur?.values[p.periodField];
    const period = typeof date === 'string' ? Number(date.slice(0, 4)) : null;
    const steps = cur ? this.letSteps(0, version ?? p.policy.version) : [];
    const recordId = cur ? (cur.values[p.recordKey] as string | undefined) ?? null : null;
    const base = { line, version, period, fields, steps };
    switch (outcome.kind) {
      case 'counted':
        this.rows.push({ ...base, key: recordId, status: 'counted', outcome: null, contributions: this.contributions(outcome.scope) });
        return;
      case 'disregarded':
      case 'out_of_scope': {
        const o = this.checked.outcomes[outcome.rule]!;
        this.use('rule', o.id, version ?? p.policy.version);
        const when = this.reader.tree(o.when, 0);
        this.rows.push({
          ...base, key: recordId, status: outcome.kind, contributions: [],
          outcome: { rule: o.id, reason: bilingual(outcome.reason), reason_text: outcome.reason, article: cites(o.cites), ...(when ? { when } : {}) },
        });
        return;
      }
      case 'outside_cycle': {
        const field = p.policy.cycle.perSubject?.field;
        const c = p.policy.cycle;
        const reason = field !== undefined
          ? `不在 ${field} 所定的本人周期内 / outside their own cycle, counted from ${field}`
          : `不在周期 ${c.from}–${c.to} 内 / outside the cycles, ${c.from}–${c.to}`;
        this.rows.push({
          ...base, key: recordId, status: 'out_of_scope', contributions: [],
          outcome: { rule: 'cycle', reason: bilingual(reason), reason_text: reason, article: cites(p.policy.cycle.cites) },
        });
        return;
      }
      case 'rejected': {
        const r = outcome.rejection;
        const o = outcome.rule === undefined ? undefined : this.checked.outcomes[outcome.rule];
        const when = o && cur ? this.reader.tree(o.when, 0) : null;
        if (r.rule !== undefined && cur) this.use('rule', r.rule, version ?? p.policy.version);
        this.rows.push({
          ...base, key: r.key ?? recordId, status: 'rejected', contributions: [],
          outcome: { rule: r.rule ?? null, reason: bilingual(r.reason), reason_text: r.reason, article: cites(r.cites), ...(when ? { when } : {}) },
        });
        return;
      }
    }
  }

  /** What the record just run added to which totals. */
  private contributions(scope: number): Contribution[] {
    const p = this.traced;
    const out: Contribution[] = [];
    const period = scope < p.periods.length ? p.periods[scope]! : null;
    p.aggregates.forEach((a, i) => {
      const amount = this.interpreter.contribution[i];
      if (amount === undefined) return;
      let key: string | null = null;
      if (a.positions !== undefined) {
        const at = this.interpreter.groupAt[i];
        if (at === undefined) return; // no group to add to
        key = this.program.policy.record.fields[a.by!]!.values![at]!;
      }
      const node = p.aggregateNodes[i]!;
      const where = node.where ? this.reader.tree(node.where, 0) : null;
      const value = node.value ? this.reader.tree(node.value, 0) : null;
      out.push({ measure: a.owner, key, amount: amount.toString(), period, ...(where ? { where } : {}), ...(value ? { value_trace: value } : {}) });
    });
    return out;
  }

  /** @internal The lets finished since the sink's last reset (after `skip` of them), as steps. */
  letSteps(skip: number, version: string): LetStep[] {
    return this.sink.lets.slice(skip).map(({ index, from }) => {
      const l = this.checked.lets[index]!;
      this.use('rule', l.stmt.id, version);
      const trace = this.reader.tree(l.stmt.value, from) ?? { kind: 'literal', name: '?', value: null, args: [] };
      this.collectItems(trace, version);
      return { let: l.stmt.id, value: trace.value, unit: l.type.t === 'number' ? unitWords(this.program.policy, l.type.unit) : { zh: '', en: '' }, article: cites(l.stmt.cites), trace };
    });
  }

  // ── The subject ──────────────────────────────────────────────────────────────────────────────

  /**
   * The explanation, after every row was added to `evaluation` (made with this explainer as its
   * trace); undefined when no row of either file names the subject. In a repeating cycle, the
   * subject's last cycle's (as Evaluation.subjectResult gives it): {@link explainCycles} gives each.
   */
  explain(evaluation: Evaluation, options: ExplainOptions = {}): Explanation | undefined {
    if (this.program.cycles) return this.explainCycles(evaluation, options)?.explanations.at(-1);
    const state = evaluation.subjectState(this.subject);
    if (!state || (!state.listed && this.rows.length === 0)) return undefined;
    const outside = this.outside(state);
    let scopes: ScopeExplanation[] = [];
    let compliant: boolean | null = null;
    if (!outside) {
      const run = this.checkRequirements(state);
      scopes = run.scopes;
      compliant = run.violations === 0;
    }
    return this.document(state, outside, scopes, compliant, this.rows, this.rulesUsed(-1, options.provenance));
  }

  /**
   * A repeating cycle's explanation: each of the subject's cycles as the evaluation gives them,
   * in order — its periods and the cycle, its requirements checked for that cycle, its records,
   * the rules it used — and the subject's rows in no cycle. `only`: explain that cycle alone (by
   * name). Undefined when no row of either file names the subject, or the cycle does not repeat.
   */
  explainCycles(evaluation: Evaluation, options: ExplainOptions = {}, only?: string): CycleExplanations | undefined {
    const state = evaluation.subjectState(this.subject);
    if (!state || (!state.listed && this.rows.length === 0)) return undefined;
    // The cycles as eval gives them first (names, periods' names, days), then the traced run,
    // whose previous(…) nodes name the cycle before.
    const plain = evaluation.subjectCycles(this.subject, new SubjectInterpreter(this.program));
    if (!plain) return undefined;
    const names = plain.map((r) => r.cycleName ?? '');
    const outside = this.outside(state);
    const run = new CycleChecks(this, this.traced, names);
    // A subject outside a fork's own subjects has no check to explain in any cycle.
    const results = outside ? plain : evaluation.subjectCycles(this.subject, new SubjectInterpreter(this.traced, run))!;
    const explanations: Explanation[] = [];
    results.forEach((r, n) => {
      if (only !== undefined && names[n] !== only) return;
      const rows = this.rows.filter((_, k) => this.rowCycles[k] === n);
      const scopes = outside ? [] : run.scopesOf(n, r);
      const doc = this.document(state, outside, scopes, outside ? null : r.compliant, rows, this.rulesUsed(n, options.provenance));
      // The cycle right after the format, as eval puts it right after the subject.
      const { format, format_version, ...rest } = doc;
      explanations.push({ format, format_version, cycle: names[n]!, previous_cycle: n === 0 ? null : names[n - 1]!, ...rest });
    });
    const rest = this.rows.filter((_, k) => this.rowCycles[k] === undefined);
    return {
      format: 'guize-explanation-cycles', format_version: 1, subject: this.subject, cycles: names, explanations,
      ...(only === undefined ? { outside_cycles: { summary: rowSummary(rest), rows: rest } } : {}),
    };
  }

  /** Whether the subject is outside a fork's own subjects. */
  private outside(state: SubjectState): boolean {
    return this.traced.subjectScope !== undefined && this.interpreter.outsideScope(state.context);
  }

  /** The document around the scopes and rows explained. */
  private document(
    state: SubjectState, outside: boolean, scopes: ScopeExplanation[], compliant: boolean | null, rows: RecordExplanation[], rules: RuleUse[],
  ): Explanation {
    const p = this.program.policy;
    const fields: Record<string, TraceValue> = {};
    this.program.subjectFields.forEach((f, i) => {
      if (i !== this.program.subjectKey) fields[f.id] = traceValue(state.fields[i]);
    });
    const scopeRule = outside ? this.checked.outcomes[this.traced.subjectScope!]! : undefined;
    const shortfalls = scopes.flatMap((s) => s.checks.filter((c) => c.status === 'violated' || c.status === 'unknown').map((c) => ({ ...c, period: s.period, ...(s.window === undefined ? {} : { window: s.window }), version: s.version })));
    const versions = versionsJson(p);
    return {
      format: 'guize-explanation',
      format_version: 1,
      policy: { id: p.id, version: p.version, document: p.document, effective: p.effective, ...(versions ? { versions } : {}) },
      names: { subject_key: p.subject.key, subjects: p.subject.collection, period: p.period.name, record_key: p.record.key, period_field: p.period.field },
      subject: {
        id: this.subject, listed: state.listed, fields, in_scope: !outside,
        ...(scopeRule ? { scope_rule: { rule: scopeRule.id, reason: bilingual(scopeRule.reason), article: cites(scopeRule.cites) } } : {}),
      },
      compliant,
      shortfalls,
      measures: this.program.measures.map((m): MeasureInfo => ({
        id: m.id, label: m.label === undefined ? null : bilingual(m.label), unit: unitWords(p, m.unit), grouped: m.grouped,
      })),
      scopes,
      records: { summary: rowSummary(rows), rows },
      rules,
    };
  }

  /** Every check of every requirement, by scope, through the traced program. */
  private checkRequirements(state: NonNullable<ReturnType<Evaluation['subjectState']>>): { scopes: ScopeExplanation[]; violations: number } {
    const p = this.program.policy;
    const traced = this.traced;
    const checks = new Map<number | undefined, RequirementCheck[]>();
    const steps = new Map<number | undefined, LetStep[]>();
    let scope: number | undefined | null = null; // null: none begun yet
    let consumed = 0;
    let mark = 0;
    // The windows of `per N periods` requirements, in the order checked: each a scope of its own.
    type WindowScope = { name: string; version: string; measures: readonly (MeasureValue | undefined)[]; steps: LetStep[]; checks: RequirementCheck[] };
    const windows: WindowScope[] = [];
    let inWindow: WindowScope | undefined;
    let at: { r: CompiledRequirement; index: number; key: string | undefined; period: number | undefined; window?: WindowScope } | undefined;
    const sink = this.sink;
    const listener = {
      window: (name: string, version: number, measures: readonly (MeasureValue | undefined)[]) => {
        windows.push((inWindow = { name, version: this.versionName(version) ?? p.version, measures, steps: [], checks: [] }));
        // Its checks read the trace afresh, and so do the next scope's (null: none begun).
        scope = null;
        sink.reset();
        consumed = 0;
      },
      begin: (r: CompiledRequirement, key: string | undefined, period: number | undefined) => {
        if (r.scope === 'window') {
          mark = sink.mark;
          at = inWindow && { r, index: traced.requirements.indexOf(r), key, period: undefined, window: inWindow };
          return;
        }
        if (period !== scope) {
          scope = period;
          sink.reset();
          consumed = 0;
        }
        mark = sink.mark;
        at = { r, index: traced.requirements.indexOf(r), key, period };
      },
      end: (status: EngineCheckStatus, actual: Decimal | undefined, required: Decimal | undefined, problem: string | undefined) => {
        const c = at;
        if (!c) return;
        if (c.window) {
          const w = c.window;
          w.steps.push(...this.letSteps(consumed, w.version));
          consumed = sink.lets.length;
          const check = this.check(c.r, c.index, c.key, undefined, status, actual, required, problem, mark, w.version, w.name);
          if (check) {
            this.use('rule', c.r.id, w.version);
            w.checks.push(check);
          }
          return;
        }
        const version = scopeVersionName(p, c.period) ?? p.version;
        const list = steps.get(c.period) ?? [];
        list.push(...this.letSteps(consumed, version));
        steps.set(c.period, list);
        consumed = sink.lets.length;
        const check = this.check(c.r, c.index, c.key, c.period, status, actual, required, problem, mark, version);
        if (check) {
          this.use('rule', c.r.id, version);
          const l = checks.get(c.period) ?? [];
          l.push(check);
          checks.set(c.period, l);
        }
      },
    };
    const out = new SubjectInterpreter(traced, listener).run(state.context, state.periodTotals, state.cycleTotals, state.cycle, state.totalsOver);
    const scopeOf = (period: number | undefined, values: readonly (MeasureValue | undefined)[]): ScopeExplanation => ({
      period: period ?? null,
      ...(period !== undefined && out.periodNames ? { name: out.periodNames[period - 1]! } : {}),
      version: scopeVersionName(p, period, period === undefined ? out.lastDay : undefined) ?? p.version,
      measures: Object.fromEntries(this.program.measures.map((m, i) => [m.id, values[i] === undefined ? null : measureJson(values[i]!)])),
      steps: steps.get(period) ?? [],
      checks: checks.get(period) ?? [],
    });
    const windowOf = (w: WindowScope): ScopeExplanation => ({
      period: null, name: w.name, window: w.name, version: w.version,
      measures: Object.fromEntries(this.program.measures.map((m, i) => [m.id, w.measures[i] === undefined ? null : measureJson(w.measures[i]!)])),
      steps: w.steps, checks: w.checks,
    });
    // A subject whose own cycle cannot be placed has no periods. The windows come after the
    // periods and before the cycle, as their violations do.
    const scopes = [
      ...traced.periods.filter((y) => out.periods.has(y)).map((y) => scopeOf(y, out.periods.get(y)!)), ...windows.map(windowOf), scopeOf(undefined, out.cycle),
    ];
    return { scopes, violations: out.violations.length };
  }

  /** @internal One check as the document gives it; undefined for a requirement not in force in the scope's version. */
  check(
    r: CompiledRequirement, index: number, key: string | undefined, period: number | undefined, status: EngineCheckStatus,
    actual: Decimal | undefined, required: Decimal | undefined, problem: string | undefined, since: number, version: string,
    window?: string,
  ): RequirementCheck | undefined {
    const p = this.program.policy;
    const stmt = this.checked.requirements[index]!;
    const whenExpr = stmt.stmt.when;
    if (status === 'not_applicable' && whenExpr && notInForce(whenExpr, (e) => this.sink.get(e, since)?.value)) return undefined;
    const v = violation(r, key, period, actual, required, problem);
    const sentence = sentenceOf(p, v);
    const unit = unitWords(p, r.unit);
    const when = whenExpr ? this.reader.tree(whenExpr, since) : null;
    const actualTrace = status === 'not_applicable' ? null : this.reader.tree(stmt.body.left, since);
    const requiredTrace = status === 'not_applicable' ? null : this.reader.tree(stmt.body.right, since);
    for (const t of [when, actualTrace, requiredTrace]) if (t) this.collectItems(t, version);
    const gap = actual && required ? (r.op === '<' || r.op === '<=' ? actual.sub(required) : required.sub(actual)) : undefined;
    return {
      rule: r.id, key: key ?? null, label: { zh: sentence.zh, en: sentence.en }, article: cites(r.cites), status, op: r.op,
      actual: actual ? jsonNumber(actual) : null, required: required ? jsonNumber(required) : null, unit,
      shortfall: status === 'violated' && gap ? jsonNumber(gap.abs()) : null,
      shortfall_exact: status === 'violated' && gap ? exactText(gap.abs()) : null,
      message: checkMessage(status, sentence, window === undefined ? sentencePeriod(period) : windowWords(window), r.op, unit, actual, required, problem),
      ...(problem === undefined ? {} : { problem }),
      ...(when ? { when } : {}),
      ...(actualTrace ? { actual_trace: actualTrace } : {}),
      ...(requiredTrace ? { required_trace: requiredTrace } : {}),
    };
  }

  // ── Versions and provenance ──────────────────────────────────────────────────────────────────

  /** @internal The name of version `k` of the program (null outside every version). */
  versionName(k: number): string | null {
    const p = this.program.policy;
    if (k < 0) return null;
    return p.versions && p.versions.length > 1 ? p.versions[k]!.version : p.version;
  }

  /** @internal Notes that `item` was used under `version` (in the cycle being explained). */
  use(kind: RuleUse['kind'], item: string, version: string): void {
    const id = `${kind}\u0000${item}\u0000${version}`;
    let used = this.usedBy.get(this.usedIn);
    if (!used) this.usedBy.set(this.usedIn, (used = new Map()));
    if (!used.has(id)) used.set(id, { kind, item, version });
  }

  /** @internal The cycle whose explanation the next uses go to (-1: no repeating cycle). */
  useIn(cycle: number): void {
    this.usedIn = cycle;
  }

  /** @internal The parameters, settings, table rows and bands a trace read. */
  collectItems(t: TraceNode, version: string): void {
    switch (t.kind) {
      case 'parameter': this.use('parameter', t.name, version); break;
      case 'setting': this.use('setting', t.name, version); break;
      case 'lookup': if (t.key !== undefined) this.use('row', `${t.name}[${t.key}]`, version); break;
      case 'band': if (t.band !== undefined) this.use('band', `${t.name}/${t.band}`, version); break;
      default: break;
    }
    for (const a of t.args) if (a) this.collectItems(a, version);
  }

  private rulesUsed(cycle: number, provenance: ProvenanceByVersion | undefined): RuleUse[] {
    const out: RuleUse[] = [];
    for (const u of this.usedBy.get(cycle)?.values() ?? []) {
      const entry = provenance?.get(u.version)?.find((e) => e.kind === u.kind && e.item === u.item);
      out.push({
        kind: u.kind, item: u.item, version: u.version,
        origin: entry?.origin ?? null,
        written_by: entry ? { policy: entry.policy, version: entry.version, file: entry.file, line: entry.line } : null,
        article: entry ? cites(entry.cites) : this.articleOf(u.kind, u.item),
      });
    }
    return out;
  }

  /** An item's articles from the program itself (without provenance). */
  private articleOf(kind: RuleUse['kind'], item: string): string {
    const p = this.program.policy;
    const s = kind === 'rule' ? p.rules.statements.find((x) => x.id === item) : undefined;
    if (s) return cites(s.cites);
    if (kind === 'parameter') return cites(p.parameters.find((x) => x.id === item)?.cites ?? []);
    if (kind === 'setting') return cites(p.settings.find((x) => x.id === item)?.cites ?? []);
    return '';
  }
}

/** The counts of rows: evaluated (counted + disregarded), rejected, out of scope. */
function rowSummary(rows: readonly RecordExplanation[]): Explanation['records']['summary'] {
  const count = (k: RecordExplanation['status']) => rows.filter((r) => r.status === k).length;
  return {
    rows: rows.length, evaluated: count('counted') + count('disregarded'), counted: count('counted'),
    disregarded: count('disregarded'), rejected: count('rejected'), out_of_scope: count('out_of_scope'),
  };
}

/** Whether a requirement's `when` was false only because its version guard was: the requirement is not in force then. */
function notInForce(when: Expr, valueOf: (e: Expr) => Value): boolean {
  if (isVersionGuard(when)) return valueOf(when) === false;
  return when.kind === 'binary' && when.op === 'and' && isVersionGuard(when.left) && valueOf(when.left) === false;
}


/** A check's outcome in words, in both languages. */
function checkMessage(
  status: EngineCheckStatus, s: { zh: string; en: string }, when: { zh: string; en: string }, op: string, unit: Bilingual,
  actual: Decimal | undefined, required: Decimal | undefined, problem: string | undefined,
): Bilingual {
  const en = (u: string) => (u ? ` ${u}` : '');
  // A yes/no requirement has no numbers to give: it held, or did not (its trace shows which part).
  if ((status === 'met' || status === 'violated') && actual === undefined && required === undefined) {
    return status === 'met'
      ? { zh: `${when.zh} ${s.zh}：条件成立，已满足`, en: `${when.en}: ${s.en}: the condition holds — met` }
      : { zh: `${when.zh} ${s.zh}：条件不成立`, en: `${when.en}: ${s.en}: the condition does not hold` };
  }
  switch (status) {
    case 'not_applicable':
      return { zh: `${when.zh} ${s.zh}：不适用`, en: `${when.en}: ${s.en}: not applicable` };
    case 'unknown':
      return { zh: `${when.zh} ${s.zh}：无法判断，缺少 ${problem}`, en: `${when.en}: ${s.en}: cannot be checked, ${problem} is missing` };
    case 'met':
      return {
        zh: `${when.zh} ${s.zh}：实际 ${fixedText(actual!)}${unit.zh}，要求${opText(op, 'zh')} ${fixedText(required!)}${unit.zh}，已满足`,
        en: `${when.en}: ${s.en}: ${fixedText(actual!)}${en(unit.en)}, requires ${opText(op, 'en')} ${fixedText(required!)}${en(unit.en)} — met`,
      };
    case 'violated': {
      const a = actual!;
      const r = required!;
      if (op === '>=' || op === '>') {
        const gap = exactText(r.sub(a));
        const more = op === '>' ? { zh: '（须多于要求）', en: ' (more than required)' } : { zh: '', en: '' };
        return { zh: `${when.zh} ${s.zh}还差 ${gap} ${unit.zh}${more.zh}`.replace(/ +$/, ''), en: `${when.en}: ${s.en} needs ${gap} more${en(unit.en)}${more.en}` };
      }
      if (op === '<=' || op === '<') {
        const gap = exactText(a.sub(r));
        return { zh: `${when.zh} ${s.zh}超出 ${gap} ${unit.zh}`.replace(/ +$/, ''), en: `${when.en}: ${s.en} is ${gap}${en(unit.en)} over` };
      }
      return {
        zh: `${when.zh} ${s.zh}：实际 ${fixedText(a)}${unit.zh}，要求${opText(op, 'zh')} ${fixedText(r)}${unit.zh}`,
        en: `${when.en}: ${s.en}: ${fixedText(a)}${en(unit.en)}, requires ${opText(op, 'en')} ${fixedText(r)}${en(unit.en)}`,
      };
    }
  }
}

/** A decimal exactly, with at least 2 places (`6.00`, `1.875`): a shortfall is said as it is, not rounded. */
function exactText(d: Decimal): string {
  const text = d.toString();
  const dot = text.indexOf('.');
  return dot < 0 || text.length - dot - 1 < 2 ? d.toFixed(2) : text;
}

const OP_WORDS: Record<string, Bilingual> = {
  '>=': { zh: '不少于', en: 'at least' }, '>': { zh: '多于', en: 'more than' },
  '<=': { zh: '不超过', en: 'at most' }, '<': { zh: '少于', en: 'less than' },
  '==': { zh: '等于', en: 'exactly' }, '!=': { zh: '不等于', en: 'other than' },
};

function opText(op: string, lang: 'zh' | 'en'): string {
  return OP_WORDS[op]?.[lang] ?? op;
}
