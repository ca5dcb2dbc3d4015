// `guize snapshot --policy P --records FILE [--teachers FILE] [--name NAME]`: store a policy's
// full results on a data set under P/tests/snapshots/NAME.snap, for `guize test` to compare.

import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parseCommandArgs } from './args.ts';
import { asFileFailure } from './file-errors.ts';
import { InputFailure, type Io } from './io.ts';
import { policyArgument } from './load-policy.ts';
import { INPUT_ALIASES, INPUT_OPTIONS } from './inputs.ts';
import { relativeTo, SNAPSHOT_DIR, SNAPSHOT_EXT, snapshotText } from './policy-tests/snapshot.ts';

export async function snapshotCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      ...INPUT_OPTIONS,
      name: { type: 'string' },
    },
    aliases: INPUT_ALIASES,
  });
  if (!values.policy || !values.records) throw new InputFailure('需要 --policy 和 --records / --policy and --records are required');
  if (values.records === '-') throw new InputFailure('快照需要记录文件，不能用标准输入 / a snapshot is taken on a records file, not standard input');
  const { path, choice } = policyArgument(values.policy, values['as-of']);
  const dir = path.replace(/\/+$/, '');
  const name = values.name ?? basename(values.records, extname(values.records));
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) throw new InputFailure(`快照名 '${name}' 不合规 / the snapshot name '${name}' should be letters, digits, '.', '_' or '-'`);
  const folder = `${dir}/tests/${SNAPSHOT_DIR}`;
  const file = `${folder}/${name}${SNAPSHOT_EXT}`;
  const subjects = values.subjects ?? values.teachers;
  const made = snapshotText(dir, file, { records: relativeTo(file, values.records), subjects: subjects === undefined ? undefined : relativeTo(file, subjects), choice });
  if ('problem' in made) {
    io.err(`错误 error: ${made.problem}\n`);
    return 2;
  }
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, made.text);
  } catch (e) {
    throw asFileFailure(e, file, 'write');
  }
  io.out(`已写入快照 wrote snapshot ${file}\n`);
  return 0;
}
