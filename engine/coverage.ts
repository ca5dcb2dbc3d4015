// Rule coverage: which rules, branches, table rows and bands a set of evaluations exercised.
// The items are found on the AST of each version of a policy (`coverageItems`); a program
// compiled with a probe (`compilePolicy(checked, { coverage })`) records hits under the same
// keys while the interpreter runs it. Without a probe nothing here runs: the normal program and
// the generated code are not instrumented at all.
//
// Keys are built from spans, so they match across the versions of a policy and the program that
// combines them (combine-versions.ts keeps each original node, with its span, inside what it
// builds); a hit on a node the combination made up has a key no item has, and counts for nothing.

import {
  assertNever, forEachExpr, statementExprs, type Band, type Expr, type PolicyAst, type Span, type Statement, type TableRow,
} from '../dsl/index.ts';

/** What a coverage item counts. */
export type CoverageCategory = 'rules' | 'branches' | 'rows' | 'bands';

/** The categories, in the order reports list them. */
export const COVERAGE_CATEGORIES: readonly CoverageCategory[] = ['rules', 'branches', 'rows', 'bands'];

/** One thing the tests should exercise. Covered when any of its `keys` was hit. */
export interface CoverageItem {
  readonly category: CoverageCategory;
  /** Probe keys, any of which covers it. */
  readonly keys: readonly string[];
  /** What it is, for people: `let rate_min`, `then of if in training_hours`, `grade 优`. */
  readonly what: string;
  /** Where it is written. */
  readonly span: Span;
}

const spanKey = (s: Span): string => `${s.file}:${s.start}:${s.end}`;

/** The probe keys, shared by the items and the instrumented program. */
export const coverageKey = {
  /** A let or measure was worked out. */
  evaluated: (s: Statement): string => `evaluated@${spanKey(s.span)}`,
  /** A requirement was checked and held, or did not. */
  met: (s: Statement): string => `met@${spanKey(s.span)}`,
  violated: (s: Statement): string => `violated@${spanKey(s.span)}`,
  /** An arm of an `if` was taken. */
  arm: (e: Expr, arm: 'then' | 'else'): string => `${arm}@${spanKey(e.span)}`,
  /** A condition (a `when`, a `where`) was true or false. */
  condition: (e: Expr, value: boolean): string => `${value ? 'true' : 'false'}@${e.kind}:${spanKey(e.span)}`,
  /** The expression key under which a condition is instrumented. */
  conditionNode: (e: Expr): string => `${e.kind}:${spanKey(e.span)}`,
  /** A keyed table's row was looked up; a band was chosen. */
  row: (r: TableRow): string => `row@${spanKey(r.span)}`,
  band: (b: Band): string => `band@${spanKey(b.span)}`,
} as const;

/**
 * Collects hits while instrumented programs run. One probe may serve several programs (every
 * test case of a policy, whatever version or settings it runs with).
 */
export class CoverageProbe {
  /** Hits by key. */
  readonly hits = new Map<string, number>();
  /** The conditions to instrument (`coverageKey.conditionNode`), from the items. */
  readonly conditions: ReadonlySet<string>;

  constructor(items: readonly CoverageItem[]) {
    const conditions = new Set<string>();
    for (const i of items) for (const k of i.keys) if (k.startsWith('true@') || k.startsWith('false@')) conditions.add(k.slice(k.indexOf('@') + 1));
    this.conditions = conditions;
  }

  hit(key: string): void {
    this.hits.set(key, (this.hits.get(key) ?? 0) + 1);
  }
}

/**
 * Every item of a policy's versions (each version's own AST; the same node in two versions is
 * one item): each statement; each arm of each `if`; each `where` true and false; a requirement
 * met, violated, and not applicable (its `when` false); each row of each keyed table and each
 * band (and `below`) of each banded table.
 */
export function coverageItems(versions: readonly PolicyAst[]): CoverageItem[] {
  const out: CoverageItem[] = [];
  const seen = new Set<string>();
  const add = (category: CoverageCategory, keys: string[], what: string, span: Span) => {
    const id = keys.join('|');
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ category, keys, what, span });
  };
  for (const p of versions) {
    for (const s of p.rules.statements) {
      statementItems(s, add);
      for (const root of statementExprs(s)) {
        forEachExpr(root, (e) => {
          if (e.kind === 'if') {
            add('branches', [coverageKey.arm(e, 'then')], `then of an if in ${s.id}`, e.then.span);
            add('branches', [coverageKey.arm(e, 'else')], `else of an if in ${s.id}`, e.otherwise.span);
          } else if (e.kind === 'aggregate' && e.where) {
            add('branches', [coverageKey.condition(e.where, true)], `where of ${e.op} in ${s.id} holds`, e.where.span);
            add('branches', [coverageKey.condition(e.where, false)], `where of ${e.op} in ${s.id} does not hold`, e.where.span);
          }
        });
      }
    }
    for (const t of p.tables) {
      switch (t.kind) {
        case 'keyed':
          for (const r of t.rows) add('rows', [coverageKey.row(r)], `${t.id}[${r.key}]`, r.span);
          break;
        case 'bands':
          for (const b of t.bands) add('bands', [coverageKey.band(b)], `${t.id} ${b.label} (from ${b.from})`, b.span);
          add('bands', [coverageKey.band(t.below)], `${t.id} ${t.below.label} (below)`, t.below.span);
          break;
        default:
          assertNever(t);
      }
    }
  }
  return out;
}

function statementItems(s: Statement, add: (c: CoverageCategory, keys: string[], what: string, span: Span) => void): void {
  switch (s.kind) {
    case 'let':
    case 'measure':
      add('rules', [coverageKey.evaluated(s)], `${s.kind} ${s.id}`, s.idSpan);
      return;
    case 'outcome':
      add('rules', [coverageKey.condition(s.when, true)], `${s.outcome} ${s.id} applies`, s.idSpan);
      return;
    case 'require':
      add('rules', [coverageKey.met(s), coverageKey.violated(s)], `require ${s.id} checked`, s.idSpan);
      add('branches', [coverageKey.met(s)], `require ${s.id} met`, s.body.span);
      add('branches', [coverageKey.violated(s)], `require ${s.id} violated`, s.body.span);
      if (s.when) add('branches', [coverageKey.condition(s.when, false)], `require ${s.id} not applicable (when is false)`, s.when.span);
      return;
    default:
      assertNever(s);
  }
}

/** How many items of one category were covered. */
export interface CoverageCount {
  readonly covered: number;
  readonly total: number;
}

/** What the tests of a policy covered. */
export interface CoverageReport {
  readonly byCategory: Readonly<Record<CoverageCategory, CoverageCount>>;
  readonly covered: number;
  readonly total: number;
  /** covered / total × 100, rounded down to 2 places (100 only when nothing is missed). */
  readonly percent: number;
  /** The items no test exercised, in the order written. */
  readonly missed: readonly CoverageItem[];
}

/** Tallies the items against the hits a probe collected. */
export function coverageReport(items: readonly CoverageItem[], hits: ReadonlyMap<string, number>): CoverageReport {
  const byCategory = Object.fromEntries(COVERAGE_CATEGORIES.map((c) => [c, { covered: 0, total: 0 }])) as Record<CoverageCategory, { covered: number; total: number }>;
  const missed: CoverageItem[] = [];
  let covered = 0;
  for (const i of items) {
    const c = byCategory[i.category];
    c.total++;
    if (i.keys.some((k) => (hits.get(k) ?? 0) > 0)) {
      c.covered++;
      covered++;
    } else missed.push(i);
  }
  return { byCategory, covered, total: items.length, percent: percentOf(covered, items.length), missed };
}

/** covered / total as a percentage, rounded down to 2 places; 100 for nothing to cover. */
export function percentOf(covered: number, total: number): number {
  if (total === 0) return 100;
  return Math.floor((covered * 10000) / total) / 100;
}
