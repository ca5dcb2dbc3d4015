// The `guize` command line: argument parsing, file reading and output. The only place that
// touches the file system; dsl/ and engine/ stay pure.

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatDiagnostic, loadPolicy, MAX_DIAGNOSTICS, type Diagnostic, type SourceFile } from '../dsl/index.ts';
import { compilePolicy, Evaluation, reportJson, type InputEvent, type Program } from '../engine/index.ts';
import { formatCsv } from './csv-format.ts';
import { InputFailure, readPolicyText, streamRows } from './inputs.ts';
import { formatTable } from './table-format.ts';

const usage = `guize (规则) — a declarative policy engine

Usage:
  guize eval --policy DIR|FILE --records FILE [--teachers FILE] [--format json|csv|table] [--out FILE]
      Evaluate records (CSV or NDJSON; '-' reads standard input) with a policy and print the results.
      --teachers (alias --subjects) gives the subjects file: facts about each subject.
  guize check --policy DIR|FILE
      Check a policy and print its diagnostics, without evaluating anything.
  guize help

Exit codes: 0 done; 2 the policy or an input could not be used (nothing was evaluated).
`;

/** Output of a command: what goes to stdout, to stderr, and the exit code. */
interface Io {
  out(text: string): void;
  err(text: string): void;
}

const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** Runs the CLI; returns the exit code. `io` is replaceable for tests. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'eval':
        return await evalCommand(rest, io);
      case 'check':
        return await checkCommand(rest, io);
      case undefined:
        io.err(usage);
        return 2;
      case 'help':
      case '--help':
      case '-h':
        io.out(usage);
        return 0;
      default:
        io.err(`未知命令 '${command}' / unknown command '${command}'\n\n${usage}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof InputFailure) {
      io.err(`错误 error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${e.message}\n\n${usage}`);
      return 2;
    }
    // A bug, not a bad input: say so plainly (the stack only on request, for the report).
    io.err(`内部错误，请报告此问题 / internal error, please report it: ${(e as Error).message}\n`);
    if (process.env.GUIZE_DEBUG) io.err(`${(e as Error).stack ?? ''}\n`);
    return 1;
  }
}

function printDiagnostics(diagnostics: readonly Diagnostic[], file: SourceFile, io: Io): void {
  const files = new Map([[file.name, file]]);
  for (const d of diagnostics) io.err(`${formatDiagnostic(d, files)}\n\n`);
}

/** Loads, checks and compiles a policy; prints diagnostics; undefined if it has errors. */
async function loadProgram(path: string, io: Io): Promise<Program | undefined> {
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
  return compilePolicy(loaded.value);
}

async function checkCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { policy: { type: 'string' } }, strict: true });
  if (!values.policy) throw new InputFailure('需要 --policy / --policy is required');
  const program = await loadProgram(values.policy, io);
  if (!program) return 2;
  const p = program.policy;
  io.out(`✓ ${p.id} ${p.version}: ${p.rules.statements.length} 条规则 rules, ${p.parameters.length} 个参数 parameters, ${p.tables.length} 张表 tables\n`);
  return 0;
}

/**
 * Streams one input file into the evaluation. A CSV lacking a required column stops the run
 * up front (every row would be rejected for it); header problems and unknown columns are
 * warnings on stderr — the columns of NDJSON are only all known at the end.
 */
async function readInto(program: Program, which: 'records' | 'subjects', path: string, add: (e: InputEvent) => void, io: Io): Promise<void> {
  const fields = which === 'records' ? program.policy.record.fields : program.policy.subject.fields;
  const onEvent = (e: InputEvent) => {
    if (e.kind === 'error' && e.header) io.err(`警告 warning: ${path}:${e.line}: ${e.reason}\n`);
    else add(e);
  };
  const onColumns = (columns: readonly string[], format: 'csv' | 'ndjson') => {
    const missing = fields.filter((f) => f.required && !columns.includes(f.id)).map((f) => f.id);
    if (format === 'csv' && missing.length > 0) {
      throw new InputFailure(`${path} 缺少必需的列 ${missing.join(', ')} / ${path} lacks the required column(s) ${missing.join(', ')}`);
    }
  };
  const { columns } = await streamRows(path, onEvent, onColumns);
  const known = new Set(fields.map((f) => f.id));
  const unknown = columns.filter((c) => !known.has(c));
  if (unknown.length > 0) io.err(`警告 warning: ${path}: 忽略未知列 ignoring unknown column(s): ${unknown.join(', ')}\n`);
}

async function evalCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      policy: { type: 'string' },
      records: { type: 'string' },
      teachers: { type: 'string' },
      subjects: { type: 'string' },
      format: { type: 'string', default: 'json' },
      out: { type: 'string' },
    },
    strict: true,
  });
  if (!values.policy || !values.records) throw new InputFailure('需要 --policy 和 --records / --policy and --records are required');
  const format = values.format ?? 'json';
  if (!['json', 'csv', 'table'].includes(format)) throw new InputFailure(`未知的输出格式 '${format}' / unknown --format '${format}' (json, csv or table)`);
  const subjectsFile = values.subjects ?? values.teachers;
  if (subjectsFile === '-' && values.records === '-') throw new InputFailure('标准输入只能提供一个文件 / only one file can come from standard input (-)');
  const program = await loadProgram(values.policy, io);
  if (!program) return 2;

  const evaluation = new Evaluation(program);
  if (subjectsFile) await readInto(program, 'subjects', subjectsFile, (e) => evaluation.addSubject(e), io);
  await readInto(program, 'records', values.records, (e) => evaluation.addRecord(e), io);
  const result = evaluation.finish();

  const text = format === 'json' ? `${JSON.stringify(reportJson(result), null, 2)}\n` : format === 'csv' ? formatCsv(result) : formatTable(result);
  if (values.out) {
    try {
      await writeFile(values.out, text);
    } catch (e) {
      throw new InputFailure(`无法写入 ${values.out} / cannot write ${values.out}: ${(e as Error).message}`);
    }
  } else io.out(text);
  return 0;
}
