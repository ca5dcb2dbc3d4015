// Printing the AST back as rule-language text: for tests (parse → print → parse round trips,
// precedence made visible), and for the editor and policy diffs. Pure: no Node APIs.
//
// Expressions print fully parenthesised: every operator node (unary, binary, between, is
// present/missing, in, if) is wrapped in parentheses, so the output shows exactly how the parser
// grouped the input and re-parses to the same tree whatever the precedence rules are.

import { assertNever, type AggregateExpr, type Expr, type RuleProgram, type Statement } from './ast.ts';

/** Node kinds that print wrapped in parentheses. */
const WRAPPED: ReadonlySet<Expr['kind']> = new Set<Expr['kind']>(['unary', 'binary', 'between', 'presence', 'in', 'if']);

/**
 * A text as a rule-language string literal: in double quotes, with `"`, `\`, line feed and tab
 * escaped as `\"`, `\\`, `\n` and `\t` (the escapes the lexer knows). A carriage return has no
 * escape in the language and is printed as is, which the lexer rejects.
 */
export function printString(value: string): string {
  const escaped = value.replace(/["\\\n\t]/g, (ch) => (ch === '\n' ? '\\n' : ch === '\t' ? '\\t' : `\\${ch}`));
  return `"${escaped}"`;
}

/**
 * An expression as rule-language text, fully parenthesised: `a + b * c` prints as
 * `(a + (b * c))`, `not a and b` as `((not a) and b)`. Names, literals, calls, look-ups and
 * aggregates print without parentheses of their own. Parsing the result gives back the same tree
 * (spans aside).
 */
export function printExpr(e: Expr): string {
  const text = printBare(e);
  return WRAPPED.has(e.kind) ? `(${text})` : text;
}

/** An expression without the parentheses around its outermost operator (children keep theirs). */
export function printBare(e: Expr): string {
  switch (e.kind) {
    case 'number': return e.percent ? `${e.text}%` : e.text;
    case 'string': return printString(e.value);
    case 'bool': return e.value ? 'true' : 'false';
    case 'date': return e.value;
    case 'name': return e.name;
    case 'unary': return e.op === 'not' ? `not ${printExpr(e.operand)}` : `-${printExpr(e.operand)}`;
    case 'binary': return `${printExpr(e.left)} ${e.op} ${printExpr(e.right)}`;
    case 'between': return `${printExpr(e.value)} between ${printExpr(e.low)} and ${printExpr(e.high)}`;
    case 'presence': return `${printExpr(e.value)} is ${e.present ? 'present' : 'missing'}`;
    case 'in': return `${printExpr(e.value)} in [${e.items.map(printExpr).join(', ')}]`;
    case 'if': return `if ${printExpr(e.cond)} then ${printExpr(e.then)} else ${printExpr(e.otherwise)}`;
    // A compound target is already parenthesised, so the suffix binds to all of it.
    case 'index': return `${printExpr(e.target)}[${printExpr(e.key)}]`;
    case 'member': return `${printExpr(e.target)}.${e.name}`;
    case 'call': return `${e.callee}(${e.args.map(printExpr).join(', ')})`;
    case 'aggregate': return printAggregate(e);
    default: return assertNever(e);
  }
}

function printAggregate(e: AggregateExpr): string {
  const parts: string[] = [];
  if (e.distinct) parts.push(`distinct ${e.distinct.name}`);
  if (e.value) parts.push(printExpr(e.value));
  if (e.where) parts.push(`where ${printExpr(e.where)}`);
  if (e.by) parts.push(`by ${e.by.name}`);
  return `${e.op}(${parts.join(' ')})`;
}

/**
 * A statement in the concrete syntax: its `@cite("…")` lines, then its `@note("…")` lines, then
 * the statement on one line. The statement's own expressions print without their outermost
 * parentheses (`let x = a + (b * c)`), their parts fully parenthesised as in {@link printExpr}.
 */
export function printStatement(s: Statement): string {
  const lines = [...s.cites.map((c) => `@cite(${printString(c)})`), ...s.notes.map((n) => `@note(${printString(n)})`)];
  lines.push(printStatementLine(s));
  return lines.join('\n');
}

function printStatementLine(s: Statement): string {
  switch (s.kind) {
    case 'let':
      return `let ${s.id}${s.unit ? `: ${s.unit.text}` : ''} = ${printBare(s.value)}`;
    case 'outcome':
      return `${s.outcome} ${s.id} when ${printBare(s.when)} because ${printString(s.reason)}`;
    case 'measure':
      return `measure ${s.id}${s.unit ? `: ${s.unit.text}` : ''}${s.label === undefined ? '' : ` ${printString(s.label)}`} = ${printBare(s.value)}`;
    case 'require': {
      const label = s.label === undefined ? '' : ` ${printString(s.label)}`;
      const loop = s.loop ? ` for ${s.loop.variable} in ${s.loop.table}` : '';
      const when = s.when ? ` when ${printBare(s.when)}` : '';
      const scope = s.window ? `${s.window.text} ${s.scope === 'window' ? 'periods' : s.scope}` : s.scope;
      return `require ${s.id}${label} per ${scope}${loop}${when}: ${printBare(s.body)}`;
    }
    default:
      return assertNever(s);
  }
}

/** A whole rules section: its statements, separated by blank lines, ending with a line break. */
export function printProgram(p: RuleProgram): string {
  return p.statements.length === 0 ? '' : `${p.statements.map(printStatement).join('\n\n')}\n`;
}
