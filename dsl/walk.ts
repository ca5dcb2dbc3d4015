// Visiting every expression of a rules program, for passes that must see all of them.

import { assertNever, type Expr, type Statement } from './ast.ts';

/** The direct sub-expressions of an expression. */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'number': case 'string': case 'bool': case 'date': case 'name': return [];
    case 'unary': return [e.operand];
    case 'binary': return [e.left, e.right];
    case 'between': return [e.value, e.low, e.high];
    case 'presence': return [e.value];
    case 'in': return [e.value, ...e.items];
    case 'if': return [e.cond, e.then, e.otherwise];
    case 'index': return [e.target, e.key];
    case 'member': return [e.target];
    case 'call': return e.args;
    case 'aggregate': return [...(e.value ? [e.value] : []), ...(e.where ? [e.where] : [])];
    default: return assertNever(e);
  }
}

/** The top-level expressions of a statement (outcome placeholders included). */
export function statementExprs(s: Statement): readonly Expr[] {
  switch (s.kind) {
    case 'let': case 'measure': return [s.value];
    case 'outcome': return [s.when, ...s.placeholders];
    case 'require': return [...(s.when ? [s.when] : []), s.body];
    default: return assertNever(s);
  }
}

/** Calls `visit` on `e` and every expression below it, parents first. */
export function forEachExpr(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  for (const c of children(e)) forEachExpr(c, visit);
}

/** Depth of an expression tree, measured without recursion (so a pathological tree cannot overflow the stack here). */
export function exprDepth(root: Expr): number {
  let max = 0;
  const stack: [Expr, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [e, d] = stack.pop()!;
    if (d > max) max = d;
    for (const c of children(e)) stack.push([c, d + 1]);
  }
  return max;
}
