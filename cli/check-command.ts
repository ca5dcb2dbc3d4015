// `guize check`: load and check a policy, print its diagnostics and a summary line.

import { parseArgs } from 'node:util';
import { InputFailure, type Io } from './io.ts';
import { loadPolicyAt, policyArgument } from './load-policy.ts';

export async function checkCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { policy: { type: 'string' }, 'as-of': { type: 'string' } }, strict: true });
  if (!values.policy) throw new InputFailure('需要 --policy / --policy is required');
  const { path, choice } = policyArgument(values.policy, values['as-of']);
  const loaded = loadPolicyAt(path, choice, io);
  if (!loaded) return 2;
  const { versions, chosen } = loaded.set;
  const last = versions[versions.length - 1]!.ast;
  for (const v of versions) {
    const p = v.ast;
    const mark = chosen === undefined ? '✓' : p.version === chosen ? '→' : ' ';
    const until = p.until === undefined ? '' : ` 至 until ${p.until}`;
    const tags = p.hypothetical ? '（假设 hypothetical）' : '';
    io.out(`${mark} ${p.id} ${p.version}${tags}: 自 from ${p.effective}${until} · ${p.document} · ${p.rules.statements.length} 条规则 rules, ${p.parameters.length} 个参数 parameters, ${p.tables.length} 张表 tables\n`);
    if (p.change) io.out(`    ${p.change.replace(/\s+/g, ' ')}\n`);
  }
  if (chosen !== undefined) io.out(`只用此版本 / this version only: ${chosen} (${last.id})\n`);
  return 0;
}
