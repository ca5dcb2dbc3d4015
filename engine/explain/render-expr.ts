// A trace tree as one line of arithmetic in the policy's own terms — `a 1.2 × b 18 × (1 +
// bands(x 85).column 0.2〔label〕)` — shared by the text and HTML renderers. Each
// name shows its value beside it; conditions show whether they held (✓ / ✗); an `if` shows the
// branch it took.

import type { Bilingual, LetStep, MeasureStep, PreviousValue, TraceNode, TraceValue } from './types.ts';

export type Lang = 'zh' | 'en';

/** Most decimals shown of a value in a trace line; beyond, it is rounded and marked ≈. */
const MAX_PLACES = 6;

/** Binding strength of each operator, loosest first, as the rule language parses them. */
const PRECEDENCE: Readonly<Record<string, number>> = {
  or: 1, and: 2, not: 3,
  '==': 4, '!=': 4, '<': 4, '<=': 4, '>': 4, '>=': 4, between: 4, in: 4, is_present: 4, is_missing: 4,
  '+': 5, '-': 5, '*': 6, '/': 6, neg: 7,
};

const SYMBOL: Readonly<Record<string, string>> = {
  '*': '×', '/': '÷', '-': '−', '+': '+', '>=': '≥', '<=': '≤', '!=': '≠', '==': '==', '<': '<', '>': '>', and: 'and', or: 'or',
};

const MISSING: Bilingual = { zh: '（缺失）', en: '(missing)' };

/** A number's text: exact, or rounded to 6 places and marked ≈ when longer. */
export function numberText(text: string): string {
  const dot = text.indexOf('.');
  if (dot < 0 || text.length - dot - 1 <= MAX_PLACES) return text;
  const negative = text.startsWith('-');
  const digits = (negative ? text.slice(1) : text).replace('.', '');
  const intLength = (negative ? dot - 1 : dot);
  // Round half up on the digits (ties away from zero, as the report rounds).
  const keep = intLength + MAX_PLACES;
  let n = BigInt(digits.slice(0, keep) || '0');
  if (Number(digits[keep] ?? '0') >= 5) n += 1n;
  const s = n.toString().padStart(MAX_PLACES + 1, '0');
  const out = `${s.slice(0, s.length - MAX_PLACES)}.${s.slice(s.length - MAX_PLACES)}`.replace(/\.?0+$/, '');
  return `≈${negative ? '-' : ''}${out}`;
}

/** A trace value for people. */
export function valueText(v: TraceValue, lang: Lang): string {
  if (v === null) return MISSING[lang];
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return /^-?\d+(\.\d+)?$/.test(v) ? numberText(v) : v;
  return Object.entries(v).map(([k, x]) => `${k} ${typeof x === 'string' ? valueText(x, lang) : String(x)}`).join(', ');
}

const isBoolean = (n: TraceNode): boolean => typeof n.value === 'boolean';
const mark = (n: TraceNode): string => (n.value === true ? ' ✓' : n.value === false ? ' ✗' : '');

/** How tightly a node binds, for parentheses. */
function precedence(n: TraceNode): number {
  if (n.kind === 'if') return 0;
  if (n.kind === 'operator') return PRECEDENCE[n.name] ?? 8;
  return 9;
}

/** One trace node as text. `marked`: show whether a condition held. */
export function traceText(n: TraceNode, lang: Lang, marked = false): string {
  const text = bare(n, lang);
  const missing = n.missing !== undefined ? (lang === 'zh' ? `（缺少 ${n.missing}）` : ` (missing ${n.missing})`) : '';
  return marked && isBoolean(n) && n.kind === 'operator' ? `${text}${mark(n)}${missing}` : `${text}${missing}`;
}

function operand(parent: TraceNode, child: TraceNode | null, lang: Lang, right = false): string {
  if (!child) return '…';
  const logical = parent.kind === 'operator' && (parent.name === 'and' || parent.name === 'or' || parent.name === 'not');
  const text = traceText(child, lang);
  const p = precedence(parent);
  const c = precedence(child);
  // `a − (b − c)` and `a ÷ (b × c)` keep their parentheses; so does anything looser than its parent.
  // `not` takes its operator operand in parentheses, so that the mark after it is plainly the operand's.
  const wrap = c < p || (right && c === p && (parent.name === '-' || parent.name === '/')) || (parent.name === 'not' && child.kind === 'operator');
  const shown = wrap ? `(${text})` : text;
  // A condition inside `and`/`or`/`not` says whether it held (a chain of one operator says it once,
  // at its end; a `not` says it of its operand, so its own value is the opposite).
  const marked = logical && child.kind === 'operator' && isBoolean(child) && child.name !== parent.name && child.name !== 'not';
  return marked ? `${shown}${mark(child)}` : shown;
}

function named(n: TraceNode, lang: Lang): string {
  return `${n.name} ${valueText(n.value, lang)}`;
}

function bare(n: TraceNode, lang: Lang): string {
  const [a, b, c] = n.args;
  switch (n.kind) {
    case 'literal':
    case 'enum_value':
      return n.name;
    case 'field':
    case 'subject_field':
    case 'parameter':
    case 'setting':
    case 'let':
    case 'measure':
    case 'loop':
    case 'ambient':
      return named(n, lang);
    case 'lookup':
      return `${n.name}[${n.key ?? (a ? valueText(a.value, lang) : '?')}]${n.column ? `.${n.column}` : ''} ${valueText(n.value, lang)}`;
    case 'band': {
      const label = n.band === undefined ? '' : `〔${n.band}〕`;
      return `${n.name}(${a ? traceText(a, lang) : '…'})${n.column ? `.${n.column}` : ''} ${n.column ? valueText(n.value, lang) : ''}${label}`.replace(' 〔', '〔');
    }
    case 'group':
      return `${n.name}[${n.key ?? (b ? valueText(b.value, lang) : '?')}] ${valueText(n.value, lang)}`;
    case 'call':
      return `${n.name}(${n.args.map((x) => (x ? traceText(x, lang) : '…')).join(', ')}) ${valueText(n.value, lang)}`;
    case 'aggregate':
      return `${n.name}(…) ${valueText(n.value, lang)}`;
    case 'previous':
      // Its provenance (the cycle, or the default) has a line of its own: previousText.
      return `previous(${n.name}${a ? `, ${traceText(a, lang)}` : ''}) ${valueText(n.value, lang)}`;
    case 'if': {
      const branch = b ?? c;
      // The condition, then whether it held, then the branch it chose.
      const chain = a && a.kind === 'operator' && (a.name === 'and' || a.name === 'or');
      const cond = a ? (chain ? `(${traceText(a, lang)})` : traceText(a, lang)) : '…';
      return `${cond}${a ? mark(a) : ''} → ${branch ? operand(n, branch, lang) : '…'}`;
    }
    case 'operator':
      switch (n.name) {
        case 'not': return `not ${operand(n, a ?? null, lang)}`;
        case 'neg': return `−${operand(n, a ?? null, lang)}`;
        case 'between': return `${operand(n, a ?? null, lang)} between ${operand(n, b ?? null, lang)} and ${operand(n, c ?? null, lang)}`;
        case 'in': return `${operand(n, a ?? null, lang)} in [${n.args.slice(1).map((x) => (x ? traceText(x, lang) : '…')).join(', ')}]`;
        case 'is_present': return `${operand(n, a ?? null, lang)} is present`;
        case 'is_missing': return `${operand(n, a ?? null, lang)} is missing`;
        default:
          if (n.name.startsWith('.')) return `${operand(n, a ?? null, lang)}${n.name} ${valueText(n.value, lang)}`;
          return `${operand(n, a ?? null, lang)} ${SYMBOL[n.name] ?? n.name} ${operand(n, b ?? null, lang, true)}`;
      }
  }
}

/** Whether a node is a plain value (its line would only repeat it). */
export function isPlain(n: TraceNode): boolean {
  return n.kind === 'literal' || n.kind === 'parameter' || n.kind === 'setting' || n.kind === 'enum_value';
}

/**
 * A `previous(m)`'s line, with where its value comes from: `previous(earned) = 60（上一周期
 * 2019-2020）` / `previous(earned) = 60 (2019-2020, the previous cycle)`; in the first cycle, that
 * the default applied (`previous(earned) = 0 (the first cycle: the default)`).
 */
export function previousText(p: PreviousValue, lang: Lang): string {
  const d = p.default;
  const head = `previous(${p.measure}${d ? `, ${d.kind === 'literal' ? d.name : traceText(d, lang)}` : ''}) = ${valueText(p.value, lang)}`;
  if (p.cycle !== null) return lang === 'zh' ? `${head}（上一周期 ${p.cycle}）` : `${head} (${p.cycle}, the previous cycle)`;
  if (d === null) return lang === 'zh' ? `${head}（首个周期，无上一周期：取默认值 0）` : `${head} (the first cycle, none before it: the default, 0)`;
  return lang === 'zh' ? `${head}（首个周期，无上一周期：取默认值）` : `${head} (the first cycle, none before it: the default)`;
}

/**
 * A measure's line: `total = a 37 + b 12 = 49 <unit>`. A function at the top does not repeat its
 * value before the `=` that gives it (`b = min(…, cap 20) = 12`).
 */
export function measureStepText(s: MeasureStep, lang: Lang): string {
  const unit = s.unit[lang] ? ` ${s.unit[lang]}` : '';
  const t = s.trace;
  const expr = t.kind === 'call' ? `${t.name}(${t.args.map((x) => (x ? traceText(x, lang) : '…')).join(', ')})` : traceText(t, lang);
  return `${s.measure} = ${expr} = ${valueText(s.value, lang)}${s.value === null ? '' : unit}`;
}

/** A let's line: `x = a 3 × b 6 = 18 <unit>`. */
export function stepText(s: LetStep, lang: Lang): string {
  const unit = s.unit[lang] ? ` ${s.unit[lang]}` : '';
  const expr = traceText(s.trace, lang);
  const result = `${valueText(s.value, lang)}${s.value === null ? '' : unit}`;
  return isPlain(s.trace) && s.trace.kind === 'literal' ? `${s.let} = ${result}` : `${s.let} = ${expr} = ${result}`;
}
