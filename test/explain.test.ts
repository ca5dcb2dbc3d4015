// `guize explain`: one teacher's results, step by step, from the program `eval` runs compiled with a
// trace sink. Every number explain gives is checked against `guize eval --format json` (which runs
// the generated code, a path that shares no tracing with explain); worked cases check the
// arithmetic by hand (in the comments); the teacher's rows are found here from the CSV text.

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { guize, tempFolder } from './support/cli.ts';
import { compilePolicy, Evaluation, SubjectExplainer, type Explanation, type RecordExplanation, type TraceNode } from '../engine/index.ts';
import { csv, lincang, teachersCsv, training, type ReportJson, type TeacherJson } from './support/lincang.ts';

const ROOT = path.resolve(__dirname, '..');
const SAMPLE = path.join(ROOT, 'policies/lincang/sample');
const RECORDS = path.join(SAMPLE, 'records.csv');
const TEACHERS = path.join(SAMPLE, 'teachers.csv');
const LINCANG = path.join(ROOT, 'policies/lincang');
const COUNTY = path.join(ROOT, 'policies/lincang-county');

const folder = tempFolder('guize-explain-');
const write = folder.write;

async function explainJson(...argv: string[]): Promise<Explanation> {
  const r = await guize('explain', ...argv, '--format', 'json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Explanation;
}

async function evalJson(...argv: string[]): Promise<ReportJson> {
  const r = await guize('eval', ...argv, '--format', 'json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as ReportJson;
}

/** The lines (1-based, header = 1) of a plain CSV file whose `teacher_id` column is `id`: read here, not by the engine. */
function linesOf(file: string, id: string): number[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const col = lines[0]!.split(',').indexOf('teacher_id');
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (i > 0 && l !== '' && l.split(',')[col]!.trim() === id) out.push(i + 1);
  });
  return out;
}

const row = (doc: Explanation, line: number): RecordExplanation => doc.records.rows.find((r) => r.line === line)!;
const step = (r: RecordExplanation, id: string) => r.steps.find((s) => s.let === id)!;
const checks = (doc: Explanation) => doc.scopes.flatMap((s) => s.checks.map((c) => ({ ...c, period: s.period, version: s.version })));

/** Every node of a trace, depth first. */
function nodes(t: TraceNode): TraceNode[] {
  return [t, ...t.args.flatMap((a) => (a ? nodes(a) : []))];
}

/** The measures of one teacher's eval entry (a year's, or the cycle's), without the rest. */
function measuresOf(entry: Record<string, unknown>, ids: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(ids.map((id) => [id, entry[id]]));
}

describe('explain agrees with eval on the sample', () => {
  let report: ReportJson;
  let ids: string[];
  beforeAll(async () => {
    report = await evalJson('--policy', LINCANG, '--records', RECORDS, '--teachers', TEACHERS);
    ids = fs.readFileSync(TEACHERS, 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split(',')[0]!);
  });

  it('for every teacher: compliance, measures per year and cycle, violations, record counts, rejected rows', async () => {
    expect(ids).toHaveLength(40);
    for (const id of ids) {
      const doc = await explainJson('--policy', LINCANG, '--records', RECORDS, '--teachers', TEACHERS, '--teacher', id);
      const t = report.teachers.find((x) => x.teacher_id === id)! as TeacherJson & Record<string, unknown>;
      expect(doc.subject.id).toBe(id);
      expect(doc.compliant).toBe(t.compliant);
      const measureIds = doc.measures.map((m) => m.id);
      const cycle = doc.scopes.find((s) => s.period === null)!;
      expect(cycle.measures).toEqual(measuresOf(t, measureIds));
      for (const s of doc.scopes.filter((x) => x.period !== null)) {
        expect(s.measures).toEqual(measuresOf(t.years[String(s.period)]! as Record<string, unknown>, measureIds));
      }
      // The failed checks are exactly eval's violations, with the same numbers, articles and versions.
      const failed = doc.shortfalls.map((c) => ({ rule: c.rule, key: c.key ?? undefined, year: c.period, actual: c.actual, required: c.required, article: c.article, version: c.version }));
      const violations = t.violations.map((v) => ({ rule: v.rule, key: v.key, year: v.year, actual: v.actual, required: v.required, article: v.article, version: (v as { version?: string }).version }));
      expect(failed).toEqual(violations);
      expect(checks(doc).filter((c) => c.status === 'violated' || c.status === 'unknown')).toHaveLength(t.violations.length);
      const recs = (t as unknown as { records: { evaluated: number; disregarded: number } }).records;
      expect(doc.records.summary.evaluated).toBe(recs.evaluated);
      expect(doc.records.summary.disregarded).toBe(recs.disregarded);
      // Every row of the teacher in the file, in file order; the rejected ones are eval's rejected rows on those lines.
      const lines = linesOf(RECORDS, id);
      expect(doc.records.rows.map((r) => r.line)).toEqual(lines);
      const rejected = report.rejected.filter((x) => lines.includes(x.line));
      expect(doc.records.rows.filter((r) => r.status === 'rejected').map((r) => ({ line: r.line, reason: r.outcome!.reason_text, rule: r.outcome!.rule })))
        .toEqual(rejected.map((x) => ({ line: x.line, reason: x.reason, rule: x.rule })));
      const s = doc.records.summary;
      expect(s.rows).toBe(s.evaluated + s.rejected + s.out_of_scope);
      expect(s.evaluated).toBe(s.counted + s.disregarded);
      // A counted record's contributions add up to the cycle's totals of each plain sum (credits, hours).
      for (const m of ['credits', 'hours']) {
        const sum = doc.records.rows.flatMap((r) => r.contributions).filter((c) => c.measure === m).reduce((a, c) => a + Math.round(Number(c.amount) * 1e6), 0);
        expect(Math.round(sum / 1e4) / 100).toBe(t[m]);
      }
    }
  }, 120_000);

  it('tells the non-compliant T00002 exactly what they lack: 2018 class management, 6 − 4.125 = 1.875 credits', async () => {
    const doc = await explainJson('--policy', LINCANG, '--records', RECORDS, '--teachers', TEACHERS, '--teacher', 'T00002');
    expect(doc.compliant).toBe(false);
    expect(doc.shortfalls).toHaveLength(1);
    const s = doc.shortfalls[0]!;
    expect(s).toMatchObject({ rule: 'yearly_module_credits', key: 'class_management', period: 2018, status: 'violated', actual: 4.13, required: 6, shortfall: 1.88, shortfall_exact: '1.875', version: '2017.1', article: '管理办法 第十一条' });
    expect(s.message).toEqual({
      zh: '2018年 模块年度学分（class_management）还差 1.875 学分',
      en: '2018: yearly credits of the module (class_management) needs 1.875 more credits',
    });
    // The 2018 class-management credits are the contributions of the teacher's 2018 rows.
    const sum = doc.records.rows.flatMap((r) => r.contributions).filter((c) => c.measure === 'modules' && c.key === 'class_management' && c.period === 2018);
    expect(sum.map((c) => c.amount).reduce((a, b) => a + Number(b), 0)).toBeCloseTo(4.125, 9);
  });

  it('explains a listed teacher with no records: every floor unmet, nothing counted', async () => {
    const doc = await explainJson('--policy', LINCANG, '--records', RECORDS, '--teachers', TEACHERS, '--teacher', 'T00026');
    const t = report.teachers.find((x) => x.teacher_id === 'T00026')!;
    expect(doc.records.rows).toEqual([]);
    expect(doc.shortfalls).toHaveLength(t.violations.length);
    expect(doc.shortfalls.find((c) => c.rule === 'cycle_hours')).toMatchObject({ actual: 0, required: 360, shortfall: 360 });
  });
});

describe('worked cases', () => {
  // T1, not new. Line 2: county short-term training in 2018, 3 days, rate 1.2, score 85 (良):
  //   training_hours = days 3 × hours_per_day 6 = 18; credits = 1.2 × 18 × (1 + 0.2) = 25.92 (第十条).
  // Line 3: the same but not in the information system: disregarded (第二十条).
  // Line 4: a school-level rate of 0.4, outside 0.5–1: rejected (第十条).
  // Line 5: repeats line 2's record id: rejected as a duplicate (第十五条).
  // Line 6: level "regional" is no level: rejected before it can run.
  // Line 7: dated 2021, after the cycle: out of scope.
  // Line 8: another teacher's record: not in T1's explanation.
  const rows = [
    training({ record_id: 'A1', teacher_id: 'T1', date: '2018-03-05', level: 'county', format: 'short_term', module: 'ability', days: 3, rate: 1.2, score: 85 }),
    training({ record_id: 'A2', teacher_id: 'T1', date: '2018-04-05', level: 'county', format: 'short_term', module: 'ability', days: 3, rate: 1.2, score: 85, in_system: false }),
    training({ record_id: 'A3', teacher_id: 'T1', date: '2018-05-05', level: 'school', format: 'school_based', module: 'school_based', hours: 10, rate: 0.4, score: 85 }),
    training({ record_id: 'A1', teacher_id: 'T1', date: '2018-06-05', level: 'county', format: 'short_term', module: 'ability', days: 1, rate: 1, score: 85 }),
    training({ record_id: 'A5', teacher_id: 'T1', date: '2018-07-05', level: 'regional', format: 'short_term', module: 'ability', days: 1, rate: 1, score: 85 }),
    training({ record_id: 'A6', teacher_id: 'T1', date: '2021-03-05', level: 'county', format: 'short_term', module: 'ability', days: 1, rate: 1, score: 85 }),
    training({ record_id: 'B1', teacher_id: 'T2', date: '2018-03-05', level: 'county', format: 'short_term', module: 'ability', days: 1, rate: 1, score: 85 }),
  ];
  let records = '';
  let doc: Explanation;
  beforeAll(async () => {
    records = write('worked.csv', csv(rows));
    doc = await explainJson('--policy', `${LINCANG}@2017.1`, '--records', records, '--teacher', 'T1');
  });

  it('a counted record: rate 1.2 × 18 hours × (1 + 0.2 for 良) = 25.92 credits, step by step, citing the articles', () => {
    const r = row(doc, 2);
    expect(r).toMatchObject({ key: 'A1', status: 'counted', version: '2017.1', period: 2018, outcome: null });
    expect(step(r, 'training_hours')).toMatchObject({ value: '18', unit: { zh: '学时', en: 'hours' }, article: '管理办法 第九条' });
    const credits = step(r, 'training_credits');
    expect(credits).toMatchObject({ value: '25.92', unit: { zh: '学分', en: 'credits' }, article: '管理办法 第十条; 管理办法 第十三条' });
    // if passed then rate * training_hours * (1 + grade(score).coefficient): the condition and the branch taken.
    expect(credits.trace.kind).toBe('if');
    expect(credits.trace.args[0]).toMatchObject({ kind: 'let', name: 'passed', value: true });
    expect(credits.trace.args[2]).toBeNull();
    const band = nodes(credits.trace).find((n) => n.kind === 'band')!;
    expect(band).toMatchObject({ name: 'grade', column: 'coefficient', band: '良', value: '0.2' });
    expect(band.args[0]).toMatchObject({ kind: 'field', name: 'score', value: '85' });
    expect(nodes(credits.trace).filter((n) => n.kind === 'field' || n.kind === 'let').map((n) => [n.name, n.value])).toEqual([['passed', true], ['rate', '1.2'], ['training_hours', '18'], ['score', '85']]);
    // rate_min comes from the county row of rate_range (第十条).
    expect(step(r, 'rate_min').trace.args[2]).toMatchObject({ kind: 'lookup', name: 'rate_range', key: 'county', column: 'min', value: '1' });
    // Which totals it went into: 25.92 credits to credits, modules[ability] and elective credits; 18 hours.
    const into = Object.fromEntries(r.contributions.filter((c) => c.amount !== '0').map((c) => [`${c.measure}${c.key ? `[${c.key}]` : ''}`, c.amount]));
    expect(into).toEqual({ credits: '25.92', hours: '18', county_hours: '18', 'modules[ability]': '25.92', elective_credits: '25.92' });
    expect(r.contributions.every((c) => c.period === 2018)).toBe(true);
  });

  it('a disregarded, a rejected (rule, duplicate, undecodable) and an out-of-scope record, with rule, reason and article', () => {
    expect(row(doc, 3)).toMatchObject({ status: 'disregarded', contributions: [], outcome: { rule: 'not_in_system', article: '管理办法 第二十条', reason: { zh: '未录入信息管理系统', en: 'not entered in the information system' } } });
    expect(row(doc, 3).outcome!.when).toMatchObject({ kind: 'operator', name: 'not', value: true, args: [{ kind: 'field', name: 'in_system', value: false }] });
    expect(row(doc, 4)).toMatchObject({ status: 'rejected', outcome: { rule: 'rate_out_of_range', article: '管理办法 第十条', reason: { zh: '项目学分 0.4 超出第十条规定的范围 0.5–1', en: 'credit rate 0.4 is outside 0.5–1 (article 10)' } } });
    expect(row(doc, 5)).toMatchObject({ status: 'rejected', key: 'A1', fields: null, outcome: { rule: 'record_id', reason: { zh: '重复的 record_id（首次出现在第 2 行）', en: 'duplicate record_id (first on line 2)' } } });
    expect(row(doc, 6)).toMatchObject({ status: 'rejected', key: 'A5', fields: null, outcome: { rule: 'level' } });
    expect(row(doc, 7)).toMatchObject({ status: 'out_of_scope', outcome: { rule: 'outside_cycle', article: '管理办法 第九条' } });
    expect(doc.records.summary).toEqual({ rows: 6, evaluated: 2, counted: 1, disregarded: 1, rejected: 3, out_of_scope: 1 });
  });

  it('the counts and rejected rows agree with eval for the teacher', async () => {
    const report = await evalJson('--policy', `${LINCANG}@2017.1`, '--records', records);
    const t = report.teachers.find((x) => x.teacher_id === 'T1')! as unknown as { records: { evaluated: number; disregarded: number }; credits: number };
    expect(doc.records.summary.evaluated).toBe(t.records.evaluated);
    expect(doc.records.summary.disregarded).toBe(t.records.disregarded);
    expect(report.rejected.filter((x) => linesOf(records, 'T1').includes(x.line)).map((x) => x.line)).toEqual([4, 5, 6]);
    expect(t.credits).toBe(25.92);
  });

  it('what the teacher lacks, in words: 2018 has 18 of 72 hours, 54.00 short', () => {
    const c = doc.shortfalls.find((x) => x.rule === 'yearly_hours' && x.period === 2018)!;
    expect(c).toMatchObject({ status: 'violated', actual: 18, required: 72, shortfall: 54, op: '>=', unit: { zh: '学时', en: 'hours' } });
    expect(c.message).toEqual({ zh: '2018年 每年学时不少于72还差 54.00 学时', en: '2018: at least 72 hours a year needs 54.00 more hours' });
    // 2016 has nothing: 0 of 72 credits. The cycle's credit floor: 360 × counted_years 5 ÷ cycle_length 5 = 360.
    const cycle = doc.shortfalls.find((x) => x.rule === 'cycle_credits')!;
    expect(cycle).toMatchObject({ period: null, actual: 25.92, required: 360, shortfall: 334.08, shortfall_exact: '334.08' });
    expect(nodes(cycle.required_trace!).filter((n) => n.kind !== 'operator').map((n) => [n.name, n.value])).toEqual([['min_credits_cycle', '360'], ['counted_years', '5'], ['cycle_length', '5']]);
    // Met checks are listed too: the 2018 ability floor of 24 is met by 25.92.
    expect(checks(doc).find((x) => x.rule === 'yearly_module_credits' && x.key === 'ability' && x.period === 2018)).toMatchObject({ status: 'met', actual: 25.92, required: 24, shortfall: null });
  });

  it('a new teacher: the hire year is not applicable, with the condition that says so', async () => {
    const teachers = write('teachers-new.csv', teachersCsv([{ teacher_id: 'T1', hired_on: '2018-09-01' }]));
    const d = await explainJson('--policy', `${LINCANG}@2017.1`, '--records', records, '--teachers', teachers, '--teacher', 'T1');
    const c = checks(d).find((x) => x.rule === 'yearly_hours' && x.period === 2018)!;
    expect(c.status).toBe('not_applicable');
    expect(c.when).toMatchObject({ kind: 'let', name: 'counted_period', value: false });
    // counted_years = cycle_to 2020 − year(hired_on) 2018 = 2: the cycle floor is 360 × 2 ÷ 5 = 144.
    expect(checks(d).find((x) => x.rule === 'cycle_credits')).toMatchObject({ status: 'violated', actual: 25.92, required: 144 });
    expect(d.scopes.find((s) => s.period === null)!.steps.find((s) => s.let === 'counted_years')).toMatchObject({ value: '2' });
  });

  it('text, in both languages', async () => {
    const zh = await guize('explain', '--policy', `${LINCANG}@2017.1`, '--records', records, '--teacher', 'T1');
    expect(zh.code).toBe(0);
    expect(zh.out).toContain('training_credits = passed true ✓ → rate 1.2 × training_hours 18 × (1 + grade(score 85).coefficient 0.2〔良〕) = 25.92 学分');
    expect(zh.out).toContain('training_hours = (format short_term == short_term ✓ and days 3 is present ✓) ✓ → days 3 × hours_per_day 6 = 18 学时');
    expect(zh.out).toContain('✗ 2018年 每年学时不少于72还差 54.00 学时  [管理办法 第九条 · 2017.1]');
    expect(zh.out).toContain('第 3 行 A2 2018-04-05 [2017.1]: 不计 — 未录入信息管理系统（not_in_system，管理办法 第二十条）');
    const en = await guize('explain', '--policy', `${LINCANG}@2017.1`, '--records', records, '--teacher', 'T1', '--lang', 'en');
    expect(en.out).toContain('✗ 2018: at least 72 hours a year needs 54.00 more hours  [管理办法 第九条 · 2017.1]');
    expect(en.out).toContain('line 7 A6 2021-03-05 [2017.1]: out of scope — outside the cycle (outside_cycle, 管理办法 第九条)');
    expect(en.out).toContain('Records (6 rows: 1 counted, 1 disregarded, 3 rejected, 1 out of scope)');
  });
});

describe('versions and forks', () => {
  it('a record under 2019.1 takes its coefficient for 良 (0.22), and says which version wrote it', async () => {
    // 2019 county online training: 10 hours × rate 1 × (1 + 0.22) = 12.2 credits; the 2018 one: 10 × 1 × 1.2 = 12.
    const records = write('versions.csv', csv([
      training({ record_id: 'V1', teacher_id: 'T1', date: '2018-06-01', level: 'county', format: 'online', module: 'ability', hours: 10, rate: 1, score: 85 }),
      training({ record_id: 'V2', teacher_id: 'T1', date: '2019-06-01', level: 'county', format: 'online', module: 'ability', hours: 10, rate: 1, score: 85 }),
    ]));
    const doc = await explainJson('--policy', LINCANG, '--records', records, '--teacher', 'T1');
    expect(doc.policy.versions?.map((v) => v.version)).toEqual(['2017.1', '2019.1']);
    const [r2018, r2019] = [row(doc, 2), row(doc, 3)];
    expect(r2018.version).toBe('2017.1');
    expect(step(r2018, 'training_credits').value).toBe('12');
    expect(r2019.version).toBe('2019.1');
    expect(step(r2019, 'training_credits').value).toBe('12.2');
    expect(nodes(step(r2019, 'training_credits').trace).find((n) => n.kind === 'band' && n.column === 'coefficient')).toMatchObject({ band: '良', value: '0.22', version: '2019.1' });
    const band = doc.rules.find((u) => u.kind === 'band' && u.item === 'grade/良' && u.version === '2019.1')!;
    expect(band).toMatchObject({ origin: 'own', written_by: { policy: 'lincang.teacher-training', version: '2019.1', file: expect.stringContaining('versions/2019.1.yaml') }, article: '假设修订 第二条' });
    expect(doc.rules.find((u) => u.kind === 'band' && u.item === 'grade/良' && u.version === '2017.1')).toMatchObject({ written_by: { version: '2017.1' } });
    // The 2019 yearly credit floor is 80 under 2019.1, 72 in 2018 under 2017.1.
    expect(checks(doc).filter((c) => c.rule === 'yearly_credits').map((c) => [c.period, c.version, c.required])).toEqual([[2016, '2017.1', 72], [2017, '2017.1', 72], [2018, '2017.1', 72], [2019, '2019.1', 80], [2020, '2019.1', 80]]);
    // A requirement only 2019.1 has is not listed for the years under 2017.1.
    expect(checks(doc).filter((c) => c.rule === 'cycle_high_level_credits').map((c) => c.period)).toEqual([null]);
  });

  it("a teacher outside a fork's own subjects: out of scope, every record too, no requirement", async () => {
    // T00001 is of county 530902, not the fork's 530925.
    const doc = await explainJson('--policy', COUNTY, '--records', RECORDS, '--teachers', TEACHERS, '--teacher', 'T00001');
    expect(doc.subject).toMatchObject({ in_scope: false, listed: true, scope_rule: { rule: 'other_county', article: '假设细则 第二条' } });
    expect(doc.compliant).toBeNull();
    expect(doc.scopes).toEqual([]);
    expect(doc.records.rows.length).toBe(linesOf(RECORDS, 'T00001').length);
    expect(doc.records.rows.every((r) => r.status === 'out_of_scope' && r.outcome?.rule === 'other_county')).toBe(true);
    const text = await guize('explain', '--policy', COUNTY, '--records', RECORDS, '--teachers', TEACHERS, '--teacher', 'T00001', '--lang', 'en');
    expect(text.out).toContain("Not within this policy's scope");
  });

  it("a fork's teacher: the county's own and overridden items, and the parent's inherited ones, agreeing with eval", async () => {
    const report = await evalJson('--policy', COUNTY, '--records', RECORDS, '--teachers', TEACHERS);
    const doc = await explainJson('--policy', COUNTY, '--records', RECORDS, '--teachers', TEACHERS, '--teacher', 'T00016');
    const t = report.teachers.find((x) => x.teacher_id === 'T00016')!;
    expect(doc.compliant).toBe(t.compliant);
    expect(doc.shortfalls.map((c) => [c.rule, c.key, c.period, c.actual, c.required])).toEqual(t.violations.map((v) => [v.rule, v.key ?? null, v.year, v.actual, v.required]));
    const origin = (kind: string, item: string) => doc.rules.find((u) => u.kind === kind && u.item === item)?.origin;
    expect(origin('row', 'rate_range[school]')).toBe('overridden');
    expect(origin('rule', 'yearly_ethics_hours')).toBe('own');
    expect(origin('rule', 'training_credits')).toBe('inherited');
  });
});

describe('formats and the command line', () => {
  it('html: a fragment inside a standalone page, well-formed and escaped', async () => {
    const records = write('html.csv', csv([training({ record_id: 'R<b>&"1', teacher_id: 'T1', date: '2018-03-05', level: 'county', format: 'short_term', module: 'ability', days: 3, rate: 1.2, score: 85 })]));
    const r = await guize('explain', '--policy', `${LINCANG}@2017.1`, '--records', records, '--teacher', 'T1', '--format', 'html');
    expect(r.code).toBe(0);
    expect(r.out.startsWith('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">')).toBe(true);
    expect(r.out).toContain('R&lt;b&gt;&amp;&quot;1');
    expect(r.out).not.toContain('<b>');
    expect(r.out).not.toMatch(/(src|href)=/);
    // Every element closes, in order (void elements aside).
    const stack: string[] = [];
    for (const m of r.out.replace('<!DOCTYPE html>', '').replace(/<style>[^<]*<\/style>/, '').matchAll(/<(\/?)([a-z0-9]+)[^>]*>/g)) {
      const [, close, name] = m;
      if (name === 'br' || name === 'meta') continue;
      if (close) expect(stack.pop()).toBe(name);
      else stack.push(name!);
    }
    expect(stack).toEqual([]);
    const doc = await explainJson('--policy', `${LINCANG}@2017.1`, '--records', records, '--teacher', 'T1');
    const { explanationHtml } = await import('../engine/index.ts');
    const fragment = explanationHtml(doc, 'en');
    expect(fragment.startsWith('<section class="guize-explain" lang="en">')).toBe(true);
    expect(fragment).not.toMatch(/<html|<body/);
    expect(fragment).toContain('yearly credits of the module (ability)');
  });

  it('an unknown teacher is a bilingual error, exit 2, naming near matches', async () => {
    const r = await guize('explain', '--policy', LINCANG, '--records', RECORDS, '--teacher', 'T0002');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe("错误 error: 输入文件中没有 teacher_id 为 'T0002' 的行 / no row of the input names teacher_id 'T0002'；相近的有 T00002, T00012, T00020 / did you mean T00002, T00012, T00020?\n");
  });

  it('bad options are exit 2; --help explains the command', async () => {
    expect((await guize('explain', '--policy', LINCANG, '--records', RECORDS)).code).toBe(2);
    expect((await guize('explain', '--policy', LINCANG, '--records', RECORDS, '--teacher', 'T00002', '--format', 'pdf')).err).toContain("unknown --format 'pdf'");
    expect((await guize('explain', '--policy', LINCANG, '--records', RECORDS, '--teacher', 'T00002', '--lang', 'fr')).code).toBe(2);
    const help = await guize('explain', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('guize explain — one teacher');
    expect((await guize('help')).out).toContain('guize explain --policy');
  });
});

describe('the trace is instrumentation of the same program', () => {
  it('eval is not instrumented: its program has no sink and runs as generated code, also while a subject is traced', () => {
    const program = lincang();
    expect(program.trace).toBeUndefined();
    expect(new Evaluation(program).compiled).toBe(true);
    const explainer = new SubjectExplainer(program, 'T1');
    expect(explainer.traced.trace).toBeDefined();
    expect(new Evaluation(program, { trace: explainer }).compiled).toBe(true);
    expect(new Evaluation(explainer.traced).compiled).toBe(false);
    // The traced program numbers its aggregates as the program does, so its contributions land in the same totals.
    expect(explainer.traced.aggregateNodes).toEqual(program.aggregateNodes);
    expect(compilePolicy(program.checked).aggregates.map((a) => a.owner)).toEqual(explainer.traced.aggregates.map((a) => a.owner));
  });
});
