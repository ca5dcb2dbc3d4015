// End-to-end tests of `guize eval` and `guize check`: main() in-process with a capturing io and
// hand-made files in a temp dir, plus one run of the real binary. Every expected number is worked
// out by hand in a comment.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { describeSample } from './support/lincang-sample.ts';
import { RECORD_COLUMNS, policyText, teachersCsv, violationIds, type Rec, type ReportJson, type TeacherJson } from './support/lincang.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const POLICY_DIR = path.join(ROOT, 'policies', 'lincang');
/** The Lincang policy as issued: the worked examples here are its rules (versions/ holds a hypothetical later one). */
const LINCANG = `${POLICY_DIR}@2017.1`;
const SAMPLE_RECORDS = path.join(POLICY_DIR, 'sample', 'records.csv');
const SAMPLE_TEACHERS = path.join(POLICY_DIR, 'sample', 'teachers.csv');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guize-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** Runs the CLI in-process and captures stdout, stderr and the exit code. */
async function guize(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

/** `guize eval` with the Lincang policy; must succeed; returns the parsed JSON too. */
async function evalJson(records: string, ...extra: string[]) {
  const r = await guize('eval', '--policy', LINCANG, '--records', records, ...extra);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return { ...r, report: JSON.parse(r.out) as ReportJson };
}

// ---- the worked example ------------------------------------------------------------------------

const base = { teacher_id: 'W1', kind: 'training', in_system: true, status: 'ok' } as const;
/**
 * One teacher, seven records (file lines 2–8):
 *   W-1 2016 county short_term ethics, 2 days = 12 h, rate 1.5, score 85 (良 0.2), elective
 *       → 12 × 1.5 × 1.2 = 21.6 credits
 *   W-2 2016 school school_based, 10 h, rate 0.8, score 95 (优 0.25), mandatory
 *       → 10 × 0.8 × 1.25 = 10 credits, 10 school-based hours
 *   W-3 2017 county format school_based ability, 0.8 h, rate 1.005, score 90 (优 0.25), elective
 *       → 0.8 × 1.005 × 1.25 = 1.005 credits exactly, shown half up as 1.01 (a float gives 1.00)
 *   W-4 2018 teaching, city, knowledge, 2 h taught → 2 × 6 = 12 credits, elective, no hours
 *   W-5 2019 county rate 3 (> 1.5)  → rejected by rate_out_of_range (第十条), line 6
 *   W-6 2019 not in the system      → evaluated, counts for nothing (disregarded)
 *   W-7 2021                        → outside the cycle (out of scope)
 */
const WORKED: Rec[] = [
  { ...base, record_id: 'W-1', date: '2016-05-10', level: 'county', format: 'short_term', module: 'ethics', elective: true, days: 2, rate: 1.5, score: 85 },
  { ...base, record_id: 'W-2', date: '2016-09-01', level: 'school', format: 'school_based', module: 'school_based', elective: false, hours: 10, rate: 0.8, score: 95 },
  { ...base, record_id: 'W-3', date: '2017-03-02', level: 'county', format: 'school_based', module: 'ability', elective: true, hours: 0.8, rate: 1.005, score: 90 },
  { ...base, record_id: 'W-4', date: '2018-04-04', kind: 'teaching', level: 'city', module: 'knowledge', hours: 2 },
  { ...base, record_id: 'W-5', date: '2019-05-05', level: 'county', format: 'short_term', module: 'ethics', elective: true, days: 1, rate: 3, score: 90 },
  { ...base, record_id: 'W-6', date: '2019-06-06', level: 'county', format: 'short_term', module: 'knowledge', elective: true, days: 1, rate: 1, score: 90, in_system: false },
  { ...base, record_id: 'W-7', date: '2021-01-10', level: 'county', format: 'short_term', module: 'knowledge', elective: true, days: 1, rate: 1, score: 90 },
];

/** Why W-5 is rejected: the rule's reason with the record's rate and its level's range filled in. */
const W5_REASON = '项目学分 3 超出第十条规定的范围 1–1.5 / credit rate 3 is outside 1–1.5 (article 10)';

/** RFC 4180 CSV of records: quotes a cell only when it holds a comma, quote, CR or LF. */
function toCsv(rows: readonly Rec[], o: { columns?: readonly string[]; eol?: string; bom?: boolean; quoteAll?: boolean } = {}): string {
  const columns = o.columns ?? RECORD_COLUMNS;
  const eol = o.eol ?? '\n';
  const cell = (v: unknown) => {
    const s = v === undefined ? '' : String(v);
    return o.quoteAll || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => cell((r as Record<string, unknown>)[c])).join(','))];
  return (o.bom ? '\uFEFF' : '') + lines.join(eol) + eol;
}

/** The report of the worked example as plain CSV, computed once. */
let baseline: ReportJson;
beforeAll(async () => {
  baseline = (await evalJson(write('worked.csv', toCsv(WORKED)))).report;
});
const w1 = (r: ReportJson): TeacherJson => r.teachers.find((t) => t.teacher_id === 'W1')!;

/** Every number in a JSON value, with its path. */
function numbers(v: unknown, at = '$'): [string, number][] {
  if (typeof v === 'number') return [[at, v]];
  if (Array.isArray(v)) return v.flatMap((x, i) => numbers(x, `${at}[${i}]`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => numbers(x, `${at}.${k}`));
  return [];
}

describe('guize eval: JSON output', () => {
  it('has the documented shape: policy, teachers with totals/years/violations, rejected, summary', async () => {
    const { report } = await evalJson(write('shape.csv', toCsv(WORKED)), '--teachers', write('shape-teachers.csv', teachersCsv([{ teacher_id: 'W1' }])));
    const r = report as unknown as Record<string, unknown>;
    expect(Object.keys(r)).toEqual(['policy', 'teachers', 'rejected', 'summary']);
    expect(r.policy).toEqual({ id: 'lincang.teacher-training', version: '2017.1', document: '临教发〔2017〕105号', effective: '2017-08-28' });
    const t = w1(report);
    expect(Object.keys(t)).toEqual([
      'teacher_id', 'compliant', 'credits', 'hours', 'county_hours', 'school_hours', 'modules', 'elective_credits',
      'elective_share', 'induction_hours', 'induction_practical', 'years', 'violations', 'records', 'school_id', 'county_id', 'hired_on',
    ]);
    expect(Object.keys(t.years)).toEqual(['2016', '2017', '2018', '2019', '2020']);
    expect(Object.keys(t.years['2016']!)).toEqual([
      'credits', 'hours', 'county_hours', 'school_hours', 'modules', 'elective_credits', 'elective_share', 'induction_hours', 'induction_practical',
    ]);
    expect(Object.keys(t.modules)).toEqual(['ethics', 'knowledge', 'ability', 'class_management', 'mental_health', 'school_based']);
    expect((t as unknown as Record<string, unknown>).school_id).toBe('S1');
    expect(t.violations[0]).toEqual({
      rule: 'yearly_hours', article: '管理办法 第九条', year: 2016, actual: 22, required: 72,
      message: '每年学时不少于72：2016年实际 22.00学时，要求不少于 72.00学时 / at least 72 hours a year: 2016 has 22.00 hours, requires at least 72.00 hours',
    });
    expect(report.rejected).toEqual([{
      record_id: 'W-5', file: 'records', line: 6, reason: W5_REASON,
      rule: 'rate_out_of_range', article: '管理办法 第十条',
    }]);
    const s = report.summary;
    expect(s.evaluated + s.rejected + s.out_of_scope).toBe(s.rows_read);
    expect(s).toMatchObject({ rows_read: 7, evaluated: 5, disregarded: 1, rejected: 1, out_of_scope: 1, teachers: 1, compliant: 0, non_compliant: 1 });
    expect(s.teachers_file).toEqual({ rows_read: 1, accepted: 1, rejected: 0 });
    for (const [where, n] of numbers(report)) expect(Number(n.toFixed(2)), where).toBe(n);
  });

  it('worked example: credits, hours, modules and elective share are exact and rounded half up once', () => {
    const t = w1(baseline);
    // credits 21.6 + 10 + 1.005 + 12 = 44.605 → 44.61; hours 12 + 10 + 0.8 = 22.8 (teaching adds none)
    expect([t.credits, t.hours, t.county_hours, t.school_hours]).toEqual([44.61, 22.8, 12.8, 10]);
    expect(t.modules).toEqual({ ethics: 21.6, knowledge: 12, ability: 1.01, class_management: 0, mental_health: 0, school_based: 10 });
    // elective 21.6 + 1.005 + 12 = 34.605 → 34.61; share 34.605 / 44.605 = 0.7758… → 0.78
    expect([t.elective_credits, t.elective_share]).toEqual([34.61, 0.78]);
    expect(t.years['2016']).toMatchObject({ credits: 31.6, hours: 22, county_hours: 12, school_hours: 10 });
    expect(t.years['2017']).toMatchObject({ credits: 1.01, hours: 0.8, county_hours: 0.8, school_hours: 0 });
    expect(t.years['2018']).toMatchObject({ credits: 12, hours: 0, elective_credits: 12 });
    expect(t.years['2019']).toMatchObject({ credits: 0, hours: 0 }); // W-5 rejected, W-6 disregarded
    expect((t as unknown as { records: unknown }).records).toEqual({ evaluated: 5, disregarded: 1 });
  });

  it('worked example: 52 violations — 4 yearly floors × 5 years, 23 yearly module floors, 9 cycle floors', () => {
    const t = w1(baseline);
    expect(t.compliant).toBe(false);
    // Yearly modules met: 2016 ethics 21.6 ≥ 6, 2018 knowledge 12 ≥ 12 → 25 − 2 = 23 yearly module violations.
    // The elective floor holds: 34.605 ≥ 0.6 × 44.605 = 26.763.
    const ids = violationIds(t);
    expect(ids).toHaveLength(52);
    expect(ids).not.toContain('yearly_module_credits[ethics]@2016');
    expect(ids).not.toContain('yearly_module_credits[knowledge]@2018');
    expect(ids).not.toContain('elective_minimum@cycle');
    expect(ids.slice(-9)).toEqual([
      'cycle_hours@cycle', 'cycle_county_hours@cycle', 'cycle_school_hours@cycle', 'cycle_credits@cycle',
      'cycle_module_credits[ethics]@cycle', 'cycle_module_credits[knowledge]@cycle', 'cycle_module_credits[ability]@cycle',
      'cycle_module_credits[class_management]@cycle', 'cycle_module_credits[school_based]@cycle',
    ]);
    expect(t.violations.find((v) => v.rule === 'cycle_credits')).toMatchObject({ year: null, actual: 44.61, required: 360 });
    expect(t.violations.find((v) => v.key === 'ability' && v.year === 2017)).toMatchObject({ actual: 1.01, required: 24 });
    expect(baseline.summary.violations_by_rule).toMatchObject({ yearly_hours: 5, yearly_module_credits: 23, cycle_module_credits: 5 });
  });
});

describe('guize eval: the committed sample', () => {
  it('every teacher is compliant exactly as describeSample designed it, and the counts add up', async () => {
    const { report } = await evalJson(SAMPLE_RECORDS, '--teachers', SAMPLE_TEACHERS);
    const designed = describeSample({ teachers: 40, seed: 1 });
    expect(report.teachers.map((t) => [t.teacher_id, t.compliant])).toEqual(designed.map((t) => [t.teacher_id, t.compliant]));
    const lines = fs.readFileSync(SAMPLE_RECORDS, 'utf8').split('\n');
    const s = report.summary;
    expect(s.rows_read).toBe(lines.length - 2); // header, and the empty string after the last LF
    expect(s.evaluated + s.rejected + s.out_of_scope).toBe(s.rows_read);
    expect(s).toMatchObject({ teachers: 40, compliant: designed.filter((t) => t.compliant).length, non_compliant: 20 });
    expect(s.teachers_file).toEqual({ rows_read: 40, accepted: 40, rejected: 0 });
    const perTeacher = report.teachers.reduce((n, t) => n + (t as unknown as { records: { evaluated: number } }).records.evaluated, 0);
    expect(perTeacher).toBe(s.evaluated);
    expect(report.rejected).toHaveLength(s.rejected);
    // Each rejection names the line its record is on.
    for (const x of report.rejected) {
      expect(x.line).toBeGreaterThan(1);
      expect(lines[x.line - 1]!.startsWith(`${x.record_id},`)).toBe(true);
      expect(x.reason).not.toBe('');
    }
  });
});

describe('guize eval: input variants give the same results as plain CSV', () => {
  const same = (r: ReportJson) => {
    expect(r.teachers).toEqual(baseline.teachers);
    expect(r.summary).toEqual(baseline.summary);
  };

  it('a UTF-8 BOM before the header is ignored', async () => {
    const { report } = await evalJson(write('bom.csv', toCsv(WORKED, { bom: true })));
    same(report);
    expect(report.rejected).toEqual(baseline.rejected);
  });

  it('CRLF line ends are read like LF, line numbers unchanged', async () => {
    const { report } = await evalJson(write('crlf.csv', toCsv(WORKED, { eol: '\r\n', bom: true })));
    same(report);
    expect(report.rejected).toEqual(baseline.rejected);
  });

  it('quoted fields with commas, quotes and a newline are data; later rows keep their physical line', async () => {
    const rows = WORKED.map((r) => (r.record_id === 'W-1' ? { ...r, record_id: 'W-1, part "a"\nsecond line' } : r));
    const text = toCsv(rows, { quoteAll: true }); // every cell quoted, even empty ones and numbers
    expect(text.split('\n').slice(1, 3)).toEqual(['"W-1, part ""a""', 'second line","W1","2016-05-10","training","county","short_term","ethics","true","2","","","1.5","85","true","ok"']);
    const { report } = await evalJson(write('quoted.csv', text));
    same(report);
    // W-5 starts on line 7, not 6: the quoted newline in W-1's id moved it down by one.
    expect(report.rejected).toEqual([{ ...baseline.rejected[0]!, line: 7 }]);
  });

  it('NDJSON (.ndjson) with typed JSON values equals the CSV; lines count from 1 without a header', async () => {
    const text = WORKED.map((r) => JSON.stringify(r)).join('\n') + '\n';
    const { report } = await evalJson(write('worked.ndjson', text));
    same(report);
    expect(report.rejected).toEqual([{ ...baseline.rejected[0]!, line: 5 }]);
  });

  it('NDJSON record ids past 2^53 keep their digits (they once collided as duplicates), and a key given twice rejects its line', async () => {
    const w = WORKED[1]!;
    const line = (id: string) => JSON.stringify({ ...w, record_id: 'X' }).replace('"record_id":"X"', `"record_id":${id}`);
    const twice = JSON.stringify({ ...w, record_id: 'D' }).replace('{', '{"record_id":"E",');
    const { report } = await evalJson(write('bigids.ndjson', [line('12345678901234567890'), line('12345678901234567891'), twice].join('\n')));
    expect(report.summary).toMatchObject({ rows_read: 3, evaluated: 2, rejected: 1 });
    expect(report.rejected).toEqual([{ record_id: null, file: 'records', line: 3, reason: '字段 record_id 出现了两次 / field record_id is given twice', rule: null, article: null }]);
  });

  it('a JSON array or a pretty-printed object given as NDJSON is refused as a whole (exit 2), saying what to write', async () => {
    const array = await guize('eval', '--policy', LINCANG, '--records', write('array.json', `[\n  ${JSON.stringify(WORKED[0])},\n  ${JSON.stringify(WORKED[1])}\n]\n`));
    expect(array.code).toBe(2);
    expect(array.out).toBe('');
    expect(array.err).toContain('this is a JSON array, not NDJSON: write one JSON object per line');
    const pretty = await guize('eval', '--policy', LINCANG, '--records', write('pretty.ndjson', JSON.stringify(WORKED[0], null, 2)));
    expect(pretty.code).toBe(2);
    expect(pretty.err).toContain('this is a JSON object spread over several lines, not NDJSON');
  });

  it('an unknown extra column is named in a warning on stderr and changes nothing', async () => {
    const columns = [...RECORD_COLUMNS.slice(0, 3), 'colour', ...RECORD_COLUMNS.slice(3)];
    const rows = WORKED.map((r) => ({ ...r, colour: 'red, green' }));
    const file = write('extra.csv', toCsv(rows, { columns }));
    const r = await guize('eval', '--policy', LINCANG, '--records', file);
    expect(r.code).toBe(0);
    expect(r.err).toBe(`警告 warning: ${file}: 忽略未知列 ignoring unknown column(s): colour\n`);
    same(JSON.parse(r.out) as ReportJson);
  });
});

describe('guize eval: bad rows are rejected with line and reason, and the run continues', () => {
  it('unknown enum, non-number, missing field, bad date, rate out of range, duplicate id (first counts)', async () => {
    const w2 = WORKED[1]!;
    const bad: Rec[] = [
      { ...w2, record_id: 'B-1', level: 'provincial' }, // line 4
      { ...w2, record_id: 'B-2', hours: 'abc' }, // line 5
      { ...w2, record_id: 'B-3', teacher_id: '' }, // line 6
      { ...w2, record_id: 'B-4', date: '2016-02-30' }, // line 7
      { ...w2, record_id: 'W-2', hours: 1000 }, // line 8: a second W-2, which would add 1000 h
    ];
    // W-1, W-2, the five bad rows, then W-3 … W-7: W-5 moves from line 6 to line 11.
    const rows = [...WORKED.slice(0, 2), ...bad, ...WORKED.slice(2)];
    const { report } = await evalJson(write('bad-rows.csv', toCsv(rows)));
    expect(report.rejected.map((x) => [x.record_id, x.line, x.rule, x.article, x.reason])).toEqual([
      ['B-1', 4, 'level', '管理办法 第五条',
        "level 的值 'provincial' 不是允许的值（national、province、city、county、school） / level: 'provincial' is not one of national, province, city, county, school"],
      ['B-2', 5, 'hours', '管理办法 第九条', "hours 的值 'abc' 不是数字 / hours: 'abc' is not a number"],
      ['B-3', 6, 'teacher_id', '管理办法 第四条', '缺少必填字段 teacher_id / required field teacher_id is missing'],
      ['B-4', 7, 'date', '管理办法 第九条', "date 的值 '2016-02-30' 不是有效日期（YYYY-MM-DD） / date: '2016-02-30' is not a date (YYYY-MM-DD)"],
      ['W-2', 8, 'record_id', '管理办法 第十五条', '重复的 record_id（首次出现在第 3 行）/ duplicate record_id (first on line 3)'],
      ['W-5', 11, 'rate_out_of_range', '管理办法 第十条', W5_REASON],
    ]);
    // The first W-2 counted, the second did not, and the rows after the bad ones still count.
    expect(report.teachers).toEqual(baseline.teachers);
    expect(report.summary).toMatchObject({ rows_read: 12, evaluated: 5, rejected: 6, out_of_scope: 1 });
  });
});

describe('guize eval: inputs that cannot be used stop the run with exit code 2', () => {
  it('a CSV without the teacher_id column: exit 2, the column named, nothing on stdout', async () => {
    const file = write('no-teacher.csv', toCsv(WORKED, { columns: RECORD_COLUMNS.filter((c) => c !== 'teacher_id') }));
    const r = await guize('eval', '--policy', LINCANG, '--records', file);
    expect(r).toEqual({ code: 2, out: '', err: `错误 error: ${file} 缺少必需的列 teacher_id / ${file} lacks the required column(s) teacher_id\n` });
  });

  it('a records file that does not exist: exit 2, "no such file" with the path, in words', async () => {
    const file = path.join(dir, 'nope.csv');
    const r = await guize('eval', '--policy', LINCANG, '--records', file);
    expect(r).toEqual({ code: 2, out: '', err: `错误 error: 找不到文件 / no such file: ${file}\n` });
  });

  it('a UTF-16 file cut in the middle of a code unit: exit 2 with the reason', async () => {
    // The BOM says UTF-16LE; the nine bytes after it leave the last one alone (offset 8).
    const file = write('utf16.csv', new Uint8Array([0xff, 0xfe, 0x00, 0x72, 0x00, 0x65, 0x00, 0xc0, 0x0a]));
    const r = await guize('eval', '--policy', LINCANG, '--records', file);
    expect(r).toEqual({ code: 2, out: '', err: `错误 error: ${file} 不是有效的 UTF-16LE 文本（第 1 行，第 8 字节）/ ${file} is not valid UTF-16LE text (line 1, byte offset 8)\n` });
  });

  it('says on which line and at which byte the first invalid UTF-8 is', async () => {
    // Line 3 starts with "测试" in GBK (b2 e2 ca d4): its first byte comes right after lines 1–2.
    const head = new TextEncoder().encode(`${RECORD_COLUMNS.join(',')}\nR1,T1,2016-01-01,training,,,,,,,,,,true,ok\n`);
    const file = write('gbk.csv', new Uint8Array([...head, 0xb2, 0xe2, 0xca, 0xd4, 0x2c, 0x31, 0x0a]));
    const r = await guize('eval', '--policy', LINCANG, '--records', file, '--encoding', 'utf-8');
    expect(r.code).toBe(2);
    const at = head.length;
    expect(r.err).toBe(`错误 error: ${file} 不是 UTF-8 编码的文本（第 3 行，第 ${at} 字节）/ ${file} is not UTF-8 text (line 3, byte offset ${at})\n`);
    // Not forced, the file is read as GB18030, saying where UTF-8 failed; line 2 lacks the hours a
    // training record needs, line 3 ("测试,1") has 2 fields of 15.
    const gb = await guize('eval', '--policy', LINCANG, '--records', file);
    expect(gb.code).toBe(0);
    expect(gb.err).toBe(`警告 warning: ${file} 不是 UTF-8 编码的文本（第 3 行，第 ${at} 字节），按 GB18030 读取 / ${file} is not UTF-8 text (line 3, byte offset ${at}): read as GB18030\n`);
    expect(JSON.parse(gb.out).rejected.map((x: { line: number }) => x.line)).toEqual([2, 3]);
    // A character cut short by the end of the file.
    const cut = write('cut.csv', new Uint8Array([...head, 0xe4, 0xb8]));
    const c = await guize('eval', '--policy', LINCANG, '--records', cut);
    expect(c.err).toContain(`(line 3, byte offset ${at})`);
  });
});

describe('guize eval/check: the policy', () => {
  it('a syntax error in a rule: exit 2, file:line:col at the broken YAML line, nothing on stdout', async () => {
    // An extra ')' in `let passed = grade(score).passed`: the parser stops at that ')'.
    const good = '  let passed = grade(score).passed';
    const broken = '  let passed = grade(score)).passed';
    const text = policyText.replace(good, broken);
    expect(text).not.toBe(policyText);
    const line = text.split('\n').indexOf(broken) + 1;
    const col = broken.indexOf('))') + 2;
    const file = write('broken/policy.yaml', text);
    const r = await guize('eval', '--policy', path.dirname(file), '--records', write('b.csv', toCsv(WORKED)));
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toContain(`error[syntax-error]`);
    expect(r.err).toContain(`--> ${file}:${line}:${col}\n`);
    expect(r.err).toContain(`${line} | ${broken}\n`);
    expect(r.err).toContain('the policy has 1 error(s); nothing was evaluated');
  });

  it('a missing closing parenthesis is reported at the next token, on the line after the rule', async () => {
    const good = 'and not (kind == induction and first_service_year)\n';
    const text = policyText.replace(good, 'and not (kind == induction and first_service_year\n');
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('exclude outside_cycle')) + 3; // the `because` line, after the condition's two
    expect(lines[line - 1]).toBe('    because "不在本周期内 / outside the cycle"');
    const file = write('broken2.yaml', text);
    const r = await guize('check', '--policy', file);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toContain(`expected ')', found 'because'\n`);
    expect(r.err).toContain(`--> ${file}:${line}:5\n`);
  });

  it('a schema error (unknown key): exit 2 with unknown-key and its location', async () => {
    const text = policyText.replace('  collection: teachers\n', '  collection: teachers\n  colour: red\n');
    const line = text.split('\n').indexOf('  colour: red') + 1;
    const file = write('schema/policy.yaml', text);
    const r = await guize('check', '--policy', file);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toContain("error[unknown-key]: subject 中有未知的键 'colour'");
    expect(r.err).toContain(`--> ${file}:${line}:3\n`);
  });

  it('--policy may be the folder or the policy.yaml inside it, with the same output', async () => {
    const records = write('p.csv', toCsv(WORKED));
    const byDir = await guize('eval', '--policy', LINCANG, '--records', records);
    const byFile = await guize('eval', '--policy', `${path.join(POLICY_DIR, 'policy.yaml')}@2017.1`, '--records', records);
    expect(byFile).toEqual(byDir);
    expect(byDir.code).toBe(0);
  });

  it('a missing policy: exit 2, no such file', async () => {
    const r = await guize('check', '--policy', path.join(dir, 'no-such-dir'));
    expect(r).toEqual({ code: 2, out: '', err: `错误 error: 找不到文件 / no such file: ${path.join(dir, 'no-such-dir')}\n` });
  });

  it('guize check on the Lincang policy: exit 0 and a line per version, the later one with its change note', async () => {
    const r = await guize('check', '--policy', POLICY_DIR);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    // 2017.1: 50 statements; 2019.1 replaces one and adds a measure and a requirement (52), and a parameter (15).
    expect(lines[0]).toBe('✓ lincang.teacher-training 2017.1: 自 from 2017-08-28 · 临教发〔2017〕105号 · 50 条规则 rules, 14 个参数 parameters, 4 张表 tables');
    expect(lines[1]).toBe('✓ lincang.teacher-training 2019.1（假设 hypothetical）: 自 from 2019-01-01 · 假设修订（非真实文件）/ hypothetical revision (not a real document) · 52 条规则 rules, 15 个参数 parameters, 4 张表 tables');
    expect(lines[2]).toMatch(/^ {4}假设：自 2019-01-01 起，每年学分下限由 72 提高到 80；.* Hypothetical: from 2019-01-01 a yearly credit floor of 80/);
    // The input mapping beside the policy (policies/lincang/mappings/provincial.yaml), checked.
    expect(lines[3]).toBe(`输入映射 input mapping provincial: 省级信息系统导出 / provincial information system export · ${POLICY_DIR}/mappings/provincial.yaml`);
    expect(lines.slice(4)).toEqual(['']);
  });

  it('guize check of one version: @VERSION and --as-of mark the one chosen', async () => {
    const at = await guize('check', '--policy', `${POLICY_DIR}@2019.1`);
    expect(at.code).toBe(0);
    expect(at.out.split('\n').map((l) => l.slice(0, 2))).toEqual(['  ', '→ ', '  ', '输入', '只用', '']);
    expect(at.out).toContain('只用此版本 / this version only: 2019.1 (lincang.teacher-training)');
    const asOf = await guize('check', '--policy', POLICY_DIR, '--as-of', '2018-12-31');
    expect(asOf.out).toContain('只用此版本 / this version only: 2017.1 (lincang.teacher-training)');
    const unknown = await guize('check', '--policy', `${POLICY_DIR}@2018.1`);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("error[unknown-version]: 该策略没有版本 '2018.1'");
    expect(unknown.err).toContain('= help: versions: 2017.1, 2019.1');
  });
});

describe('guize check: compatibility and provenance', () => {
  it('a policy without before_effective: exit 0, and a note of what keeps the results of a file written before versions', async () => {
    const file = write('old/policy.yaml', policyText.replace(/before_effective:\n(  .*\n|    .*\n)+/, ''));
    expect(fs.readFileSync(file, "utf8")).not.toContain('before_effective');
    const r = await guize('check', '--policy', file);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(1, 3)).toEqual([
      `注意 / note: 此策略没有 before_effective：早于生效日期 2017-08-28 的记录不在适用范围内（旧版 guize 会计算它们）；如需照旧计算，请在 ${file} 中写 before_effective: { value: evaluate, cite: … }`,
      `  this policy has no before_effective: records dated before its effective date 2017-08-28 are out of scope (guize before versions evaluated them); to keep the old results, write before_effective: { value: evaluate, cite: … } in ${file}`,
    ]);
    // The Lincang folder says it: no note.
    expect((await guize('check', '--policy', POLICY_DIR)).out).not.toContain('before_effective');
  });

  it('--provenance: a line per item in force, and --format json', async () => {
    const county = path.join(POLICY_DIR, '..', 'lincang-county');
    const r = await guize('check', '--policy', county, '--provenance');
    expect(r.code).toBe(0);
    const row = r.out.split('\n').find((l) => l.includes('rate_range[school]'))!;
    expect(row.split(/\s{2,}/)).toEqual(['覆盖 overridden', 'rate_range[school]', 'min: 0.8, max: 1', 'lincang.county-example 2018.1', `${path.join(county, 'policy.yaml')}:38`, '假设细则 第三条']);
    // With --format json, the provenance is a part of the one JSON document on stdout (see check-json.test.ts).
    const json = (JSON.parse((await guize('check', '--policy', `${county}@2018.1+2017.1`, '--provenance', '--format', 'json')).out) as { provenance: { version: string; items: { item: string; origin: string; version: string }[] } }).provenance;
    expect(json.version).toBe('2018.1+2017.1');
    expect(json.items.find((i) => i.item === 'min_credits_yearly')).toMatchObject({ origin: 'inherited', version: '2017.1' });
    const bad = await guize('check', '--policy', county, '--format', 'xml');
    expect(bad.code).toBe(2);
  });
});

describe('guize eval: output formats and the command line', () => {
  it('--format csv: a header row, then one row per teacher with its fields, 2-decimal totals and violations', async () => {
    const teachers = write('f-teachers.csv', teachersCsv([{ teacher_id: 'W1' }, { teacher_id: 'Z9' }]));
    const r = await guize('eval', '--policy', LINCANG, '--records', write('f.csv', toCsv(WORKED)), '--teachers', teachers, '--format', 'csv');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines).toHaveLength(4); // header, W1, Z9, '' after the final LF
    expect(lines[3]).toBe('');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 10)).toEqual(['teacher_id', 'school_id', 'county_id', 'hired_on', 'compliant', 'credits', 'hours', 'county_hours', 'school_hours', 'modules.ethics']);
    expect(header).toContain('2016.credits');
    expect(header.at(-1)).toBe('violations');
    const row = Object.fromEntries(header.map((h, i) => [h, lines[1]!.split(',')[i]]));
    expect(row).toMatchObject({ teacher_id: 'W1', compliant: 'false', credits: '44.61', hours: '22.80', 'modules.ability': '1.01', '2017.credits': '1.01', elective_share: '0.78' });
    expect(row.violations!.split('; ').map((v) => v.replace(/ (\d+|cycle): .*/, '@$1'))).toEqual(violationIds(w1(baseline)));
    expect(lines[2]!.startsWith('Z9,S1,C1,,false,0.00,0.00,')).toBe(true); // listed, no records
  });

  it('--format table: Chinese and English labels, the summary counts and the rejected row', async () => {
    const r = await guize('eval', '--policy', LINCANG, '--records', write('t.csv', toCsv(WORKED)), '--format', 'table');
    expect(r.code).toBe(0);
    expect(r.out).toContain('汇总 Summary');
    expect(r.out).toMatch(/读入记录 rows read +7\n/);
    expect(r.out).toMatch(/拒收 rejected +1\n/);
    expect(r.out).toMatch(/周期外 out of scope +1\n/);
    expect(r.out).toContain('未达标明细 Violations (52)');
    expect(r.out).toContain('拒收记录 Rejected rows (1)');
    expect(r.out).toContain(`  records:6  W-5  ${W5_REASON}  [管理办法 第十条]`);
    expect(r.out).toMatch(/ {2}W1 +否 no +44\.61 +22\.80 /);
  });

  it('--out FILE writes the report to the file and nothing to stdout', async () => {
    const records = write('o.csv', toCsv(WORKED));
    const outFile = path.join(dir, 'report.json');
    const r = await guize('eval', '--policy', LINCANG, '--records', records, '--out', outFile);
    expect(r).toEqual({ code: 0, out: '', err: '' });
    // Compact JSON in a file (or a pipe); indented with --pretty (and on a terminal).
    expect(fs.readFileSync(outFile, 'utf8')).toBe(`${JSON.stringify(baseline)}\n`);
    // An existing, longer file is overwritten and cut to the report's length.
    fs.writeFileSync(outFile, 'x'.repeat(1_000_000));
    expect(await guize('eval', '--policy', LINCANG, '--records', records, '--out', outFile)).toEqual({ code: 0, out: '', err: '' });
    expect(fs.readFileSync(outFile, 'utf8')).toBe(`${JSON.stringify(baseline)}\n`);
    const pretty = await guize('eval', '--policy', LINCANG, '--records', records, '--out', outFile, '--pretty');
    expect(pretty).toEqual({ code: 0, out: '', err: '' });
    expect(fs.readFileSync(outFile, 'utf8')).toBe(`${JSON.stringify(baseline, null, 2)}\n`);
  });

  it('--format ndjson: a line per teacher, then a line per rejected row, then the policy and summary', async () => {
    const r = await guize('eval', '--policy', LINCANG, '--records', write('n.csv', toCsv(WORKED)), '--format', 'ndjson');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.pop()).toBe(''); // every line ends with a line feed
    const expected = [
      ...baseline.teachers.map((t) => JSON.stringify(t)),
      ...baseline.rejected.map((x) => JSON.stringify({ rejected: x })),
      JSON.stringify({ policy: baseline.policy, summary: baseline.summary }),
    ];
    expect(lines).toEqual(expected);
  });

  it('an unknown --format: exit 2 naming it, before reading anything', async () => {
    const r = await guize('eval', '--policy', LINCANG, '--records', path.join(dir, 'absent.csv'), '--format', 'xml');
    expect(r).toEqual({ code: 2, out: '', err: "错误 error: 未知的输出格式 'xml' / unknown --format 'xml' (json, ndjson, csv, table, xlsx)\n" });
  });

  it('an unknown command or option, or a missing --records: exit 2 with the usage', async () => {
    const cmd = await guize('frob');
    expect([cmd.code, cmd.out]).toEqual([2, '']);
    expect(cmd.err).toMatch(/^未知命令 'frob' \/ unknown command 'frob'\n\nguize \(规则\)/);
    const opt = await guize('eval', '--policy', LINCANG, '--recrods', 'x.csv');
    expect(opt.code).toBe(2);
    expect(opt.err.split('\n')[0]).toBe("错误 error: 未知选项 '--recrods'，是否想用 '--records'？ / unknown option '--recrods'; did you mean '--records'?");
    const missing = await guize('eval', '--policy', POLICY_DIR);
    expect(missing).toEqual({ code: 2, out: '', err: '错误 error: 需要 --policy 和 --records / --policy and --records are required\n' });
  });

  it('the real `guize` binary (bin/guize.mjs) runs eval: exit 0, the same JSON on stdout', async () => {
    const p = spawnSync(process.execPath, ['bin/guize.mjs', 'eval', '--policy', 'policies/lincang@2017.1', '--records', SAMPLE_RECORDS, '--teachers', SAMPLE_TEACHERS], {
      cwd: ROOT, encoding: 'utf8', timeout: 20_000,
    });
    expect(p.stderr).toBe('');
    expect(p.status).toBe(0);
    const inProcess = await guize('eval', '--policy', LINCANG, '--records', SAMPLE_RECORDS, '--teachers', SAMPLE_TEACHERS);
    expect(p.stdout).toBe(inProcess.out);
    expect((JSON.parse(p.stdout) as ReportJson).summary).toMatchObject({ teachers: 40, compliant: 20 });
  });

  it('refuses standard input for both files, a policy that is not UTF-8, and survives a closed pipe', async () => {
    const both = await guize('eval', '--policy', LINCANG, '--records', '-', '--teachers', '-');
    expect(both.code).toBe(2);
    expect(both.err).toContain('only one file can come from standard input');
    const gbk = path.join(dir, 'gbk.yaml');
    fs.writeFileSync(gbk, Buffer.from([0xb2, 0xe2, 0xca, 0xd4, 0x3a, 0x20, 0x31, 0x0a])); // "测试: 1" in GBK
    const bad = await guize('check', '--policy', gbk);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('is not UTF-8 text');
    // `| head -c 10` closes the pipe after ten bytes: guize must end quietly, with status 0.
    const p = spawnSync('bash', ['-c', `set -o pipefail; node bin/guize.mjs eval --policy policies/lincang --records '${SAMPLE_RECORDS}' | head -c 10 > /dev/null`], {
      cwd: ROOT, encoding: 'utf8', timeout: 20_000,
    });
    expect(p.stderr).toBe('');
    expect(p.status).toBe(0);
  });

  it("reads records from standard input with '--records -' (format told by content)", async () => {
    const csvText = fs.readFileSync(SAMPLE_RECORDS, 'utf8');
    const p = spawnSync(process.execPath, ['bin/guize.mjs', 'eval', '--policy', 'policies/lincang@2017.1', '--records', '-', '--format', 'csv'], {
      cwd: ROOT, encoding: 'utf8', timeout: 20_000, input: csvText,
    });
    expect(p.status).toBe(0);
    const fromFile = await guize('eval', '--policy', LINCANG, '--records', SAMPLE_RECORDS, '--format', 'csv');
    expect(p.stdout).toBe(fromFile.out);
  });
});

// ---- version and help ----------------------------------------------------------------------------

describe('guize --version and help', () => {
  const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

  it('--version, -V and version print the package version', async () => {
    for (const flag of ['--version', '-V', 'version']) {
      expect(await guize(flag)).toEqual({ code: 0, out: `guize ${version}\n`, err: '' });
    }
  });

  it('the built binary prints it too, on its own (no TypeScript loader)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'guize.mjs'), '--version'], { encoding: 'utf8' });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, `guize ${version}\n`, '']);
  });

  it('COMMAND --help and help COMMAND print the command\'s options on stdout', async () => {
    const a = await guize('eval', '--help');
    expect(a.code).toBe(0);
    expect(a.err).toBe('');
    for (const option of ['--policy', '--records', '--teachers', '--format', '--pretty', '--out', '--threads']) expect(a.out).toContain(`  ${option} `);
    expect(await guize('help', 'eval')).toEqual(a);
    expect(await guize('eval', '-h')).toEqual(a);
    const c = await guize('check', '--help');
    expect([c.code, c.err, c.out.split('\n')[0]]).toEqual([0, '', 'guize check — check a policy without evaluating anything']);
  });

  it('no command prints the usage on stderr and exits 2; an unknown one says which', async () => {
    const none = await guize();
    expect([none.code, none.out, none.err.split('\n')[0]]).toEqual([2, '', `guize (规则) ${version} — a declarative policy engine`]);
    const bad = await guize('evaluate');
    expect([bad.code, bad.out, bad.err.split('\n')[0]]).toEqual([2, '', "未知命令 'evaluate' / unknown command 'evaluate'"]);
  });

  it('an unknown option names itself and shows the command\'s help', async () => {
    const r = await guize('eval', '--policy', LINCANG, '--record', 'x.csv');
    expect(r.code).toBe(2);
    expect(r.err).toContain("'--record'");
    expect(r.err).toContain('guize eval — evaluate records with a policy');
  });
});
