// Reading one input row into typed values, field by field, as the policy declares them. A row
// that does not fit is rejected with a reason naming the field and, where declared, the article.

import { excerpt, nameList, type FieldDecl } from '../dsl/index.ts';
import { Decimal } from './decimal.ts';
import { isLeapYear, type Value } from './values.ts';

/**
 * Why a field's text did not fit, in both languages. A class so that telling a problem from a
 * value is one `instanceof` per field per row (see {@link isProblem}).
 */
export class FieldProblem {
  constructor(
    readonly field: FieldDecl,
    readonly zh: string,
    readonly en: string,
  ) {}
}

/**
 * No count, rate or score in any record reaches 10^15; a value that does is a broken export
 * (e.g. "1e999"), and would overflow every report that shows numbers as JSON.
 */
const MAX_MAGNITUDE = Decimal.parse('1e15')!;

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const CH_0 = '0'.charCodeAt(0);
const CH_DASH = 45;

/** The ASCII digit at `i` as a number, or -1 when there is none. */
function digitAt(text: string, i: number): number {
  const d = text.charCodeAt(i) - CH_0;
  return d >= 0 && d <= 9 ? d : -1;
}

/**
 * Whether `text` is a real calendar date written YYYY-MM-DD. Checked by character codes rather
 * than a regex: every record has at least one date, and the match array was measurable.
 */
function isRealDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== CH_DASH || text.charCodeAt(7) !== CH_DASH) return false;
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const d = digitAt(text, i);
    if (d < 0) return false;
    y = y * 10 + d;
  }
  const m1 = digitAt(text, 5);
  const m2 = digitAt(text, 6);
  const d1 = digitAt(text, 8);
  const d2 = digitAt(text, 9);
  if (m1 < 0 || m2 < 0 || d1 < 0 || d2 < 0) return false;
  const mo = m1 * 10 + m2;
  const d = d1 * 10 + d2;
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= (mo === 2 && isLeapYear(y) ? 29 : daysInMonth[mo - 1]!);
}

/** A compiled reader for one field: text in, value or problem out. */
export type FieldReader = (text: string | undefined) => Value | FieldProblem;

/** Reads trimmed, non-empty text as a value of the field's type. */
type TypedReader = (text: string) => Value | FieldProblem;

/**
 * Builds the reader of one declared field. The type is dispatched here, once, and bounds and
 * messages' fixed parts are prepared here too, so the per-row closure does only its own check.
 */
export function fieldReader(f: FieldDecl): FieldReader {
  const typed = typedReader(f);
  const missing = f.required ? new FieldProblem(f, `缺少必填字段 ${f.id}`, `required field ${f.id} is missing`) : undefined;
  return (raw) => {
    const text = raw === undefined ? '' : raw.trim();
    return text === '' ? missing : typed(text);
  };
}

function typedReader(f: FieldDecl): TypedReader {
  switch (f.type) {
    case 'text':
      return (text) => text;
    case 'enum': {
      const allowed = new Set(f.values);
      return (text) => (allowed.has(text)
        ? text
        : new FieldProblem(f, `${f.id} 的值 '${excerpt(text)}' 不是允许的值（${nameList(f.values, '、')}）`, `${f.id}: '${excerpt(text)}' is not one of ${nameList(f.values, ', ')}`));
    }
    case 'bool':
      return (text) => {
        // The exact spellings first: they are what exports write, and need no lower-casing.
        if (text === 'true') return true;
        if (text === 'false') return false;
        const lower = text.toLowerCase();
        if (lower === 'true') return true;
        if (lower === 'false') return false;
        return new FieldProblem(f, `${f.id} 的值 '${excerpt(text)}' 应为 true 或 false`, `${f.id}: '${excerpt(text)}' is not true or false`);
      };
    case 'date':
      return (text) => (isRealDate(text)
        ? text
        : new FieldProblem(f, `${f.id} 的值 '${excerpt(text)}' 不是有效日期（YYYY-MM-DD）`, `${f.id}: '${excerpt(text)}' is not a date (YYYY-MM-DD)`));
    case 'number': {
      const min = f.min === undefined ? undefined : Decimal.parse(f.min);
      const max = f.max === undefined ? undefined : Decimal.parse(f.max);
      return (text) => {
        const n = Decimal.parse(text);
        if (n === undefined) return new FieldProblem(f, `${f.id} 的值 '${excerpt(text)}' 不是数字`, `${f.id}: '${excerpt(text)}' is not a number`);
        if (n.abs().gte(MAX_MAGNITUDE)) {
          return new FieldProblem(f, `${f.id} 的值 '${excerpt(text)}' 大得不合情理`, `${f.id}: '${excerpt(text)}' is too large to be a real value`);
        }
        if ((min && n.lt(min)) || (max && n.gt(max))) {
          const range = `${f.min ?? '…'}–${f.max ?? '…'}`;
          return new FieldProblem(f, `${f.id} 的值 ${excerpt(text)} 超出范围 ${range}`, `${f.id}: ${excerpt(text)} is outside ${range}`);
        }
        return n;
      };
    }
  }
}

/** Whether a reader's result is a problem rather than a value. */
export function isProblem(v: Value | FieldProblem): v is FieldProblem {
  return v instanceof FieldProblem;
}
