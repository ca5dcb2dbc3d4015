// What a command writes to, and how it fails on bad input: kept in a module of its own with no
// engine import, so that `guize --version` loads nothing else.

/** Where a command's output goes: stdout, stderr. Replaceable for tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Raw bytes for standard output; when absent, bytes are decoded and passed to `out`. */
  bytes?(chunk: Uint8Array): void;
  /** Whether standard output is a terminal (then JSON is indented by default). */
  stdoutIsTTY?: boolean;
  /** Whether standard error is a terminal (then long reads show a progress line there). */
  stderrIsTTY?: boolean;
}

/** An input problem that stops the run (exit code 2), with a reason for the user. */
export class InputFailure extends Error {}

/** A mistake on the command line (exit 2): the message, then the command's help. */
export class UsageError extends InputFailure {}

/** The reader of our output went away (`guize eval … | head`): that is its choice, not an error. */
export class OutputClosed extends Error {}
