// `guize fmt`: which files it finds, what it writes and prints, its exit codes (0 done, 1 with
// --check a file would change, 2 a file that does not parse or a wrong command line), and the
// shipped policies kept formatted (this test is how `npm test` runs `guize fmt --check policies`).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { guize, tempFolder } from './support/cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const folder = tempFolder('guize-fmt-');

const UNFORMATTED = '# city policy\nversion: "1"   # quoted\nrules: |\n  # first\n  let x=(a*b)+c\n\n\n  let y = 1 # y\n\n# after\nother: 1\n';
const FORMATTED = '# city policy\nversion: "1"   # quoted\nrules: |\n  # first\n  let x = a * b + c\n\n  let y = 1 # y\n\n# after\nother: 1\n';
const VERSION = 'revises: "1"\nadd:\n  rules: |\n    let z = 1\n';

/** A policy tree: a city with a version file, a county folder below it, a tests folder that is not searched. */
function tree(name: string): { dir: string; city: string; version: string; county: string; test: string } {
  const dir = path.join(folder.path(), name);
  const files = {
    city: path.join(dir, 'city', 'policy.yaml'),
    version: path.join(dir, 'city', 'versions', '2.yaml'),
    county: path.join(dir, 'city', 'county', 'policy.yaml'),
    test: path.join(dir, 'city', 'tests', 'policy.yaml'),
  };
  for (const f of Object.values(files)) fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(files.city, UNFORMATTED);
  fs.writeFileSync(files.version, VERSION);
  fs.writeFileSync(files.county, 'rules: |\n  reject r when a because "x"\n');
  fs.writeFileSync(files.test, 'rules: |\n  let   untouched = 1\n');
  return { dir, ...files };
}

describe('guize fmt', () => {
  it('the shipped policies are formatted: guize fmt --check policies exits 0', async () => {
    const r = await guize('fmt', '--check', path.join(ROOT, 'policies'));
    expect([r.code, r.out]).toEqual([0, '']);
    // Five policy files: lincang's policy.yaml and 2019.1, the county fork, nmc-revalidation, tx-cme.
    expect(r.err).toBe('5 个文件 files: 0 需要格式化 would reformat, 5 已是规范格式 already formatted\n');
  });

  it('--check: lists the files that would change, writes nothing, exit 1; a folder gives every policy.yaml and versions/*.yaml below it, not tests/', async () => {
    const t = tree('check');
    const r = await guize('fmt', '--check', t.dir);
    expect([r.code, r.out]).toEqual([1, `需要格式化 would reformat: ${t.city}\n需要格式化 would reformat: ${t.county}\n`]);
    expect(r.err).toBe('3 个文件 files: 2 需要格式化 would reformat, 1 已是规范格式 already formatted\n');
    expect(fs.readFileSync(t.city, 'utf8')).toBe(UNFORMATTED);
    expect(fs.readFileSync(t.test, 'utf8')).toBe('rules: |\n  let   untouched = 1\n');
  });

  it('rewrites the files whose formatting differs and names them; then --check exits 0', async () => {
    const t = tree('write');
    const r = await guize('fmt', t.dir);
    expect([r.code, r.out]).toEqual([0, `已格式化 formatted: ${t.city}\n已格式化 formatted: ${t.county}\n`]);
    expect(fs.readFileSync(t.city, 'utf8')).toBe(FORMATTED);
    expect(fs.readFileSync(t.county, 'utf8')).toBe('rules: |\n  reject r when a\n    because "x"\n');
    expect(fs.readFileSync(t.version, 'utf8')).toBe(VERSION);
    expect((await guize('fmt', '--check', t.dir)).code).toBe(0);
  });

  it('--diff: a unified diff on standard output, nothing written', async () => {
    const t = tree('diff');
    const r = await guize('fmt', '--diff', t.city);
    expect(r.code).toBe(0);
    expect(r.out).toBe([
      `--- a/${t.city}`,
      `+++ b/${t.city}`,
      // Three lines of context each side, as diff -u: old lines 2–9, new 2–8.
      '@@ -2,8 +2,7 @@',
      ' version: "1"   # quoted',
      ' rules: |',
      '   # first',
      '-  let x=(a*b)+c',
      '-',
      '+  let x = a * b + c',
      ' ',
      '   let y = 1 # y',
      ' ',
      '',
    ].join('\n'));
    expect(fs.readFileSync(t.city, 'utf8')).toBe(UNFORMATTED);
    // With --check as well: the diff, then the name, and exit 1.
    const both = await guize('fmt', '--check', '--diff', t.city);
    expect([both.code, both.out]).toEqual([1, `${r.out}需要格式化 would reformat: ${t.city}\n`]);
    expect(fs.readFileSync(t.city, 'utf8')).toBe(UNFORMATTED);
  });

  it('a file that does not parse is left as it is: its located, bilingual diagnostic, exit 2, the others still formatted', async () => {
    const bad = folder.write('bad.yaml', 'title: t\nrules: |\n  let x = (1\n  let y=2\n');
    const good = folder.write('good.yaml', 'rules: |\n  let y=2\n');
    const r = await guize('fmt', bad, good);
    expect(r.code).toBe(2);
    expect(fs.readFileSync(bad, 'utf8')).toBe('title: t\nrules: |\n  let x = (1\n  let y=2\n');
    expect(fs.readFileSync(good, 'utf8')).toBe('rules: |\n  let y = 2\n');
    expect(r.err).toContain(`error[syntax-error]: 此处应为 ')'，实际是 'let'\n`);
    expect(r.err).toContain(`expected ')', found 'let'`);
    expect(r.err).toContain(`--> ${bad}:4:3\n`);
    expect(r.err).toContain(`未格式化 not formatted (它无法解析 it does not parse; left as it is): ${bad}\n`);
    // --check too: a file that cannot be read says more than one that would change.
    const check = await guize('fmt', '--check', bad, folder.write('ugly.yaml', 'rules: |\n  let y=2\n'));
    expect(check.code).toBe(2);
  });

  it('keeps a byte-order mark', async () => {
    const file = folder.write('bom.yaml', '\uFEFFrules: |\n  let y=2\n');
    expect((await guize('fmt', file)).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe('\uFEFFrules: |\n  let y = 2\n');
  });

  it('the command line as every command takes it: did you mean, repeated flags, files in words, no path', async () => {
    const first = (r: { err: string }) => r.err.split('\n')[0];
    const file = folder.write('p.yaml', 'rules: |\n  let y = 2\n');
    let r = await guize('fmt', '--chek', file);
    expect([r.code, first(r)]).toEqual([2, "错误 error: 未知选项 '--chek'，是否想用 '--check'？ / unknown option '--chek'; did you mean '--check'?"]);
    r = await guize('fmt', '--check', '--check', file);
    expect([r.code, first(r)]).toEqual([2, '错误 error: 选项 --check 给了不止一次 / --check is given more than once']);
    r = await guize('fmt', path.join(folder.path(), 'nope.yaml'));
    expect([r.code, first(r)]).toEqual([2, `错误 error: 找不到文件 / no such file: ${path.join(folder.path(), 'nope.yaml')}`]);
    r = await guize('fmt');
    expect([r.code, first(r)]).toEqual([2, '错误 error: 需要至少一个策略文件或文件夹 / give at least one policy file or folder (guize fmt PATH…)']);
    r = await guize('fmt', '--help');
    expect([r.code, r.out.split('\n')[0]]).toEqual([0, 'guize fmt — format the rules in policy files']);
    const empty = path.join(folder.path(), 'empty');
    fs.mkdirSync(empty);
    r = await guize('fmt', empty);
    expect([r.code, first(r)]).toEqual([2, `错误 error: ${empty} 下没有策略文件（policy.yaml）/ no policy file (policy.yaml) under ${empty}`]);
  });
});

describe('the unified diff of --diff (cli/line-diff.ts)', () => {
  it('two changes far apart: two hunks, three lines of context each; equal texts: nothing', async () => {
    const { unifiedDiff } = await import('../cli/line-diff.ts');
    const before = `${Array.from({ length: 12 }, (_, i) => `l${i + 1}`).join('\n')}\n`;
    const after = before.replace('l2\n', 'L2\n').replace('l11\n', 'l11\nnew\n');
    expect(unifiedDiff('f', before, after)).toBe([
      '--- a/f', '+++ b/f',
      '@@ -1,5 +1,5 @@', ' l1', '-l2', '+L2', ' l3', ' l4', ' l5',
      '@@ -9,4 +9,5 @@', ' l9', ' l10', ' l11', '+new', ' l12',
      '',
    ].join('\n'));
    expect(unifiedDiff('f', before, before)).toBe('');
  });
});
