// "Open the full report": the diff document rendered as `guize diff --format html` renders it
// (engine/diff/html's diffHtml) and opened in a new tab from a blob — nothing is fetched. The
// chart library is the same part of ECharts the CLI inlines (scripts/chart-library.mjs), bundled
// into the editor as text at build time (editor/vite.config.ts).

import chartLibrary from 'virtual:guize-chart-library';
import type { DiffJson } from '../../engine/diff/index.ts';
import { diffHtml } from '../../engine/diff/html/diff-html.ts';

/** Renders the report and opens it; the blob's URL lives as long as the editor's page. */
export function openDiffReport(doc: DiffJson): Window | null {
  const html = diffHtml(doc, { chartLibrary });
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }));
  return window.open(url, '_blank');
}
