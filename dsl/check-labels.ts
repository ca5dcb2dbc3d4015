// Checks of labels: every placeholder names something that has a value (labels.ts), and a label
// that writes out a number the rule compares with — "at least 10 hours" beside
// `hours >= min_hours` where min_hours is 10 — is a warning: the label would keep saying 10
// after a revision or a fork changed the floor.

import type { Expr, MeasureStmt, RequireStmt } from './ast.ts';
import { compareDecimalText } from './decimal-text.ts';
import type { DiagnosticBag } from './diagnostics.ts';
import { labelPlaceholders } from './labels.ts';
import type { PolicyAst } from './policy.ts';
import type { Span } from './source.ts';
import { didYouMean } from './suggest.ts';
import { forEachExpr } from './walk.ts';

/** Checks the labels of measures and requirements; `literalNumbers` also warns of written-out numbers. */
export function checkLabels(p: PolicyAst, bag: DiagnosticBag, literalNumbers: boolean): void {
  for (const s of p.rules.statements) {
    if ((s.kind !== 'require' && s.kind !== 'measure') || s.label === undefined) continue;
    checkPlaceholders(p, s, bag);
    if (literalNumbers && s.kind === 'require') checkLiteralNumbers(p, s, bag);
  }
}

/** The span of label text `[start, end)` (offsets in the unquoted label; the token starts with its quote). */
function within(s: RequireStmt | MeasureStmt, start: number, end: number): Span {
  const at = s.labelSpan ?? s.idSpan;
  if (!s.labelSpan) return at;
  return { file: at.file, start: Math.min(at.end, at.start + 1 + start), end: Math.min(at.end, at.start + 1 + end) };
}

function checkPlaceholders(p: PolicyAst, s: RequireStmt | MeasureStmt, bag: DiagnosticBag): void {
  const values = [...p.parameters.map((x) => x.id), ...p.settings.map((x) => x.id)];
  for (const h of labelPlaceholders(s.label!)) {
    const span = within(s, h.start, h.end);
    const loopVar = s.kind === 'require' ? s.loop?.variable : undefined;
    if (!h.cell) {
      if (values.includes(h.name) || h.name === loopVar) continue;
      bag.error('unknown-placeholder', span, `{${h.text}} names no parameter or setting`, `{${h.text}} 不是参数或设置的名称`,
        didYouMean(h.name, values) ?? 'a label may name a parameter {name}, a setting, or a table cell {table[key].column}');
      continue;
    }
    const t = p.tables.find((x) => x.id === h.name);
    if (!t || t.kind !== 'keyed') {
      bag.error('unknown-placeholder', span, `{${h.text}}: '${h.name}' is no keyed table`, `{${h.text}}：'${h.name}' 不是按键查找的表`,
        didYouMean(h.name, p.tables.filter((x) => x.kind === 'keyed').map((x) => x.id)));
      continue;
    }
    if (h.cell.key !== loopVar && !t.rows.some((r) => r.key === h.cell!.key)) {
      bag.error('unknown-placeholder', span, `{${h.text}}: table '${t.id}' has no row '${h.cell.key}'`, `{${h.text}}：表 '${t.id}' 没有行 '${h.cell.key}'`,
        didYouMean(h.cell.key, [...t.rows.map((r) => r.key), ...(loopVar ? [loopVar] : [])]));
    } else if (!t.columns.some((c) => c.name === h.cell!.column)) {
      bag.error('unknown-placeholder', span, `{${h.text}}: table '${t.id}' has no column '${h.cell.column}'`, `{${h.text}}：表 '${t.id}' 没有列 '${h.cell.column}'`,
        didYouMean(h.cell.column, t.columns.map((c) => c.name)));
    }
  }
}

function checkLiteralNumbers(p: PolicyAst, s: RequireStmt, bag: DiagnosticBag): void {
  const label = s.label!;
  // The parameters the required side reads.
  const read = new Set<string>();
  const right = s.body.kind === 'binary' ? s.body.right : s.body;
  forEachExpr(right as Expr, (e) => {
    if (e.kind === 'name') read.add(e.name);
  });
  const params = p.parameters.filter((x) => x.type === 'number' && read.has(x.id));
  if (params.length === 0) return;
  const holes = labelPlaceholders(label);
  for (const m of label.matchAll(/\d+(?:\.\d+)?/g)) {
    if (holes.some((h) => m.index >= h.start && m.index < h.end)) continue;
    const same = params.find((x) => compareDecimalText(m[0], x.value) === 0);
    if (!same) continue;
    bag.warning('label-literal-number', within(s, m.index, m.index + m[0].length),
      `the label writes ${m[0]}, the value of '${same.id}' the rule compares with: it will not follow a change of '${same.id}'`,
      `标签中写的 ${m[0]} 是规则所比较的 '${same.id}' 的值：'${same.id}' 改变后标签不会随之改变`, `write {${same.id}} instead of ${m[0]}`);
  }
}
