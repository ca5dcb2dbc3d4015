// Loading a policy for a command: read it, parse and check it, print its diagnostics, compile it.

import { formatDiagnostic, loadPolicy, MAX_DIAGNOSTICS, type Diagnostic, type SourceFile } from '../dsl/index.ts';
import { compilePolicy, type Program } from '../engine/index.ts';
import { readPolicyText } from './inputs.ts';
import type { Io } from './io.ts';

function printDiagnostics(diagnostics: readonly Diagnostic[], file: SourceFile, io: Io): void {
  const files = new Map([[file.name, file]]);
  for (const d of diagnostics) io.err(`${formatDiagnostic(d, files)}\n\n`);
}

/** A policy ready to run, and the file and text it came from. */
export interface LoadedProgram {
  readonly program: Program;
  readonly file: string;
  readonly text: string;
}

/** Loads, checks and compiles a policy; prints diagnostics; undefined if it has errors. */
export async function loadProgram(path: string, io: Io): Promise<Program | undefined> {
  return (await loadPolicyFile(path, io))?.program;
}

/** {@link loadProgram}, with the policy's file and text. */
export async function loadPolicyFile(path: string, io: Io): Promise<LoadedProgram | undefined> {
  const { file, text } = await readPolicyText(path);
  const loaded = loadPolicy(file, text);
  printDiagnostics(loaded.diagnostics, { name: file, text }, io);
  if (!loaded.ok) {
    const n = loaded.diagnostics.filter((d) => d.severity === 'error').length;
    const capped = loaded.diagnostics.length >= MAX_DIAGNOSTICS;
    io.err(capped
      ? `策略至少有 ${n} 处错误（只显示前 ${MAX_DIAGNOSTICS} 条），未进行评估 / the policy has at least ${n} errors (only the first ${MAX_DIAGNOSTICS} diagnostics are shown); nothing was evaluated\n`
      : `策略有 ${n} 处错误，未进行评估 / the policy has ${n} error(s); nothing was evaluated\n`);
    return undefined;
  }
  return { program: compilePolicy(loaded.value), file, text };
}
