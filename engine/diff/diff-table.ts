// `guize diff --format table`: the diff document as a summary for people, labels in Chinese and
// English — the headline counts, the rows, the requirements that moved most, the measures, the
// groups, and the first changed subjects with why they changed.

import type { DiffJson, DiffSide, JsonNumber, RuleFailures } from './diff-json.ts';

/** How much of the long lists the table shows. */
export interface DiffTableOptions {
  /** Changed subjects listed (default 20). */
  readonly subjects?: number;
  /** Requirements listed (default 15). */
  readonly rules?: number;
  /** Groups listed per group field (default 15). */
  readonly groups?: number;
}

/** Columns a character takes in a terminal: CJK and full-width forms take two. */
function width(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3)
      || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ? 2 : 1;
  }
  return n;
}

const padEnd = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));
const padStart = (s: string, n: number) => ' '.repeat(Math.max(0, n - width(s))) + s;

/** Rows as aligned columns: `right[k]` right-aligns column k (numbers). */
function columns(rows: readonly (readonly string[])[], right: readonly boolean[], indent = '  '): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, k) => (widths[k] = Math.max(widths[k] ?? 0, width(c))));
  return rows.map((r) => indent + r.map((c, k) => (right[k] ? padStart(c, widths[k]!) : k === r.length - 1 ? c : padEnd(c, widths[k]!))).join('  ').trimEnd()).join('\n') + '\n';
}

const num = (n: JsonNumber | null) => (n === null ? '—' : String(n));
const signed = (n: JsonNumber | null) => (n === null ? '—' : typeof n === 'number' && n > 0 ? `+${n}` : typeof n === 'string' && !n.startsWith('-') ? `+${n}` : String(n));
const sideName = (s: DiffSide) => `${s.id}${s.version ? `@${s.version}` : ''} (${s.source})`;

const transitionWords: Record<string, string> = {
  became_compliant: '不合规 → 合规 / non-compliant → compliant',
  became_non_compliant: '合规 → 不合规 / compliant → non-compliant',
  stayed_compliant: '合规，数值变化 / compliant, values changed',
  stayed_non_compliant: '不合规，原因或数值变化 / non-compliant, reasons or values changed',
  only_base: '仅在基准中 / only in base',
  only_head: '仅在对比中 / only in head',
};

/** The requirement of a failure count, as a person reads it: `rule (key) year`, or its window. */
const failureName = (f: { rule: string; key: string | null; year: number | null; window?: string }) =>
  `${f.rule}${f.key ? ` (${f.key})` : ''} ${f.window ?? f.year ?? '周期 cycle'}`;

/** Writes the table to `out`, piece by piece. */
export function diffTable(doc: DiffJson, out: (text: string) => void, options: DiffTableOptions = {}): void {
  const s = doc.summary;
  const limit = { subjects: options.subjects ?? 20, rules: options.rules ?? 15, groups: options.groups ?? 15 };
  out(`基准 base: ${sideName(doc.base)}\n对比 head: ${sideName(doc.head)}\n\n`);
  out(`对象 subjects (${doc.subject_key}): ${s.subjects}    合规 compliant: ${s.base_compliant} → ${s.head_compliant}\n`);
  out(columns([
    ['未变 unchanged', String(s.unchanged)],
    ['变为合规 became compliant', String(s.became_compliant)],
    ['变为不合规 became non-compliant', String(s.became_non_compliant)],
    ['状态未变、数值或原因变化 same status, values or reasons changed', String(s.changed_measures)],
    ['仅在基准 only in base', String(s.only_base)],
    ['仅在对比 only in head', String(s.only_head)],
  ], [false, true]));

  const r = doc.records;
  out(`\n记录 records: ${r.rows_compared ?? '?'} 行 rows, ${r.rows_changed ?? '?'} 行结果不同 with a different outcome\n`);
  out(columns([
    ['接受 → 拒绝 accepted → rejected', String(r.accepted_to_rejected)],
    ['拒绝 → 接受 rejected → accepted', String(r.rejected_to_accepted)],
    ['计入 → 不计 counted → disregarded', String(r.counted_to_disregarded)],
    ['不计 → 计入 disregarded → counted', String(r.disregarded_to_counted)],
    ['→ 范围外 → out of scope', String(r.to_out_of_scope ?? 0)],
    ['范围外 → out of scope →', String(r.from_out_of_scope ?? 0)],
    ['同一结果、不同规则 same outcome, another rule', String(r.other_rule ?? 0)],
    ['计入值不同 counted, other values', String(r.values_changed)],
  ], [false, true]));
  if (r.by_rule.length > 0) {
    out(`  按规则 by rule (基准 base / 对比 head):\n`);
    out(columns([['规则 rule', '条款 article', 'base', 'head'], ...r.by_rule.map((x) => [x.rule, x.article ?? '', String(x.base), String(x.head)])], [false, false, true, true], '    '));
  }

  const moved = [...doc.by_rule].filter((f) => f.base_failures !== f.head_failures || f.newly_failing > 0 || f.newly_passing > 0)
    .sort((a, b) => movedBy(b) - movedBy(a));
  out(`\n要求 requirements: ${moved.length} 项变化 changed (of ${doc.by_rule.length} failing on either side)\n`);
  if (moved.length > 0) {
    out(columns([
      ['要求 requirement', '条款 article', 'base', 'head', '新不满足 newly failing', '新满足 newly passing'],
      ...moved.slice(0, limit.rules).map((f) => [failureName(f), f.article ?? '', String(f.base_failures), String(f.head_failures), String(f.newly_failing), String(f.newly_passing)]),
    ], [false, false, true, true, true, true]));
    if (moved.length > limit.rules) out(`  … ${moved.length - limit.rules} more (see --format json)\n`);
  }

  if (doc.measures.length > 0) {
    out(`\n度量变化 measure changes (对比 − 基准 head − base, over the subjects whose value changed):\n`);
    out(columns([
      ['度量 measure', 'n', 'min', 'q1', 'median', 'q3', 'max'],
      ...doc.measures.map((m) => [m.measure, String(m.changed), signed(m.min), signed(m.q1), signed(m.median), signed(m.q3), signed(m.max)]),
    ], [false, true, true, true, true, true, true]));
  }

  for (const [field, groups] of Object.entries(doc.by_group)) {
    const shown = [...groups].sort((a, b) => b.became_compliant + b.became_non_compliant - (a.became_compliant + a.became_non_compliant) || (a.group < b.group ? -1 : 1));
    out(`\n按 by ${field}: ${groups.length} 组 groups\n`);
    out(columns([
      [field, '对象 subjects', '合规 compliant base → head', '变为合规 became', '变为不合规 became non-'],
      ...shown.slice(0, limit.groups).map((g) => [g.group === '' ? '(空 none)' : g.group, String(g.subjects), `${g.base_compliant} → ${g.head_compliant}`, String(g.became_compliant), String(g.became_non_compliant)]),
    ], [false, true, true, true, true]));
    if (groups.length > limit.groups) out(`  … ${groups.length - limit.groups} more (see --format json)\n`);
  }

  // Those whose status moved first (in id order), then the rest.
  const rank = (t: string) => (t === 'became_non_compliant' ? 0 : t === 'became_compliant' ? 1 : t === 'only_base' || t === 'only_head' ? 2 : 3);
  const changed = doc.changed.map((c, i) => [c, i] as const).sort(([a, i], [b, j]) => rank(a.transition) - rank(b.transition) || i - j).map(([c]) => c);
  out(`\n变化的对象 changed subjects: ${changed.length}${changed.length > limit.subjects ? ` (前 first ${limit.subjects}; status changes first)` : ''}\n`);
  for (const c of changed.slice(0, limit.subjects)) {
    out(`  ${String(c[doc.subject_key])}${c.cycle === undefined ? '' : ` ${c.cycle}`}  ${transitionWords[c.transition] ?? c.transition}\n`);
    const measures = Object.entries(c.measures);
    if (measures.length > 0) {
      out(`      ${measures.map(([k, m]) => `${k} ${num(m.base)} → ${num(m.head)}${m.delta === null ? '' : ` (${signed(m.delta)})`}`).join('; ')}\n`);
    }
    const key = (v: { rule: string; key: string | null; year: number | null }) => failureName(v);
    const before = new Set(c.base.violations.map(key));
    const after = new Set(c.head.violations.map(key));
    const added = c.head.violations.filter((v) => !before.has(key(v)));
    const removed = c.base.violations.filter((v) => !after.has(key(v)));
    for (const v of added) out(`      + ${v.message}\n`);
    for (const v of removed) out(`      − ${v.message}\n`);
  }
}

function movedBy(f: RuleFailures): number {
  return f.newly_failing + f.newly_passing + Math.abs(f.head_failures - f.base_failures);
}
