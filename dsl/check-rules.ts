// Checks of the rules section: resolves every name, infers the type and unit of every
// expression, and works out what each let depends on. A rule that passes these checks cannot
// fail at run time except on a missing input value, which rejects that one record.

import { ambientNames, builtins, MAX_ROUND_PLACES, VERSION_NAME, type AmbientName } from './builtins.ts';
import { assertNever, type AggregateExpr, type BinaryExpr, type Expr, type LetStmt, type MeasureStmt, type Statement } from './ast.ts';
import type { CheckedLet, CheckedMeasure, CheckedRequirement, Deps, Resolution, Type } from './checked.ts';
import type { DiagnosticBag } from './diagnostics.ts';
import type { DiagnosticCode } from './codes.ts';
import { baseId, type FieldDecl, type KeyedTableDecl, type PolicyAst, type TableDecl } from './policy.ts';
import type { Span } from './source.ts';
import { isRealDate } from './calendar.ts';
import { checkUnitText } from './check-declarations.ts';
import { checkDefinitionDepth } from './check-depth.ts';
import { checkWindowSize } from './check-window.ts';
import { didYouMean } from './suggest.ts';
import { children, forEachExpr, statementExprs } from './walk.ts';
import { DIMENSIONLESS, formatUnit, isDimensionless, multiplyUnits, parseUnit, sameUnit, type Unit } from './units.ts';
import { BOOL, columnType, describeType, ERROR, fieldType, NO_DEPS, num, orDeps, plainTypes, type Scope, type Typed } from './rule-types.ts';

/** The function that reads a measure's value in the previous cycle of a repeating cycle. */
export const PREVIOUS = 'previous';

type LetState = 'todo' | 'busy' | 'done';

/** Checks all statements of a policy's rules; results are read off the public maps and lists. */
export class RuleChecker {
  readonly types = new Map<Expr, Type>();
  readonly names = new Map<Expr, Resolution>();
  readonly bandCalls = new Map<Expr, import('./policy.ts').BandTableDecl>();
  readonly lets: CheckedLet[] = [];
  readonly measures: CheckedMeasure[] = [];
  readonly requirements: CheckedRequirement[] = [];
  /** Declarations some expression refers to, for the unused-declaration warning. */
  readonly used = new Set<string>();
  /** Table columns some expression reads, as `table.column`, for the unused-column warning. */
  readonly usedColumns = new Set<string>();
  /** `sum(…)` nodes whose value reads totals: each a sum over the periods (see periodSum). */
  readonly periodSums = new Set<Expr>();
  /** `previous(measure …)` calls, each with the index of the measure it reads (see previous()). */
  readonly previousCalls = new Map<Expr, number>();

  private readonly letStmts: LetStmt[];
  private readonly measureStmts: MeasureStmt[];
  private readonly letState: LetState[];
  private readonly measureState: LetState[];
  private readonly letResults: (CheckedLet | undefined)[];
  private readonly measureResults: (CheckedMeasure | undefined)[];

  constructor(
    private readonly p: PolicyAst,
    private readonly bag: DiagnosticBag,
  ) {
    this.letStmts = p.rules.statements.filter((s): s is LetStmt => s.kind === 'let');
    this.measureStmts = p.rules.statements.filter((s): s is MeasureStmt => s.kind === 'measure');
    this.letState = this.letStmts.map(() => 'todo');
    this.measureState = this.measureStmts.map(() => 'todo');
    this.letResults = this.letStmts.map(() => undefined);
    this.measureResults = this.measureStmts.map(() => undefined);
  }

  run(): void {
    // Cycles and over-deep chains first: checking lets follows references recursively.
    if (checkDefinitionDepth(this.p.rules.statements, this.bag)) {
      this.letStmts.forEach((_, i) => this.checkLet(i));
      this.measureStmts.forEach((_, i) => this.checkMeasure(i));
      for (const s of this.p.rules.statements) this.checkStatement(s);
    }
    // Safety net: with no error reported, every name must have been resolved — one that was not
    // would reach the compiler unresolved. (After an error, parts of expressions go unchecked on
    // purpose, to avoid cascades, and nothing is compiled.)
    if (!this.bag.hasErrors) for (const st of this.p.rules.statements) {
      for (const top of statementExprs(st)) {
        forEachExpr(top, (e) => {
          if (e.kind === 'name' && !this.names.has(e) && this.types.get(e)?.t !== 'error') this.unknownName(e, e.name);
        });
      }
    }
    this.lets.push(...this.letResults.map((l, i) => l ?? { stmt: this.letStmts[i]!, type: ERROR, deps: NO_DEPS }));
    this.measures.push(...this.measureResults.map((m, i) => m ?? { stmt: this.measureStmts[i]!, type: ERROR }));
  }

  private error(code: DiagnosticCode, span: Span, en: string, zh: string, help?: string): Typed {
    this.bag.error(code, span, en, zh, help);
    return { type: ERROR, deps: NO_DEPS };
  }

  private checkStatement(s: Statement): void {
    switch (s.kind) {
      case 'let':
      case 'measure':
        return; // checked on demand, in dependency order
      case 'outcome': {
        const scope: Scope = { mode: 'record', periodAllowed: true };
        const when = this.expr(s.when, scope);
        this.expect(s.when, when.type, BOOL, `the condition of '${s.id}'`, `'${s.id}' 的条件`);
        for (const ph of s.placeholders) {
          const t = this.settleAlone(ph, this.expr(ph, scope).type);
          if (t.t === 'table' || t.t === 'row' || t.t === 'group') {
            this.error('placeholder-not-a-value', ph.span, `{${ph.name}} is ${describeType(t).en}, which cannot be shown in a reason`,
              `{${ph.name}} 是${describeType(t).zh}，不能写入理由`);
          }
        }
        return;
      }
      case 'require':
        return this.checkRequirement(s);
      default:
        return assertNever(s);
    }
  }

  private checkLet(i: number): CheckedLet | undefined {
    const stmt = this.letStmts[i]!;
    if (this.letState[i] === 'done') return this.letResults[i];
    if (this.letState[i] === 'busy') {
      this.error('cyclic-definition', stmt.idSpan, `'${stmt.id}' is defined in terms of itself`, `'${stmt.id}' 的定义直接或间接引用了自身`,
        'a value may not depend on itself: break the cycle');
      return undefined;
    }
    this.letState[i] = 'busy';
    const value = this.expr(stmt.value, { mode: 'record', periodAllowed: true });
    let type = this.settleAlone(stmt.value, value.type);
    const plain = stmt.unit && Object.hasOwn(plainTypes, stmt.unit.text) ? plainTypes[stmt.unit.text] : undefined;
    if (stmt.unit && plain) {
      this.expect(stmt.value, type, plain, `the value of '${stmt.id}'`, `'${stmt.id}' 的值`);
    } else if (stmt.unit) {
      const { unit, names } = parseUnit(stmt.unit.text);
      const undeclared = names.filter((n) => !this.p.units.some((u) => u.id === n));
      if (undeclared.length > 0) {
        checkUnitText(this.p, stmt.unit.text, stmt.unit.span, this.bag);
      } else if (type.t === 'number' && !type.literal && !sameUnit(type.unit, unit)) {
        this.error('unit-mismatch', stmt.value.span, `'${stmt.id}' is declared in ${formatUnit(unit)} but its value is in ${formatUnit(type.unit)}`,
          `'${stmt.id}' 声明的单位是 ${formatUnit(unit)}，但其值的单位是 ${formatUnit(type.unit)}`);
      } else if (type.t !== 'number' && type.t !== 'error') {
        this.error('type-mismatch', stmt.value.span, `'${stmt.id}' is declared in ${formatUnit(unit)} but its value is ${describeType(type).en}`,
          `'${stmt.id}' 声明为 ${formatUnit(unit)}，但其值是${describeType(type).zh}`);
      }
      if (type.t === 'number') type = num(unit);
    }
    // No check for totals here: the value is checked per record, where a total is already an
    // aggregate-per-record error and a measure's name is not in scope (unknown-name).
    const result: CheckedLet = { stmt, type, deps: value.deps };
    this.letResults[i] = result;
    this.letState[i] = 'done';
    return result;
  }

  private checkMeasure(i: number): CheckedMeasure | undefined {
    const stmt = this.measureStmts[i]!;
    if (this.measureState[i] === 'done') return this.measureResults[i];
    if (this.measureState[i] === 'busy') {
      this.error('cyclic-definition', stmt.idSpan, `'${stmt.id}' is defined in terms of itself`, `'${stmt.id}' 的定义直接或间接引用了自身`);
      return undefined;
    }
    this.measureState[i] = 'busy';
    const top = stmt.value.kind === 'aggregate' ? this.aggregate(stmt.value, true) : this.expr(stmt.value, { mode: 'totals', periodAllowed: false });
    if (top.type.t !== 'number' && top.type.t !== 'group' && top.type.t !== 'error') {
      this.error('measure-not-a-number', stmt.value.span, `measure '${stmt.id}' must be a number, not ${describeType(top.type).en}`, `指标 '${stmt.id}' 必须是数字，而不是${describeType(top.type).zh}`);
    }
    const result: CheckedMeasure = { stmt, type: stmt.unit ? this.measureUnit(stmt, stmt.unit, top.type) : top.type };
    this.measureResults[i] = result;
    this.measureState[i] = 'done';
    return result;
  }

  /**
   * The type of a measure declared with a unit: a plain number (a count) takes the unit; a
   * number already in it keeps it; a number in another unit is a unit-mismatch.
   */
  private measureUnit(stmt: MeasureStmt, annotation: NonNullable<MeasureStmt['unit']>, type: Type): Type {
    if (type.t !== 'number' && type.t !== 'group') return type;
    const { unit, names } = parseUnit(annotation.text);
    if (names.some((n) => !this.p.units.some((u) => u.id === n))) {
      checkUnitText(this.p, annotation.text, annotation.span, this.bag);
      return ERROR;
    }
    if (!isDimensionless(type.unit) && !sameUnit(type.unit, unit)) {
      this.error('unit-mismatch', stmt.value.span, `'${stmt.id}' is declared in ${formatUnit(unit)} but its value is in ${formatUnit(type.unit)}`,
        `'${stmt.id}' 声明的单位是 ${formatUnit(unit)}，但其值的单位是 ${formatUnit(type.unit)}`,
        'only a count or a plain number takes a declared unit');
      return ERROR;
    }
    return type.t === 'number' ? num(unit) : { ...type, unit };
  }

  private checkRequirement(s: Extract<Statement, { kind: 'require' }>): void {
    // Structural errors are reported, but the condition and body are still checked, so their
    // own mistakes show up too and the declarations they use do not look unused.
    let ok = true;
    const word = s.window ? `${s.window.text} ${s.scope === 'window' ? 'periods' : s.scope}` : String(s.scope);
    if (s.window ? s.scope !== 'window' : s.scope !== 'period' && s.scope !== 'cycle') {
      this.error('unknown-scope', s.scopeSpan, `'per ${word}': requirements are checked 'per period', 'per cycle' or 'per N periods'`,
        `'per ${word}'：要求只能按 period（每期）、cycle（整个周期）或 N periods（任意连续 N 期）检查`,
        s.window ? `write 'per ${s.window.text} periods'` : undefined);
      ok = false;
    }
    const size = s.scope === 'window' && s.window ? checkWindowSize(this.p, s.window, this.bag) : undefined;
    if (s.scope === 'window' && size === undefined) ok = false;
    let loopTable: KeyedTableDecl | undefined;
    let loop: Scope['loop'];
    if (s.loop) {
      const t = this.p.tables.find((x) => x.id === s.loop!.table);
      if (!t || t.kind !== 'keyed') {
        this.error('loop-not-over-table', s.loop.span, `'for ${s.loop.variable} in ${s.loop.table}' needs a keyed table`, `'for … in ${s.loop.table}' 需要一张按键查找的表`,
          didYouMean(s.loop.table, this.p.tables.filter((x) => x.kind === 'keyed').map((x) => x.id)));
        loop = { name: s.loop.variable, type: ERROR };
        ok = false;
      } else {
        this.used.add(t.id);
        loopTable = t;
        loop = { name: s.loop.variable, type: { t: 'enum', domain: t.key, values: t.rows.map((r) => r.key) } };
      }
    }
    const scope: Scope = {
      mode: 'totals', periodAllowed: s.scope === 'period', ...(loop ? { loop } : {}),
      ...(s.scope === 'window' ? { window: size ?? 0 } : {}),
    };
    if (s.when) this.expect(s.when, this.expr(s.when, scope).type, BOOL, `the condition of '${s.id}'`, `'${s.id}' 的条件`);
    const body = s.body;
    const t = this.expr(body, scope);
    const comparison = body.kind === 'binary' && ['==', '!=', '<', '<=', '>', '>='].includes(body.op) ? body : undefined;
    const left = comparison ? this.types.get(comparison.left) : undefined;
    // A comparison of numbers reports its two sides (actual and required); any other yes/no
    // condition — a declaration made, evidence present, `a or b` — is met or not, and its
    // violation names the parts that did not hold.
    if (comparison && left?.t === 'number') {
      if (!ok || t.type.t === 'error') return;
      this.requirements.push({ stmt: s, loopTable, body: comparison, condition: undefined });
      return;
    }
    const settled = this.settleAlone(body, t.type);
    if (settled.t !== 'bool' && settled.t !== 'error') {
      this.error('requirement-not-comparison', body.span, `the body of requirement '${s.id}' must compare the actual value with the required one (e.g. total >= floor), or be a yes/no condition (e.g. declared and indemnity is present)`,
        `要求 '${s.id}' 的内容必须是实际值与要求值的比较（如 total >= floor），或是一个是/否条件（如 declared and indemnity is present）`);
      return;
    }
    if (!ok || settled.t === 'error') return;
    this.requirements.push({ stmt: s, loopTable, body: conditionAsComparison(body), condition: body });
  }

  /**
   * Reports a type other than `want` at `e` (errors already reported pass silently; a bare name
   * that is nothing declared is reported as an unknown name, with a did-you-mean).
   */
  private expect(e: Expr, got: Type, want: Type, what: string, whatZh: string): void {
    if (got.t === 'symbol') {
      this.unknownName(e, got.name);
      return;
    }
    const span = e.span;
    if (got.t === 'error' || got.t === want.t) return;
    const w = describeType(want);
    const g = describeType(got);
    this.bag.error('type-mismatch', span, `${what} must be ${w.en}, but it is ${g.en}`, `${whatZh}应为${w.zh}，实际是${g.zh}`);
  }

  private record(e: Expr, t: Typed): Typed {
    this.types.set(e, t.type);
    return t;
  }

  /** Checks an expression; records its type. */
  private expr(e: Expr, scope: Scope): Typed {
    return this.record(e, this.infer(e, scope));
  }

  private infer(e: Expr, scope: Scope): Typed {
    switch (e.kind) {
      case 'number': return { type: num(DIMENSIONLESS, true), deps: NO_DEPS };
      case 'string': return { type: { t: 'text' }, deps: NO_DEPS };
      case 'bool': return { type: BOOL, deps: NO_DEPS };
      case 'date':
        if (!isRealDate(e.value)) {
          return this.error('bad-date', e.span, `'${e.value}' is not a real date`, `'${e.value}' 不是有效日期`,
            'write an existing day as YYYY-MM-DD, e.g. 2019-02-28');
        }
        return { type: { t: 'date' }, deps: NO_DEPS };
      case 'name': return this.name(e, scope);
      case 'unary': {
        const o = this.expr(e.operand, scope);
        if (e.op === 'not') this.expect(e.operand, o.type, BOOL, "the operand of 'not'", "'not' 的操作数");
        else this.expect(e.operand, o.type, num(DIMENSIONLESS), "the operand of '-'", "'-' 的操作数");
        return { type: e.op === 'not' ? BOOL : o.type.t === 'number' ? o.type : ERROR, deps: o.deps };
      }
      case 'binary': return this.binary(e, scope);
      case 'between': {
        const v = this.expr(e.value, scope);
        const lo = this.expr(e.low, scope);
        const hi = this.expr(e.high, scope);
        const tv = this.settleAlone(e.value, v.type);
        this.comparable(tv, this.settleAlone(e.low, lo.type), e.low.span, 'between');
        this.comparable(tv, this.settleAlone(e.high, hi.type), e.high.span, 'between');
        return { type: BOOL, deps: orDeps(v.deps, lo.deps, hi.deps) };
      }
      case 'presence': {
        const v = this.expr(e.value, scope);
        this.settleAlone(e.value, v.type);
        return { type: BOOL, deps: v.deps };
      }
      case 'in': {
        const v = this.expr(e.value, scope);
        const items = e.items.map((i) => this.expr(i, scope));
        items.forEach((it, k) => this.equatable(v, it, e.value, e.items[k]!));
        return { type: BOOL, deps: items.reduce((d, i) => orDeps(d, i.deps), v.deps) };
      }
      case 'if': {
        const c = this.expr(e.cond, scope);
        this.expect(e.cond, c.type, BOOL, "the condition of 'if'", "'if' 的条件");
        const a = this.expr(e.then, scope);
        const b = this.expr(e.otherwise, scope);
        return { type: this.unify(a, b, e.then, e.otherwise), deps: orDeps(c.deps, a.deps, b.deps) };
      }
      case 'index': return this.index(e, scope);
      case 'member': return this.member(e, scope);
      case 'call': return this.call(e, scope);
      case 'aggregate':
        if (scope.mode === 'record') {
          return this.error('aggregate-per-record', e.span, `'${e.op}(…)' totals many records; it cannot be used per record`,
            `'${e.op}(…)' 是多条记录的合计，不能在单条记录的规则中使用`, 'use it in a measure or a requirement');
        }
        return this.aggregate(e, false);
      default: return assertNever(e);
    }
  }

  private name(e: Extract<Expr, { kind: 'name' }>, scope: Scope): Typed {
    const resolve = (r: Resolution, t: Typed): Typed => {
      this.names.set(e, r);
      return t;
    };
    if (scope.loop && scope.loop.name === e.name) return resolve({ r: 'loop' }, { type: scope.loop.type, deps: NO_DEPS });
    if (scope.mode === 'totals') {
      const mi = this.measureStmts.findIndex((m) => m.id === e.name);
      if (mi >= 0) {
        this.used.add(e.name);
        const m = this.checkMeasure(mi);
        return resolve({ r: 'measure', index: mi }, { type: m?.type ?? ERROR, deps: { ...NO_DEPS, totals: true } });
      }
    }
    const li = this.letStmts.findIndex((l) => l.id === e.name);
    if (li >= 0) {
      this.used.add(e.name);
      const l = this.checkLet(li);
      if (l && scope.mode === 'totals' && l.deps.record) {
        return this.error('record-value-outside-sum', e.span, `'${e.name}' is worked out per record, so here it must be totalled`,
          `'${e.name}' 按单条记录计算，在此处须先合计`, `write sum(${e.name}) or sum(… where ${e.name})`);
      }
      if (l && scope.mode === 'totals' && l.deps.period && !scope.periodAllowed) {
        if (scope.window !== undefined) return this.periodInWindow(e, `'${e.name}' depends on the period`, `'${e.name}' 依赖期间`);
        return this.error('period-outside-period-scope', e.span, `'${e.name}' depends on the period, which a cycle-wide rule does not have`, `'${e.name}' 依赖年度，而整个周期的规则没有年度`);
      }
      return resolve({ r: 'let', index: li }, { type: l?.type ?? ERROR, deps: l?.deps ?? NO_DEPS });
    }
    const fi = this.p.record.fields.findIndex((f) => f.id === e.name);
    if (fi >= 0) {
      if (scope.mode === 'totals') {
        return this.error('record-value-outside-sum', e.span, `'${e.name}' is a field of each record, so here it must be totalled`,
          `'${e.name}' 是单条记录的字段，在此处须先合计`, `write sum(${e.name})`);
      }
      const f = this.p.record.fields[fi]!;
      return resolve({ r: 'field', field: f, index: fi }, { type: fieldType(f), deps: { ...NO_DEPS, record: true } });
    }
    const si = this.p.subject.fields.findIndex((f) => f.id === e.name);
    if (si >= 0) {
      const f = this.p.subject.fields[si]!;
      return resolve({ r: 'subjectField', field: f, index: si }, { type: fieldType(f), deps: { ...NO_DEPS, subject: true } });
    }
    const prm = this.p.parameters.find((x) => x.id === e.name);
    if (prm) {
      this.used.add(prm.id);
      const type: Type = prm.type === 'date' ? { t: 'date' } : num(parseUnit(prm.unit).unit);
      return resolve({ r: 'parameter', id: prm.id, value: prm.value }, { type, deps: NO_DEPS });
    }
    const set = this.p.settings.find((x) => x.id === e.name);
    if (set) {
      this.used.add(set.id);
      const type: Type = set.choices.length > 0 ? { t: 'enum', domain: baseId(set.id), values: set.choices } : BOOL;
      return resolve({ r: 'setting', id: set.id, value: set.value }, { type, deps: NO_DEPS });
    }
    const table = this.p.tables.find((x) => x.id === e.name);
    if (table) {
      this.used.add(table.id);
      return resolve({ r: 'table', table }, { type: { t: 'table', table }, deps: NO_DEPS });
    }
    if (e.name === VERSION_NAME) return resolve({ r: 'ambient', name: VERSION_NAME }, { type: num(DIMENSIONLESS), deps: { ...NO_DEPS, version: true } });
    if (Object.hasOwn(ambientNames, e.name)) {
      const name = e.name as AmbientName;
      if (name === 'period') {
        if (scope.mode === 'totals' && !scope.periodAllowed && scope.window !== undefined) return this.periodInWindow(e, "'period'", "'period'");
        if (scope.mode === 'totals' && !scope.periodAllowed) {
          return this.error('period-outside-period-scope', e.span, "'period' has no value in a rule for the whole cycle", "整个周期的规则中没有 'period'",
            "use it in a 'per period' requirement or per record");
        }
        return resolve({ r: 'ambient', name }, { type: num(DIMENSIONLESS), deps: { ...NO_DEPS, period: true } });
      }
      return resolve({ r: 'ambient', name }, { type: num(DIMENSIONLESS), deps: NO_DEPS });
    }
    // Maybe an enum value; the comparison that uses it decides (see `symbolAgainst`).
    return { type: { t: 'symbol', name: e.name }, deps: NO_DEPS };
  }

  /**
   * A value of one period in a `per N periods` requirement: its condition and body are worked out
   * over the window's records together, where no single period is in scope.
   */
  private periodInWindow(e: Expr, what: string, whatZh: string): Typed {
    return this.error('period-outside-period-scope', e.span, `${what} has no value in a rule over a window of consecutive periods`,
      `${whatZh}在跨越连续多期的窗口规则中没有取值`, "a window's rules see its periods' records together: use 'per period' for a check of each period");
  }

  /** All names an expression could mean, for "did you mean" help. */
  private knownNames(): string[] {
    return [
      ...this.letStmts.map((l) => l.id), ...this.measureStmts.map((m) => m.id),
      ...this.p.record.fields.map((f) => f.id), ...this.p.subject.fields.map((f) => f.id),
      ...this.p.parameters.map((x) => x.id), ...this.p.settings.map((x) => x.id),
      ...this.p.tables.map((x) => x.id), ...Object.keys(ambientNames),
    ];
  }

  private unknownName(e: Expr, name: string): void {
    this.bag.error('unknown-name', e.span, `unknown name '${name}'`, `未知的名称 '${name}'`,
      didYouMean(name, this.knownNames()) ?? 'declare it as a field, parameter, setting, table, let or measure');
    this.types.set(e, ERROR);
  }

  /** Resolves a bare symbol against an enum type, or reports it. Returns the symbol's final type. */
  private symbolAgainst(sym: Expr, name: string, other: Type): Type {
    if (other.t === 'enum') {
      if (other.values.includes(name)) {
        this.names.set(sym, { r: 'enumValue', value: name });
        this.types.set(sym, other);
        return other;
      }
      this.bag.error('unknown-enum-value', sym.span, `'${name}' is not a value of ${other.domain}`, `'${name}' 不是 ${other.domain} 的取值`,
        didYouMean(name, other.values) ?? `values: ${other.values.join(', ')}`);
      this.types.set(sym, ERROR);
      return ERROR;
    }
    if (other.t !== 'error') this.unknownName(sym, name);
    return ERROR;
  }

  /** Final type of a sub-expression, settling bare symbols; reports symbols left with no enum context. */
  private settle(e: Expr, t: Type, other: Type): Type {
    return t.t === 'symbol' ? this.symbolAgainst(e, t.name, other) : t;
  }

  private equatable(a: Typed, b: Typed, ea: Expr, eb: Expr): void {
    const ta = this.settle(ea, a.type, b.type);
    const tb = this.settle(eb, b.type, ta);
    if (ta.t === 'error' || tb.t === 'error') return;
    if (ta.t === 'number' && tb.t === 'number') return this.sameUnits(ta, tb, eb.span);
    if (ta.t === 'enum' && tb.t === 'enum' && ta.domain !== tb.domain) {
      this.bag.error('enum-mismatch', eb.span, `a value of ${ta.domain} cannot equal a value of ${tb.domain}`, `${ta.domain} 的取值不能与 ${tb.domain} 的取值相比`);
      return;
    }
    if (ta.t !== tb.t || ta.t === 'table' || ta.t === 'row' || ta.t === 'group') {
      this.bag.error('type-mismatch', eb.span, `cannot compare ${describeType(ta).en} with ${describeType(tb).en}`, `不能将${describeType(ta).zh}与${describeType(tb).zh}比较`);
    }
  }

  private sameUnits(a: Extract<Type, { t: 'number' }>, b: Extract<Type, { t: 'number' }>, span: Span): void {
    if (a.literal || b.literal || sameUnit(a.unit, b.unit)) return;
    this.bag.error('unit-mismatch', span, `cannot combine ${formatUnit(a.unit)} with ${formatUnit(b.unit)}`, `不能将 ${formatUnit(a.unit)} 与 ${formatUnit(b.unit)} 混合运算或比较`,
      'check which quantities are meant: values in different units cannot be added or compared');
  }

  /** Numbers of one unit, or dates (symbols already settled by the caller). */
  private comparable(ta: Type, tb: Type, span: Span, op: string): void {
    if (ta.t === 'error' || tb.t === 'error') return;
    if (ta.t === 'number' && tb.t === 'number') return this.sameUnits(ta, tb, span);
    if (ta.t === 'date' && tb.t === 'date') return;
    this.bag.error('type-mismatch', span, `'${op}' needs two numbers of the same unit or two dates, not ${describeType(ta).en} and ${describeType(tb).en}`,
      `'${op}' 需要两个单位相同的数字或两个日期，而不是${describeType(ta).zh}和${describeType(tb).zh}`);
  }

  private binary(e: BinaryExpr, scope: Scope): Typed {
    const a = this.expr(e.left, scope);
    const b = this.expr(e.right, scope);
    const deps = orDeps(a.deps, b.deps);
    switch (e.op) {
      case 'and':
      case 'or':
        this.expect(e.left, this.settleAlone(e.left, a.type), BOOL, `the left side of '${e.op}'`, `'${e.op}' 的左侧`);
        this.expect(e.right, this.settleAlone(e.right, b.type), BOOL, `the right side of '${e.op}'`, `'${e.op}' 的右侧`);
        return { type: BOOL, deps };
      case '==':
      case '!=':
        this.equatable(a, b, e.left, e.right);
        return { type: BOOL, deps };
      case '<': case '<=': case '>': case '>=':
        this.comparable(this.settleAlone(e.left, a.type), this.settleAlone(e.right, b.type), e.span, e.op);
        return { type: BOOL, deps };
      case '+': case '-': case '*': case '/': {
        const ta = this.settleAlone(e.left, a.type);
        const tb = this.settleAlone(e.right, b.type);
        if (ta.t === 'error' || tb.t === 'error') return { type: ERROR, deps };
        if (ta.t !== 'number' || tb.t !== 'number') {
          return { ...this.error('type-mismatch', ta.t !== 'number' ? e.left.span : e.right.span,
            `'${e.op}' needs numbers, not ${describeType(ta.t !== 'number' ? ta : tb).en}`, `'${e.op}' 需要数字，而不是${describeType(ta.t !== 'number' ? ta : tb).zh}`), deps };
        }
        const literal = ta.literal && tb.literal;
        if (e.op === '+' || e.op === '-') {
          this.sameUnits(ta, tb, e.span);
          return { type: num(ta.literal ? tb.unit : ta.unit, literal), deps };
        }
        const unit = multiplyUnits(ta.literal ? DIMENSIONLESS : ta.unit, tb.literal ? DIMENSIONLESS : tb.unit, e.op === '*' ? 1 : -1);
        return { type: num(unit, literal && isDimensionless(unit)), deps };
      }
      default:
        return assertNever(e.op);
    }
  }

  /** A symbol with no enum to compare against is an unknown name. */
  private settleAlone(e: Expr, t: Type): Type {
    if (t.t !== 'symbol') return t;
    this.unknownName(e, t.name);
    return ERROR;
  }

  private unify(a: Typed, b: Typed, ea: Expr, eb: Expr): Type {
    const ta = this.settle(ea, a.type, b.type);
    const tb = this.settle(eb, b.type, ta);
    if (ta.t === 'error' || tb.t === 'error') return ERROR;
    if (ta.t === 'number' && tb.t === 'number') {
      this.sameUnits(ta, tb, eb.span);
      return ta.literal ? tb : ta;
    }
    if (ta.t !== tb.t || (ta.t === 'enum' && tb.t === 'enum' && ta.domain !== tb.domain)) {
      this.bag.error('type-mismatch', eb.span, `both branches of 'if' must give the same kind of value: ${describeType(ta).en} and ${describeType(tb).en}`,
        `'if' 的两个分支应给出同类的值：${describeType(ta).zh} 与 ${describeType(tb).zh}`);
      return ERROR;
    }
    return ta;
  }

  private index(e: Extract<Expr, { kind: 'index' }>, scope: Scope): Typed {
    const target = this.expr(e.target, scope);
    const key = this.expr(e.key, scope);
    const deps = orDeps(target.deps, key.deps);
    const t = this.settleAlone(e.target, target.type);
    if (t.t === 'error') return { type: ERROR, deps };
    let domain: Type;
    let result: Type;
    if (t.t === 'table' && t.table.kind === 'keyed') {
      const keyField = this.fieldById(t.table.key);
      domain = keyField ? fieldType(keyField) : ERROR;
      result = { t: 'row', table: t.table };
    } else if (t.t === 'group') {
      domain = { t: 'enum', domain: t.domain, values: t.values };
      result = num(t.unit);
    } else {
      return this.error('not-indexable', e.target.span, `${describeType(t).en} cannot be looked up with [ ]`, `${describeType(t).zh}不能用 [ ] 查找`,
        t.t === 'table' ? `'${t.table.id}' is a banded table: write ${t.table.id}(value)` : undefined);
    }
    const k = this.settle(e.key, key.type, domain);
    if (k.t !== 'error' && domain.t === 'enum' && (k.t !== 'enum' || k.domain !== domain.domain)) {
      this.error('type-mismatch', e.key.span, `the key must be a value of ${domain.domain}, not ${describeType(k).en}`, `键应为 ${domain.domain} 的取值，而不是${describeType(k).zh}`);
    }
    return { type: result, deps };
  }

  private fieldById(id: string): FieldDecl | undefined {
    return this.p.record.fields.find((f) => f.id === id) ?? this.p.subject.fields.find((f) => f.id === id);
  }

  private member(e: Extract<Expr, { kind: 'member' }>, scope: Scope): Typed {
    const target = this.expr(e.target, scope);
    const t = this.settleAlone(e.target, target.type);
    if (t.t === 'error') return { type: ERROR, deps: target.deps };
    if (t.t !== 'row') {
      return this.error('no-columns', e.nameSpan, `${describeType(t).en} has no column '${e.name}'`, `${describeType(t).zh}没有列 '${e.name}'`);
    }
    if (t.table.kind === 'bands' && e.name === 'label') return { type: { t: 'text' }, deps: target.deps };
    const col = t.table.columns.find((c) => c.name === e.name);
    if (col) this.usedColumns.add(`${t.table.id}.${col.name}`);
    if (!col) {
      const names = [...t.table.columns.map((c) => c.name), ...(t.table.kind === 'bands' ? ['label'] : [])];
      return this.error('unknown-column', e.nameSpan, `table '${t.table.id}' has no column '${e.name}'`, `表 '${t.table.id}' 没有列 '${e.name}'`,
        didYouMean(e.name, names) ?? `columns: ${names.join(', ')}`);
    }
    return { type: columnType(col), deps: target.deps };
  }

  private call(e: Extract<Expr, { kind: 'call' }>, scope: Scope): Typed {
    // Before the arguments are checked: previous(m) reads m's value in another cycle, so its
    // argument is not a reference to m in this one (a measure may carry its own excess forward).
    if (e.callee === PREVIOUS && !this.p.tables.some((t) => t.id === e.callee)) return this.previous(e, scope);
    const args = e.args.map((a) => this.expr(a, scope));
    const deps = orDeps(NO_DEPS, ...args.map((a) => a.deps));
    const table: TableDecl | undefined = this.p.tables.find((t) => t.id === e.callee);
    if (table) {
      this.used.add(table.id);
      if (table.kind !== 'bands') {
        return { ...this.error('not-callable', e.calleeSpan, `'${table.id}' is a keyed table: write ${table.id}[key]`, `'${table.id}' 是按键查找的表：请写 ${table.id}[键]`), deps };
      }
      if (args.length !== 1) return { ...this.error('wrong-arity', e.span, `'${table.id}(…)' takes one number`, `'${table.id}(…)' 需要一个数字`), deps };
      const a = this.settleAlone(e.args[0]!, args[0]!.type);
      if (a.t !== 'error') {
        const want = parseUnit(table.unit).unit;
        if (a.t !== 'number') this.expect(e.args[0]!, a, num(want), `the argument of '${table.id}'`, `'${table.id}' 的参数`);
        else if (!a.literal && !sameUnit(a.unit, want)) {
          this.error('unit-mismatch', e.args[0]!.span, `'${table.id}' bands are in ${formatUnit(want)}, not ${formatUnit(a.unit)}`, `'${table.id}' 按 ${formatUnit(want)} 分级，而不是 ${formatUnit(a.unit)}`);
        }
      }
      this.bandCalls.set(e, table);
      return { type: { t: 'row', table }, deps };
    }
    const b = builtins.get(e.callee);
    if (!b) {
      return { ...this.error('unknown-function', e.calleeSpan, `unknown function '${e.callee}'`, `未知的函数 '${e.callee}'`,
        didYouMean(e.callee, [...builtins.keys(), ...this.p.tables.filter((t) => t.kind === 'bands').map((t) => t.id)])), deps };
    }
    if (b.variadic ? args.length < b.params.length : args.length !== b.params.length) {
      const n = b.variadic ? `${b.params.length} or more arguments` : `${b.params.length} argument(s)`;
      const nZh = b.variadic ? `至少 ${b.params.length} 个参数` : ` ${b.params.length} 个参数`;
      return { ...this.error('wrong-arity', e.span, `'${b.name}' takes ${n}, not ${args.length}`, `'${b.name}' 需要${nZh}，而不是 ${args.length} 个`), deps };
    }
    let unit: Unit | undefined;
    // A variadic built-in's last parameter stands for every argument from there on.
    const params = b.variadic ? args.map((_, i) => b.params[Math.min(i, b.params.length - 1)]!) : b.params;
    params.forEach((p, i) => {
      const a = this.settleAlone(e.args[i]!, args[i]!.type);
      if (p === 'places') this.places(e.args[i]!, b.name, a);
      else if (p === 'date') this.expect(e.args[i]!, a, { t: 'date' }, `argument ${i + 1} of '${b.name}'`, `'${b.name}' 的第 ${i + 1} 个参数`);
      else {
        this.expect(e.args[i]!, a, num(DIMENSIONLESS), `argument ${i + 1} of '${b.name}'`, `'${b.name}' 的第 ${i + 1} 个参数`);
        if (a.t === 'number' && b.result === 'sameUnit' && !a.literal) {
          if (unit && !sameUnit(unit, a.unit)) this.sameUnits(num(unit), a, e.args[i]!.span);
          unit ??= a.unit;
        }
      }
    });
    const type: Type = b.result === 'date' ? { t: 'date' } : b.result === 'number' ? num(DIMENSIONLESS) : num(unit ?? DIMENSIONLESS, unit === undefined);
    return { type, deps };
  }

  /**
   * `previous(m)` or `previous(m, default)`: measure `m`'s value for the subject's previous cycle
   * of a repeating cycle (`cycle.every`), the default (else zero) in the first. A cycle-wide value,
   * in `m`'s unit. When `m` is being worked out (a measure carrying its own excess forward), its
   * type is not known yet: it must declare its unit.
   */
  private previous(e: Extract<Expr, { kind: 'call' }>, scope: Scope): Typed {
    const deps: Deps = { ...NO_DEPS, totals: true };
    if (scope.mode === 'record') {
      return this.error('aggregate-per-record', e.span, "'previous(…)' is a measure of the previous cycle; it cannot be used per record",
        "'previous(…)' 是上一周期的指标，不能在单条记录的规则中使用", 'use it in a measure or a requirement');
    }
    if (this.p.cycle.every === undefined) {
      return this.error('previous-without-repeat', e.calleeSpan, "'previous(…)' reads the previous cycle, but the cycle does not repeat",
        "'previous(…)' 读取上一周期，但周期不重复",
        this.p.cycle.perSubject ? `make the cycle repeat: cycle: { ${this.p.cycle.perSubject.anchor}: ${this.p.cycle.perSubject.field}, length: …, every: n }` : 'make the cycle repeat: cycle: { from: …, to: …, every: n }');
    }
    if (e.args.length < 1 || e.args.length > 2) {
      return this.error('wrong-arity', e.span, `'previous' takes a measure and, optionally, its value before the first cycle, not ${e.args.length} argument(s)`,
        `'previous' 需要一个指标，以及可选的首个周期之前的值，而不是 ${e.args.length} 个参数`);
    }
    const target = e.args[0]!;
    const mi = target.kind === 'name' ? this.measureStmts.findIndex((m) => m.id === target.name) : -1;
    if (mi < 0) {
      return this.error('previous-not-a-measure', target.span, "'previous(…)' takes the name of a measure", "'previous(…)' 的参数须为指标的名称",
        didYouMean(target.kind === 'name' ? target.name : '', this.measureStmts.map((m) => m.id)) ?? `measures: ${this.measureStmts.map((m) => m.id).join(', ')}`);
    }
    const stmt = this.measureStmts[mi]!;
    this.used.add(stmt.id);
    this.names.set(target, { r: 'measure', index: mi });
    let type: Type;
    if (this.measureState[mi] !== 'done' && this.reachesBusyMeasure(mi)) {
      // m is being worked out, through this call (or m uses a measure that is): its unit must
      // be said, not inferred — inferring it would follow the chain back here.
      if (!stmt.unit) {
        return this.error('previous-needs-unit', target.span, `'previous(${stmt.id})' is part of working out '${stmt.id}' itself, so '${stmt.id}' must declare its unit`,
          `'previous(${stmt.id})' 用于计算 '${stmt.id}' 本身，因此 '${stmt.id}' 须声明单位`, `declare it: measure ${stmt.id}: <unit> = …`);
      }
      const { unit, names } = parseUnit(stmt.unit.text);
      type = names.every((n) => this.p.units.some((u) => u.id === n)) ? num(unit) : ERROR;
    } else {
      type = this.checkMeasure(mi)?.type ?? ERROR;
    }
    if (type.t === 'group') {
      return this.error('previous-not-a-measure', target.span, `'${stmt.id}' is grouped: 'previous(…)' reads one number`, `'${stmt.id}' 是分组指标：'previous(…)' 只读取一个数`,
        `read one group in a measure of its own, e.g. measure x = ${stmt.id}[key]`);
    }
    this.record(target, { type, deps });
    if (type.t !== 'number') return { type: ERROR, deps };
    let all = deps;
    const fallback = e.args[1];
    if (fallback) {
      const d = this.expr(fallback, scope);
      const t = this.settleAlone(fallback, d.type);
      this.expect(fallback, t, num(type.unit), "the default of 'previous(…)'", "'previous(…)' 的默认值");
      // The default stands for m's value: in m's unit (a bare number takes it).
      if (t.t === 'number') this.sameUnits(num(type.unit), t, fallback.span);
      all = orDeps(deps, d.deps);
    }
    this.previousCalls.set(e, mi);
    return { type: num(type.unit), deps: { ...all, period: false } };
  }

  /**
   * Whether measure `start` is, or uses (through other measures, not through previous(…)), a
   * measure now being checked. Written names are followed, inside totals too (a sum over the
   * periods reads measures there): at worst this asks for a unit that could have been inferred.
   */
  private reachesBusyMeasure(start: number): boolean {
    const seen = new Set<number>([start]);
    const todo = [start];
    while (todo.length > 0) {
      const i = todo.pop()!;
      if (this.measureState[i] === 'busy') return true;
      const stack: Expr[] = [this.measureStmts[i]!.value];
      while (stack.length > 0) {
        const e = stack.pop()!;
        if (e.kind === 'name') {
          const j = this.measureStmts.findIndex((m) => m.id === e.name);
          if (j >= 0 && !seen.has(j)) {
            seen.add(j);
            todo.push(j);
          }
        }
        stack.push(...(e.kind === 'call' && e.callee === PREVIOUS ? e.args.slice(1) : children(e)));
      }
    }
    return false;
  }

  /** A number of decimal places: a whole-number literal from 0 to MAX_ROUND_PLACES. */
  private places(arg: Expr, fn: string, t: Type): void {
    if (t.t === 'error') return;
    if (arg.kind === 'number' && !arg.percent && /^\d+$/.test(arg.text) && Number(arg.text) <= MAX_ROUND_PLACES) return;
    this.bag.error('bad-places', arg.span, `the places of '${fn}' must be a whole number from 0 to ${MAX_ROUND_PLACES}, written as digits`,
      `'${fn}' 的小数位数须直接写成 0 到 ${MAX_ROUND_PLACES} 的整数`, `e.g. ${fn}(x, 2) for hundredths, ${fn}(x, 0) for whole numbers`);
  }

  /**
   * Whether an expression reads totals through a measure: a name that per record means nothing
   * else (a field or let of that name is what a sum adds up, as in `measure hours = sum(hours)`).
   * A sum inside a sum stays an error (aggregate-per-record): name the inner total as a measure.
   */
  private readsTotals(e: Expr): boolean {
    let found = false;
    forEachExpr(e, (x) => {
      if (x.kind === 'name' && this.measureStmts.some((m) => m.id === x.name) && !this.perRecordName(x.name)) found = true;
    });
    return found;
  }

  private perRecordName(name: string): boolean {
    return this.letStmts.some((l) => l.id === name) || this.fieldById(name) !== undefined;
  }

  /**
   * `sum(x)` where `x` reads totals (`sum(min(hours, cap))` with `hours` a measure): `x` worked
   * out in each period, then added up — a cap per period, summed over the cycle. In a period's
   * own scope it is `x` there.
   */
  private periodSum(e: AggregateExpr): Typed {
    const filter = e.where ?? e.by;
    if (filter) {
      return this.error('period-sum-filter', filter.span, "a sum over the periods adds up a value worked out per period: it takes no 'where' or 'by'",
        "按期间求和是把每期算出的值相加：不能带 'where' 或 'by'", 'put the condition in the measure it adds up');
    }
    const v = this.expr(e.value!, { mode: 'totals', periodAllowed: true });
    const t = this.settleAlone(e.value!, v.type);
    if (t.t !== 'number') {
      this.expect(e.value!, t, num(DIMENSIONLESS), 'the value of sum(…)', 'sum(…) 的值');
      return this.record(e, { type: ERROR, deps: { ...NO_DEPS, totals: true } });
    }
    this.periodSums.add(e);
    return this.record(e, { type: num(t.unit), deps: { ...v.deps, period: false, totals: true } });
  }

  private aggregate(e: AggregateExpr, measureTop: boolean): Typed {
    if (e.op === 'sum' && e.value && this.readsTotals(e.value)) return this.periodSum(e);
    const recordScope: Scope = { mode: 'record', periodAllowed: true };
    let unit: Unit = DIMENSIONLESS;
    if (e.op === 'sum') {
      if (!e.value) return this.error('sum-without-value', e.span, "sum(…) needs a value to add up, e.g. sum(hours where …)", 'sum(…) 需要求和的值，如 sum(hours where …)');
      const v = this.expr(e.value, recordScope);
      const t = this.settleAlone(e.value, v.type);
      if (t.t === 'number') unit = t.unit;
      else {
        this.expect(e.value, t, num(DIMENSIONLESS), 'the value of sum(…)', 'sum(…) 的值');
        // The total of an invalid value is invalid too: no unit to report mismatches against.
        return this.record(e, { type: ERROR, deps: { ...NO_DEPS, totals: true } });
      }
    } else if (e.value) {
      this.error('count-with-value', e.value.span, 'count(…) counts records: write count(where …)', 'count(…) 统计记录条数：请写 count(where …)');
    }
    if (e.distinct) {
      const d = e.distinct;
      if (e.op !== 'count') {
        this.error('distinct-in-sum', d.span, "'distinct' counts different values: write count(distinct field where …)", "'distinct' 统计不同取值的个数：请写 count(distinct 字段 where …)");
      } else if (!this.p.record.fields.some((x) => x.id === d.name)) {
        this.error('distinct-not-a-field', d.span, `'distinct ${d.name}' needs a field of the record`, `'distinct ${d.name}' 需要记录中的字段`,
          didYouMean(d.name, this.p.record.fields.map((x) => x.id)));
      } else if (e.by) {
        this.error('distinct-in-sum', e.by.span, "a count of distinct values cannot also be grouped 'by'", "不同取值的计数不能再用 'by' 分组");
      }
    }
    if (e.where) this.expect(e.where, this.settleAlone(e.where, this.expr(e.where, recordScope).type), BOOL, "the condition after 'where'", "'where' 后的条件");
    const deps: Deps = { ...NO_DEPS, totals: true };
    if (!e.by) return this.record(e, { type: num(unit), deps });
    if (!measureTop) {
      return this.error('group-not-top', e.by.span, "'by' groups totals for reporting: use it only as the whole value of a measure", "'by' 用于分组报告：只能作为指标的整个取值", 'define `measure x = sum(… by field)`, then use x[key]');
    }
    const f = this.p.record.fields.find((x) => x.id === e.by!.name);
    if (!f || f.type !== 'enum') {
      return this.error('group-by-not-enum', e.by.span, `'by ${e.by.name}' needs an enum field of the record`, `'by ${e.by.name}' 需要记录中的枚举字段`,
        didYouMean(e.by.name, this.p.record.fields.filter((x) => x.type === 'enum').map((x) => x.id)));
    }
    return this.record(e, { type: { t: 'group', domain: f.id, values: f.values, unit }, deps });
  }
}

/**
 * A condition requirement's body as the comparison `condition == true`, so that what reads a
 * requirement's two sides (labels, explanations) has a shape to read; the engine checks the
 * condition itself (CheckedRequirement.condition).
 */
function conditionAsComparison(e: Expr): BinaryExpr {
  return { kind: 'binary', op: '==', left: e, right: { kind: 'bool', value: true, span: e.span }, span: e.span };
}
