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

/** Runs `guize` with the Lincang folder copied to `lincang` (and, edited, to `edited`) under a temporary folder. */
function withFolders<T>(edited: string | undefined, run: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guize-editor-cli-'));
  try {
    fs.cpSync(path.join(ROOT, 'policies', 'lincang'), path.join(dir, 'lincang'), { recursive: true });
    if (edited !== undefined) {
      fs.cpSync(path.join(ROOT, 'policies', 'lincang'), path.join(dir, 'edited'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'edited', 'policy.yaml'), edited);
    }
    return run(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const DATA = ['--records', 'policies/lincang/sample/records.csv', '--teachers', 'policies/lincang/sample/teachers.csv'];
const guize = (...args: string[]) => execFileSync(process.execPath, ['bin/guize.mjs', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });

/** `guize eval`'s summary for the Lincang folder with `policy.yaml` replaced by `text`. */
function cliSummary(text: string): { teachers: number; compliant: number; non_compliant: number; rows_read: number } {
  return withFolders(text, (dir) => JSON.parse(guize('eval', '--policy', path.join(dir, 'edited'), ...DATA)).summary);
}

/** `guize diff --format json` of the Lincang folder as it is against the folder with `policy.yaml` replaced by `text`. */
function cliDiff(text: string): { summary: { base_compliant: number; head_compliant: number; became_compliant: number; became_non_compliant: number; changed_measures: number }; changed: Record<string, unknown>[]; subject_key: string } {
  return withFolders(text, (dir) => JSON.parse(guize('diff', '--base', path.join(dir, 'lincang'), '--head', path.join(dir, 'edited'), ...DATA, '--format', 'json')));
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
    acceptDownloads: true,
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
    // The worker ran the rules as generated code (engine/codegen's `new Function`: the page sets no
    // Content-Security-Policy that forbids it), over rows it keeps decoded.
    expect(await page.evaluate(() => (globalThis as unknown as { guize: { result: { table: { compiled: boolean } } } }).guize.result.table.compiled)).toBe(true);
    // The change pane is closed, and nothing is compared while it is.
    expect(await page.locator('[data-testid=impact-pane]').getAttribute('open')).toBeNull();
    expect(await page.locator('[data-testid=impact]').count()).toBe(0);
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

  it('Ctrl+Space in a rule opens the suggestions, with the policy\'s parameters', async () => {
    const { line, column } = lineColumnOf(original, 'credits >= min_credits_yearly');
    const start = column + 'credits >= '.length;
    // `min_credits_yearly` replaced by `min_hours_y`, then completion asked for.
    await typeAt(line, start, 'min_hours_y', 'min_credits_yearly'.length);
    await expect.poll(async () => page.locator('[data-testid=problems] li[data-code=unknown-name]').count(), { timeout: 30_000 }).toBe(1);
    await page.keyboard.press('Control+Space');
    const widget = page.locator('.suggest-widget');
    await expect.poll(() => widget.locator('.monaco-list-row').allTextContents(), { timeout: 30_000 }).toContainEqual(expect.stringContaining('min_hours_yearly'));
    await page.keyboard.press('Escape');
    // Back as it was: the text and no problem.
    await typeAt(line, start, 'min_credits_yearly', 'min_hours_y'.length);
    await page.keyboard.press('Escape'); // typing opened the suggestions again: closed, so they cover nothing
    expect(await page.evaluate(() => (globalThis as unknown as { guize: { editor: { getValue(): string } } }).guize.editor.getValue())).toBe(original);
    await expect.poll(async () => page.locator('[data-testid=problems] li').count(), { timeout: 30_000 }).toBe(0);
  });

  it("selecting a non-compliant teacher shows guize explain's shortfalls and each record's arithmetic", async () => {
    const cli = JSON.parse(guize('explain', '--policy', 'policies/lincang', ...DATA, '--teacher', 'T00008', '--format', 'json')) as { shortfalls: { message: { zh: string; en: string } }[] };
    const text = guize('explain', '--policy', 'policies/lincang', ...DATA, '--teacher', 'T00008');
    await page.locator('table.results tbody tr[data-id=T00008]').click();
    await page.locator('[data-testid=shortfall]').first().waitFor({ timeout: 30_000 });
    const shown = await page.locator('[data-testid=shortfall] b').allTextContents();
    expect(shown).toEqual(cli.shortfalls.map((x) => x.message.zh));
    // The first row of T00008 (line 317, R0000316): 0.5 credit/hour × 11 hours × (1 + 0.25 for a 93.4 score, 优) = 6.875 credits.
    const steps = await page.locator('details.record[data-line="317"] code.arithmetic').allTextContents();
    const credits = steps.find((t) => t.startsWith('training_credits = '));
    expect(credits?.endsWith('= 6.875 学分')).toBe(true);
    // … and the same line as `guize explain` prints it.
    expect(text).toContain(`· ${credits}  [`);
    // English: the same shortfalls in English.
    await page.locator('[data-testid=lang-en]').click();
    expect(await page.locator('[data-testid=shortfall] b').allTextContents()).toEqual(cli.shortfalls.map((x) => x.message.en));
    await page.locator('[data-testid=lang-zh]').click();
  });

  it('changing a yearly credit floor updates the compliant count to what guize eval gives', async () => {
    const needle = 'min_credits_yearly: { value: 72';
    // 2017.1's floor, in force for 2016–2018 (2019.1 sets its own from 2019): raised from 72 to 130.
    const edited = original.replace(needle, 'min_credits_yearly: { value: 130');
    const expected = cliSummary(edited);
    expect(expected.compliant).not.toBe(cliSummary(original).compliant); // the edit must change something to be a test
    // The change pane, opened: it compares the policy as loaded with itself until the edit.
    await page.locator('[data-testid=impact-pane] > summary').click();
    const before = cliSummary(original).compliant;
    await expect.poll(() => page.locator('[data-testid=impact-compliant] b').textContent(), { timeout: 30_000 }).toBe(`${before} → ${before} (+0)`);
    const { line, column } = lineColumnOf(original, needle, true);
    await typeAt(line, column - 2, '130', 2);
    await compliantBecomes(expected.compliant);
    // The change pane: guize diff's counts for the same two texts.
    const diff = cliDiff(edited);
    expect(diff.summary.became_non_compliant).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid=impact-compliant] b').textContent(), { timeout: 30_000 })
      .toBe(`${diff.summary.base_compliant} → ${diff.summary.head_compliant} (${diff.summary.head_compliant - diff.summary.base_compliant})`);
    expect(diff.summary.head_compliant).toBe(expected.compliant);
    expect(await page.locator('[data-testid=impact-became-non-compliant] b').textContent()).toBe(String(diff.summary.became_non_compliant));
    expect(await page.locator('[data-testid=impact-became-compliant] b').textContent()).toBe(String(diff.summary.became_compliant));
    expect(await page.locator('[data-testid=impact-changed-measures] b').textContent()).toBe(String(diff.summary.changed_measures));
    expect(await page.locator('[data-testid=impact-changed] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id'))))
      .toEqual(diff.changed.map((c) => String(c[diff.subject_key])));
    // A teacher who lost compliance, clicked in the change pane: their explanation under the edited policy.
    const lost = String(diff.changed.find((c) => c.transition === 'became_non_compliant')![diff.subject_key]);
    await page.locator(`[data-testid=impact-changed] tr[data-id="${lost}"]`).click();
    await expect.poll(() => page.locator('[data-testid=teacher-view] h3').textContent(), { timeout: 30_000 }).toBe(`teacher_id ${lost}`);
    await page.locator('[data-testid=shortfall]').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=shortfall]').allTextContents()).toContainEqual(expect.stringContaining('130'));
    fs.mkdirSync(OUT, { recursive: true });
    // The screenshot (docs/editor.png): taller, the right pane scrolled to the change pane, the results and the explanation below it.
    await page.setViewportSize({ width: 1500, height: 1250 });
    await page.locator('[data-testid=impact]').evaluate((e) => {
      const pane = e.closest('.right')!;
      pane.scrollTop = e.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop - 4;
    });
    await page.screenshot({ path: path.join(OUT, 'editor.png') });
  });

  it("the change pane's text comparison: Monaco's diff editor shows the edited line against the saved file, or a version file", async () => {
    const needle = 'min_credits_yearly: { value: 72';
    const { line } = lineColumnOf(original, needle);
    await page.locator('[data-testid=text-diff-open]').click();
    type Change = { originalStartLineNumber: number; originalEndLineNumber: number; modifiedStartLineNumber: number; modifiedEndLineNumber: number };
    const changes = () => page.evaluate(() => (globalThis as unknown as { guize: { diffEditor?: { getLineChanges(): Change[] | null } } }).guize.diffEditor?.getLineChanges() ?? null);
    // The floor edit above (72 → 130) is the one changed line: the same line on both sides.
    await expect.poll(changes, { timeout: 30_000 }).toEqual([expect.objectContaining({ originalStartLineNumber: line, originalEndLineNumber: line, modifiedStartLineNumber: line, modifiedEndLineNumber: line })]);
    // Side by side, the left read-only: the saved line on the left (removed), the edited one on the right (inserted).
    const diff = page.locator('[data-testid=text-diff-editor]');
    await expect.poll(() => diff.locator('.editor.original .line-delete').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await diff.locator('.editor.modified .line-insert').count()).toBeGreaterThan(0);
    expect((await diff.locator('.editor.original .view-lines').textContent())?.replace(/\u00a0/g, ' ')).toContain(needle);
    expect((await diff.locator('.editor.modified .view-lines').textContent())?.replace(/\u00a0/g, ' ')).toContain('min_credits_yearly: { value: 130');
    // Against the 2019.1 version file as saved: a different file, so many changes, and the left side is its text.
    const version = fs.readFileSync(path.join(ROOT, 'policies', 'lincang', 'versions', '2019.1.yaml'), 'utf8');
    await page.locator('[data-testid=text-diff-against]').selectOption('policies/lincang/versions/2019.1.yaml');
    await expect.poll(async () => (await changes())?.length ?? 0, { timeout: 30_000 }).toBeGreaterThan(1);
    expect(await page.evaluate(() => (globalThis as unknown as { guize: { diffEditor: { getModel(): { original: { getValue(): string } } } } }).guize.diffEditor.getModel().original.getValue())).toBe(version);
    await page.locator('[data-testid=text-diff-against]').selectOption('');
    await expect.poll(async () => (await changes())?.length, { timeout: 30_000 }).toBe(1);
    await page.locator('[data-testid=text-diff-open]').click(); // closed again, for the screenshot's layout
  });

  it("opens guize diff's full report for the change in a new tab, from a blob, with its charts drawn", async () => {
    const [report] = await Promise.all([context.waitForEvent('page'), page.locator('[data-testid=impact-report]').click()]);
    const errors: string[] = [];
    report.on('pageerror', (e) => errors.push(e.message));
    await report.waitForLoadState('load');
    expect(report.url().startsWith('blob:')).toBe(true);
    expect(await report.title()).toContain('规则差异报告');
    // The chart library ran (the CSP lets the inlined scripts run by their hashes): the charts are drawn as SVG.
    await expect.poll(() => report.locator('.chart svg').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await report.close();
  });

  it('Save downloads the edited file exactly as the editor holds it, and clears the unsaved mark', async () => {
    // The floor edit above is unsaved: the tab and the title carry the dot.
    const tab = page.locator('.tab[data-file="policies/lincang/policy.yaml"]');
    expect(await tab.getAttribute('data-dirty')).toBe('');
    expect(await page.title()).toMatch(/^● /);
    const text = await page.evaluate(() => (globalThis as unknown as { guize: { editor: { getValue(): string } } }).guize.editor.getValue());
    expect(text).toContain('min_credits_yearly: { value: 130');
    expect(text).toContain('#'); // the YAML comments are kept
    // Leaving now would ask: the page's beforeunload handler cancels the unload.
    const asksToLeave = () => page.evaluate(() => {
      const e = new Event('beforeunload', { cancelable: true });
      (globalThis as unknown as EventTarget).dispatchEvent(e);
      return e.defaultPrevented;
    });
    expect(await asksToLeave()).toBe(true);
    const [saved] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=save]').click()]);
    expect(saved.suggestedFilename()).toBe('policy.yaml');
    expect(fs.readFileSync(await saved.path(), 'utf8')).toBe(text);
    expect(await tab.getAttribute('data-dirty')).toBeNull();
    expect(await page.title()).not.toMatch(/^● /);
    expect(await asksToLeave()).toBe(false);
    // The text comparison's left side is now the file as saved: no change left to show.
    await page.locator('[data-testid=text-diff-open]').click();
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { guize: { diffEditor: { getLineChanges(): unknown[] | null } } }).guize.diffEditor.getLineChanges()?.length), { timeout: 30_000 }).toBe(0);
    await page.locator('[data-testid=text-diff-open]').click();
    // Ctrl+S saves too, from the editor.
    await page.evaluate(() => (globalThis as unknown as { guize: { editor: { focus(): void } } }).guize.editor.focus());
    const [again] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Control+s')]);
    expect(fs.readFileSync(await again.path(), 'utf8')).toBe(text);
    // Save all: a zip of policy.yaml and versions/, which unzip (Info-ZIP) unpacks to the same texts.
    const [all] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=save-all]').click()]);
    expect(all.suggestedFilename()).toBe('lincang.zip');
    const zipPath = await all.path();
    const names = execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(names).toEqual(['lincang/policy.yaml', ...fs.readdirSync(path.join(ROOT, 'policies', 'lincang', 'versions')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `lincang/versions/${f}`)]);
    expect(execFileSync('unzip', ['-p', zipPath, 'lincang/policy.yaml'], { encoding: 'utf8' })).toBe(text);
    expect(execFileSync('unzip', ['-p', zipPath, names[1]!], { encoding: 'utf8' })).toBe(fs.readFileSync(path.join(ROOT, 'policies', 'lincang', 'versions', names[1]!.split('/').pop()!), 'utf8'));
  });

  it('switches the interface to English and back, and remembers the choice over a reload', async () => {
    expect(await page.locator('[data-testid=save]').textContent()).toBe('保存');
    expect(await page.locator('[data-testid=count-compliant] span').textContent()).toBe('达标');
    await page.locator('[data-testid=ui-lang-en]').click();
    expect(await page.locator('[data-testid=save]').textContent()).toBe('Save');
    expect(await page.locator('[data-testid=count-compliant] span').textContent()).toBe('compliant');
    expect(await page.locator('table.results th[data-col=credits]').textContent()).toBe('credits');
    expect(await page.locator('[data-testid=status]').textContent()).toMatch(/^evaluated in \d+ ms$/);
    // The teacher view follows the same setting: its English button is the one pressed.
    expect(await page.locator('[data-testid=lang-en]').getAttribute('aria-pressed')).toBe('true');
    // The change pane's labels too (guize diff's words, one language at a time now), and its text comparison's.
    expect(await page.locator('[data-testid=impact-became-non-compliant] span').textContent()).toBe('became non-compliant');
    expect(await page.locator('[data-testid=impact-compliant] span').textContent()).toBe('compliant (base → head)');
    expect(await page.locator('[data-testid=impact] .toolbar label span').textContent()).toBe('as edited, against: ');
    expect(await page.locator('[data-testid=text-diff-open]').textContent()).toBe('text compared (as edited ↔ as saved)');
    // Everything is saved (the test above), so the reload does not ask.
    await page.reload();
    await page.locator('[data-testid=count-compliant] b').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid=save]').textContent()).toBe('Save');
    expect(await page.locator('[data-testid=count-compliant] span').textContent()).toBe('compliant');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.locator('[data-testid=ui-lang-zh]').click();
    expect(await page.locator('[data-testid=count-compliant] span').textContent()).toBe('达标');
    // The change pane opens closed after a reload (it is worked out only while open).
    expect(await page.locator('[data-testid=impact-pane]').getAttribute('open')).toBeNull();
    await page.locator('[data-testid=impact-pane] > summary').click();
    await expect.poll(() => page.locator('[data-testid=impact-became-non-compliant] span').textContent(), { timeout: 30_000 }).toBe('变为不合格');
    expect(await page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem('guize.editor.lang'))).toBe('zh');
  });

  it('loading CSV files through the file inputs shows those teachers, with the counts guize eval gives', async () => {
    // Five of the sample's teachers and their records, as files on disk.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guize-editor-data-'));
    try {
      const ids = ['T00003', 'T00008', 'T00011', 'T00020', 'T00031'];
      const keep = (file: string, column: number) => {
        const [header, ...rows] = fs.readFileSync(path.join(ROOT, 'policies', 'lincang', 'sample', file), 'utf8').split('\n').filter(Boolean);
        return `${[header, ...rows.filter((r) => ids.includes(r.split(',')[column]!))].join('\n')}\n`;
      };
      const teachers = path.join(dir, 'five-teachers.csv');
      const records = path.join(dir, 'five-records.csv');
      fs.writeFileSync(teachers, keep('teachers.csv', 0));
      fs.writeFileSync(records, keep('records.csv', 1));
      const expected = JSON.parse(guize('eval', '--policy', 'policies/lincang', '--records', records, '--teachers', teachers)) as { summary: { teachers: number; compliant: number; rows_read: number }; teachers: { teacher_id: string; compliant: boolean }[] };
      expect(expected.summary.teachers).toBe(5);
      await page.locator('[data-testid=subjects-file]').setInputFiles(teachers);
      await page.locator('[data-testid=records-file]').setInputFiles(records);
      await expect.poll(() => page.locator('table.results tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id'))), { timeout: 30_000 })
        .toEqual(ids);
      expect(await page.locator('[data-testid=count-subjects] b').textContent()).toBe('5');
      expect(await page.locator('[data-testid=count-rows] b').textContent()).toBe(String(expected.summary.rows_read));
      expect(await page.locator('[data-testid=count-compliant] b').textContent()).toBe(String(expected.summary.compliant));
      expect(await page.locator('table.results tbody tr.ok').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id'))))
        .toEqual(expected.teachers.filter((x) => x.compliant).map((x) => x.teacher_id));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("Save all for the county fork zips its policy.yaml and its parent's files, paths relative to policies/", async () => {
    await page.locator('#policy').selectOption('policies/lincang-county');
    await expect.poll(() => page.locator('.tab').evaluateAll((tabs) => tabs.map((t) => t.getAttribute('data-file'))), { timeout: 30_000 })
      .toEqual(['policies/lincang-county/policy.yaml']);
    const [all] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=save-all]').click()]);
    expect(all.suggestedFilename()).toBe('lincang-county.zip');
    const zipPath = await all.path();
    const versions = fs.readdirSync(path.join(ROOT, 'policies', 'lincang', 'versions')).filter((f) => f.endsWith('.yaml')).sort();
    expect(execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' }).split('\n').filter(Boolean).sort())
      .toEqual(['lincang-county/policy.yaml', 'lincang/policy.yaml', ...versions.map((f) => `lincang/versions/${f}`)].sort());
    expect(execFileSync('unzip', ['-p', zipPath, 'lincang-county/policy.yaml'], { encoding: 'utf8' }))
      .toBe(fs.readFileSync(path.join(ROOT, 'policies', 'lincang-county', 'policy.yaml'), 'utf8'));
    await page.locator('#policy').selectOption('policies/lincang');
  });

  it('opening a folder (upload) holding the county fork and its parent: the fork evaluates, with its inherited and overridden items; a zip of it opens the same', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guize-editor-folder-'));
    try {
      const top = path.join(dir, 'policies');
      for (const f of ['lincang-county/policy.yaml', 'lincang/policy.yaml', 'lincang/versions/2019.1.yaml', 'lincang/sample/records.csv']) {
        fs.mkdirSync(path.dirname(path.join(top, f)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, 'policies', f), path.join(top, f));
      }
      const county = JSON.parse(guize('eval', '--policy', 'policies/lincang-county', ...DATA)) as { summary: { compliant: number } };
      // The sample again (the CSV test above loaded five teachers).
      await page.locator('[data-testid=sample]').click();
      await expect.poll(() => page.locator('[data-testid=count-subjects] b').textContent(), { timeout: 30_000 }).toBe('40');
      const opened = async () => {
        await expect.poll(() => page.locator('#policy option').evaluateAll((o) => o.map((x) => (x as unknown as { value: string }).value)), { timeout: 30_000 }).toEqual(['lincang-county', 'lincang']);
        // Only the YAML files were read: the CSV is not a tab or a policy file.
        await page.locator('#policy').selectOption('lincang-county');
        expect(await page.locator('.tab').evaluateAll((tabs) => tabs.map((t) => t.getAttribute('data-file')))).toEqual(['lincang-county/policy.yaml']);
        await expect.poll(() => page.locator('#versions').textContent(), { timeout: 30_000 }).toContain('lincang.county-example 2018.1');
        await compliantBecomes(county.summary.compliant);
        // Provenance, with paths relative to the folder opened: policies/lincang-county/policy.yaml line 38 is the fork's
        // `school` row of rate_range (overridden); policies/lincang/policy.yaml line 116 is hours_per_day (inherited).
        const row = (item: string) => page.locator('table.provenance tbody tr').evaluateAll((rows, it) => rows
          .filter((r) => r.children[1]?.textContent === it).map((r) => `${r.className} ${r.children[4]?.textContent}`), item);
        expect(await row('rate_range[school]')).toEqual(['overridden lincang-county/policy.yaml:38']);
        expect(await row('hours_per_day')).toEqual(['inherited lincang/policy.yaml:116']);
        expect(await row('min_ethics_hours_yearly')).toEqual(['own lincang-county/policy.yaml:49']);
      };
      expect(fs.readFileSync(path.join(ROOT, 'policies', 'lincang-county', 'policy.yaml'), 'utf8').split('\n')[37]).toMatch(/^\s+school: \{ min: 0\.8/);
      expect(fs.readFileSync(path.join(ROOT, 'policies', 'lincang', 'policy.yaml'), 'utf8').split('\n')[115]).toMatch(/^  hours_per_day:/);
      await page.locator('[data-testid=folder-input]').setInputFiles(top);
      await opened();
      // A zip of the same folders, written by Info-ZIP (deflated), opens the same way.
      const zipPath = path.join(dir, 'policies.zip');
      execFileSync('zip', ['-q', '-r', '-9', zipPath, 'lincang', 'lincang-county'], { cwd: top });
      await page.locator('#policy').selectOption('lincang');
      await page.locator('[data-testid=zip-input]').setInputFiles(zipPath);
      await opened();
      // A file that is not a zip: the reason in the status line, the policy left as it is.
      const bad = path.join(dir, 'bad.zip');
      fs.writeFileSync(bad, 'not a zip');
      await page.locator('[data-testid=zip-input]').setInputFiles(bad);
      await expect.poll(() => page.locator('[data-testid=status]').textContent(), { timeout: 10_000 }).toBe('bad.zip：不是 zip 文件（找不到目录结尾）');
      expect(await page.locator('#policy').inputValue()).toBe('lincang-county');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('a repeating cycle (the Texas policy, opened as a folder): a row per physician and cycle, and the teacher view chooses among the cycles', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guize-editor-tx-'));
    try {
      const top = path.join(dir, 'policies');
      fs.mkdirSync(path.join(top, 'tx-cme'), { recursive: true });
      fs.copyFileSync(path.join(ROOT, 'policies', 'tx-cme', 'policy.yaml'), path.join(top, 'tx-cme', 'policy.yaml'));
      await page.locator('[data-testid=folder-input]').setInputFiles(top);
      await expect.poll(() => page.locator('#policy option').evaluateAll((o) => o.map((x) => (x as unknown as { value: string }).value)), { timeout: 30_000 }).toEqual(['tx-cme']);
      await page.locator('[data-testid=subjects-file]').setInputFiles(path.join(ROOT, 'policies', 'tx-cme', 'sample', 'physicians.csv'));
      await page.locator('[data-testid=records-file]').setInputFiles(path.join(ROOT, 'policies', 'tx-cme', 'sample', 'records.csv'));
      // P1001's permit expires 2025-07-01: three two-year periods before it (as test/editor-worker.test.ts works out).
      await expect.poll(() => page.locator('table.results tbody tr').evaluateAll((rows) => rows.slice(0, 3).map((r) => `${r.getAttribute('data-id')} ${r.getAttribute('data-cycle')}`)), { timeout: 30_000 })
        .toEqual(['P1001 2019-07-01/2021-06-30', 'P1001 2021-07-01/2023-06-30', 'P1001 2023-07-01/2025-06-30']);
      expect(await page.locator('[data-testid=count-subjects] b').textContent()).toBe('10');
      await page.locator('table.results tbody tr[data-cycle="2021-07-01/2023-06-30"]').click();
      const heading = page.locator('[data-testid=teacher-view] .teacher-head h3');
      await expect.poll(() => heading.textContent(), { timeout: 30_000 }).toBe('license P1001 · 周期 2021-07-01/2023-06-30');
      expect(await page.locator('[data-testid=cycle-choice] option').allTextContents()).toEqual(['周期 2019-07-01/2021-06-30', '周期 2021-07-01/2023-06-30', '周期 2023-07-01/2025-06-30']);
      await page.locator('[data-testid=cycle-choice]').selectOption('2019-07-01/2021-06-30');
      await expect.poll(() => heading.textContent(), { timeout: 10_000 }).toBe('license P1001 · 周期 2019-07-01/2021-06-30');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('made no request beyond the site its own files, and threw no error', () => {
    const own = pathToFileURL(SITE).href;
    expect(requests.filter((u) => !(u.startsWith(`${own}/`) || u.startsWith('blob:') || u.startsWith('data:')))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
