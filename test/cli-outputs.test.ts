// Output for tools and officers: `guize check --format json`, `guize eval --fail-on-noncompliant`,
// the CSV's subject fields and violations, and `--rejected FILE`.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECK_JSON_FORMAT, type CheckJson } from '../cli/check-json.ts';
import { violationText } from '../cli/csv-format.ts';
import { splitReason } from '../cli/rejected-csv.ts';
import { Decimal, type Violation } from '../engine/index.ts';
import { guize, tempFolder } from './support/cli.ts';
import { csv, goodCycle, policyText, teachersCsv, training, type ReportJson } from './support/lincang.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CITY = path.join(ROOT, 'policies', 'lincang');
const RECORDS = path.join(CITY, 'sample', 'records.csv');
const TEACHERS = path.join(CITY, 'sample', 'teachers.csv');
const folder = tempFolder('guize-out-');

/** 1-based line and column (UTF-16 units) of `offset` in `text`, counted here, not by the engine's LineIndex. */
function at(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** A plain RFC 4180 CSV parser for the tests (quotes, doubled quotes, commas and line feeds inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += c;
  }
  return rows;
}

describe('guize check --format json: the diagnostics as data', () => {
  it('a mistyped top-level key: the documented shape, exact location, exit 2, nothing on stderr', async () => {
    const text = policyText.replace(/^parameters:$/m, 'paramters:');
    const file = folder.write('typo.yaml', text);
    const offset = text.indexOf('paramters:');
    const r = await guize('check', '--policy', file, '--format', 'json');
    expect([r.code, r.err]).toEqual([2, '']);
    const doc = JSON.parse(r.out) as CheckJson;
    const start = at(text, offset);
    expect(doc).toEqual({
      format: 'guize-check/1', ok: false, errors: 1, warnings: 0, truncated: false, versions: [],
      diagnostics: [{
        code: 'unknown-key', severity: 'error', file, line: start.line, column: 1,
        // 'paramters' is 9 characters: the end is just past them.
        end: { line: start.line, column: 10 },
        message: { zh: "(top level) 中有未知的键 'paramters'", en: "unknown key 'paramters' in (top level)" },
        help: "did you mean 'parameters'?",
      }],
    });
    expect(CHECK_JSON_FORMAT).toBe(doc.format);
  });

  it('a misspelt name in the rules: located in the YAML file, columns in UTF-16 units past Chinese text', async () => {
    // The requirement's label holds Chinese; the misspelt measure follows it on a later line.
    const from = 'per period when counted_period: hours >= min_hours_yearly';
    expect(policyText.split(from)).toHaveLength(2);
    const text = policyText.replace(from, 'per period when counted_period: hoursx >= min_hours_yearly');
    const file = folder.write('rule-typo.yaml', text);
    const offset = text.indexOf('hoursx >= min_hours_yearly');
    const doc = JSON.parse((await guize('check', '--policy', file, '--format', 'json')).out) as CheckJson;
    const d = doc.diagnostics.find((x) => x.code === 'unknown-name')!;
    const start = at(text, offset);
    expect(d).toMatchObject({ severity: 'error', file, line: start.line, column: start.column, end: { line: start.line, column: start.column + 'hoursx'.length }, help: "did you mean 'hours'?" });
    expect(doc.ok).toBe(false);
  });

  it('a good policy: ok, no diagnostics, its versions with their dates (read here from the files), exit 0', async () => {
    const r = await guize('check', '--policy', `${CITY}@2019.1`, '--format', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as CheckJson;
    const revision = fs.readFileSync(path.join(CITY, 'versions', '2019.1.yaml'), 'utf8');
    const effective = (t: string) => /^effective: "?(\d{4}-\d{2}-\d{2})"?$/m.exec(t)![1];
    expect([doc.ok, doc.errors, doc.warnings, doc.diagnostics, doc.provenance]).toEqual([true, 0, 0, [], undefined]);
    expect(doc.versions.map((v) => [v.version, v.effective, v.chosen, v.hypothetical])).toEqual([
      ['2017.1', effective(policyText), false, false],
      ['2019.1', effective(revision), true, true],
    ]);
  });

  it('a warning alone: ok, exit 0, the warning in the list', async () => {
    // A parameter nobody uses is a warning (unused-parameter), not an error.
    const text = policyText.replace(/^parameters:$/m, 'parameters:\n  never_used: { value: 1, cite: 测试 }');
    const file = folder.write('warn.yaml', text);
    const r = await guize('check', '--policy', file, '--format', 'json');
    const doc = JSON.parse(r.out) as CheckJson;
    expect([r.code, doc.ok, doc.errors, doc.warnings]).toEqual([0, true, 0, 1]);
    expect(doc.diagnostics[0]).toMatchObject({ severity: 'warning', line: at(text, text.indexOf('never_used')).line, column: 3 });
  });
});

describe('guize eval --fail-on-noncompliant', () => {
  it('exits 1 when a subject is not compliant (the sample has 20 of 40), with the full report on stdout', async () => {
    const r = await guize('eval', '--policy', `${CITY}@2017.1`, '--records', RECORDS, '--teachers', TEACHERS, '--fail-on-noncompliant');
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as ReportJson).summary).toMatchObject({ teachers: 40, compliant: 20, non_compliant: 20 });
    // Without the flag, the same run is done: 0.
    expect((await guize('eval', '--policy', `${CITY}@2017.1`, '--records', RECORDS, '--teachers', TEACHERS)).code).toBe(0);
  });

  it('exits 0 when every subject is compliant, in every format', async () => {
    const records = folder.write('good.csv', csv(goodCycle('G1')));
    for (const format of ['json', 'ndjson', 'csv', 'table']) {
      const r = await guize('eval', '--policy', `${CITY}@2017.1`, '--records', records, '--format', format, '--fail-on-noncompliant');
      expect([format, r.code, r.err]).toEqual([format, 0, '']);
    }
    const bad = folder.write('bad.csv', csv([training({ teacher_id: 'B1', date: '2016-06-01', level: 'county', format: 'short_term', module: 'ethics', days: 1, rate: 1, score: 95 })]));
    expect((await guize('eval', '--policy', `${CITY}@2017.1`, '--records', bad, '--format', 'csv', '--fail-on-noncompliant')).code).toBe(1);
  });
});

describe('guize eval --format csv: the subject fields and the violations with their values', () => {
  it('the subject fields follow the key; each violation says actual against required', async () => {
    const r = await guize('eval', '--policy', `${CITY}@2017.1`, '--records', RECORDS, '--teachers', TEACHERS, '--format', 'csv');
    const json = JSON.parse((await guize('eval', '--policy', `${CITY}@2017.1`, '--records', RECORDS, '--teachers', TEACHERS)).out) as ReportJson;
    const rows = parseCsv(r.out);
    const header = rows[0]!;
    expect(header.slice(0, 6)).toEqual(['teacher_id', 'school_id', 'county_id', 'hired_on', 'compliant', 'credits']);
    expect(header.at(-1)).toBe('violations');
    const teachers = fs.readFileSync(TEACHERS, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    expect(rows.slice(1).map((x) => x.slice(0, 4))).toEqual(teachers); // the teachers file's own cells, in id order
    const t2 = rows.find((x) => x[0] === 'T00002')!;
    // The README's example: T00002 has 4.13 class-management credits in 2018, 6 required (>=).
    expect(t2.at(-1)).toBe('yearly_module_credits[class_management] 2018: 4.13 < 6');
    // Every subject's cell, rebuilt from the JSON report (every Lincang requirement is a >=).
    for (const t of json.teachers) {
      const cell = rows.find((x) => x[0] === t.teacher_id)!.at(-1);
      expect(cell).toBe(t.violations.map((v) => `${v.rule}${v.key ? `[${v.key}]` : ''} ${v.year ?? 'cycle'}: ${v.actual} < ${v.required}`).join('; '));
    }
  });

  it('violationText: each comparison negated, the cycle named, a requirement with no value', () => {
    const v = (over: Partial<Violation>): Violation => ({
      rule: 'r', key: undefined, label: undefined, cites: [], period: 2017, op: '>=', actual: Decimal.parse('60')!, required: Decimal.parse('72')!,
      unit: undefined, problem: undefined, ...over,
    } as Violation);
    expect(violationText(v({}))).toBe('r 2017: 60 < 72');
    expect(violationText(v({ op: '<=', actual: Decimal.parse('0.705')!, required: Decimal.parse('0.7')!, period: undefined }))).toBe('r cycle: 0.71 > 0.7');
    expect(violationText(v({ op: '>', key: 'ethics' }))).toBe('r[ethics] 2017: 60 <= 72');
    expect(violationText(v({ op: '<' }))).toBe('r 2017: 60 >= 72');
    expect(violationText(v({ op: '==' }))).toBe('r 2017: 60 != 72');
    expect(violationText(v({ actual: undefined, problem: 'hired_on' }))).toBe('r 2017: ? (hired_on missing)');
  });
});

describe('guize eval --rejected FILE: the rejected rows as CSV, to send back', () => {
  it('the sample: one row per rejected row, its line, code and reason, and the original row whole', async () => {
    const out = path.join(folder.path(), 'rejected.csv');
    const r = await guize('eval', '--policy', `${CITY}@2017.1`, '--records', RECORDS, '--teachers', TEACHERS, '--rejected', out);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as ReportJson;
    const rows = parseCsv(fs.readFileSync(out, 'utf8'));
    const source = fs.readFileSync(RECORDS, 'utf8').split('\n'); // the sample has no quoted field
    expect(rows[0]).toEqual(['file', 'line', 'reason_code', 'reason_zh', 'reason_en', ...source[0]!.split(',')]);
    expect(rows).toHaveLength(1 + report.summary.rejected);
    expect(report.summary.rejected).toBe(10);
    for (const [k, j] of report.rejected.entries()) {
      const row = rows[k + 1]!;
      expect(row.slice(0, 3)).toEqual(['records', String(j.line), j.rule]);
      expect(row.slice(5)).toEqual(source[j.line - 1]!.split(','));
      expect(j.reason.replace(/\s*\/ /, ' / ')).toBe(`${row[3]} / ${row[4]}`);
    }
    const dup = rows.find((x) => x[2] === 'record_id')!;
    expect(dup.slice(3, 5)).toEqual(['重复的 record_id（首次出现在第 728 行）', 'duplicate record_id (first on line 728)']);
  });

  it('a teachers-file row rejected too, NDJSON records with a line that is not JSON, the columns of both files', async () => {
    const records = folder.write('r.ndjson', [
      '{"record_id":"A1","teacher_id":"T1","date":"2016-06-01","kind":"training","level":"county","format":"short_term","module":"ethics","elective":true,"days":1,"rate":1,"score":95,"in_system":true,"status":"ok"}',
      '{"record_id":"A2", oops',
      '{"record_id":"A3","teacher_id":"T2","date":"2016-06-01","kind":"training","level":"nation","format":"short_term","module":"ethics","elective":true,"days":1,"rate":1,"score":95,"in_system":true,"status":"ok","note":"x, y"}',
    ].join('\n') + '\n');
    const teachers = folder.write('t.csv', teachersCsv([{ teacher_id: 'T1', hired_on: '2016-02-30' }, { teacher_id: 'T2' }]));
    const out = path.join(folder.path(), 'rej2.csv');
    const r = await guize('eval', '--policy', `${CITY}@2017.1`, '--records', records, '--teachers', teachers, '--rejected', out);
    expect(r.code).toBe(0);
    const rows = parseCsv(fs.readFileSync(out, 'utf8'));
    const header = rows[0]!;
    // The records' columns as first seen, then the teachers file's that the records do not have.
    expect(header).toEqual(['file', 'line', 'reason_code', 'reason_zh', 'reason_en', 'record_id', 'teacher_id', 'date', 'kind', 'level', 'format', 'module', 'elective', 'days', 'rate', 'score', 'in_system', 'status', 'note', 'school_id', 'county_id', 'hired_on']);
    const cell = (row: string[], name: string) => row[header.indexOf(name)];
    expect(rows.slice(1).map((x) => [x[0], x[1], x[2]])).toEqual([
      ['records', '1', 'teacher_id'], // T1's own row was rejected: each of their records is
      ['records', '2', ''], // not JSON: no rule or field to name
      ['records', '3', 'level'],
      ['teachers', '2', 'hired_on'],
    ]);
    expect(cell(rows[1]!, 'record_id')).toBe('A1');
    expect(rows[2]!.slice(5).every((c) => c === '')).toBe(true); // not JSON: nothing to echo
    expect([cell(rows[3]!, 'level'), cell(rows[3]!, 'note'), cell(rows[3]!, 'hired_on')]).toEqual(['nation', 'x, y', '']);
    expect([cell(rows[4]!, 'teacher_id'), cell(rows[4]!, 'hired_on'), cell(rows[4]!, 'school_id'), cell(rows[4]!, 'record_id')]).toEqual(['T1', '2016-02-30', 'S1', '']);
  });

  it('refuses standard input and a FILE that is an input or the output (exit 2, nothing written)', async () => {
    const msg = async (...a: string[]) => (await guize('eval', '--policy', CITY, ...a)).err.split('\n')[0];
    expect(await msg('--records', '-', '--rejected', 'x.csv')).toBe('错误 error: --rejected 需要从文件读取输入，不能用标准输入 / --rejected reads the input files again: give them as files, not standard input (-)');
    expect(await msg('--records', RECORDS, '--rejected', RECORDS)).toBe(`错误 error: --rejected 不能覆盖 ${RECORDS} / --rejected would overwrite ${RECORDS}`);
    const o = path.join(folder.path(), 'same.json');
    expect(await msg('--records', RECORDS, '--out', o, '--rejected', o)).toBe(`错误 error: --rejected 不能覆盖 ${o} / --rejected would overwrite ${o}`);
    expect(fs.existsSync(o)).toBe(false);
  });

  it('splitReason: at the first separator outside a quoted value, after a space or Chinese punctuation', () => {
    expect(splitReason('项目学分 0.4 超出第十条规定的范围 0.5–1 / credit rate 0.4 is outside 0.5–1 (article 10)')).toEqual({ zh: '项目学分 0.4 超出第十条规定的范围 0.5–1', en: 'credit rate 0.4 is outside 0.5–1 (article 10)' });
    expect(splitReason('重复的 record_id（首次出现在第 3 行）/ duplicate record_id (first on line 3)')).toEqual({ zh: '重复的 record_id（首次出现在第 3 行）', en: 'duplicate record_id (first on line 3)' });
    expect(splitReason("level 的值 'a / b' 不是允许的值 / level: 'a / b' is not one of x")).toEqual({ zh: "level 的值 'a / b' 不是允许的值", en: "level: 'a / b' is not one of x" });
    expect(splitReason('no separator here')).toEqual({ zh: 'no separator here', en: 'no separator here' });
  });
});
