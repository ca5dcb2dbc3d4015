// A check that runs before the rule checks: definitions (lets and measures) refer to each other,
// and both the checker and the compiled rules follow those references recursively. A cycle, or a
// chain of definitions nested deeper than the stack allows, is reported here, without recursion,
// so that the later passes only ever see chains they can follow.

import type { Expr, Statement } from './ast.ts';
import type { DiagnosticBag } from './diagnostics.ts';
import { children, exprDepth, statementExprs } from './walk.ts';

/**
 * Deepest evaluation, counting each expression's own depth plus that of the definitions it uses:
 * far beyond what a person writes, well within what the checker and the compiled rules can
 * follow on the stack.
 */
const MAX_EVALUATION_DEPTH = 1000;

/**
 * The definitions an expression refers to, gathered without recursion, following the checker's
 * scoping: measures are visible only outside `sum(…)`/`count(…)` of a measure's body (inside,
 * names are per record, where a measure's name may well be a field's), lets everywhere.
 */
function definitionsUsed(root: Expr, totals: boolean, lets: ReadonlyMap<string, number>, measures: ReadonlyMap<string, number>): Set<number> {
  const used = new Set<number>();
  const stack: [Expr, boolean][] = [[root, totals]];
  while (stack.length > 0) {
    const [e, inTotals] = stack.pop()!;
    if (e.kind === 'name') {
      const i = (inTotals ? measures.get(e.name) : undefined) ?? lets.get(e.name);
      if (i !== undefined) used.add(i);
    }
    const childTotals = inTotals && e.kind !== 'aggregate';
    // previous(m, …) reads m in the previous cycle: not a use of m in this one (a measure may
    // carry its own excess forward). Its default is an ordinary use.
    const kids = e.kind === 'call' && e.callee === 'previous' ? e.args.slice(1) : children(e);
    for (const c of kids) stack.push([c, childTotals]);
  }
  return used;
}

/**
 * Reports cycles among lets and measures (`cyclic-definition`) and chains of definitions too deep
 * to follow (`too-deep`). Returns false when it reported anything: the rule checks must not run.
 */
export function checkDefinitionDepth(statements: readonly Statement[], bag: DiagnosticBag): boolean {
  const defs = statements.filter((s) => s.kind === 'let' || s.kind === 'measure');
  const lets = new Map(defs.flatMap((d, i) => (d.kind === 'let' ? [[d.id, i] as const] : [])));
  const measures = new Map(defs.flatMap((d, i) => (d.kind === 'measure' ? [[d.id, i] as const] : [])));
  const own = defs.map((d) => Math.max(...statementExprs(d).map(exprDepth)));
  const uses = defs.map((d) => {
    const out = new Set<number>();
    for (const e of statementExprs(d)) for (const i of definitionsUsed(e, d.kind === 'measure', lets, measures)) out.add(i);
    return [...out];
  });
  // Kahn's algorithm: a definition's depth is known once the depths of all it uses are.
  const usedBy: number[][] = defs.map(() => []);
  const waiting = uses.map((u) => u.length);
  uses.forEach((u, i) => u.forEach((j) => usedBy[j]!.push(i)));
  const depth: number[] = defs.map(() => 0);
  const ready = defs.flatMap((_, i) => (waiting[i] === 0 ? [i] : []));
  while (ready.length > 0) {
    const i = ready.pop()!;
    depth[i] = own[i]! + Math.max(0, ...uses[i]!.map((j) => depth[j]!));
    for (const k of usedBy[i]!) if (--waiting[k]! === 0) ready.push(k);
  }
  let ok = true;
  const unresolved = new Set(defs.flatMap((_, i) => (waiting[i]! > 0 ? [i] : [])));
  // Of the definitions left over, those no other leftover uses are downstream of a cycle, not on
  // it: peel them off, so that only the cycles themselves are reported.
  for (let changed = true; changed; ) {
    changed = false;
    for (const i of unresolved) {
      if (!usedBy[i]!.some((k) => unresolved.has(k))) {
        unresolved.delete(i);
        changed = true;
      }
    }
  }
  for (const i of unresolved) {
    const d = defs[i]!;
    ok = false;
    bag.error('cyclic-definition', d.idSpan, `'${d.id}' is defined in terms of itself`, `'${d.id}' 的定义直接或间接引用了自身`,
      'a value may not depend on itself: break the cycle');
  }
  const deepest = (i: number) => depth[i]! > MAX_EVALUATION_DEPTH;
  for (let i = 0; i < defs.length; i++) {
    if (waiting[i] === 0 && deepest(i)) {
      ok = false;
      bag.error('too-deep', defs[i]!.idSpan, `'${defs[i]!.id}' builds on a chain of definitions too deep to evaluate safely`,
        `'${defs[i]!.id}' 所依赖的定义链过深，无法安全求值`, 'shorten the chain: combine some of the lets it builds on');
      break; // one is enough: the others in the chain say the same
    }
  }
  return ok;
}
