// The AST: plain readonly data produced by cst-to-ast.ts (rules) and policy-file.ts (YAML parts).
// Every node carries a span into the file the officer edits.

import type { Span } from './source.ts';

/** Arithmetic, comparison and logical operators of the rule language. */
export type BinaryOp = '+' | '-' | '*' | '/' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

/** Comparison operators: the only ones a requirement's body may use at its top. */
export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** An expression of the rule language. Expressions have no side effects and always terminate. */
export type Expr =
  | NumberLit
  | StringLit
  | BoolLit
  | DateLit
  | NameRef
  | UnaryExpr
  | BinaryExpr
  | BetweenExpr
  | PresenceExpr
  | InExpr
  | IfExpr
  | IndexExpr
  | MemberExpr
  | CallExpr
  | AggregateExpr;

/** A decimal literal; `60%` is stored as text `60` with `percent: true` and means 0.6. */
export interface NumberLit {
  readonly kind: 'number';
  readonly text: string;
  readonly percent: boolean;
  readonly span: Span;
}

/** A double-quoted text literal. */
export interface StringLit {
  readonly kind: 'string';
  readonly value: string;
  readonly span: Span;
}

/** `true` or `false`. */
export interface BoolLit {
  readonly kind: 'bool';
  readonly value: boolean;
  readonly span: Span;
}

/**
 * A date, written `YYYY-MM-DD` (`2019-01-01`). The lexer takes only that shape; the checker
 * rejects one that is not a real calendar date (`bad-date`).
 */
export interface DateLit {
  readonly kind: 'date';
  readonly value: string;
  readonly span: Span;
}

/**
 * A bare name: a field, parameter, setting, table, let, measure, loop variable or built-in; or,
 * where compared with an enumerated value, one of that enumeration's members (`kind == training`).
 */
export interface NameRef {
  readonly kind: 'name';
  readonly name: string;
  readonly span: Span;
}

/** `-x` or `not x`. */
export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: '-' | 'not';
  readonly operand: Expr;
  readonly span: Span;
}

/** `left op right`. */
export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

/** `value between low and high`, inclusive at both ends. */
export interface BetweenExpr {
  readonly kind: 'between';
  readonly value: Expr;
  readonly low: Expr;
  readonly high: Expr;
  readonly span: Span;
}

/** `value is present` / `value is missing`: the only operations that accept a missing value. */
export interface PresenceExpr {
  readonly kind: 'presence';
  readonly value: Expr;
  readonly present: boolean;
  readonly span: Span;
}

/** `value in [a, b, c]`. */
export interface InExpr {
  readonly kind: 'in';
  readonly value: Expr;
  readonly items: readonly Expr[];
  readonly span: Span;
}

/** `if cond then a else b`. */
export interface IfExpr {
  readonly kind: 'if';
  readonly cond: Expr;
  readonly then: Expr;
  readonly otherwise: Expr;
  readonly span: Span;
}

/** `table[key]` (a keyed table's row) or `group[key]` (one group of a grouped sum). */
export interface IndexExpr {
  readonly kind: 'index';
  readonly target: Expr;
  readonly key: Expr;
  readonly span: Span;
}

/** `row.column`: a column of a table row or band. */
export interface MemberExpr {
  readonly kind: 'member';
  readonly target: Expr;
  readonly name: string;
  readonly nameSpan: Span;
  readonly span: Span;
}

/** `f(args)`: a built-in function, or a banded table used as a lookup (`grade(score)`). */
export interface CallExpr {
  readonly kind: 'call';
  readonly callee: string;
  readonly calleeSpan: Span;
  readonly args: readonly Expr[];
  readonly span: Span;
}

/**
 * `sum(value where cond by field)` or `count(where cond by field)`: a total over the records of one
 * subject in the scope of the enclosing requirement or measure (one period, or the whole cycle).
 */
export interface AggregateExpr {
  readonly kind: 'aggregate';
  readonly op: 'sum' | 'count';
  readonly value: Expr | undefined;
  readonly where: Expr | undefined;
  readonly by: { readonly name: string; readonly span: Span } | undefined;
  /**
   * `count(distinct field where cond)`: counts the different values of a record field (present
   * ones) among the records where `cond` holds, rather than the records.
   */
  readonly distinct?: { readonly name: string; readonly span: Span };
  readonly span: Span;
}

/** `@cite("…")` and `@note("…")` lines above a statement. */
export interface Annotations {
  readonly cites: readonly string[];
  readonly notes: readonly string[];
}

interface StatementBase extends Annotations {
  /** The statement's stable id: forks override and diffs match statements by it. */
  readonly id: string;
  readonly idSpan: Span;
  readonly span: Span;
}

/** `let id [: unit] = expr`: a derived value, per record or per subject. */
export interface LetStmt extends StatementBase {
  readonly kind: 'let';
  readonly unit: UnitAnnotation | undefined;
  readonly value: Expr;
}

/** A unit written in the rules, e.g. `credit/hour`. */
export interface UnitAnnotation {
  readonly text: string;
  readonly span: Span;
}

/**
 * What happens to a record when `when` holds:
 * - `reject`: invalid input, listed with its line and reason;
 * - `exclude`: outside the policy's scope, counted apart;
 * - `disregard`: evaluated, but it counts for nothing.
 */
export type Outcome = 'reject' | 'exclude' | 'disregard';

/**
 * `reject|exclude|disregard id when cond because "reason"`. The reason may name values in
 * braces — `"rate {rate} is outside {rate_min}–{rate_max}"` — filled in per record.
 */
export interface OutcomeStmt extends StatementBase {
  readonly kind: 'outcome';
  readonly outcome: Outcome;
  readonly when: Expr;
  readonly reason: string;
  readonly reasonSpan: Span;
  /** The `{name}` placeholders of the reason, in order, as name references. */
  readonly placeholders: readonly NameRef[];
}

/** `measure id = expr`: a named total reported per period and per cycle. */
export interface MeasureStmt extends StatementBase {
  readonly kind: 'measure';
  readonly label: string | undefined;
  /** Where the label is written (the quoted text). */
  readonly labelSpan?: Span;
  /**
   * `measure id: unit = …`: the measure's unit. A count (or another plain number) takes it —
   * `measure feedback: item = count(where …)` compares with a parameter in items; a value in
   * another unit is a unit-mismatch.
   */
  readonly unit?: UnitAnnotation;
  readonly value: Expr;
}

/**
 * The scope a requirement is checked in: each period of the cycle, the cycle as a whole, or each
 * window of `n` consecutive periods of the cycle (`per 3 periods`; see RequireStmt.window).
 */
export type RequirementScope = 'period' | 'cycle' | 'window';

/** `require id "label" per period|cycle|N periods [for k in table] [when cond]: actual op required`. */
export interface RequireStmt extends StatementBase {
  readonly kind: 'require';
  /** `中文 / English`; `{name}` and `{table[key].column}` in it are filled with the values in force (labels.ts). */
  readonly label: string | undefined;
  /** Where the label is written (the quoted text). */
  readonly labelSpan?: Span;
  readonly scope: RequirementScope;
  /** The scope's word (`period`, `cycle`, or `periods` after a window's size). */
  readonly scopeSpan: Span;
  /**
   * `per N periods`: the window's size as written (the checker takes a whole number from 2 to
   * the cycle's periods, `bad-window`) and where; the scope is then `window`.
   */
  readonly window?: { readonly text: string; readonly span: Span };
  readonly loop: { readonly variable: string; readonly table: string; readonly span: Span } | undefined;
  readonly when: Expr | undefined;
  readonly body: Expr;
}

/** A statement of the rules section. */
export type Statement = LetStmt | OutcomeStmt | MeasureStmt | RequireStmt;

/** The parsed rules section of a policy. */
export interface RuleProgram {
  readonly statements: readonly Statement[];
  readonly span: Span;
}

/** Exhaustiveness guard for switches over discriminated unions. */
export function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`);
}
