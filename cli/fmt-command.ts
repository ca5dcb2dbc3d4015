// `guize fmt [--check] [--diff] PATH…`: formats the rule texts of policy files in place
// (dsl/format-policy.ts), for officers and for CI. Each PATH is a policy file, or a folder searched
// for policies (policy.yaml and the versions/*.yaml beside it, in every folder below). Without a
// flag, the files whose formatting differs are rewritten and named; `--check` writes nothing and
// names the files that would change (exit 1 if any); `--diff` writes nothing and prints what would
// change as a unified diff. A file that does not parse is left as it is, its diagnostics printed
// (exit 2).

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../dsl/index.ts';
import { formatPolicyText } from '../dsl/format-policy.ts';
import { parseCommandArgs } from './args.ts';
import { asFileFailure, fileProblem } from './file-errors.ts';
import { InputFailure, type Io } from './io.ts';
import { unifiedDiff } from './line-diff.ts';
import { diskFiles } from './load-policy.ts';

/** Folders a policy folder holds that are not policies: never searched. */
const NOT_POLICIES = new Set(['tests', 'mappings', 'sample', 'source', 'node_modules', 'versions']);

/** Runs `guize fmt` with its arguments; returns the exit code (0, 1 with --check and a change, 2). */
export async function fmtCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    options: { check: { type: 'boolean' }, diff: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (positionals.length === 0) throw new InputFailure('需要至少一个策略文件或文件夹 / give at least one policy file or folder (guize fmt PATH…)');
  const files = policyFiles(positionals);
  const write = !values.check && !values.diff;
  let changed = 0;
  let failed = 0;
  for (const file of files) {
    let text: string;
    try {
      const read = diskFiles.read(file);
      if (read === undefined) throw new InputFailure(`找不到文件 / no such file: ${file}`);
      text = read;
    } catch (e) {
      if (!(e instanceof InputFailure)) throw e;
      io.err(`错误 error: ${e.message}\n`);
      failed++;
      continue;
    }
    const result = formatPolicyText(file, text);
    if (!result.ok) {
      printDiagnostics(result.diagnostics, file, text, io);
      io.err(`未格式化 not formatted (它无法解析 it does not parse; left as it is): ${file}\n`);
      failed++;
      continue;
    }
    if (result.value === text) continue;
    changed++;
    if (values.diff) io.out(unifiedDiff(file, text, result.value));
    if (values.check) io.out(`需要格式化 would reformat: ${file}\n`);
    if (write) {
      try {
        // The strict UTF-8 reader drops a byte-order mark: put it back, so only the rules change.
        writeFileSync(file, hasBom(file) ? `\uFEFF${result.value}` : result.value);
      } catch (e) {
        const problem = fileProblem(e, file, 'write');
        if (problem === undefined) throw e;
        io.err(`错误 error: ${problem}\n`);
        failed++;
        continue;
      }
      io.out(`已格式化 formatted: ${file}\n`);
    }
  }
  const verb = write ? '已格式化 formatted' : '需要格式化 would reformat';
  io.err(`${files.length} 个文件 files: ${changed} ${verb}, ${files.length - changed - failed} 已是规范格式 already formatted${failed > 0 ? `, ${failed} 出错 with errors` : ''}\n`);
  if (failed > 0) return 2;
  return values.check && changed > 0 ? 1 : 0;
}

function hasBom(file: string): boolean {
  const bytes = readFileSync(file);
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

function printDiagnostics(diagnostics: readonly Diagnostic[], file: string, text: string, io: Io): void {
  const files = new Map([[file, { name: file, text }]]);
  for (const d of diagnostics) io.err(`${formatDiagnostic(d, files)}\n\n`);
}

/**
 * The files to format, in order, each once: a file as named; a folder searched for policy
 * folders (holding policy.yaml), each giving its policy.yaml and its versions/*.yaml.
 */
function policyFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (f: string): void => {
    if (!seen.has(f)) {
      seen.add(f);
      out.push(f);
    }
  };
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      throw asFileFailure(e, p);
    }
    if (!isDir) {
      add(p);
      continue;
    }
    const found = policiesUnder(p.replace(/\/+$/, '') || '/');
    if (found.length === 0) throw new InputFailure(`${p} 下没有策略文件（policy.yaml）/ no policy file (policy.yaml) under ${p}`);
    found.forEach(add);
  }
  return out;
}

function policiesUnder(dir: string): string[] {
  let entries: { name: string; isDirectory(): boolean; isFile(): boolean }[];
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (e) {
    throw asFileFailure(e, dir);
  }
  const out: string[] = [];
  if (entries.some((e) => e.isFile() && e.name === 'policy.yaml')) {
    out.push(join(dir, 'policy.yaml'));
    if (entries.some((e) => e.isDirectory() && e.name === 'versions')) {
      const versions = join(dir, 'versions');
      out.push(...readdirSync(versions).filter((n) => /\.ya?ml$/i.test(n)).sort().map((n) => join(versions, n)));
    }
  }
  for (const e of entries) {
    if (e.isDirectory() && !e.name.startsWith('.') && !NOT_POLICIES.has(e.name)) out.push(...policiesUnder(join(dir, e.name)));
  }
  return out;
}
