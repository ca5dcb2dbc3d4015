// The compiler folds settings, parameters and literals and specialises common shapes (field ==
// enum value, `in` a constant list, `between` constant bounds, table[key].column). These tests
// check that folding changes nothing a user can see: the same rules, written once over settings
// and parameters (folded) and once over record fields that always carry the same values (not
// foldable), must give identical results on any records, rejections and their reasons included.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../dsl/index.ts';
import { compilePolicy, createCsvReader, evaluate, type EvaluationResult, type Program } from '../engine/index.ts';
import { Decimal } from '../engine/decimal.ts';
import { KeyedTotals } from '../engine/values.ts';

interface Readings {
  readonly yes: boolean;
  readonly no: boolean;
  readonly mode: 'a' | 'b';
}

// `$YES`, `$NO`, `$MODE`, `$LOW`, `$HIGH` are settings and parameters in the folded policy and
// record fields in the other. Every rule puts a constant where folding has something to do.
const RULES = `
  @cite("办法 第一条")
  reject and_false when hours > 2 and $NO
    because "and false / and false"
  @cite("办法 第一条")
  reject or_false when $NO or hours > 100 or kind == z and lvl is missing
    because "or false / or false"
  @cite("办法 第一条")
  exclude picked when (if $YES then kind == x and lvl == q else hours > 6)
    because "picked / picked"
  @cite("办法 第一条")
  disregard never when kind != y and $MODE == b and not $YES
    because "never / never"
  @cite("办法 第一条")
  reject outside when kind == z and not (hours between $LOW and $HIGH)
    because "hours {hours} outside / hours {hours} outside"
  @cite("办法 第一条")
  reject no_row when kind == y and $YES and rate[kind].per_hour > 1
    because "rate / rate"

  let weighted: hour = if $MODE == a then hours * rate[kind].per_hour else hours
  let banded = grade(hours).factor * (if $NO then 2 else 1)
  let either: bool = kind in [x, y, w] or $NO

  measure total "合计 / total" = sum(weighted where either)
  measure by_kind "分类 / by kind" = sum(hours where $YES or not $NO by kind)
  measure counted "条数 / count" = count(where lvl is present and (kind != x or $YES))
  measure graded "等级 / graded" = sum(banded)

  @cite("办法 第一条")
  require yearly "每年 / yearly" per period: total >= low
  @cite("办法 第一条")
  require kinds "分类 / kinds" per cycle for k in rate: by_kind[k] >= low
`;

function policyText(r: Readings, folded: boolean): string {
  const names: Record<string, string> = folded
    ? { $YES: 'yes', $NO: 'no', $MODE: 'mode', $LOW: 'low', $HIGH: 'high' }
    : { $YES: 'yes_f', $NO: 'no_f', $MODE: 'mode_f', $LOW: 'low_f', $HIGH: 'high_f' };
  const rules = RULES.replace(/\$[A-Z]+/g, (n) => names[n]!);
  return `
policy: test.folding
version: "1"
effective: 2020-01-01
before_effective: { value: evaluate }
document: 测试〔2020〕1号
units:
  hour: { zh: 学时, en: hours }
subject:
  key: teacher_id
  collection: teachers
  fields:
    teacher_id: { type: text, required: true }
record:
  key: record_id
  subject: teacher_id
  fields:
    record_id: { type: text, required: true }
    teacher_id: { type: text, required: true }
    date: { type: date, required: true }
    kind: { type: enum, values: [x, y, z, w] }
    lvl: { type: enum, values: [p, q, r] }
    hours: { type: number, unit: hour, min: 0 }
    yes_f: { type: bool, required: true }
    no_f: { type: bool, required: true }
    mode_f: { type: enum, values: [a, b], required: true }
    low_f: { type: number, unit: hour, required: true }
    high_f: { type: number, unit: hour, required: true }
period: { field: date, by: year, name: year, collection: years }
cycle: { from: 2016, to: 2018 }
settings:
  yes: { value: ${r.yes}, cite: 办法 第一条 }
  no: { value: ${r.no}, cite: 办法 第一条 }
  mode: { value: ${r.mode}, choices: [a, b], cite: 办法 第一条 }
parameters:
  low: { value: 1.5, unit: hour, cite: 办法 第一条 }
  high: { value: 5, unit: hour, cite: 办法 第一条 }
tables:
  rate:
    cite: 办法 第一条
    key: kind
    columns: { per_hour: "1" }
    rows:
      x: { per_hour: 2 }
      y: { per_hour: 0.5 }
      z: { per_hour: 1.25 }
  grade:
    cite: 办法 第一条
    unit: hour
    columns: { factor: "1" }
    bands:
      - { label: high, from: 4, factor: 1.5 }
      - { label: mid, from: 2, factor: 1.1 }
    below: { label: low, factor: 0 }
rules: |${rules}`;
}

function compile(r: Readings, folded: boolean): Program {
  const loaded = loadPolicy('folding.yaml', policyText(r, folded));
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return compilePolicy(loaded.value);
}

const COLUMNS = ['record_id', 'teacher_id', 'date', 'kind', 'lvl', 'hours', 'yes_f', 'no_f', 'mode_f', 'low_f', 'high_f'];

const record = fc.record({
  record_id: fc.nat(40).map((n) => `R${n}`),
  teacher_id: fc.constantFrom('T1', 'T2', 'T3'),
  date: fc.constantFrom('2015-06-01', '2016-01-01', '2017-12-31', '2018-07-15', '2019-02-28', '2017-02-30'),
  kind: fc.constantFrom('x', 'y', 'z', 'w', ''),
  lvl: fc.constantFrom('p', 'q', 'r', ''),
  hours: fc.constantFrom('', '0', '1.5', '1.49', '2', '3.25', '4', '5', '5.01', '7', '120', '-1', 'abc'),
});

function evaluateWith(program: Program, r: Readings, rows: readonly Record<string, string>[]): EvaluationResult {
  const constants = { yes_f: String(r.yes), no_f: String(r.no), mode_f: r.mode, low_f: '1.5', high_f: '5' };
  const text = [COLUMNS.join(','), ...rows.map((row) => COLUMNS.map((c) => ({ ...row, ...constants } as Record<string, string>)[c]).join(','))].join('\n') + '\n';
  const reader = createCsvReader();
  return evaluate(program, [...reader.push(text), ...reader.end()]);
}

/** Everything a user sees of a result, as plain data. */
function visible(r: EvaluationResult): unknown {
  const show = (v: unknown): unknown => (v instanceof Map || v instanceof KeyedTotals ? [...(v as ReadonlyMap<string, unknown>)].map(([k, x]) => [k, String(x)]) : String(v));
  const { disregardedBy, outOfScopeBy, rejectedBy, ...counts } = r.records;
  return {
    counts, disregardedBy: [...disregardedBy], outOfScopeBy: [...outOfScopeBy], rejectedBy: [...rejectedBy],
    rejected: r.rejected.map((x) => `${x.line} ${x.key} ${x.rule} ${x.reason} ${x.cites.join('|')}`),
    subjects: r.subjects.map((s) => ({
      id: s.id, compliant: s.compliant, evaluated: s.evaluated, disregarded: s.disregarded,
      cycle: s.cycle.map(show), periods: [...s.periods].map(([y, ms]) => [y, ms.map(show)]),
      violations: s.violations.map((v) => `${v.rule}[${v.key}]@${v.period} ${String(v.actual)} ${String(v.required)} ${v.problem}`),
    })),
  };
}

const READINGS: Readings[] = [true, false].flatMap((yes) => [true, false].flatMap((no) => (['a', 'b'] as const).map((mode) => ({ yes, no, mode }))));

describe('constant folding changes no result', () => {
  it.each(READINGS)('settings %j: folded and unfolded policies agree on any records', (r) => {
    const folded = compile(r, true);
    const plain = compile(r, false);
    fc.assert(fc.property(fc.array(record, { maxLength: 30 }), (rows) => {
      expect(visible(evaluateWith(folded, r, rows))).toEqual(visible(evaluateWith(plain, r, rows)));
    }), { numRuns: 150 });
  });

  it('a constant operand that decides a chain still lets the operands before it reject', () => {
    const program = compile({ yes: true, no: false, mode: 'a' }, true);
    const result = evaluateWith(program, { yes: true, no: false, mode: 'a' }, [
      { record_id: 'R1', teacher_id: 'T1', date: '2017-01-01', kind: 'w', lvl: 'p', hours: '' },
    ]);
    // `hours > 2 and no`: no is false, but hours is read first and is missing.
    expect(result.rejected.map((x) => [x.rule, x.reason])).toEqual([['and_false', '缺少 hours（and_false 需要）/ missing hours, needed by and_false']]);
  });

  it('against a constant, a missing value is unequal (!= holds, == and in do not)', () => {
    // Both policies specialise `field != constant`, so this is checked directly, not by agreement.
    const r: Readings = { yes: false, no: false, mode: 'b' };
    const program = compile(r, true);
    const result = evaluateWith(program, r, [
      { record_id: 'R1', teacher_id: 'T1', date: '2017-01-01', kind: '', lvl: 'p', hours: '1' },
      { record_id: 'R2', teacher_id: 'T1', date: '2017-01-01', kind: 'y', lvl: 'p', hours: '1' },
    ]);
    // `never`: kind != y and mode == b and not yes — true for the missing kind only.
    expect([...result.records.disregardedBy]).toEqual([['never', 1]]);
    // `either` (kind in [x, y, w] or no) is false for the missing kind, so it adds nothing.
    const total = program.measures.findIndex((m) => m.id === 'total');
    expect(String(result.subjects[0]!.cycle[total])).toBe('1');
  });

  it('a table row that does not exist is still a missing value, named as before', () => {
    const program = compile({ yes: true, no: false, mode: 'a' }, true);
    const result = evaluateWith(program, { yes: true, no: false, mode: 'a' }, [
      { record_id: 'R1', teacher_id: 'T1', date: '2017-01-01', kind: 'w', lvl: 'p', hours: '3' },
    ]);
    expect(result.rejected.map((x) => x.reason)).toEqual(['缺少 rate[w]（total 需要）/ missing rate[w], needed by total']);
  });
});

describe('KeyedTotals', () => {
  const totals = new KeyedTotals(new Map([['a', 0], ['b', 1]]), ['a', 'b'], ['1.5', '2'].map((t) => Decimal.parse(t)!));
  it('reads like a map of every key, in key order', () => {
    expect(totals.size).toBe(2);
    expect(totals.get('b')?.toString()).toBe('2');
    expect(totals.get('c')).toBeUndefined();
    expect(totals.has('a')).toBe(true);
    expect(totals.has('c')).toBe(false);
    expect([...totals].map(([k, v]) => `${k}=${v}`)).toEqual(['a=1.5', 'b=2']);
    expect([...totals.keys()]).toEqual(['a', 'b']);
    expect([...totals.values()].map(String)).toEqual(['1.5', '2']);
    const seen: string[] = [];
    totals.forEach((v, k, m) => seen.push(`${k}=${v}:${m === totals}`));
    expect(seen).toEqual(['a=1.5:true', 'b=2:true']);
  });
});
