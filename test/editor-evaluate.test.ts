// The editor's evaluation (editor/src/evaluate-policy.ts, what its web worker runs) against the
// real `guize` binary: the same policy texts and data give the same JSON report, byte for byte
// once parsed, for the default versions, one chosen version, the county fork and NDJSON input.
// The CLI reads the files from disk and writes through its own output path; the oracle for the
// numbers themselves is the engine's own test suite. Plus the pieces of the editor that are not
// the engine: diagnostics placed at line and column, the article lookup.
// The teacher view's explanation and the change pane's diff are held to `guize explain --format
// json` and `guize diff --format json`, run in-process through cli/main.ts on the same files
// (the editor's texts keyed by the absolute paths the CLI reads, so provenance names the same files).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { articleText } from '../editor/src/articles.ts';
import { compareImpact, parentOf } from '../editor/src/change-impact.ts';
import { evaluatePolicy, type DataFile } from '../editor/src/evaluate-policy.ts';
import { explainSubject } from '../editor/src/explain-subject.ts';

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
});

/** `guize …` in-process; the JSON it prints (stderr must be empty, the exit code 0). */
async function guizeJson(...argv: string[]): Promise<unknown> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  expect(err).toBe('');
  expect(code).toBe(0);
  return JSON.parse(out);
}

/** A policy folder's files (policy.yaml and versions/), keyed by absolute path as the CLI reads them. */
function folderFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = { [`${dir}/policy.yaml`]: fs.readFileSync(`${dir}/policy.yaml`, 'utf8') };
  const versions = path.join(dir, 'versions');
  if (fs.existsSync(versions)) for (const f of fs.readdirSync(versions)) out[`${versions}/${f}`] = fs.readFileSync(path.join(versions, f), 'utf8');
  return out;
}

const abs = (p: string) => path.join(ROOT, p);
const LINCANG = abs('policies/lincang');
const COUNTY = abs('policies/lincang-county');
const bothFolders = () => ({ ...folderFiles(LINCANG), ...folderFiles(COUNTY) });

/** The Lincang folder copied to `tmp/name` with the 2017.1 yearly credit floor raised from 72 to 130. */
function raisedFloor(name: string): string {
  const dir = path.join(tmp, name);
  fs.cpSync(LINCANG, dir, { recursive: true });
  const file = path.join(dir, 'policy.yaml');
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain('min_credits_yearly: { value: 72');
  fs.writeFileSync(file, text.replace('min_credits_yearly: { value: 72', 'min_credits_yearly: { value: 130'));
  return dir;
}

describe("the teacher view's explanation is guize explain's", () => {
  it('a non-compliant teacher of the sample (T00008: three checks not met), every version where in force', async () => {
    const o = explainSubject({ files: bothFolders(), path: LINCANG, choice: {} }, 'T00008', data(RECORDS), data(TEACHERS));
    const cli = await guizeJson('explain', '--policy', LINCANG, '--records', abs(RECORDS), '--teachers', abs(TEACHERS), '--teacher', 'T00008', '--format', 'json');
    expect(o.kind).toBe('explained');
    if (o.kind !== 'explained') return;
    expect(o.doc).toEqual(cli);
    // It is worth comparing: the eval report says T00008 has 3 violations (the sample table above).
    expect(o.doc.compliant).toBe(false);
    expect(o.doc.shortfalls.length).toBe(3);
  });

  it('a teacher of the county fork (T00016, county 530925) under one version, with the origin of each rule used', async () => {
    const o = explainSubject({ files: bothFolders(), path: COUNTY, choice: { version: '2018.1+2019.1' } }, 'T00016', data(RECORDS), data(TEACHERS));
    const cli = await guizeJson('explain', '--policy', `${COUNTY}@2018.1+2019.1`, '--records', abs(RECORDS), '--teachers', abs(TEACHERS), '--teacher', 'T00016', '--format', 'json');
    expect(o).toEqual({ kind: 'explained', doc: cli });
    if (o.kind !== 'explained') return;
    expect(new Set(o.doc.rules.map((r) => r.origin))).toEqual(new Set(['own', 'inherited', 'overridden']));
  });

  it('a teacher no row names is not found; a policy with errors explains nothing', () => {
    expect(explainSubject({ files: bothFolders(), path: LINCANG, choice: {} }, 'T99999', data(RECORDS), undefined)).toEqual({ kind: 'not-found', id: 'T99999' });
    const files = bothFolders();
    files[`${LINCANG}/policy.yaml`] = files[`${LINCANG}/policy.yaml`]!.replace('credits >= min_credits_yearly', 'credits >= min_credits_yearlyx');
    expect(explainSubject({ files, path: LINCANG, choice: {} }, 'T00008', data(RECORDS), undefined)).toEqual({ kind: 'policy-errors' });
  });
});

describe("the change pane's impact is guize diff's", () => {
  it('the policy as loaded against a yearly credit floor raised to 130', async () => {
    const head = raisedFloor('raised');
    const o = compareImpact({ files: folderFiles(LINCANG), path: LINCANG, choice: {}, source: LINCANG },
      { files: folderFiles(head), path: head, choice: {}, source: head }, data(RECORDS), data(TEACHERS));
    const cli = await guizeJson('diff', '--base', LINCANG, '--head', head, '--records', abs(RECORDS), '--teachers', abs(TEACHERS), '--format', 'json');
    expect(o.kind).toBe('compared');
    if (o.kind !== 'compared') return;
    expect(o.doc).toEqual(cli);
    // Raising a floor only takes compliance away: someone loses it, nobody gains it.
    expect(o.doc.summary.became_non_compliant).toBeGreaterThan(0);
    expect(o.doc.summary.became_compliant).toBe(0);
  });

  it('one version pinned against the policy as edited (2017.1 for everything → the raised floor)', async () => {
    const head = raisedFloor('raised-pinned');
    const o = compareImpact({ files: folderFiles(LINCANG), path: LINCANG, choice: { version: '2017.1' }, source: `${LINCANG}@2017.1` },
      { files: folderFiles(head), path: head, choice: {}, source: head }, data(RECORDS), data(TEACHERS));
    const cli = await guizeJson('diff', '--base', `${LINCANG}@2017.1`, '--head', head, '--records', abs(RECORDS), '--teachers', abs(TEACHERS), '--format', 'json');
    expect(o).toMatchObject({ kind: 'compared', doc: cli });
  });

  it("a fork against its parent, the parent found from the fork's extends:", async () => {
    expect(parentOf(bothFolders(), COUNTY)).toBe(LINCANG);
    expect(parentOf(bothFolders(), LINCANG)).toBeUndefined();
    const o = compareImpact({ files: bothFolders(), path: LINCANG, choice: {}, source: LINCANG },
      { files: bothFolders(), path: COUNTY, choice: {}, source: COUNTY }, data(RECORDS), data(TEACHERS));
    const cli = await guizeJson('diff', '--base', LINCANG, '--head', COUNTY, '--records', abs(RECORDS), '--teachers', abs(TEACHERS), '--format', 'json');
    expect(o).toMatchObject({ kind: 'compared', doc: cli });
    if (o.kind !== 'compared') return;
    expect(o.doc.summary.only_base).toBeGreaterThan(0); // the county evaluates its own teachers only
  });
});
