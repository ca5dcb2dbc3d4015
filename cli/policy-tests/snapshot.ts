// Snapshots: a policy's full results on a data set, stored under tests/snapshots/ in a compact,
// diff-friendly text — a header saying what it was taken with (policy, versions, the version
// choice, the records and subjects files), then the summary, one line per rejected row and one
// line per subject in id order, each a line of JSON. `guize test` evaluates again and says which
// subjects changed and how; `guize test --update` writes the new results.

import { dirname, relative, resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { loadPolicySet, type VersionChoice } from '../../dsl/index.ts';
import { compilePolicy, evaluate, reportJson } from '../../engine/index.ts';
import { diskFiles } from '../load-policy.ts';
import { DataFileProblem, readRowsFile, readTestText } from './read-rows.ts';

/** Where snapshots live under a policy's tests/, and how their files end. */
export const SNAPSHOT_DIR = 'snapshots';
export const SNAPSHOT_EXT = '.snap';

const HEADER = '# guize snapshot — 策略在一组数据上的全部结果 / a policy\'s full results on a data set. guize test compares them; guize test --update rewrites them.';
const END_OF_HEADER = '---';

/** What a snapshot was taken with. */
export interface SnapshotSource {
  /** Paths relative to the snapshot file's folder, with `/`. */
  readonly records: string;
  readonly subjects: string | undefined;
  readonly choice: VersionChoice;
}

/** A snapshot's text for the results of `policyDir` on its data (paths as `source` gives them). */
export function snapshotText(policyDir: string, snapshotFile: string, source: SnapshotSource): { text: string } | { problem: string } {
  const set = loadPolicySet(diskFiles, policyDir, source.choice);
  if (!set.result.ok) return { problem: `策略 ${policyDir} 有错误 / the policy ${policyDir} has errors (guize check --policy ${policyDir})` };
  const base = dirname(snapshotFile);
  let records;
  let subjects;
  try {
    records = readRowsFile(resolve(base, source.records));
    subjects = source.subjects === undefined ? [] : readRowsFile(resolve(base, source.subjects));
  } catch (e) {
    if (e instanceof DataFileProblem) return { problem: e.message };
    throw e;
  }
  const program = compilePolicy(set.result.value.checked);
  const report = reportJson(evaluate(program, records, subjects)) as Record<string, unknown>;
  const p = program.policy;
  const lines = [
    HEADER,
    `policy: ${p.id}`,
    `versions: ${set.result.value.versions.map((v) => v.ast.version).join(', ')}`,
    ...(source.choice.version !== undefined ? [`version: ${source.choice.version}`] : []),
    ...(source.choice.asOf !== undefined ? [`as_of: ${source.choice.asOf}`] : []),
    `records: ${source.records}`,
    ...(source.subjects !== undefined ? [`subjects: ${source.subjects}`] : []),
    END_OF_HEADER,
    `summary ${JSON.stringify(report.summary)}`,
    ...(report.rejected as unknown[]).map((r) => `rejected ${JSON.stringify(r)}`),
    ...(report[p.subject.collection] as Record<string, unknown>[]).map((s) => {
      const { [p.subject.key]: id, ...rest } = s;
      return `${JSON.stringify(String(id))} ${JSON.stringify(rest)}`;
    }),
  ];
  return { text: `${lines.join('\n')}\n` };
}

/** A data path as a snapshot stores it: relative to the snapshot's folder, with `/`. */
export function relativeTo(snapshotFile: string, path: string): string {
  return relative(dirname(resolve(snapshotFile)), resolve(path)).split('\\').join('/');
}

/** The header of a snapshot file, or a reason it has none. */
export function readSnapshotSource(text: string): SnapshotSource | string {
  const end = text.indexOf(`\n${END_OF_HEADER}\n`);
  if (!text.startsWith('# guize snapshot') || end < 0) return '不是 guize 快照文件 / not a guize snapshot file';
  const fields = new Map<string, string>();
  for (const line of text.slice(0, end).split('\n').slice(1)) {
    const at = line.indexOf(': ');
    if (at > 0) fields.set(line.slice(0, at), line.slice(at + 2));
  }
  const records = fields.get('records');
  if (!records) return '快照未写明记录文件 / the snapshot does not say which records file it was taken on';
  const version = fields.get('version');
  const asOf = fields.get('as_of');
  return { records, subjects: fields.get('subjects'), choice: { ...(version ? { version } : {}), ...(asOf ? { asOf } : {}) } };
}

/** What comparing one snapshot came to. */
export interface SnapshotResult {
  readonly file: string;
  /** `changed`: the results differ (and were rewritten if `updated`); `error`: it could not be taken again. */
  readonly status: 'pass' | 'changed' | 'error';
  readonly updated: boolean;
  /** What changed, a line each (the first of them, when many). */
  readonly changes: readonly string[];
  readonly changedSubjects: number;
  readonly problem: string | undefined;
}

/** Most changed subjects described one by one. */
const MAX_DESCRIBED = 20;

/** Takes a snapshot again and compares it with the stored one; `update` writes the new one when they differ. */
export function checkSnapshot(file: string, policyDir: string, update: boolean): SnapshotResult {
  const fail = (problem: string): SnapshotResult => ({ file, status: 'error', updated: false, changes: [], changedSubjects: 0, problem });
  const stored = readTestText(file);
  if ('problem' in stored) return fail(stored.problem);
  const source = readSnapshotSource(stored.text);
  if (typeof source === 'string') return fail(`${file}: ${source}`);
  const now = snapshotText(policyDir, file, source);
  if ('problem' in now) return fail(now.problem);
  if (now.text === stored.text) return { file, status: 'pass', updated: false, changes: [], changedSubjects: 0, problem: undefined };
  const { changes, changedSubjects } = describeChanges(stored.text, now.text);
  if (update) writeFileSync(file, now.text);
  return { file, status: 'changed', updated: update, changes, changedSubjects, problem: undefined };
}

type Obj = Record<string, unknown>;

/** Splits a snapshot into its header, summary, rejected rows and subjects by id. */
function parts(text: string): { header: string[]; summary: string; rejected: string[]; subjects: Map<string, string> } {
  const lines = text.split('\n').filter((l) => l !== '');
  const end = lines.indexOf(END_OF_HEADER);
  const header = lines.slice(1, end);
  const body = lines.slice(end + 1);
  const subjects = new Map<string, string>();
  let summary = '';
  const rejected: string[] = [];
  for (const l of body) {
    if (l.startsWith('summary ')) summary = l.slice(8);
    else if (l.startsWith('rejected ')) rejected.push(l.slice(9));
    else if (l.startsWith('"')) {
      const id = JSON.parse(l.slice(0, l.indexOf('" ') + 1)) as string;
      subjects.set(id, l.slice(l.indexOf('" ') + 2));
    }
  }
  return { header, summary, rejected, subjects };
}

/** The changes between two snapshots, for people: header, summary, rejected rows, then subject by subject. */
export function describeChanges(before: string, after: string): { changes: string[]; changedSubjects: number } {
  const a = parts(before);
  const b = parts(after);
  const out: string[] = [];
  for (const l of a.header) if (!b.header.includes(l)) out.push(`- ${l}`);
  for (const l of b.header) if (!a.header.includes(l)) out.push(`+ ${l}`);
  if (a.summary !== b.summary) out.push(...fieldChanges('summary', JSON.parse(a.summary || '{}') as Obj, JSON.parse(b.summary || '{}') as Obj));
  for (const r of a.rejected) if (!b.rejected.includes(r)) out.push(`- rejected ${r}`);
  for (const r of b.rejected) if (!a.rejected.includes(r)) out.push(`+ rejected ${r}`);
  let changed = 0;
  const ids = [...new Set([...a.subjects.keys(), ...b.subjects.keys()])].sort();
  for (const id of ids) {
    const x = a.subjects.get(id);
    const y = b.subjects.get(id);
    if (x === y) continue;
    changed++;
    if (changed > MAX_DESCRIBED) continue;
    if (x === undefined) out.push(`+ ${id}: 新增 new`);
    else if (y === undefined) out.push(`- ${id}: 不再出现 gone`);
    else out.push(...fieldChanges(id, JSON.parse(x) as Obj, JSON.parse(y) as Obj));
  }
  if (changed > MAX_DESCRIBED) out.push(`… 另有 ${changed - MAX_DESCRIBED} 人有变化 / and ${changed - MAX_DESCRIBED} more subjects changed`);
  return { changes: out, changedSubjects: changed };
}

/** `who path: old → new` for each leaf that differs; violations as added and removed ids. */
function fieldChanges(who: string, x: Obj, y: Obj): string[] {
  const out: string[] = [];
  const walk = (path: string, u: unknown, v: unknown) => {
    if (JSON.stringify(u) === JSON.stringify(v)) return;
    if (Array.isArray(u) && Array.isArray(v) && path.endsWith('violations')) {
      const su = u.map((e) => JSON.stringify(e));
      const sv = v.map((e) => JSON.stringify(e));
      u.forEach((e, i) => { if (!sv.includes(su[i]!)) out.push(`  ${who} ${path}: − ${describeViolation(e as Obj)}`); });
      v.forEach((e, i) => { if (!su.includes(sv[i]!)) out.push(`  ${who} ${path}: + ${describeViolation(e as Obj)}`); });
      return;
    }
    if (typeof u === 'object' && u !== null && typeof v === 'object' && v !== null && !Array.isArray(u) && !Array.isArray(v)) {
      for (const k of new Set([...Object.keys(u), ...Object.keys(v)])) walk(path ? `${path}.${k}` : k, (u as Obj)[k], (v as Obj)[k]);
      return;
    }
    out.push(`  ${who} ${path}: ${JSON.stringify(u) ?? '—'} → ${JSON.stringify(v) ?? '—'}`);
  };
  walk('', x, y);
  return out;
}

/** `rule[key]@period (actual …, required …)`: the period is the member after `article` (the report's order), or a window of `per N periods`. */
function describeViolation(v: Obj): string {
  const keys = Object.keys(v);
  const period = v.window ?? v[keys[keys.indexOf('article') + 1]!];
  const key = v.key === undefined ? '' : `[${String(v.key)}]`;
  return `${String(v.rule)}${key}@${period === null || period === undefined ? 'cycle' : String(period)} (actual ${JSON.stringify(v.actual)}, required ${JSON.stringify(v.required)})`;
}
