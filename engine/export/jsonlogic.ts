// The per-record part of a checked policy as JSON Logic (jsonlogic.com), for systems that cannot
// run guize: each record-level let, the field checks and outcome rules (reject, exclude,
// disregard), and each total's per-record contribution, over a data object holding the record's
// fields and its subject's. Parameters, settings and tables are folded in as constants.
//
// JSON Logic is not the rule language: it has truthiness, null and JavaScript numbers. So every
// expression is translated twice — its value, and "what it lacks": null when every value it needs
// on the path it takes is there, else the name of the first missing one, as the engine's
// MissingValue names it. A value is only ever read after its "lacks" said null, conditions are
// always booleans (a yes/no field is compared `=== true`, never taken for its truthiness), and
// equality on texts is `===`. What cannot be translated faithfully is a located error naming the
// construct. Pure and browser-safe: no Node API.

import {
  assertNever, baseId, isYearly, printExpr, type PeriodBy, type BandTableDecl, type CheckedPolicy, type Expr, type FieldDecl, type KeyedTableDecl,
} from '../../dsl/index.ts';
import { DiagnosticBag, type StageResult } from '../../dsl/diagnostics.ts';
import type { AggregateExpr } from '../../dsl/ast.ts';
import { Decimal } from '../decimal.ts';

/** A JSON Logic rule: any JSON value (operators are one-key objects). */
export type Logic = null | boolean | number | string | readonly Logic[] | { readonly [op: string]: Logic };

/** The version of the export's shape. */
export const JSONLOGIC_FORMAT = 'guize-jsonlogic/1';

/** A field of the data object, as the export expects it. */
export interface ExportField {
  readonly id: string;
  readonly type: FieldDecl['type'];
  /** For an enum: its values. */
  readonly values?: readonly string[];
  readonly required: boolean;
  readonly min?: number;
  readonly max?: number;
  /** `record` or `subject`: whose field it is (both are keys of the one data object). */
  readonly of: 'record' | 'subject';
}

/** An outcome rule: `when` and `lacks` as JSON Logic. */
export interface ExportOutcome {
  readonly id: string;
  readonly outcome: 'reject' | 'exclude' | 'disregard';
  /** True when the rule fires (read only when `lacks` gives null). */
  readonly when: Logic;
  /** Null, or the name of the value the rule needs and the record lacks (then the record is rejected under this rule's id). */
  readonly lacks: Logic;
  /** The reason, its `{placeholders}` filled (numbers as JavaScript prints them). */
  readonly reason: Logic;
  readonly cites: readonly string[];
}

/** One total (`sum`/`count`) of a measure: what a counted record adds to it. */
export interface ExportAggregate {
  /** The measure it belongs to (the rule a record lacking one of its values is rejected under). */
  readonly measure: string;
  readonly op: 'sum' | 'count';
  /** The number added (1 for a count). */
  readonly value: Logic;
  /** Whether the record adds to it at all (for a grouped total, false when its group field is empty). */
  readonly where: Logic;
  /** For a grouped total: the record field whose value names the group. */
  readonly by: string | null;
  readonly lacks: Logic;
}

/** The whole export. */
export interface JsonLogicExport {
  readonly format: typeof JSONLOGIC_FORMAT;
  readonly policy: { readonly id: string; readonly version: string; readonly document: string };
  /** The keys of the data object: the record's fields and its subject's (an absent or null key is a missing value). */
  readonly data: readonly ExportField[];
  /** The record's period (`period` in the rules): the year of this date field. */
  readonly period: { readonly field: string; readonly by: PeriodBy };
  /** Each record-level let: its value, or null when it needs a value the record lacks. */
  readonly lets: Readonly<Record<string, Logic>>;
  /** Each let's "lacks": null, or the name of the first missing value it needs. */
  readonly lacks: Readonly<Record<string, Logic>>;
  /** Field checks, in field order: `when` true rejects the record under the field's id. */
  readonly checks: readonly { readonly field: string; readonly when: Logic; readonly reason: string }[];
  readonly outcomes: readonly ExportOutcome[];
  readonly aggregates: readonly ExportAggregate[];
  /**
   * All of it in the engine's order: `[outcome, rule, lacking]` — `["reject", "rate_out_of_range", null]`,
   * `["reject", "rate_out_of_range", "rate"]` (needed a missing value), `["exclude", id, null]`,
   * `["disregard", id, null]`, or `["counted", null, null]`.
   */
  readonly outcome: Logic;
}

/** A translated expression: its value, what it lacks, and (for a plain field read) the raw `var`. */
interface T {
  readonly v: Logic;
  /** Null (the JSON value) when it can lack nothing; else JSON Logic giving null or a name. */
  readonly m: Logic;
  /** A field or subject field read as is: `==`, `in` and `is present` take a missing one. */
  readonly raw?: Logic;
}

const NONE: Logic = null;

/** The first of several "lacks", in evaluation order. */
function first(...ms: Logic[]): Logic {
  const real = ms.filter((m) => m !== NONE);
  if (real.length === 0) return NONE;
  return real.reduceRight((rest, m) => ({ if: [{ '!==': [m, null] }, m, rest] }));
}

/** "Lacks" `m` only when `cond` holds (else nothing). */
const onlyIf = (cond: Logic, m: Logic, otherwise: Logic = NONE): Logic => (m === NONE && otherwise === NONE ? NONE : { if: [cond, m, otherwise] });

const num = (text: string): number => Number(text);

/** `year(d)` of a `YYYY-MM-DD` text: its first four characters as a number. */
const yearOf = (d: Logic): Logic => ({ '+': [{ substr: [d, 0, 4] }] });

export class JsonLogicTranslator {
  private readonly bag = new DiagnosticBag();
  private readonly letCache = new Map<number, T>();

  constructor(private readonly policy: CheckedPolicy) {}

  /** The export, or the located errors of what cannot be translated. */
  translate(aggregateNodes: readonly AggregateExpr[]): StageResult<JsonLogicExport> {
    const p = this.policy;
    const ast = p.ast;
    if (ast.versions !== undefined && ast.versions.length > 1) {
      this.bag.error('export-unsupported', ast.effectiveSpan, 'a policy of several versions: choose one to export (--version)', '策略有多个版本：请选择一个导出（--version）');
    }
    if (!isYearly(ast)) {
      // A record's `period` is its year in the export; other periods and cycles per subject have no such formula yet.
      this.bag.error('export-unsupported', ast.period.span, `periods by ${ast.period.by}${ast.cycle.perSubject ? ' in a cycle per subject' : ''}: the export gives a record's period as its calendar year only`,
        `按 ${ast.period.by} 的期间${ast.cycle.perSubject ? '（按主体计的周期）' : ''}：导出只能将记录的期间表示为公历年份`);
    }
    for (const r of p.requirements) {
      // The export adds records up per period and for the cycle; a window's totals span periods.
      if (r.stmt.scope !== 'window' || !r.stmt.window) continue;
      this.bag.error('export-unsupported', r.stmt.window.span,
        `cannot export to JSON Logic: '${r.stmt.id}' is checked over any ${r.stmt.window.text} consecutive periods (per ${r.stmt.window.text} periods); the export adds records up per period and for the cycle only`,
        `无法导出为 JSON Logic：'${r.stmt.id}' 按任意连续 ${r.stmt.window.text} 期检查（per ${r.stmt.window.text} periods）；导出只按每期和整个周期汇总记录`);
    }
    const subjectKey = ast.subject.key;
    const data: ExportField[] = [
      ...ast.record.fields.map((f) => field(f, 'record')),
      ...ast.subject.fields.filter((f) => f.id !== subjectKey).map((f) => field(f, 'subject')),
    ];
    const lets: Record<string, Logic> = {};
    const lacks: Record<string, Logic> = {};
    p.lets.forEach((l, i) => {
      if (l.deps.totals) return; // worked out per subject, not per record
      const t = this.let(i);
      lets[l.stmt.id] = t.m === NONE ? t.v : { if: [{ '!==': [t.m, null] }, null, t.v] };
      lacks[l.stmt.id] = t.m;
    });
    const checks = ast.record.fields.flatMap((f) => fieldChecks(f));
    const outcomes: ExportOutcome[] = p.outcomes.map((o) => {
      const when = this.expr(o.when);
      return {
        id: o.id, outcome: o.outcome, when: when.v, lacks: when.m, cites: o.cites,
        reason: this.reason(o.reason, o.placeholders),
      };
    });
    const aggregates: ExportAggregate[] = aggregateNodes.map((a) => {
      const owner = p.measures.find((m) => contains(m.stmt.value, a))?.stmt.id ?? p.requirements.find((r) => contains(r.stmt.body, a))?.stmt.id ?? '';
      const where = a.where === undefined ? { v: true, m: NONE } : this.expr(a.where);
      const value = a.value === undefined ? { v: 1, m: NONE } : this.expr(a.value);
      // A record whose group field is empty adds to no group (the engine's rule): `where` says so.
      const grouped: Logic = a.by === undefined ? where.v : { and: [{ '!==': [{ var: a.by.name }, null] }, where.v] };
      return { measure: owner, op: a.op, value: value.v, where: grouped, by: a.by?.name ?? null, lacks: first(where.m, onlyIf(where.v, value.m)) };
    });
    const steps: Logic[] = [];
    for (const c of checks) steps.push(c.when, ['reject', c.field, null]);
    for (const o of outcomes) {
      if (o.lacks !== NONE) steps.push({ '!==': [o.lacks, null] }, ['reject', o.id, o.lacks]);
      steps.push(o.when, [o.outcome, o.id, null]);
    }
    for (const a of aggregates) if (a.lacks !== NONE) steps.push({ '!==': [a.lacks, null] }, ['reject', a.measure, a.lacks]);
    steps.push(['counted', null, null]);
    const doc: JsonLogicExport = {
      format: JSONLOGIC_FORMAT,
      policy: { id: ast.id, version: ast.version, document: ast.document },
      data, period: { field: ast.period.field, by: ast.period.by }, lets, lacks, checks, outcomes, aggregates,
      outcome: { if: steps },
    };
    return this.bag.result(doc);
  }

  private unsupported(e: Expr, what: string, zh: string): T {
    this.bag.error('export-unsupported', e.span, `cannot export to JSON Logic: ${what} (${printExpr(e)})`, `无法导出为 JSON Logic：${zh}（${printExpr(e)}）`);
    return { v: null, m: NONE };
  }

  private let(i: number): T {
    let t = this.letCache.get(i);
    if (!t) this.letCache.set(i, (t = this.expr(this.policy.lets[i]!.stmt.value)));
    return t;
  }

  /** The reason's text with each `{name}` filled with the value's JSON Logic text. */
  private reason(text: string, placeholders: readonly Extract<Expr, { kind: 'name' }>[]): Logic {
    if (placeholders.length === 0) return text;
    const byName = new Map(placeholders.map((ph) => [ph.name, ph]));
    // split with a capture group: texts at even indices, placeholder names at odd ones.
    const parts = text.split(/\{([^{}]+)\}/);
    return { cat: parts.map((x, k) => (k % 2 === 0 ? x : byName.has(x) ? this.expr(byName.get(x)!).v : `{${x}}`)).filter((x) => x !== '') };
  }

  private expr(e: Expr): T {
    switch (e.kind) {
      case 'number': {
        const d = Decimal.parse(e.text)!;
        return { v: num((e.percent ? d.div(Decimal.fromNumber(100)) : d).toString()), m: NONE };
      }
      case 'string':
      case 'bool':
      case 'date':
        return { v: e.value, m: NONE };
      case 'name': return this.name(e);
      case 'unary': {
        const o = this.expr(e.operand);
        return { v: e.op === 'not' ? { '!': [o.v] } : { '-': [o.v] }, m: o.m };
      }
      case 'binary': return this.binary(e);
      case 'between': {
        const x = this.expr(e.value);
        const lo = this.expr(e.low);
        const hi = this.expr(e.high);
        return { v: { '<=': [lo.v, x.v, hi.v] }, m: first(x.m, lo.m, hi.m) };
      }
      case 'presence': {
        const x = this.expr(e.value);
        if (x.raw !== undefined) return { v: { [e.present ? '!==' : '===']: [x.raw, null] }, m: NONE };
        // Anything else is present whenever it can be worked out: it lacks what its parts lack.
        return { v: e.present, m: x.m };
      }
      case 'in': {
        const x = this.expr(e.value);
        const items = e.items.map((i) => this.expr(i));
        const member: Logic = { in: [x.raw ?? x.v, items.map((i) => i.v)] };
        return { v: x.raw === undefined ? member : { and: [{ '!==': [x.raw, null] }, member] }, m: first(x.raw === undefined ? x.m : NONE, ...items.map((i) => i.m)) };
      }
      case 'if': {
        const c = this.expr(e.cond);
        const a = this.expr(e.then);
        const b = this.expr(e.otherwise);
        return { v: { if: [c.v, a.v, b.v] }, m: first(c.m, onlyIf(c.v, a.m, b.m)) };
      }
      case 'index': return this.unsupported(e, 'a table row or group used as a value (only table[key].column is exported)', '表的行或分组作为值（只导出 表[键].列）');
      case 'member': return this.member(e);
      case 'call': return this.call(e);
      case 'aggregate': return this.unsupported(e, 'a total in a per-record value', '逐条记录的值中使用了汇总');
      default: return assertNever(e);
    }
  }

  private name(e: Extract<Expr, { kind: 'name' }>): T {
    const r = this.policy.names.get(e);
    if (!r) return this.unsupported(e, 'an unresolved name', '未解析的名称');
    switch (r.r) {
      case 'field':
      case 'subjectField': {
        const raw: Logic = { var: r.field.id };
        // A yes/no is `=== true`, so that nothing but true is ever taken for yes.
        const v: Logic = r.field.type === 'bool' ? { '===': [raw, true] } : raw;
        return { v, m: { if: [{ '===': [raw, null] }, r.field.id, null] }, raw };
      }
      case 'parameter': return { v: this.policy.types.get(e)?.t === 'date' ? r.value : num(r.value), m: NONE };
      case 'setting': return { v: r.value, m: NONE };
      case 'enumValue': return { v: r.value, m: NONE };
      case 'let': {
        const l = this.policy.lets[r.index]!;
        if (l.deps.totals) return this.unsupported(e, 'a let worked out from totals', '由汇总计算的 let');
        return this.let(r.index);
      }
      case 'ambient': {
        const { from, to } = this.policy.ast.cycle;
        switch (r.name) {
          case 'period': return { v: yearOf({ var: this.policy.ast.period.field }), m: NONE };
          case 'cycle_from': return { v: from, m: NONE };
          case 'cycle_to': return { v: to, m: NONE };
          case 'cycle_length': return { v: to - from + 1, m: NONE };
          case '$version': return this.unsupported(e, 'the version in force (a policy of several versions)', '生效版本（多版本策略）');
          default: return assertNever(r.name);
        }
      }
      case 'table': return this.unsupported(e, 'a table used as a value', '表作为值');
      case 'measure': return this.unsupported(e, 'a measure in a per-record value', '逐条记录的值中使用了度量');
      case 'loop': return this.unsupported(e, "a requirement's loop variable", '要求的循环变量');
      default: return assertNever(r);
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): T {
    const a = this.expr(e.left);
    const b = this.expr(e.right);
    switch (e.op) {
      case '==':
      case '!=': {
        // A missing value equals nothing, not even another missing value (the engine's rule).
        const present = [a, b].filter((x) => x.raw !== undefined).map((x): Logic => ({ '!==': [x.raw!, null] }));
        const numeric = this.policy.types.get(e.left)?.t === 'number';
        const same: Logic = { [numeric ? '==' : '===']: [a.raw ?? a.v, b.raw ?? b.v] };
        const equal: Logic = present.length === 0 ? same : { and: [...present, same] };
        return { v: e.op === '==' ? equal : { '!': [equal] }, m: first(a.raw === undefined ? a.m : NONE, b.raw === undefined ? b.m : NONE) };
      }
      case 'and': return { v: { and: [a.v, b.v] }, m: first(a.m, onlyIf(a.v, b.m)) };
      case 'or': return { v: { or: [a.v, b.v] }, m: first(a.m, onlyIf(a.v, NONE, b.m)) };
      case '+':
      case '-':
      case '*':
      case '<':
      case '<=':
      case '>':
      case '>=':
        return { v: { [e.op]: [a.v, b.v] }, m: first(a.m, b.m) };
      case '/': return this.unsupported(e, 'a division (exact quotients have no JSON Logic form)', '除法（精确的商无法用 JSON Logic 表示）');
      default: return assertNever(e.op);
    }
  }

  private member(e: Extract<Expr, { kind: 'member' }>): T {
    const t = e.target;
    const target = t.kind === 'index' ? this.policy.types.get(t.target) : undefined;
    if (t.kind === 'index' && target?.t === 'table' && target.table.kind === 'keyed') {
      const table: KeyedTableDecl = target.table;
      const column = table.columns.find((c) => c.name === e.name);
      const key = this.expr(t.key);
      if (!column) return this.unsupported(e, 'an unknown column', '未知的列');
      const arms: Logic[] = table.rows.flatMap((row): Logic[] => [{ '===': [key.v, row.key] }, cell(row.cells[e.name]!, column.type)]);
      // A key with no row is a missing value named `table[key]`.
      const noRow: Logic = { if: [{ in: [key.v, table.rows.map((r) => r.key)] }, null, { cat: [baseId(table.id), '[', key.v, ']'] }] };
      return { v: { if: [...arms, null] }, m: first(key.m, noRow) };
    }
    const band = t.kind === 'call' ? this.policy.bandCalls.get(t) : undefined;
    if (t.kind === 'call' && band) return this.banded(e, band, t.args[0]!);
    return this.unsupported(e, 'a column of a value that is not a table row or band', '非表行或等级的列');
  }

  /** `band(x).column`: the first band whose lower bound x reaches, else the one below all. */
  private banded(e: Extract<Expr, { kind: 'member' }>, band: BandTableDecl, arg: Expr): T {
    const x = this.expr(arg);
    const valueOf = (b: BandTableDecl['below']): Logic => {
      if (e.name === 'label') return b.label;
      const c = band.columns.find((col) => col.name === e.name);
      return c ? cell(b.cells[e.name]!, c.type) : null;
    };
    const arms = band.bands.flatMap((b): Logic[] => [{ '>=': [x.v, num(b.from)] }, valueOf(b)]);
    return { v: { if: [...arms, valueOf(band.below)] }, m: x.m };
  }

  private call(e: Extract<Expr, { kind: 'call' }>): T {
    if (this.policy.bandCalls.has(e)) return this.unsupported(e, 'a band used as a value (only band(x).column is exported)', '等级作为值（只导出 等级(x).列）');
    const args = e.args.map((a) => this.expr(a));
    const m = first(...args.map((a) => a.m));
    const [a, b] = args;
    switch (e.callee) {
      case 'year': return { v: yearOf(a!.v), m };
      case 'month': return { v: { '+': [{ substr: [a!.v, 5, 2] }] }, m };
      case 'day': return { v: { '+': [{ substr: [a!.v, 8, 2] }] }, m };
      case 'min': return { v: { min: [a!.v, b!.v] }, m };
      case 'max': return { v: { max: [a!.v, b!.v] }, m };
      case 'add_years': {
        const n = e.args[1]!;
        const years = n.kind === 'number' ? Decimal.parse(n.text)! : undefined;
        if (years === undefined || !years.eq(years.round(0))) return this.unsupported(e, 'add_years by a number of years that is not a whole literal', 'add_years 的年数不是整数字面量');
        const y: Logic = { '+': [yearOf(a!.v), Number(years.toString())] };
        const leap: Logic = { or: [{ and: [{ '===': [{ '%': [y, 4] }, 0] }, { '!==': [{ '%': [y, 100] }, 0] }] }, { '===': [{ '%': [y, 400] }, 0] }] };
        const monthDay: Logic = { substr: [a!.v, 5] };
        const padded: Logic = { if: [{ '<': [y, 10] }, { cat: ['000', y] }, { '<': [y, 100] }, { cat: ['00', y] }, { '<': [y, 1000] }, { cat: ['0', y] }, { cat: [y] }] };
        // 29 February a year on is 28 February when that year has none; past 9999 is out of range.
        const v: Logic = { cat: [padded, '-', { if: [{ and: [{ '===': [monthDay, '02-29'] }, { '!': [leap] }] }, '02-28', monthDay] }] };
        const outOfRange: Logic = { if: [{ '<=': [0, y, 9999] }, null, printExpr(e)] };
        return { v, m: first(m, outOfRange) };
      }
      default: return this.unsupported(e, `the built-in ${e.callee}`, `内置函数 ${e.callee}`);
    }
  }
}

function field(f: FieldDecl, of: 'record' | 'subject'): ExportField {
  return {
    id: f.id, type: f.type, required: f.required, of,
    ...(f.type === 'enum' ? { values: f.values } : {}),
    ...(f.min === undefined ? {} : { min: num(f.min) }),
    ...(f.max === undefined ? {} : { max: num(f.max) }),
  };
}

/** The checks the engine makes of a field before any rule: required, one of its values, within its bounds. */
function fieldChecks(f: FieldDecl): { field: string; when: Logic; reason: string }[] {
  const raw: Logic = { var: f.id };
  const out: { field: string; when: Logic; reason: string }[] = [];
  if (f.required) out.push({ field: f.id, when: { '===': [raw, null] }, reason: `缺少必填字段 ${f.id} / required field ${f.id} is missing` });
  const present: Logic = { '!==': [raw, null] };
  if (f.type === 'enum') out.push({ field: f.id, when: { and: [present, { '!': [{ in: [raw, f.values] }] }] }, reason: `${f.id} 的值不是允许的值 / ${f.id} is not one of ${f.values.join(', ')}` });
  if (f.min !== undefined) out.push({ field: f.id, when: { and: [present, { '<': [raw, num(f.min)] }] }, reason: `${f.id} 小于 ${f.min} / ${f.id} is below ${f.min}` });
  if (f.max !== undefined) out.push({ field: f.id, when: { and: [present, { '>': [raw, num(f.max)] }] }, reason: `${f.id} 大于 ${f.max} / ${f.id} is above ${f.max}` });
  return out;
}

function cell(v: string | boolean, type: 'number' | 'bool' | 'text' | 'date'): Logic {
  return type === 'number' ? num(String(v)) : v;
}

/** Whether `node` is `e` or one of its parts. */
function contains(e: Expr, node: Expr): boolean {
  if (e === node) return true;
  switch (e.kind) {
    case 'number': case 'string': case 'bool': case 'date': case 'name': return false;
    case 'unary': return contains(e.operand, node);
    case 'binary': return contains(e.left, node) || contains(e.right, node);
    case 'between': return contains(e.value, node) || contains(e.low, node) || contains(e.high, node);
    case 'presence': return contains(e.value, node);
    case 'in': return contains(e.value, node) || e.items.some((i) => contains(i, node));
    case 'if': return contains(e.cond, node) || contains(e.then, node) || contains(e.otherwise, node);
    case 'index': return contains(e.target, node) || contains(e.key, node);
    case 'member': return contains(e.target, node);
    case 'call': return e.args.some((a) => contains(a, node));
    case 'aggregate': return (e.value !== undefined && contains(e.value, node)) || (e.where !== undefined && contains(e.where, node));
    default: return assertNever(e);
  }
}

/** The JSON Logic export of a checked policy of one version (`aggregateNodes`: the compiled program's, in its order). */
export function exportJsonLogic(policy: CheckedPolicy, aggregateNodes: readonly AggregateExpr[]): StageResult<JsonLogicExport> {
  return new JsonLogicTranslator(policy).translate(aggregateNodes);
}
