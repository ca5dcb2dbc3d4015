// Units of measure as exponent vectors over the unit names a policy declares (hour, credit, …).
// The engine knows no unit by name: `credit/hour × hour = credit` is plain exponent arithmetic.

/** A unit: base unit name → non-zero exponent, kept sorted by name. Dimensionless is `{}`. */
export type Unit = Readonly<Record<string, number>>;

export const DIMENSIONLESS: Unit = Object.freeze({});

function normalise(entries: [string, number][]): Unit {
  const out: Record<string, number> = {};
  for (const [k, v] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) if (v !== 0) out[k] = v;
  return out;
}

/**
 * Parses `hour`, `credit/hour`, `hour*day`, `1`. Returns the names used, so the caller can check
 * that each is declared.
 */
export function parseUnit(text: string): { unit: Unit; names: string[] } {
  const trimmed = text.trim();
  if (trimmed === '1' || trimmed === '') return { unit: DIMENSIONLESS, names: [] };
  const exps = new Map<string, number>();
  const names: string[] = [];
  const parts = trimmed.split(/([*/])/);
  let sign = 1;
  for (const part of parts) {
    if (part === '*') sign = 1;
    else if (part === '/') sign = -1;
    else {
      const name = part.trim();
      names.push(name);
      exps.set(name, (exps.get(name) ?? 0) + sign);
    }
  }
  return { unit: normalise([...exps]), names };
}

export function multiplyUnits(a: Unit, b: Unit, sign: 1 | -1 = 1): Unit {
  const exps = new Map<string, number>(Object.entries(a));
  for (const [k, v] of Object.entries(b)) exps.set(k, (exps.get(k) ?? 0) + sign * v);
  return normalise([...exps]);
}

export function sameUnit(a: Unit, b: Unit): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
}

export function isDimensionless(u: Unit): boolean {
  return Object.keys(u).length === 0;
}

/** `credit/hour`, `hour`, `1`: the form a policy file uses. */
export function formatUnit(u: Unit): string {
  const up = Object.entries(u).filter(([, v]) => v > 0);
  const down = Object.entries(u).filter(([, v]) => v < 0);
  const side = (list: [string, number][]): string =>
    list.map(([k, v]) => (Math.abs(v) === 1 ? k : `${k}^${Math.abs(v)}`)).join('*');
  if (up.length === 0 && down.length === 0) return '1';
  return `${up.length === 0 ? '1' : side(up)}${down.length === 0 ? '' : `/${side(down)}`}`;
}
