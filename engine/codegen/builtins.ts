// Built-in function calls of the checked policy → JavaScript (see expr.ts for how values are
// held). Each gives exactly what engine/builtins.ts gives, or throws OVERFLOW (runtime.ts) so the
// interpreter takes over: a date that would leave the four-digit years, a rounding that would not
// be exact in doubles.

import type { CV } from './expr.ts';
import { Unsupported } from './expr.ts';
import type { Emitter } from './emitter.ts';
import type { NumParts } from './numbers.ts';

/** How the caller turns an argument into a date (YYYYMMDD) or a number's parts. */
export interface ArgForms {
  date(cv: CV): string;
  num(cv: CV): NumParts;
}

/** Writes the call of built-in `callee` on `args`; returns its value. */
export function emitBuiltin(o: Emitter, callee: string, args: readonly CV[], v: ArgForms): CV {
  const t = o.temp();
  switch (callee) {
    case 'year':
      o.line(`const ${t} = Math.floor(${v.date(args[0]!)} / 10000);`);
      return { k: 'num', m: t, s: '0' };
    case 'month':
      o.line(`const ${t} = Math.floor(${v.date(args[0]!)} / 100) % 100;`);
      return { k: 'num', m: t, s: '0' };
    case 'day':
      o.line(`const ${t} = ${v.date(args[0]!)} % 100;`);
      return { k: 'num', m: t, s: '0' };
    case 'days_between':
      o.line(`const ${t} = daysBetween(${v.date(args[0]!)}, ${v.date(args[1]!)});`);
      return { k: 'num', m: t, s: '0' };
    case 'add_months':
    case 'add_years': {
      const d = v.date(args[0]!);
      const n = v.num(args[1]!);
      o.line(`const ${t} = ${callee === 'add_years' ? 'addYears' : 'addMonths'}(${d}, roundWhole(${n.m}, ${n.s}));`);
      return { k: 'code', v: t, dom: 'date' };
    }
    case 'round':
    case 'floor':
    case 'ceil': {
      const x = v.num(args[0]!);
      const places = v.num(args[1]!);
      const ts = o.temp();
      const mode = callee === 'round' ? 0 : callee === 'floor' ? 1 : 2;
      o.line(`const ${t} = roundTo(${x.m}, ${x.s}, ${places.m}, ${mode}), ${ts} = REG[0];`);
      return { k: 'num', m: t, s: ts };
    }
    case 'min':
    case 'max': {
      const a = v.num(args[0]!);
      const b = v.num(args[1]!);
      const c = o.temp();
      const ts = o.temp();
      // a.min(b) is a on ties, and so is a.max(b).
      const pick = callee === 'min' ? `${c} <= 0` : `${c} >= 0`;
      o.line(`const ${c} = cmp(${a.m}, ${a.s}, ${b.m}, ${b.s}), ${t} = ${pick} ? ${a.m} : ${b.m}, ${ts} = ${pick} ? ${a.s} : ${b.s};`);
      // More than two: folded from the left, as the interpreter does.
      if (args.length > 2) return emitBuiltin(o, callee, [{ k: 'num', m: t, s: ts }, ...args.slice(2)], v);
      return { k: 'num', m: t, s: ts };
    }
    default:
      throw new Unsupported(`built-in ${callee}`);
  }
}
