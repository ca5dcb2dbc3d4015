// One policy's tests, end to end: find its test files and snapshots (tests/*.yaml,
// tests/snapshots/*.snap), run every case with the policy's coverage probe, compare every
// snapshot, and tally what the cases covered. Which policies have tests is found generically:
// any folder holding policy.yaml and tests/.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { loadPolicySet, type Diagnostic, type PolicyAst, type SourceFile } from '../../dsl/index.ts';
import { CoverageProbe, coverageItems, coverageReport, type CoverageReport } from '../../engine/index.ts';
import { diskFiles } from '../load-policy.ts';
import { PolicyUnderTest, type CaseResult } from './run-cases.ts';
import { checkSnapshot, SNAPSHOT_DIR, SNAPSHOT_EXT, type SnapshotResult } from './snapshot.ts';
import { readTestText } from './read-rows.ts';
import { parseTestFile } from './test-file.ts';

/** What running one policy's tests came to. */
export interface PolicyRun {
  /** The policy's folder, as given. */
  readonly dir: string;
  /** Its id and versions, when it loaded. */
  readonly id: string | undefined;
  readonly versions: readonly string[];
  readonly cases: readonly CaseResult[];
  readonly snapshots: readonly SnapshotResult[];
  /** Problems that stopped a whole file (a test file that does not parse, a policy with errors). */
  readonly errors: readonly Diagnostic[];
  /**
   * What the cases exercised (not the snapshots: they assert nothing anyone wrote down), over the
   * items the policy writes itself: for a fork, what it inherits is its parent's tests' to cover.
   */
  readonly coverage: CoverageReport | undefined;
  /** For a fork: how many items it inherits unchanged (not counted in `coverage`). */
  readonly inherited: number;
  /** Every file read, to render diagnostics. */
  readonly sources: ReadonlyMap<string, SourceFile>;
}

/** Folders under `root` with a policy.yaml and a tests/ folder, sorted. */
export function discoverPolicies(root: string): string[] {
  let names: string[];
  try {
    names = readdirSync(root).sort();
  } catch {
    return [];
  }
  return names.map((n) => `${root}/${n}`).filter((d) => hasTests(d));
}

/** Whether a folder is a policy with tests. */
export function hasTests(dir: string): boolean {
  return (existsSync(`${dir}/policy.yaml`) || existsSync(`${dir}/policy.yml`)) && isDir(`${dir}/tests`);
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The test files of a policy folder, sorted. */
export function testFiles(dir: string): string[] {
  try {
    return readdirSync(`${dir}/tests`).filter((n) => /\.ya?ml$/i.test(n)).sort().map((n) => `${dir}/tests/${n}`);
  } catch {
    return [];
  }
}

/** The snapshot files of a policy folder, sorted. */
export function snapshotFiles(dir: string): string[] {
  try {
    return readdirSync(`${dir}/tests/${SNAPSHOT_DIR}`).filter((n) => n.endsWith(SNAPSHOT_EXT)).sort().map((n) => `${dir}/tests/${SNAPSHOT_DIR}/${n}`);
  } catch {
    return [];
  }
}

/** Runs the tests of the policy in `dir`; `update` rewrites snapshots whose results changed. */
export function runPolicy(dir: string, update: boolean): PolicyRun {
  const base = loadPolicySet(diskFiles, dir);
  const sources = new Map(base.sources);
  if (!base.result.ok) {
    return { dir, id: undefined, versions: [], cases: [], snapshots: [], errors: base.result.diagnostics.filter((d) => d.severity === 'error'), coverage: undefined, inherited: 0, sources };
  }
  const versions: PolicyAst[] = base.result.value.versions.map((v) => v.ast);
  const all = coverageItems(versions);
  // An item is the fork's own when it is written in a file of the policy loaded (depth 0): an
  // override or an addition. The parent's items run in the fork's cases too, but they are the
  // parent's to test, under the parent's own tests.
  const files = base.result.value.origins.files;
  const items = all.filter((i) => (files.get(i.span.file)?.depth ?? 0) === 0);
  const probe = new CoverageProbe(items);
  const policy = new PolicyUnderTest(dir, versions[0]!, versions, probe);
  const errors: Diagnostic[] = [];
  const cases: CaseResult[] = [];
  for (const path of testFiles(dir)) {
    const read = readTestText(path);
    if ('problem' in read) {
      errors.push({ code: 'test-file', severity: 'error', message: read.problem, zh: read.problem, span: { file: path, start: 0, end: 0 } });
      continue;
    }
    sources.set(path, { name: path, text: read.text });
    const parsed = parseTestFile(path, read.text);
    if (!parsed.ok) {
      errors.push(...parsed.diagnostics);
      continue;
    }
    for (const c of parsed.value.cases) cases.push(policy.run(parsed.value, c));
  }
  for (const [k, v] of policy.sources) sources.set(k, v);
  const snapshots = snapshotFiles(dir).map((f) => checkSnapshot(f, dir, update));
  const last = versions[versions.length - 1]!;
  return {
    dir, id: last.id, versions: versions.map((v) => v.version), cases, snapshots, errors,
    coverage: cases.length > 0 ? coverageReport(items, probe.hits) : undefined, inherited: all.length - items.length, sources,
  };
}
