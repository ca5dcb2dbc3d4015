// Exact comparison of decimal numbers as the policy writes them (`0.5`, `-12`, `89.5`): checks
// compare policy numbers by their digits, never as binary floating point (which cannot tell
// 0.1 + 0.2 from 0.3, nor two long decimals apart).

/** A plain decimal: an optional sign, digits, an optional fraction (`5.`, `.5` too). */
const PLAIN = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * Compares two plain decimal texts exactly: -1, 0 or 1. Undefined when either is not a plain
 * decimal (the caller has reported that already).
 */
export function compareDecimalText(a: string, b: string): -1 | 0 | 1 | undefined {
  const x = PLAIN.exec(a.trim());
  const y = PLAIN.exec(b.trim());
  if (!x || !y || !/\d/.test(a) || !/\d/.test(b)) return undefined;
  const norm = (m: RegExpExecArray) => {
    const int = (m[2] || '0').replace(/^0+(?=\d)/, '');
    const frac = (m[3] ?? '').replace(/0+$/, '');
    const zero = /^0$/.test(int) && frac === '';
    return { negative: m[1] === '-' && !zero, int, frac };
  };
  const p = norm(x);
  const q = norm(y);
  if (p.negative !== q.negative) return p.negative ? -1 : 1;
  const sign = p.negative ? -1 : 1;
  let c: number;
  if (p.int.length !== q.int.length) c = p.int.length < q.int.length ? -1 : 1;
  else if (p.int !== q.int) c = p.int < q.int ? -1 : 1;
  else {
    const width = Math.max(p.frac.length, q.frac.length);
    const pf = p.frac.padEnd(width, '0');
    const qf = q.frac.padEnd(width, '0');
    c = pf === qf ? 0 : pf < qf ? -1 : 1;
  }
  return (c * sign) as -1 | 0 | 1;
}
