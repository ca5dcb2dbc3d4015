// `guize test` and `guize snapshot`, in-process: the shipped policies' tests pass with 100 %
// coverage (this is what `npm test` runs of them), and the runner itself — a failing case named
// with its file:line and an expected/actual diff, a bad test file as a located error, snapshots
// compared and rewritten by --update, the JSON shape, the exit codes.

import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../cli/main.ts';

function capture(): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: (t) => void (err += t), stdout: () => out, stderr: () => err };
}

async function guize(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('the shipped policies', () => {
  it('pass their tests with 100 % coverage (guize test --coverage-min 100)', async () => {
    const r = await guize('test', '--coverage-min', '100', '--format', 'json');
    const json = JSON.parse(r.out);
    expect(r.err).toBe('');
    expect(json.summary).toMatchObject({ failed: 0, errors: 0, ok: true, coverage_min: 100, below_coverage_min: [] });
    const lincang = json.policies.find((p: { policy: string }) => p.policy === 'lincang.teacher-training');
    expect(lincang.coverage).toMatchObject({ percent: 100, missed: [] });
    // rules 52 (statements of both versions), branches 76, rows 15 (three keyed tables of five), bands 6
    // (four bands and below in 2017.1, and 2019.1's own 良)
    expect(lincang.coverage.categories).toEqual({
      rules: { covered: 52, total: 52, percent: 100 }, branches: { covered: 76, total: 76, percent: 100 },
      rows: { covered: 15, total: 15, percent: 100 }, bands: { covered: 6, total: 6, percent: 100 },
    });
    expect(lincang.snapshots).toEqual([expect.objectContaining({ file: 'policies/lincang/tests/snapshots/sample.snap', status: 'pass' })]);
    // The county fork is measured on what it writes: rules 4 (its subjects' exclude, its
    // rate_out_of_range, ethics_hours, yearly_ethics_hours), branches 5 (the where both ways, the
    // requirement met, violated and not applicable), rows 1 (its rate_range[school]). The city's
    // 149 items less the two it replaces (the rule and the row) are inherited: 147.
    const county = json.policies.find((p: { policy: string }) => p.policy === 'lincang.county-example');
    expect(county.versions).toEqual(['2018.1+2017.1', '2018.1+2019.1']);
    expect(county.cases.map((c: { status: string }) => c.status)).toEqual(['pass', 'pass', 'pass']);
    expect(county.coverage).toMatchObject({ percent: 100, covered: 10, total: 10, inherited: 147, missed: [] });
    expect(county.coverage.categories).toEqual({
      rules: { covered: 4, total: 4, percent: 100 }, branches: { covered: 5, total: 5, percent: 100 },
      rows: { covered: 1, total: 1, percent: 100 }, bands: { covered: 0, total: 0, percent: 100 },
    });
    expect(r.code).toBe(0);
  });
});

// A policy folder of its own: the Lincang policy's first version, with tests written here.
const dir = mkdtempSync(`${tmpdir()}/guize-ptest-`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dirOf = (path: string) => path.slice(0, path.lastIndexOf('/'));

function policyWith(tests: Record<string, string>): string {
  const p = `${dir}/p${++n}`;
  mkdirSync(`${p}/tests`, { recursive: true });
  copyFileSync(new URL('../policies/lincang/policy.yaml', import.meta.url), `${p}/policy.yaml`);
  for (const [name, text] of Object.entries(tests)) writeFileSync(`${p}/tests/${name}`, text);
  return p;
}

const oneDay = `defaults:
  records: { kind: training, elective: true, in_system: true, status: ok }
cases:
  - name: one day of training
    records:
      - { record_id: R1, teacher_id: T1, date: 2016-06-01, level: county, format: short_term, module: ethics, days: 1, rate: 1, score: 95 }
    expect:
      subjects:
        T1:
          hours: HOURS
`;

describe('guize test', () => {
  it('passes a case whose expectations hold (1 day = 6 h), and fails one that does not, with file:line and the diff', async () => {
    const good = policyWith({ 'a.yaml': oneDay.replace('HOURS', '6') });
    expect((await guize('test', good)).code).toBe(0);

    const bad = policyWith({ 'a.yaml': oneDay.replace('HOURS', '7') });
    const r = await guize('test', bad);
    expect(r.code).toBe(1);
    // the case starts on line 4 (its name), the wrong number is on line 10
    expect(r.out).toContain(`✗ ${bad}/tests/a.yaml:4  one day of training`);
    expect(r.out).toContain(`${bad}/tests/a.yaml:10  subjects.T1.hours\n        - 期望 expected: 7\n        + 实际 actual:   6\n`);
    expect(r.out).toContain('0 通过 passed, 1 失败 failed, 0 错误 errors');
  });

  it('reports a missing and an unexpected violation by id', async () => {
    const p = policyWith({
      'a.yaml': oneDay.replace('hours: HOURS', 'violations_include: [ yearly_hours@2015 ]\n          violations_exclude: [ yearly_hours@2016 ]'),
    });
    const r = await guize('test', p);
    expect(r.code).toBe(1);
    expect(r.out).toContain('缺少违规 missing violation yearly_hours@2015');
    expect(r.out).toContain('不应有的违规 violation that should not be there: yearly_hours@2016');
  });

  it('refuses a bad test file with a located, bilingual error and a suggestion (exit 2)', async () => {
    const p = policyWith({ 'a.yaml': oneDay.replace('HOURS', '6').replace('    expect:', '    expectt:') });
    const r = await guize('test', p);
    expect(r.code).toBe(2);
    expect(r.out).toContain("error[unknown-key]: cases.0 中有未知的键 'expectt'");
    expect(r.out).toContain(`--> ${p}/tests/a.yaml:7:5`);
    expect(r.out).toContain("= help: did you mean 'expect'?");
  });

  it('says which name the report does not have, with a suggestion', async () => {
    const p = policyWith({ 'a.yaml': oneDay.replace('hours: HOURS', 'hourz: 6') });
    const r = await guize('test', p);
    expect(r.code).toBe(2);
    expect(r.out).toContain("error[unknown-expectation]: 报告中此处没有 'hourz'（subjects.T1.hourz）");
    expect(r.out).toContain(`--> ${p}/tests/a.yaml:10:11`);
    expect(r.out).toContain("= help: did you mean 'hours'?");
  });

  it('checks the settings a case overrides', async () => {
    const p = policyWith({ 'a.yaml': oneDay.replace('HOURS', '6').replace('    records:', '    settings: { first_year_count: true }\n    records:') });
    const r = await guize('test', p);
    expect(r.code).toBe(2);
    expect(r.out).toContain("error[unknown-setting]: 策略中没有设置 'first_year_count'");
    expect(r.out).toContain("= help: did you mean 'first_year_counts'?");
  });

  it('gives a JSON document for tools', async () => {
    const p = policyWith({ 'a.yaml': oneDay.replace('HOURS', '7') });
    const r = await guize('test', p, '--format', 'json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(['policies', 'summary']);
    expect(json.summary).toEqual({
      cases: 1, passed: 0, failed: 1, errors: 0, snapshots: 0, snapshots_changed: 0, snapshots_updated: 0,
      coverage_min: null, below_coverage_min: [], ok: false,
    });
    const [policy] = json.policies;
    expect(policy).toMatchObject({ path: p, policy: 'lincang.teacher-training', versions: ['2017.1'], errors: [] });
    expect(policy.cases).toEqual([{
      file: `${p}/tests/a.yaml`, line: 4, name: 'one day of training', status: 'fail', diagnostics: [],
      mismatches: [{ path: 'subjects.T1.hours', line: 10, expected: 7, actual: 6 }],
    }]);
    expect(Object.keys(policy.coverage)).toEqual(['percent', 'covered', 'total', 'inherited', 'categories', 'missed']);
    expect(policy.coverage.percent).toBeLessThan(100);
  });

  it('exits 1 below --coverage-min and 2 on a wrong command line', async () => {
    const p = policyWith({ 'a.yaml': oneDay.replace('HOURS', '6') });
    const low = await guize('test', p, '--coverage-min', '100');
    expect(low.code).toBe(1);
    expect(low.out).toContain(`覆盖率低于 100 % / coverage below 100 %: ${p}`);
    expect((await guize('test', p, '--coverage-min', 'most')).code).toBe(2);
    expect((await guize('test', p, '--colour')).code).toBe(2);
    expect((await guize('test', `${dir}/nowhere`)).code).toBe(2);
  });

  it('has help', async () => {
    const r = await guize('test', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('--coverage-min PERCENT');
    expect((await guize('help')).out).toContain('guize test [POLICY…]');
    expect((await guize('help', 'snapshot')).out).toContain('guize snapshot --policy DIR');
  });
});

// Each code only a test file can raise, asserted exactly (test/diagnostic-codes.test.ts names
// these tests): located at what the case wrote, in both languages, and exit 2.
describe('guize test: a bad test file or case is a located error with its code', () => {
  /** Runs the tests of a policy with the one test file `text`; its output, and where the file is. */
  async function run(text: string | Uint8Array) {
    const p = policyWith({});
    const file = `${p}/tests/a.yaml`;
    writeFileSync(file, text);
    const r = await guize('test', p);
    return { ...r, file };
  }
  const withCase = (from: string, to: string) => {
    const text = oneDay.replace('HOURS', '6');
    expect(text.split(from)).toHaveLength(2);
    return text.replace(from, to);
  };

  it('a case whose records file cannot be read is a data-file error at its records', async () => {
    const r = await run(withCase("    records:\n      - { record_id: R1, teacher_id: T1, date: 2016-06-01, level: county, format: short_term, module: ethics, days: 1, rate: 1, score: 95 }\n", '    records: nosuch.csv\n'));
    expect(r.code).toBe(2);
    expect(r.out).toContain(`error[data-file]: 找不到文件 / no such file: ${dirOf(r.file)}/nosuch.csv`);
    expect(r.out).toContain(`--> ${r.file}:5:14`);
  });

  it('a test file with a line over 64 KiB is a line-too-long error at that line', async () => {
    const r = await run(`${oneDay.replace('HOURS', '6')}# ${'x'.repeat(64 << 10)}\n`);
    expect(r.code).toBe(2);
    expect(r.out).toContain('error[line-too-long]: 有一行超过 64 KiB');
    expect(r.out).toContain('a line is longer than 64 KiB');
    expect(r.out).toContain(`--> ${r.file}:11:1`);
  });

  it('a test file that is not UTF-8 is a test-file error naming the file', async () => {
    const r = await run(new Uint8Array([0x63, 0x61, 0x73, 0x65, 0x73, 0x3a, 0x20, 0xff, 0x0a]));
    expect(r.code).toBe(2);
    expect(r.out).toContain(`error[test-file]: ${r.file} 不是 UTF-8 编码 / ${r.file} is not UTF-8 text`);
  });

  it('a case overriding a parameter the policy does not have is an unknown-parameter error, with a suggestion', async () => {
    const r = await run(withCase('    records:', '    parameters: { min_credits_yearlyy: 80 }\n    records:'));
    expect(r.code).toBe(2);
    expect(r.out).toContain("error[unknown-parameter]: 策略中没有参数 'min_credits_yearlyy'");
    expect(r.out).toContain(`--> ${r.file}:5:19`);
    expect(r.out).toContain("= help: did you mean 'min_credits_yearly'?");
  });

  it('a case with both version and as_of is a version-and-as-of error', async () => {
    const r = await run(withCase('    records:', '    version: "2017.1"\n    as_of: 2018-01-01\n    records:'));
    expect(r.code).toBe(2);
    expect(r.out).toContain('error[version-and-as-of]: 用例只能用 version 或 as_of 之一选择版本');
    // at the as_of (line 6), the second way of choosing
    expect(r.out).toContain(`--> ${r.file}:6:5`);
  });

  it('a case setting a yes/no setting to a text is a setting-not-a-choice error at the setting', async () => {
    const r = await run(withCase('    records:', '    settings: { first_year_counts: maybe }\n    records:'));
    expect(r.code).toBe(2);
    expect(r.out).toContain("error[setting-not-a-choice]: 'maybe' 不是设置 'first_year_counts' 的取值（true or false）");
    expect(r.out).toContain(`--> ${r.file}:5:17`);
  });

  it('a lone carriage return in a test file is a bad-line-ending error at it', async () => {
    const r = await run(oneDay.replace('HOURS', '6').replace('cases:\n', 'cases:\r  \n'));
    expect(r.code).toBe(2);
    expect(r.out).toContain('error[bad-line-ending]: 文件中有单独的回车符（旧式 Mac 换行）');
    expect(r.out).toContain(`--> ${r.file}:3:7`);
  });
});

describe('guize snapshot', () => {
  it('stores results, fails guize test when they change, and --update accepts the change', async () => {
    const p = policyWith({});
    const records = `${dir}/records-${n}.csv`;
    writeFileSync(records, 'record_id,teacher_id,date,kind,level,format,module,elective,days,rate,score,in_system,status\n'
      + 'R1,T1,2016-06-01,training,county,short_term,ethics,true,1,1,95,true,ok\n'
      + 'R2,T2,2016-06-01,training,county,short_term,ethics,true,2,1,95,true,ok\n');
    const made = await guize('snapshot', '--policy', p, '--records', records, '--name', 'small');
    expect(made.code).toBe(0);
    const file = `${p}/tests/snapshots/small.snap`;
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    expect(lines.slice(1, 6)).toEqual(['policy: lincang.teacher-training', 'versions: 2017.1', `records: ../../../records-${n}.csv`, '---', expect.stringMatching(/^summary \{"rows_read":2,/)]);
    // one line per teacher, in id order: T1 6 h (1 day), T2 12 h (2 days)
    expect(lines[6]).toMatch(/^"T1" \{"compliant":false,"credits":7\.5,"hours":6,/);
    expect(lines[7]).toMatch(/^"T2" \{"compliant":false,"credits":15,"hours":12,/);
    expect((await guize('test', p)).code).toBe(0);

    // The data changes: T2 trained 3 days (18 h, 3 × 6 × 1.25 = 22.5 credits).
    writeFileSync(records, readFileSync(records, 'utf8').replace('ethics,true,2,', 'ethics,true,3,'));
    const changed = await guize('test', p);
    expect(changed.code).toBe(1);
    expect(changed.out).toContain('结果有变化 results changed (1 人 subjects)');
    expect(changed.out).toContain('T2 credits: 15 → 22.5');
    expect(changed.out).toContain('T2 hours: 12 → 18');
    expect(readFileSync(file, 'utf8')).toBe(text);

    const updated = await guize('test', p, '--update');
    expect(updated.code).toBe(0);
    expect(updated.out).toContain('快照已更新 snapshot updated');
    expect(readFileSync(file, 'utf8')).toContain('"T2" {"compliant":false,"credits":22.5,"hours":18,');
    expect((await guize('test', p)).code).toBe(0);
  });
});

describe('coverage in the engine', () => {
  it('instruments only a program compiled with a probe, which then runs interpreted', async () => {
    const { loadPolicy } = await import('../dsl/index.ts');
    const { compilePolicy, CoverageProbe, coverageItems, Evaluation } = await import('../engine/index.ts');
    const loaded = loadPolicy('policy.yaml', readFileSync(new URL('../policies/lincang/policy.yaml', import.meta.url), 'utf8'));
    if (!loaded.ok) throw new Error('the Lincang policy does not load');
    const plain = compilePolicy(loaded.value);
    expect(plain.coverage).toBeUndefined();
    expect(new Evaluation(plain).compiled).toBe(true);
    const probe = new CoverageProbe(coverageItems([loaded.value.ast]));
    const instrumented = compilePolicy(loaded.value, { coverage: probe });
    expect(new Evaluation(instrumented).compiled).toBe(false);
    // 2017.1 alone: 52 − 2 (2019.1's measure and requirement) = 50 rules; 5 bands; 15 rows
    const items = coverageItems([loaded.value.ast]);
    expect(items.filter((i) => i.category === 'rules')).toHaveLength(50);
    expect(items.filter((i) => i.category === 'bands')).toHaveLength(5);
    expect(items.filter((i) => i.category === 'rows')).toHaveLength(15);
  });
});
