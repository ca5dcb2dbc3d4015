// Loading a policy for a command: its folder's files (the versions, a fork's parents), parsed,
// checked and combined (dsl/policy-set.ts); diagnostics printed; the program compiled.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import {
  formatDiagnostic, MAX_DIAGNOSTICS, type Diagnostic, type PolicyFiles, type PolicySet,
  type LoadedMappings, type SourceFile, type VersionChoice,
} from '../dsl/index.ts';
import { compilePolicy, type Program } from '../engine/index.ts';
import { firstInvalid } from './inputs.ts';
import { loadPolicyCached } from './policy-cache.ts';
import { asFileFailure, fileErrorCode } from './file-errors.ts';
import { InputFailure, type Io } from './io.ts';

/** Largest policy file read: a policy is a page of rules, not a data file. */
const MAX_POLICY_BYTES = 4 << 20;

/** The policy files on disk, read as strict UTF-8 (a policy saved as GBK is refused, not misread). */
export const diskFiles: PolicyFiles = {
  read(path) {
    let bytes: Uint8Array;
    try {
      if (!statSync(path).isFile()) return undefined;
      if (statSync(path).size > MAX_POLICY_BYTES) throw new InputFailure(`策略文件 ${path} 过大 / the policy file ${path} is larger than ${MAX_POLICY_BYTES >> 20} MiB`);
      bytes = readFileSync(path);
    } catch (e) {
      // Not there: the policy set says so, located at the file that names it. Anything else
      // (permission denied, …) is this file's problem, in words.
      const code = fileErrorCode(e);
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw asFileFailure(e, path);
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // Located as a records file's bad byte is: the line it is on and its offset in the file.
      const bad = firstInvalid(bytes, bytes.length);
      let line = 1;
      for (let i = 0; i < bad; i++) if (bytes[i] === 0x0a) line++;
      throw new InputFailure(`策略文件 ${path} 不是 UTF-8 编码的文本（第 ${line} 行，第 ${bad} 字节）/ the policy ${path} is not UTF-8 text (line ${line}, byte offset ${bad})`);
    }
  },
  list(dir) {
    try {
      return readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n));
    } catch {
      return [];
    }
  },
};

/**
 * `--policy` as written: a folder or file, with an optional `@VERSION` naming one version
 * (`policies/lincang@2019.1`); `--as-of DATE` may choose one by date instead.
 */
export function policyArgument(arg: string, asOf: string | undefined): { path: string; choice: VersionChoice } {
  const at = arg.lastIndexOf('@');
  const version = at > 0 && !arg.slice(at + 1).includes('/') ? arg.slice(at + 1) : undefined;
  const path = version === undefined ? arg : arg.slice(0, at);
  if (version !== undefined && version === '') throw new InputFailure(`'${arg}': 版本名为空 / no version after '@'`);
  if (asOf !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new InputFailure(`--as-of 应为日期 YYYY-MM-DD / --as-of takes a date, YYYY-MM-DD (got '${asOf}')`);
    if (version !== undefined) throw new InputFailure(`--as-of 与 @${version} 只能二选一 / give --as-of or @VERSION, not both`);
  }
  return { path, choice: { ...(version === undefined ? {} : { version }), ...(asOf === undefined ? {} : { asOf }) } };
}

function printDiagnostics(diagnostics: readonly Diagnostic[], files: ReadonlyMap<string, SourceFile>, io: Io): void {
  for (const d of diagnostics) io.err(`${formatDiagnostic(d, files)}\n\n`);
}

/** A policy ready to run, with what it was made of. */
export interface LoadedProgram {
  readonly program: Program;
  readonly set: PolicySet;
  /** Every policy file read, by path (for provenance and for rendering its diagnostics again). */
  readonly sources: Readonly<Record<string, string>>;
  readonly path: string;
  readonly choice: VersionChoice;
  /** Its input mappings, when the policy load cache had them (else cli/mappings.ts loads them). */
  readonly mappings?: LoadedMappings | undefined;
}

/**
 * Loads (from the policy load cache when it holds: cli/policy-cache.ts), checks and compiles the
 * policy on disk at `path`; prints diagnostics; undefined if it has errors.
 */
export function loadPolicyAt(path: string, choice: VersionChoice, io: Io): LoadedProgram | undefined {
  try {
    statSync(path);
  } catch (e) {
    throw asFileFailure(e, path);
  }
  const { loaded, mappings } = loadPolicyCached(diskFiles, path, choice);
  printDiagnostics(loaded.result.diagnostics, loaded.sources, io);
  if (!loaded.result.ok) {
    const n = loaded.result.diagnostics.filter((d) => d.severity === 'error').length;
    const capped = loaded.result.diagnostics.length >= MAX_DIAGNOSTICS;
    io.err(capped
      ? `策略至少有 ${n} 处错误（只显示前 ${MAX_DIAGNOSTICS} 条），未进行评估 / the policy has at least ${n} errors (only the first ${MAX_DIAGNOSTICS} diagnostics are shown); nothing was evaluated\n`
      : `策略有 ${n} 处错误，未进行评估 / the policy has ${n} error(s); nothing was evaluated\n`);
    return undefined;
  }
  const sources: Record<string, string> = {};
  for (const [name, f] of loaded.sources) sources[name] = f.text;
  return { program: compilePolicy(loaded.result.value.checked), set: loaded.result.value, sources, path, choice, mappings };
}
