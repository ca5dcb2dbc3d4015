// Formatting a policy file (policy.yaml, a version or fork file): only the rule-language text
// inside the YAML is rewritten, in place; every other byte of the file (its comments, key order,
// quoting, blank lines, line ends) stays as it was. Pure: no Node APIs (the CLI reads and writes).
//
// The rule texts are those the schema says are in the rule language: `rules` (a policy's rules,
// a change's replacements), `add.rules` (a change's new statements) and `subjects.where` (a
// fork's condition on its subjects). A rules block is a literal block scalar (`rules: |`): its
// content lines, from the line after the `|` header to the last line that is not blank, are
// replaced by the formatted rules indented as the block was; the header (with its chomping and
// indentation indicators and any comment after it) and the blank lines after the block are kept.

import { isScalar, type Scalar } from 'yaml';
import type { RulesOrigin } from './cst-to-ast.ts';
import { rulesToAst } from './cst-to-ast.ts';
import { DiagnosticBag, type StageResult } from './diagnostics.ts';
import { FORMAT_WIDTH, formatRules, printExpression } from './format-rules.ts';
import { nodeAt, parseYaml, spanAt, stringValueMap, type YamlSource } from './yaml-source.ts';

/** The places of a policy file that hold the rule language, and what each holds. */
const RULE_TEXTS: readonly { readonly path: readonly string[]; readonly holds: 'rules' | 'expression' }[] = [
  { path: ['rules'], holds: 'rules' },
  { path: ['add', 'rules'], holds: 'rules' },
  { path: ['subjects', 'where'], holds: 'expression' },
];

/** One replacement in the file's text. */
interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly path: readonly string[];
  /** The value the YAML must read at `path` once the edit is made (compared without trailing white space). */
  readonly value: string;
}

/**
 * The file with its rule texts formatted (the same text when they already are), or, when the
 * YAML or any rule text in it does not parse, the located diagnostics, as `guize check` would
 * give them (the file must then be left as it is). `width` is the width of the file's lines.
 */
export function formatPolicyText(file: string, text: string, width = FORMAT_WIDTH): StageResult<string> {
  const bag = new DiagnosticBag();
  const src = parseYaml(file, text, bag);
  if (!src) return bag.fail();
  const edits: Edit[] = [];
  for (const place of RULE_TEXTS) {
    const node = nodeAt(src, place.path);
    if (!node || !isScalar(node) || typeof node.value !== 'string' || !node.range) continue;
    const edit = place.holds === 'rules' ? rulesEdit(src, place.path, node, width, bag) : expressionEdit(src, place.path, node, width, bag);
    if (edit && text.slice(edit.start, edit.end) !== edit.text) edits.push(edit);
  }
  if (bag.hasErrors) return bag.fail();
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  if (edits.length > 0) verify(file, out, edits);
  return bag.result(out);
}

/** Where a literal block's content lines are, and how deep they are indented. */
interface BlockContent {
  readonly start: number;
  /** End of the last line that is not blank (before its line break). */
  readonly end: number;
  readonly indent: number;
  readonly eol: string;
}

function blockContent(text: string, node: Scalar): BlockContent | undefined {
  const [start, valueEnd] = node.range!;
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= valueEnd) return undefined;
  const eol = text[headerEnd - 1] === '\r' ? '\r\n' : '\n';
  const contentStart = headerEnd + 1;
  let end = valueEnd;
  // Back over the block's own last line break(s) and any blank lines it keeps (`|+`).
  while (end > contentStart && /[\s]/.test(text[end - 1]!)) end--;
  const indicator = /^[|][-+]?([1-9])?/.exec(text.slice(start, headerEnd))?.[1];
  const keyLineStart = text.lastIndexOf('\n', start - 1) + 1;
  const indentAt = (p: number): number => {
    let i = 0;
    while (text[p + i] === ' ') i++;
    return i;
  };
  // An explicit indentation indicator (`|2`) counts from the key's line; else the first line
  // that is not blank sets the indentation.
  const firstContent = /[^ \r\n]/.exec(text.slice(contentStart, end));
  const lineStart = firstContent ? text.lastIndexOf('\n', contentStart + firstContent.index) + 1 : contentStart;
  const indent = indicator ? indentAt(keyLineStart) + Number(indicator) : indentAt(lineStart);
  return { start: contentStart, end: Math.max(contentStart, end), indent, eol };
}

/** `text`'s lines indented by `indent` spaces (blank lines left empty), joined with `eol`; no final line break. */
function reindent(text: string, indent: number, eol: string): string {
  const pad = ' '.repeat(indent);
  return text.replace(/\n$/, '').split('\n').map((l) => (l === '' ? '' : pad + l)).join(eol);
}

function literalOnly(src: YamlSource, path: readonly string[], bag: DiagnosticBag): void {
  bag.error('rules-not-literal', spanAt(src, path), 'rules must be a literal block (rules: |), so that errors can point at their line',
    '规则必须写成字面块（rules: |），以便准确指出错误所在的行', "write 'rules: |' and indent the rules below it");
}

function rulesEdit(src: YamlSource, path: readonly string[], node: Scalar, width: number, bag: DiagnosticBag): Edit | undefined {
  const map = stringValueMap(src, path);
  if (map === 'folded' || map === undefined) {
    literalOnly(src, path, bag);
    return undefined;
  }
  const value = String(node.value);
  const origin: RulesOrigin = { file: src.file, map };
  if (node.type !== 'BLOCK_LITERAL') {
    // A one-line rules text (`rules: ""`, `rules: let x = 1`) is checked, and left as written:
    // formatting may need several lines, which only a block can hold.
    const r = formatRules(value, origin);
    if (!r.ok) for (const d of r.diagnostics) bag.add(d);
    return undefined;
  }
  const block = blockContent(src.text, node);
  if (!block) return undefined;
  const r = formatRules(value, origin, Math.max(20, width - block.indent));
  if (!r.ok) {
    for (const d of r.diagnostics) bag.add(d);
    return undefined;
  }
  return { start: block.start, end: block.end, text: reindent(r.value, block.indent, block.eol), path, value: r.value };
}

/** A fork's `subjects.where`: one expression, on one line (a plain or quoted scalar) or in a literal block. */
function expressionEdit(src: YamlSource, path: readonly string[], node: Scalar, width: number, bag: DiagnosticBag): Edit | undefined {
  const map = stringValueMap(src, path);
  if (map === 'folded' || map === undefined) return undefined;
  const value = String(node.value);
  const head = 'let subjects_where = ';
  const local = new DiagnosticBag();
  const program = rulesToAst(`${head}${value}`, { file: src.file, map: (o) => map(Math.max(0, o - head.length)) }, local);
  if (local.hasErrors || !program) {
    // The loader reports what is wrong with the condition (guize check); fmt leaves it alone.
    for (const d of local.items) bag.add(d);
    return undefined;
  }
  const s = program.statements[0];
  // A comment in the condition cannot be placed in one line: such a condition is left as written.
  if (program.statements.length !== 1 || s?.kind !== 'let' || value.includes('#')) return undefined;
  const [start, end] = node.range!;
  if (node.type === 'BLOCK_LITERAL') {
    const block = blockContent(src.text, node);
    if (!block) return undefined;
    const printed = printExpression(s.value, Math.max(20, width - block.indent));
    return { start: block.start, end: block.end, text: reindent(printed, block.indent, block.eol), path, value: printed };
  }
  const printed = printExpression(s.value, Number.POSITIVE_INFINITY);
  // On one line, the text must stay the same scalar: no quote of its own kind inside, nothing a
  // plain scalar cannot start with or hold (verify() below reads it back to make sure).
  if (node.type === 'QUOTE_DOUBLE') return printed.includes('"') || printed.includes('\\') ? undefined : { start: start + 1, end: end - 1, text: printed, path, value: printed };
  if (node.type === 'QUOTE_SINGLE') return printed.includes("'") ? undefined : { start: start + 1, end: end - 1, text: printed, path, value: printed };
  if (/^[-?:,[\]{}#&*!|>'"%@`]|: | #|[\r\n]/.test(printed)) return undefined;
  const sourceEnd = src.text.slice(start, end).trimEnd().length + start;
  return { start, end: sourceEnd, text: printed, path, value: printed };
}

/** Reads the edited file back: each rule text must now be the formatted one (else this is a bug, not a bad input). */
function verify(file: string, text: string, edits: readonly Edit[]): void {
  const bag = new DiagnosticBag();
  const src = parseYaml(file, text, bag);
  for (const e of edits) {
    const node = src && nodeAt(src, e.path);
    const read = node && isScalar(node) ? String(node.value) : undefined;
    // White space after the rules (blank lines a `|+` block keeps, a last line of spaces) is theirs to keep.
    if (read === undefined || read.trimEnd() !== e.value.trimEnd()) {
      throw new Error(`formatting ${file} would change the YAML around ${e.path.join('.')}: left as it was`);
    }
  }
}
