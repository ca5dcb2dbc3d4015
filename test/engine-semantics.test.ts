// Engine semantics that hold for any policy: missing values behave the same inline and through a
// let; the first row with an id owns it, in the records and in the subjects file; subjects come
// before records.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../dsl/index.ts';
import { compilePolicy, createCsvReader, Evaluation, evaluate, reportJson, streamOf, type Program } from '../engine/index.ts';
import { writeCsv } from '../cli/csv-format.ts';
import { writeTable } from '../cli/table-format.ts';
import { expectPathsAgree } from './support/fuzz.ts';

const base = readFileSync(new URL('./cases/diagnostics/valid.yaml', import.meta.url), 'utf8');

function program(rulesPrefix: string): Program {
  const loaded = loadPolicy('p.yaml', base.replace('rules: |\n', `rules: |\n${rulesPrefix}`));
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  return compilePolicy(loaded.value);
}

function read(text: string) {
  const r = createCsvReader();
  return [...r.push(text), ...r.end()];
}

const HEADER = 'record_id,teacher_id,date,kind,hours\n';

describe('missing values', () => {
  it('`is missing` gives the same answer on a let as on the expression it names', () => {
    // hours is empty: `hours * 2` is missing, so both rules see a missing value and disregard
    // the row — a let must not turn "missing" into "reject the row".
    const inline = program('  @cite("x")\n  disregard gone when (hours * 2) is missing because "none"\n');
    const viaLet = program('  @cite("x")\n  let double: hour = hours * 2\n  @cite("x")\n  disregard gone when double is missing because "none"\n');
    const rows = read(`${HEADER}A,T,2016-01-01,teaching,\nB,T,2016-01-02,teaching,3\n`);
    const summary = (p: Program) => (reportJson(evaluate(p, rows)) as { summary: Record<string, unknown> }).summary;
    expect(summary(inline)).toMatchObject({ evaluated: 2, disregarded: 1, rejected: 0 });
    expect(summary(viaLet)).toEqual(summary(inline));
  });
});

describe('the first row with an id owns it', () => {
  it('in the subjects file too: a later row with the same id is a duplicate even if the first was bad', () => {
    const p = program('');
    const subjects = read('teacher_id\nT1\nT1\n');
    const r = evaluate(p, read(`${HEADER}A,T1,2016-01-01,teaching,3\n`), subjects);
    expect(r.subjectRows).toMatchObject({ read: 2, evaluated: 1, rejected: 1 });
    expect(r.rejected[0]).toMatchObject({ source: 'subjects', key: 'T1', line: 3 });
    expect(r.rejected[0]!.reason).toContain('first on line 2');
  });

  it('a first row rejected for its own reasons still owns the id; ids are compared trimmed', () => {
    // The subject gets a date that must be one: the first T1 row's is no date, so it is rejected,
    // and the later T1 rows (one with spaces around the id) are duplicates of line 2, not listings.
    const withDate = base.replace('    teacher_id: { type: text, required: true }\n', '    teacher_id: { type: text, required: true }\n    hired_on: { type: date }\n');
    const loaded = loadPolicy('p.yaml', withDate);
    if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
    const p = compilePolicy(loaded.value);
    const subjects = read('teacher_id,hired_on\nT1,not-a-date\nT2,2016-03-01\n T1 ,2016-03-01\nT1,2016-03-01\nT2,\n');
    const r = evaluate(p, read(`${HEADER}A,T1,2016-01-01,teaching,3\nB,T2,2016-01-01,teaching,3\n`), subjects);
    expect(r.subjectRows).toMatchObject({ read: 5, evaluated: 1, rejected: 4 });
    expect(r.rejected.filter((x) => x.source === 'subjects').map((x) => [x.line, x.key, x.reason.match(/first on line \d+/)?.[0] ?? x.rule])).toEqual([
      [2, 'T1', 'hired_on'],
      [4, 'T1', 'first on line 2'],
      [5, 'T1', 'first on line 2'],
      [6, 'T2', 'first on line 3'],
    ]);
    // T1's record cannot be evaluated (its row was rejected); T2's counts, with line 3's facts.
    expect(r.records).toMatchObject({ read: 2, evaluated: 1, rejected: 1 });
    expect(r.subjects.map((s) => [s.id, s.fields[1]])).toEqual([['T2', '2016-03-01']]);
  });
});

describe('order of inputs', () => {
  it('refuses a subject after the first record: records are evaluated with their subject\'s facts', () => {
    const e = new Evaluation(program(''));
    for (const ev of read(`${HEADER}A,T1,2016-01-01,teaching,3\n`)) e.addRecord(ev);
    expect(() => e.addSubject({ kind: 'row', line: 2, values: { teacher_id: 'T1' } })).toThrow(/before the first record/);
  });
});

describe('a measure that needs a value the subject lacks', () => {
  // The Lincang policy with one more measure, read straight from an optional subject field.
  const lincang = readFileSync(new URL('../policies/lincang/policy.yaml', import.meta.url), 'utf8');
  const text = `${lincang.trimEnd()}\n\n  @cite("x")\n  measure hire_year = year(hired_on)\n`;
  const loaded = loadPolicy('p.yaml', text);
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  const p = compilePolicy(loaded.value);
  const records = 'record_id,teacher_id,date,kind,level,format,module,elective,days,hours,practical_hours,rate,score,in_system,status\n'
    + 'R1,T1,2016-05-01,training,county,short_term,ethics,true,1,,,1,95,true,ok\nR2,T2,2016-05-01,training,county,short_term,ethics,true,1,,,1,95,true,ok\n';
  const teachers = 'teacher_id,school_id,county_id,hired_on\nT1,S,C,\nT2,S,C,2010-09-01\n';

  it('is null for that subject, with a problem saying what it lacks, on every path; other subjects are untouched', () => {
    const json = JSON.parse(expectPathsAgree(p, records, teachers)) as { teachers: Record<string, unknown>[] };
    const [t1, t2] = json.teachers;
    expect(t1!.hire_year).toBeNull();
    expect((t1!.years as Record<string, Record<string, unknown>>)['2016']!.hire_year).toBeNull();
    // One problem per scope (five years and the cycle); the requirements are checked as usual.
    const problems = t1!.problems as { measure: string; year: number | null; problem: string; message: string }[];
    expect(problems.map((x) => x.year)).toEqual([2016, 2017, 2018, 2019, 2020, null]);
    expect(problems[5]).toEqual({ measure: 'hire_year', year: null, problem: 'hired_on', message: '无法计算 hire_year：缺少 hired_on / cannot work out hire_year: hired_on is missing' });
    // 6 h × 1 × 1.25 = 7.5 credits, as for anyone
    expect(t1!.credits).toBe(7.5);
    expect(t2!.hire_year).toBe(2010);
    expect(t2!.problems).toBeUndefined();
  });

  it('is an empty cell in CSV and a dash in the table, the columns still lined up', () => {
    const r = streamOf(evaluate(p, read(records), read(teachers)));
    let csv = '';
    writeCsv(r, (t) => void (csv += t));
    const rows = csv.trimEnd().split('\n').map((l) => l.split(','));
    const at = rows[0]!.indexOf('hire_year');
    expect(rows.map((x) => x.length)).toEqual([rows[0]!.length, rows[0]!.length, rows[0]!.length]);
    expect([rows[1]![at], rows[2]![at]]).toEqual(['', '2010.00']);
    let table = '';
    writeTable(r, (t) => void (table += t));
    expect(table).toMatch(/T1 .*—/);
  });
});
