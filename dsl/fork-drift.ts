// Drift: a fork is written against one version of its parent (`extends: {version}`), and follows
// the parent's later versions. When a later version changes something the fork overrides, the
// fork's value still applies — but the officer should know the city moved, and from what to what.
// (A later version that removes what the fork changes is reported when the change is applied:
// apply-change.ts, `parent-removed`.)

import type { ChangeFile } from './change-file.ts';
import { compareDecimalText } from './decimal-text.ts';
import type { DiagnosticBag } from './diagnostics.ts';
import type { CellValue, PolicyAst, TableRow } from './policy.ts';
import { printStatement } from './print.ts';
import type { Span } from './source.ts';
import type { Statement } from './ast.ts';

const sameNumber = (a: string, b: string): boolean => compareDecimalText(a, b) === 0 || a === b;

const cellText = (cells: Readonly<Record<string, CellValue>>): string => Object.entries(cells).map(([k, v]) => `${k}: ${String(v)}`).join(', ');

const ruleText = (s: Statement): string => printStatement({ ...s, cites: [], notes: [] });

/** Warns, at each override of `c`, where `later` differs from `pinned` (both parent versions). */
export function checkDrift(pinned: PolicyAst, later: PolicyAst, c: ChangeFile, bag: DiagnosticBag): void {
  const warn = (span: Span, [what, whatZh]: readonly [string, string], before: string, after: string) => {
    bag.warning('parent-drift', span,
      `${later.id} changed ${what} since version ${pinned.version}, which this fork was written against: ${before} → ${after} in ${later.version}; the fork's own value still applies`,
      `${later.id} 自本分支所依据的版本 ${pinned.version} 以来修改了${whatZh}：${later.version} 中由 ${before} 改为 ${after}；本分支的取值仍然适用`,
      `review the override; then pin 'extends: version: "${later.version}"'`);
  };
  for (const o of c.parameters) {
    const a = pinned.parameters.find((x) => x.id === o.id);
    const b = later.parameters.find((x) => x.id === o.id);
    if (a && b && !sameNumber(a.value, b.value)) warn(o.span, [`parameter '${o.id}'`, `参数 '${o.id}'`], a.value, b.value);
  }
  for (const o of c.settings) {
    const a = pinned.settings.find((x) => x.id === o.id);
    const b = later.settings.find((x) => x.id === o.id);
    if (a && b && a.value !== b.value) warn(o.span, [`setting '${o.id}'`, `设置 '${o.id}'`], String(a.value), String(b.value));
  }
  for (const t of c.tables) {
    const a = pinned.tables.find((x) => x.id === t.id);
    const b = later.tables.find((x) => x.id === t.id);
    if (!a || !b) continue;
    if (a.kind === 'keyed' && b.kind === 'keyed') {
      for (const r of t.rows) {
        const ra = a.rows.find((x) => x.key === r.key);
        const rb = b.rows.find((x) => x.key === r.key);
        if (ra && rb && !sameCells(ra, rb, Object.keys(r.cells))) warn(r.keySpan, [`row '${r.key}' of table '${t.id}'`, `表 '${t.id}' 的行 '${r.key}'`], cellText(ra.cells), cellText(rb.cells));
      }
    } else if (a.kind === 'bands' && b.kind === 'bands') {
      for (const band of t.bands) {
        const ba = a.bands.find((x) => x.label === band.label);
        const bb = b.bands.find((x) => x.label === band.label);
        if (ba && bb && (!sameNumber(ba.from, bb.from) || !sameCells(ba, bb, Object.keys(band.cells)))) {
          warn(band.span, [`band '${band.label}' of table '${t.id}'`, `表 '${t.id}' 的等级 '${band.label}'`], `from ${ba.from}, ${cellText(ba.cells)}`, `from ${bb.from}, ${cellText(bb.cells)}`);
        }
      }
    }
  }
  for (const s of c.replace) {
    const a = pinned.rules.statements.find((x) => x.id === s.id);
    const b = later.rules.statements.find((x) => x.id === s.id);
    if (a && b && ruleText(a) !== ruleText(b)) warn(s.idSpan, [`rule '${s.id}'`, `规则 '${s.id}'`], ruleText(a), ruleText(b));
  }
}

/** Whether two rows agree on the columns a fork overrides. */
function sameCells(a: Pick<TableRow, 'cells'>, b: Pick<TableRow, 'cells'>, columns: readonly string[]): boolean {
  return columns.every((k) => {
    const x = a.cells[k];
    const y = b.cells[k];
    return typeof x === 'string' && typeof y === 'string' ? sameNumber(x, y) : x === y;
  });
}
