// Checks of the declarations (YAML part) of a parsed policy: units, fields, tables, settings,
// the cycle, and the references between them. Runs before the rule checks, which rely on it.

import { assertNever } from './ast.ts';
import { isRealDate } from './calendar.ts';
import { compareDecimalText } from './decimal-text.ts';
import { excerpt } from './excerpt.ts';
import { checkForkRangeDecls } from './fork-ranges.ts';
import type { DiagnosticBag } from './diagnostics.ts';
import type { Band, BandTableDecl, ColumnDecl, FieldDecl, KeyedTableDecl, PolicyAst, TableDecl } from './policy.ts';
import type { Span } from './source.ts';
import { parseUnit } from './units.ts';
import { didYouMean } from './suggest.ts';
import { reservedWords } from './lexer.ts';
import { PERIOD_MONTHS, periodCount } from './periods.ts';

/** Longest cycle accepted: a guard against a typo like `to: 20200` making 18 000 periods. */
const MAX_CYCLE_LENGTH = 50;
/** Most periods a cycle may have (of months, half-years, …): as many months as the longest cycle of years. */
const MAX_PERIODS = 600;

/**
 * A number as a policy writes it: plain decimal digits, at most 15 on each side of the point — no
 * hex, octal, exponent, inf or nan. Every such number is read exactly by the engine, and none is
 * large enough to overflow a report.
 */
const decimalPattern = /^[+-]?(\d{1,15}(\.\d{0,15})?|\.\d{1,15})$/;

/** Runs the declaration checks in order; each adds diagnostics to `bag`. */
export function checkDeclarations(p: PolicyAst, bag: DiagnosticBag): void {
  checkReservedWords(p, bag);
  checkUnits(p, bag);
  checkFields(p.record.fields, bag);
  checkFields(p.subject.fields, bag);
  checkStructure(p, bag);
  checkSettings(p, bag);
  for (const t of p.tables) checkTable(p, t, bag);
  checkForkRangeDecls(p, bag);
  checkCitations(p, bag);
}

/** Every unit used must be declared under `units:`. */
export function checkUnitText(p: PolicyAst, text: string, span: Span, bag: DiagnosticBag): void {
  const declared = p.units.map((u) => u.id);
  for (const name of parseUnit(text).names) {
    if (!declared.includes(name)) {
      bag.error('unknown-unit', span, `unknown unit '${name}'`, `未声明的单位 '${name}'`,
        didYouMean(name, declared) ?? `declare it under 'units:' (declared: ${declared.join(', ') || 'none'})`);
    }
  }
}

/** Names the rules write bare — ids, enum values, choices, units — must not be reserved words. */
function checkReservedWords(p: PolicyAst, bag: DiagnosticBag): void {
  const reserved = reservedWords();
  const check = (name: string, span: Span, what: string, whatZh: string) => {
    if (reserved.has(name)) {
      bag.error('reserved-word', span, `${what} '${name}' is a reserved word of the rule language`, `${whatZh} '${name}' 是规则语言的保留字`,
        'choose another name (reserved words cannot be written as names in the rules)');
    }
  };
  for (const f of [...p.record.fields, ...p.subject.fields]) {
    check(f.id, f.span, 'field', '字段');
    for (const v of f.values) check(v, f.span, 'enum value', '枚举值');
  }
  for (const x of p.settings) {
    check(x.id, x.span, 'setting', '设置');
    for (const c of x.choices) check(c, x.valueSpan, 'choice', '可选项');
  }
  for (const x of p.parameters) check(x.id, x.span, 'parameter', '参数');
  for (const x of p.tables) check(x.id, x.span, 'table', '表');
  for (const u of p.units) check(u.id, u.span, 'unit', '单位');
}

function checkUnits(p: PolicyAst, bag: DiagnosticBag): void {
  for (const f of [...p.record.fields, ...p.subject.fields]) checkUnitText(p, f.unit, f.unitSpan, bag);
  for (const prm of p.parameters) checkUnitText(p, prm.unit, prm.unitSpan, bag);
  for (const t of p.tables) {
    for (const c of t.columns) checkUnitText(p, c.unit, c.unitSpan, bag);
    if (t.kind === 'bands') checkUnitText(p, t.unit, t.unitSpan, bag);
  }
}

function checkFields(fields: readonly FieldDecl[], bag: DiagnosticBag): void {
  for (const f of fields) {
    if (f.type === 'enum' && f.values.length === 0) {
      bag.error('enum-without-values', f.span, `enum field '${f.id}' lists no values`, `枚举字段 '${f.id}' 没有列出取值`, "add 'values: [a, b, …]'");
    }
    if (f.type !== 'enum' && f.values.length > 0) {
      bag.error('values-on-non-enum', f.span, `'values' is only for enum fields, and '${f.id}' is ${f.type}`, `只有枚举字段可以有 values，'${f.id}' 是 ${f.type}`);
    }
    if (f.type !== 'number' && (f.unit !== '1' || f.min !== undefined || f.max !== undefined)) {
      bag.error('number-options-on-non-number', f.span, `'unit', 'min' and 'max' are only for number fields ('${f.id}' is ${f.type})`, `unit、min、max 只适用于数字字段（'${f.id}' 是 ${f.type}）`);
    }
  }
}

function checkStructure(p: PolicyAst, bag: DiagnosticBag): void {
  const recordField = (id: string) => p.record.fields.find((f) => f.id === id);
  const names = p.record.fields.map((f) => f.id);
  const key = recordField(p.record.key);
  if (!key) bag.error('unknown-field', p.record.keySpan, `record key '${p.record.key}' is not a record field`, `记录主键 '${p.record.key}' 不是记录字段`, didYouMean(p.record.key, names));
  const subj = recordField(p.record.subject);
  if (!subj) bag.error('unknown-field', p.record.subjectSpan, `record subject '${p.record.subject}' is not a record field`, `记录主体字段 '${p.record.subject}' 不是记录字段`, didYouMean(p.record.subject, names));
  const subjectKey = p.subject.fields.find((f) => f.id === p.subject.key);
  if (!subjectKey) {
    bag.error('unknown-field', p.subject.span, `subject key '${p.subject.key}' is not a subject field`, `主体主键 '${p.subject.key}' 不是主体字段`);
  }
  // Keys identify rows and subjects by their text: they must be present and compared as text.
  for (const f of [key, subj, subjectKey]) {
    if (f && !f.required) bag.error('key-not-required', f.span, `'${f.id}' identifies rows, so it must be required`, `'${f.id}' 用于识别数据行，必须设为 required`, "add 'required: true'");
    if (f && f.type !== 'text') bag.error('key-not-text', f.span, `'${f.id}' identifies rows, so it must be of type text`, `'${f.id}' 用于识别数据行，类型必须是 text`, "use 'type: text' (ids are compared as written)");
  }
  const period = recordField(p.period.field);
  if (!period || period.type !== 'date' || !period.required) {
    bag.error('bad-period-field', p.period.fieldSpan, `period field '${p.period.field}' must be a required date field of the record`, `期间字段 '${p.period.field}' 必须是记录中必填的日期字段`);
  }
  const c = p.cycle;
  const year = (y: number) => Number.isSafeInteger(y) && y >= 1 && y <= 9999;
  if (c.perSubject) checkSubjectCycle(p, bag);
  else if (!year(c.from) || !year(c.to) || c.to < c.from || c.to - c.from + 1 > MAX_CYCLE_LENGTH) {
    bag.error('bad-cycle', c.span, `the cycle must run forwards over calendar years (1–9999), written as digits, and last at most ${MAX_CYCLE_LENGTH} periods (${c.fromText}–${c.toText})`,
      `周期须为用数字写出的公历年份（1–9999），从前往后且不超过 ${MAX_CYCLE_LENGTH} 年（${c.fromText}–${c.toText}）`);
  } else if (c.lengthSpan) {
    bag.error('bad-cycle', c.lengthSpan, "a cycle of calendar years ('from: 2016, to: 2020') has no 'length': that is for a cycle per subject",
      "按公历年份的周期（'from: 2016, to: 2020'）不写 'length'：'length' 用于按主体计的周期", "remove 'length', or count the cycle from a subject's date field: 'from: <field>, length: 3 years'");
  }
  checkRepeat(p, bag);
  for (const f of p.subject.fields) {
    const r = recordField(f.id);
    if (r && f.id !== p.subject.key) {
      bag.error('field-in-both', f.span, `'${f.id}' is both a record field and a subject field`, `'${f.id}' 同时是记录字段和主体字段`, 'rename one of them');
    }
  }
  if (!isRealDate(p.effective)) {
    bag.error('bad-date', p.effectiveSpan, `'${p.effective}' is not a real date`, `'${p.effective}' 不是有效日期`);
  }
  for (const prm of p.parameters) {
    if (prm.type === 'date') {
      if (!isRealDate(prm.value)) {
        bag.error('bad-date', prm.valueSpan, `parameter '${prm.id}' is not a real date ('${excerpt(prm.value)}')`, `参数 '${prm.id}' 不是有效日期（'${excerpt(prm.value)}'）`,
          'write an existing day as YYYY-MM-DD, e.g. 2019-02-28');
      }
    } else if (!decimalPattern.test(prm.value)) {
      bag.error('not-a-number', prm.valueSpan, `parameter '${prm.id}' is not a plain decimal number ('${excerpt(prm.value)}')`,
        `参数 '${prm.id}' 不是普通的十进制数（'${excerpt(prm.value)}'）`, 'write it as digits with an optional decimal point (at most 15 digits on each side), e.g. 0.5 or 100');
    }
  }
  for (const t of p.tables) {
    if (t.kind !== 'bands') continue;
    for (const b of t.bands) {
      if (!decimalPattern.test(b.from)) {
        bag.error('not-a-number', b.fromSpan, `'from' of band '${b.label}' is not a plain decimal number ('${excerpt(b.from)}')`,
          `等级 '${b.label}' 的 from 不是普通的十进制数（'${excerpt(b.from)}'）`);
      }
    }
  }
  for (const f of [...p.record.fields, ...p.subject.fields]) {
    if (f.min !== undefined && !decimalPattern.test(f.min)) bag.error('not-a-number', f.span, `min of '${f.id}' is not a number`, `'${f.id}' 的 min 不是数字`);
    if (f.max !== undefined && !decimalPattern.test(f.max)) bag.error('not-a-number', f.span, `max of '${f.id}' is not a number`, `'${f.id}' 的 max 不是数字`);
  }
}

function checkSettings(p: PolicyAst, bag: DiagnosticBag): void {
  for (const s of p.settings) {
    if (s.choices.length > 0 && (typeof s.value !== 'string' || !s.choices.includes(s.value))) {
      bag.error('setting-not-a-choice', s.valueSpan, `setting '${s.id}' is '${String(s.value)}', which is not one of its choices (${s.choices.join(', ')})`,
        `设置 '${s.id}' 的值 '${String(s.value)}' 不在可选项（${s.choices.join('、')}）之中`, didYouMean(String(s.value), s.choices));
    }
    if (s.choices.length === 0 && typeof s.value !== 'boolean') {
      bag.error('setting-without-choices', s.valueSpan, `setting '${s.id}' is a text but lists no choices`, `设置 '${s.id}' 的值是文字，但没有列出可选项`,
        "use true/false, or add 'choices: [a, b]'");
    }
  }
}

/** Checks a row's or band's cells; `where` names it in both languages (`row 'x'` / `行 'x'`). */
function checkCells(t: TableDecl, where: { en: string; zh: string }, cells: Readonly<Record<string, unknown>>, spans: Readonly<Record<string, Span>>, rowSpan: Span, bag: DiagnosticBag): void {
  for (const c of t.columns) {
    const v = cells[c.name];
    if (v === undefined) {
      bag.error('table-cell-missing', rowSpan, `${where.en} of table '${t.id}' has no '${c.name}'`, `表 '${t.id}' 的${where.zh}缺少 '${c.name}'`);
    } else if (!cellFits(c, v)) {
      bag.error('table-cell-type', spans[c.name] ?? rowSpan, `'${c.name}' in ${where.en} of table '${t.id}' should be ${cellKind[c.type].en}`,
        `表 '${t.id}' 的${where.zh}中 '${c.name}' 应为${cellKind[c.type].zh}`);
    }
  }
  for (const name of Object.keys(cells)) {
    if (!t.columns.some((c) => c.name === name)) {
      bag.error('table-cell-unknown', spans[name] ?? rowSpan, `'${name}' is not a column of table '${t.id}'`, `'${name}' 不是表 '${t.id}' 的列`,
        didYouMean(name, t.columns.map((c) => c.name)) ?? `columns: ${t.columns.map((c) => c.name).join(', ')}`);
    }
  }
}

const cellKind: Readonly<Record<ColumnDecl['type'], { en: string; zh: string }>> = {
  bool: { en: 'true or false', zh: ' true 或 false' },
  number: { en: 'a number', zh: '数字' },
  text: { en: 'a text', zh: '文字' },
  date: { en: 'a real date, YYYY-MM-DD', zh: '有效日期（YYYY-MM-DD）' },
};

function cellFits(c: ColumnDecl, v: unknown): boolean {
  switch (c.type) {
    case 'bool': return typeof v === 'boolean';
    case 'number': return typeof v === 'string' && decimalPattern.test(v);
    case 'date': return typeof v === 'string' && isRealDate(v);
    case 'text': return typeof v === 'string';
    default: return assertNever(c.type);
  }
}

function checkTable(p: PolicyAst, t: TableDecl, bag: DiagnosticBag): void {
  if (t.kind === 'keyed') checkKeyedTable(p, t, bag);
  else checkBandTable(t, bag);
}

function checkKeyedTable(p: PolicyAst, t: KeyedTableDecl, bag: DiagnosticBag): void {
  const keyField = [...p.record.fields, ...p.subject.fields].find((f) => f.id === t.key);
  if (!keyField || keyField.type !== 'enum') {
    bag.error('table-key-not-enum', t.keySpan, `table '${t.id}' is keyed by '${t.key}', which is not an enum field`, `表 '${t.id}' 的键 '${t.key}' 不是枚举字段`,
      didYouMean(t.key, p.record.fields.filter((f) => f.type === 'enum').map((f) => f.id)));
  }
  for (const row of t.rows) {
    if (keyField?.type === 'enum' && !keyField.values.includes(row.key)) {
      bag.error('unknown-table-key', row.keySpan, `'${row.key}' is not a value of '${t.key}'`, `'${row.key}' 不是 '${t.key}' 的取值`,
        didYouMean(row.key, keyField.values) ?? `values: ${keyField.values.join(', ')}`);
    }
    checkCells(t, { en: `row '${row.key}'`, zh: `行 '${row.key}' ` }, row.cells, row.cellSpans, row.span, bag);
  }
}

function checkBandTable(t: BandTableDecl, bag: DiagnosticBag): void {
  const check = (b: Band, where: { en: string; zh: string }) => checkCells(t, where, b.cells, b.cellSpans, b.span, bag);
  let previous: Band | undefined;
  for (const b of t.bands) {
    check(b, { en: `band '${b.label}'`, zh: `等级 '${b.label}' ` });
    const order = previous ? compareDecimalText(b.from, previous.from) : -1;
    if (previous && order !== undefined && order >= 0) {
      const same = order === 0;
      bag.error(same ? 'band-overlap' : 'band-order', b.fromSpan,
        same ? `bands '${previous.label}' and '${b.label}' both start at ${b.from}` : `band '${b.label}' starts at ${b.from}, not below the band before it (${previous.label} from ${previous.from})`,
        same ? `等级 '${previous.label}' 与 '${b.label}' 的下限都是 ${b.from}` : `等级 '${b.label}' 的下限 ${b.from} 不低于前一等级（${previous.label}，${previous.from}）`,
        'list bands from the highest lower bound down; each band runs up to the next one above it');
    }
    previous = b;
  }
  check(t.below, { en: 'below', zh: '最低等级（below）' });
  checkBandEnds(t, bag);
  const labels = new Set<string>();
  for (const b of [...t.bands, t.below]) {
    if (labels.has(b.label)) bag.error('band-duplicate-label', b.span, `two bands of table '${t.id}' are labelled '${b.label}'`, `表 '${t.id}' 中有两个等级都叫 '${b.label}'`);
    labels.add(b.label);
  }
}

/**
 * A band's `to` (its upper end as the document writes it, inclusive) against the band above it:
 * below that band's `from` leaves the numbers between in no band as the document reads
 * (`band-gap`: `to: 89` under `from: 90` says nothing of 89.5); above it, they are in both
 * (`band-overlap`). Equal is contiguous: the shared bound belongs to the band above, whose
 * `from` is inclusive. Compared on exact decimal text. The highest band's `to` has no band
 * above: nothing to hold it against.
 */
function checkBandEnds(t: BandTableDecl, bag: DiagnosticBag): void {
  const all = [...t.bands, t.below];
  for (let i = 0; i < all.length; i++) {
    const b = all[i]!;
    if (b.to === undefined || !decimalPattern.test(b.to)) continue;
    if (i < t.bands.length && decimalPattern.test(b.from) && compareDecimalText(b.to, b.from)! < 0) {
      bag.error('band-order', b.toSpan, `band '${b.label}' ends at ${b.to}, below where it starts (${b.from})`, `等级 '${b.label}' 的上限 ${b.to} 低于其下限 ${b.from}`);
      continue;
    }
    const above = i > 0 ? all[i - 1] : undefined;
    if (!above || !decimalPattern.test(above.from)) continue;
    const c = compareDecimalText(b.to, above.from)!;
    if (c < 0) {
      bag.error('band-gap', b.toSpan,
        `numbers above ${b.to} and below ${above.from} (in ${t.unit}) fall in no band: '${b.label}' ends at ${b.to}, '${above.label}' starts at ${above.from}`,
        `大于 ${b.to} 且小于 ${above.from}（${t.unit}）的数不属于任何等级：'${b.label}' 止于 ${b.to}，'${above.label}' 始于 ${above.from}`,
        `write 'to: ${above.from}' ('${b.label}' then runs up to ${above.from}, and ${above.from} itself is '${above.label}'), or drop 'to'`);
    } else if (c > 0) {
      bag.error('band-overlap', b.toSpan, `band '${b.label}' runs to ${b.to}, past where '${above.label}' starts (${above.from})`,
        `等级 '${b.label}' 的上限 ${b.to} 超过了 '${above.label}' 的下限 ${above.from}`, `end it at ${above.from} at most`);
    }
  }
}

/** Every rule and parameter cites its article: a missing citation is worth a warning. */
function checkCitations(p: PolicyAst, bag: DiagnosticBag): void {
  for (const s of p.rules.statements) {
    if (s.cites.length === 0) {
      bag.warning('missing-cite', s.idSpan, `'${s.id}' cites no article`, `'${s.id}' 没有注明条款`, 'add @cite("…") on the line above');
    }
  }
}

/**
 * A repeating cycle (`every: n`) splits its periods into cycles of `n` periods each — a calendar
 * cycle's `from`–`to`, or each subject's own window (`length`) — so `n` must be a whole number of
 * periods that divides them: a last cycle shorter than the others would be checked against a whole
 * cycle's requirements.
 */
function checkRepeat(p: PolicyAst, bag: DiagnosticBag): void {
  const c = p.cycle;
  if (c.every === undefined) return;
  const s = c.perSubject;
  const per = PERIOD_MONTHS[p.period.by];
  // A window's periods are its length's (bad-cycle-length refuses one that is no whole number of them).
  if (s && !(s.months > 0 && s.months % per === 0)) return;
  if (!s && !(Number.isSafeInteger(c.from) && Number.isSafeInteger(c.to) && c.to >= c.from)) return; // bad-cycle says so
  const periods = periodCount(p);
  if (!Number.isSafeInteger(c.every) || c.every < 1 || periods % c.every !== 0) {
    const span = s ? `'length: ${excerpt(s.lengthText)}'` : `${c.fromText}–${c.toText}`;
    bag.error('cycle-every', c.everySpan ?? c.span,
      `'every: ${c.everyText ?? ''}' must be a whole number of periods that divides the ${periods} periods ${s ? 'of ' : ''}${span}`,
      `'every: ${c.everyText ?? ''}' 须为能整除 ${span} 共 ${periods} 个期间的整数`,
      `e.g. every: ${divisors(periods).join(' or every: ')}`);
  }
}

/** The lengths a cycle of `n` periods can repeat in (n ≤ the longest cycle, so this is short). */
function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
}

/**
 * A cycle per subject: `from:` or `before:` names a date field of the subject, and `length` is a
 * whole number of periods — not mixed with a calendar cycle's years.
 */
function checkSubjectCycle(p: PolicyAst, bag: DiagnosticBag): void {
  const c = p.cycle;
  const s = c.perSubject!;
  if (c.toText !== '' || (s.anchor === 'before' && c.fromText !== '')) {
    bag.error('bad-cycle', c.span, "a cycle per subject has 'from:' or 'before:' a subject field, and 'length', but no years ('to:')",
      "按主体计的周期只写 'from:' 或 'before:'（主体字段）和 'length'，不写年份（'to:'）", "write either 'from: 2016, to: 2020' or 'from: <subject date field>, length: 3 years'");
  }
  const field = p.subject.fields.find((f) => f.id === s.field);
  if (!field || field.type !== 'date') {
    const names = p.subject.fields.filter((f) => f.type === 'date').map((f) => f.id);
    bag.error('bad-cycle-field', s.fieldSpan, `'${s.field}' is not a date field of the subject: each subject's cycle is counted from one`,
      `'${s.field}' 不是主体的日期字段：每个主体的周期须从其日期字段起算`,
      didYouMean(s.field, names) ?? (names.length > 0 ? `date fields of the subject: ${names.join(', ')}` : 'declare a subject field of type date'));
  }
  const per = PERIOD_MONTHS[p.period.by];
  if (!(s.months > 0) || s.months % per !== 0 || s.months / per > MAX_PERIODS) {
    bag.error('bad-cycle-length', s.lengthSpan,
      s.lengthText === '' ? "a cycle per subject needs a 'length'" : `the cycle's length '${excerpt(s.lengthText)}' is not a whole number of periods of one ${p.period.by} (at most ${MAX_PERIODS})`,
      s.lengthText === '' ? "按主体计的周期需要 'length'" : `周期长度 '${excerpt(s.lengthText)}' 不是整数个 ${p.period.by} 期（至多 ${MAX_PERIODS} 期）`,
      "write it as 'N years' or 'N months', e.g. 'length: 3 years'");
  }
}
