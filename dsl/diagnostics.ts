// Diagnostics are values: every stage collects them and returns them; none is thrown across a
// stage boundary. Codes are stable kebab-case strings that tests and the editor key on; every one
// is listed, with its meaning, in codes.ts (DIAGNOSTIC_CODES), and the bag takes no other.

import type { DiagnosticCode } from './codes.ts';
import { LineIndex, type SourceFile, type Span } from './source.ts';
import { displayWidth } from './text-width.ts';

/** How bad a diagnostic is: errors stop evaluation, warnings do not. */
export type Severity = 'error' | 'warning';

/** One problem found in a policy or its input, in both of the languages its readers use. */
export interface Diagnostic {
  /** Stable kebab-case code, e.g. `unknown-name`, `unit-mismatch`. */
  readonly code: string;
  readonly severity: Severity;
  /** What is wrong, in English. */
  readonly message: string;
  /** What is wrong, in Chinese (the officers' language). */
  readonly zh: string;
  /** What to do about it, when there is something useful to say. */
  readonly help?: string;
  /** Where: the offending text, in the file the user edits (the YAML file for embedded rules). */
  readonly span: Span;
}

/** The result of a stage: a value with (non-fatal) diagnostics, or the diagnostics that stopped it. */
export type StageResult<T> =
  | { readonly ok: true; readonly value: T; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Most diagnostics one run reports: a cascade of errors helps no one. */
export const MAX_DIAGNOSTICS = 50;

/** Collects diagnostics for one stage, capped at {@link MAX_DIAGNOSTICS}. */
/** Longest message (or help) kept whole: longer ones quote a value or list no one reads to the end. */
const MAX_MESSAGE = 2000;

function cut(text: string): string {
  if (text.length <= MAX_MESSAGE) return text;
  let head = MAX_MESSAGE - 200;
  const c = text.charCodeAt(head - 1);
  if (c >= 0xd800 && c <= 0xdbff) head--;
  return `${text.slice(0, head)}… (${text.length - head} more chars)`;
}

export class DiagnosticBag {
  readonly items: Diagnostic[] = [];

  add(d: Diagnostic): void {
    if (this.items.length >= MAX_DIAGNOSTICS) return;
    // Whatever a message quotes from the file, it stays readable: an over-long one is cut.
    const long = d.message.length > MAX_MESSAGE || d.zh.length > MAX_MESSAGE || (d.help?.length ?? 0) > MAX_MESSAGE;
    this.items.push(long ? { ...d, message: cut(d.message), zh: cut(d.zh), ...(d.help === undefined ? {} : { help: cut(d.help) }) } : d);
  }

  error(code: DiagnosticCode, span: Span, message: string, zh: string, help?: string): void {
    this.add({ code, severity: 'error', message, zh, span, ...(help === undefined ? {} : { help }) });
  }

  warning(code: DiagnosticCode, span: Span, message: string, zh: string, help?: string): void {
    this.add({ code, severity: 'warning', message, zh, span, ...(help === undefined ? {} : { help }) });
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }

  /** Ends a stage that could not produce a value (at least one error was collected). */
  fail(): { readonly ok: false; readonly diagnostics: readonly Diagnostic[] } {
    return { ok: false, diagnostics: this.items };
  }

  /** Ends a stage: ok with `value` if no error was collected. */
  result<T>(value: T): StageResult<T> {
    return this.hasErrors ? { ok: false, diagnostics: this.items } : { ok: true, value, diagnostics: this.items };
  }
}

/**
 * Renders a diagnostic the way compilers do: header, `file:line:column`, the source line and a
 * caret underline under exactly the offending text, then the help line.
 */
export function formatDiagnostic(d: Diagnostic, files: ReadonlyMap<string, SourceFile>): string {
  const head = `${d.severity}[${d.code}]: ${d.zh}\n${' '.repeat(d.severity.length + d.code.length + 4)}${d.message}`;
  const file = files.get(d.span.file);
  if (!file) return `${head}\n  --> ${d.span.file}${d.help ? `\n  = help: ${d.help}` : ''}`;
  const index = new LineIndex(file.text);
  const from = index.position(d.span.start);
  const to = index.position(Math.max(d.span.start, d.span.end - 1));
  const source = index.lineText(from.line);
  const width = String(from.line).length;
  const pad = ' '.repeat(width);
  const underlineEnd = to.line === from.line ? to.column : source.length;
  // Columns are counted in display cells, so the carets sit under Chinese text correctly.
  const before = displayWidth(source.slice(0, from.column - 1));
  const carets = '^'.repeat(Math.max(1, displayWidth(source.slice(from.column - 1, underlineEnd))));
  const lines = [
    head,
    `${pad}--> ${d.span.file}:${from.line}:${from.column}`,
    `${pad} |`,
    `${from.line} | ${source}`,
    `${pad} | ${' '.repeat(before)}${carets}`,
  ];
  if (d.help) lines.push(`${pad} = help: ${d.help}`);
  return lines.join('\n');
}

/** `file:line:column` of a diagnostic, for one-line listings. */
export function diagnosticLocation(d: Diagnostic, files: ReadonlyMap<string, SourceFile>): string {
  const file = files.get(d.span.file);
  if (!file) return d.span.file;
  const p = new LineIndex(file.text).position(d.span.start);
  return `${d.span.file}:${p.line}:${p.column}`;
}
