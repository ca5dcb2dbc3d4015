// The HTML report of `guize diff`: one self-contained page (the chart library, the data, the
// script and the style inlined; nothing fetched — its Content-Security-Policy forbids any load),
// readable opened from the file system, printable. Browser-safe: the CLI reads the chart library
// and passes its text (cli/diff-html-file.ts); the editor may pass its own.

import type { DiffJson } from '../diff-json.ts';
import type { ChartSpec } from './charts.ts';
import { escapeHtml, jsonForScript, scriptText } from './escape.ts';
import { labelHtml } from './format.ts';
import { bilingual, LABELS } from './labels.ts';
import { PAGE_SCRIPT } from './page-script.ts';
import { groupsSection, headlineSection, measuresSection, recordsSection, rulesSection, sidesSection } from './sections.ts';
import { cspHash } from './sha256.ts';
import { PAGE_STYLE } from './styles.ts';
import { subjectsSection } from './subjects.ts';

/** At most this many changed subjects are listed (each with its details); the JSON has them all. */
export const DEFAULT_MAX_SUBJECTS = 2000;
/** At most this many rows in any other table (rules per period and key, groups). */
export const DEFAULT_MAX_TABLE_ROWS = 5000;

/** What diffHtml needs besides the document. */
export interface DiffHtmlOptions {
  /**
   * The source text of the chart library: a browser script that defines the global `echarts`
   * (`init`, `getInstanceByDom`), as dist/chart-library.js does. Inlined as it is.
   */
  readonly chartLibrary: string;
  /**
   * Per subject id, an HTML fragment explaining its result (`guize explain`'s explanationHtml),
   * shown in the subject's details. Inserted as markup: it must already be escaped.
   */
  readonly explanations?: ReadonlyMap<string, string>;
  /** The cap on listed changed subjects (default 2,000). */
  readonly maxSubjects?: number;
  /** The cap on the rows of every other table (default 5,000). */
  readonly maxTableRows?: number;
}

/** The report, one complete HTML page. */
export function diffHtml(doc: DiffJson, options: DiffHtmlOptions): string {
  const maxSubjects = Math.max(0, Math.floor(options.maxSubjects ?? DEFAULT_MAX_SUBJECTS));
  const maxRows = Math.max(0, Math.floor(options.maxTableRows ?? DEFAULT_MAX_TABLE_ROWS));
  const sections = [
    sidesSection(doc), headlineSection(doc), rulesSection(doc, maxRows), measuresSection(doc),
    recordsSection(doc, maxRows), groupsSection(doc, maxRows),
  ];
  const charts: ChartSpec[] = sections.flatMap((s) => s.charts);
  const library = scriptText(options.chartLibrary);
  const script = scriptText(PAGE_SCRIPT);
  // Nothing may be loaded: no fetch, font, image from a URL, frame or form target. The two
  // inline scripts run by their hashes, so a script that got into the page any other way would
  // not; inline styles are allowed (the chart library sets them on what it draws).
  const csp = [
    "default-src 'none'", `script-src ${cspHash(library)} ${cspHash(script)}`, "style-src 'unsafe-inline'",
    "img-src data:", "base-uri 'none'", "form-action 'none'",
  ].join('; ');
  const nav = [['headline', LABELS.headline], ['rules', LABELS.failuresByRule], ['measures', LABELS.measureDeltas],
    ['records', LABELS.records], ...(Object.keys(doc.by_group).length > 0 ? [['groups', LABELS.byGroup] as const] : []), ['changed', LABELS.changedSubjects]] as const;
  const navHtml = `<nav class="controls">${nav.map(([id, label]) => `<a href="#${id}">${labelHtml(label)}</a>`).join(' · ')}</nav>`;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="guize diff">
<title>${escapeHtml(`${bilingual(LABELS.title)}: ${doc.base.source} → ${doc.head.source}`)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
${sections[0]!.html}
${navHtml}
${sections.slice(1).map((s) => s.html).join('\n')}
${subjectsSection(doc, maxSubjects, options.explanations)}
<footer>${labelHtml(LABELS.generated)}</footer>
<script type="application/json" id="guize-charts">${jsonForScript(charts)}</script>
<script>${library}</script>
<script>${script}</script>
</body>
</html>
`;
}
