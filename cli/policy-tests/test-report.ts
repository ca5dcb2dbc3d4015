// What `guize test` prints: for people, each case with a mark, each failure with its file:line
// and an expected/actual diff, snapshot changes, and the coverage table; for tools (`--format
// json`), the same as one JSON document.

import { diagnosticLocation, formatDiagnostic, LineIndex, padDisplay, type Diagnostic } from '../../dsl/index.ts';
import { COVERAGE_CATEGORIES, percentOf, type CoverageCategory, type CoverageReport } from '../../engine/index.ts';
import type { PolicyRun } from './run-policy.ts';

/** Counts over every policy run. */
export interface TestTotals {
  readonly cases: number;
  readonly passed: number;
  readonly failed: number;
  /** Cases, test files and policies that could not be run as written. */
  readonly errors: number;
  readonly snapshots: number;
  readonly snapshotsChanged: number;
  readonly snapshotsUpdated: number;
  /** Policies whose coverage is below the minimum asked for. */
  readonly belowMinimum: readonly string[];
}

/** Adds up the runs; `min` is `--coverage-min`, if given. */
export function totals(runs: readonly PolicyRun[], min: number | undefined): TestTotals {
  const cases = runs.flatMap((r) => r.cases);
  const snaps = runs.flatMap((r) => r.snapshots);
  return {
    cases: cases.length,
    passed: cases.filter((c) => c.status === 'pass').length,
    failed: cases.filter((c) => c.status === 'fail').length + snaps.filter((s) => s.status === 'changed' && !s.updated).length,
    errors: cases.filter((c) => c.status === 'error').length + runs.reduce((n, r) => n + r.errors.length, 0) + snaps.filter((s) => s.status === 'error').length,
    snapshots: snaps.length,
    snapshotsChanged: snaps.filter((s) => s.status === 'changed').length,
    snapshotsUpdated: snaps.filter((s) => s.updated).length,
    belowMinimum: min === undefined ? [] : runs.filter((r) => (r.coverage?.percent ?? 0) < min).map((r) => r.dir),
  };
}

const categoryWords: Record<CoverageCategory, string> = {
  rules: '规则 rules',
  branches: '分支 branches',
  rows: '表行 table rows',
  bands: '分档 bands',
};

const show = (v: unknown): string => (v === undefined ? '—' : JSON.stringify(v));

/** The text report of one policy. */
export function policyText(r: PolicyRun): string {
  const out: string[] = [];
  out.push(`${r.dir}${r.id ? ` (${r.id}${r.versions.length > 0 ? ` ${r.versions.join(' + ')}` : ''})` : ''}`);
  for (const d of r.errors) out.push(indent(formatDiagnostic(d, r.sources), 2));
  for (const c of r.cases) {
    const mark = c.status === 'pass' ? '✓' : c.status === 'fail' ? '✗' : '!';
    out.push(`  ${mark} ${c.file}:${c.line}  ${c.name}`);
    for (const m of c.mismatches) {
      out.push(`      ${c.file}:${m.line}  ${m.path}${m.note ? `  ${m.note}` : ''}`);
      if (m.expected !== undefined || m.actual !== undefined) {
        out.push(`        - 期望 expected: ${show(m.expected)}`);
        out.push(`        + 实际 actual:   ${show(m.actual)}`);
      }
    }
    for (const d of c.diagnostics) out.push(indent(formatDiagnostic(d, r.sources), 6));
  }
  for (const s of r.snapshots) {
    const mark = s.status === 'pass' ? '✓' : s.updated ? '↻' : s.status === 'changed' ? '✗' : '!';
    const what = s.status === 'pass' ? '快照相同 snapshot unchanged'
      : s.status === 'error' ? `快照无法重做 snapshot could not be taken again: ${s.problem ?? ''}`
      : s.updated ? `快照已更新 snapshot updated (${s.changedSubjects} 人有变化 subjects changed)`
      : `结果有变化 results changed (${s.changedSubjects} 人 subjects); guize test --update 接受 accepts them`;
    out.push(`  ${mark} ${s.file}  ${what}`);
    for (const l of s.changes) out.push(`      ${l}`);
  }
  if (r.coverage) out.push(coverageTable(r.coverage, r));
  return `${out.join('\n')}\n`;
}

/** The coverage table of one policy, then what was not covered. */
function coverageTable(c: CoverageReport, r: PolicyRun): string {
  const rows: [string, number, number][] = COVERAGE_CATEGORIES.map((k) => [categoryWords[k], c.byCategory[k].covered, c.byCategory[k].total]);
  rows.push(['合计 total', c.covered, c.total]);
  const line = (a: string, b: string, x: string, y: string) => `    ${padDisplay(a, 18)} ${b.padStart(8)} ${x.padStart(7)} ${y.padStart(8)}`;
  const out = [`  覆盖率 coverage ${c.percent.toFixed(2)} %`, line('', '覆盖 hit', '共 of', '%')];
  for (const [name, hit, total] of rows) out.push(line(name, String(hit), String(total), percentOf(hit, total).toFixed(2)));
  if (r.inherited > 0) out.push(`    另有 ${r.inherited} 项继承自上级政策，由其测试覆盖 / ${r.inherited} more items are inherited from the parent and covered by its tests`);
  for (const m of c.missed) {
    const file = r.sources.get(m.span.file);
    const at = file ? `${m.span.file}:${new LineIndex(file.text).position(m.span.start).line}` : m.span.file;
    out.push(`    未覆盖 not covered: ${at}  ${m.what}`);
  }
  return out.join('\n');
}

function indent(text: string, n: number): string {
  return text.split('\n').map((l) => `${' '.repeat(n)}${l}`).join('\n');
}

/** The closing line. */
export function totalsText(t: TestTotals, min: number | undefined): string {
  const parts = [`${t.passed} 通过 passed`, `${t.failed} 失败 failed`, `${t.errors} 错误 errors`];
  if (t.snapshots > 0) parts.push(`${t.snapshots} 个快照 snapshots${t.snapshotsUpdated > 0 ? `（${t.snapshotsUpdated} 个已更新 updated）` : ''}`);
  const lines = [parts.join(', ')];
  for (const d of t.belowMinimum) lines.push(`覆盖率低于 ${String(min)} % / coverage below ${String(min)} %: ${d}`);
  return `${lines.join('\n')}\n`;
}

function diagnosticJson(d: Diagnostic, r: PolicyRun) {
  const file = r.sources.get(d.span.file);
  const at = file ? new LineIndex(file.text).position(d.span.start) : undefined;
  return {
    code: d.code, severity: d.severity, message: d.message, zh: d.zh, ...(d.help ? { help: d.help } : {}),
    file: d.span.file, line: at?.line ?? null, column: at?.column ?? null, location: diagnosticLocation(d, r.sources),
  };
}

/** Everything as JSON data, for tools. */
export function testJson(runs: readonly PolicyRun[], t: TestTotals, min: number | undefined): unknown {
  return {
    policies: runs.map((r) => ({
      path: r.dir,
      policy: r.id ?? null,
      versions: r.versions,
      errors: r.errors.map((d) => diagnosticJson(d, r)),
      cases: r.cases.map((c) => ({
        file: c.file, line: c.line, name: c.name, status: c.status,
        mismatches: c.mismatches.map((m) => ({ path: m.path, line: m.line, expected: m.expected ?? null, actual: m.actual ?? null, ...(m.note ? { note: m.note } : {}) })),
        diagnostics: c.diagnostics.map((d) => diagnosticJson(d, r)),
      })),
      snapshots: r.snapshots.map((s) => ({ file: s.file, status: s.status, updated: s.updated, changed_subjects: s.changedSubjects, changes: s.changes, problem: s.problem ?? null })),
      coverage: r.coverage
        ? {
            percent: r.coverage.percent, covered: r.coverage.covered, total: r.coverage.total, inherited: r.inherited,
            categories: Object.fromEntries(COVERAGE_CATEGORIES.map((k) => [k, { ...r.coverage!.byCategory[k], percent: percentOf(r.coverage!.byCategory[k].covered, r.coverage!.byCategory[k].total) }])),
            missed: r.coverage.missed.map((m) => {
              const file = r.sources.get(m.span.file);
              return { category: m.category, what: m.what, file: m.span.file, line: file ? new LineIndex(file.text).position(m.span.start).line : null };
            }),
          }
        : null,
    })),
    summary: {
      cases: t.cases, passed: t.passed, failed: t.failed, errors: t.errors,
      snapshots: t.snapshots, snapshots_changed: t.snapshotsChanged, snapshots_updated: t.snapshotsUpdated,
      coverage_min: min ?? null, below_coverage_min: t.belowMinimum,
      ok: t.failed === 0 && t.errors === 0 && t.belowMinimum.length === 0,
    },
  };
}
