// Arithmetic and comparison of two compiled numbers (mantissa and scale, as expr.ts describes).
// The common cases are written out inline, with the same range checks the runtime helpers make;
// the rest call the helpers (runtime.ts), which align scales, divide and trim.

import { MAX_FAST_SCALE } from '../row-decoder.ts';
import type { Emitter } from './emitter.ts';

/** A number in generated code: JavaScript expressions for its mantissa and its scale. */
export interface NumParts {
  readonly m: string;
  readonly s: string;
}

/** An arithmetic operator of the rule language. */
export type ArithmeticOp = '+' | '-' | '*' | '/';

/** A comparison, as the JavaScript operator on aligned mantissas. */
export type CompareOp = '<' | '<=' | '>' | '>=' | '===' | '!==';

const wholeLiteral = (v: string): boolean => /^-?\d+$/.test(v);
const unsignedLiteral = (v: string): boolean => /^\d+$/.test(v);
const rangeCheck = (m: string): string => `if (${m} > 9007199254740991 || ${m} < -9007199254740991) overflow();`;

/**
 * Writes `x op y` into the mantissa `t` and a fresh scale name; returns both. A product needs no
 * aligning; a sum of two numbers of one known scale is one addition; the rest go through the
 * helpers.
 */
export function emitArithmetic(o: Emitter, op: ArithmeticOp, x: NumParts, y: NumParts, t: string): NumParts {
  const ts = o.temp();
  switch (op) {
    case '*':
      if (unsignedLiteral(x.s) && unsignedLiteral(y.s) && Number(x.s) + Number(y.s) <= MAX_FAST_SCALE) {
        o.line(`const ${t} = ${x.m} * ${y.m}, ${ts} = ${Number(x.s) + Number(y.s)};`);
        o.line(rangeCheck(t));
      } else {
        o.line(`let ${t} = ${x.m} * ${y.m}, ${ts} = ${x.s} + ${y.s};`);
        o.line(rangeCheck(t));
        // A long scale may trim back into range (Decimal trims trailing zeros too).
        o.line(`if (${ts} > ${MAX_FAST_SCALE}) { ${t} = mul(${x.m}, ${x.s}, ${y.m}, ${y.s}); ${ts} = REG[0]; }`);
      }
      return { m: t, s: ts };
    case '+':
    case '-': {
      const fn = op === '+' ? 'add' : 'sub';
      if (unsignedLiteral(x.s) && x.s === y.s) {
        o.line(`const ${t} = ${x.m} ${op} ${y.m}, ${ts} = ${x.s};`);
        o.line(rangeCheck(t));
      } else {
        o.line(`let ${t}, ${ts};`);
        o.block(`if (${x.s} === ${y.s})`, () => {
          o.line(`${t} = ${x.m} ${op} ${y.m}; ${ts} = ${x.s};`);
          o.line(rangeCheck(t));
        });
        o.line(`else { ${t} = ${fn}(${x.m}, ${x.s}, ${y.m}, ${y.s}); ${ts} = REG[0]; }`);
      }
      return { m: t, s: ts };
    }
    case '/':
      o.line(`const ${t} = div(${x.m}, ${x.s}, ${y.m}, ${y.s}), ${ts} = REG[0];`);
      return { m: t, s: ts };
  }
}

/**
 * `x op y` on two numbers, as a JavaScript boolean expression. Numbers of one known scale (the
 * period, years, whole constants) compare by their mantissas; others through cmp, which aligns
 * scales.
 */
export function compareCode(x: NumParts, y: NumParts, op: CompareOp): string {
  if (wholeLiteral(x.s) && x.s === y.s) return `(${x.m} ${op} ${y.m})`;
  // Against a constant (a floor, a band's bound): scale the constant up to the value's scale
  // while that stays exact, as cmp would align them.
  if (wholeLiteral(y.m) && wholeLiteral(y.s) && !wholeLiteral(x.s)) {
    const bm = Math.abs(Number(y.m));
    const bs = Number(y.s);
    let k = 0;
    while (k < MAX_FAST_SCALE && bm * 10 ** (k + 1) <= Number.MAX_SAFE_INTEGER) k++;
    if (bm === 0) k = MAX_FAST_SCALE;
    return `(${x.s} >= ${bs} && ${x.s} <= ${bs + k} ? ${x.m} ${op} ${y.m} * P10[${x.s} - ${bs}] : cmp(${x.m}, ${x.s}, ${y.m}, ${y.s}) ${op} 0)`;
  }
  // Of one scale, mantissas compare as the numbers do; otherwise cmp aligns them.
  return `(${x.s} === ${y.s} ? ${x.m} ${op} ${y.m} : cmp(${x.m}, ${x.s}, ${y.m}, ${y.s}) ${op} 0)`;
}
