// The `guize` command line: which command, its help, the version, and how failures end. The
// commands themselves are loaded only when run, so `guize --version` and `guize help` start at
// once. The CLI is the only place that touches the file system; dsl/ and engine/ stay pure.

import pkg from '../package.json' with { type: 'json' };
import { InputFailure, OutputClosed, type Io } from './io.ts';
import { stdoutBytes } from './output.ts';

export type { Io } from './io.ts';

const usage = `guize (规则) ${pkg.version} — a declarative policy engine

Usage:
  guize eval --policy DIR[@VERSION]|FILE --records FILE [--as-of DATE] [--teachers FILE] [--format json|ndjson|csv|table] [--pretty] [--out FILE] [--threads N]
      Evaluate records (CSV or NDJSON; '-' reads standard input) with a policy and print the results.
  guize check --policy DIR[@VERSION]|FILE [--as-of DATE] [--provenance [--format table|json]]
      Check a policy and print its diagnostics and versions, without evaluating anything.
  guize help [COMMAND]      this text, or a command's options
  guize --version           the version

Exit codes: 0 done; 2 the policy or an input could not be used (nothing was evaluated).
`;

const commandHelp: Record<'eval' | 'check', string> = {
  eval: `guize eval — evaluate records with a policy

Usage:
  guize eval --policy DIR|FILE --records FILE [options]

Options:
  --policy DIR|FILE     the policy: a folder holding policy.yaml (and versions/), or a YAML file;
                        DIR@VERSION applies that one version to every record
  --as-of DATE          apply the version in force on DATE (YYYY-MM-DD) to every record
  --records FILE        the records, CSV or NDJSON ('-' reads standard input)
  --teachers FILE       facts about each subject (teacher); alias --subjects
  --format FORMAT       json (default), ndjson (one subject per line), csv (one row per subject)
                        or table (a summary for people, Chinese and English)
  --pretty              indent the JSON (the default when writing to a terminal)
  --out FILE            write the results to FILE instead of standard output
  --threads N           read a large CSV records file on N threads (1 to 64; by default one
                        fewer than the cores, up to 4); the results are the same on any number
  -h, --help            this text

Exit codes: 0 done (whatever the compliance results); 2 the policy has errors, an input cannot be
read, or the command line is wrong (nothing was evaluated).
`,
  check: `guize check — check a policy without evaluating anything

Usage:
  guize check --policy DIR[@VERSION]|FILE [--as-of DATE] [--provenance [--format table|json]]

Prints every diagnostic (errors and warnings, with file, line and column, in Chinese and English)
and a line per version (its dates, document and change note; → marks the one chosen).

Options:
  --policy DIR|FILE     the policy; DIR@VERSION chooses one version
  --as-of DATE          choose the version in force on DATE
  --provenance          list every parameter, setting, table row, band and rule in force (in the
                        version chosen, else the latest) with its file, line, version and article,
                        and whether the policy wrote it, inherited it or overrode its parent's
  --format FORMAT       table (default) or json, for --provenance
  -h, --help            this text

Exit codes: 0 no errors; 2 the policy has errors, or the command line is wrong.
`,
};

const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  bytes: stdoutBytes,
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
};

/** Runs the CLI; returns the exit code. `io` is replaceable for tests. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'eval':
      case 'check':
        if (rest.includes('--help') || rest.includes('-h')) {
          io.out(commandHelp[command]);
          return 0;
        }
        if (command === 'eval') return await (await import('./eval-command.ts')).evalCommand(rest, io);
        return await (await import('./check-command.ts')).checkCommand(rest, io);
      case '--version':
      case '-V':
      case 'version':
        io.out(`guize ${pkg.version}\n`);
        return 0;
      case undefined:
        io.err(usage);
        return 2;
      case 'help':
      case '--help':
      case '-h': {
        const topic = rest[0];
        if (topic === 'eval' || topic === 'check') io.out(commandHelp[topic]);
        else io.out(usage);
        return 0;
      }
      default:
        io.err(`未知命令 '${command}' / unknown command '${command}'\n\n${usage}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof OutputClosed) return 0;
    if (e instanceof InputFailure) {
      io.err(`错误 error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const help = command === 'eval' || command === 'check' ? commandHelp[command] : usage;
      io.err(`${e.message}\n\n${help}`);
      return 2;
    }
    // A bug, not a bad input: say so plainly (the stack only on request, for the report).
    io.err(`内部错误，请报告此问题 / internal error, please report it: ${(e as Error).message}\n`);
    if (process.env.GUIZE_DEBUG) io.err(`${(e as Error).stack ?? ''}\n`);
    return 1;
  }
}
