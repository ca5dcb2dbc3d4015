// The types the rule checks give expressions, and the type of each declared thing (a field, a
// table column): what dsl/check-rules.ts infers with, kept apart so that the checker holds only
// the walk over the rules.

import { assertNever } from './ast.ts';
import type { Deps, Type } from './checked.ts';
import type { ColumnDecl, FieldDecl } from './policy.ts';
import { formatUnit, parseUnit, type Unit } from './units.ts';

/** Where an expression is evaluated: per record, or over a subject's totals. */
export interface Scope {
  readonly mode: 'record' | 'totals';
  /** In totals mode: whether `period` means something (per-period requirements only). */
  readonly periodAllowed: boolean;
  /** In a `per N periods` requirement: the window's size (its rules have no single period). */
  readonly window?: number;
  readonly loop?: { readonly name: string; readonly type: Type };
}

/** An expression's type and what it depends on. */
export interface Typed {
  readonly type: Type;
  readonly deps: Deps;
}

/** Depends on nothing: a literal or a parameter. */
export const NO_DEPS: Deps = { record: false, subject: false, period: false, version: false, totals: false };
/** The type of an expression already reported as wrong (no further errors from it). */
export const ERROR: Type = { t: 'error' };
/** True/false. */
export const BOOL: Type = { t: 'bool' };

/** What an expression depends on when it reads all of `all`. */
export function orDeps(...all: Deps[]): Deps {
  return {
    record: all.some((d) => d.record), subject: all.some((d) => d.subject),
    period: all.some((d) => d.period), version: all.some((d) => d.version), totals: all.some((d) => d.totals),
  };
}

/** A number in `unit`; `literal` for a number written in the rules (it takes the unit it meets). */
export function num(unit: Unit, literal = false): Extract<Type, { t: 'number' }> {
  return { t: 'number', unit, literal };
}

/** How a type reads in a message. */
export function describeType(t: Type): { en: string; zh: string } {
  switch (t.t) {
    case 'number': {
      const u = formatUnit(t.unit);
      return t.literal || u === '1' ? { en: 'a number', zh: '数字' } : { en: `a number in ${u}`, zh: `以 ${u} 计的数字` };
    }
    case 'bool': return { en: 'true/false', zh: '是/否' };
    case 'text': return { en: 'a text', zh: '文字' };
    case 'date': return { en: 'a date', zh: '日期' };
    case 'enum': return { en: `a value of ${t.domain}`, zh: `${t.domain} 的取值` };
    case 'symbol': return { en: `the bare name '${t.name}'`, zh: `名称 '${t.name}'` };
    case 'table': return { en: `the table '${t.table.id}'`, zh: `表 '${t.table.id}'` };
    case 'row': return { en: `a row of table '${t.table.id}'`, zh: `表 '${t.table.id}' 的一行` };
    case 'group': return { en: `totals by ${t.domain}`, zh: `按 ${t.domain} 分组的合计` };
    case 'error': return { en: 'an invalid value', zh: '无效值' };
    default: return assertNever(t);
  }
}

/** Annotations that name a type rather than a unit: `let is_new: bool = …`. */
export const plainTypes: Readonly<Record<string, Type>> = { bool: BOOL, date: { t: 'date' }, text: { t: 'text' } };

/** The type a table column's cells have. */
export function columnType(c: ColumnDecl): Type {
  switch (c.type) {
    case 'number': return num(parseUnit(c.unit).unit);
    case 'bool': return BOOL;
    case 'text': return { t: 'text' };
    case 'date': return { t: 'date' };
    default: return assertNever(c.type);
  }
}

/** The type a field's values have. */
export function fieldType(f: FieldDecl): Type {
  switch (f.type) {
    case 'number': return num(parseUnit(f.unit).unit);
    case 'bool': return BOOL;
    case 'text': return { t: 'text' };
    case 'date': return { t: 'date' };
    case 'enum': return { t: 'enum', domain: f.id, values: f.values };
    default: return assertNever(f.type);
  }
}
