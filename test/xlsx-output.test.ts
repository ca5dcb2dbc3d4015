// XLSX out (cli/xlsx-output.ts): `guize eval --format xlsx --out FILE` read back with exceljs —
// the sheets, their frozen header rows, the labels in Chinese and in English, and values checked
// against the JSON report of the same run (its numbers) and against hand-counted sample facts.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { guize, tempFolder } from './support/cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const POLICY = `${path.join(ROOT, 'policies', 'lincang')}@2017.1`;
const SAMPLE = path.join(ROOT, 'policies', 'lincang', 'sample');
const tmp = tempFolder('guize-xlsx-out-');
const args = ['--policy', POLICY, '--records', path.join(SAMPLE, 'records.csv'), '--teachers', path.join(SAMPLE, 'teachers.csv')];

async function read(file: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

/** A sheet's rows as arrays of cell values (1-based values without the hole). */
function rows(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
}

describe('guize eval --format xlsx', () => {
  it('writes the four sheets with frozen Chinese headers, and the values of the JSON report', async () => {
    const file = path.join(tmp.path(), 'out.xlsx');
    const r = await guize('eval', ...args, '--format', 'xlsx', '--out', file);
    expect([r.code, r.out]).toEqual([0, '']);
    const json = JSON.parse((await guize('eval', ...args)).out);
    const wb = await read(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '达标情况', '未达标明细', '拒收记录']);
    for (const ws of wb.worksheets) expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    const summary = rows(wb.getWorksheet('汇总')!);
    // The sample's counts (README, JSON output): 1 642 rows, 1 631 evaluated, 44 count for nothing, 10 rejected, 1 out of scope, 40 teachers.
    expect(summary).toEqual([
      ['项目', '数量'],
      ['策略', 'lincang.teacher-training 2017.1'],
      ['文件', '临教发〔2017〕105号'],
      ['读入记录', 1642], ['已评估', 1631], ['其中不计', 44], ['拒收', 10], ['周期外', 1],
      ['人数', 40], ['达标', json.summary.compliant], ['未达标', json.summary.non_compliant],
    ]);

    const subjects = rows(wb.getWorksheet('达标情况')!);
    expect(subjects[0]!.slice(0, 3)).toEqual(['编号', '达标', expect.any(String)]);
    expect(subjects[0]!.at(-1)).toBe('未达标项数');
    expect(subjects).toHaveLength(41);
    // T00002 (README's JSON excerpt): not compliant, 709.41 credits, 538 hours, one violation under 2017.1.
    const t2 = subjects.find((row) => row[0] === 'T00002')!;
    const t2json = json.teachers.find((t: { teacher_id: string }) => t.teacher_id === 'T00002');
    expect(t2.slice(0, 4)).toEqual(['T00002', '否', 709.41, 538]);
    expect(t2.at(-1)).toBe(t2json.violations.length);

    const violations = rows(wb.getWorksheet('未达标明细')!);
    expect(violations[0]).toEqual(['编号', '要求', '键', '期间', '实际', '要求值', '条款', '说明']);
    const all = json.teachers.flatMap((t: { violations: unknown[] }) => t.violations);
    expect(violations).toHaveLength(1 + all.length);
    // T00002's 2018 class-management credits: 4.13 of 6 (README).
    expect(violations.find((v) => v[0] === 'T00002')).toEqual(['T00002', 'yearly_module_credits', 'class_management', 2018, 4.13, 6, '管理办法 第十一条',
      '模块年度学分（class_management）：2018年实际 4.13学分，要求不少于 6.00学分']);

    const rejected = rows(wb.getWorksheet('拒收记录')!);
    expect(rejected[0]).toEqual(['文件', '行', '记录编号', '原因', '规则']);
    expect(rejected.slice(1).map((x) => [x[1], x[2]])).toEqual(json.rejected.map((x: { line: number; record_id: string }) => [x.line, x.record_id]));
    expect(rejected[1]).toEqual(['记录', 188, 'R0000187', "level 的值 'provincial' 不是允许的值（national、province、city、county、school）", 'level']);
  });

  it('--lang en: English sheet names and labels; --format xlsx needs --out; --lang only with xlsx', async () => {
    const file = path.join(tmp.path(), 'en.xlsx');
    expect((await guize('eval', ...args, '--format', 'xlsx', '--out', file, '--lang', 'en')).code).toBe(0);
    const wb = await read(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Subjects', 'Violations', 'Rejected']);
    expect(rows(wb.getWorksheet('Summary')!)[3]).toEqual(['rows read', 1642]);
    expect(rows(wb.getWorksheet('Subjects')!)[0]!.slice(0, 3)).toEqual(['teacher_id', 'compliant', 'credits']);
    expect(rows(wb.getWorksheet('Violations')!)[0]).toEqual(['teacher_id', 'requirement', 'key', 'period', 'actual', 'required', 'article', 'message']);
    expect(rows(wb.getWorksheet('Rejected')!)[1]).toEqual(['records', 188, 'R0000187', "level: 'provincial' is not one of national, province, city, county, school", 'level']);
    const noOut = await guize('eval', ...args, '--format', 'xlsx');
    expect([noOut.code, noOut.err]).toEqual([2, '错误 error: --format xlsx 需要 --out FILE.xlsx / --format xlsx needs --out FILE.xlsx (a workbook is no text for standard output)\n']);
    const lang = await guize('eval', ...args, '--lang', 'en');
    expect(lang.err).toContain('--lang goes with --format xlsx');
  });
});
