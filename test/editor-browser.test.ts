// The editor in a real browser: the static site is built (vite build, as `npm run build` does),
// opened from file:// in headless Chromium (playwright-core driving /usr/bin/chromium), and
// checked as an officer would use it. Expected numbers come from the `guize` binary run on the
// same policy texts (the policy folder copied, the edit applied on disk). Chromium missing is a
// failure, not a skip: CI installs it (.ci/run).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const SITE = path.join(ROOT, 'editor', 'dist');
const POLICY = path.join(ROOT, 'policies', 'lincang', 'policy.yaml');
const OUT = path.join(ROOT, 'out');

/** `guize eval`'s summary for the Lincang folder with `policy.yaml` replaced by `text`. */
function cliSummary(text: string): { teachers: number; compliant: number; non_compliant: number; rows_read: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guize-editor-cli-'));
  try {
    fs.cpSync(path.join(ROOT, 'policies', 'lincang'), path.join(dir, 'lincang'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'lincang', 'policy.yaml'), text);
    const out = execFileSync(process.execPath, ['bin/guize.mjs', 'eval', '--policy', path.join(dir, 'lincang'),
      '--records', 'policies/lincang/sample/records.csv', '--teachers', 'policies/lincang/sample/teachers.csv'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
    return JSON.parse(out).summary;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let context: BrowserContext;
let page: Page;
let profile: string;
const pageErrors: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (see .ci/run)`);
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'editor/vite.config.ts', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'guize-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1500, height: 950 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(e.stack ?? e.message));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(path.join(SITE, 'index.html')).href);
  await page.locator('[data-testid=count-compliant] b').waitFor({ timeout: 60_000 });
}, 180_000);

afterAll(async () => {
  await context?.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

/** The compliant count once it shows `n` (the worker answers after the debounce). */
async function compliantBecomes(n: number): Promise<void> {
  await expect.poll(() => page.locator('[data-testid=count-compliant] b').textContent(), { timeout: 30_000 }).toBe(String(n));
}

/** Puts the cursor at a 1-based line and column of the model and types, as a person would. */
async function typeAt(line: number, column: number, text: string, select = 0): Promise<void> {
  await page.evaluate(([l, c, s]) => {
    const g = (globalThis as unknown as { guize: { editor: { setSelection(r: unknown): void; focus(): void } } }).guize;
    g.editor.setSelection({ startLineNumber: l, startColumn: c, endLineNumber: l, endColumn: c + s });
    g.editor.focus();
  }, [line, column, select] as const);
  await page.keyboard.type(text);
}

function lineColumnOf(text: string, needle: string, after = false): { line: number; column: number } {
  const at = text.indexOf(needle) + (after ? needle.length : 0);
  const before = text.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}

describe('the editor in Chromium, from file://', () => {
  const original = fs.readFileSync(POLICY, 'utf8');

  it('shows the policy and the sample results that guize eval gives', async () => {
    const expected = cliSummary(original);
    expect((await page.locator('.view-lines').textContent())?.replace(/\u00a0/g, ' ')).toContain('policy: lincang.teacher-training');
    expect(await page.locator('[data-testid=count-subjects] b').textContent()).toBe(String(expected.teachers));
    expect(await page.locator('[data-testid=count-compliant] b').textContent()).toBe(String(expected.compliant));
    expect(await page.locator('[data-testid=count-rows] b').textContent()).toBe(String(expected.rows_read));
    expect(await page.locator('table.results tbody tr').count()).toBe(40);
  });

  it('highlights the rules with the lexer tokens, and the YAML around them', async () => {
    const kinds = await page.evaluate(() => {
      const g = (globalThis as unknown as { guize: { monaco: { editor: { tokenize(t: string, l: string): { offset: number; type: string }[][] } } } }).guize;
      return g.monaco.editor.tokenize('record:\n  key: require\nrules: |\n  require x "l" per cycle: a >= 12%\nafter: 1\n', 'guize-policy')
        .map((line) => line.map((t) => t.type));
    });
    // Outside the block, `require` is a YAML value; inside, a keyword, and 12% a number.
    expect(kinds[1]).not.toContain('keyword.guize-policy');
    expect(kinds[3]).toContain('keyword.guize-policy');
    expect(kinds[3]).toContain('number.guize-policy');
    expect(kinds[4]?.[0]).toBe('type.guize-policy');
  });

  it('typing an error into the rules shows a marker with its code and line', async () => {
    const { line, column } = lineColumnOf(original, 'credits >= min_credits_yearly', true);
    await typeAt(line, column, 'x');
    await expect.poll(async () => page.locator('[data-testid=problems] li[data-code=unknown-name]').count(), { timeout: 30_000 }).toBe(1);
    const markers = await page.evaluate(() => {
      const g = (globalThis as unknown as { guize: { monaco: { editor: { getModelMarkers(f: object): { code: string; startLineNumber: number; startColumn: number; message: string }[] } } } }).guize;
      return g.monaco.editor.getModelMarkers({}).map((m) => ({ code: m.code, line: m.startLineNumber, column: m.startColumn, message: m.message }));
    });
    const nameStart = lineColumnOf(original, 'credits >= min_credits_yearly').column + 'credits >= '.length;
    expect(markers).toEqual([{ code: 'unknown-name', line, column: nameStart, message: "未知的名称 'min_credits_yearlyx'\nunknown name 'min_credits_yearlyx'\nhelp: did you mean 'min_credits_yearly'?" }]);
    await page.keyboard.press('Backspace');
    await expect.poll(async () => page.locator('[data-testid=problems] li').count(), { timeout: 30_000 }).toBe(0);
  });

  it('changing a yearly credit floor updates the compliant count to what guize eval gives', async () => {
    const needle = 'min_credits_yearly: { value: 72';
    // 2017.1's floor, in force for 2016–2018 (2019.1 sets its own from 2019): raised from 72 to 130.
    const edited = original.replace(needle, 'min_credits_yearly: { value: 130');
    const expected = cliSummary(edited);
    expect(expected.compliant).not.toBe(cliSummary(original).compliant); // the edit must change something to be a test
    const { line, column } = lineColumnOf(original, needle, true);
    await typeAt(line, column - 2, '130', 2);
    await compliantBecomes(expected.compliant);
    expect(await page.locator('[data-testid=impact]').textContent()).toContain(`${cliSummary(original).compliant} → 修改后 as edited ${expected.compliant}`);
    await page.locator('table.results tbody tr').first().click();
    await page.locator('[data-testid=teacher-view]').waitFor();
    fs.mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: path.join(OUT, 'editor.png') });
  });

  it('made no request beyond the site its own files, and threw no error', () => {
    const own = pathToFileURL(SITE).href;
    expect(requests.filter((u) => !(u.startsWith(`${own}/`) || u.startsWith('blob:') || u.startsWith('data:')))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
