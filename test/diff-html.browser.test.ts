// The diff report in a real browser (Debian's Chromium through playwright-core): it opens from
// the file system with no page error, no console error and no request but the file itself; each
// chart is drawn; sorting and filtering work; the hostile teacher's text stays text; and it
// prints. Screenshots go to test/output/ (ignored by git). Chromium missing fails the suite —
// install it with `apt-get install -y chromium` (.ci/run does).

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { renderDiffReport } from '../cli/diff-html-file.ts';
import type { DiffJson } from '../engine/diff/diff-json.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const OUT = join(root, 'test/output');
const HOSTILE_ID = "<script>window.__pwned = 'id'</script>T9\"9'&amp;";

const doc = JSON.parse(readFileSync(join(root, 'test/fixtures/diff-lincang.json'), 'utf8')) as DiffJson;
// Explanation fragments as `guize explain` writes them: markup it escaped itself.
const explanations = new Map([
  ['T00005', '<p class="explained">2019 年学分 78.20 &lt; 80 / 2019 credits 78.20 &lt; 80</p>'],
  [HOSTILE_ID, '<p class="explained">&lt;script&gt; stays text</p>'],
]);

let context: BrowserContext | undefined;
let page: Page;
let userDataDir: string | undefined;
const pageErrors: string[] = [];
const consoleErrors: string[] = [];
const requests: string[] = [];
let fileUrl: string;
let opening: Promise<void> | undefined;

/**
 * The report, rendered and opened once; every test awaits it, so that without Chromium each
 * test fails with the line to run (a failing beforeAll would only mark them skipped).
 */
function opened(): Promise<void> {
  opening ??= (async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get install -y chromium\` (as .ci/run does) / 未安装 Chromium，请运行 apt-get install -y chromium`);
    }
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, 'diff-report.html');
    writeFileSync(file, await renderDiffReport(doc, explanations));
    fileUrl = pathToFileURL(file).href;
    userDataDir = mkdtempSync(join(tmpdir(), 'guize-chromium-'));
    // A fresh profile, and no background networking of Chromium's own: the machine may have no
    // network, and a request the report did not make must not be mistaken for one it did.
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      viewport: { width: 1200, height: 900 },
    });
    page = context.pages()[0] ?? await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(fileUrl, { waitUntil: 'load' });
  })();
  return opening;
}

beforeEach(opened, 60_000);

afterAll(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

/** Texts of a column of a table's visible body rows. */
async function column(tableId: string, index: number): Promise<string[]> {
  return page.locator(`#${tableId} tbody tr:visible td:nth-child(${index + 1})`).allTextContents();
}

describe('the diff report in Chromium', () => {
  it('opens with no page error, no console error and no request but the file', () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([fileUrl]);
  });

  it('draws every chart as SVG of non-zero size, each with its series', async () => {
    const ids = ['chart-transitions', 'chart-rules', 'chart-measure-0', 'chart-measure-1'];
    for (const id of ids) {
      const box = await page.locator(`#${id} svg`).first().boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.width, id).toBeGreaterThan(100);
      expect(box!.height, id).toBeGreaterThan(100);
      // Something was drawn, not only an empty SVG: paths for bars, links and nodes.
      expect(await page.locator(`#${id} svg path`).count(), id).toBeGreaterThan(2);
    }
    const series = await page.evaluate(`(${JSON.stringify(ids)}).map(function (id) {
      return echarts.getInstanceByDom(document.getElementById(id)).getOption().series.map(function (s) { return s.type; });
    })`);
    expect(series).toEqual([['sankey'], ['bar', 'bar'], ['bar'], ['bar']]);
  });

  it('draws the flows of the fixture: 16 stayed compliant, 4 became non-compliant, 1 became compliant, 19 stayed non-compliant', async () => {
    const links = await page.evaluate(`echarts.getInstanceByDom(document.getElementById('chart-transitions'))
      .getOption().series[0].links.map(function (l) { return l.value; })`);
    expect(links).toEqual([16, 4, 1, 19]);
    // Failures per rule, summed over years and keys (first rule at the top, so reversed on the axis).
    const bars = await page.evaluate(`echarts.getInstanceByDom(document.getElementById('chart-rules'))
      .getOption().series.map(function (s) { return s.data; })`);
    // yearly_module_credits 14 + 7 = 21 → 14 + 6 = 20; cycle_high_level_credits 0 → 1; yearly_credits 0 → 4 + 1 = 5.
    expect(bars).toEqual([[21, 0, 0], [20, 1, 5]]);
  });

  it('sorts a group table by a clicked column, and back', async () => {
    expect(await column('group-table-0', 0)).toEqual(['530921052', '530922013']);
    const header = page.locator('#group-table-0 thead th').nth(3).locator('button'); // head compliant: 9, 8
    await header.click();
    expect(await column('group-table-0', 0)).toEqual(['530922013', '530921052']);
    expect(await page.locator('#group-table-0 thead th').nth(3).getAttribute('aria-sort')).toBe('ascending');
    await header.click();
    expect(await column('group-table-0', 0)).toEqual(['530921052', '530922013']);
  });

  it('sorts the changed subjects by a numeric column, keeping ties in order', async () => {
    // Violations head − base: T00005 +1, T00011 +1, T00017 +2, T00023 −1, T00031 +1, hostile +1.
    const violations = page.locator('#changed-table thead th').nth(6) // after id, transition, school_id, county_id and the two statuses.locator('button');
    await violations.click();
    expect(await column('changed-table', 0)).toEqual(['T00023', 'T00005', 'T00011', 'T00031', HOSTILE_ID, 'T00017']);
    // By id, as text: '<' sorts before 'T'.
    await page.locator('#changed-table thead th').nth(0).locator('button').click();
    expect(await column('changed-table', 0)).toEqual([HOSTILE_ID, 'T00005', 'T00011', 'T00017', 'T00023', 'T00031']);
  });

  it('filters the changed subjects by transition and by id', async () => {
    await page.selectOption('#transition-filter', 'became_compliant');
    expect(await column('changed-table', 0)).toEqual(['T00023']);
    expect(await page.locator('#shown-count').textContent()).toBe('1');
    await page.selectOption('#transition-filter', '');
    await page.fill('#id-filter', 't0001');
    expect(await column('changed-table', 0)).toEqual(['T00011', 'T00017']);
    await page.fill('#id-filter', '');
    expect(await page.locator('#shown-count').textContent()).toBe('6');
  });

  it('keeps the hostile text as text: nothing ran, the id and message show as written', async () => {
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    const detail = page.locator('details.subject').filter({ hasText: 'stays text' });
    await expect.poll(() => detail.count()).toBe(1);
    expect(await detail.locator('summary').textContent()).toContain(HOSTILE_ID);
    expect(await detail.textContent()).toContain("</script><script>window.__pwned = 'message'</script><img src=x onerror=\"window.__pwned = 'img'\"><!--");
    expect(pageErrors).toEqual([]);
  });

  it('links a subject to its details, opened, with its explanation', async () => {
    const details = page.locator('#subject-1');
    expect(await details.getAttribute('open')).toBeNull();
    await page.locator('#changed-table a', { hasText: 'T00005' }).click();
    // The page opens the target on 'hashchange', which the browser fires after the click returns.
    await expect.poll(() => details.getAttribute('open')).not.toBeNull();
    expect(page.url().endsWith('#subject-1')).toBe(true);
    expect(await details.locator('.explained').textContent()).toBe('2019 年学分 78.20 < 80 / 2019 credits 78.20 < 80');
  });

  it('saves a screenshot, and prints (the controls hidden)', async () => {
    await page.goto(fileUrl, { waitUntil: 'load' });
    const shot = join(OUT, 'diff-report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.controls').isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    writeFileSync(join(OUT, 'diff-report.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(requests.every((u) => u === fileUrl)).toBe(true);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
