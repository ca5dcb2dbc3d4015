// The `guize` command line: which command, its help, the version, and how failures end. The
// commands themselves are loaded only when run, so `guize --version` and `guize help` start at
// once. The CLI is the only place that touches the file system; dsl/ and engine/ stay pure.

import pkg from '../package.json' with { type: 'json' };
import { suggest } from '../dsl/suggest.ts';
import { InputFailure, OutputClosed, UsageError, type Io } from './io.ts';
import { stdoutBytes } from './output.ts';

export type { Io } from './io.ts';

const usage = `guize (规则) ${pkg.version} — a declarative policy engine

Usage:
  guize eval --policy DIR[@VERSION]|FILE --records FILE [--as-of DATE] [--teachers FILE] [--format json|ndjson|csv|table] [--pretty] [--out FILE] [--threads N] [--rejected FILE] [--fail-on-noncompliant]
      Evaluate records (CSV or NDJSON; '-' reads standard input) with a policy and print the results.
  guize check --policy DIR[@VERSION]|FILE [--as-of DATE] [--provenance] [--format table|json]
      Check a policy and print its diagnostics and versions, without evaluating anything.
  guize test [POLICY…] [--format text|json] [--coverage-min PERCENT] [--update]
      Run the policies' tests (every folder under policies/ with a tests/ folder by default).
  guize snapshot --policy DIR --records FILE [--teachers FILE] [--name NAME]
      Store a policy's full results on a data set, for guize test to compare.
  guize explain --policy DIR[@VERSION]|FILE --records FILE [--teachers FILE] --teacher ID [--format text|json|html] [--lang zh|en] [--cycle NAME]
      Explain one teacher's results step by step: every requirement, every record, the arithmetic.
  guize diff --base POLICY[@VERSION] --head POLICY[@VERSION] --records FILE [--teachers FILE] [--format table|json|html] [--out FILE] [--fail-on-change]
      Evaluate two policies (or versions) over the same records and report who changes and why.
  guize export --to jsonlogic --policy DIR[@VERSION]|FILE [--version V] [--out FILE] [--pretty]
      Write the per-record rules (lets, rejections, exclusions) as JSON Logic, for other systems.
  guize fmt [--check] [--diff] PATH…
      Format the rules in policy files (files, or folders searched for policies) in place; --check for CI.
  guize help [COMMAND]      this text, or a command's options
  guize --version           the version

Exit codes: 0 done; 1 what was asked for failed: (guize test) a test failed, (guize diff --fail-on-change) a subject's status changed, (guize eval --fail-on-noncompliant) a subject is not compliant, (guize fmt --check) a file is not formatted; 2 the policy, an input or the command line could not be used (nothing was evaluated); 3 an internal error (a bug: please report it).
`;

type Command = 'eval' | 'check' | 'test' | 'snapshot' | 'explain' | 'diff' | 'export' | 'fmt';
const COMMANDS: readonly string[] = ['eval', 'check', 'test', 'snapshot', 'explain', 'diff', 'export', 'fmt'];
const isCommand = (c: string | undefined): c is Command => c !== undefined && COMMANDS.includes(c);

const commandHelp: Record<Command, string> = {
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
  --rejected FILE       also write the rejected rows to FILE as CSV: file, line, reason code,
                        reason in Chinese and English, then the row's own columns as written
  --fail-on-noncompliant  exit 1 when any subject is not compliant (for scripts)
  --encoding ENC        read the input files as utf-8, gb18030 or utf-16 (default: recognised)
  --sheet NAME          the sheet of an .xlsx records workbook (default: the first)
  --format xlsx         a workbook for officers (summary, subjects, violations, rejected); needs
                        --out FILE.xlsx; --lang zh (default) or en for its labels
  -h, --help            this text

Exit codes: 0 done (whatever the compliance results, unless --fail-on-noncompliant); 1 with
--fail-on-noncompliant, a subject is not compliant; 2 the policy has errors, an input cannot be
read, or the command line is wrong (nothing was evaluated); 3 an internal error.
`,
  check: `guize check — check a policy without evaluating anything

Usage:
  guize check --policy DIR[@VERSION]|FILE [--as-of DATE] [--provenance] [--format table|json]

Prints every diagnostic (errors and warnings, with file, line and column, in Chinese and English)
and a line per version (its dates, document and change note; → marks the one chosen).

Options:
  --policy DIR|FILE     the policy; DIR@VERSION chooses one version
  --as-of DATE          choose the version in force on DATE
  --provenance          list every parameter, setting, table row, band and rule in force (in the
                        version chosen, else the latest) with its file, line, version and article,
                        and whether the policy wrote it, inherited it or overrode its parent's
  --format FORMAT       table (default; for people) or json: one document on standard output
                        with the diagnostics as data (code, severity, file, line, column, end,
                        message in Chinese and English, help), the versions and the provenance
  -h, --help            this text

Exit codes: 0 no errors; 2 the policy has errors, or the command line is wrong.
`,
  test: `guize test — run policy tests

Usage:
  guize test [POLICY…] [options]

Runs each policy's test files (POLICY/tests/*.yaml: cases with records, optional subjects, and
the expected results, of which only what a case names is compared) and its snapshots
(POLICY/tests/snapshots/*.snap), and reports the rule coverage of the cases: the rules, branches
(if arms, where and when conditions, requirements met and violated), table rows and bands they
exercised. Without POLICY, every folder under policies/ holding policy.yaml and tests/.

Options:
  --format FORMAT         text (default) or json (for tools)
  --coverage-min PERCENT  fail when a policy's coverage is below PERCENT (0 to 100)
  -u, --update            rewrite the snapshots whose results changed (accept the change)
  -h, --help              this text

Exit codes: 0 every test passed; 1 a case failed, a snapshot changed, or coverage is below
--coverage-min; 2 a test file or policy cannot be used, or the command line is wrong.
`,
  snapshot: `guize snapshot — store a policy's results on a data set

Usage:
  guize snapshot --policy DIR[@VERSION] --records FILE [--teachers FILE] [--name NAME] [--as-of DATE]

Writes DIR/tests/snapshots/NAME.snap (NAME defaults to the records file's name): the summary,
each rejected row and each subject's results, one line of JSON each, in id order, after a header
naming the records and subjects files and the version choice. guize test then fails when the
results change, showing which subjects changed and how; guize test --update accepts the change.
Exit codes: 0 written; 2 the policy or a file cannot be used, or the command line is wrong.
`,
  explain: `guize explain — one teacher's results, step by step

Usage:
  guize explain --policy DIR[@VERSION]|FILE --records FILE [--teachers FILE] --teacher ID [options]

Lists every requirement that applies to the teacher, per year and for the cycle (actual, required,
met or not, the article, and for each shortfall what is missing), then every row of theirs in the
records file with what became of it (counted, disregarded, rejected, out of scope, and why) and how
its values were computed, in the policy's own terms, and the rules used with their version and
origin. Computed by the same program as guize eval.

Options:
  --policy DIR|FILE     the policy; DIR@VERSION applies that one version to every record
  --as-of DATE          apply the version in force on DATE (YYYY-MM-DD) to every record
  --records FILE        the records, CSV or NDJSON ('-' reads standard input)
  --teachers FILE       facts about each subject (teacher); alias --subjects
  --teacher ID          the teacher (subject) to explain; alias --subject
  --format FORMAT       text (default), json (for tools and the editor) or html (a standalone page)
  --lang LANG           zh (default) or en, for text and html
  --cycle NAME          a repeating cycle (cycle.every): explain that cycle only (2021-2022);
                        without it, each of the subject's cycles in turn
  --out FILE            write to FILE instead of standard output
  -h, --help            this text

Exit codes: 0 done; 2 the policy or an input cannot be used, the teacher is in no row of the
input files, --cycle names no cycle of theirs, or the command line is wrong.
`,
  diff: `guize diff — compare two policies, or two versions of one, over the same records

Usage:
  guize diff --base POLICY[@VERSION] --head POLICY[@VERSION] --records FILE [options]

Evaluates both sides in one pass over the records (and the teachers file) and reports: how many
subjects became compliant or non-compliant; which requirements (rule, article, year, key) fail
more or less often; how each measure moved (min / quartiles / max, histogram); the record rows
whose own outcome changed (accepted ↔ rejected, counted ↔ disregarded, other values), by rule;
with a teachers file, the same by group (school_id, county_id); and each changed subject.

Options:
  --base POLICY         the policy compared against: a folder (DIR@VERSION pins one version) or a file
  --head POLICY         the policy compared (a later version, or a fork)
  --records FILE        the records, CSV or NDJSON ('-' reads standard input)
  --teachers FILE       facts about each subject (teacher); alias --subjects
  --group-by FIELDS     subject fields to count by group, comma separated (default: every text
                        field of the subject but its key; school_id,county_id for Lincang)
  --format FORMAT       table (default; for people, Chinese and English), json (the whole
                        document, for tools) or html
  --pretty              indent the JSON (the default when writing to a terminal)
  --limit N             changed subjects listed in the table (default 20)
  --explain N           with --format html: explain the first N changed subjects (those whose
                        status changed first; default 20), each costing one more pass over the records
  --lang LANG           zh (default) or en: the language of those explanations
  --out FILE            write to FILE instead of standard output
  --fail-on-change      exit 1 when any subject's status changes (for a county's CI)
  -h, --help            this text

Exit codes: 0 done (no status changed, or no --fail-on-change); 1 with --fail-on-change, a
subject became compliant or non-compliant; 2 a policy has errors, an input cannot be read, or the
command line is wrong.
`,
  export: `guize export — the per-record rules as JSON Logic

Usage:
  guize export --to jsonlogic --policy DIR[@VERSION]|FILE [--version V] [--out FILE] [--pretty]

Writes one version of the policy (the latest unless --version or @VERSION chooses one) as JSON
Logic over a record's fields and its subject's: each record-level let, the field checks, each
outcome rule (reject, exclude, disregard) and each total's per-record contribution, with the
parameters and tables folded in; "outcome" gives what becomes of a record. What differs from
the engine (floats, not exact decimals) is in the README.

Options:
  --to FORMAT           jsonlogic
  --policy DIR|FILE     the policy; DIR@VERSION chooses the version
  --version V           the version to export (instead of @VERSION)
  --out FILE            write to FILE instead of standard output
  --pretty              indent the JSON (the default when writing to a terminal)
  -h, --help            this text

Exit codes: 0 written; 2 the policy has errors, a rule has no JSON Logic form (each is a located
error naming it), or the command line is wrong.
`,
  fmt: `guize fmt — format the rules in policy files

Usage:
  guize fmt [--check] [--diff] PATH…

Rewrites only the rule-language text in each file (rules:, add: rules:, a fork's subjects: where:),
in one canonical layout: parentheses only where the grammar needs them, lines of at most 100
columns, each statement starting a line, at most one blank line between statements, every
comment kept where it was. Every other
byte of the YAML (comments, key order, quoting) stays. PATH is a policy file, or a folder: every
policy.yaml below it and the versions/*.yaml beside each. A file that does not parse is left as it
is and its errors printed.

Options:
  --check               write nothing; list the files that would change, exit 1 if any (for CI)
  --diff                write nothing; print the changes as a unified diff
  -h, --help            this text

Exit codes: 0 done (every file formatted, or already so); 1 with --check, a file would change;
2 a file does not parse or cannot be read or written, or the command line is wrong.
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
      case 'test':
      case 'snapshot':
      case 'explain':
      case 'diff':
      case 'export':
      case 'fmt':
        if (rest.includes('--help') || rest.includes('-h')) {
          io.out(commandHelp[command]);
          return 0;
        }
        switch (command) {
          case 'eval': return await (await import('./eval-command.ts')).evalCommand(rest, io);
          case 'check': return await (await import('./check-command.ts')).checkCommand(rest, io);
          case 'test': return await (await import('./test-command.ts')).testCommand(rest, io);
          case 'snapshot': return await (await import('./snapshot-command.ts')).snapshotCommand(rest, io);
          case 'explain': return await (await import('./explain-command.ts')).explainCommand(rest, io);
          case 'diff': return await (await import('./diff-command.ts')).diffCommand(rest, io);
          case 'export': return await (await import('./export-command.ts')).exportCommand(rest, io);
          case 'fmt': return await (await import('./fmt-command.ts')).fmtCommand(rest, io);
        }
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
        if (isCommand(topic)) io.out(commandHelp[topic]);
        else io.out(usage);
        return 0;
      }
      default: {
        // A typo of a command gets the command meant; anything else, the usage.
        const meant = suggest(command, COMMANDS);
        const hint = meant === undefined ? { zh: '', en: '' } : { zh: `，是否想用 '${meant}'？`, en: `; did you mean '${meant}'?` };
        io.err(`未知命令 '${command}'${hint.zh} / unknown command '${command}'${hint.en}\n\n${usage}`);
        return 2;
      }
    }
  } catch (e) {
    if (e instanceof OutputClosed) return 0;
    if (e instanceof UsageError) {
      io.err(`错误 error: ${e.message}\n\n${isCommand(command) ? commandHelp[command] : usage}`);
      return 2;
    }
    if (e instanceof InputFailure) {
      io.err(`错误 error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const help = isCommand(command) ? commandHelp[command] : usage;
      io.err(`${e.message}\n\n${help}`);
      return 2;
    }
    // A bug, not a bad input: say so plainly (the stack only on request, for the report).
    io.err(`内部错误，请报告此问题 / internal error, please report it: ${(e as Error).message}\n`);
    if (process.env.GUIZE_DEBUG) io.err(`${(e as Error).stack ?? ''}\n`);
    return 3;
  }
}
