// Forks: a county's policy written as a change on the city's (`extends:`), following the city's
// versions; its own subjects, the ranges the city lets it choose within, provenance, and drift.
// Expected numbers are worked out by hand in the comments; counts over the sample are counted
// here from the CSV text, not by the engine.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicySet, memoryFiles, provenanceOf, type Diagnostic, type SourceFile } from '../dsl/index.ts';
import { compilePolicy, type Program } from '../engine/index.ts';
import { expectPathsAgree } from './support/fuzz.ts';
import { csv, training, type ReportJson } from './support/lincang.ts';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const LINCANG = read('policies/lincang/policy.yaml');
const REVISION = read('policies/lincang/versions/2019.1.yaml');
const COUNTY = read('policies/lincang-county/policy.yaml');

/** The city's folder and the county's, in memory, with extra or replaced files. */
function files(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'policies/lincang/policy.yaml': LINCANG, 'policies/lincang/versions/2019.1.yaml': REVISION,
    'policies/lincang-county/policy.yaml': COUNTY, ...extra,
  };
}

function load(texts: Record<string, string>, path = 'policies/lincang-county') {
  return loadPolicySet(memoryFiles(texts), path);
}

function program(texts: Record<string, string> = files()): Program {
  const r = load(texts).result;
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return compilePolicy(r.value.checked);
}

/** The county's file with one edit (which must apply exactly once). */
function county(from: string, to: string): Record<string, string> {
  expect(COUNTY.split(from)).toHaveLength(2);
  return files({ 'policies/lincang-county/policy.yaml': COUNTY.replace(from, to) });
}

const codes = (ds: readonly Diagnostic[]) => ds.map((d) => d.code);
const at = (texts: Record<string, string>, d: Diagnostic) => texts[d.span.file]!.slice(d.span.start, d.span.end);

describe('the sample county fork', () => {
  it('loads with no diagnostics, once per city version in force from its date', () => {
    const r = load(files()).result;
    expect(r.diagnostics).toEqual([]);
    if (!r.ok) return;
    expect(r.value.versions.map((v) => [v.ast.version, v.ast.effective])).toEqual([['2018.1+2017.1', '2018-03-01'], ['2018.1+2019.1', '2019-01-01']]);
    // Its own words: the narrowed row and the new requirement cite the county's document.
    const last = r.value.versions[1]!.ast;
    const rates = last.tables.find((t) => t.id === 'rate_range');
    expect(rates?.kind === 'keyed' && rates.rows.find((x) => x.key === 'school')).toMatchObject({ cells: { min: '0.8', max: '1' }, cites: ['假设细则 第三条'] });
    expect(last.rules.statements.find((s) => s.id === 'yearly_ethics_hours')?.cites).toEqual(['假设细则 第四条']);
  });

  it('evaluates only its own teachers on the sample, and the counts add up', () => {
    const teachers = read('policies/lincang/sample/teachers.csv');
    const records = read('policies/lincang/sample/records.csv');
    const lines = teachers.trim().split('\n').slice(1).map((l) => l.split(','));
    const own = lines.filter((c) => c[2] === '530925').map((c) => c[0]!);
    expect(own).toHaveLength(8);
    // Rows of the records file that name a teacher of another county (or of none listed).
    const rows = records.trim().split('\n').slice(1);
    const others = rows.filter((l) => !own.includes(l.split(',')[1]!)).length;
    const json = JSON.parse(expectPathsAgree(program(), records, teachers)) as ReportJson & { summary: Record<string, unknown> };
    expect(json.teachers.map((t) => t.teacher_id)).toEqual(own);
    const s = json.summary as unknown as { rows_read: number; evaluated: number; rejected: number; out_of_scope: number; out_of_scope_by_rule: Record<string, number>; teachers_file: unknown };
    expect(s.rows_read).toBe(rows.length);
    expect(s.evaluated + s.rejected + s.out_of_scope).toBe(s.rows_read);
    // Every row of anyone else is out of scope, unless it could not be read at all (rejected
    // before any rule: no teacher, a bad date …) — those name no teacher of this county either.
    expect(s.out_of_scope_by_rule.other_county).toBeLessThanOrEqual(others);
    expect(others - s.out_of_scope_by_rule.other_county!).toBe(json.rejected.filter((x) => x.rule !== 'rate_out_of_range' && !own.includes(rows[(x.line as number) - 2]!.split(',')[1]!)).length);
    expect(s.teachers_file).toEqual({ rows_read: 40, accepted: 8, rejected: 0, out_of_scope: 32 });
  });

  it("names, per violation, whose rule it is and the file and line it is written on", () => {
    const json = JSON.parse(expectPathsAgree(program(), read('policies/lincang/sample/records.csv'), read('policies/lincang/sample/teachers.csv'))) as ReportJson;
    const texts = files();
    // Where `require <id>` is written, found in the text here: the county's own file first.
    const lineOf = (id: string): [string, string, number] => {
      for (const [file, origin] of [['policies/lincang-county/policy.yaml', 'own'], ['policies/lincang/versions/2019.1.yaml', 'inherited'], ['policies/lincang/policy.yaml', 'inherited']] as const) {
        const n = texts[file]!.split('\n').findIndex((l) => new RegExp(`^\\s*require ${id}\\b`).test(l));
        if (n >= 0) return [file, origin, n + 1];
      }
      throw new Error(id);
    };
    const violations = json.teachers.flatMap((t) => t.violations as unknown as { rule: string; origin: string; source: string }[]);
    expect(violations.length).toBeGreaterThan(0);
    for (const v of violations) {
      const [file, origin, line] = lineOf(v.rule);
      expect([v.rule, v.origin, v.source]).toEqual([v.rule, origin, `${file}:${line}`]);
    }
    // A row rejected by a rule says so too: the county's rate rule replaces the city's (overridden),
    // on the line the county writes it; a value that does not fit its field is no rule's.
    const rateLine = texts['policies/lincang-county/policy.yaml']!.split('\n').findIndex((l) => l.startsWith('  reject rate_out_of_range')) + 1;
    const rejected = json.rejected as unknown as { rule: string | null; origin?: string; source?: string }[];
    expect(rejected.some((x) => x.rule === 'rate_out_of_range')).toBe(true);
    for (const x of rejected) {
      if (x.rule === 'rate_out_of_range') expect([x.origin, x.source]).toEqual(['overridden', `policies/lincang-county/policy.yaml:${rateLine}`]);
      else expect(x.origin).toBeUndefined();
    }
    // The city's own report names no origin: it extends nothing.
    const city = loadPolicySet(memoryFiles(texts), 'policies/lincang').result;
    if (!city.ok) throw new Error('city');
    const cityJson = JSON.parse(expectPathsAgree(compilePolicy(city.value.checked), read('policies/lincang/sample/records.csv'), undefined)) as ReportJson;
    for (const t of cityJson.teachers) for (const v of t.violations) expect(Object.keys(v)).not.toContain('origin');
  });

  // A county teacher C1 and another county's teacher X1, one school-based record each, 2017-05-01:
  // rate 0.6 is inside the city's school range 0.5–1 but outside the county's 0.8–1.
  it("rejects a rate outside the county's narrower range, in the county's words, and leaves others out of scope", () => {
    const rec = (id: string, teacher: string) => training({ record_id: id, teacher_id: teacher, date: '2017-05-01', level: 'school', format: 'school_based', module: 'school_based', hours: 10, rate: 0.6, score: 90 });
    const teachers = 'teacher_id,school_id,county_id,hired_on\nC1,S1,530925,\nX1,S2,530902,\n';
    const json = JSON.parse(expectPathsAgree(program(), csv([rec('A1', 'C1'), rec('A2', 'X1')]), teachers)) as ReportJson & { summary: { out_of_scope_by_rule: Record<string, number> } };
    expect(json.rejected).toEqual([{
      record_id: 'A1', file: 'records', line: 2, rule: 'rate_out_of_range', article: '管理办法 第十条; 假设细则 第三条',
      reason: "项目学分 0.6 超出本县规定的范围 0.8–1 / credit rate 0.6 is outside the county's range 0.8–1",
      origin: 'overridden', source: 'policies/lincang-county/policy.yaml:44',
    }]);
    expect(json.summary.out_of_scope_by_rule).toEqual({ other_county: 1 });
    expect(json.teachers.map((t) => t.teacher_id)).toEqual(['C1']);
  });

  it("adds its own yearly requirement: 4 h of ethics in 2017 is below the county's 6", () => {
    // C1, 2017: one county short-term ethics training of 4 hours (hours given, no days).
    const records = csv([training({ record_id: 'E1', teacher_id: 'C1', date: '2017-05-01', level: 'county', format: 'online', module: 'ethics', hours: 4, rate: 1, score: 90 })]);
    const json = JSON.parse(expectPathsAgree(program(), records, 'teacher_id,school_id,county_id,hired_on\nC1,S1,530925,\n')) as ReportJson;
    const v = json.teachers[0]!.violations.find((x) => x.rule === 'yearly_ethics_hours' && x.year === 2017);
    expect(v).toMatchObject({ actual: 4, required: 6, article: '假设细则 第四条' });
    expect(v?.message).toBe('每年师德学时不少于6：2017年实际 4.00学时，要求不少于 6.00学时 / at least 6 hours of ethics a year: 2017 has 4.00 hours, requires at least 6.00 hours');
  });
});

describe('limits a parent sets its forks', () => {
  it("a fork's rate below the city's row range is a located error naming the city's article", () => {
    const texts = county('school: { min: 0.8,', 'school: { min: 0.4,');
    const r = load(texts).result;
    expect(r.ok).toBe(false);
    const d = r.diagnostics.find((x) => x.code === 'fork-out-of-range')!;
    expect(d.span.file).toBe('policies/lincang-county/policy.yaml');
    expect(at(texts, d)).toBe('0.4');
    expect(d.message).toBe("'min' of row 'school' of table 'rate_range' is 0.4, outside the range 0.5–1 that lincang.teacher-training 2017.1 lets a fork choose within (管理办法 第十条)");
    expect(d.zh).toBe("表 'rate_range' 行 'school' 的 'min' 为 0.4，超出 lincang.teacher-training 2017.1 允许分支选择的范围 0.5–1（管理办法 第十条）");
  });

  it('the ends of the range are allowed; a parameter under a range is held to it too', () => {
    expect(load(county('school: { min: 0.8,', 'school: { min: 0.5,')).result.ok).toBe(true);
    const texts = county('tables:\n  rate_range:', 'parameters:\n  online_rate_max: { value: 1.2, cite: 假设细则 第五条 }\n\ntables:\n  rate_range:');
    const r = load(texts).result;
    expect(codes(r.diagnostics)).toEqual(['fork-out-of-range']);
    expect(at(texts, r.diagnostics[0]!)).toBe('1.2');
  });

  it('a range that makes no sense where it is declared is an error there', () => {
    const bad = LINCANG.replace('fork_range: { min: [min, max], max: [min, max] }', 'fork_range: { mni: [min, max], max: [max, min] }');
    const r = loadPolicySet(memoryFiles({ 'p/policy.yaml': bad }), 'p').result;
    // `mni` is no column; `max: [max, min]` runs backwards, so no row's max (above its min) fits.
    expect(codes(r.diagnostics)).toEqual(Array(6).fill('fork-range-invalid'));
    expect(r.diagnostics.slice(0, 2).map((d) => d.message)).toEqual([
      "'mni' is not a number column of table 'rate_range'",
      "'max' of row 'school' of table 'rate_range' is 1, outside its own fork range 1–0.5",
    ]);
  });
});

describe('subjects', () => {
  it('the condition may read only subject fields', () => {
    const texts = county('where: county_id == "530925"', 'where: county_id == "530925" and level == school');
    const r = load(texts).result;
    expect(codes(r.diagnostics.filter((d) => d.severity === 'error'))).toEqual(['scope-not-subject']);
    expect(at(texts, r.diagnostics.find((d) => d.code === 'scope-not-subject')!)).toBe('level');
  });
});

describe("a fork's own versions", () => {
  // The county revises itself from 2020-01-01: 8 hours of ethics a year (was 6).
  const REVISION_2020 = `revises: "2018.1"
version: "2020.1"
effective: 2020-01-01
document: 假设县级细则修订（非真实文件）
change: 每年师德学时不少于 8。
parameters:
  min_ethics_hours_yearly: { value: 8, cite: 假设细则修订 第一条 }
`;
  const withRevision = (text = REVISION_2020) => files({ 'policies/lincang-county/versions/2020.1.yaml': text });

  it("each applies from its date over the parent's version then in force, the parent's later versions followed", () => {
    const r = load(withRevision()).result;
    expect(r.diagnostics).toEqual([]);
    if (!r.ok) return;
    // The city: 2017.1 (2017-08-28), 2019.1 (2019-01-01); the county: 2018.1 (2018-03-01), 2020.1 (2020-01-01).
    expect(r.value.versions.map((v) => [v.ast.version, v.ast.effective])).toEqual([
      ['2018.1+2017.1', '2018-03-01'], ['2018.1+2019.1', '2019-01-01'], ['2020.1+2019.1', '2020-01-01'],
    ]);
    const last = r.value.versions[2]!.ast;
    // The revision's value, over the city's 2019.1 (its 80-credit floor kept) and the county's own rules.
    expect(last.parameters.find((x) => x.id === 'min_ethics_hours_yearly')?.value).toBe('8');
    expect(last.parameters.find((x) => x.id === 'min_credits_yearly')?.value).toBe('80');
    expect(last.rules.statements.some((x) => x.id === 'yearly_ethics_hours')).toBe(true);
  });

  it('a teacher with 6 ethics hours a year meets 2019 under 2018.1 and misses 2020 under 2020.1', () => {
    const ethics = (date: string) => training({ teacher_id: 'C1', date, level: 'county', format: 'short_term', module: 'ethics', days: 1, rate: 1, score: 95 });
    const teachers = 'teacher_id,school_id,county_id,hired_on\nC1,530925001,530925,\n';
    const r = load(withRevision()).result;
    if (!r.ok) throw new Error('load');
    const json = JSON.parse(expectPathsAgree(compilePolicy(r.value.checked), csv([ethics('2019-05-01'), ethics('2020-05-01')]), teachers)) as ReportJson;
    const v = json.teachers[0]!.violations.filter((x) => x.rule === 'yearly_ethics_hours') as unknown as { year: number; actual: number; required: number; version: string; source: string }[];
    // 1 day = 6 h: 6 ≥ 6 in 2019; 6 < 8 in 2020 (2016–2018 have none: 0 < 6, under 2018.1)
    expect(v.map((x) => [x.year, x.actual, x.required, x.version])).toEqual([
      [2016, 0, 6, '2018.1+2017.1'], [2017, 0, 6, '2018.1+2017.1'], [2018, 0, 6, '2018.1+2017.1'], [2020, 6, 8, '2020.1+2019.1'],
    ]);
  });

  it('revises the fork\'s own version by its name, after it', () => {
    const r = load(withRevision(REVISION_2020.replace('revises: "2018.1"', 'revises: "2018.1+2019.1"'))).result;
    expect(codes(r.diagnostics)).toEqual(['revision-chain']);
    const early = load(withRevision(REVISION_2020.replace('effective: 2020-01-01', 'effective: 2018-01-01'))).result;
    expect(codes(early.diagnostics)).toEqual(['revision-date']);
  });
});

describe('drift', () => {
  const override = county('tables:\n  rate_range:', 'parameters:\n  min_credits_yearly: { value: 75, cite: 假设细则 第五条 }\n\ntables:\n  rate_range:');

  it('warns, with both values, when the city changed what the county overrides since the version it pinned', () => {
    const r = load(override).result;
    expect(r.ok).toBe(true);
    const d = r.diagnostics.filter((x) => x.code === 'parent-drift');
    expect(d).toHaveLength(1);
    expect(d[0]!.severity).toBe('warning');
    expect(at(override, d[0]!)).toBe('min_credits_yearly');
    expect(d[0]!.message).toBe("lincang.teacher-training changed parameter 'min_credits_yearly' since version 2017.1, which this fork was written against: 72 → 80 in 2019.1; the fork's own value still applies");
    // The county's 75 is in force under both city versions.
    if (!r.ok) return;
    expect(r.value.versions.map((v) => v.ast.parameters.find((p) => p.id === 'min_credits_yearly')?.value)).toEqual(['75', '75']);
  });

  it('says nothing once the fork pins the version it has reviewed', () => {
    const pinned = { ...override, 'policies/lincang-county/policy.yaml': override['policies/lincang-county/policy.yaml']!.replace('version: "2017.1"', 'version: "2019.1"') };
    expect(codes(load(pinned).result.diagnostics)).toEqual([]);
  });

  it('warns when a later city version removed a rule the county replaces; the replacement stays in force', () => {
    const removing = REVISION.replace('add:\n', 'remove: [rate_out_of_range]\n\nadd:\n');
    const texts = files({ 'policies/lincang/versions/2019.1.yaml': removing });
    const r = load(texts).result;
    const d = r.diagnostics.filter((x) => x.code === 'parent-removed');
    expect(d.map((x) => [x.severity, at(texts, x)])).toEqual([['warning', 'rate_out_of_range']]);
    expect(d[0]!.message).toBe("lincang.teacher-training 2019.1 no longer has the rule 'rate_out_of_range' this fork changes");
    if (!r.ok) return;
    expect(r.value.versions[1]!.ast.rules.statements.filter((s) => s.id === 'rate_out_of_range').map((s) => s.cites)).toEqual([['管理办法 第十条', '假设细则 第三条']]);
  });
});

describe('provenance', () => {
  it('names the file, line, version and article of each item, and whether the county wrote it', () => {
    const loaded = load(files());
    if (!loaded.result.ok) throw new Error('does not load');
    const set = loaded.result.value;
    const sources = loaded.sources as ReadonlyMap<string, SourceFile>;
    const items = provenanceOf(set.versions[1]!.ast, set.origins, sources);
    const lineOf = (file: string, text: string) => files()[file]!.split('\n').findIndex((l) => l.includes(text)) + 1;
    const find = (item: string) => items.find((e) => e.item === item);
    expect(find('min_credits_yearly')).toEqual({
      kind: 'parameter', item: 'min_credits_yearly', value: '80 credit', origin: 'inherited', policy: 'lincang.teacher-training', version: '2019.1',
      file: 'policies/lincang/versions/2019.1.yaml', line: lineOf('policies/lincang/versions/2019.1.yaml', 'min_credits_yearly: {'), cites: ['假设修订 第一条'],
    });
    expect(find('rate_range[school]')).toMatchObject({
      origin: 'overridden', policy: 'lincang.county-example', version: '2018.1', value: 'min: 0.8, max: 1',
      file: 'policies/lincang-county/policy.yaml', line: lineOf('policies/lincang-county/policy.yaml', 'school: { min: 0.8'), cites: ['假设细则 第三条'],
    });
    expect(find('rate_range[county]')).toMatchObject({ origin: 'inherited', version: '2017.1', line: lineOf('policies/lincang/policy.yaml', 'county: { min: 1, max: 1.5 }') });
    expect(find('yearly_ethics_hours')).toMatchObject({ kind: 'rule', origin: 'own', cites: ['假设细则 第四条'] });
    expect(find('rate_out_of_range')).toMatchObject({ kind: 'rule', origin: 'overridden' });
    expect(find('grade/良')).toMatchObject({ origin: 'inherited', version: '2019.1', value: 'from 80, coefficient: 0.22, passed: true' });
    // Everything in force is listed: 16 parameters, 5 settings, 4 tables, their 5 + 5 + 5 rows and 5 bands, and every rule.
    const last = set.versions[1]!.ast;
    expect(items.filter((e) => e.kind === 'parameter')).toHaveLength(16);
    expect(items.filter((e) => e.kind === 'rule')).toHaveLength(last.rules.statements.length);
    expect(items.filter((e) => e.kind === 'row' || e.kind === 'band')).toHaveLength(20);
  });
});

describe('a change file in flow style (JSON is YAML)', () => {
  // Regression: a fork written as one flow mapping, or with its key quoted, was not seen as a
  // change, was read as a whole policy, and crashed the loader ("internal error: … reading 'key'").
  const fork = (text: string) => load(files({ 'policies/f/policy.yaml': text }), 'policies/f').result;
  const body = '"policy": "f.flow", "version": "1", "effective": "2018-03-01", "document": "d", "parameters": { "min_hours_yearly": { "value": 60, "cite": "c" } }';
  it('one flow mapping, extends first or later, loads as a fork on each city version', () => {
    for (const text of [
      `{ "extends": { "policy": "../lincang", "version": "2017.1" }, ${body} }\n`,
      `# a comment first\n{ ${body}, "extends": { "policy": "../lincang", "version": "2017.1" } }\n`,
    ]) {
      const r = fork(text);
      expect(r.ok && r.value.versions.map((v) => v.ast.version)).toEqual(['1+2017.1', '1+2019.1']);
    }
  });
  it('a quoted block-style key loads too; a whole policy mentioning extends in a note is still a whole policy', () => {
    const quoted = fork('"extends": { policy: ../lincang, version: "2017.1" }\npolicy: f.quoted\nversion: "1"\neffective: 2018-03-01\ndocument: d\n');
    expect(quoted.ok && quoted.value.versions.map((v) => v.ast.version)).toEqual(['1+2017.1', '1+2019.1']);
    const whole = load(files({ 'policies/lincang/policy.yaml': LINCANG.replace('title: 临沧市', 'change: "a, extends: b"\ntitle: 临沧市') }), 'policies/lincang').result;
    expect(whole.ok).toBe(true);
  });
});
