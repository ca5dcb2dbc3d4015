// The command line as users expect it: did-you-mean for options and commands, no silent "last one
// wins", and file problems in words (Chinese and English), for every command that opens a file.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errnoWords, fileProblem } from '../cli/file-errors.ts';
import { guize, tempFolder } from './support/cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CITY = path.join(ROOT, 'policies', 'lincang');
const RECORDS = path.join(CITY, 'sample', 'records.csv');
const TEACHERS = path.join(CITY, 'sample', 'teachers.csv');
const folder = tempFolder('guize-conv-');

/** The first line of standard error: the message, before the help that follows it. */
const first = (r: { err: string }) => r.err.split('\n')[0];

describe('did you mean: a mistyped option or command', () => {
  it('--polcy → --policy, for each command, exit 2, nothing on stdout, the help after the message', async () => {
    const r = await guize('eval', '--polcy', CITY, '--records', RECORDS);
    expect([r.code, r.out, first(r)]).toEqual([2, '', "错误 error: 未知选项 '--polcy'，是否想用 '--policy'？ / unknown option '--polcy'; did you mean '--policy'?"]);
    expect(r.err).toContain('guize eval — evaluate records with a policy');
    expect(first(await guize('check', '--policy', CITY, '--provenence'))).toBe("错误 error: 未知选项 '--provenence'，是否想用 '--provenance'？ / unknown option '--provenence'; did you mean '--provenance'?");
    expect(first(await guize('diff', '--base', CITY, '--haed', CITY))).toBe("错误 error: 未知选项 '--haed'，是否想用 '--head'？ / unknown option '--haed'; did you mean '--head'?");
    expect(first(await guize('test', '--updte'))).toBe("错误 error: 未知选项 '--updte'，是否想用 '--update'？ / unknown option '--updte'; did you mean '--update'?");
    expect(first(await guize('explain', '--teachr', 'T1'))).toBe("错误 error: 未知选项 '--teachr'，是否想用 '--teacher'？ / unknown option '--teachr'; did you mean '--teacher'?");
  });

  it('a long option written with one dash is named whole, with the long option meant', async () => {
    const r = await guize('eval', '-policy', CITY);
    expect([r.code, first(r)]).toEqual([2, "错误 error: 未知选项 '-policy'，是否想用 '--policy'？ / unknown option '-policy'; did you mean '--policy'?"]);
  });

  it('an option near nothing known: no suggestion', async () => {
    const r = await guize('eval', '--zzzzzzzz');
    expect([r.code, first(r)]).toEqual([2, "错误 error: 未知选项 '--zzzzzzzz' / unknown option '--zzzzzzzz'"]);
  });

  it('evl → eval, chekc → check (a swap is one edit); a word near no command gets the usage alone', async () => {
    const evl = await guize('evl', '--policy', CITY);
    expect([evl.code, evl.out, first(evl)]).toEqual([2, '', "未知命令 'evl'，是否想用 'eval'？ / unknown command 'evl'; did you mean 'eval'?"]);
    expect(evl.err).toContain('Usage:');
    expect(first(await guize('chekc'))).toBe("未知命令 'chekc'，是否想用 'check'？ / unknown command 'chekc'; did you mean 'check'?");
    expect(first(await guize('frobnicate'))).toBe("未知命令 'frobnicate' / unknown command 'frobnicate'");
  });
});

describe('no "last one wins": a repeated option, two aliases, a missing value', () => {
  it('an option given twice is an error naming it', async () => {
    const r = await guize('eval', '--policy', CITY, '--records', RECORDS, '--records', TEACHERS);
    expect([r.code, r.out, first(r)]).toEqual([2, '', '错误 error: 选项 --records 给了不止一次 / --records is given more than once']);
    // A short and a long spelling of one option are one option too.
    expect(first(await guize('test', '-u', '--update'))).toBe('错误 error: 选项 -u / --update 给了不止一次 / -u / --update is given more than once');
  });

  it('both --teachers and --subjects (and --teacher with --subject) is an error', async () => {
    const r = await guize('eval', '--policy', CITY, '--records', RECORDS, '--teachers', TEACHERS, '--subjects', TEACHERS);
    expect([r.code, r.out, first(r)]).toEqual([2, '', '错误 error: --teachers 与 --subjects 是同一个选项，只能给一个 / --teachers and --subjects are the same option: give one of them']);
    for (const cmd of ['snapshot', 'diff']) {
      const c = await guize(cmd, '--teachers', TEACHERS, '--subjects', TEACHERS);
      expect([cmd, c.code, first(c)]).toEqual([cmd, 2, '错误 error: --teachers 与 --subjects 是同一个选项，只能给一个 / --teachers and --subjects are the same option: give one of them']);
    }
    const e = await guize('explain', '--policy', CITY, '--records', RECORDS, '--teacher', 'T00002', '--subject', 'T00003');
    expect([e.code, first(e)]).toEqual([2, '错误 error: --teacher 与 --subject 是同一个选项，只能给一个 / --teacher and --subject are the same option: give one of them']);
  });

  it('an option missing its value, a flag given one, an argument where none is taken', async () => {
    expect(first(await guize('eval', '--policy', '--records', RECORDS))).toBe('错误 error: 选项 --policy 需要一个值 / --policy needs a value');
    expect(first(await guize('eval', '--policy', CITY, '--records'))).toBe('错误 error: 选项 --records 需要一个值 / --records needs a value');
    expect(first(await guize('eval', '--pretty=yes'))).toBe("错误 error: 选项 --pretty 不带值 / --pretty takes no value (got 'yes')");
    expect(first(await guize('check', '--policy', CITY, 'extra'))).toBe("错误 error: 多余的参数 'extra' / unexpected argument 'extra'");
    // '-' is a value (standard input), not an option.
    const stdin = await guize('eval', '--policy', CITY, '--records', '-', '--teachers', '-');
    expect(first(stdin)).toBe('错误 error: 标准输入只能提供一个文件 / only one file can come from standard input (-)');
  });
});

describe('file problems in words, for every command that opens a file', () => {
  const nope = () => path.join(folder.path(), 'nope');
  const noSuch = (p: string) => `错误 error: 找不到文件 / no such file: ${p}\n`;

  it('a missing file: 找不到文件 / no such file, exit 2, for each file each command opens', async () => {
    const n = nope();
    const runs: [string, string[]][] = [
      ['eval policy', ['eval', '--policy', n, '--records', RECORDS]],
      ['eval records', ['eval', '--policy', CITY, '--records', n]],
      ['eval teachers', ['eval', '--policy', CITY, '--records', RECORDS, '--teachers', n]],
      ['check', ['check', '--policy', n]],
      ['explain', ['explain', '--policy', CITY, '--records', n, '--teacher', 'T00002']],
      ['diff base', ['diff', '--base', n, '--head', CITY, '--records', RECORDS]],
      ['diff records', ['diff', '--base', CITY, '--head', CITY, '--records', n]],
      ['test', ['test', n]],
    ];
    for (const [what, argv] of runs) {
      const r = await guize(...argv);
      expect([what, r.code, r.out, r.err]).toEqual([what, 2, '', noSuch(n)]);
    }
  });

  it('a folder where a file is wanted: 是一个文件夹 / is a directory', async () => {
    const d = folder.path();
    const r = await guize('eval', '--policy', CITY, '--records', d);
    expect(r).toEqual({ code: 2, out: '', err: `错误 error: 是一个文件夹 / is a directory: ${d}\n` });
    const out = await guize('eval', '--policy', CITY, '--records', RECORDS, '--out', d);
    expect(out).toEqual({ code: 2, out: '', err: `错误 error: 是一个文件夹 / is a directory: ${d}\n` });
  });

  it('--out in a folder that does not exist names the folder', async () => {
    const file = path.join(folder.path(), 'no', 'such', 'out.json');
    const r = await guize('eval', '--policy', CITY, '--records', RECORDS, '--out', file);
    expect(r).toEqual({ code: 2, out: '', err: `错误 error: 找不到文件夹 / no such folder: ${path.dirname(file)} (for ${file})\n` });
    expect(fs.existsSync(path.dirname(file))).toBe(false);
  });

  it('a path through a file: a part of the path is not a directory', async () => {
    const file = folder.write('plain.txt', 'x');
    const r = await guize('eval', '--policy', CITY, '--records', RECORDS, '--out', `${file}/out.json`);
    expect(r).toEqual({ code: 2, out: '', err: `错误 error: 路径中有一段不是文件夹 / a part of the path is not a directory: ${file}/out.json\n` });
  });

  it('permission denied, and any other error code, in words (the tests run as root, which no mode stops: the errors are made here)', () => {
    const eacces = Object.assign(new Error("EACCES: permission denied, open 'x.csv'"), { code: 'EACCES' });
    expect(fileProblem(eacces, 'x.csv')).toBe('没有权限 / permission denied: x.csv');
    expect(fileProblem(Object.assign(new Error('odd'), { code: 'EXDEV' }), 'x.csv', 'write')).toBe('无法写入 / cannot write x.csv (EXDEV)');
    expect(errnoWords('ENOENT', 'a/b.json', 'write')).toBe('找不到文件夹 / no such folder: a (for a/b.json)');
    // Not a file-system error (a bug): not disguised as one.
    expect(fileProblem(new TypeError('x is undefined'), 'x.csv')).toBeUndefined();
  });
});

describe('a mistyped top-level policy key: a located unknown-key diagnostic with the key meant', () => {
  it('paramters → parameters, in a policy file and in a version file', async () => {
    const text = fs.readFileSync(path.join(CITY, 'policy.yaml'), 'utf8');
    const lines = text.split('\n');
    const at = lines.indexOf('parameters:');
    expect(at).toBeGreaterThan(0);
    const file = folder.write('typo.yaml', text.replace(/^parameters:$/m, 'paramters:'));
    const r = await guize('check', '--policy', file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`error[unknown-key]: (top level) 中有未知的键 'paramters'\n                    unknown key 'paramters' in (top level)\n   --> ${file}:${at + 1}:1\n`);
    expect(r.err).toContain("= help: did you mean 'parameters'?");
  });
});
