// The formatter of the rule language (`guize fmt`, the editor's format document): rules text →
// the same rules in one canonical layout, every comment kept where it was. Pure: no Node APIs.
//
// Parentheses are printed only where the grammar needs them (parser.ts: `if`, `or`, `and`, `not`,
// comparisons, `+ -`, `* /`, unary `-`, postfix, loosest first; binary operators group to the
// left, comparisons do not chain), so `(a * b) + c` prints `a * b + c` and `a - (b - c)` keeps
// its parentheses. Lines break at a width (layout.ts), always in the same places: before `because`
// and `per`, after `=` and `:`, before `and`, `or` and the other binary operators, and an
// `else if` chain one branch a line.
//
// Comments are not in the syntax tree: the lexer puts them in a token group of their own. Each
// is attached to a source token (the one before it, or, for a comment on a line of its own, the
// one after it), and the printed statement emits the same tokens in the same order (grouping
// parentheses aside), so the comment is printed beside the same token. A statement whose tokens
// would not line up (which would be a bug here) keeps its comments above it instead: none is lost.

import type { IToken } from 'chevrotain';
import {
  assertNever, type AggregateExpr, type BinaryOp, type Expr, type RuleProgram, type Statement, type UnitAnnotation,
} from './ast.ts';
import { rulesToAst, type RulesOrigin } from './cst-to-ast.ts';
import { DiagnosticBag, type StageResult } from './diagnostics.ts';
import { group, hardline, indent, layout, line, softline, type Doc, type TokenComments } from './layout.ts';
import { ruleLexer } from './lexer.ts';
import { printString } from './print.ts';

/** The width the formatter fills, in columns (CJK characters count two), unless told otherwise. */
export const FORMAT_WIDTH = 100;

/** How tightly each kind of expression binds: a child looser than its place allows is parenthesised. */
const IF = 0;
const OR = 1;
const AND = 2;
const NOT = 3;
const COMPARE = 4;
const ADD = 5;
const MULTIPLY = 6;
const NEGATE = 7;
const POSTFIX = 8;
const PRIMARY = 9;

function binaryLevel(op: BinaryOp): number {
  switch (op) {
    case 'or': return OR;
    case 'and': return AND;
    case '==': case '!=': case '<': case '<=': case '>': case '>=': return COMPARE;
    case '+': case '-': return ADD;
    case '*': case '/': return MULTIPLY;
    default: return assertNever(op);
  }
}

/** The precedence level of an expression's outermost operator ({@link PRIMARY} for none). */
export function exprLevel(e: Expr): number {
  switch (e.kind) {
    case 'if': return IF;
    case 'binary': return binaryLevel(e.op);
    case 'unary': return e.op === 'not' ? NOT : NEGATE;
    case 'between': case 'presence': case 'in': return COMPARE;
    case 'index': case 'member': return POSTFIX;
    case 'number': case 'string': case 'bool': case 'date': case 'name': case 'call': case 'aggregate': return PRIMARY;
    default: return assertNever(e);
  }
}

/** Builds the layout of statements, numbering the tokens it emits in order (for the comments). */
class DocBuilder {
  private next: number;

  constructor(first = 0) {
    this.next = first;
  }

  /** A token of the source, numbered. */
  t(text: string): Doc {
    return { kind: 'tok', text, index: this.next++ };
  }

  /** How many tokens were emitted so far (the next one's number). */
  get count(): number {
    return this.next;
  }

  /** `e` at a place that takes expressions of level `min` or tighter; parenthesised if looser. */
  expr(e: Expr, min: number): Doc {
    if (exprLevel(e) >= min) return this.bare(e);
    // Grouping parentheses are not numbered: the source's are skipped in the same way.
    return ['(', this.bare(e), ')'];
  }

  private bare(e: Expr): Doc {
    switch (e.kind) {
      case 'number': return this.t(e.percent ? `${e.text}%` : e.text);
      case 'string': return this.t(printString(e.value));
      case 'bool': return this.t(e.value ? 'true' : 'false');
      case 'date': return this.t(e.value);
      case 'name': return this.t(e.name);
      case 'unary':
        return e.op === 'not' ? [this.t('not'), ' ', this.expr(e.operand, NOT)] : [this.t('-'), this.expr(e.operand, NEGATE)];
      case 'binary': return this.binary(e.op, e.left, e.right);
      case 'between':
        return [this.expr(e.value, ADD), ' ', this.t('between'), ' ', this.expr(e.low, ADD), ' ', this.t('and'), ' ', this.expr(e.high, ADD)];
      case 'presence': return [this.expr(e.value, ADD), ' ', this.t('is'), ' ', this.t(e.present ? 'present' : 'missing')];
      case 'in': {
        const value = this.expr(e.value, ADD);
        const head = [' ', this.t('in'), ' ', this.t('[')];
        return [value, ...head, this.list(e.items.map((i) => () => this.expr(i, ADD)), ']')];
      }
      case 'if': return this.ifExpr(e);
      case 'index': return [this.expr(e.target, POSTFIX), this.t('['), this.expr(e.key, IF), this.t(']')];
      case 'member': return [this.expr(e.target, POSTFIX), this.t('.'), this.t(e.name)];
      case 'call': {
        const head = [this.t(e.callee), this.t('(')];
        return [head, this.list(e.args.map((a) => () => this.expr(a, IF)), ')')];
      }
      case 'aggregate': return this.aggregate(e);
      default: return assertNever(e);
    }
  }

  /** The items of a call or list after its opening bracket, then the closing one: one line, or one item a line. */
  private list(items: readonly (() => Doc)[], close: string): Doc {
    const parts: Doc[] = [];
    items.forEach((item, i) => {
      if (i > 0) parts.push(this.t(','), line);
      parts.push(item());
    });
    if (parts.length === 0) return this.t(close);
    return group([indent([softline, ...parts]), softline, this.t(close)]);
  }

  /**
   * A chain of operators of one level (`a + b - c`, `a and b and c`): the chain groups to the left,
   * so the left operand may be of the same level and the right ones must bind tighter. Broken, each
   * operator starts a line.
   */
  private binary(op: BinaryOp, left: Expr, right: Expr): Doc {
    const level = binaryLevel(op);
    if (level === COMPARE) {
      // Comparisons do not chain: both sides bind tighter.
      const l = this.expr(left, ADD);
      return group([l, indent([line, this.t(op), ' ', this.expr(right, ADD)])]);
    }
    const operands: { op: BinaryOp; e: Expr }[] = [{ op, e: right }];
    let first = left;
    while (first.kind === 'binary' && binaryLevel(first.op) === level) {
      operands.unshift({ op: first.op, e: first.right });
      first = first.left;
    }
    const head = this.expr(first, level);
    const rest: Doc[] = [];
    for (const o of operands) rest.push(line, this.t(o.op), ' ', this.expr(o.e, level + 1));
    return group([head, indent(rest)]);
  }

  /** `if … then … else …`: on one line if it fits, else `else` starts a line; an `else if` chain always has one branch a line. */
  private ifExpr(e: Extract<Expr, { kind: 'if' }>): Doc {
    if (e.otherwise.kind !== 'if') {
      return group([this.t('if'), ' ', this.expr(e.cond, IF), ' ', this.t('then'), ' ', this.expr(e.then, IF), line, this.t('else'), ' ', this.expr(e.otherwise, IF)]);
    }
    const parts: Doc[] = [this.t('if'), ' ', this.expr(e.cond, IF), ' ', this.t('then'), ' ', this.expr(e.then, IF)];
    let rest: Expr = e.otherwise;
    while (rest.kind === 'if') {
      parts.push(hardline, this.t('else'), ' ', this.t('if'), ' ', this.expr(rest.cond, IF), ' ', this.t('then'), ' ', this.expr(rest.then, IF));
      rest = rest.otherwise;
    }
    parts.push(hardline, this.t('else'), ' ', this.expr(rest, IF));
    return parts;
  }

  private aggregate(e: AggregateExpr): Doc {
    const head = [this.t(e.op), this.t('(')];
    const parts: (() => Doc)[] = [];
    if (e.distinct) { const d = e.distinct; parts.push(() => [this.t('distinct'), ' ', this.t(d.name)]); }
    if (e.value) { const v = e.value; parts.push(() => this.expr(v, OR)); }
    if (e.where) { const w = e.where; parts.push(() => [this.t('where'), ' ', this.expr(w, OR)]); }
    if (e.by) { const b = e.by; parts.push(() => [this.t('by'), ' ', this.t(b.name)]); }
    if (parts.length === 0) return [head, this.t(')')];
    // Broken, `where` and `by` start lines: `sum(hours` / `  where …)`.
    const inner: Doc[] = [];
    parts.forEach((p, i) => inner.push(...(i > 0 ? [line] : []), p()));
    return group([head, inner[0]!, indent(inner.slice(1)), this.t(')')]);
  }

  private unit(u: UnitAnnotation): Doc {
    // `credit/hour`: the unit's tokens, written without spaces.
    return u.text.split(/([/*])/).filter((p) => p !== '').map((p) => this.t(p));
  }

  /**
   * A statement without its annotations: the head on the first line, continuations indented
   * (`because` and `per` always on a line of their own).
   */
  statement(s: Statement): Doc {
    switch (s.kind) {
      case 'let': {
        const head: Doc[] = [this.t('let'), ' ', this.t(s.id)];
        if (s.unit) head.push(this.t(':'), ' ', this.unit(s.unit));
        head.push(' ', this.t('='));
        return group([head, indent([line, this.expr(s.value, IF)])]);
      }
      case 'measure': {
        const head: Doc[] = [this.t('measure'), ' ', this.t(s.id)];
        if (s.unit) head.push(this.t(':'), ' ', this.unit(s.unit));
        if (s.label !== undefined) head.push(' ', this.t(printString(s.label)));
        head.push(' ', this.t('='));
        return group([head, indent([line, this.expr(s.value, IF)])]);
      }
      case 'outcome': {
        const head = [this.t(s.outcome), ' ', this.t(s.id), ' ', this.t('when'), ' '];
        const when = indent(this.expr(s.when, IF));
        return [head, when, indent([hardline, this.t('because'), ' ', this.t(printString(s.reason))])];
      }
      case 'require': {
        const head: Doc[] = [this.t('require'), ' ', this.t(s.id)];
        if (s.label !== undefined) head.push(' ', this.t(printString(s.label)));
        const tail: Doc[] = [hardline, this.t('per'), ' '];
        if (s.window) tail.push(this.t(s.window.text), ' ', this.t(s.scope === 'window' ? 'periods' : s.scope));
        else tail.push(this.t(s.scope));
        if (s.loop) tail.push(' ', this.t('for'), ' ', this.t(s.loop.variable), ' ', this.t('in'), ' ', this.t(s.loop.table));
        if (s.when) tail.push(' ', this.t('when'), ' ', indent(this.expr(s.when, IF)));
        tail.push(this.t(':'), group(indent([line, this.expr(s.body, IF)])));
        return [head, indent(tail)];
      }
      default:
        return assertNever(s);
    }
  }

  /** Annotations from the syntax tree: one `@cite(…)` line with every citation, one `@note(…)` line with every note. */
  annotations(s: Statement): Doc[] {
    const lines: Doc[] = [];
    for (const [name, args] of [['cite', s.cites], ['note', s.notes]] as const) {
      if (args.length === 0) continue;
      const parts: Doc[] = [this.t('@'), this.t(name), this.t('(')];
      args.forEach((a, i) => parts.push(...(i > 0 ? [this.t(','), ' '] : []), this.t(printString(a))));
      parts.push(this.t(')'), hardline);
      lines.push(parts);
    }
    return lines;
  }
}

/**
 * A rules text printed from its syntax tree alone (no comments, no source): statements one after
 * another with a blank line between, annotations above each, ending with a line break.
 */
export function printRules(program: RuleProgram, width = FORMAT_WIDTH): string {
  const out = program.statements.map((s) => {
    const b = new DocBuilder();
    return layout([...b.annotations(s), b.statement(s)], width);
  });
  return out.length === 0 ? '' : `${out.join('\n\n')}\n`;
}

/** One expression printed on its own (a fork's `subjects.where`). */
export function printExpression(e: Expr, width = FORMAT_WIDTH): string {
  return layout(new DocBuilder().expr(e, IF), width);
}

/** Tokens that start a statement (after its annotations). */
const STATEMENT_START = new Set(['Let', 'Reject', 'Exclude', 'Disregard', 'Measure', 'Require']);

/** A comment of the source: its text (trailing spaces dropped) and offsets. */
interface SourceComment {
  readonly text: string;
  readonly start: number;
  /** Whether only white space comes before it on its line. */
  readonly ownLine: boolean;
}

/**
 * Formats a rules text. Parse errors (lexing, syntax, unknown annotations, over-long lists …) are
 * the diagnostics, located through `origin` as when the policy is loaded; the text is then not
 * formatted. Otherwise the formatted text, ending with a line break (empty for empty rules).
 */
export function formatRules(text: string, origin: RulesOrigin, width = FORMAT_WIDTH): StageResult<string> {
  // Parsed with offsets in `text` itself, to place the comments; on errors, again through
  // `origin`, for diagnostics located in the file.
  const bag = new DiagnosticBag();
  const local = new DiagnosticBag();
  const parsed = rulesToAst(text, { file: origin.file, map: (o) => o }, local);
  if (!parsed || local.hasErrors) {
    rulesToAst(text, origin, bag);
    return bag.hasErrors ? bag.fail() : local.fail();
  }
  const program = parsed;
  const lexed = ruleLexer().tokenize(text);
  const comments: SourceComment[] = (lexed.groups.comments ?? []).map((c) => {
    const lineStart = Math.max(text.lastIndexOf('\n', c.startOffset - 1), text.lastIndexOf('\r', c.startOffset - 1)) + 1;
    return { text: c.image.trimEnd(), start: c.startOffset, ownLine: text.slice(lineStart, c.startOffset).trim() === '' };
  });
  const items: { start: number; end: number; text: string }[] = [];
  let ci = 0;
  let ti = 0;
  for (const s of program.statements) {
    while (ci < comments.length && comments[ci]!.start < s.span.start) {
      const c = comments[ci++]!;
      items.push({ start: c.start, end: c.start + c.text.length, text: c.text });
    }
    const inner: SourceComment[] = [];
    while (ci < comments.length && comments[ci]!.start < s.span.end) inner.push(comments[ci++]!);
    // A comment after the statement on its last line belongs to it.
    const end: SourceComment[] = [];
    if (ci < comments.length && !/[\r\n]/.test(text.slice(s.span.end, comments[ci]!.start))) end.push(comments[ci++]!);
    // The statement's tokens: statements come in order, so one pass over the tokens serves all.
    while (ti < lexed.tokens.length && lexed.tokens[ti]!.startOffset < s.span.start) ti++;
    const first = ti;
    while (ti < lexed.tokens.length && lexed.tokens[ti]!.startOffset < s.span.end) ti++;
    const tokens = lexed.tokens.slice(first, ti);
    items.push({
      start: s.span.start,
      end: end.length > 0 ? end[0]!.start + end[0]!.text.length : s.span.end,
      text: statementText(s, tokens, inner, end, width),
    });
  }
  for (; ci < comments.length; ci++) {
    const c = comments[ci]!;
    items.push({ start: c.start, end: c.start + c.text.length, text: c.text });
  }
  let out = '';
  items.forEach((item, i) => {
    if (i > 0) out += /\n[ \t\r\u3000]*\n/.test(text.slice(items[i - 1]!.end, item.start).replace(/\r\n?/g, '\n')) ? '\n\n' : '\n';
    out += item.text;
  });
  return bag.result(out === '' ? '' : `${out}\n`);
}

/** One statement from its source tokens: its annotations as written (spacing made canonical), the rest printed. */
function statementText(s: Statement, tokens: readonly IToken[], inner: readonly SourceComment[], end: readonly SourceComment[], width: number): string {
  const numbered = withoutGroupingParens(tokens);
  const mainAt = numbered.findIndex((t) => STATEMENT_START.has(t.tokenType.name));
  const b = new DocBuilder();
  const docs: Doc[] = [];
  // Annotations, one a line, from the tokens: `@cite("a", "b")` keeps its grouping.
  let annotation: Doc[] = [];
  for (let i = 0; i < mainAt; i++) {
    const t = numbered[i]!;
    const name = t.tokenType.name;
    annotation.push(name === 'StringLiteral' ? b.t(printString(unquoteImage(t.image))) : b.t(t.image));
    if (name === 'Comma') annotation.push(' ');
    if (name === 'RParen') {
      docs.push(annotation, hardline);
      annotation = [];
    }
  }
  docs.push(b.statement(s));
  const printedMain = b.count - mainAt;
  const lined = printedMain === numbered.length - mainAt && sameTokens(s, numbered.slice(mainAt), mainAt);
  const attached = new Map<number, { before: string[]; after: string[] }>();
  const above: string[] = [];
  const endLines: string[] = [];
  for (const c of inner) {
    // The token before the comment (for one at the end of a line) or after it (for one on a line of its own).
    const after = numbered.findIndex((t) => t.startOffset > c.start);
    const at = c.ownLine ? after : (after < 0 ? numbered.length : after) - 1;
    if (!lined || at < 0) {
      above.push(c.text);
      continue;
    }
    const slot = (i: number) => {
      const x = attached.get(i) ?? { before: [], after: [] };
      attached.set(i, x);
      return x;
    };
    if (c.ownLine) slot(at).before.push(c.text);
    // A second comment after one token (a grouping parenthesis came between): one line each, the
    // second above the next token, where a comment on a line of its own would be read back.
    else if (slot(at).after.length === 0) slot(at).after.push(c.text);
    else if (at + 1 < numbered.length) slot(at + 1).before.push(c.text);
    else endLines.push(c.text);
  }
  const map: Map<number, TokenComments> = attached;
  let out = layout(docs, width, map);
  const endsInComment = lastLineHasComment(out);
  // After a comment, a comment at the statement's end goes on the next line, at the margin.
  for (const c of end) out += endsInComment || endLines.length > 0 ? `\n${c.text}` : ` ${c.text}`;
  return [...above, out, ...endLines].join('\n');
}

/** Whether the last line of a laid-out statement ends in a comment (outside any string). */
function lastLineHasComment(out: string): boolean {
  const last = out.slice(out.lastIndexOf('\n') + 1);
  return (ruleLexer().tokenize(last).groups.comments ?? []).length > 0;
}

/** Whether the statement prints the very tokens it was parsed from (so comments can be placed by number). */
function sameTokens(s: Statement, source: readonly IToken[], first: number): boolean {
  const printed: string[] = [];
  collectTokens(new DocBuilder(first).statement(s), printed);
  return printed.length === source.length && printed.every((text, i) => {
    const t = source[i]!;
    return t.tokenType.name === 'StringLiteral' ? text === printString(unquoteImage(t.image)) : text === t.image;
  });
}

function collectTokens(d: Doc, out: string[]): void {
  if (typeof d === 'string') return;
  if (Array.isArray(d)) {
    for (const part of d as readonly Doc[]) collectTokens(part, out);
    return;
  }
  const node = d as Exclude<Doc, string | readonly Doc[]>;
  switch (node.kind) {
    case 'tok': out.push(node.text); return;
    case 'group': case 'indent': collectTokens(node.contents, out); return;
    case 'line': return;
    default: assertNever(node);
  }
}

/**
 * The tokens without the parentheses that only group (`(a + b)`): those of calls, totals and
 * annotations stay. A `(` groups unless it follows a name (a call or annotation) or `sum`/`count`.
 */
function withoutGroupingParens(tokens: readonly IToken[]): IToken[] {
  const out: IToken[] = [];
  const open: boolean[] = [];
  let previous: string | undefined;
  for (const t of tokens) {
    const name = t.tokenType.name;
    if (name === 'LParen') {
      const grouping = previous !== 'Identifier' && previous !== 'Sum' && previous !== 'Count';
      open.push(grouping);
      if (!grouping) out.push(t);
    } else if (name === 'RParen') {
      if (!open.pop()) out.push(t);
    } else out.push(t);
    previous = name;
  }
  return out;
}

/** The text of a string literal's image (the lexer's escapes undone). */
function unquoteImage(image: string): string {
  return image.slice(1, -1).replace(/\\(["\\nt])/g, (_, ch: string) => (ch === 'n' ? '\n' : ch === 't' ? '\t' : ch));
}
