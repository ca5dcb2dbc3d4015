// XLSX in (cli/xlsx-input.ts): the sample written as workbooks with exceljs's own writer — numbers
// as numbers, dates as Excel dates, booleans as booleans, in canonical and in Chinese (provincial)
// layouts — gives the results of the canonical CSV; row numbers are lines; the caps hold.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { cellText } from '../cli/xlsx-input.ts';
import { guize, tempFolder } from './support/cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const POLICY = path.join(ROOT, 'policies', 'lincang');
const SAMPLE = path.join(POLICY, 'sample');
const tmp = tempFolder('guize-xlsx-');
const at = (name: string) => path.join(tmp.path(), name);

const NUMBER = new Set(['days', 'hours', 'practical_hours', 'rate', 'score']);
const DATES = new Set(['date', 'hired_on']);
const BOOL = new Set(['elective', 'in_system']);
const ZH: Record<string, string> = {
  record_id: '记录编号', teacher_id: '教师编号', date: '完成日期', kind: '类别', level: '项目级别', format: '培训形式', module: '模块',
  elective: '自主选学', days: '天数', hours: '学时', practical_hours: '实践学时', rate: '项目学分', score: '成绩', in_system: '已录入系统', status: '状态',
  school_id: '学校代码', county_id: '县区代码', hired_on: '任职日期',
};
const LEVEL_ZH: Record<string, string> = { national: '国家级', province: '省级', city: '市级', county: '县级', school: '校级' };
const STATUS_ZH: Record<string, string> = { ok: '有效', void: '伪造篡改', ineffective: '未按计划实施' };

/**
 * A cell as a spreadsheet would hold the CSV's text: a number that reads back to the same text
 * as a number, a real date as a date, true/false as a boolean; anything else (bad values the
 * sample holds on purpose) as text. `zh`: the provincial words for levels, statuses and booleans.
 */
function cell(col: string, text: string, zh: boolean): ExcelJS.CellValue {
  if (text === '') return null;
  if (NUMBER.has(col) && String(Number(text)) === text) return Number(text);
  if (DATES.has(col) && /^\d{4}-\d{2}-\d{2}$/.test(text)) return new Date(`${text}T00:00:00Z`);
  if (BOOL.has(col) && (text === 'true' || text === 'false')) return zh ? (text === 'true' ? '是' : '否') : text === 'true';
  if (zh && col === 'level') return LEVEL_ZH[text] ?? text;
  if (zh && col === 'status') return STATUS_ZH[text] ?? text;
  return text;
}

/** Writes the CSV `text` (no quotes in the sample) as a workbook of one sheet (after an empty `Notes` sheet when `second`). */
async function workbook(file: string, text: string, zh: boolean, sheet = 'Sheet1', extraSheet?: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  if (extraSheet) wb.addWorksheet(extraSheet).addRow(['nothing here']);
  const [head, ...rows] = text.trimEnd().split('\n');
  const cols = head!.split(',');
  ws.addRow(cols.map((c) => (zh ? ZH[c]! : c)));
  for (const r of rows) ws.addRow(r.split(',').map((v, k) => cell(cols[k]!, v, zh)));
  await wb.xlsx.writeFile(file);
  return file;
}

const records = fs.readFileSync(path.join(SAMPLE, 'records.csv'), 'utf8');
const teachers = fs.readFileSync(path.join(SAMPLE, 'teachers.csv'), 'utf8');

describe('XLSX in', () => {
  it('guize diff reads workbooks (with --sheet) as eval does: the same report as from the canonical CSV', async () => {
    const sides = ['--base', `${POLICY}@2017.1`, '--head', `${POLICY}@2019.1`, '--format', 'json'];
    const canonical = await guize('diff', ...sides, '--records', path.join(SAMPLE, 'records.csv'), '--teachers', path.join(SAMPLE, 'teachers.csv'));
    const zh = await guize('diff', ...sides, '--records', await workbook(at('diff-export.xlsx'), records, true, 'Records', 'Notes'),
      '--sheet', 'Records', '--teachers', await workbook(at('diff-teachers.xlsx'), teachers, true));
    expect([zh.code, canonical.code]).toEqual([0, 0]);
    expect(zh.out === canonical.out).toBe(true);
    expect(zh.err).toContain("按输入映射 'provincial'");
    const noSheet = await guize('diff', ...sides, '--records', path.join(SAMPLE, 'records.csv'), '--sheet', 'Records');
    expect(noSheet.code).toBe(2);
    expect(noSheet.err).toContain('--sheet goes with an XLSX workbook');
  });

  it('the sample as workbooks, canonical and with Chinese headers and values, gives the results of the CSV', async () => {
    const canonical = await guize('eval', '--policy', POLICY, '--records', path.join(SAMPLE, 'records.csv'), '--teachers', path.join(SAMPLE, 'teachers.csv'));
    const plain = await guize('eval', '--policy', POLICY, '--records', await workbook(at('records.xlsx'), records, false), '--teachers', await workbook(at('teachers.xlsx'), teachers, false));
    expect(plain.code).toBe(0);
    expect(plain.out === canonical.out).toBe(true);
    const zh = await guize('eval', '--policy', POLICY, '--records', await workbook(at('export.xlsx'), records, true), '--teachers', await workbook(at('teachers-zh.xlsx'), teachers, true));
    expect(zh.code).toBe(0);
    const report = JSON.parse(zh.out);
    expect(report.input.records.mapping).toBe('provincial');
    expect(report.input.teachers.mapping).toBe('provincial');
    delete report.input;
    expect(JSON.stringify(report) === canonical.out.trimEnd()).toBe(true);
    // Rows read = evaluated + rejected + out of scope, the rejected on their row numbers (line 188: the bad level).
    const s = report.summary;
    expect([s.rows_read, s.evaluated + s.rejected + s.out_of_scope]).toEqual([1642, 1642]);
    expect(report.rejected[0]).toMatchObject({ record_id: 'R0000187', line: 188 });
  });

  it('--sheet NAME reads that sheet; a name not there lists the sheets; --sheet on a CSV is an error', async () => {
    const file = await workbook(at('two.xlsx'), records.split('\n').slice(0, 4).join('\n'), false, 'Data', 'Notes');
    const first = await guize('eval', '--policy', POLICY, '--records', file);
    expect(JSON.parse(first.out).summary.rows_read).toBe(3);
    const named = await guize('eval', '--policy', POLICY, '--records', file, '--sheet', 'Data');
    expect(named.out).toBe(first.out);
    const notes = await guize('eval', '--policy', POLICY, '--records', file, '--sheet', 'Notes');
    // The Notes sheet's one cell is a header without the required columns.
    expect(notes.code).toBe(2);
    expect(notes.err).toContain('lacks the required column(s) record_id, teacher_id, date, kind, in_system, status');
    const none = await guize('eval', '--policy', POLICY, '--records', file, '--sheet', 'Nope');
    expect([none.code, none.err]).toEqual([2, `错误 error: ${file} 中没有名为 'Nope' 的工作表（有：Data、Notes）/ ${file} has no sheet 'Nope' (sheets: Data, Notes)\n`]);
    const csv = await guize('eval', '--policy', POLICY, '--records', path.join(SAMPLE, 'records.csv'), '--sheet', 'Data');
    expect(csv.code).toBe(2);
    expect(csv.err).toContain('--sheet goes with an XLSX workbook');
  });

  it('row numbers are lines: rows left empty, short rows padded, a cell with a line break stays on its row', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    const cols = records.split('\n')[0]!.split(',');
    ws.getRow(1).values = cols;
    const row = (n: number, id: string, level: string) => {
      ws.getRow(n).values = [id, 'T1', new Date('2016-03-01T00:00:00Z'), 'training', level, 'short_term', 'ethics', true, null, 6, null, 1, 90, true, 'ok'];
    };
    row(2, 'R1', 'county');
    // Rows 3–4 empty; row 5 has a line break in its level; row 6 ends after its teacher id (short).
    row(5, 'R2', 'cou\nnty');
    ws.getRow(6).values = ['R3', 'T1'];
    row(7, 'R4', 'nope');
    const file = at('lines.xlsx');
    await wb.xlsx.writeFile(file);
    const r = await guize('eval', '--policy', POLICY, '--records', file);
    const rejected = JSON.parse(r.out).rejected.map((x: { record_id: string; line: number }) => [x.record_id, x.line]);
    // R3 lacks its date, kind, in_system and status (required): rejected on line 6.
    expect(rejected).toEqual([['R2', 5], ['R3', 6], ['R4', 7]]);
    expect(JSON.parse(r.out).summary.rows_read).toBe(4);
  });

  it('cells read as the CSV text: numbers, dates, booleans, rich text, formulas, errors', () => {
    expect(cellText(0.85)).toBe('0.85');
    expect(cellText(530902054)).toBe('530902054');
    expect(cellText(-0)).toBe('0');
    expect(cellText(new Date('2016-06-15T00:00:00Z'))).toBe('2016-06-15');
    expect(cellText(new Date('2016-06-15T08:30:00Z'))).toBe('2016-06-15T08:30:00');
    expect(cellText(true)).toBe('true');
    expect(cellText({ richText: [{ text: '国家' }, { text: '级' }] })).toBe('国家级');
    expect(cellText({ formula: 'A1*2', result: 12 })).toBe('12');
    expect(cellText({ text: 'link', hyperlink: 'http://x' })).toBe('link');
    expect(cellText({ error: '#N/A' })).toBe('#N/A');
    expect(cellText(null)).toBe('');
  });

  it('refuses a file that is no workbook, and a workbook that unpacks past the cap, before unpacking it', async () => {
    const bad = at('bad.xlsx');
    fs.writeFileSync(bad, 'not a zip');
    const r = await guize('eval', '--policy', POLICY, '--records', bad);
    expect([r.code, r.err]).toEqual([2, `错误 error: ${bad} 不是 XLSX 工作簿（不是 zip 文件）/ ${bad} is not an XLSX workbook (not a zip file)\n`]);
    // A zip whose central directory says one entry unpacks to 0xFFFFFFFE bytes (about 4 GiB): the
    // end record and one directory entry, hand-made.
    const entry = new Uint8Array(46 + 1);
    const e = new DataView(entry.buffer);
    e.setUint32(0, 0x02014b50, true);
    e.setUint32(24, 0xfffffffe, true);
    e.setUint16(28, 1, true);
    entry[46] = 0x61;
    const end = new Uint8Array(22);
    const d = new DataView(end.buffer);
    d.setUint32(0, 0x06054b50, true);
    d.setUint16(10, 1, true);
    d.setUint32(12, entry.length, true);
    d.setUint32(16, 4, true);
    const bomb = at('bomb.xlsx');
    fs.writeFileSync(bomb, Buffer.concat([Buffer.from('PK\x03\x04'), entry, end]));
    const b = await guize('eval', '--policy', POLICY, '--records', bomb);
    expect([b.code, b.err]).toEqual([2, `错误 error: ${bomb} 解压后超过 1024 MiB / ${bomb} unpacks to more than 1024 MiB\n`]);
  });
});
