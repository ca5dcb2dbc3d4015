// Reading one input row into typed values, field by field, as the policy declares them. A row
// that does not fit is rejected with a reason naming the field and, where declared, the article.

import type { FieldDecl } from '../dsl/index.ts';
import { Decimal } from './decimal.ts';
import type { Value } from './values.ts';

/** Why a field's text did not fit, in both languages. */
export interface FieldProblem {
  readonly field: FieldDecl;
  readonly zh: string;
  readonly en: string;
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * No count, rate or score in any record reaches 10^15; a value that does is a broken export
 * (e.g. "1e999"), and would overflow every report that shows numbers as JSON.
 */
const MAX_MAGNITUDE = Decimal.parse('1e15')!;

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isRealDate(text: string): boolean {
  const m = datePattern.exec(text);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (mo === 2 && leap ? 29 : daysInMonth[mo - 1]!);
}

/** A compiled reader for one field: text in, value or problem out. */
export type FieldReader = (text: string | undefined) => Value | FieldProblem;

function problem(field: FieldDecl, zh: string, en: string): FieldProblem {
  return { field, zh, en };
}

/** Builds the reader of one declared field (bounds parsed once, not per row). */
export function fieldReader(f: FieldDecl): FieldReader {
  const min = f.min === undefined ? undefined : Decimal.parse(f.min);
  const max = f.max === undefined ? undefined : Decimal.parse(f.max);
  const allowed = new Set(f.values);
  return (raw) => {
    const text = raw?.trim() ?? '';
    if (text === '') {
      return f.required ? problem(f, `缺少必填字段 ${f.id}`, `required field ${f.id} is missing`) : undefined;
    }
    switch (f.type) {
      case 'text':
        return text;
      case 'enum':
        return allowed.has(text)
          ? text
          : problem(f, `${f.id} 的值 '${text}' 不是允许的值（${f.values.join('、')}）`, `${f.id}: '${text}' is not one of ${f.values.join(', ')}`);
      case 'bool': {
        const lower = text.toLowerCase();
        if (lower === 'true') return true;
        if (lower === 'false') return false;
        return problem(f, `${f.id} 的值 '${text}' 应为 true 或 false`, `${f.id}: '${text}' is not true or false`);
      }
      case 'date':
        return isRealDate(text) ? text : problem(f, `${f.id} 的值 '${text}' 不是有效日期（YYYY-MM-DD）`, `${f.id}: '${text}' is not a date (YYYY-MM-DD)`);
      case 'number': {
        const n = Decimal.parse(text);
        if (n === undefined) return problem(f, `${f.id} 的值 '${text}' 不是数字`, `${f.id}: '${text}' is not a number`);
        if (n.abs().gte(MAX_MAGNITUDE)) {
          return problem(f, `${f.id} 的值 '${text}' 大得不合情理`, `${f.id}: '${text}' is too large to be a real value`);
        }
        if ((min && n.lt(min)) || (max && n.gt(max))) {
          const range = `${f.min ?? '…'}–${f.max ?? '…'}`;
          return problem(f, `${f.id} 的值 ${text} 超出范围 ${range}`, `${f.id}: ${text} is outside ${range}`);
        }
        return n;
      }
    }
  };
}

/** Whether a reader's result is a problem rather than a value. */
export function isProblem(v: Value | FieldProblem): v is FieldProblem {
  return typeof v === 'object' && v !== null && 'field' in v && 'en' in v && 'zh' in v;
}
