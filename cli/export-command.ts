// `guize export --to jsonlogic`: the per-record part of one version of a policy as JSON Logic
// (engine/export/jsonlogic.ts), for systems that cannot run guize.

import { formatDiagnostic } from '../dsl/index.ts';
import { compilePolicy } from '../engine/index.ts';
import { exportJsonLogic } from '../engine/export/jsonlogic.ts';
import { parseCommandArgs } from './args.ts';
import { UsageError, type Io } from './io.ts';
import { loadPolicyAt, policyArgument } from './load-policy.ts';
import { openOutput } from './output.ts';

const TARGETS = ['jsonlogic'] as const;

export async function exportCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      to: { type: 'string' },
      policy: { type: 'string' },
      version: { type: 'string' },
      out: { type: 'string' },
      pretty: { type: 'boolean', default: false },
    },
  });
  if (!values.policy || !values.to) throw new UsageError('需要 --to 和 --policy / --to and --policy are required');
  if (!(TARGETS as readonly string[]).includes(values.to)) throw new UsageError(`未知的导出格式 '${values.to}' / unknown --to '${values.to}' (${TARGETS.join(', ')})`);
  const arg = policyArgument(values.policy, undefined);
  if (values.version !== undefined && arg.choice.version !== undefined) throw new UsageError(`--version 与 @${arg.choice.version} 只能二选一 / give --version or @VERSION, not both`);
  let loaded = loadPolicyAt(arg.path, values.version === undefined ? arg.choice : { version: values.version }, io);
  if (!loaded) return 2;
  // JSON Logic has no "version in force on the record's date": one version is exported, by
  // default the latest.
  const versions = loaded.set.versions;
  if (loaded.set.chosen === undefined && versions.length > 1) {
    loaded = loadPolicyAt(arg.path, { version: versions[versions.length - 1]!.ast.version }, { out() {}, err() {} });
    if (!loaded) return 2;
  }
  const checked = loaded.set.checked;
  const result = exportJsonLogic(checked, compilePolicy(checked).aggregateNodes);
  const files = new Map(Object.entries(loaded.sources).map(([name, text]) => [name, { name, text }]));
  for (const d of result.diagnostics) io.err(`${formatDiagnostic(d, files)}\n\n`);
  if (!result.ok) {
    io.err(`无法导出 ${result.diagnostics.length} 处 / ${result.diagnostics.length} construct(s) cannot be exported; nothing was written\n`);
    return 2;
  }
  const out = openOutput(values.out, io);
  try {
    out.text(`${JSON.stringify(result.value, null, values.pretty || (values.out === undefined && io.stdoutIsTTY === true) ? 2 : undefined)}\n`);
  } finally {
    out.close();
  }
  return 0;
}
