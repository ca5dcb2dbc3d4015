// `previous(m)` / `previous(m, default)` in generated code (CheckedPolicy.previousCalls), as the
// interpreter's previousValue (compile-expr.ts): measure m's value in the subject's previous
// cycle of a repeating cycle; in the first cycle, the default (zero when none is written). The
// evaluation leaves the previous cycle's measures in `PRM`/`PRS` after each cycle it works out
// through the generated code, and says in `PST[0]` whether there is one (FastPath.beginCycle). A
// previous value the subject lacked never reaches here: such a cycle is worked out by the
// interpreter, and so is every cycle after it.

import type { Expr } from '../../dsl/index.ts';
import type { ExprGen } from './expr.ts';
import { Unsupported, type CV, type Env } from './values.ts';

/** `e`, a call of previous on measure `m` (`quotient`: whether m is written as a division). */
export function emitPrevious(gen: ExprGen, e: Extract<Expr, { kind: 'call' }>, m: number, quotient: boolean, env: Env): CV {
  // A quotient's value is its division, rounded as Decimal rounds it: left to the interpreter.
  if (quotient) throw new Unsupported('previous(…) of a quotient');
  const o = gen.out;
  const r = o.temp();
  const rs = o.temp();
  o.line(`let ${r} = 0, ${rs} = 0;`);
  o.block('if (PST[0] === 0)', () => {
    const fallback = e.args[1];
    if (!fallback) return;
    const n = gen.num(gen.strict(fallback, env));
    o.line(`${r} = ${n.m}; ${rs} = ${n.s};`);
  });
  o.block('else', () => o.line(`${r} = PRM[${m}]; ${rs} = PRS[${m}];`));
  return { k: 'num', m: r, s: rs };
}
