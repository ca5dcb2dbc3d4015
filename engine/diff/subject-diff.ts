// The subjects of a diff: both sides' results, which come in id order, merge-joined one subject
// at a time. What is kept is what the document holds — the changed subjects, counts by
// requirement and group, and the deltas of the measures that changed (for their quartiles) —
// never both sides' results whole.

import { assertNever } from '../../dsl/index.ts';
import type { Program } from '../compile.ts';
import type { Decimal } from '../decimal.ts';
import { jsonNumber } from '../output/display.ts';
import type { ResultStream, SubjectResult } from '../results.ts';
import type { JsonWriter } from '../output/json-writer.ts';
import { ChangedWriter, violationJson } from './changed-writer.ts';
import { distribution } from './distribution.ts';
import type {
  ChangedSubject, DiffStanding, GroupChange, MeasureChange, MeasureDistribution, RuleFailures, Transition,
} from './diff-json.ts';
import { differenceInto, Held, Numbers, sameNumber, SideView, type Failures, type FailuresOf } from './side-view.ts';

/** What the merge of the subjects comes to: the parts of the document that are about subjects. */
export interface SubjectDiff {
  readonly summary: {
    subjects: number; unchanged: number; became_compliant: number; became_non_compliant: number; changed_measures: number;
    base_compliant: number; head_compliant: number; only_base: number; only_head: number;
  };
  /** The changed subjects as objects (empty when they were written to a stream instead). */
  readonly changed: ChangedSubject[];
  readonly by_rule: RuleFailures[];
  readonly measures: MeasureDistribution[];
  readonly by_group: Record<string, GroupChange[]>;
}

interface GroupTally {
  subjects: number; base_compliant: number; head_compliant: number; became_compliant: number; became_non_compliant: number;
}

/**
 * Merge-joins both sides' subjects. `groupBy`: the subject fields to count by group (empty
 * without a subjects file). With `stream` (compact output), the changed subjects are written
 * there as they are found, as elements of its open array (and `changed` is empty); without, they
 * are built as objects into `changed`.
 */
export function diffSubjects(base: ResultStream, head: ResultStream, groupBy: readonly string[], stream?: JsonWriter): SubjectDiff {
  const pa = base.program;
  const pb = head.program;
  const subjectKey = pa.policy.subject.key;
  const failures = new Map<string, Failures>();
  const failuresOf: FailuresOf = (rule, key, period, cites, window) => {
    // Which requirement, loop key and period (or window) a violation is of.
    const k = `${rule}\u0000${key ?? ''}\u0000${period ?? ''}\u0000${window ?? ''}`;
    let f = failures.get(k);
    if (!f) {
      f = {
        rule, article: cites.length > 0 ? cites.join('; ') : null, year: period ?? null, key: key ?? null, window,
        base_failures: 0, head_failures: 0, newly_failing: 0, newly_passing: 0, baseStamp: -1, headStamp: -1, passStamp: -1,
      };
      failures.set(k, f);
    }
    return f;
  };
  const A = new SideView(pa, failuresOf);
  const B = new SideView(pb, failuresOf);
  const ma = A.names.names;
  const mb = B.names.names;
  // Every measure name of either side, base's order first; where each side has it (-1: not).
  const all = [...ma, ...mb.filter((n) => !ma.includes(n))];
  const atA = Int32Array.from(all, (n) => ma.indexOf(n));
  const atB = Int32Array.from(all, (n) => mb.indexOf(n));
  const deltas: Decimal[][] = all.map(() => []);
  const delta = new Numbers(all.length);
  const changedAt = new Int32Array(all.length);
  const groups = new Map<string, Map<string, GroupTally>>(groupBy.map((g) => [g, new Map()]));
  const groupFieldA = groupBy.map((g) => pa.subjectFields.findIndex((f) => f.decl.id === g));
  const groupFieldB = groupBy.map((g) => pb.subjectFields.findIndex((f) => f.decl.id === g));
  const groupValues: (string | null)[] = groupBy.map(() => null);
  const summary = {
    subjects: 0, unchanged: 0, became_compliant: 0, became_non_compliant: 0, changed_measures: 0,
    base_compliant: 0, head_compliant: 0, only_base: 0, only_head: 0,
  };
  const changed: ChangedSubject[] = [];
  const out = stream && new ChangedWriter(stream, subjectKey, all, groupBy);
  let stamp = 0;

  const visit = (a: SubjectResult | undefined, b: SubjectResult | undefined): void => {
    summary.subjects++;
    if (a?.compliant) summary.base_compliant++;
    if (b?.compliant) summary.head_compliant++;
    A.load(a);
    B.load(b);
    stamp++;
    // Failures per requirement: every violation counts; one on head that base did not have
    // (with base present) is newly failing, one of base's that head lacks newly passing.
    for (let i = 0; i < A.count; i++) {
      const f = A.failures[i]!;
      f.base_failures++;
      f.baseStamp = stamp;
    }
    for (let i = 0; i < B.count; i++) {
      const f = B.failures[i]!;
      f.head_failures++;
      f.headStamp = stamp;
      if (a && f.baseStamp !== stamp) f.newly_failing++;
    }
    if (a && b) {
      for (let i = 0; i < A.count; i++) {
        const f = A.failures[i]!;
        if (f.passStamp === stamp) continue;
        f.passStamp = stamp;
        if (f.headStamp !== stamp) f.newly_passing++;
      }
    }
    const transition: Transition = !b ? 'only_base' : !a ? 'only_head'
      : a.compliant === b.compliant ? (a.compliant ? 'stayed_compliant' : 'stayed_non_compliant')
      : b.compliant ? 'became_compliant' : 'became_non_compliant';

    // Measures: every name of either side whose value differs.
    let measuresChanged = 0;
    for (let t = 0; t < all.length; t++) {
      const i = atA[t]!;
      const j = atB[t]!;
      const x = a !== undefined && i >= 0 && A.measures.held[i] !== Held.None;
      const y = b !== undefined && j >= 0 && B.measures.held[j] !== Held.None;
      if (!x && !y) continue;
      if (x && y) {
        if (sameNumber(A.measures, i, B.measures, j)) continue;
        differenceInto(delta, t, A.measures, i, B.measures, j);
        deltas[t]!.push(delta.decimal(t)!);
      } else delta.held[t] = Held.None;
      changedAt[measuresChanged++] = t;
    }
    const measuresDiffer = measuresChanged > 0;
    let violationsDiffer = false;
    if (a && b) {
      if (A.count !== B.count) violationsDiffer = true;
      else {
        for (let j = 0; j < B.count && !violationsDiffer; j++) {
          let found = false;
          for (let i = 0; i < A.count && !found; i++) found = A.sameViolation(i, B, j);
          violationsDiffer = !found;
        }
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

    if (groupBy.length > 0) {
      for (let k = 0; k < groupBy.length; k++) {
        // Head's value, else base's.
        const vb = b && groupFieldB[k]! >= 0 ? b.fields[groupFieldB[k]!] : undefined;
        const va = a && groupFieldA[k]! >= 0 ? a.fields[groupFieldA[k]!] : undefined;
        const v = vb ?? va;
        const value = v === undefined ? null : String(v);
        groupValues[k] = value;
        const tallies = groups.get(groupBy[k]!)!;
        const name = value ?? '';
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
    const id = (a ?? b)!.id;
    const cycle = (a ?? b)!.cycleName;
    const g = groupBy.length > 0 ? groupValues : undefined;
    if (out) {
      out.write(id, cycle, transition, A, B, measuresChanged, changedAt, atA, atB, delta, g);
      return;
    }
    const measures: Record<string, MeasureChange> = {};
    for (let c = 0; c < measuresChanged; c++) {
      const t = changedAt[c]!;
      const x = a && atA[t]! >= 0 ? A.measures.decimal(atA[t]!) : undefined;
      const y = b && atB[t]! >= 0 ? B.measures.decimal(atB[t]!) : undefined;
      const d = delta.held[t] === Held.None ? undefined : delta.decimal(t);
      measures[all[t]!] = { base: x ? jsonNumber(x) : null, head: y ? jsonNumber(y) : null, delta: d ? jsonNumber(d) : null };
    }
    changed.push({
      [subjectKey]: id,
      ...(cycle === undefined ? {} : { cycle }),
      transition,
      base: standing(a, pa),
      head: standing(b, pb),
      measures,
      ...(g ? { groups: Object.fromEntries(groupBy.map((f, k) => [f, g[k]!])) } : {}),
    } as ChangedSubject);
  };

  const ia = base.subjects()[Symbol.iterator]();
  const ib = head.subjects()[Symbol.iterator]();
  let x = ia.next();
  let y = ib.next();
  while (!x.done || !y.done) {
    // Both streams are in the same order (the evaluation's: by id, then a subject's cycles in
    // time), so the smaller goes first; a result pairs with the one of the same subject and cycle.
    const order = x.done || y.done ? 0 : resultOrder(x.value, y.value);
    if (y.done || (!x.done && order < 0)) {
      visit(x.value as SubjectResult, undefined);
      x = ia.next();
    } else if (x.done || order > 0) {
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
  const by_rule: RuleFailures[] = [...failures.values()].sort((f, g) =>
    (ruleOrder.get(f.rule) ?? 1e9) - (ruleOrder.get(g.rule) ?? 1e9)
    || (f.year ?? Infinity) - (g.year ?? Infinity)
    || compareText(f.window ?? '', g.window ?? '')
    || compareText(f.key ?? '', g.key ?? ''))
    .map((f) => ({
      rule: f.rule, article: f.article, year: f.year, ...(f.window === undefined ? {} : { window: f.window }), key: f.key,
      base_failures: f.base_failures, head_failures: f.head_failures, newly_failing: f.newly_failing, newly_passing: f.newly_passing,
    }));
  const measuresOut: MeasureDistribution[] = [];
  all.forEach((name, t) => {
    const list = deltas[t]!;
    if (list.length > 0) measuresOut.push(distribution(name, list));
  });
  const by_group: Record<string, GroupChange[]> = {};
  for (const [field, tallies] of groups) {
    by_group[field] = [...tallies].sort(([p], [q]) => compareText(p, q)).map(([group, t]) => ({ group, ...t }));
  }
  return { summary, changed, by_rule, measures: measuresOut, by_group };
}

/** A subject's standing on one side, as the document gives it. */
function standing(s: SubjectResult | undefined, p: Program): DiffStanding {
  return s ? { present: true, compliant: s.compliant, violations: s.violations.map((v) => violationJson(p, v)) } : { present: false, compliant: null, violations: [] };
}

/**
 * Two results' order: by subject id, then by cycle name. A subject's cycles are named by their
 * years or first days (`2019-2020`, `2019-07-01/2021-06-30`), which sort as they come in time; a
 * result with no cycle (a cycle that does not repeat) has none to pair with one that has.
 */
function resultOrder(a: SubjectResult, b: SubjectResult): number {
  return compareText(a.id, b.id) || compareText(a.cycleName ?? '', b.cycleName ?? '');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
