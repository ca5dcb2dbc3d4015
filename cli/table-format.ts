// `--format table`: a readable summary for a person, with Chinese and English labels.

import { displayWidth, padDisplay } from '../dsl/index.ts';
import { Decimal, disregardedCount, splitLabel, violationMessage, type EvaluationResult } from '../engine/index.ts';

/** A text table; headers have two lines (Chinese above English), so columns stay narrow. */
function table(header: [string, string][], rows: string[][], numeric: boolean[]): string[] {
  const widths = header.map(([zh, en], i) => Math.max(displayWidth(zh), displayWidth(en), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => padDisplay(c, widths[i]!, numeric[i] ? 'right' : 'left')).join('  ').trimEnd();
  return [line(header.map(([zh]) => zh)), line(header.map(([, en]) => en)), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
}

/** Most rejected rows and violations listed before "… and N more". */
const LIST_LIMIT = 30;

function more(n: number): string {
  return `  … 另有 ${n} 条 / and ${n} more (use --format json for all)`;
}

/** Renders the results as text. */
export function formatTable(r: EvaluationResult): string {
  const p = r.program.policy;
  const c = r.records;
  const disregarded = disregardedCount(c);
  const compliant = r.subjects.filter((s) => s.compliant).length;
  const out: string[] = [];
  out.push(`${p.title || p.id}  ${p.id} ${p.version}  ${p.document}  周期 cycle ${p.cycle.from}–${p.cycle.to}`, '');
  out.push('汇总 Summary');
  const summary: [string, number][] = [
    ['读入记录 rows read', c.read],
    ['已评估 evaluated', c.evaluated],
    ['  其中不计 of which count for nothing', disregarded],
    ['拒收 rejected', c.rejected],
    ['周期外 out of scope', c.outOfScope],
    [`人数 ${p.subject.collection}`, r.subjects.length],
    ['  达标 compliant', compliant],
    ['  未达标 non-compliant', r.subjects.length - compliant],
  ];
  const labelWidth = Math.max(...summary.map(([l]) => displayWidth(l)));
  for (const [label, n] of summary) out.push(`  ${padDisplay(label, labelWidth)}  ${String(n).padStart(7)}`);
  out.push('');

  const scalar = r.program.measures.map((m, i) => ({ m, i })).filter(({ m }) => !m.grouped);
  const header: [string, string][] = [
    ['', p.subject.key], ['达标', 'compliant'],
    ...scalar.map(({ m }): [string, string] => [splitLabel(m.label ?? m.id).zh, m.id]),
    ['未达标项', 'violations'],
  ];
  const rows = r.subjects.map((s) => [
    s.id, s.compliant ? '是 yes' : '否 no',
    ...scalar.map(({ i }) => (s.cycle[i] as Decimal).toFixed(2)),
    String(s.violations.length),
  ]);
  out.push(`${p.subject.collection}（周期合计 cycle totals）`);
  out.push(...table(header, rows, [false, false, ...scalar.map(() => true), true]).map((l) => `  ${l}`), '');

  const violations = r.subjects.flatMap((s) => s.violations.map((v) => `  ${s.id}  ${v.rule}  ${violationMessage(p, v)}  [${v.cites.join('; ')}]`));
  out.push(`未达标明细 Violations (${violations.length})`);
  out.push(...violations.slice(0, LIST_LIMIT));
  if (violations.length > LIST_LIMIT) out.push(more(violations.length - LIST_LIMIT));
  out.push('');

  out.push(`拒收记录 Rejected rows (${r.rejected.length})`);
  const rejected = r.rejected.map((x) => `  ${x.source === 'records' ? 'records' : p.subject.collection}:${x.line}  ${x.key ?? '-'}  ${x.reason}${x.cites.length ? `  [${x.cites.join('; ')}]` : ''}`);
  out.push(...rejected.slice(0, LIST_LIMIT));
  if (rejected.length > LIST_LIMIT) out.push(more(rejected.length - LIST_LIMIT));
  return `${out.join('\n')}\n`;
}
