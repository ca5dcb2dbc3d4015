// Personal data (engine/input/personal-data.ts, the layout sink, cli/eval-command.ts): a column
// named as personal data by the policy's mapping (姓名, 身份证号, …), or one that is no field and
// holds ID-card numbers, is left out with a warning; no ID-card number from a file ever appears in
// a reason or a warning; the results are those of the file without such columns.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isIdCardNumber, maskIdNumbers } from '../engine/index.ts';
import { guize, tempFolder } from './support/cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const POLICY = path.join(ROOT, 'policies', 'lincang');
const SAMPLE = path.join(POLICY, 'sample');
const tmp = tempFolder('guize-privacy-');

/** An ID-card number from 17 digits: the check character computed here, by GB 11643's definition (weights 2^(17−i) mod 11). */
function idNumber(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  const r = (12 - (sum % 11)) % 11; // the check value: sum + check ≡ 1 (mod 11)
  return first17 + (r === 10 ? 'X' : String(r));
}

const records = fs.readFileSync(path.join(SAMPLE, 'records.csv'), 'utf8');
const lines = records.trimEnd().split('\n');
const ids = lines.map((_, k) => idNumber(`5309021980${String(k).padStart(7, '0')}`));

describe('personal data', () => {
  it('the ID-card check: a well-known example, numbers made here, and ones a digit off', () => {
    // 11010519491231002X: the standard's own example; its check character is X.
    expect(idNumber('11010519491231002')).toBe('11010519491231002X');
    expect(isIdCardNumber('11010519491231002X')).toBe(true);
    expect(isIdCardNumber('110105194912310021')).toBe(false);
    for (const id of ids.slice(0, 50)) expect(isIdCardNumber(id)).toBe(true);
    expect(maskIdNumbers(`a ${ids[1]} b 123456789012345678 c`)).toBe('a [身份证号 ID number] b 123456789012345678 c');
  });

  it('columns 姓名 and 身份证号, and an unnamed column of ID numbers, are left out, warned about, never shown', async () => {
    const text = lines.map((l, k) => (k === 0 ? `${l},姓名,身份证号,备用` : `${l},张${k}号,${ids[k]},${ids[k]}`)).join('\n') + '\n';
    const file = path.join(tmp.path(), 'people.csv');
    fs.writeFileSync(file, text);
    const r = await guize('eval', '--policy', POLICY, '--records', file);
    const canonical = await guize('eval', '--policy', POLICY, '--records', path.join(SAMPLE, 'records.csv'));
    expect(r.code).toBe(0);
    expect(r.out === canonical.out).toBe(true);
    expect(r.err).toContain(`警告 warning: ${file}: 未读取含个人信息的列 姓名, 身份证号（其内容不会显示）/ left out the column(s) holding personal data: 姓名, 身份证号 (their values are never shown)\n`);
    expect(r.err).toContain(`警告 warning: ${file}: 列 备用 含身份证号，未读取（其内容不会显示）/ the column(s) 备用 hold ID-card numbers: left out (their values are never shown)\n`);
    for (const k of [1, 2, 500, 1642]) {
      expect(r.err + r.out).not.toContain(ids[k]!);
      expect(r.err + r.out).not.toContain(`张${k}号`);
    }
  });

  it('an ID-card number in a field a reason quotes is masked there; 18 digits without a valid check are not', async () => {
    const bad = idNumber('53090219800101123');
    const notId = `${bad.slice(0, 17)}${bad[17] === '0' ? '1' : '0'}`;
    const text = [lines[0], lines[1]!.replace(/,(county|city|school|province|national),/, `,${bad},`), lines[2]!.replace(/,(county|city|school|province|national),/, `,${notId},`)].join('\n') + '\n';
    const file = path.join(tmp.path(), 'in-level.csv');
    fs.writeFileSync(file, text);
    const r = await guize('eval', '--policy', POLICY, '--records', file);
    const rejected = JSON.parse(r.out).rejected.map((x: { line: number; reason: string }) => [x.line, x.reason.split(' / ')[1]]);
    expect(rejected).toEqual([
      [2, "level: '[身份证号 ID number]' is not one of national, province, city, county, school"],
      [3, `level: '${notId}' is not one of national, province, city, county, school`],
    ]);
    expect(r.out + r.err).not.toContain(bad);
  });

  it('the provincial layout: its 姓名 column is left out, the results those of the canonical file', async () => {
    const wide = ['记录编号,教师编号,完成日期,类别,项目级别,学时,项目学分,成绩,已录入系统,状态,姓名', `R1,T1,2016/3/1,培训,县级,6,1,90,是,有效,李四`].join('\n') + '\n';
    const plain = ['record_id,teacher_id,date,kind,level,hours,rate,score,in_system,status', 'R1,T1,2016-03-01,training,county,6,1,90,true,ok'].join('\n') + '\n';
    const a = path.join(tmp.path(), 'zh.csv');
    const b = path.join(tmp.path(), 'plain.csv');
    fs.writeFileSync(a, wide);
    fs.writeFileSync(b, plain);
    const zh = await guize('eval', '--policy', POLICY, '--records', a);
    const canonical = await guize('eval', '--policy', POLICY, '--records', b);
    const report = JSON.parse(zh.out);
    delete report.input;
    expect(JSON.stringify(report)).toBe(canonical.out.trimEnd());
    expect(zh.err).toContain('left out the column(s) holding personal data: 姓名');
    expect(zh.err + zh.out).not.toContain('李四');
  });
});

describe('personal data on several threads', () => {
  it('a file read in parts says the same and shows nothing', async () => {
    const text = lines.map((l, k) => (k === 0 ? `${l},姓名,备用` : `${l},张${k}号,${ids[k]}`)).join('\n') + '\n';
    const file = path.join(tmp.path(), 'people-parts.csv');
    fs.writeFileSync(file, text);
    const one = await guize('eval', '--policy', POLICY, '--records', file, '--threads', '1');
    const two = await guize('eval', '--policy', POLICY, '--records', file, '--threads', '2');
    expect(two.out === one.out).toBe(true);
    expect(two.err).toBe(one.err);
    expect(one.err).toContain('left out the column(s) holding personal data: 姓名');
    expect(one.err).toContain('the column(s) 备用 hold ID-card numbers');
  });
});
