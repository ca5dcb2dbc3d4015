// The report's style sheet: system fonts only (no web font to fetch), and a print layout (no
// controls, sections kept whole where they fit, links' targets not spelled out).

/** The style sheet, as it is written into the page. */
export const PAGE_STYLE = `
:root { color-scheme: light; --ok: #2e7d32; --bad: #c62828; --muted: #6b6b6b; --line: #d9d9d9; --base: #5c6bc0; --head: #ef6c00; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 16px 24px 48px; font: 14px/1.5 system-ui, "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; color: #1f1f1f; background: #fff; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
.muted, .note { color: var(--muted); }
.note { font-size: 13px; margin: 6px 0; }
.warn { background: #fff4e5; border-left: 4px solid var(--head); padding: 6px 10px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
th button { all: unset; cursor: pointer; }
th button::after { content: " ⇅"; color: var(--muted); }
th[aria-sort="ascending"] button::after { content: " ▲"; color: #1f1f1f; }
th[aria-sort="descending"] button::after { content: " ▼"; color: #1f1f1f; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px; margin: 8px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.card .v { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .k { font-size: 12px; color: var(--muted); }
.ok { color: var(--ok); }
.bad { color: var(--bad); }
.absent { color: var(--muted); }
.up { color: var(--ok); }
.down { color: var(--bad); }
.chart { width: 100%; border: 1px solid var(--line); border-radius: 6px; margin: 6px 0 12px; }
.histograms { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 12px; }
.histograms figure { margin: 0; }
.histograms figcaption { font-weight: 600; }
.controls { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin: 6px 0; }
details.subject { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; padding: 4px 10px; }
details.subject > summary { cursor: pointer; font-weight: 600; }
details.subject:target { outline: 2px solid var(--base); }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.pair ul { margin: 4px 0; padding-left: 18px; }
.tag { display: inline-block; font-size: 11px; border-radius: 3px; padding: 0 4px; margin-right: 4px; border: 1px solid currentColor; }
.explanation { border-top: 1px dashed var(--line); margin-top: 8px; padding-top: 6px; }
footer { margin-top: 32px; font-size: 12px; color: var(--muted); }
@media print {
  body { max-width: none; padding: 0; }
  .controls, th button::after { display: none; }
  h2 { break-after: avoid; }
  .chart, figure, tr, details.subject { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;
