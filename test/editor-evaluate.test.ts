// The editor's evaluation (editor/src/evaluate-policy.ts, what its web worker runs) against the
// real `guize` binary: the same policy texts and data give the same JSON report, byte for byte
// once parsed, for the default versions, one chosen version, the county fork and NDJSON input.
// The CLI reads the files from disk and writes through its own output path; the oracle for the
// numbers themselves is the engine's own test suite. Plus the pieces of the editor that are not
// the engine: diagnostics placed at line and column, the article lookup, the exact shortfall.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleText } from '../editor/src/articles.ts';
import { evaluatePolicy, type DataFile } from '../editor/src/evaluate-policy.ts';
import { shortfall } from '../editor/src/shortfall.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const enc = new TextEncoder();
const data = (p: string): DataFile => ({ name: path.basename(p), bytes: fs.readFileSync(path.join(ROOT, p)) });

/** Every policy file, by repository path, as the editor bundles them. */
function policyFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const dir of ['policies/lincang', 'policies/lincang-county']) {
    out[`${dir}/policy.yaml`] = read(`${dir}/policy.yaml`);
    const versions = path.join(ROOT, dir, 'versions');
    if (fs.existsSync(versions)) for (const f of fs.readdirSync(versions)) out[`${dir}/versions/${f}`] = read(`${dir}/versions/${f}`);
  }
  return out;
}

function cli(policy: string, records: string, teachers?: string): unknown {
  const args = ['bin/guize.mjs', 'eval', '--policy', policy, '--records', records, ...(teachers ? ['--teachers', teachers] : [])];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 }));
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'guize-editor-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const RECORDS = 'policies/lincang/sample/records.csv';
const TEACHERS = 'policies/lincang/sample/teachers.csv';

describe('the editor evaluates as guize eval does', () => {
  it('the Lincang policy, each version where it is in force, over the sample', () => {
    const o = evaluatePolicy({ files: policyFiles(), path: 'policies/lincang', choice: {}, records: data(RECORDS), subjects: data(TEACHERS) });
    expect(o.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(o.report).toEqual(cli('policies/lincang', RECORDS, TEACHERS));
    expect(o.versions.map((v) => v.version)).toEqual(['2017.1', '2019.1']);
    expect(o.subject).toEqual({ key: 'teacher_id', collection: 'teachers' });
  });

  it('one version for everything (policies/lincang@2017.1)', () => {
    const o = evaluatePolicy({ files: policyFiles(), path: 'policies/lincang', choice: { version: '2017.1' }, records: data(RECORDS), subjects: data(TEACHERS) });
    expect(o.chosen).toBe('2017.1');
    expect(o.report).toEqual(cli('policies/lincang@2017.1', RECORDS, TEACHERS));
  });

  it('the county fork, with provenance of what it inherits and overrides', () => {
    const o = evaluatePolicy({ files: policyFiles(), path: 'policies/lincang-county', choice: {}, records: data(RECORDS), subjects: data(TEACHERS) });
    expect(o.report).toEqual(cli('policies/lincang-county', RECORDS, TEACHERS));
    const origins = new Set(o.provenance.map((e) => e.origin));
    expect(origins).toEqual(new Set(['own', 'inherited', 'overridden']));
    // The county's own yearly ethics-hours requirement is written in its own file.
    const inherited = o.provenance.find((e) => e.item === 'min_credits_yearly');
    expect(inherited).toMatchObject({ origin: 'inherited', file: 'policies/lincang/versions/2019.1.yaml' });
  });

  it('NDJSON records (by extension), as the CLI reads them', () => {
    const lines = read(RECORDS).trim().split('\n');
    const head = lines[0]!.split(',');
    // The sample has no quoted fields: a plain split is this test's own CSV reading.
    const ndjson = lines.slice(1).map((l) => JSON.stringify(Object.fromEntries(l.split(',').map((v, k) => [head[k]!, v]).filter(([, v]) => v !== '')))).join('\n');
    const file = path.join(tmp, 'records.ndjson');
    fs.writeFileSync(file, `${ndjson}\n`);
    const o = evaluatePolicy({ files: policyFiles(), path: 'policies/lincang', choice: {}, records: { name: 'records.ndjson', bytes: enc.encode(`${ndjson}\n`) }, subjects: data(TEACHERS) });
    expect(o.report).toEqual(cli('policies/lincang', file, TEACHERS));
  });
});

describe('what the editor shows', () => {
  it('a misspelt name in the rules: unknown-name at its line and column, in both languages, with help', () => {
    const files = policyFiles();
    const text = files['policies/lincang/policy.yaml']!;
    const at = text.indexOf('credits >= min_credits_yearly') + 'credits >= min_credits_yearly'.length;
    files['policies/lincang/policy.yaml'] = `${text.slice(0, at)}x${text.slice(at)}`;
    const o = evaluatePolicy({ files, path: 'policies/lincang', choice: {}, records: data(RECORDS), subjects: undefined });
    expect(o.report).toBeUndefined();
    // The line: as many as there are line breaks before the name, plus one; the column: after the last break.
    const before = text.slice(0, at - 'min_credits_yearly'.length);
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    expect(o.diagnostics).toEqual([{
      code: 'unknown-name', severity: 'error', file: 'policies/lincang/policy.yaml', line, column, endLine: line, endColumn: column + 'min_credits_yearlyx'.length,
      message: "unknown name 'min_credits_yearlyx'", zh: "未知的名称 'min_credits_yearlyx'", help: "did you mean 'min_credits_yearly'?",
    }]);
  });

  it('a YAML key the schema does not know: a marker on its line', () => {
    const files = policyFiles();
    const text = files['policies/lincang/policy.yaml']!;
    files['policies/lincang/policy.yaml'] = text.replace('\nunits:', '\nunitz:');
    const o = evaluatePolicy({ files, path: 'policies/lincang', choice: {}, records: data(RECORDS), subjects: undefined });
    const line = text.slice(0, text.indexOf('\nunits:') + 1).split('\n').length;
    expect(o.diagnostics.find((d) => d.code === 'unknown-key')).toMatchObject({ line, column: 1, endColumn: 6 });
  });

  it('a records file without a required column is refused with a bilingual reason, not evaluated', () => {
    const o = evaluatePolicy({ files: policyFiles(), path: 'policies/lincang', choice: {}, records: { name: 'r.csv', bytes: enc.encode('record_id,date\nR1,2017-01-01\n') }, subjects: undefined });
    expect(o.report).toBeUndefined();
    expect(o.inputError).toMatch(/^r\.csv 缺少必需的列 teacher_id.* \/ r\.csv lacks the required column\(s\) teacher_id/);
  });

  it('text that is not UTF-8 is refused', () => {
    const bytes = new Uint8Array([...enc.encode(`${read(RECORDS).split('\n')[0]}\n`), 0xff, 0x0a]);
    const o = evaluatePolicy({ files: policyFiles(), path: 'policies/lincang', choice: {}, records: { name: 'gbk.csv', bytes }, subjects: undefined });
    expect(o.inputError).toMatch(/gbk\.csv 不是 UTF-8 编码的文本.*not UTF-8 text/);
  });

  it("an article's text, found by its heading in the bundled source document", () => {
    const doc = read('policies/lincang/source/lincang-2017-105.txt');
    const t = articleText(doc, '管理办法 第十一条')!;
    expect(t.startsWith('第十一条 在 5年一周期的全员培训中')).toBe(true);
    expect(t).not.toContain('第十二条');
    expect(articleText(doc, '假设修订 第三条')).toBeUndefined();
    expect(articleText(doc, '管理办法')).toBeUndefined();
  });

  it('the shortfall is exact: 6 − 4.13 = 1.87 (as a float, 1.8700000000000001)', () => {
    expect(shortfall({ actual: 4.13, required: 6 })).toBe('1.87');
    expect(shortfall({ actual: null, required: 6 })).toBeUndefined();
  });
});
