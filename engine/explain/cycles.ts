// `guize explain` of a repeating cycle (`cycle.every`): the evaluation works the subject's cycles
// out in order (Evaluation.subjectCycles), each with the one before at hand for `previous(m)`;
// this listener, told of each scope as it is entered (SubjectInterpreter.runCycles), reads what the
// traced program recorded there — the lets and checks, as for one cycle (explainer.ts), and how each
// measure that reads `previous(…)` was worked out, with the cycle its value came from — so that a
// carried value reads as arithmetic a reader can check by hand. Nothing here evaluates a rule.

import { children, type CheckedPolicy, type Expr } from '../../dsl/index.ts';
import type { CompiledRequirement, Program } from '../compile.ts';
import type { Decimal } from '../decimal.ts';
import type { CheckListener, CheckStatus } from '../interpret.ts';
import { unitWords } from '../report.ts';
import type { MeasureValue, SubjectResult } from '../results.ts';
import type { SubjectExplainer } from './explainer.ts';
import { measureJson } from './measure-json.ts';
import type { LetStep, MeasureStep, PreviousValue, RequirementCheck, ScopeExplanation, TraceNode } from './types.ts';

/** What one scope of one cycle came to, as it is read. */
interface ScopeRecord {
  readonly cycle: number;
  readonly period: number | undefined;
  /** A window of `per N periods` (its name) and its measures' values, or undefined for a period or the cycle. */
  readonly window?: { readonly name: string; readonly measures: readonly (MeasureValue | undefined)[] };
  readonly version: string;
  readonly steps: LetStep[];
  readonly checks: RequirementCheck[];
  readonly previous: PreviousValue[];
  readonly derivations: MeasureStep[];
  /** Lets of the scope already taken into `steps`. */
  consumed: number;
}

/** Told of every scope and check of a repeating cycle's run, through the traced program. */
export class CycleChecks implements CheckListener {
  private readonly scopes: ScopeRecord[] = [];
  private current: ScopeRecord | undefined;
  private at: { r: CompiledRequirement; index: number; key: string | undefined; period: number | undefined; mark: number } | undefined;
  /** The measures shown worked out: those that read previous(…), themselves or through others. */
  private readonly derived: readonly number[];

  constructor(
    private readonly explainer: SubjectExplainer,
    private readonly program: Program,
    /** The subject's cycles' names, in order. */
    private readonly names: readonly string[],
  ) {
    this.derived = readingPrevious(program.checked);
  }

  scope(cycle: number, period: number | undefined, versionIndex: number): void {
    const x = this.explainer;
    // Each scope is read apart: the cycles' own scopes all have period undefined.
    x.sink.reset();
    x.reader.previousCycle = cycle === 0 ? null : (this.names[cycle - 1] ?? null);
    x.useIn(cycle);
    // Named as the interpreter chose it, however the cycle's days were worked out.
    const version = x.versionName(versionIndex) ?? this.program.policy.version;
    this.current = { cycle, period, version, steps: [], checks: [], previous: [], derivations: [], consumed: 0 };
    this.scopes.push(this.current);
  }

  /** A window of the cycle being run (after its periods, before the cycle itself): a scope of its own. */
  window(name: string, versionIndex: number, measures: readonly (MeasureValue | undefined)[]): void {
    const x = this.explainer;
    const cycle = this.current?.cycle ?? 0;
    x.sink.reset();
    const version = x.versionName(versionIndex) ?? this.program.policy.version;
    this.current = { cycle, period: undefined, window: { name, measures }, version, steps: [], checks: [], previous: [], derivations: [], consumed: 0 };
    this.scopes.push(this.current);
  }

  measured(): void {
    const c = this.current!;
    const x = this.explainer;
    const checked = this.program.checked;
    for (const i of this.derived) {
      const m = checked.measures[i]!;
      const trace = x.reader.tree(m.stmt.value, 0);
      if (!trace) continue;
      x.use('rule', m.stmt.id, c.version);
      x.collectItems(trace, c.version);
      const unit = unitWords(this.program.policy, this.program.measures[i]!.unit);
      c.derivations.push({ measure: m.stmt.id, value: trace.value, unit, article: m.stmt.cites.join('; '), trace });
      this.notePrevious(trace);
    }
    this.takeSteps();
  }

  begin(r: CompiledRequirement, key: string | undefined, period: number | undefined): void {
    this.at = { r, index: this.program.requirements.indexOf(r), key, period, mark: this.explainer.sink.mark };
  }

  end(status: CheckStatus, actual: Decimal | undefined, required: Decimal | undefined, problem: string | undefined): void {
    const c = this.current!;
    const a = this.at!;
    const x = this.explainer;
    this.takeSteps();
    const check = x.check(a.r, a.index, a.key, a.period, status, actual, required, problem, a.mark, c.version, c.window?.name);
    if (!check) return;
    x.use('rule', a.r.id, c.version);
    c.checks.push(check);
    for (const t of [check.when, check.actual_trace, check.required_trace]) if (t) this.notePrevious(t);
  }

  /** The scopes of cycle `n` as the document gives them, with the measures of its result. */
  scopesOf(n: number, result: SubjectResult): ScopeExplanation[] {
    const measures = this.program.measures;
    return this.scopes.filter((s) => s.cycle === n).map((s): ScopeExplanation => {
      const values = s.window ? s.window.measures : s.period === undefined ? result.cycle : result.periods.get(s.period) ?? [];
      const name = s.window ? s.window.name : s.period === undefined ? undefined : periodName(result, s.period);
      return {
        period: s.period ?? null,
        ...(name === undefined ? {} : { name }),
        ...(s.window ? { window: s.window.name } : {}),
        version: s.version,
        measures: Object.fromEntries(measures.map((m, i) => [m.id, values[i] === undefined ? null : measureJson(values[i]!)])),
        steps: s.steps,
        checks: s.checks,
        previous: s.previous,
        derivations: s.derivations,
      };
    });
  }

  /** The lets finished since the last taken, into the scope's steps. */
  private takeSteps(): void {
    const c = this.current!;
    const x = this.explainer;
    const steps = x.letSteps(c.consumed, c.version);
    c.consumed = x.sink.lets.length;
    c.steps.push(...steps);
    for (const s of steps) this.notePrevious(s.trace);
  }

  /** Each previous(…) node of a trace, once per measure and default, into the scope's list. */
  private notePrevious(t: TraceNode): void {
    const list = this.current!.previous;
    if (t.kind === 'previous') {
      const d = t.args[0] ?? null;
      const same = (v: PreviousValue) => v.measure === t.name && JSON.stringify(v.default) === JSON.stringify(d);
      if (!list.some(same)) list.push({ measure: t.name, value: t.value, cycle: t.cycle ?? null, default: d });
    }
    for (const a of t.args) if (a) this.notePrevious(a);
  }
}

/**
 * The name of a result's period `period`, where periods have names: by its place among the
 * result's own periods when the result names just those, else by its place in the cycle (1 first).
 */
function periodName(result: SubjectResult, period: number): string | undefined {
  const names = result.periodNames;
  if (names === undefined) return undefined;
  const keys = [...result.periods.keys()];
  return names.length === keys.length && keys.includes(period) ? names[keys.indexOf(period)] : names[period - 1];
}

/**
 * The measures (indices, in the policy's order) that read `previous(…)`, in their own definition
 * or through the measures and lets they read.
 */
export function readingPrevious(checked: CheckedPolicy): number[] {
  const direct = checked.measures.map((m) => reads(checked, m.stmt.value));
  const out = new Set<number>();
  direct.forEach((r, i) => {
    if (r.previous) out.add(i);
  });
  // Whatever reads a measure that reads previous(…) reads it too: until nothing more is added.
  for (let grew = true; grew;) {
    grew = false;
    direct.forEach((r, i) => {
      if (!out.has(i) && [...r.measures].some((m) => out.has(m))) {
        out.add(i);
        grew = true;
      }
    });
  }
  return [...out].sort((a, b) => a - b);
}

/** Whether `e` calls previous(…), and the measures it reads (through lets too). */
function reads(checked: CheckedPolicy, e: Expr): { previous: boolean; measures: Set<number> } {
  const measures = new Set<number>();
  let previous = false;
  const seenLets = new Set<number>();
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.kind === 'call' && checked.previousCalls.has(x)) {
      // The measure it names is read in the cycle before, not this one; its default is read here.
      previous = true;
      stack.push(...x.args.slice(1));
      continue;
    }
    if (x.kind === 'name') {
      const r = checked.names.get(x);
      if (r?.r === 'measure') measures.add(r.index);
      if (r?.r === 'let' && !seenLets.has(r.index)) {
        seenLets.add(r.index);
        stack.push(checked.lets[r.index]!.stmt.value);
      }
    }
    stack.push(...children(x));
  }
  return { previous, measures };
}
