// Several dated versions of a policy → one policy whose rules switch between them on the
// version in force (VERSION_NAME: the record's, by its date, per record; the scope's, at the end
// of the period or cycle, over totals). So one evaluation applies each version where it is in
// force, with every engine path (interpreter, generated code, parts) unchanged:
//
// - a parameter, setting or table that differs between versions becomes one copy per distinct
//   value (`id@version`, the version that introduced it; see `baseId`), and references to it
//   pick the copy of the version in force;
// - a let or a measure that differs becomes one definition choosing the version's expression;
//   inside `sum(…)` the record's version chooses, so each record counts as its own version says
//   (a measure a version does not have counts nothing of that version's records);
// - outcome rules and requirements are kept as variants, each guarded by the versions it belongs
//   to, in an order that keeps every version's own order (the first outcome that holds decides).
//
// Each version has been checked on its own before this runs: what it builds checks again.

import { assertNever, type AggregateExpr, type Expr, type NameRef, type OutcomeStmt, type RequireStmt, type Statement } from './ast.ts';
import { VERSION_NAME } from './builtins.ts';
import type { CheckedPolicy } from './checked.ts';
import { compareDecimalText } from './decimal-text.ts';
import type { DiagnosticBag } from './diagnostics.ts';
import type { ParameterDecl, PolicyAst, SettingDecl, TableDecl, VersionInfo } from './policy.ts';
import { labelPlaceholders } from './labels.ts';
import { printStatement } from './print.ts';
import type { Span } from './source.ts';

/** What the combined program says of each version, in effective order. */
export function versionInfo(p: PolicyAst): VersionInfo {
  return {
    version: p.version, effective: p.effective, until: p.until, document: p.document, title: p.title,
    hypothetical: p.hypothetical, change: p.change, file: p.file, ...(p.ruleSources ? { ruleSources: p.ruleSources } : {}),
  };
}

type Decl = ParameterDecl | SettingDecl | TableDecl;

/** One declaration's distinct contents across versions: which version has which copy. */
interface Variants {
  /** The copy's id in each version (undefined where the version has no such declaration). */
  readonly idIn: readonly (string | undefined)[];
  readonly copies: readonly Decl[];
}

const numberText = (v: string | boolean): string => (typeof v === 'string' && compareDecimalText(v, v) === 0 ? normalNumber(v) : String(v));

function normalNumber(v: string): string {
  // Equal decimals print alike: 0.50, .5 and 0.5 are one value.
  const [int = '0', frac = ''] = v.replace(/^\+/, '').split('.');
  const f = frac.replace(/0+$/, '');
  const i = (int.replace(/^(-?)0+(?=\d)/, '$1') || '0');
  return f === '' ? (i === '-0' ? '0' : i) : `${i}.${f}`;
}

/** A declaration's content, as far as results are concerned (not its citation or note). */
function content(d: Decl): string {
  if ('kind' in d) {
    const cells = (c: Readonly<Record<string, string | boolean>>) => Object.keys(c).sort().map((k) => `${k}=${numberText(c[k]!)}`).join(',');
    if (d.kind === 'keyed') return `keyed ${d.key} ${d.rows.map((r) => `${r.key}{${cells(r.cells)}}`).sort().join(' ')}`;
    return `bands ${d.bands.map((b) => `${b.label}@${normalNumber(b.from)}{${cells(b.cells)}}`).join(' ')} below ${d.below.label}{${cells(d.below.cells)}}`;
  }
  if ('unit' in d) return d.type === 'date' ? `parameter date ${d.value}` : `parameter ${normalNumber(d.value)} ${d.unit}`;
  return `setting ${String(d.value)}`;
}

/** A statement's content, without its citations and notes. */
const statementText = (s: Statement): string => printStatement({ ...s, cites: [], notes: [] });

/**
 * The time the whole policy covers: from its first version's effective date (and what it says
 * of earlier records) to its last version's end. One version chosen for everything still runs
 * within it.
 */
export interface PolicyBounds {
  readonly first: PolicyAst;
  readonly last: PolicyAst;
}

/** Combines checked versions (ascending by effective date) into one policy. */
export function combineVersions(versions: readonly CheckedPolicy[], bag: DiagnosticBag, bounds?: PolicyBounds): PolicyAst {
  return new Combiner(versions, bag, bounds ?? { first: versions[0]!.ast, last: versions[versions.length - 1]!.ast }).combine();
}

class Combiner {
  private readonly asts: readonly PolicyAst[];
  /** Declarations with more than one content, by id. */
  private readonly variants = new Map<string, Variants>();
  private readonly all: readonly number[];

  constructor(
    versions: readonly CheckedPolicy[],
    private readonly bag: DiagnosticBag,
    private readonly bounds: PolicyBounds,
  ) {
    this.asts = versions.map((v) => v.ast);
    this.all = versions.map((_, k) => k);
  }

  combine(): PolicyAst {
    const last = this.asts[this.asts.length - 1]!;
    const { first } = this.bounds;
    const parameters = this.declarations((p) => p.parameters);
    const settings = this.declarations((p) => p.settings);
    const tables = this.declarations((p) => p.tables);
    const statements = [
      ...this.outOfTime(first, this.bounds.last),
      ...this.guarded('outcome'),
      ...this.definitions('let'),
      ...this.definitions('measure'),
      ...this.guarded('require'),
    ];
    return {
      ...last,
      effective: first.effective,
      effectiveSpan: first.effectiveSpan,
      until: this.bounds.last.until,
      beforeEffective: first.beforeEffective,
      versions: this.asts.map(versionInfo),
      parameters: parameters as ParameterDecl[],
      settings: settings as SettingDecl[],
      tables: tables as TableDecl[],
      rules: { statements, span: last.rules.span },
    };
  }

  // ── Declarations ─────────────────────────────────────────────────────────────────────────

  /** Every declaration of a kind: one where all versions agree, a copy per content where not. */
  private declarations(of: (p: PolicyAst) => readonly Decl[]): Decl[] {
    const out: Decl[] = [];
    const ids: string[] = [];
    for (const p of this.asts) for (const d of of(p)) if (!ids.includes(d.id)) ids.push(d.id);
    for (const id of ids) {
      const copies: Decl[] = [];
      const contents: string[] = [];
      const idIn = this.asts.map((p) => {
        const d = of(p).find((x) => x.id === id);
        if (!d) return undefined;
        const c = content(d);
        let i = contents.indexOf(c);
        if (i < 0) {
          i = contents.length;
          contents.push(c);
          copies.push(i === 0 ? d : { ...d, id: `${id}@${p.version}` });
        }
        return copies[i]!.id;
      });
      if (copies.length === 1) {
        // The latest version's citation and note stand for an item all versions agree on.
        const latest = [...this.asts].reverse().find((p) => of(p).some((x) => x.id === id))!;
        out.push(of(latest).find((x) => x.id === id)!);
      } else {
        out.push(...copies);
        this.variants.set(id, { idIn, copies });
      }
    }
    return out;
  }

  /** The copy of declaration `id` in version `k`. */
  private copyIn(id: string, k: number): string {
    return this.variants.get(id)?.idIn[k] ?? id;
  }

  /** The declarations a statement reads that differ between versions, as read in version `k`. */
  private signature(s: Statement, k: number): string {
    const names = new Set<string>();
    for (const e of statementExprsOf(s)) visit(e, (x) => {
      if (x.kind === 'name' && this.variants.has(x.name)) names.add(x.name);
      if (x.kind === 'call' && this.variants.has(x.callee)) names.add(x.callee);
    });
    if (s.kind === 'require' && s.loop && this.variants.has(s.loop.table)) names.add(s.loop.table);
    if ((s.kind === 'require' || s.kind === 'measure') && s.label !== undefined) {
      for (const h of labelPlaceholders(s.label)) if (this.variants.has(h.name)) names.add(h.name);
    }
    return [...names].sort().map((n) => `${n}=${this.copyIn(n, k)}`).join(';');
  }

  // ── Statements ───────────────────────────────────────────────────────────────────────────

  /** Records outside every version's time: out of scope, said first so no other rule sees them. */
  private outOfTime(first: PolicyAst, last: PolicyAst): Statement[] {
    const out: Statement[] = [];
    const span = first.effectiveSpan;
    const cites = first.beforeEffective?.cites.length ? first.beforeEffective.cites : [first.document];
    if (first.beforeEffective?.value !== 'evaluate') {
      out.push(exclusion('before_effective', -1, span, cites,
        `早于本政策生效日期（${first.effective}）/ dated before the policy took effect (${first.effective})`));
    }
    if (last.until !== undefined) {
      out.push(exclusion('after_until', -2, span, [last.document], `晚于本政策失效日期（${last.until}）/ dated after the policy's last day (${last.until})`));
    }
    return out;
  }

  /**
   * Outcome rules or requirements as variants: one per distinct statement (and distinct copies of
   * what it reads), guarded by the versions that have it. Merged so that every version's own
   * statements stay in its order.
   */
  private guarded(kind: 'outcome' | 'require'): Statement[] {
    const merged: { key: string; stmt: OutcomeStmt | RequireStmt; versions: number[] }[] = [];
    this.asts.forEach((p, k) => {
      let cursor = 0;
      for (const s of p.rules.statements) {
        if (s.kind !== kind) continue;
        const key = `${statementText(s)}\n${this.signature(s, k)}`;
        const at = merged.findIndex((m, i) => i >= cursor && m.key === key);
        if (at >= 0) {
          merged[at]!.versions.push(k);
          merged[at]!.stmt = s; // the latest version's citation stands for them all
          cursor = at + 1;
        } else {
          merged.splice(cursor, 0, { key, stmt: s, versions: [k] });
          cursor++;
        }
      }
    });
    return merged.map(({ stmt, versions }) => {
      const k = versions[0]!;
      const renamed = this.renamed(stmt, k);
      const guard = versions.length === this.all.length ? undefined : inVersions(versions, stmt.span);
      if (renamed.kind === 'outcome') return { ...renamed, when: guard ? and(guard, renamed.when) : renamed.when };
      if (renamed.kind !== 'require') return renamed;
      return { ...renamed, when: guard ? (renamed.when ? and(guard, renamed.when) : guard) : renamed.when };
    });
  }

  /** A statement as version `k` reads it: every differing declaration by its copy in `k`. */
  private renamed<S extends Statement>(s: S, k: number): S {
    const rename = (e: Expr): Expr => this.refsIn(e, [k]);
    switch (s.kind) {
      case 'outcome':
        return {
          ...s, when: rename(s.when),
          placeholders: s.placeholders.map((n) => (this.variants.has(n.name) ? { ...n, name: this.copyIn(n.name, k) } : n)),
        };
      case 'require':
        return {
          ...s, when: s.when ? rename(s.when) : undefined, body: rename(s.body), label: this.labelIn(s.label, k),
          loop: s.loop ? { ...s.loop, table: this.copyIn(s.loop.table, k) } : undefined,
        };
      case 'let':
      case 'measure':
        return { ...s, value: rename(s.value) };
      default:
        return assertNever(s);
    }
  }

  /** A label as version `k` reads it: its placeholders name the copies of `k`. */
  private labelIn(label: string | undefined, k: number): string | undefined {
    if (label === undefined) return undefined;
    let out = '';
    let at = 0;
    for (const h of labelPlaceholders(label)) {
      out += label.slice(at, h.start) + `{${this.copyIn(h.name, k)}${h.cell ? `[${h.cell.key}].${h.cell.column}` : ''}}`;
      at = h.end;
    }
    return out + label.slice(at);
  }

  /**
   * Lets or measures, one each: a definition all versions share, or one choosing by the version
   * in force. A measure's `sum(…)` chooses inside, per record.
   */
  private definitions(kind: 'let' | 'measure'): Statement[] {
    const ids: string[] = [];
    for (const p of this.asts) for (const s of p.rules.statements) if (s.kind === kind && !ids.includes(s.id)) ids.push(s.id);
    return ids.map((id) => {
      const groups: { text: string; stmt: Statement; versions: number[] }[] = [];
      this.asts.forEach((p, k) => {
        const s = p.rules.statements.find((x) => x.kind === kind && x.id === id);
        if (!s) return;
        const text = statementText(s);
        const g = groups.find((x) => x.text === text);
        if (g) {
          g.versions.push(k);
          g.stmt = s;
        } else groups.push({ text, stmt: s, versions: [k] });
      });
      const latest = groups.reduce((a, b) => (a.versions[a.versions.length - 1]! > b.versions[b.versions.length - 1]! ? a : b)).stmt;
      const value = (g: { stmt: Statement; versions: number[] }): Expr => this.refsIn((g.stmt as { value: Expr }).value, g.versions);
      const last = this.all[this.all.length - 1]!;
      const labelled = latest.kind === 'measure' ? { label: this.labelIn(latest.label, last) } : {};
      if (groups.length === 1 && groups[0]!.versions.length === this.all.length) return { ...latest, ...labelled, value: value(groups[0]!) } as Statement;
      if (kind === 'measure') return { ...latest, ...labelled, value: this.measureValue(id, groups, value) } as Statement;
      return { ...latest, value: choose(groups.map((g) => ({ versions: g.versions, expr: value(g) })), latest.span) } as Statement;
    });
  }

  private measureValue(id: string, groups: readonly { stmt: Statement; versions: number[] }[], value: (g: { stmt: Statement; versions: number[] }) => Expr): Expr {
    const values = groups.map(value);
    const span = groups[groups.length - 1]!.stmt.span;
    const sums = values.filter((v): v is AggregateExpr => v.kind === 'aggregate');
    if (sums.length === values.length) {
      const [a] = sums;
      const same = sums.every((s) => s.op === a!.op && s.by?.name === a!.by?.name);
      if (same) {
        // Each record adds what its own version's definition gives; versions without the measure, nothing.
        const where = choose(groups.map((g, i) => ({ versions: g.versions, expr: sums[i]!.where ?? bool(true, span) })), span, bool(false, span));
        const v = a!.op === 'sum' ? choose(groups.map((g, i) => ({ versions: g.versions, expr: sums[i]!.value! })), span) : undefined;
        return { ...a!, value: v, where, span };
      }
    } else if (!values.some(holdsAggregate)) {
      return choose(groups.map((g, i) => ({ versions: g.versions, expr: values[i]! })), span);
    }
    // At the latest version's value: the form that differs.
    this.bag.error('version-changes-measure-form', (groups[groups.length - 1]!.stmt as { value: Expr }).value.span,
      `measure '${id}' changes its form between versions; a version may change what a sum adds and where, not how the measure is made up`,
      `指标 '${id}' 在各版本间的构成方式不同：版本只能修改合计的内容与条件，不能改变指标的构成`,
      'keep the same sum(…)/count(…) form (and the same `by`), or give the new measure a new id');
    return values[values.length - 1]!;
  }

  /**
   * `e` with each differing declaration it reads chosen for `versions`: renamed when they all
   * read one copy, or chosen by the version in force when they read several.
   */
  private refsIn(e: Expr, versions: readonly number[]): Expr {
    const copies = (id: string): { versions: number[]; id: string }[] => {
      const out: { versions: number[]; id: string }[] = [];
      for (const k of versions) {
        const c = this.copyIn(id, k);
        const g = out.find((x) => x.id === c);
        if (g) g.versions.push(k);
        else out.push({ versions: [k], id: c });
      }
      return out;
    };
    const table = (x: Expr): string | undefined => {
      // `t[key].column` or `bands(x).column`: the table the member reads.
      if (x.kind !== 'member') return undefined;
      const t = x.target;
      if (t.kind === 'index' && t.target.kind === 'name' && this.variants.has(t.target.name)) return t.target.name;
      if (t.kind === 'call' && this.variants.has(t.callee)) return t.callee;
      return undefined;
    };
    const withTable = (x: Expr, id: string): Expr => {
      if (x.kind !== 'member') return x;
      const t = x.target;
      if (t.kind === 'index' && t.target.kind === 'name') return { ...x, target: { ...t, target: { ...t.target, name: id }, key: go(t.key) } };
      if (t.kind === 'call') return { ...x, target: { ...t, callee: id, args: t.args.map(go) } };
      return x;
    };
    const go = (x: Expr): Expr => {
      const t = table(x);
      if (t !== undefined) {
        const cs = copies(t);
        return cs.length === 1 ? withTable(x, cs[0]!.id) : choose(cs.map((c) => ({ versions: c.versions, expr: withTable(x, c.id) })), x.span);
      }
      if (x.kind === 'name' && this.variants.has(x.name)) {
        const cs = copies(x.name);
        return cs.length === 1 ? { ...x, name: cs[0]!.id } : choose(cs.map((c) => ({ versions: c.versions, expr: { ...x, name: c.id } })), x.span);
      }
      return mapChildren(x, go);
    };
    return go(e);
  }
}

// ── Building expressions ───────────────────────────────────────────────────────────────────

const versionRef = (span: Span): NameRef => ({ kind: 'name', name: VERSION_NAME, span });
const bool = (value: boolean, span: Span): Expr => ({ kind: 'bool', value, span });
const and = (a: Expr, b: Expr): Expr => ({ kind: 'binary', op: 'and', left: a, right: b, span: b.span });

/** `$version == a or $version == b …`. */
function inVersions(versions: readonly number[], span: Span): Expr {
  const one = (k: number): Expr => ({ kind: 'binary', op: '==', left: versionRef(span), right: { kind: 'number', text: String(k), percent: false, span }, span });
  return versions.slice(1).reduce<Expr>((acc, k) => ({ kind: 'binary', op: 'or', left: acc, right: one(k), span }), one(versions[0]!));
}

/** `if $version in A then a else if … else z`: the last choice needs no test (or `otherwise` is given). */
function choose(choices: readonly { versions: readonly number[]; expr: Expr }[], span: Span, otherwise?: Expr): Expr {
  const last = choices.length - 1;
  let out: Expr = otherwise ?? choices[last]!.expr;
  for (let i = otherwise ? last : last - 1; i >= 0; i--) {
    out = { kind: 'if', cond: inVersions(choices[i]!.versions, span), then: choices[i]!.expr, otherwise: out, span };
  }
  return out;
}

function exclusion(id: string, version: number, span: Span, cites: readonly string[], reason: string): OutcomeStmt {
  const when: Expr = {
    kind: 'binary', op: '==', left: versionRef(span),
    right: { kind: 'unary', op: '-', operand: { kind: 'number', text: String(-version), percent: false, span }, span }, span,
  };
  return { kind: 'outcome', outcome: 'exclude', id, idSpan: span, span, cites, notes: [], when, reason, reasonSpan: span, placeholders: [] };
}

function statementExprsOf(s: Statement): Expr[] {
  switch (s.kind) {
    case 'let': case 'measure': return [s.value];
    case 'outcome': return [s.when, ...s.placeholders];
    case 'require': return [...(s.when ? [s.when] : []), s.body];
    default: return assertNever(s);
  }
}

function visit(e: Expr, f: (e: Expr) => void): void {
  f(e);
  mapChildren(e, (c) => {
    visit(c, f);
    return c;
  });
}

function holdsAggregate(e: Expr): boolean {
  let found = false;
  visit(e, (x) => {
    if (x.kind === 'aggregate') found = true;
  });
  return found;
}

/** `e` with each direct sub-expression replaced by `f` of it. */
function mapChildren(e: Expr, f: (e: Expr) => Expr): Expr {
  switch (e.kind) {
    case 'number': case 'string': case 'bool': case 'date': case 'name': return e;
    case 'unary': return { ...e, operand: f(e.operand) };
    case 'binary': return { ...e, left: f(e.left), right: f(e.right) };
    case 'between': return { ...e, value: f(e.value), low: f(e.low), high: f(e.high) };
    case 'presence': return { ...e, value: f(e.value) };
    case 'in': return { ...e, value: f(e.value), items: e.items.map(f) };
    case 'if': return { ...e, cond: f(e.cond), then: f(e.then), otherwise: f(e.otherwise) };
    case 'index': return { ...e, target: f(e.target), key: f(e.key) };
    case 'member': return { ...e, target: f(e.target) };
    case 'call': return { ...e, args: e.args.map(f) };
    case 'aggregate': return { ...e, value: e.value ? f(e.value) : undefined, where: e.where ? f(e.where) : undefined };
    default: return assertNever(e);
  }
}
