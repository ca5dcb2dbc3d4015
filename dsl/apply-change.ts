// Applying a change file (change-file.ts) to the policy it builds on: the result is a whole
// policy, as if written in one file, each declaration keeping the span of the file it came from
// (so diagnostics point there, and provenance can say where each item is written). What a
// change names must exist in the base — an override of nothing is a located error — and an
// override that changes nothing is a warning.

import type { Expr, OutcomeStmt, Statement } from './ast.ts';
import type { BandChange, ChangeFile, TableChange, ValueChange } from './change-file.ts';
import { compareDecimalText } from './decimal-text.ts';
import { checkForkValues } from './fork-ranges.ts';
import type { DiagnosticBag } from './diagnostics.ts';
import type { Band, BandTableDecl, KeyedTableDecl, ParameterDecl, PolicyAst, SettingDecl, SubjectScopeDecl, TableDecl, TableRow } from './policy.ts';
import { printStatement } from './print.ts';
import { forEachExpr } from './walk.ts';
import { didYouMean } from './suggest.ts';

/** How to apply a change. */
export interface ApplyOptions {
  /**
   * A fork applied to a later parent version than the one it was written against: what the
   * fork changes that the parent no longer has is a warning (`parent-removed`), not an error, and
   * a rule it replaced stays in force as the fork's own.
   */
  readonly lenient?: boolean;
}

/** Applies `change` to `base`, reporting into `bag`; the resolved policy. */
export function applyChange(base: PolicyAst, change: ChangeFile, bag: DiagnosticBag, options: ApplyOptions = {}): PolicyAst {
  const applied = new ChangeApplier(base, change, bag, options.lenient === true).apply();
  if (change.base.kind === 'extends') checkForkValues(base, applied, bag);
  return applied;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

class ChangeApplier {
  private readonly fork: boolean;
  private readonly baseName: string;

  constructor(
    private readonly base: PolicyAst,
    private readonly change: ChangeFile,
    private readonly bag: DiagnosticBag,
    private readonly lenient: boolean,
  ) {
    this.fork = change.base.kind === 'extends';
    this.baseName = `${base.id} ${base.version}`;
  }

  apply(): PolicyAst {
    const b = this.base;
    const c = this.change;
    const removed = this.removals();
    const keep = <T extends { readonly id: string }>(items: readonly T[]) => items.filter((x) => !removed.has(x.id));
    const parameters = [...this.overrideValues(keep(b.parameters), c.parameters, 'parameter', '参数'), ...c.add.parameters];
    const settings = [...this.overrideValues(keep(b.settings), c.settings, 'setting', '设置'), ...c.add.settings];
    const tables = [...this.overrideTables(keep(b.tables)), ...c.add.tables];
    const scope = this.subjectScope();
    const statements = this.statements(keep(b.rules.statements), scope);
    return {
      ...b,
      file: c.file,
      id: c.id ?? b.id,
      version: c.version,
      effective: c.effective,
      effectiveSpan: c.effectiveSpan,
      until: c.until,
      document: c.document,
      title: c.title ?? b.title,
      hypothetical: c.hypothetical,
      change: c.change,
      // A later version keeps the first one's reach back; a fork says its own.
      beforeEffective: this.fork ? c.beforeEffective : b.beforeEffective,
      units: [...b.units, ...c.add.units],
      subject: { ...b.subject, fields: [...b.subject.fields, ...c.add.subjectFields] },
      record: { ...b.record, fields: [...b.record.fields, ...c.add.recordFields] },
      settings,
      parameters,
      tables,
      rules: { statements, span: b.rules.span },
      ...(scope ? { subjectScope: scope } : {}),
    };
  }

  /**
   * A fork's own subjects, within its parent's: the conditions of both hold. The same exclusion
   * counts the records of everyone else.
   */
  private subjectScope(): SubjectScopeDecl | undefined {
    const own = this.change.subjects;
    const inherited = this.base.subjectScope;
    if (!own || !this.fork) return inherited;
    const where: Expr = inherited
      ? { kind: 'binary', op: 'and', left: inherited.where, right: own.where, span: own.where.span }
      : own.where;
    return { id: inherited?.id ?? own.id, idSpan: inherited?.idSpan ?? own.idSpan, where, cites: own.cites, note: own.note, span: own.span, text: inherited ? `${inherited.text} and ${own.text}` : own.text };
  }

  /** The ids `remove:` names, each checked to exist in the base. */
  private removals(): Set<string> {
    const b = this.base;
    const known = [...b.parameters, ...b.settings, ...b.tables, ...b.rules.statements].map((x) => x.id);
    const out = new Set<string>();
    for (const r of this.change.remove) {
      if (!known.includes(r.id)) this.unknown(r.span, 'item', '项目', r.id, known);
      else out.add(r.id);
    }
    return out;
  }

  private unknown(span: ChangeFile['span'], what: string, whatZh: string, id: string, known: readonly string[], addHint = true): void {
    if (this.lenient) {
      this.bag.warning('parent-removed', span, `${this.baseName} no longer has the ${what} '${id}' this fork changes`,
        `${this.baseName} 已不再有本分支所修改的${whatZh} '${id}'`,
        what === 'rule' ? 'from that version the replacement stays in force as the fork\'s own rule: remove it if the county follows the parent' : 'the override does nothing from that version: remove or move it');
      return;
    }
    this.bag.error('override-unknown', span, `${this.baseName} has no ${what} '${id}' to change`,
      `${this.baseName} 中没有可修改的${whatZh} '${id}'`,
      didYouMean(id, known) ?? (addHint ? `to add one, put it under 'add:'` : undefined));
  }

  private unchanged(span: ChangeFile['span'], what: string, id: string): void {
    this.bag.warning('override-unchanged', span, `this changes nothing: ${what} '${id}' is already so in ${this.baseName}`,
      `此项修改没有改变任何内容：${this.baseName} 中的 '${id}' 已是如此`, 'remove the override, or change the value');
  }

  /** A fork's override speaks for the fork's document: without its own citation it would not say which. */
  private uncited(span: ChangeFile['span'], what: string, id: string): void {
    if (!this.fork) return;
    this.bag.warning('override-without-cite', span, `the override of ${what} '${id}' cites no article of its own`,
      `对 '${id}' 的修改没有注明本地文件条款`, "add 'cite:' naming the fork's document");
  }

  private overrideValues<D extends ParameterDecl | SettingDecl>(
    decls: readonly D[], changes: readonly ValueChange<D['value']>[], what: string, whatZh: string,
  ): D[] {
    const out = [...decls];
    for (const c of changes) {
      const i = out.findIndex((d) => d.id === c.id);
      if (i < 0) {
        this.unknown(c.span, what, whatZh, c.id, decls.map((d) => d.id));
        continue;
      }
      const d = out[i]!;
      const value = c.value ?? d.value;
      const same = (typeof value === 'string' && typeof d.value === 'string' && what === 'parameter'
        ? compareDecimalText(value, d.value) === 0
        : value === d.value)
        && (c.cites === undefined || sameList(c.cites, d.cites)) && (c.note === undefined || c.note === d.note);
      if (same) this.unchanged(c.span, what, c.id);
      if (c.cites === undefined) this.uncited(c.span, what, c.id);
      out[i] = {
        ...d, value, valueSpan: c.value === undefined ? d.valueSpan : c.valueSpan,
        cites: c.cites ?? d.cites, note: c.note ?? d.note, span: c.span,
      };
    }
    return out;
  }

  private overrideTables(tables: readonly TableDecl[]): TableDecl[] {
    const out = [...tables];
    for (const c of this.change.tables) {
      const i = out.findIndex((t) => t.id === c.id);
      if (i < 0) {
        this.unknown(c.span, 'table', '表', c.id, tables.map((t) => t.id));
        continue;
      }
      const t = out[i]!;
      const head = { cites: c.cites ?? t.cites, note: c.note ?? t.note, span: c.span };
      out[i] = t.kind === 'keyed' ? { ...this.keyedRows(t, c), ...head } : { ...this.bands(t, c), ...head };
    }
    return out;
  }

  private keyedRows(t: KeyedTableDecl, c: TableChange): KeyedTableDecl {
    if (c.bands.length > 0 || c.below || c.removeBands.length > 0) {
      this.bag.error('override-wrong-kind', c.span, `table '${t.id}' is keyed: change its rows, not bands`, `表 '${t.id}' 按键查找：应修改其行，而不是等级`);
    }
    const rows: TableRow[] = [...t.rows];
    for (const r of c.removeRows) {
      const i = rows.findIndex((x) => x.key === r.key);
      if (i < 0) this.unknown(r.span, `row of table '${t.id}'`, `表 '${t.id}' 的行`, r.key, rows.map((x) => x.key), false);
      else rows.splice(i, 1);
    }
    for (const r of c.rows) {
      const i = rows.findIndex((x) => x.key === r.key);
      if (i < 0) {
        rows.push(r); // a new row: the declarations check requires every cell
        continue;
      }
      const old = rows[i]!;
      const same = Object.entries(r.cells).every(([k, v]) => sameCell(old.cells[k], v)) && (r.cites.length === 0 || sameList(r.cites, old.cites));
      if (same) this.unchanged(r.keySpan, `row '${r.key}' of table`, t.id);
      if (r.cites.length === 0) this.uncited(r.keySpan, `row '${r.key}' of table`, t.id);
      rows[i] = {
        ...old, cells: { ...old.cells, ...r.cells }, cellSpans: { ...old.cellSpans, ...r.cellSpans },
        cites: r.cites.length > 0 ? r.cites : old.cites, note: r.note ?? old.note, keySpan: r.keySpan, span: r.span,
      };
    }
    return { ...t, rows };
  }

  private bands(t: BandTableDecl, c: TableChange): BandTableDecl {
    if (c.rows.length > 0 || c.removeRows.length > 0) {
      this.bag.error('override-wrong-kind', c.span, `table '${t.id}' is banded: change its bands, not rows`, `表 '${t.id}' 按等级查找：应修改其等级，而不是行`);
    }
    let bands: Band[] = [...t.bands];
    for (const r of c.removeBands) {
      const i = bands.findIndex((x) => x.label === r.label);
      if (i < 0) this.unknown(r.span, `band of table '${t.id}'`, `表 '${t.id}' 的等级`, r.label, bands.map((x) => x.label), false);
      else bands.splice(i, 1);
    }
    for (const b of c.bands) {
      const i = bands.findIndex((x) => x.label === b.label);
      if (i >= 0) {
        bands[i] = this.band(t, bands[i]!, b);
        continue;
      }
      if (b.from === undefined) {
        this.bag.error('band-without-from', b.span, `band '${b.label}' is new to table '${t.id}', so it needs a 'from'`,
          `等级 '${b.label}' 是表 '${t.id}' 新增的等级，需要写明 from`, didYouMean(b.label, bands.map((x) => x.label)));
        continue;
      }
      bands.push({ ...b, from: b.from });
    }
    // Bands are read from the highest lower bound down: a new or moved band takes its place.
    bands = [...bands].sort((x, y) => (compareDecimalText(y.from, x.from) ?? 0));
    const below = c.below ? this.band(t, t.below, c.below) : t.below;
    return { ...t, bands, below };
  }

  private band(t: BandTableDecl, old: Band, b: BandChange): Band {
    const same = Object.entries(b.cells).every(([k, v]) => sameCell(old.cells[k], v))
      && (b.from === undefined || compareDecimalText(b.from, old.from) === 0)
      && (b.to === undefined || (old.to !== undefined && compareDecimalText(b.to, old.to) === 0)) && (b.cites.length === 0 || sameList(b.cites, old.cites));
    if (same) this.unchanged(b.span, `band '${b.label}' of table`, t.id);
    if (b.cites.length === 0) this.uncited(b.span, `band '${b.label}' of table`, t.id);
    return {
      ...old,
      from: b.from ?? old.from, fromSpan: b.from === undefined ? old.fromSpan : b.fromSpan,
      to: b.to ?? old.to, toSpan: b.to === undefined ? old.toSpan : b.toSpan,
      cells: { ...old.cells, ...b.cells }, cellSpans: { ...old.cellSpans, ...b.cellSpans },
      cites: b.cites.length > 0 ? b.cites : old.cites, note: b.note ?? old.note, span: b.span,
    };
  }

  /** The base's statements with replacements in place, then the added ones; a subject scope's exclusion first. */
  private statements(base: readonly Statement[], scope: SubjectScopeDecl | undefined): Statement[] {
    const out = base.filter((x) => x.id !== scope?.id);
    if (scope) out.unshift(scopeExclusion(scope, this.base));
    for (const s of this.change.replace) {
      const i = out.findIndex((x) => x.id === s.id);
      if (i < 0) {
        this.unknown(s.idSpan, 'rule', '规则', s.id, base.map((x) => x.id));
        if (this.lenient) out.push(s);
        continue;
      }
      const old = out[i]!;
      if (old.kind !== s.kind || (old.kind === 'outcome' && s.kind === 'outcome' && old.outcome !== s.outcome)) {
        const kind = (x: Statement) => (x.kind === 'outcome' ? x.outcome : x.kind);
        this.bag.error('override-wrong-kind', s.idSpan, `'${s.id}' is a ${kind(old)} in ${this.baseName}; its replacement must be one too`,
          `'${s.id}' 在 ${this.baseName} 中是 ${kind(old)}，替换它的也必须是 ${kind(old)}`, 'remove it and add the new statement under another id');
        continue;
      }
      if (printStatement(s) === printStatement(old) && sameList(s.cites, old.cites)) this.unchanged(s.idSpan, 'rule', s.id);
      if (s.cites.length === 0) this.uncited(s.idSpan, 'rule', s.id);
      out[i] = s;
    }
    for (const s of this.change.add.statements) out.push(s);
    return out;
  }
}

/**
 * The exclusion that puts everyone else's records out of scope: `exclude <id> when not (f is
 * present and … and (where))` — a subject not in the subjects file has none of its fields, and
 * is not the fork's.
 */
function scopeExclusion(scope: SubjectScopeDecl, p: PolicyAst): OutcomeStmt {
  const span = scope.where.span;
  const read = new Set<string>();
  forEachExpr(scope.where, (e) => {
    if (e.kind === 'name' && p.subject.fields.some((f) => f.id === e.name)) read.add(e.name);
  });
  let cond: Expr = scope.where;
  for (const name of [...read].reverse()) {
    const present: Expr = { kind: 'presence', value: { kind: 'name', name, span }, present: true, span };
    cond = { kind: 'binary', op: 'and', left: present, right: cond, span };
  }
  return {
    kind: 'outcome', outcome: 'exclude', id: scope.id, idSpan: scope.idSpan, span: scope.span,
    when: { kind: 'unary', op: 'not', operand: cond, span },
    reason: `不属于本策略的适用对象（${scope.text}） / not among this policy's subjects (${scope.text})`,
    reasonSpan: span, placeholders: [], cites: scope.cites, notes: scope.note === undefined ? [] : [scope.note],
  };
}

function sameCell(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return (compareDecimalText(a, b) ?? (a === b ? 0 : 1)) === 0;
  return a === b;
}
