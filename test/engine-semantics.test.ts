// Engine semantics that hold for any policy: missing values behave the same inline and through a
// let; the first row with an id owns it, in the records and in the subjects file; subjects come
// before records.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../dsl/index.ts';
import { compilePolicy, createCsvReader, Evaluation, evaluate, reportJson, type Program } from '../engine/index.ts';

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
});

describe('order of inputs', () => {
  it('refuses a subject after the first record: records are evaluated with their subject\'s facts', () => {
    const e = new Evaluation(program(''));
    for (const ev of read(`${HEADER}A,T1,2016-01-01,teaching,3\n`)) e.addRecord(ev);
    expect(() => e.addSubject({ kind: 'row', line: 2, values: { teacher_id: 'T1' } })).toThrow(/before the first record/);
  });
});
