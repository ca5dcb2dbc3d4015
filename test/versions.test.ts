// Dated versions: a later version written as a change on the one before, each applied where it is
// in force — per record on its date, per period and cycle at their end — and one version chosen
// for everything with @VERSION or --as-of. The numbers are worked out by hand in the comments.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicy, loadPolicySet, memoryFiles, type Diagnostic, type VersionChoice } from '../dsl/index.ts';
import { compilePolicy, reportJson, type Program } from '../engine/index.ts';
import { evaluateCsvBytes, expectPathsAgree, readCsv, runAndCheck } from './support/fuzz.ts';
import { csv, teachersCsv, training, type Rec, type ReportJson, type TeacherJson } from './support/lincang.ts';

const LINCANG = readFileSync(new URL('../policies/lincang/policy.yaml', import.meta.url), 'utf8');
const REVISION = readFileSync(new URL('../policies/lincang/versions/2019.1.yaml', import.meta.url), 'utf8');

/** The Lincang folder in memory, with extra or replaced files. */
function folder(extra: Record<string, string> = {}): Record<string, string> {
  return { 'lincang/policy.yaml': LINCANG, 'lincang/versions/2019.1.yaml': REVISION, ...extra };
}

function load(files: Record<string, string>, choice: VersionChoice = {}, path = 'lincang') {
  return loadPolicySet(memoryFiles(files), path, choice).result;
}

function program(files: Record<string, string> = folder(), choice: VersionChoice = {}): Program {
  const r = load(files, choice);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return compilePolicy(r.value.checked);
}

function errors(files: Record<string, string>, choice: VersionChoice = {}): Diagnostic[] {
  const r = load(files, choice);
  expect(r.ok).toBe(false);
  return r.diagnostics.filter((d) => d.severity === 'error');
}

function report(p: Program, records: readonly Rec[], teachers = [{ teacher_id: 'W1' }]): ReportJson {
  const text = expectPathsAgree(p, csv(records), teachersCsv(teachers));
  const json = JSON.parse(text) as ReportJson;
  runAndCheck(p, readCsv(csv(records)), readCsv(teachersCsv(teachers)), { finite: true });
  return json;
}

type VersionedTeacher = Omit<TeacherJson, 'violations'> & { version?: string; high_level_credits?: number; violations: (TeacherJson['violations'][number] & { version?: string })[] };

const teacher = (r: ReportJson, id = 'W1') => r.teachers.find((t) => t.teacher_id === id) as VersionedTeacher;

// W1, not new: two pairs of the same trainings, in 2018 (under 2017.1) and in 2019 (under the
// hypothetical 2019.1, in force from 2019-01-01):
//   county short-term ethics, 2 days = 12 h, rate 1.5, score 85 (良):
//     2018: 12 × 1.5 × (1 + 0.2)  = 21.6     2019: 12 × 1.5 × (1 + 0.22) = 21.96
//   province short-term knowledge, 1 day = 6 h, rate 2, score 95 (优 0.25): 6 × 2 × 1.25 = 15 both years
// credits: 2018 36.6, 2019 36.96; both years below the yearly floor (72 in 2018, 80 in 2019).
// high_level_credits (new in 2019.1): only the 2019 provincial record counts, 15 < 30.
const WORKED: Rec[] = [
  training({ record_id: 'A1', teacher_id: 'W1', date: '2018-05-01', level: 'county', format: 'short_term', module: 'ethics', days: 2, rate: 1.5, score: 85 }),
  training({ record_id: 'A2', teacher_id: 'W1', date: '2018-06-01', level: 'province', format: 'short_term', module: 'knowledge', days: 1, rate: 2, score: 95 }),
  training({ record_id: 'A3', teacher_id: 'W1', date: '2019-05-01', level: 'county', format: 'short_term', module: 'ethics', days: 2, rate: 1.5, score: 85 }),
  training({ record_id: 'A4', teacher_id: 'W1', date: '2019-06-01', level: 'province', format: 'short_term', module: 'knowledge', days: 1, rate: 2, score: 95 }),
];

describe('versions, each where it is in force', () => {
  it('a record counts under the version of its date; a year is checked under the version at its end', () => {
    const r = report(program(), WORKED);
    const w = teacher(r);
    expect(w.years['2018']!.credits).toBe(36.6);
    expect(w.years['2019']!.credits).toBe(36.96);
    expect(w.credits).toBe(73.56);
    expect(w.years['2018']!.modules.ethics).toBe(21.6);
    expect(w.years['2019']!.modules.ethics).toBe(21.96);
    // The measure 2019.1 adds counts only what 2019.1 evaluates.
    expect(w.high_level_credits).toBe(15);
    expect((w.years['2018'] as unknown as { high_level_credits: number }).high_level_credits).toBe(0);
    const yearly = w.violations.filter((v) => v.rule === 'yearly_credits');
    expect(yearly.map((v) => [v.year, v.required, v.version, v.article])).toEqual([
      [2016, 72, '2017.1', '管理办法 第十一条'], [2017, 72, '2017.1', '管理办法 第十一条'], [2018, 72, '2017.1', '管理办法 第十一条'],
      // The same requirement and article: only the floor changed, and the label's {min_credits_yearly} follows it.
      [2019, 80, '2019.1', '管理办法 第十一条'], [2020, 80, '2019.1', '管理办法 第十一条'],
    ]);
    expect(yearly[3]!.message).toBe('每年学分不少于80：2019年实际 36.96学分，要求不少于 80.00学分 / at least 80 credits a year: 2019 has 36.96 credits, requires at least 80.00 credits');
    const high = w.violations.find((v) => v.rule === 'cycle_high_level_credits')!;
    expect([high.year, high.actual, high.required, high.version]).toEqual([null, 15, 30, '2019.1']);
    // The cycle is checked under the version in force at its end (2020-12-31): 2019.1.
    expect(w.version).toBe('2019.1');
    expect((r.policy as unknown as { versions: unknown }).versions).toEqual([
      { version: '2017.1', effective: '2017-08-28', document: '临教发〔2017〕105号' },
      { version: '2019.1', effective: '2019-01-01', document: '假设修订（非真实文件）/ hypothetical revision (not a real document)', hypothetical: true },
    ]);
  });

  it('@VERSION and --as-of choose one version for every record and scope', () => {
    const old = teacher(report(program(folder(), { version: '2017.1' }), WORKED));
    // 2019's 良 record under 2017.1: 21.6 again; no high_level_credits; the 2019 floor is 72.
    expect(old.years['2019']!.credits).toBe(36.6);
    expect(old.high_level_credits).toBeUndefined();
    expect(old.version).toBeUndefined();
    expect(old.violations.filter((v) => v.rule === 'yearly_credits').map((v) => v.required)).toEqual([72, 72, 72, 72, 72]);
    expect(old.violations.some((v) => 'version' in v)).toBe(false);

    const asOf = teacher(report(program(folder(), { asOf: '2018-12-31' }), WORKED));
    expect(asOf).toEqual(old);

    const revised = teacher(report(program(folder(), { version: '2019.1' }), WORKED));
    // Everything under 2019.1: 2018's 良 record is 21.96 too, and both provincial records count: 30 ≥ 30.
    expect(revised.years['2018']!.credits).toBe(36.96);
    expect(revised.high_level_credits).toBe(30);
    expect(revised.violations.some((v) => v.rule === 'cycle_high_level_credits')).toBe(false);
    expect(revised.violations.filter((v) => v.rule === 'yearly_credits').map((v) => v.required)).toEqual([80, 80, 80, 80, 80]);
    expect(teacher(report(program(folder(), { asOf: '2019-01-01' }), WORKED))).toEqual(revised);
  });

  it('a version that takes effect mid-year: records on each side of the date, the year under the later one', () => {
    const midYear = REVISION.replace('effective: 2019-01-01', 'effective: 2019-07-01');
    const p = program(folder({ 'lincang/versions/2019.1.yaml': midYear }));
    const w = teacher(report(p, [
      training({ record_id: 'B1', teacher_id: 'W1', date: '2019-06-30', level: 'county', format: 'short_term', module: 'ethics', days: 2, rate: 1.5, score: 85 }),
      training({ record_id: 'B2', teacher_id: 'W1', date: '2019-07-01', level: 'county', format: 'short_term', module: 'ethics', days: 2, rate: 1.5, score: 85 }),
    ]));
    // 21.6 (2017.1, the day before) + 21.96 (2019.1, from the day) = 43.56; 2019 ends under 2019.1: floor 80.
    expect(w.years['2019']!.credits).toBe(43.56);
    expect(w.violations.find((v) => v.rule === 'yearly_credits' && v.year === 2019)!.required).toBe(80);
  });

  it('the same results on every path: interpreted, generated, in byte chunks, streamed', () => {
    // expectPathsAgree and runAndCheck (in report()) compare them; here on messy generated data too.
    const p = program();
    const sample = readFileSync(new URL('../policies/lincang/sample/records.csv', import.meta.url), 'utf8');
    const teachers = readFileSync(new URL('../policies/lincang/sample/teachers.csv', import.meta.url), 'utf8');
    const text = expectPathsAgree(p, sample, teachers, 1000);
    const json = JSON.parse(text) as ReportJson;
    expect(json.summary.rows_read).toBe(json.summary.evaluated + json.summary.rejected + json.summary.out_of_scope);
    runAndCheck(p, readCsv(sample), readCsv(teachers), { finite: true });
    // And the chosen old version is the policy as it was: the same report as the file alone.
    const file = loadPolicy('only.yaml', LINCANG);
    if (!file.ok) throw new Error('the Lincang policy does not load on its own');
    const alone = compilePolicy(file.value);
    const pinned = program(folder(), { version: '2017.1' });
    expect(JSON.stringify(reportJson(evaluateCsvBytes(pinned, sample, teachers)))).toBe(JSON.stringify(reportJson(evaluateCsvBytes(alone, sample, teachers))));
  });
});

describe('records outside the policy in time', () => {
  const plain = LINCANG.replace(/before_effective:\n(?: {2}.*\n)+/, '');

  it('by default, records dated before the first version are out of scope, with the reason', () => {
    const p = program({ 'lincang/policy.yaml': plain });
    const r = report(p, [
      training({ record_id: 'C1', teacher_id: 'W1', date: '2017-08-27', level: 'county', format: 'short_term', module: 'ethics', days: 2, rate: 1.5, score: 85 }),
      training({ record_id: 'C2', teacher_id: 'W1', date: '2017-08-28', level: 'county', format: 'short_term', module: 'ethics', days: 2, rate: 1.5, score: 85 }),
    ]);
    expect(r.summary).toMatchObject({ rows_read: 2, evaluated: 1, out_of_scope: 1, out_of_scope_by_rule: { before_effective: 1 } });
    expect(teacher(r).credits).toBe(21.6);
  });

  it('`before_effective: evaluate` evaluates them under the first version (as Lincang\'s 2016–2020 cycle needs)', () => {
    const r = report(program({ 'lincang/policy.yaml': LINCANG }), [
      training({ record_id: 'C1', teacher_id: 'W1', date: '2016-03-01', level: 'county', format: 'short_term', module: 'ethics', days: 2, rate: 1.5, score: 85 }),
    ]);
    expect(r.summary).toMatchObject({ rows_read: 1, evaluated: 1, out_of_scope: 0 });
  });

  it('records after the last version\'s end (until:) are out of scope', () => {
    const ending = REVISION.replace('effective: 2019-01-01', 'effective: 2019-01-01\nuntil: 2019-12-31');
    const r = report(program(folder({ 'lincang/versions/2019.1.yaml': ending })), [
      training({ record_id: 'D1', teacher_id: 'W1', date: '2019-12-31', level: 'county', format: 'short_term', module: 'ethics', days: 2, rate: 1.5, score: 85 }),
      training({ record_id: 'D2', teacher_id: 'W1', date: '2020-01-01', level: 'county', format: 'short_term', module: 'ethics', days: 2, rate: 1.5, score: 85 }),
    ]);
    expect(r.summary).toMatchObject({ rows_read: 2, evaluated: 1, out_of_scope: 1, out_of_scope_by_rule: { after_until: 1 } });
  });
});

describe('what a version file may say: located errors', () => {
  const at = (d: Diagnostic, files: Record<string, string>) => files[d.span.file]!.slice(d.span.start, d.span.end);

  it('an override of something the version before does not have, with a did-you-mean', () => {
    const files = folder({ 'lincang/versions/2019.1.yaml': REVISION.replace('min_credits_yearly: { value: 80', 'min_credit_yearly: { value: 80') });
    const [e] = errors(files);
    expect([e!.code, e!.span.file, at(e!, files)]).toEqual(['override-unknown', 'lincang/versions/2019.1.yaml', 'min_credit_yearly']);
    expect(e!.message).toBe("lincang.teacher-training 2017.1 has no parameter 'min_credit_yearly' to change");
    expect(e!.help).toBe("did you mean 'min_credits_yearly'?");
  });

  it('a replaced rule of another kind, a new band without a lower bound', () => {
    const files = folder({
      'lincang/versions/2019.1.yaml': `${REVISION.replace('- { label: 良, coefficient: 0.22', '- { label: 良好, coefficient: 0.22')}rules: |\n  let yearly_credits = 1\n`,
    });
    const es = errors(files);
    expect(es.map((d) => [d.code, at(d, files)])).toEqual([
      ['band-without-from', '{ label: 良好, coefficient: 0.22, cite: 假设修订 第二条 }'],
      ['override-wrong-kind', 'yearly_credits'],
    ]);
  });

  it('versions in a chain: each revises the one before it, later, with one end date at most on the last', () => {
    const third = REVISION.replace('revises: "2017.1"', 'revises: "2017.1"').replace('version: "2019.1"', 'version: "2020.1"').replace('effective: 2019-01-01', 'effective: 2020-01-01');
    const files = folder({ 'lincang/versions/2020.1.yaml': third });
    const [e] = errors(files);
    expect([e!.code, at(e!, files)]).toEqual(['revision-chain', '"2017.1"']);
    expect(e!.help).toBe('write \'revises: "2019.1"\', or correct the effective dates');
    const dup = errors(folder({ 'lincang/versions/again.yaml': REVISION }));
    expect(dup.map((d) => d.code)).toEqual(['duplicate-version']);
  });

  it('a version cannot add fields; a version chosen that does not exist; no version in force', () => {
    const files = folder({ 'lincang/versions/2019.1.yaml': `${REVISION}  record_fields:\n    mentor: { type: text }\n` });
    expect(errors(files).map((d) => d.code)).toEqual(['version-adds-fields']);
    const unknown = errors(folder(), { version: '2018.1' });
    expect([unknown[0]!.code, unknown[0]!.help]).toEqual(['unknown-version', 'versions: 2017.1, 2019.1']);
    const plain = LINCANG.replace(/before_effective:\n(?: {2}.*\n)+/, '');
    expect(errors({ 'lincang/policy.yaml': plain }, { asOf: '2016-01-01' }).map((d) => d.code)).toEqual(['no-version-in-force']);
  });

  it('an override that changes nothing is a warning', () => {
    // 72.0 is 72, and no citation or note of its own: nothing changes.
    const files = folder({ 'lincang/versions/2019.1.yaml': REVISION.replace(/min_credits_yearly: \{ value: 80.*\n/, 'min_credits_yearly: { value: 72.0 }\n') });
    const r = load(files);
    expect(r.ok).toBe(true);
    const w = r.diagnostics.filter((d) => d.code === 'override-unchanged');
    expect(w.map((d) => [d.severity, at(d, files)])).toEqual([['warning', 'min_credits_yearly']]);
  });
});
