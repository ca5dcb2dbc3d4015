// The subjects of a diff: both sides' results, which come in id order, merge-joined one subject
// at a time. What is kept is what the document holds — the changed subjects, counts by
// requirement and group, and the deltas of the measures that changed (for their quartiles) —
// never both sides' results whole.

import { assertNever } from '../../dsl/index.ts';
import type { Program } from '../compile.ts';
import { Decimal } from '../decimal.ts';
import { roundedForDisplay, jsonNumber } from '../output/display.ts';
import { Quotient } from '../quotient.ts';
import { violationMessage } from '../report.ts';
import type { MeasureValue, ResultStream, SubjectResult, Violation } from '../results.ts';
import { ruleSourceOf, ruleSourceText, scopeVersionName } from '../versions.ts';
import { distribution } from './distribution.ts';
import type {
  ChangedSubject, DiffStanding, DiffViolation, GroupChange, MeasureChange, MeasureDistribution, RuleFailures, Transition,
} from './diff-json.ts';

/** What the merge of the subjects comes to: the parts of the document that are about subjects. */
export interface SubjectDiff {
  readonly summary: {
    subjects: number; unchanged: number; became_compliant: number; became_non_compliant: number; changed_measures: number;
    base_compliant: number; head_compliant: number; only_base: number; only_head: number;
  };
  readonly changed: ChangedSubject[];
  readonly by_rule: RuleFailures[];
  readonly measures: MeasureDistribution[];
  readonly by_group: Record<string, GroupChange[]>;
}

/**
 * The names of a program's cycle-level number measures (a grouped one's keys as `id.key`) and
 * how to read each from a result's cycle values: a measure's index, and a key's (-1: none).
 */
function measureNames(program: Program): { names: string[]; measure: number[]; key: (string | undefined)[] } {
  const names: string[] = [];
  const measure: number[] = [];
  const key: (string | undefined)[] = [];
  program.measures.forEach((m, j) => {
    if (m.grouped) {
      for (const k of m.keys) {
        names.push(`${m.id}.${k}`);
        measure.push(j);
        key.push(k);
      }
    } else {
      names.push(m.id);
      measure.push(j);
      key.push(undefined);
    }
  });
  return { names, measure, key };
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

/** A violation as the diff document writes it (as the eval report does). */
function violationJson(p: Program, v: Violation): DiffViolation {
  const version = scopeVersionName(p.policy, v.period);
  const source = ruleSourceOf(p.policy, v.period, v.rule);
  return {
    rule: v.rule, key: v.key ?? null, article: v.cites.length > 0 ? v.cites.join('; ') : null, year: v.period ?? null,
    actual: v.actual ? jsonNumber(v.actual) : null, required: v.required ? jsonNumber(v.required) : null,
    message: violationMessage(p.policy, v), ...(version === undefined ? {} : { version }),
    ...(source === undefined ? {} : { origin: source.origin, source: ruleSourceText(source) }),
  };
}

/** Which requirement, loop key and period a violation is of. */
const failureKey = (v: Violation) => `${v.rule}\u0000${v.key ?? ''}\u0000${v.period ?? ''}`;
/** The same with its numbers: two violations alike in all of it are the same violation. */
const violationKey = (v: Violation) => `${failureKey(v)}\u0000${v.actual?.toString() ?? ''}\u0000${v.required?.toString() ?? ''}\u0000${v.problem ?? ''}`;

interface Failures {
  rule: string; article: string | null; year: number | null; key: string | null;
  base_failures: number; head_failures: number; newly_failing: number; newly_passing: number;
}

interface GroupTally {
  subjects: number; base_compliant: number; head_compliant: number; became_compliant: number; became_non_compliant: number;
}

/**
 * Merge-joins both sides' subjects. `groupBy`: the subject fields to count by group (empty
 * without a subjects file).
 */
export function diffSubjects(base: ResultStream, head: ResultStream, groupBy: readonly string[]): SubjectDiff {
  const pa = base.program;
  const pb = head.program;
  const subjectKey = pa.policy.subject.key;
  const ma = measureNames(pa);
  const mb = measureNames(pb);
  // Every measure name of either side, base's order first.
  const all = [...ma.names, ...mb.names.filter((n) => !ma.names.includes(n))];
  const atA = new Map(ma.names.map((n, i) => [n, i]));
  const atB = new Map(mb.names.map((n, i) => [n, i]));
  const deltas = new Map<string, Decimal[]>();
  const failures = new Map<string, Failures>();
  const groups = new Map<string, Map<string, GroupTally>>(groupBy.map((g) => [g, new Map()]));
  const groupFieldA = groupBy.map((g) => pa.subjectFields.findIndex((f) => f.decl.id === g));
  const groupFieldB = groupBy.map((g) => pb.subjectFields.findIndex((f) => f.decl.id === g));
  const summary = {
    subjects: 0, unchanged: 0, became_compliant: 0, became_non_compliant: 0, changed_measures: 0,
    base_compliant: 0, head_compliant: 0, only_base: 0, only_head: 0,
  };
  const changed: ChangedSubject[] = [];

  const numbers = (s: SubjectResult | undefined, m: ReturnType<typeof measureNames>): (Decimal | undefined)[] => {
    if (!s) return [];
    const cycle = s.cycle;
    return m.names.map((_, i) => comparable(cycle[m.measure[i]!], m.key[i]));
  };

  const tallyFailures = (s: SubjectResult, side: 'base' | 'head', other: Set<string> | undefined): Set<string> => {
    const keys = new Set<string>();
    for (const v of s.violations) {
      const k = failureKey(v);
      keys.add(k);
      let f = failures.get(k);
      if (!f) {
        f = { rule: v.rule, article: v.cites.length > 0 ? v.cites.join('; ') : null, year: v.period ?? null, key: v.key ?? null, base_failures: 0, head_failures: 0, newly_failing: 0, newly_passing: 0 };
        failures.set(k, f);
      }
      if (side === 'base') f.base_failures++;
      else f.head_failures++;
      // A failure on head that base did not have (base's are counted when head's are known).
      if (other && !other.has(k)) f.newly_failing++;
    }
    return keys;
  };

  const groupValues = (a: SubjectResult | undefined, b: SubjectResult | undefined): Record<string, string | null> => {
    const out: Record<string, string | null> = {};
    groupBy.forEach((g, k) => {
      const vb = b && groupFieldB[k]! >= 0 ? b.fields[groupFieldB[k]!] : undefined;
      const va = a && groupFieldA[k]! >= 0 ? a.fields[groupFieldA[k]!] : undefined;
      const v = vb ?? va;
      out[g] = v === undefined ? null : String(v);
    });
    return out;
  };

  const standing = (s: SubjectResult | undefined, p: Program): DiffStanding =>
    s ? { present: true, compliant: s.compliant, violations: s.violations.map((v) => violationJson(p, v)) } : { present: false, compliant: null, violations: [] };

  const visit = (a: SubjectResult | undefined, b: SubjectResult | undefined): void => {
    summary.subjects++;
    if (a?.compliant) summary.base_compliant++;
    if (b?.compliant) summary.head_compliant++;
    const va = a ? tallyFailures(a, 'base', undefined) : undefined;
    const vb = b ? tallyFailures(b, 'head', va) : undefined;
    if (va && vb) {
      for (const k of va) if (!vb.has(k)) failures.get(k)!.newly_passing++;
    }
    const transition: Transition = !b ? 'only_base' : !a ? 'only_head'
      : a.compliant === b.compliant ? (a.compliant ? 'stayed_compliant' : 'stayed_non_compliant')
      : b.compliant ? 'became_compliant' : 'became_non_compliant';

    // Measures: every name of either side whose value differs.
    const na = numbers(a, ma);
    const nb = numbers(b, mb);
    const measures: Record<string, MeasureChange> = {};
    let measuresDiffer = false;
    for (const name of all) {
      const i = atA.get(name);
      const j = atB.get(name);
      const x = a && i !== undefined ? na[i] : undefined;
      const y = b && j !== undefined ? nb[j] : undefined;
      if (x && y && x.eq(y)) continue;
      if (!x && !y) continue;
      measuresDiffer = true;
      let delta: Decimal | undefined;
      if (x && y) {
        delta = y.sub(x);
        let list = deltas.get(name);
        if (!list) deltas.set(name, (list = []));
        list.push(delta);
      }
      measures[name] = { base: x ? jsonNumber(x) : null, head: y ? jsonNumber(y) : null, delta: delta ? jsonNumber(delta) : null };
    }
    let violationsDiffer = false;
    if (a && b) {
      if (a.violations.length !== b.violations.length) violationsDiffer = true;
      else {
        const keys = new Set(a.violations.map(violationKey));
        violationsDiffer = b.violations.some((v) => !keys.has(violationKey(v)));
      }
    }

    switch (transition) {
      case 'only_base': summary.only_base++; break;
      case 'only_head': summary.only_head++; break;
      case 'became_compliant': summary.became_compliant++; break;
      case 'became_non_compliant': summary.became_non_compliant++; break;
      case 'stayed_compliant':
      case 'stayed_non_compliant':
        if (measuresDiffer || violationsDiffer) summary.changed_measures++;
        else summary.unchanged++;
        break;
      default: assertNever(transition);
    }

    const g = groupBy.length > 0 ? groupValues(a, b) : undefined;
    if (g) {
      for (const field of groupBy) {
        const name = g[field] ?? '';
        const tallies = groups.get(field)!;
        let t = tallies.get(name);
        if (!t) tallies.set(name, (t = { subjects: 0, base_compliant: 0, head_compliant: 0, became_compliant: 0, became_non_compliant: 0 }));
        t.subjects++;
        if (a?.compliant) t.base_compliant++;
        if (b?.compliant) t.head_compliant++;
        if (transition === 'became_compliant') t.became_compliant++;
        if (transition === 'became_non_compliant') t.became_non_compliant++;
      }
    }

    const isChanged = transition !== 'stayed_compliant' && transition !== 'stayed_non_compliant' ? true : measuresDiffer || violationsDiffer;
    if (!isChanged) return;
    changed.push({
      [subjectKey]: (a ?? b)!.id,
      transition,
      base: standing(a, pa),
      head: standing(b, pb),
      measures,
      ...(g ? { groups: g } : {}),
    } as ChangedSubject);
  };

  const ia = base.subjects()[Symbol.iterator]();
  const ib = head.subjects()[Symbol.iterator]();
  let x = ia.next();
  let y = ib.next();
  while (!x.done || !y.done) {
    // Both streams are in the same id order (the evaluation's), so the smaller id goes first.
    if (y.done || (!x.done && x.value.id < y.value.id)) {
      visit(x.value as SubjectResult, undefined);
      x = ia.next();
    } else if (x.done || y.value.id < x.value.id) {
      visit(undefined, y.value);
      y = ib.next();
    } else {
      visit(x.value, y.value);
      x = ia.next();
      y = ib.next();
    }
  }

  const ruleOrder = new Map<string, number>();
  for (const p of [pa, pb]) for (const r of p.requirements) if (!ruleOrder.has(r.id)) ruleOrder.set(r.id, ruleOrder.size);
  const by_rule = [...failures.values()].sort((f, g) =>
    (ruleOrder.get(f.rule) ?? 1e9) - (ruleOrder.get(g.rule) ?? 1e9)
    || (f.year ?? Infinity) - (g.year ?? Infinity)
    || compareText(f.key ?? '', g.key ?? ''));
  const measuresOut: MeasureDistribution[] = [];
  for (const name of all) {
    const list = deltas.get(name);
    if (list && list.length > 0) measuresOut.push(distribution(name, list));
  }
  const by_group: Record<string, GroupChange[]> = {};
  for (const [field, tallies] of groups) {
    by_group[field] = [...tallies].sort(([p], [q]) => compareText(p, q)).map(([group, t]) => ({ group, ...t }));
  }
  return { summary, changed, by_rule, measures: measuresOut, by_group };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
