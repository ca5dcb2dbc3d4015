#!/usr/bin/env node
// Makes docs/diff-report.png, the README's picture of the diff report: `guize diff --format
// html` of the shipped hypothetical revision (2019.1) against the 2017.1 rules on the bundled
// sample, opened in Debian's Chromium. Run after `npm run build`, by hand, when the report
// changes; review the picture before committing it.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'guize-shot-'));
const html = join(dir, 'sample-diff.html');
execFileSync(process.execPath, [join(root, 'bin/guize.mjs'), 'diff', '--base', 'policies/lincang@2017.1', '--head', 'policies/lincang@2019.1',
  '--records', 'policies/lincang/sample/records.csv', '--teachers', 'policies/lincang/sample/teachers.csv', '--format', 'html', '--out', html], { cwd: root, stdio: 'inherit' });
const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1200, height: 1400 },
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
  await page.waitForTimeout(500); // the charts' first frame
  await page.screenshot({ path: join(root, 'docs/diff-report.png') });
} finally {
  await context.close();
  rmSync(dir, { recursive: true, force: true });
}
