// `--format table`: a readable summary for a person, with Chinese and English labels. The column
// widths depend on every row, so the rows are kept as short texts until all are seen; nothing
// else is.

import { cycleText, displayWidth, padDisplay } from '../dsl/index.ts';
import {
  disregardedCount, fixedText, type Decimal, type Quotient, splitLabel, streamOf, violationMessage, type EvaluationResult, type ResultStream,
} from '../engine/index.ts';

/** A text table; headers have two lines (Chinese above English), so columns stay narrow. */
function table(header: [string, string][], rows: readonly string[][], numeric: boolean[]): string[] {
  // Widths by a loop, not Math.max(...rows): a spread of 100 000 rows overflows the stack.
  const widths = header.map(([zh, en]) => Math.max(displayWidth(zh), displayWidth(en)));
  for (const r of rows) for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i]!, displayWidth(r[i] ?? ''));
  const line = (cells: string[]) => cells.map((c, i) => padDisplay(c, widths[i]!, numeric[i] ? 'right' : 'left')).join('  ').trimEnd();
  const out = [line(header.map(([zh]) => zh)), line(header.map(([, en]) => en)), widths.map((w) => '─'.repeat(w)).join('  ')];
  for (const r of rows) out.push(line(r));
  return out;
}

/** Most rejected rows and violations listed before "… and N more". */
const LIST_LIMIT = 30;

function more(n: number): string {
  return `  … 另有 ${n} 条 / and ${n} more (use --format json for all)`;
}

/** Writes the results as text. */
export function writeTable(r: ResultStream, write: (text: string) => void): void {
  const p = r.program.policy;
  const c = r.records;
  const disregarded = disregardedCount(c);
  const scalar = r.program.measures.map((m, i) => ({ m, i })).filter(({ m }) => !m.grouped);
  const rows: string[][] = [];
  const violations: string[] = [];
  let violationCount = 0;
  let compliant = 0;
  for (const s of r.subjects()) {
    if (s.compliant) compliant++;
    rows.push([s.cycleName === undefined ? s.id : `${s.id} ${s.cycleName}`, s.compliant ? '是 yes' : '否 no', ...scalar.map(({ i }) => (s.cycle[i] === undefined ? '—' : fixedText(s.cycle[i] as Decimal | Quotient))), String(s.violations.length)]);
    for (const v of s.violations) {
      if (violationCount++ < LIST_LIMIT) violations.push(`  ${s.cycleName === undefined ? s.id : `${s.id} ${s.cycleName}`}  ${v.rule}  ${violationMessage(p, v)}  [${v.cites.join('; ')}]`);
    }
  }

  const out: string[] = [];
  out.push(`${p.title || p.id}  ${p.id} ${p.version}  ${p.document}  周期 cycle ${cycleText(p)}`, '');
  out.push('汇总 Summary');
  const summary: [string, number][] = [
    ['读入记录 rows read', c.read],
    ['已评估 evaluated', c.evaluated],
    ['  其中不计 of which count for nothing', disregarded],
    ['拒收 rejected', c.rejected],
    ['周期外 out of scope', c.outOfScope],
    [`人数 ${p.subject.collection}`, r.subjectCount],
    ['  达标 compliant', compliant],
    ['  未达标 non-compliant', r.subjectCount - compliant],
  ];
  const labelWidth = Math.max(...summary.map(([l]) => displayWidth(l)));
  for (const [label, n] of summary) out.push(`  ${padDisplay(label, labelWidth)}  ${String(n).padStart(7)}`);
  out.push('');

  const header: [string, string][] = [
    ['', p.subject.key], ['达标', 'compliant'],
    ...scalar.map(({ m }): [string, string] => [splitLabel(m.label ?? m.id).zh, m.id]),
    ['未达标项', 'violations'],
  ];
  out.push(`${p.subject.collection}（周期合计 cycle totals）`);
  write(`${out.join('\n')}\n`);
  for (const l of table(header, rows, [false, false, ...scalar.map(() => true), true])) write(`  ${l}\n`);
  rows.length = 0;

  const tail: string[] = [''];
  tail.push(`未达标明细 Violations (${violationCount})`);
  tail.push(...violations);
  if (violationCount > LIST_LIMIT) tail.push(more(violationCount - LIST_LIMIT));
  tail.push('');

  tail.push(`拒收记录 Rejected rows (${r.rejected.length})`);
  for (const x of r.rejected.slice(0, LIST_LIMIT)) {
    tail.push(`  ${x.source === 'records' ? 'records' : p.subject.collection}:${x.line}  ${x.key ?? '-'}  ${x.reason}${x.cites.length ? `  [${x.cites.join('; ')}]` : ''}`);
  }
  if (r.rejected.length > LIST_LIMIT) tail.push(more(r.rejected.length - LIST_LIMIT));
  write(`${tail.join('\n')}\n`);
}

/** Renders the results as text. */
export function formatTable(r: EvaluationResult): string {
  const parts: string[] = [];
  writeTable(streamOf(r), (t) => parts.push(t));
  return parts.join('');
}
