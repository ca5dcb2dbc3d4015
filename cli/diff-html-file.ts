// The diff report for the command line: reads the chart library's text and renders the page
// with engine/diff/html (which, browser-safe, cannot read files). `guize diff --format html`
// calls renderDiffReport and writes what it returns.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { DiffJson } from '../engine/diff/diff-json.ts';
import { diffHtml } from '../engine/diff/html/diff-html.ts';

/**
 * Where the chart library is. The build writes the report's own small build of ECharts to
 * dist/chart-library.js (scripts/chart-library.mjs): beside this module when it runs bundled in
 * dist/, or in ../dist/ when it runs from its source (the tests; they build first). Without a
 * build, ECharts' full minified script from the installed package, which works the same (it is
 * twice the size).
 */
export function chartLibraryPath(): string {
  for (const candidate of ['./chart-library.js', '../dist/chart-library.js']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  return createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
}

/** The HTML report of a diff document, with each subject's explanation when given (subject id → HTML fragment). */
export async function renderDiffReport(
  doc: DiffJson, explanations?: ReadonlyMap<string, string>, options: { readonly maxSubjects?: number; readonly chartLibraryFile?: string } = {},
): Promise<string> {
  const chartLibrary = await readFile(options.chartLibraryFile ?? chartLibraryPath(), 'utf8');
  return diffHtml(doc, {
    chartLibrary,
    ...(explanations === undefined ? {} : { explanations }),
    ...(options.maxSubjects === undefined ? {} : { maxSubjects: options.maxSubjects }),
  });
}
