// Stage 3 of the rules pipeline: CST → AST. The only module that reads chevrotain's CST; it also
// moves every offset from the rules text into the file the officer edits (see `OffsetMap`).

import type { CstElement, CstNode, IToken } from 'chevrotain';
import type {
  AggregateExpr, Annotations, BinaryOp, Expr, LetStmt, MeasureStmt, NameRef, OutcomeStmt, RequireStmt,
  RuleProgram, Statement, UnitAnnotation,
} from './ast.ts';
import { DiagnosticBag } from './diagnostics.ts';
import { ruleLexer } from './lexer.ts';
import { decodeParseMessage } from './parse-messages.ts';
import { parseTokens } from './parser.ts';
import type { Span } from './source.ts';
import { exprDepth, statementExprs } from './walk.ts';

/** Maps an offset in the rules text to an offset in the file that contains it. */
export type OffsetMap = (offset: number) => number;

/** Where a rules text comes from: the file's name and how its offsets map into that file. */
export interface RulesOrigin {
  readonly file: string;
  readonly map: OffsetMap;
}

/**
 * Lexes, parses and converts one rules text. Lexing and parsing errors are diagnostics; a program
 * is returned only when there were none (the parser recovers for the editor's sake, but a
 * recovered tree never runs).
 */
export function rulesToAst(text: string, origin: RulesOrigin, bag: DiagnosticBag): RuleProgram | undefined {
  const lexed = ruleLexer().tokenize(text);
  // The parser, checker and compiled rules all recurse into nested expressions: refuse nesting
  // deep enough to exhaust the stack before any of them sees it.
  let depth = 0;
  for (const t of lexed.tokens) {
    const name = t.tokenType.name;
    if (name === 'LParen' || name === 'LBracket') depth++;
    else if (name === 'RParen' || name === 'RBracket') depth--;
    if (depth > MAX_NESTING) {
      tooDeep(bag, { file: origin.file, start: origin.map(t.startOffset), end: origin.map(t.startOffset + 1) });
      return undefined;
    }
  }
  for (const e of lexed.errors) {
    const span = { file: origin.file, start: origin.map(e.offset), end: origin.map(e.offset + Math.max(1, e.length)) };
    const ch = text.slice(e.offset, e.offset + Math.max(1, e.length));
    bag.error('unexpected-character', span, `unexpected character '${ch}'`, `无法识别的字符 '${ch}'`,
      ch === '“' || ch === '”' ? 'use straight double quotes (") around texts' : undefined);
  }
  let parsed: ReturnType<typeof parseTokens>;
  try {
    parsed = parseTokens(lexed.tokens);
  } catch (e) {
    // Long chains of prefix operators (`not not …`, `- - …`) or `else if` recurse in the parser
    // itself: the bracket count above cannot see them coming.
    if (!(e instanceof RangeError)) throw e;
    tooDeep(bag, { file: origin.file, start: origin.map(0), end: origin.map(Math.min(1, text.length)) });
    return undefined;
  }
  for (const e of parsed.errors) {
    const token = e.token.tokenType.name === 'EOF' ? lexed.tokens[lexed.tokens.length - 1] : e.token;
    const start = token && Number.isFinite(token.startOffset) ? token.startOffset : text.length;
    const end = token && Number.isFinite(token.endOffset) ? (token.endOffset ?? start) + 1 : start + 1;
    const words = decodeParseMessage(e.message);
    bag.error('syntax-error', { file: origin.file, start: origin.map(start), end: origin.map(end) }, words.en, words.zh);
  }
  if (lexed.errors.length > 0 || parsed.errors.length > 0) return undefined;
  const program = new Converter(origin, bag).program(parsed.cst, text.length);
  for (const s of program.statements) {
    for (const e of statementExprs(s)) {
      if (exprDepth(e) > MAX_DEPTH) {
        tooDeep(bag, s.idSpan);
        return undefined;
      }
    }
  }
  return program;
}

/** Most items of an `[a, b, …]` list: longer lists belong in a table. */
const MAX_LIST = 1000;

/** Deepest bracket nesting accepted: far beyond any rule a person writes. */
const MAX_NESTING = 64;
/** Deepest expression tree accepted (long `and` chains nest one level per operand). */
const MAX_DEPTH = 400;

function tooDeep(bag: DiagnosticBag, span: Span): void {
  bag.error('too-deep', span, 'this rule nests too deeply to be checked safely', '此规则嵌套过深，无法安全检查',
    'split it into several lets');
}

type Children = Record<string, CstElement[] | undefined>;

function isToken(e: CstElement | undefined): e is IToken {
  return e !== undefined && 'image' in e;
}

/** Turns CST nodes into AST nodes, translating offsets as it goes. */
class Converter {
  constructor(
    private readonly origin: RulesOrigin,
    private readonly bag: DiagnosticBag,
  ) {}

  private span(start: number, endInclusive: number): Span {
    return { file: this.origin.file, start: this.origin.map(start), end: this.origin.map(endInclusive + 1) };
  }

  private tokenSpan(t: IToken): Span {
    return this.span(t.startOffset, t.endOffset ?? t.startOffset);
  }

  private nodeSpan(n: CstNode): Span {
    const loc = n.location!;
    return this.span(loc.startOffset, loc.endOffset ?? loc.startOffset);
  }

  private node(c: Children, key: string, i = 0): CstNode {
    const e = c[key]?.[i];
    if (!e || isToken(e)) throw new Error(`CST: missing node ${key}`);
    return e;
  }

  private maybeNode(c: Children, key: string): CstNode | undefined {
    const e = c[key]?.[0];
    return e && !isToken(e) ? e : undefined;
  }

  private nodes(c: Children, key: string): CstNode[] {
    return (c[key] ?? []).filter((e): e is CstNode => !isToken(e));
  }

  private token(c: Children, key: string, i = 0): IToken {
    const e = c[key]?.[i];
    if (!isToken(e)) throw new Error(`CST: missing token ${key}`);
    return e;
  }

  private maybeToken(c: Children, key: string): IToken | undefined {
    const e = c[key]?.[0];
    return isToken(e) ? e : undefined;
  }

  private tokens(c: Children, key: string): IToken[] {
    return (c[key] ?? []).filter(isToken);
  }

  program(cst: CstNode, length: number): RuleProgram {
    const statements = this.nodes(cst.children, 'statement').map((s) => this.statement(s));
    return { statements, span: this.span(0, Math.max(0, length - 1)) };
  }

  private statement(n: CstNode): Statement {
    const c = n.children;
    const annotations = this.annotations(this.nodes(c, 'annotation'));
    const span = this.nodeSpan(n);
    const letNode = this.maybeNode(c, 'letStatement');
    if (letNode) return this.letStatement(letNode, annotations, span);
    const outcomeNode = this.maybeNode(c, 'outcomeStatement');
    if (outcomeNode) return this.outcomeStatement(outcomeNode, annotations, span);
    const measureNode = this.maybeNode(c, 'measureStatement');
    if (measureNode) return this.measureStatement(measureNode, annotations, span);
    return this.requireStatement(this.node(c, 'requireStatement'), annotations, span);
  }

  private annotations(nodes: CstNode[]): Annotations {
    const cites: string[] = [];
    const notes: string[] = [];
    for (const a of nodes) {
      const name = this.token(a.children, 'name');
      const args = this.tokens(a.children, 'args').map((t) => unquote(t.image));
      if (name.image === 'cite') cites.push(...args);
      else if (name.image === 'note') notes.push(...args);
      else {
        this.bag.error('unknown-annotation', this.tokenSpan(name), `unknown annotation '@${name.image}'`,
          `未知的标注 '@${name.image}'`, 'use @cite("…") for the article and @note("…") for a remark');
      }
    }
    return { cites, notes };
  }

  private letStatement(n: CstNode, a: Annotations, span: Span): LetStmt {
    const c = n.children;
    const id = this.token(c, 'id');
    const unitNode = this.maybeNode(c, 'unit');
    return {
      kind: 'let', id: id.image, idSpan: this.tokenSpan(id), span, cites: a.cites, notes: a.notes,
      unit: unitNode ? this.unit(unitNode) : undefined,
      value: this.expression(this.node(c, 'value')),
    };
  }

  private unit(n: CstNode): UnitAnnotation {
    const c = n.children;
    const one = this.maybeToken(c, 'one');
    const parts = this.tokens(c, 'parts');
    const ops = this.tokens(c, 'ops');
    let text = one ? one.image : parts.shift()!.image;
    parts.forEach((p, i) => (text += `${ops[i]!.image}${p.image}`));
    return { text, span: this.nodeSpan(n) };
  }

  private outcomeStatement(n: CstNode, a: Annotations, span: Span): OutcomeStmt {
    const c = n.children;
    const id = this.token(c, 'id');
    const reason = this.token(c, 'reason');
    const placeholders: NameRef[] = [];
    for (const m of reason.image.matchAll(placeholderPattern)) {
      const start = reason.startOffset + m.index + 1;
      placeholders.push({ kind: 'name', name: m[1]!, span: this.span(start, start + m[1]!.length - 1) });
    }
    return {
      kind: 'outcome', outcome: this.token(c, 'outcome').image as OutcomeStmt['outcome'],
      id: id.image, idSpan: this.tokenSpan(id), span, cites: a.cites, notes: a.notes,
      when: this.expression(this.node(c, 'when')),
      reason: unquote(reason.image), reasonSpan: this.tokenSpan(reason), placeholders,
    };
  }

  private measureStatement(n: CstNode, a: Annotations, span: Span): MeasureStmt {
    const c = n.children;
    const id = this.token(c, 'id');
    const label = this.maybeToken(c, 'label');
    const unitNode = this.maybeNode(c, 'unit');
    return {
      kind: 'measure', id: id.image, idSpan: this.tokenSpan(id), span, cites: a.cites, notes: a.notes,
      label: label ? unquote(label.image) : undefined,
      ...(unitNode ? { unit: this.unit(unitNode) } : {}),
      ...(label ? { labelSpan: this.tokenSpan(label) } : {}),
      value: this.expression(this.node(c, 'value')),
    };
  }

  private requireStatement(n: CstNode, a: Annotations, span: Span): RequireStmt {
    const c = n.children;
    const id = this.token(c, 'id');
    const label = this.maybeToken(c, 'label');
    const scope = this.token(c, 'scope');
    const size = this.maybeToken(c, 'windowSize');
    const loopVariable = this.maybeToken(c, 'loopVariable');
    const loopTable = this.maybeToken(c, 'loopTable');
    const when = this.maybeNode(c, 'when');
    return {
      kind: 'require', id: id.image, idSpan: this.tokenSpan(id), span, cites: a.cites, notes: a.notes,
      label: label ? unquote(label.image) : undefined,
      ...(label ? { labelSpan: this.tokenSpan(label) } : {}),
      // The checker reports a scope other than `period`, `cycle` or `N periods`; carry the word as written.
      scope: (size && scope.image === 'periods' ? 'window' : scope.image) as RequireStmt['scope'],
      scopeSpan: this.tokenSpan(scope),
      ...(size ? { window: { text: size.image, span: this.tokenSpan(size) } } : {}),
      loop: loopVariable && loopTable
        ? { variable: loopVariable.image, table: loopTable.image, span: this.span(loopVariable.startOffset, loopTable.endOffset ?? loopTable.startOffset) }
        : undefined,
      when: when ? this.expression(when) : undefined,
      body: this.expression(this.node(c, 'body')),
    };
  }

  private expression(n: CstNode): Expr {
    const c = n.children;
    const ifNode = this.maybeNode(c, 'ifExpression');
    if (ifNode) {
      const ic = ifNode.children;
      return {
        kind: 'if', span: this.nodeSpan(ifNode),
        cond: this.expression(this.node(ic, 'cond')),
        then: this.expression(this.node(ic, 'then')),
        otherwise: this.expression(this.node(ic, 'otherwise')),
      };
    }
    return this.logical(this.node(c, 'orExpression'));
  }

  /** `orExpression` and `andExpression`: left-associative chains of one operator. */
  private logical(n: CstNode): Expr {
    const op: BinaryOp = n.name === 'orExpression' ? 'or' : 'and';
    const operands = this.nodes(n.children, 'operands').map((o) =>
      o.name === 'andExpression' ? this.logical(o) : this.notExpression(o));
    return operands.reduce((left, right) => ({ kind: 'binary', op, left, right, span: joined(left.span, right.span) }));
  }

  private notExpression(n: CstNode): Expr {
    const negated = this.maybeNode(n.children, 'negated');
    if (negated) return { kind: 'unary', op: 'not', operand: this.notExpression(negated), span: this.nodeSpan(n) };
    return this.comparison(this.node(n.children, 'comparison'));
  }

  private comparison(n: CstNode): Expr {
    const c = n.children;
    const left = this.additive(this.node(c, 'left'));
    const span = this.nodeSpan(n);
    const op = this.maybeToken(c, 'op');
    if (op) return { kind: 'binary', op: op.image as BinaryOp, left, right: this.additive(this.node(c, 'right')), span };
    const low = this.maybeNode(c, 'low');
    if (low) return { kind: 'between', value: left, low: this.additive(low), high: this.additive(this.node(c, 'high')), span };
    const presence = this.maybeToken(c, 'presence');
    if (presence) return { kind: 'presence', value: left, present: presence.image === 'present', span };
    if (c.In) {
      const items = this.nodes(c, 'items');
      if (items.length > MAX_LIST) {
        this.bag.error('list-too-long', span, `a list of ${items.length} items is longer than the ${MAX_LIST} a rule may hold`,
          `列表有 ${items.length} 项，超过规则允许的 ${MAX_LIST} 项`, 'put long lists in a table');
      }
      return { kind: 'in', value: left, items: items.slice(0, MAX_LIST).map((i) => this.additive(i)), span };
    }
    return left;
  }

  /** `additive` and `multiplicative`: left-associative chains of mixed operators. */
  private additive(n: CstNode): Expr {
    const operands = this.nodes(n.children, 'operands').map((o) =>
      o.name === 'multiplicative' ? this.additive(o) : this.unary(o));
    const ops = this.tokens(n.children, 'ops');
    let result = operands[0]!;
    ops.forEach((op, i) => {
      const right = operands[i + 1]!;
      result = { kind: 'binary', op: op.image as BinaryOp, left: result, right, span: joined(result.span, right.span) };
    });
    return result;
  }

  private unary(n: CstNode): Expr {
    const negated = this.maybeNode(n.children, 'negated');
    if (negated) return { kind: 'unary', op: '-', operand: this.unary(negated), span: this.nodeSpan(n) };
    return this.postfix(this.node(n.children, 'postfix'));
  }

  private postfix(n: CstNode): Expr {
    let result = this.primary(this.node(n.children, 'primary'));
    for (const s of this.nodes(n.children, 'suffixes')) {
      const span = joined(result.span, this.nodeSpan(s));
      if (s.name === 'indexSuffix') {
        result = { kind: 'index', target: result, key: this.expression(this.node(s.children, 'key')), span };
      } else {
        const name = this.token(s.children, 'name');
        result = { kind: 'member', target: result, name: name.image, nameSpan: this.tokenSpan(name), span };
      }
    }
    return result;
  }

  private primary(n: CstNode): Expr {
    const c = n.children;
    const date = this.maybeToken(c, 'date');
    if (date) return { kind: 'date', value: date.image, span: this.tokenSpan(date) };
    const percent = this.maybeToken(c, 'percent');
    if (percent) return { kind: 'number', text: percent.image.slice(0, -1), percent: true, span: this.tokenSpan(percent) };
    const num = this.maybeToken(c, 'number');
    if (num) return { kind: 'number', text: num.image, percent: false, span: this.tokenSpan(num) };
    const str = this.maybeToken(c, 'string');
    if (str) return { kind: 'string', value: unquote(str.image), span: this.tokenSpan(str) };
    const bool = this.maybeToken(c, 'bool');
    if (bool) return { kind: 'bool', value: bool.image === 'true', span: this.tokenSpan(bool) };
    const agg = this.maybeNode(c, 'aggregate');
    if (agg) return this.aggregate(agg);
    const call = this.maybeNode(c, 'callOrName');
    if (call) return this.callOrName(call);
    const inner = this.expression(this.node(c, 'inner'));
    // Keep the parentheses in the span, so that an error about `(a + b)` underlines all of it.
    return { ...inner, span: this.nodeSpan(n) };
  }

  private aggregate(n: CstNode): AggregateExpr {
    const c = n.children;
    const value = this.maybeNode(c, 'value');
    const where = this.maybeNode(c, 'where');
    const by = this.maybeToken(c, 'by');
    const distinct = this.maybeToken(c, 'distinct');
    return {
      ...(distinct ? { distinct: { name: distinct.image, span: this.tokenSpan(distinct) } } : {}),
      kind: 'aggregate', op: this.token(c, 'op').image as AggregateExpr['op'], span: this.nodeSpan(n),
      value: value ? this.logical(value) : undefined,
      where: where ? this.logical(where) : undefined,
      by: by ? { name: by.image, span: this.tokenSpan(by) } : undefined,
    };
  }

  private callOrName(n: CstNode): Expr {
    const c = n.children;
    const name = this.token(c, 'name');
    if (!c.call) return { kind: 'name', name: name.image, span: this.tokenSpan(name) };
    return {
      kind: 'call', callee: name.image, calleeSpan: this.tokenSpan(name), span: this.nodeSpan(n),
      args: this.nodes(c, 'args').map((a) => this.expression(a)),
    };
  }
}

function joined(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** `{name}` in a reason text: a value to fill in. */
const placeholderPattern = /\{([A-Za-z_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff][A-Za-z0-9_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]*)\}/g;

/** The text of a string literal: quotes removed, `\"`, `\\`, `\n` and `\t` unescaped. */
function unquote(image: string): string {
  return image.slice(1, -1).replace(/\\(["\\nt])/g, (_, ch: string) => (ch === 'n' ? '\n' : ch === 't' ? '\t' : ch));
}
