// The diff report for the command line: reads the chart library's text and renders the page
// with engine/diff/html (which, browser-safe, cannot read files). `guize diff --format html`
// calls renderDiffReport and writes what it returns.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { DiffJson } from '../engine/diff/diff-json.ts';
import { diffHtml } from '../engine/diff/html/diff-html.ts';
import { InputFailure } from './io.ts';

/**
 * Where the build puts the report's chart library (dist/chart-library.js, from
 * scripts/chart-library.mjs): beside this module when it runs bundled in dist/ (the installed
 * CLI; `npm install` builds it), or in ../dist/ when it runs from its source (the tests, which
 * build first).
 */
const CANDIDATES: readonly URL[] = [new URL('./chart-library.js', import.meta.url), new URL('../dist/chart-library.js', import.meta.url)];

/** The chart library's file: the first candidate that exists, else a bilingual error saying to build. */
export function chartLibraryPath(candidates: readonly URL[] = CANDIDATES): string {
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new InputFailure(`找不到图表库 ${candidates.map((c) => fileURLToPath(c)).join(', ')}，请运行 npm run build / `
    + `the chart library is missing (${candidates.map((c) => fileURLToPath(c)).join(', ')}): run npm run build`);
}

/** The HTML report of a diff document, with each subject's explanation when given (subject id → HTML fragment). */
export async function renderDiffReport(
  doc: DiffJson, explanations?: ReadonlyMap<string, string>, options: { readonly maxSubjects?: number } = {},
): Promise<string> {
  const chartLibrary = await readFile(chartLibraryPath(), 'utf8');
  return diffHtml(doc, {
    chartLibrary,
    ...(explanations === undefined ? {} : { explanations }),
    ...(options.maxSubjects === undefined ? {} : { maxSubjects: options.maxSubjects }),
  });
}
