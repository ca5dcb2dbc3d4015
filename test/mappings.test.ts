// Input mappings (dsl/mapping-file.ts, engine/input/mapping.ts, policies/lincang/mappings/): the
// provincial export of the sample — made here from the canonical files by a writer of its own
// (Chinese headers in another order, Chinese values, three date forms, GB18030, CRLF) — gives the
// results of the canonical CSV, with no flag; the checks of mapping files (golden cases in
// test/cases/mappings/), a fork's inheritance, and the schema.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadMappings, mappingSchema, memoryFiles, parseMappingFile, parsePolicy, type PolicyAst, type SourceFile } from '../dsl/index.ts';
import { gb18030 } from './support/encoders.ts';
import { guize, tempFolder } from './support/cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const POLICY = path.join(ROOT, 'policies', 'lincang');
const SAMPLE = path.join(POLICY, 'sample');
const tmp = tempFolder('guize-map-');
const put = (name: string, bytes: Uint8Array | string) => {
  const file = path.join(tmp.path(), name);
  fs.writeFileSync(file, bytes);
  return file;
};

// The provincial layout as DATA.md gives it, written out here, not read from the mapping file.
const RECORD_NAMES: Record<string, string> = {
  record_id: '记录编号', teacher_id: '教师编号', date: '完成日期', kind: '类别', level: '项目级别', format: '培训形式', module: '模块',
  elective: '自主选学', days: '天数', hours: '学时', practical_hours: '实践学时', rate: '项目学分', score: '成绩', in_system: '已录入系统', status: '状态',
};
const TEACHER_NAMES: Record<string, string> = { teacher_id: '教师编号', school_id: '学校代码', county_id: '县区代码', hired_on: '任职日期' };
const VALUES: Record<string, Record<string, string>> = {
  kind: { training: '培训', teaching: '授课', induction: '上岗培训' },
  level: { national: '国家级', province: '省级', city: '市级', county: '县级', school: '校级' },
  format: { short_term: '短期集中', online: '网络研修', school_based: '校本研修' },
  module: { ethics: '专业理念与师德', knowledge: '专业知识', ability: '专业能力', class_management: '班级管理', mental_health: '心理健康', school_based: '校本研修' },
  elective: { true: '是', false: '否' },
  in_system: { true: '是', false: '否' },
  status: { ok: '有效', void: '伪造篡改', ineffective: '未按计划实施' },
};

/** A date in one of the export's three forms, chosen by the row's number. */
function exportDate(iso: string, n: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso; // not a date: exported as it is (the policy rejects it as in the canonical file)
  const [y, mo, d] = [m[1]!, String(Number(m[2])), String(Number(m[3]))];
  return n % 3 === 0 ? `${y}/${mo}/${d}` : n % 3 === 1 ? `${y}年${mo}月${d}日` : iso;
}

/** The canonical CSV (no quotes in the sample) as the provincial system would export it: columns reversed, values and dates in Chinese. */
function provincial(text: string, names: Record<string, string>, dates: readonly string[]): string {
  const [head, ...rows] = text.trimEnd().split('\n');
  const cols = head!.split(',');
  const order = cols.map((_, k) => k).reverse();
  const lines = [order.map((k) => names[cols[k]!]!).join(',')];
  rows.forEach((row, n) => {
    const v = row.split(',');
    lines.push(order.map((k) => {
      const col = cols[k]!;
      const x = v[k]!;
      if (dates.includes(col)) return exportDate(x, n);
      return VALUES[col]?.[x] ?? x;
    }).join(','));
  });
  return lines.join('\r\n') + '\r\n';
}

const NUMBER_FIELDS = new Set(['days', 'hours', 'practical_hours', 'rate', 'score']);

/**
 * The canonical CSV (no quotes in the sample) as NDJSON, one object a row: canonical keys, or, with
 * `zh`, the provincial JSON export's — Chinese keys, Chinese values and dates as the CSV export has
 * them, plus the export's name and ID-card number, which are never read. Empty cells are `null`;
 * a number field's number a JSON number.
 */
function ndjson(text: string, names: Record<string, string>, dates: readonly string[], zh: boolean): string {
  const [head, ...rows] = text.trimEnd().split('\n');
  const cols = head!.split(',');
  return rows.map((row, n) => {
    const v = row.split(',');
    const o: Record<string, unknown> = {};
    cols.forEach((col, k) => {
      const x = v[k]!;
      const key = zh ? names[col]! : col;
      if (x === '') o[key] = null;
      else if (zh && dates.includes(col)) o[key] = exportDate(x, n);
      else if (zh && VALUES[col]?.[x] !== undefined) o[key] = VALUES[col]![x];
      else o[key] = NUMBER_FIELDS.has(col) && /^\d+(\.\d+)?$/.test(x) ? Number(x) : x;
    });
    // 11010519491231002X: a valid ID-card number (check character X).
    if (zh) Object.assign(o, { 姓名: `教师${n}`, 身份证号: '11010519491231002X' });
    return JSON.stringify(o);
  }).join('\n') + '\n';
}

const records = fs.readFileSync(path.join(SAMPLE, 'records.csv'), 'utf8');
const teachers = fs.readFileSync(path.join(SAMPLE, 'teachers.csv'), 'utf8');
const MAPPING_FILE = path.join('policies', 'lincang', 'mappings', 'provincial.yaml');

describe('the provincial export', () => {
  it('a GB18030 export of the sample gives the results of the canonical CSV, recognised from its headers', async () => {
    const r = put('export.csv', gb18030(provincial(records, RECORD_NAMES, ['date'])));
    const t = put('teachers-export.csv', gb18030(provincial(teachers, TEACHER_NAMES, ['hired_on'])));
    const run = await guize('eval', '--policy', POLICY, '--records', r, '--teachers', t);
    const canonical = await guize('eval', '--policy', POLICY, '--records', path.join(SAMPLE, 'records.csv'), '--teachers', path.join(SAMPLE, 'teachers.csv'));
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out);
    const policyDir = POLICY.replace(/\/+$/, '');
    const mappingFile = `${policyDir}/mappings/provincial.yaml`;
    const title = '省级信息系统导出 / provincial information system export';
    expect(report.input).toEqual({
      records: { mapping: 'provincial', title, file: mappingFile },
      teachers: { mapping: 'provincial', title, file: mappingFile },
    });
    delete report.input;
    expect(JSON.stringify(report) === canonical.out.trimEnd()).toBe(true);
    // 1 642 rows: 1 631 evaluated, 10 rejected on the lines of the canonical file, 1 out of scope.
    expect([report.summary.rows_read, report.summary.evaluated, report.summary.rejected, report.summary.out_of_scope]).toEqual([1642, 1631, 10, 1]);
    expect(run.err).toContain(`${r}: 按输入映射 'provincial'（${mappingFile}）读取 / read with the input mapping 'provincial' (${title}, ${mappingFile})\n`);
    // 状态 is D7 B4 CC AC in GB18030 — two valid UTF-8 pairs by chance — then ',' and 已 (D2 D1): D2
    // would lead a UTF-8 pair, D1 cannot follow it, so UTF-8 fails at byte 5.
    expect(run.err).toContain(`${r} is not UTF-8 text (line 1, byte offset 5): read as GB18030`);
    expect(run.err).not.toContain('unknown column');
  });

  it('guize explain reads the export too: the same explanation as from the canonical CSV', async () => {
    const r = put('explain-export.csv', gb18030(provincial(records, RECORD_NAMES, ['date'])));
    const t = put('explain-teachers.csv', gb18030(provincial(teachers, TEACHER_NAMES, ['hired_on'])));
    const run = await guize('explain', '--policy', POLICY, '--records', r, '--teachers', t, '--teacher', 'T00005', '--format', 'json');
    const canonical = await guize('explain', '--policy', POLICY, '--records', path.join(SAMPLE, 'records.csv'), '--teachers', path.join(SAMPLE, 'teachers.csv'), '--teacher', 'T00005', '--format', 'json');
    expect([run.code, canonical.code]).toEqual([0, 0]);
    expect(run.out).toBe(canonical.out);
    expect(run.err).toContain(`${r}: 按输入映射 'provincial'`);
  });

  it('guize diff reads the export too (--encoding forced or not): the same report as from the canonical CSV', async () => {
    const r = put('diff-export.csv', gb18030(provincial(records, RECORD_NAMES, ['date'])));
    const t = put('diff-teachers.csv', gb18030(provincial(teachers, TEACHER_NAMES, ['hired_on'])));
    const sides = ['--base', `${POLICY}@2017.1`, '--head', `${POLICY}@2019.1`, '--format', 'json'];
    const run = await guize('diff', ...sides, '--records', r, '--teachers', t);
    const forced = await guize('diff', ...sides, '--records', r, '--teachers', t, '--encoding', 'gb18030');
    const canonical = await guize('diff', ...sides, '--records', path.join(SAMPLE, 'records.csv'), '--teachers', path.join(SAMPLE, 'teachers.csv'));
    expect([run.code, forced.code, canonical.code]).toEqual([0, 0, 0]);
    expect(JSON.parse(canonical.out).summary.became_non_compliant).toBeGreaterThan(0); // the comparison is not empty
    expect(run.out).toBe(canonical.out);
    expect(forced.out).toBe(canonical.out);
    expect(run.err).toContain(`${r}: 按输入映射 'provincial'`);
    expect(run.err).toContain(`${r} is not UTF-8 text`);
    expect(forced.err).not.toContain('is not UTF-8 text');
  });

  it('NDJSON in the provincial layout (Chinese keys and values): the results of the canonical NDJSON, and the rows add up', async () => {
    const r = put('export.ndjson', ndjson(records, RECORD_NAMES, ['date'], true));
    const t = put('teachers-export.ndjson', ndjson(teachers, TEACHER_NAMES, ['hired_on'], true));
    const run = await guize('eval', '--policy', POLICY, '--records', r, '--teachers', t);
    const canonical = await guize('eval', '--policy', POLICY, '--records', put('records.ndjson', ndjson(records, RECORD_NAMES, ['date'], false)),
      '--teachers', put('teachers.ndjson', ndjson(teachers, TEACHER_NAMES, ['hired_on'], false)));
    expect([run.code, canonical.code]).toEqual([0, 0]);
    const report = JSON.parse(run.out);
    expect(report.input.records.mapping).toBe('provincial');
    expect(report.input.teachers.mapping).toBe('provincial');
    delete report.input;
    expect(JSON.stringify(report) === canonical.out.trimEnd()).toBe(true);
    // The sample's 1 642 records: 1 631 evaluated, 10 rejected, 1 out of scope — 1 631 + 10 + 1 = 1 642;
    // its 40 teachers all accepted.
    const s = report.summary;
    expect([s.rows_read, s.evaluated, s.rejected, s.out_of_scope]).toEqual([1642, 1631, 10, 1]);
    expect(s.rows_read).toBe(s.evaluated + s.rejected + s.out_of_scope);
    expect(s.teachers_file).toEqual({ rows_read: 40, accepted: 40, rejected: 0 });
    expect(run.err).toContain(`${r}: 按输入映射 'provincial'`);
    expect(run.err).toContain(`${t}: 按输入映射 'provincial'`);
    // The name and the ID-card number are left out unread, said once a file; no key is unknown.
    expect(run.err).toContain(`警告 warning: ${r}: 未读取含个人信息的列 姓名, 身份证号（其内容不会显示）`);
    expect(run.err).not.toContain('11010519491231002X');
    expect(run.err).not.toContain('unknown column');
  });

  it('NDJSON: a value the mapping does not know is passed on and rejected by the policy naming it; a key no field is unknown', async () => {
    const lines = ndjson(records.split('\n').slice(0, 4).join('\n'), RECORD_NAMES, ['date'], true).trimEnd().split('\n');
    const second = JSON.parse(lines[1]!) as Record<string, unknown>;
    second['项目级别'] = '国级';
    second['备注'] = 'x';
    lines[1] = JSON.stringify(second);
    const r = put('odd.ndjson', `${lines.join('\n')}\n`);
    const run = await guize('eval', '--policy', POLICY, '--records', r);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out);
    // 3 rows: the second (line 2) rejected for its level, the others evaluated.
    expect(report.rejected).toMatchObject([{ line: 2, rule: 'level' }]);
    expect(report.rejected[0].reason).toContain("'国级'");
    expect([report.summary.rows_read, report.summary.evaluated, report.summary.rejected, report.summary.out_of_scope]).toEqual([3, 2, 1, 0]);
    expect(run.err).toContain('忽略未知列 ignoring unknown column(s): 备注');
  });

  it('a value the mapping does not know is passed on as written, so the policy rejects it naming it', async () => {
    const text = provincial(records.split('\n').slice(0, 3).join('\n'), RECORD_NAMES, ['date']).replace(/,(县级|市级|校级|省级|国家级),/, ',国级,');
    const run = await guize('eval', '--policy', POLICY, '--records', put('odd.csv', text));
    const rejected = JSON.parse(run.out).rejected;
    expect(rejected).toHaveLength(1);
    expect(rejected[0].line).toBe(2);
    expect(rejected[0].reason).toContain("level: '国级' is not one of national, province, city, county, school");
  });

  it('a canonical file is read as before (no input block), and the county fork inherits the mapping', async () => {
    const canonical = await guize('eval', '--policy', POLICY, '--records', path.join(SAMPLE, 'records.csv'));
    expect(JSON.parse(canonical.out).input).toBeUndefined();
    expect(canonical.err).not.toContain('input mapping');
    const county = path.join(ROOT, 'policies', 'lincang-county');
    const r = put('county-export.csv', provincial(records, RECORD_NAMES, ['date']));
    const fork = await guize('eval', '--policy', county, '--records', r);
    const base = await guize('eval', '--policy', county, '--records', path.join(SAMPLE, 'records.csv'));
    const report = JSON.parse(fork.out);
    // The fork's folder has no mappings/: the parent's file is the one used.
    expect(report.input.records.file).toBe(`${path.join(ROOT, 'policies', 'lincang')}/mappings/provincial.yaml`);
    delete report.input;
    expect(JSON.stringify(report) === base.out.trimEnd()).toBe(true);
  });
});

const policyAst = (): PolicyAst => {
  const file = 'policies/lincang/policy.yaml';
  const p = parsePolicy(file, fs.readFileSync(path.join(ROOT, file), 'utf8'));
  if (!p.ok) throw new Error('the Lincang policy does not parse');
  return p.value;
};

describe('mapping files', () => {
  it("a fork's mapping file of the same name replaces its parent's; others are inherited", () => {
    const parent = fs.readFileSync(path.join(ROOT, 'policies/lincang/policy.yaml'), 'utf8');
    const mapping = fs.readFileSync(path.join(ROOT, MAPPING_FILE), 'utf8');
    const own = mapping.replace('title: 省级信息系统导出 / provincial information system export', 'title: county export');
    const files = memoryFiles({
      'p/policy.yaml': parent,
      'p/mappings/provincial.yaml': mapping,
      'p/mappings/school.yaml': 'mapping: school\ntitle: school export\nrecords:\n  columns:\n    工号: teacher_id\n',
      'f/policy.yaml': 'extends:\n  policy: ../p\n  version: "2017.1"\npolicy: f\nversion: "1"\neffective: 2018-01-01\ndocument: d\n',
      'f/mappings/provincial.yaml': own,
    });
    const r = loadMappings(files, 'f', policyAst());
    expect(r.ok).toBe(true);
    expect(r.mappings.map((m) => [m.id, m.title, m.file])).toEqual([
      ['provincial', 'county export', 'f/mappings/provincial.yaml'],
      ['school', 'school export', 'p/mappings/school.yaml'],
    ]);
  });

  it('the Lincang mapping file checks clean and matches mapping.schema.json (run `npm run schema` after changing dsl/mapping-schema.ts)', () => {
    const r = parseMappingFile(MAPPING_FILE, fs.readFileSync(path.join(ROOT, MAPPING_FILE), 'utf8'), policyAst());
    expect(r.diagnostics).toEqual([]);
    const committed = JSON.parse(fs.readFileSync(path.join(ROOT, 'mapping.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(mappingSchema)));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(mappingSchema);
    expect(validate(parse(fs.readFileSync(path.join(ROOT, MAPPING_FILE), 'utf8')))).toBe(true);
  });

  it('two files of one policy with the same mapping id: duplicate-id at the second', () => {
    const text = fs.readFileSync(path.join(ROOT, 'test/cases/mappings/duplicate-id.yaml'), 'utf8');
    const r = loadMappings(memoryFiles({ 'p/policy.yaml': 'x', 'p/mappings/a.yaml': text, 'p/mappings/b.yaml': text }), 'p', policyAst());
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.span.file, text.slice(d.span.start, d.span.end)])).toEqual([['duplicate-id', 'p/mappings/b.yaml', 'mapping']]);
    expect(r.diagnostics[0]!.message).toBe("the mapping 'same' is also declared in p/mappings/a.yaml");
  });
});

const casesDir = path.join(ROOT, 'test/cases/mappings');
const caseNames = fs.readdirSync(casesDir).filter((f) => f.endsWith('.yaml') && f !== 'duplicate-id.yaml').map((f) => f.slice(0, -5)).sort();

describe.each(caseNames)('golden mapping case %s', (name) => {
  const file = `test/cases/mappings/${name}.yaml`;
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const expected = /^# expect:(.*)$/m.exec(text)![1]!.split(',').map((c) => c.trim()).filter((c) => c !== '');
  it(`reports exactly: ${expected.join(', ')}`, async () => {
    const r = parseMappingFile(file, text, policyAst());
    expect([...new Set(r.diagnostics.map((d) => d.code))].sort()).toEqual([...expected].sort());
    expect(r.ok).toBe(false);
    const files = new Map<string, SourceFile>([[file, { name: file, text }]]);
    await expect(r.diagnostics.map((d) => formatDiagnostic(d, files)).join('\n\n')).toMatchFileSnapshot(`./cases/mappings/${name}.txt`);
  });
});
