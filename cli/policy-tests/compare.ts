// A case's expectations against the JSON report (engine/report.ts): only what the case names is
// compared. Numbers compare as exact decimals, as written in the test file against the report's
// (rounded half up to 2 places, as every report shows them). A name the report does not have is
// not a mismatch but a mistake in the test: it is returned as a name problem, with a suggestion.

import { Decimal } from '../../engine/index.ts';
import { didYouMean } from '../../dsl/index.ts';

/** A path under a case's `expect`. */
export type ExpectPath = readonly (string | number)[];

/** One difference between what a case expects and what the report says. */
export interface Mismatch {
  readonly path: ExpectPath;
  readonly expected: unknown;
  readonly actual: unknown;
  /** Said instead of expected/actual when they do not tell it (a violation missing, say). */
  readonly note?: string;
}

/** A name an expectation uses that the report has no such thing as. */
export interface NameProblem {
  readonly path: ExpectPath;
  readonly name: string;
  readonly help: string | undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the comparison needs to know of the report's names. */
export interface ReportNames {
  /** The subject key (`teacher_id`) and collection (`teachers`) of the report. */
  readonly subjectKey: string;
  readonly collection: string;
  /** The record key (`record_id`): `key` in an expected rejection stands for it. */
  readonly recordKey: string;
  /** The name of a violation's period in the report (`year`); a case writes `year` whatever it is. */
  readonly periodName: string;
  /** Whether the cycle repeats: the report then has one entry per subject and cycle. */
  readonly repeating?: boolean;
}

/** Compares a case's `expect` (less `error`) with a report; `numberText` gives a number's text as written. */
export class Comparison {
  readonly mismatches: Mismatch[] = [];
  readonly names: NameProblem[] = [];

  constructor(private readonly numberText: (path: ExpectPath) => string | undefined, private readonly n: ReportNames) {}

  run(expect: Obj, report: Obj): void {
    if (isObj(expect.subjects)) this.subjects(expect.subjects, (report[this.n.collection] ?? []) as Obj[]);
    if (Array.isArray(expect.rejected)) this.rejected(expect.rejected as Obj[], (report.rejected ?? []) as Obj[]);
    if (isObj(expect.summary)) this.value(['summary'], expect.summary, report.summary, true);
  }

  private subjects(expected: Obj, actual: readonly Obj[]): void {
    // A repeating cycle's report has one entry per subject and cycle: a case names it `id@cycle`
    // (`P1@2019-2020`), the cycle as the report names it — but by its bare id a subject of a cycle
    // per subject that has no date to count it from (it has one result, naming no cycle).
    const byId = new Map(actual.map((s) => [this.n.repeating && s.cycle !== undefined ? `${String(s[this.n.subjectKey])}@${String(s.cycle)}` : String(s[this.n.subjectKey]), s]));
    for (const [id, want] of Object.entries(expected)) {
      const path = ['subjects', id];
      const got = byId.get(id);
      const w = want as Obj;
      if (w.absent === true) {
        if (got) this.mismatches.push({ path, expected: 'absent', actual: 'present', note: `期望无 ${id} 的结果，但报告中有 / expected no results for ${id}, but the report has them` });
        continue;
      }
      if (!got) {
        const cycles = this.n.repeating && !id.includes('@') ? actual.filter((s) => String(s[this.n.subjectKey]) === id).map((s) => `${id}@${String(s.cycle)}`) : [];
        const note = cycles.length > 0
          ? `周期重复：${id} 每个周期一条结果，请写 ${cycles.join('、')} / the cycle repeats: ${id} has one result per cycle, write ${cycles.join(', ')}`
          : `报告中没有 ${id} / the report has no results for ${id}`;
        this.mismatches.push({ path, expected: 'present', actual: 'absent', note });
        continue;
      }
      for (const [k, v] of Object.entries(w)) {
        if (k === 'violations' || k === 'violations_include') this.violations([...path, k], v as unknown[], got.violations as Obj[], k === 'violations');
        else if (k === 'violations_exclude') this.absentViolations([...path, k], v as unknown[], got.violations as Obj[]);
        else if (!(k in got)) this.unknown([...path, k], k, Object.keys(got).concat('violations_include', 'violations_exclude', 'absent'));
        else this.value([...path, k], v, got[k], false);
      }
    }
  }

  /** Any value: objects by the keys named, numbers exactly, the rest by equality. */
  private value(path: ExpectPath, want: unknown, got: unknown, missingIsZero: boolean): void {
    if (isObj(want)) {
      if (!isObj(got)) {
        this.mismatches.push({ path, expected: want, actual: got });
        return;
      }
      for (const [k, v] of Object.entries(want)) {
        const counts = missingIsZero && path.length === 2 && String(path[1]).endsWith('_by_rule');
        if (!(k in got) && !counts) this.unknown([...path, k], k, Object.keys(got));
        else this.value([...path, k], v, got[k] ?? 0, missingIsZero);
      }
      return;
    }
    if (!this.same(path, want, got)) this.mismatches.push({ path, expected: want, actual: got });
  }

  private same(path: ExpectPath, want: unknown, got: unknown): boolean {
    if (typeof want === 'number' && typeof got === 'number') {
      const a = Decimal.parse(this.numberText(path) ?? String(want));
      const b = Decimal.parse(String(got));
      return a !== undefined && b !== undefined && a.cmp(b) === 0;
    }
    if (Array.isArray(want) && Array.isArray(got)) return want.length === got.length && want.every((w, i) => this.same([...path, i], w, got[i]));
    return want === got;
  }

  private unknown(path: ExpectPath, name: string, known: readonly string[]): void {
    this.names.push({ path, name, help: didYouMean(name, known) });
  }

  /** The violations: all of them (`violations`), or some that must be among them (`violations_include`). */
  private violations(path: ExpectPath, want: readonly unknown[], got: readonly Obj[], exact: boolean): void {
    const ids = got.map((v) => violationId(v, this.n.periodName));
    const matched = new Set<number>();
    want.forEach((w, i) => {
      const id = typeof w === 'string' ? w : violationId(w as Obj, 'year');
      const at = ids.findIndex((x, k) => x === id && !matched.has(k));
      if (at < 0) {
        this.mismatches.push({ path: [...path, i], expected: id, actual: undefined, note: `缺少违规 missing violation ${id}` });
        return;
      }
      matched.add(at);
      if (typeof w === 'string') return;
      for (const [k, v] of Object.entries(w as Obj)) {
        if (k === 'rule' || k === 'year' || k === 'key' || k === 'window') continue;
        if (!(k in got[at]!)) this.unknown([...path, i, k], k, Object.keys(got[at]!));
        else if (!this.same([...path, i, k], v, got[at]![k])) this.mismatches.push({ path: [...path, i, k], expected: v, actual: got[at]![k], note: `${id} ${k}` });
      }
    });
    if (!exact) return;
    ids.forEach((id, k) => {
      if (!matched.has(k)) this.mismatches.push({ path, expected: undefined, actual: id, note: `多出的违规 unexpected violation ${id}` });
    });
  }

  /** Violations that must not be among them. */
  private absentViolations(path: ExpectPath, unwanted: readonly unknown[], got: readonly Obj[]): void {
    const ids = new Set(got.map((v) => violationId(v, this.n.periodName)));
    unwanted.forEach((w, i) => {
      const id = typeof w === 'string' ? w : violationId(w as Obj, 'year');
      if (ids.has(id)) this.mismatches.push({ path: [...path, i], expected: undefined, actual: id, note: `不应有的违规 violation that should not be there: ${id}` });
    });
  }

  /** The rejected rows: as many as listed, in order, each by the fields named. */
  private rejected(want: readonly Obj[], got: readonly Obj[]): void {
    want.forEach((w, i) => {
      const g = got[i];
      if (!g) {
        this.mismatches.push({ path: ['rejected', i], expected: w, actual: undefined, note: `缺少第 ${i + 1} 条被拒记录 / rejected row ${i + 1} is missing` });
        return;
      }
      for (const [k, v] of Object.entries(w)) {
        const field: string = k === 'key' ? (this.n.recordKey in g ? this.n.recordKey : this.n.subjectKey) : k;
        if (!(field in g)) this.unknown(['rejected', i, k], k, Object.keys(g).concat('key'));
        else if (!this.same(['rejected', i, k], v, g[field])) this.mismatches.push({ path: ['rejected', i, k], expected: v, actual: g[field] });
      }
    });
    for (let i = want.length; i < got.length; i++) {
      const g = got[i]!;
      this.mismatches.push({
        path: ['rejected'], expected: undefined, actual: g,
        note: `多出的被拒记录 unexpected rejected row: line ${String(g.line)}, ${String(g.rule)}: ${String(g.reason)}`,
      });
    }
  }
}

/** A violation's identity as a case writes it: `rule[key]@year`, `@2020/2022` for a window (`window:`), or `@cycle`. */
export function violationId(v: Obj, periodName: string): string {
  const key = v.key === undefined || v.key === null ? '' : `[${String(v.key)}]`;
  const period = v.window ?? v[periodName];
  return `${String(v.rule)}${key}@${period === null || period === undefined ? 'cycle' : String(period)}`;
}
