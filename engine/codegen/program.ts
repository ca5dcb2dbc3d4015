// A whole program → one generated JavaScript factory: a function per record (its outcome rules,
// then each aggregate's contribution) and a function per scope of a subject's totals (its
// measures, then its requirements, loops unrolled over their table's keys). The generated code
// runs against typed arrays the evaluation fills; see FastProgram for how they are shared.
//
// Safe by construction: the source is made only of identifiers the generator chose, number
// literals and operators. Every text of the policy (names, messages, table keys) reaches the code
// as `K[i]`, an element of a constants array, so a policy cannot inject code (test/codegen.test.ts
// checks that the source holds no quote, no property access on anything but our own names).

import type { Expr } from '../../dsl/index.ts';
import type { Program } from '../compile.ts';
import { isQuotient } from '../compile.ts';
import { Emitter } from './emitter.ts';
import { ExprGen, Unsupported, type CV, type Env, type Layout } from './expr.ts';
import { compareCode } from './numbers.ts';
import { BIG_SCALE } from '../totals-store.ts';

/** The largest integer a double holds exactly, as the generated checks write it. */
const SAFE = Number.MAX_SAFE_INTEGER;

/** Largest generated source accepted: a policy that unrolls to more is interpreted. */
const MAX_SOURCE = 4 << 20;

/** Where each measure's value goes in the output arrays (a grouped measure has one slot per key). */
export interface OutputLayout {
  readonly slot: readonly number[];
  readonly width: number;
}

/** The generated source and the constants it refers to. */
export interface GeneratedProgram {
  readonly source: string;
  readonly constants: readonly unknown[];
  /** With Layout.pooled: the numbers the code reads as `N[i]` (else empty). */
  readonly numbers: readonly number[];
  readonly output: OutputLayout;
  /** The subject fields the code reads (the others' columns need not be kept). */
  readonly subjectFieldsRead: ReadonlySet<number>;
}

/** Output slot scale marking a quotient, whose numerator and denominator follow in the slot. */
export const QUOTIENT_SLOT = -3;

/**
 * Numbers per output slot of a scope (CompiledSubjectResult): mantissa, scale, and a quotient's
 * numerator and denominator (mantissa, scale each).
 */
export const SLOT_WIDTH = 6;

function outputLayout(program: Program): OutputLayout {
  const slot: number[] = [];
  let width = 0;
  for (const m of program.measures) {
    slot.push(width);
    width += m.grouped ? m.keys.length : 1;
  }
  return { slot, width };
}

/**
 * Generates the program's factory, or throws Unsupported for a shape the generator does not take
 * (the caller then interprets the whole program).
 */
export function generateProgram(program: Program, layout: Layout): GeneratedProgram {
  // Shapes of the language the generator leaves to the interpreter (README "Which path runs").
  // A requirement over a window (`per N periods`) is checked by a function per N (FastPath.windows
  // runs it over each window's totals); a window's violation is reported by the interpreter.
  // A repeating cycle's scopes (a calendar one's or a cycle per subject's) are generated as any
  // others; the evaluation runs them cycle by cycle, the cycle before's measures at hand for
  // previous(m) (codegen/previous.ts), each subject's own days named where it has a window.
  if (program.cycles === undefined && program.checked.previousCalls.size > 0) throw new Unsupported('previous(…) without a repeating cycle');
  const names = { next: 0 };
  const gen = new ExprGen(program, layout, names);
  const output = outputLayout(program);
  const fns: string[] = [];

  // ── Per record: outcomes in order, then each aggregate's contribution ──────────────────────
  // Lets are written out inline (once per record, where first needed) unless that makes the
  // function too large, in which case they are called.
  const inlined = recordFunction(program, layout, gen, names, true);
  fns.push(inlined.length <= MAX_INLINED_RECORD ? inlined : recordFunction(program, layout, gen, names, false));

  // ── Per scope: measures into the output arrays, then the requirements ───────────────────────
  for (const scope of ['period', 'cycle'] as const) {
    const out = new Emitter(names, 2);
    gen.out = out;
    const env: Env = { scope: 'totals', loop: undefined };
    program.checked.measures.forEach((m, j) => {
      const o = output.slot[j]!;
      const compiled = program.measures[j]!;
      if (compiled.quotient && isQuotient(m.stmt.value)) {
        const num = gen.num(gen.strict(m.stmt.value.left, env));
        const den = gen.num(gen.strict(m.stmt.value.right, env));
        const at = o * SLOT_WIDTH;
        out.line(`NO[NB + ${at + 1}] = ${QUOTIENT_SLOT}; NO[NB + ${at + 2}] = ${num.m}; NO[NB + ${at + 3}] = ${num.s}; NO[NB + ${at + 4}] = ${den.m}; NO[NB + ${at + 5}] = ${den.s};`);
        return;
      }
      // Read through the measure's own function, as any other reference to it.
      const value: CV = gen.measureValue(j, env);
      if (value.k === 'group') {
        for (let k = 0; k < compiled.keys.length; k++) out.line(`NO[NB + ${(o + k) * SLOT_WIDTH}] = TM[${value.base + k}]; NO[NB + ${(o + k) * SLOT_WIDTH + 1}] = TS[${value.base + k}];`);
        return;
      }
      const n = gen.num(value);
      out.line(`NO[NB + ${o * SLOT_WIDTH}] = ${n.m}; NO[NB + ${o * SLOT_WIDTH + 1}] = ${n.s};`);
    });
    emitRequirements(program, gen, out, (ri) => program.requirements[ri]!.scope === scope);
    const head = scope === 'period'
      ? 'function periodScope(subject, period, version) {\n  si = subject; PER = period; VER = version; STAMP++;'
      : 'function cycleScope(subject, version) {\n  si = subject; PER = NaN; VER = version; STAMP++;';
    fns.push(`${head}\n${out.text()}\n}`);
  }

  // ── Per window of `per N periods` requirements, one function per N (in the interpreter's order,
  // by first appearance): its requirements only, no measures out (FastPath.windows) ───────────
  const sizes = windowSizes(program);
  sizes.forEach((size, n) => {
    const out = new Emitter(names, 2);
    gen.out = out;
    emitRequirements(program, gen, out, (ri) => program.requirements[ri]!.scope === 'window' && program.requirements[ri]!.window === size);
    fns.push(`function WS${n}(subject, version) {\n  si = subject; PER = NaN; VER = version; STAMP++;\n${out.text()}\n}`);
  });

  const subjectColumns = program.subjectFields.map((_, i) => `const SM${i} = rt.SM[${i}], SS${i} = rt.SS[${i}], SC${i} = rt.SC[${i}], ST${i} = rt.ST[${i}];`);
  const source = [
    "'use strict';",
    'const { add, sub, mul, div, cmp, roundWhole, roundTo, addMonths, addYears, daysBetween, addTotal, missing, overflow, REG, MISSING } = rt.helpers;',
    'const K = rt.K, RM = rt.RM, RS = rt.RS, RC = rt.RC, RT = rt.RT, P10 = rt.P10;',
    ...(layout.pooled ? ['const N = rt.N;'] : []),
    // A sum over the periods points the totals at each period's in turn (see PeriodSums).
    gen.periodSums.used
      ? 'let TM = rt.TM, TS = rt.TS; const PTM = rt.PTM, PTS = rt.PTS, PN = rt.PN, PVR = rt.PVR, PK = rt.PK;'
      : 'const TM = rt.TM, TS = rt.TS;',
    'const ADD = rt.ADD, DV = rt.DV, V = rt.V, VM = rt.VM, VC = rt.VC;',
    // A scope's measures go straight into the subject's result numbers (CompiledSubjectResult),
    // at NB: set by OUT before each scope.
    'let NO = null, NB = 0;',
    ...(layout.observe ? ['const CK = rt.CK, CM = rt.CM, CS = rt.CS;'] : []),
    ...(program.checked.previousCalls.size > 0 ? ['const PST = rt.PST, PRM = rt.PRM, PRS = rt.PRS;'] : []),
    ...subjectColumns,
    // ST: the outcome or aggregate running (outcomes numbered first), for a value it lacks. A
    // variable, not a typed array, so storing it does not make the record's slots be read again.
    'let si = 0, PER = NaN, VER = 0, STAMP = 0, ST = 0;',
    ...gen.decls,
    ...gen.functions,
    ...fns,
    'function OUT(x, o) { NO = x; NB = o; }',
    `return { record, periodScope, cycleScope, OUT, windowScopes: [${sizes.map((_, n) => `WS${n}`).join(', ')}], stage: () => ST };`,
  ].join('\n');
  if (source.length > MAX_SOURCE) throw new Unsupported(`generated program of ${source.length} characters`);
  return { source, constants: gen.constants, numbers: gen.numbers, output, subjectFieldsRead: gen.subjectFieldsRead };
}

/** The sizes of the program's windows (`per N periods`), in order of first appearance. */
export function windowSizes(program: Program): number[] {
  const sizes: number[] = [];
  for (const r of program.requirements) if (r.scope === 'window' && !sizes.includes(r.window!)) sizes.push(r.window!);
  return sizes;
}

/**
 * The checks of the requirements `take` chooses (by index), into `out`, each loop key unrolled:
 * a violation (V, VC) where one does not hold, VM where one needs a missing value.
 */
function emitRequirements(program: Program, gen: ExprGen, out: Emitter, take: (ri: number) => boolean): void {
  program.checked.requirements.forEach((r, ri) => {
    if (!take(ri)) return;
    const keys = r.loopTable?.rows.map((row) => row.key) ?? [undefined];
    keys.forEach((key, ki) => {
      const kenv: Env = { scope: 'totals', loop: key };
      const ex = out.temp();
      out.block('try', () => {
        const check = r.condition ? () => checkCondition(gen, out, r.condition!, ri, ki, kenv) : () => {
          const a = gen.num(gen.strict(r.body.left, kenv));
          const b = gen.num(gen.strict(r.body.right, kenv));
          const op = r.body.op === '==' ? '===' : r.body.op === '!=' ? '!==' : (r.body.op as '<' | '<=' | '>' | '>=');
          out.line(`if (!${compareCode(a, b, op)}) V(${ri}, ${ki}, ${a.m}, ${a.s}, ${b.m}, ${b.s});`);
        };
        if (r.stmt.when) out.block(`if (${gen.bool(gen.strict(r.stmt.when, kenv))})`, check);
        else check();
      });
      out.block(`catch (${ex})`, () => {
        out.line(`if (${ex} !== MISSING) throw ${ex};`);
        out.line(`VM(${ri}, ${ki}, REG[1]);`);
      });
    });
  });
}

/** Most parts of a yes/no requirement a violation names as a bit mask (more: interpreted). */
const MAX_PARTS = 30;

/**
 * A yes/no requirement (CheckedRequirement.condition): nothing when its condition holds; else a
 * violation (VC) naming, as a bit mask, each part (operand of a top-level `and`) that does not
 * hold, a part that needs a missing value counting as one that does not — as the interpreter's
 * checkCondition. The condition as a whole needing a missing value throws, as any check.
 */
function checkCondition(gen: ExprGen, out: Emitter, condition: Expr, ri: number, ki: number, env: Env): void {
  const parts = conjuncts(condition);
  if (parts.length > MAX_PARTS) throw new Unsupported(`a yes/no requirement of ${parts.length} parts`);
  const held = gen.bool(gen.strict(condition, env));
  out.block(`if (!${held})`, () => {
    const mask = out.temp();
    out.line(`let ${mask} = 0;`);
    parts.forEach((part, pi) => {
      const ex = out.temp();
      out.block('try', () => {
        const ok = gen.bool(gen.strict(part, env));
        out.line(`if (!${ok}) ${mask} |= ${1 << pi};`);
      });
      out.block(`catch (${ex})`, () => {
        out.line(`if (${ex} !== MISSING) throw ${ex};`);
        out.line(`${mask} |= ${1 << pi};`);
      });
    });
    out.line(`VC(${ri}, ${ki}, ${mask});`);
  });
}

/** The operands of a top-level chain of `and`, in order (compile.ts names them so). */
function conjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/** Largest per-record function written with its lets inline (a policy past it gets calls). */
const MAX_INLINED_RECORD = 256 * 1024;

/** The per-record function's source: outcomes in order, then each aggregate's contribution. */
function recordFunction(program: Program, layout: Layout, gen: ExprGen, names: { next: number }, inline: boolean): string {
  const rec = new Emitter(names, 2);
  gen.out = rec;
  if (inline) gen.beginInline();
  const recordEnv: Env = { scope: 'record', loop: undefined };
  program.checked.outcomes.forEach((o, i) => {
    rec.line(`ST = ${i};`);
    const test = gen.bool(gen.strict(o.when, recordEnv));
    rec.line(`if (${test}) return ${i};`);
  });
  // Each aggregate's contribution into locals: nothing is added before every one is known, so a
  // record stopped by a missing value or an overflow has added nothing.
  program.aggregateNodes.forEach((a, i) => {
    rec.line(`ST = ${program.checked.outcomes.length + i};`);
    rec.line(`let c${i}m = 0, c${i}s = 0, c${i}on = false;`);
    const body = () => {
      if (a.value) {
        const v = gen.num(gen.strict(a.value, recordEnv));
        rec.line(`c${i}m = ${v.m}; c${i}s = ${v.s}; c${i}on = true;`);
      } else rec.line(`c${i}m = 1; c${i}on = true;`);
    };
    if (a.where) rec.block(`if (${gen.bool(gen.strict(a.where, recordEnv))})`, body);
    else body();
  });
  // Then into the subject's totals of the record's scope (M, S from offset o; see TotalsStore).
  // addTotal says false when the sum leaves the fast form, and the evaluation adds it exactly.
  program.aggregateNodes.forEach((_, i) => {
    if (program.aggregates[i]!.distinct !== undefined) {
      // A distinct count is a set of values, kept by the evaluation: it is told the record counts.
      rec.line(`if (c${i}on) DV(${i});`);
      if (layout.observe) rec.line(`CK[${i}] = -1;`);
      return;
    }
    const slot = layout.aggregateSlot[i]!;
    const by = program.aggregates[i]!.by;
    // A record with no group (its field is empty) adds to none: it still counts elsewhere.
    const when = by === undefined ? `c${i}on && c${i}m !== 0` : `c${i}on && c${i}m !== 0 && RC[${by}] >= 0`;
    const at = by === undefined ? `${slot}` : `${slot} + RC[${by}]`;
    rec.block(`if (${when})`, () => {
      rec.line(`const k = o + ${at};`);
      if (layout.observe) rec.line(`CK[${i}] = ${at}; CM[${i}] = c${i}m; CS[${i}] = c${i}s;`);
      // All three cases of TotalsStore's fast form are written out — the total's scale that of the
      // contribution, finer (the contribution is raised to it), or coarser (the total is) — since
      // the engine would not inline a call into so large a function. r stays NaN when a product
      // leaves the safe integers; then, or when the slot holds a Decimal, the call decides.
      rec.line(`const ts = S[k];`);
      rec.line(`let r = NaN, rs = ts;`);
      rec.line(`if (ts === c${i}s) r = M[k] + c${i}m;`);
      rec.block(`else if (ts !== ${BIG_SCALE})`, () => {
        rec.block(`if (ts > c${i}s)`, () => {
          rec.line(`const a = c${i}m * P10[ts - c${i}s];`);
          rec.line(`if (a <= ${SAFE} && a >= -${SAFE}) r = M[k] + a;`);
        });
        rec.block('else', () => {
          rec.line(`const a = M[k] * P10[c${i}s - ts];`);
          rec.line(`if (a <= ${SAFE} && a >= -${SAFE}) { r = a + c${i}m; rs = c${i}s; }`);
        });
      });
      rec.line(`if (r <= ${SAFE} && r >= -${SAFE}) { M[k] = r; S[k] = rs; }`);
      rec.line(`else if (!addTotal(M, S, k, c${i}m, c${i}s)) ADD(${at}, c${i}m, c${i}s);`);
    });
    if (layout.observe) rec.line(`else CK[${i}] = -1;`);
  });
  rec.line('return -1;');
  const prelude = inline ? gen.endInline() : [];
  // The record's slots are read once, at the top, into constants: the engine cannot keep a typed
  // array's element in a register across the calls between two reads (a helper, a value that
  // leaves the fast form), and would read it again at each use (~5 % of the records' time). The
  // source holds only identifiers, numbers and operators, so the slot reads are found by their shape.
  const slots = new Set<string>();
  const body = rec.text().replace(/\bR([CSM])\[(\d+)\]/g, (_m, kind: string, i: string) => {
    slots.add(`R${kind}${i} = R${kind}[${i}]`);
    return `R${kind}${i}`;
  });
  const read = slots.size > 0 ? `const ${[...slots].join(', ')};\n  ` : '';
  return `function record(subject, period, M, S, o, version) {\n  si = subject; PER = period; VER = version; STAMP++;\n  ${read}${prelude.join('\n  ')}\n${body}\n}`;

}
