// The input mappings of the policy a command runs (its folder's mappings/*.yaml and its parents',
// dsl/mapping-file.ts), read from disk, their diagnostics printed as the policy's are.

import { formatDiagnostic, loadMappings, type InputMapping } from '../dsl/index.ts';
import { diskFiles, type LoadedProgram } from './load-policy.ts';
import type { Io } from './io.ts';

/** The policy's mappings; undefined (after printing why) when one has an error. */
export function policyMappings(loaded: LoadedProgram, io: Io): readonly InputMapping[] | undefined {
  const r = loaded.mappings ?? loadMappings(diskFiles, loaded.path, loaded.program.policy);
  for (const d of r.diagnostics) io.err(`${formatDiagnostic(d, r.sources)}\n\n`);
  if (!r.ok) {
    const n = r.diagnostics.filter((d) => d.severity === 'error').length;
    io.err(`输入映射有 ${n} 处错误，未进行评估 / the input mappings have ${n} error(s); nothing was evaluated\n`);
    return undefined;
  }
  return r.mappings;
}
