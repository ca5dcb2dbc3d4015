// `guize test [POLICY…]`: run the policies' tests (cli/policy-tests/): the cases of their test
// files, their snapshots, and their rule coverage; exit 0 when all pass, 1 when any fails or
// coverage is below --coverage-min, 2 when a test file or policy cannot be used or the command
// line is wrong.

import { existsSync } from 'node:fs';
import { parseCommandArgs } from './args.ts';
import { errnoWords } from './file-errors.ts';
import { InputFailure, type Io } from './io.ts';
import { discoverPolicies, hasTests, runPolicy } from './policy-tests/run-policy.ts';
import { policyText, testJson, totals, totalsText } from './policy-tests/test-report.ts';

/** Where `guize test` looks for policies when none is named. */
export const POLICIES_ROOT = 'policies';

export async function testCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    options: {
      format: { type: 'string', default: 'text' },
      'coverage-min': { type: 'string' },
      update: { type: 'boolean', short: 'u', default: false },
    },
    allowPositionals: true,
  });
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new InputFailure(`未知的输出格式 '${format}' / unknown --format '${format}' (text, json)`);
  let min: number | undefined;
  if (values['coverage-min'] !== undefined) {
    min = Number(values['coverage-min']);
    if (!/^\d+(\.\d+)?$/.test(values['coverage-min']) || !(min >= 0 && min <= 100)) {
      throw new InputFailure(`--coverage-min 应为 0 到 100 的数 / --coverage-min takes a percentage from 0 to 100 (got '${values['coverage-min']}')`);
    }
  }
  const dirs = positionals.length > 0 ? positionals.map((p) => p.replace(/\/+$/, '')) : discoverPolicies(POLICIES_ROOT);
  for (const d of positionals) {
    if (!existsSync(d)) throw new InputFailure(errnoWords('ENOENT', d));
    if (!hasTests(d.replace(/\/+$/, ''))) throw new InputFailure(`${d} 不是带 tests/ 的策略文件夹 / ${d} is not a policy folder with a tests/ folder`);
  }
  if (dirs.length === 0) throw new InputFailure(`${POLICIES_ROOT}/ 下没有带 tests/ 的策略 / no policy folder with tests/ under ${POLICIES_ROOT}/`);
  const runs = dirs.map((d) => runPolicy(d, values.update === true));
  const t = totals(runs, min);
  if (format === 'json') io.out(`${JSON.stringify(testJson(runs, t, min), null, 2)}\n`);
  else {
    for (const r of runs) io.out(`${policyText(r)}\n`);
    io.out(totalsText(t, min));
  }
  if (t.errors > 0) return 2;
  return t.failed > 0 || t.belowMinimum.length > 0 ? 1 : 0;
}
