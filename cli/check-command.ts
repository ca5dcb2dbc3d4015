// `guize check`: load and check a policy, print its diagnostics and a summary line.

import { parseArgs } from 'node:util';
import { InputFailure, type Io } from './io.ts';
import { loadProgram } from './load-policy.ts';

export async function checkCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { policy: { type: 'string' } }, strict: true });
  if (!values.policy) throw new InputFailure('需要 --policy / --policy is required');
  const program = await loadProgram(values.policy, io);
  if (!program) return 2;
  const p = program.policy;
  io.out(`✓ ${p.id} ${p.version}: ${p.rules.statements.length} 条规则 rules, ${p.parameters.length} 个参数 parameters, ${p.tables.length} 张表 tables\n`);
  return 0;
}
