// The evaluation conformance cases (test/cases/eval/*.yaml): each file is one case — a shipped
// policy, optional edits, rows, and the fragment of the JSON report it must give, each number
// worked out by hand in a comment — run by one loader (test/support/eval-cases.ts) through
// `guize eval` in process. The loader's own tests: a wrong expectation fails, naming the file,
// line and path; a case that breaks the schema is refused, located.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CaseFailure, runCase } from './support/eval-cases.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CASES = path.join(ROOT, 'test', 'cases', 'eval');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'eval-cases');
const files = fs.readdirSync(CASES).filter((n) => n.endsWith('.yaml')).sort();

describe('evaluation conformance cases (test/cases/eval)', () => {
  it('there are at least 40, over every shipped policy', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    const policies = new Set(files.map((f) => /^policy:\s*(\S+)/m.exec(fs.readFileSync(path.join(CASES, f), 'utf8'))?.[1]));
    const shipped = fs.readdirSync(path.join(ROOT, 'policies')).filter((d) => fs.existsSync(path.join(ROOT, 'policies', d, 'policy.yaml')));
    expect([...policies].sort()).toEqual(shipped.sort());
  });
  for (const f of files) it(f, async () => runCase(path.join(CASES, f)), 30_000);
});

/** The message a fixture's run fails with. */
async function failure(name: string): Promise<string> {
  try {
    await runCase(path.join(FIXTURES, name));
  } catch (e) {
    if (e instanceof CaseFailure) return e.message;
    throw e;
  }
  throw new Error(`${name} passed, but it should fail`);
}

describe('the loader fails when it should', () => {
  it('a wrong number fails, naming the file, its line and the path', async () => {
    // wrong-number.yaml expects 13 hours in 2017 where 2 days × 6 h = 12.
    expect(await failure('wrong-number.yaml')).toBe(
      'test/fixtures/eval-cases/wrong-number.yaml:16: expect.subjects.T1.years.2017.hours: expected "13", got 12');
  });
  it('a missing violation, an unexpected one and a wrong rejection fail', async () => {
    expect(await failure('missing-violation.yaml')).toMatch(
      /^test\/fixtures\/eval-cases\/missing-violation\.yaml:\d+: expect\.subjects\.T1\.violations\.0: expected a violation \{"rule":"yearly_credits","year":2016\}, not among /);
    expect(await failure('extra-violation.yaml')).toMatch(
      /^test\/fixtures\/eval-cases\/extra-violation\.yaml:\d+: expect\.subjects\.T1\.violations: \d+ violation\(s\) not expected: /);
    expect(await failure('wrong-rejection.yaml')).toMatch(
      /^test\/fixtures\/eval-cases\/wrong-rejection\.yaml:\d+: expect\.rejected\.0\.rule: expected "without_level", got "rate_out_of_range"$/);
  });
  it('a case that breaks the schema is refused, located: an unknown key, a float, an unknown policy, a row value that is no scalar', async () => {
    expect(await failure('unknown-key.yaml')).toBe("test/fixtures/eval-cases/unknown-key.yaml:1: (top): does not match case.schema.json: unknown key 'expected'");
    expect(await failure('float.yaml')).toMatch(/^test\/fixtures\/eval-cases\/float\.yaml:\d+: expect\.subjects\.T1\.credits: does not match case\.schema\.json: a decimal is written as a string/);
    expect(await failure('no-policy.yaml')).toBe('test/fixtures/eval-cases/no-policy.yaml:2: policy: no shipped policy policies/lincang-nowhere');
    // A row's value must be a scalar: the row's line, the path to the value.
    expect(await failure('bad-row.yaml')).toBe('test/fixtures/eval-cases/bad-row.yaml:6: records.1.hours: does not match case.schema.json: must be string,number,boolean,null (got {"x":1})');
  });
});
