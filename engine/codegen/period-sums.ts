// A sum over the periods (`sum(min(cpd, yearly_cap))`, CheckedPolicy.periodSums) in generated
// code, as the interpreter's periodSum (compile-expr.ts) works it out: in a period's scope, the
// value there; in the cycle's, the value worked out in each period in turn — its totals, number
// and version, every cached let and measure stale on each move — and added up exactly.
//
// The value is a function of its own (`PS0`), run in whatever scope is current. For the cycle,
// the generated code points its totals (`TM`/`TS`, then variables rather than constants) at each
// period's in turn: the evaluation keeps every period's totals of the subject (`PTM`/`PTS`, by
// period) as it works the periods out, before the cycle, and says which periods the cycle has (`PK`).

import type { AggregateExpr } from '../../dsl/index.ts';
import { Emitter } from './emitter.ts';
import type { ExprGen } from './expr.ts';
import type { CV, Env } from './values.ts';

/** Generates the sums over the periods of one program. */
export class PeriodSums {
  /** The function of each sum (and loop key: a requirement's loop is unrolled), by expression. */
  private readonly fns = new Map<AggregateExpr, Map<string | undefined, { fn: string; m: string; s: string }>>();

  constructor(
    private readonly gen: ExprGen,
    private readonly names: { next: number },
  ) {}

  /** Whether the program has one (its totals are then variables). */
  get used(): boolean {
    return this.fns.size > 0;
  }

  /** `e` in the current scope: the value there in a period, the sum over the periods in the cycle. */
  emit(e: AggregateExpr, env: Env): CV {
    const v = this.valueFunction(e, env);
    const o = this.gen.out;
    const r = o.temp();
    const rs = o.temp();
    o.line(`let ${r} = 0, ${rs} = 0;`);
    o.block('if (PER === PER)', () => o.line(`${v.fn}(); ${r} = ${v.m}; ${rs} = ${v.s};`));
    o.block('else', () => {
      const tm = o.temp();
      const ts = o.temp();
      const ver = o.temp();
      const k = o.temp();
      o.line(`const ${tm} = TM, ${ts} = TS, ${ver} = VER;`);
      o.block('try', () => {
        const j = o.temp();
        // PK: the places of the cycle's periods (of a repeating cycle, the current cycle's).
        o.block(`for (let ${k} = 0; ${k} < PK.length; ${k}++)`, () => {
          o.line(`const ${j} = PK[${k}];`);
          o.line(`TM = PTM[${j}]; TS = PTS[${j}]; PER = PN[${j}]; VER = PVR[${j}]; STAMP++;`);
          o.line(`${v.fn}();`);
          o.line(`${r} = add(${r}, ${rs}, ${v.m}, ${v.s}); ${rs} = REG[0];`);
        });
      });
      o.block('finally', () => o.line(`TM = ${tm}; TS = ${ts}; PER = NaN; VER = ${ver}; STAMP++;`));
    });
    return { k: 'num', m: r, s: rs };
  }

  /** The function working out `e`'s value in the current scope, written once per loop key. */
  private valueFunction(e: AggregateExpr, env: Env): { fn: string; m: string; s: string } {
    let byKey = this.fns.get(e);
    if (!byKey) this.fns.set(e, (byKey = new Map()));
    const known = byKey.get(env.loop);
    if (known) return known;
    const gen = this.gen;
    const made = { fn: `PS${this.names.next++}`, m: `v${this.names.next++}`, s: `v${this.names.next++}` };
    byKey.set(env.loop, made);
    const saved = gen.out;
    const body = new Emitter(this.names, 1);
    gen.out = body;
    try {
      const n = gen.num(gen.strict(e.value!, { scope: 'totals', loop: env.loop }));
      body.line(`${made.m} = ${n.m}; ${made.s} = ${n.s};`);
    } finally {
      gen.out = saved;
    }
    gen.decls.push(`let ${made.m} = 0, ${made.s} = 0;`);
    gen.functions.push(`function ${made.fn}() {\n${body.text()}\n}`);
    return made;
  }
}
