// Running the cases of one policy's test files: each case's policy (the versions combined, or the
// one it chooses, with the values it overrides) loaded once and compiled with the policy's
// coverage probe; its rows evaluated; its expectations compared with the JSON report.

import { dirname } from 'node:path';
import {
  DiagnosticBag, didYouMean, keySpanAt, LineIndex, loadPolicySet, scalarSource, type Diagnostic, type PolicyAst, type SourceFile,
  type ValueOverrides, type VersionChoice,
} from '../../dsl/index.ts';
import { compilePolicy, CoverageProbe, evaluate, reportJson, type Program } from '../../engine/index.ts';
import { diskFiles } from '../load-policy.ts';
import { Comparison, type ExpectPath } from './compare.ts';
import { DataFileProblem, rowEvents } from './read-rows.ts';
import { expectSpan, type TestCase, type TestFile } from './test-file.ts';

/** One difference, located in the test file. */
export interface LocatedMismatch {
  /** Where in `expect` (`subjects.T1.years.2017.hours`). */
  readonly path: string;
  readonly line: number;
  readonly expected: unknown;
  readonly actual: unknown;
  readonly note: string | undefined;
}

/** What became of one case. */
export interface CaseResult {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  /** `fail`: the results differ; `error`: the case could not be run as written. */
  readonly status: 'pass' | 'fail' | 'error';
  readonly mismatches: readonly LocatedMismatch[];
  /** Why it is an error (located, in the test file or the policy), or why it failed to load. */
  readonly diagnostics: readonly Diagnostic[];
}

/** A policy loaded for one choice of version and values. */
type Loaded = { ok: true; program: Program } | { ok: false; diagnostics: readonly Diagnostic[] };

/** Loads and compiles a policy's variants for its cases, once each, all with one coverage probe. */
export class PolicyUnderTest {
  private readonly loaded = new Map<string, Loaded>();
  /** Every file read: the policy's and the test files', for rendering diagnostics. */
  readonly sources = new Map<string, SourceFile>();

  constructor(readonly dir: string, readonly base: PolicyAst, readonly versions: readonly PolicyAst[], readonly probe: CoverageProbe) {}

  load(choice: VersionChoice, overrides: ValueOverrides | undefined): Loaded {
    const key = JSON.stringify([choice.version, choice.asOf, overrides?.settings, overrides?.parameters]);
    const hit = this.loaded.get(key);
    if (hit) return hit;
    const set = loadPolicySet(diskFiles, this.dir, choice, overrides);
    for (const [k, v] of set.sources) this.sources.set(k, v);
    const out: Loaded = set.result.ok
      ? { ok: true, program: compilePolicy(set.result.value.checked, { coverage: this.probe }) }
      : { ok: false, diagnostics: set.result.diagnostics.filter((d) => d.severity === 'error') };
    this.loaded.set(key, out);
    return out;
  }

  /** Runs one case of a test file. */
  run(file: TestFile, c: TestCase): CaseResult {
    const result = (status: CaseResult['status'], mismatches: LocatedMismatch[], diagnostics: readonly Diagnostic[]): CaseResult =>
      ({ file: file.file, name: c.name, line: c.line, status, mismatches, diagnostics });
    const bag = new DiagnosticBag();
    this.checkOverrides(file, c, bag);
    if (c.version !== undefined && c.asOf !== undefined) {
      bag.error('version-and-as-of', keySpanAt(file.src, c.path, 'as_of'), 'a case chooses its version by version or by as_of, not both', '用例只能用 version 或 as_of 之一选择版本');
    }
    if (bag.hasErrors) return result('error', [], bag.items);
    const choice: VersionChoice = { ...(c.version === undefined ? {} : { version: c.version }), ...(c.asOf === undefined ? {} : { asOf: c.asOf }) };
    const overrides = c.settings || c.parameters ? { ...(c.settings ? { settings: c.settings } : {}), ...(c.parameters ? { parameters: c.parameters } : {}) } : undefined;
    const loaded = this.load(choice, overrides);
    const expectedError = c.expect.error as string | undefined;
    if (!loaded.ok) {
      if (expectedError !== undefined && loaded.diagnostics.some((d) => d.code === expectedError)) return result('pass', [], []);
      return result('fail', [this.locate(file, c, ['error'], expectedError ?? 'the policy loads', loaded.diagnostics.map((d) => d.code).join(', '),
        '策略未能加载 / the policy did not load')], loaded.diagnostics);
    }
    if (expectedError !== undefined) {
      return result('fail', [this.locate(file, c, ['error'], expectedError, 'no error', `期望错误 ${expectedError}，但策略加载成功 / expected the error ${expectedError}, but the policy loaded`)], []);
    }
    const base = dirname(file.file);
    let records;
    let subjects;
    try {
      records = rowEvents(c.records, base);
      subjects = rowEvents(c.subjects, base);
    } catch (e) {
      if (!(e instanceof DataFileProblem)) throw e;
      const at = c.records?.kind === 'file' ? c.records.span : c.subjects?.span ?? c.span;
      bag.error('data-file', at, e.message, e.message);
      return result('error', [], bag.items);
    }
    const p = loaded.program.policy;
    const report = reportJson(evaluate(loaded.program, records, subjects)) as Record<string, unknown>;
    const cmp = new Comparison((path) => scalarSource(file.src, [...c.path, 'expect', ...path]),
      { subjectKey: p.subject.key, collection: p.subject.collection, recordKey: p.record.key, periodName: p.period.name, repeating: p.cycle.every !== undefined });
    cmp.run(c.expect as Record<string, unknown>, report);
    for (const n of cmp.names) {
      bag.error('unknown-expectation', expectSpan(file, c, n.path, true), `the report has no '${n.name}' here (${n.path.join('.')})`,
        `报告中此处没有 '${n.name}'（${n.path.join('.')}）`, n.help);
    }
    if (bag.hasErrors) return result('error', [], bag.items);
    const mismatches = cmp.mismatches.map((m) => this.locate(file, c, m.path, m.expected, m.actual, m.note));
    return result(mismatches.length === 0 ? 'pass' : 'fail', mismatches, []);
  }

  private locate(file: TestFile, c: TestCase, path: ExpectPath, expected: unknown, actual: unknown, note: string | undefined): LocatedMismatch {
    const span = expectSpan(file, c, path);
    return { path: path.join('.'), line: new LineIndex(file.src.text).position(span.start).line, expected, actual, note };
  }

  /** Settings and parameters a case overrides must be the policy's, with values that fit. */
  private checkOverrides(file: TestFile, c: TestCase, bag: DiagnosticBag): void {
    const settings = new Map(this.versions.flatMap((v) => v.settings.map((s) => [s.id, s] as const)));
    const parameters = new Set(this.versions.flatMap((v) => v.parameters.map((x) => x.id)));
    for (const [id, value] of Object.entries(c.settings ?? {})) {
      const at = keySpanAt(file.src, [...c.path, 'settings'], id);
      const s = settings.get(id);
      if (!s) {
        bag.error('unknown-setting', at, `the policy has no setting '${id}'`, `策略中没有设置 '${id}'`, didYouMean(id, settings.keys()));
      } else if (s.choices.length === 0 ? typeof value !== 'boolean' : !s.choices.includes(String(value))) {
        const allowed = s.choices.length === 0 ? 'true or false' : s.choices.join(', ');
        bag.error('setting-not-a-choice', at, `'${String(value)}' is not a value of the setting '${id}' (${allowed})`, `'${String(value)}' 不是设置 '${id}' 的取值（${allowed}）`);
      }
    }
    for (const id of Object.keys(c.parameters ?? {})) {
      if (!parameters.has(id)) {
        bag.error('unknown-parameter', keySpanAt(file.src, [...c.path, 'parameters'], id), `the policy has no parameter '${id}'`, `策略中没有参数 '${id}'`, didYouMean(id, parameters));
      }
    }
  }
}
