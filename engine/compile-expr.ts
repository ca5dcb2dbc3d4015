// Compiles checked expressions into closures over a Frame. The closures are built only from the
// AST and the checker's resolutions: no source text is ever turned into code.

import {
  assertNever, type BandTableDecl, type CheckedPolicy, type Expr, type KeyedTableDecl, type TableDecl,
} from '../dsl/index.ts';
import { builtinImpls } from './builtins.ts';
import { Decimal } from './decimal.ts';
import { groupOf, UNSET, type Frame } from './frame.ts';
import { compareValues, MissingValue, sameValue, type GroupValue, type RowValue, type Value } from './values.ts';

/** A compiled expression. Throws {@link MissingValue} when it must read a value that is missing. */
export type Compiled = (f: Frame) => Value;

/** How lets and measures are reached from compiled code (filled in by compile.ts). */
export interface Linker {
  let(index: number): Compiled;
  measure(index: number): Compiled;
  /** Index of an aggregate node in the program's aggregate list. */
  aggregate(node: Expr): number;
}

function cellValue(v: string | boolean, type: 'number' | 'bool' | 'text'): Decimal | boolean | string {
  return type === 'number' ? Decimal.parse(String(v))! : v;
}

/** A table's rows as values, built once per program. */
function keyedRows(t: KeyedTableDecl): Map<string, RowValue> {
  return new Map(t.rows.map((r) => [r.key, Object.fromEntries(t.columns.map((c) => [c.name, cellValue(r.cells[c.name]!, c.type)]))]));
}

interface CompiledBand {
  readonly from: Decimal;
  readonly row: RowValue;
}

function bandRows(t: BandTableDecl): { bands: CompiledBand[]; below: RowValue } {
  const row = (b: BandTableDecl['below']): RowValue => ({
    label: b.label, ...Object.fromEntries(t.columns.map((c) => [c.name, cellValue(b.cells[c.name]!, c.type)])),
  });
  return { bands: t.bands.map((b) => ({ from: Decimal.parse(b.from)!, row: row(b) })), below: row(t.below) };
}

function parseLiteral(text: string, percent: boolean): Decimal {
  const n = Decimal.parse(text)!;
  return percent ? n.div(Decimal.fromNumber(100)) : n;
}

/** Compiles expressions of one checked policy. */
export class ExprCompiler {
  private readonly tableCache = new Map<TableDecl, Map<string, RowValue>>();
  private readonly bandCache = new Map<TableDecl, { bands: CompiledBand[]; below: RowValue }>();

  constructor(
    private readonly policy: CheckedPolicy,
    private readonly link: Linker,
  ) {}

  /**
   * Compiles `e`. In lenient mode a missing value yields `undefined` instead of throwing: used
   * by the operations that are defined on missing values (`==`, `!=`, `in`, `is present`).
   */
  compile(e: Expr, lenient = false): Compiled {
    if (lenient) {
      if (e.kind === 'name') return this.name(e, true);
      const strict = this.compile(e);
      return (f) => {
        try {
          return strict(f);
        } catch (err) {
          if (err instanceof MissingValue) return undefined;
          throw err;
        }
      };
    }
    switch (e.kind) {
      case 'number': {
        const v = parseLiteral(e.text, e.percent);
        return () => v;
      }
      case 'string':
      case 'bool': {
        const v = e.value;
        return () => v;
      }
      case 'name': return this.name(e, false);
      case 'unary': {
        const o = this.compile(e.operand);
        return e.op === 'not' ? (f) => !(o(f) as boolean) : (f) => (o(f) as Decimal).neg();
      }
      case 'binary': return this.binary(e);
      case 'between': {
        const v = this.compile(e.value);
        const lo = this.compile(e.low);
        const hi = this.compile(e.high);
        return (f) => {
          const x = v(f);
          return compareValues(lo(f), x) <= 0 && compareValues(x, hi(f)) <= 0;
        };
      }
      case 'presence': {
        const v = this.compile(e.value, true);
        return e.present ? (f) => v(f) !== undefined : (f) => v(f) === undefined;
      }
      case 'in': {
        const v = this.compile(e.value, true);
        const items = e.items.map((i) => this.compile(i, true));
        return (f) => {
          const x = v(f);
          return x !== undefined && items.some((i) => sameValue(x, i(f)));
        };
      }
      case 'if': {
        const c = this.compile(e.cond);
        const a = this.compile(e.then);
        const b = this.compile(e.otherwise);
        return (f) => (c(f) ? a(f) : b(f));
      }
      case 'index': return this.index(e);
      case 'member': {
        const t = this.compile(e.target);
        const name = e.name;
        return (f) => (t(f) as RowValue)[name];
      }
      case 'call': return this.call(e);
      case 'aggregate': {
        const i = this.link.aggregate(e);
        if (e.by) return (f) => groupOf(f.totals!, i);
        return (f) => f.totals!.sums[i];
      }
      default: return assertNever(e);
    }
  }

  private name(e: Extract<Expr, { kind: 'name' }>, lenient: boolean): Compiled {
    const r = this.policy.names.get(e);
    if (!r) throw new Error(`unresolved name ${e.name}`);
    const missing = (v: Value, what: string): Value => {
      if (v === undefined && !lenient) throw new MissingValue(what);
      return v;
    };
    switch (r.r) {
      case 'field': {
        const i = r.index;
        return (f) => missing(f.record[i], r.field.id);
      }
      case 'subjectField': {
        const i = r.index;
        return (f) => missing(f.subject.fields[i], r.field.id);
      }
      case 'parameter': {
        const v = Decimal.parse(r.value)!;
        return () => v;
      }
      case 'setting': {
        const v = r.value;
        return () => v;
      }
      case 'table': return () => undefined; // only ever the target of [ ] or ( ), compiled there
      case 'let': return this.link.let(r.index);
      case 'measure': return this.link.measure(r.index);
      case 'loop': return (f) => f.loop;
      case 'enumValue': {
        const v = r.value;
        return () => v;
      }
      case 'ambient': {
        const { from, to } = this.policy.ast.cycle;
        switch (r.name) {
          case 'period': return (f) => missing(f.period, 'period');
          case 'cycle_from': { const v = Decimal.fromNumber(from); return () => v; }
          case 'cycle_to': { const v = Decimal.fromNumber(to); return () => v; }
          case 'cycle_length': { const v = Decimal.fromNumber(to - from + 1); return () => v; }
          default: return assertNever(r.name);
        }
      }
      default: return assertNever(r);
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): Compiled {
    if (e.op === '==' || e.op === '!=') {
      const a = this.compile(e.left, true);
      const b = this.compile(e.right, true);
      // A missing value equals nothing, not even another missing value.
      if (e.op === '==') return (f) => { const x = a(f); const y = b(f); return x !== undefined && y !== undefined && sameValue(x, y); };
      return (f) => { const x = a(f); const y = b(f); return x === undefined || y === undefined || !sameValue(x, y); };
    }
    const a = this.compile(e.left);
    const b = this.compile(e.right);
    switch (e.op) {
      case 'and': return (f) => (a(f) as boolean) && (b(f) as boolean);
      case 'or': return (f) => (a(f) as boolean) || (b(f) as boolean);
      case '<': return (f) => compareValues(a(f), b(f)) < 0;
      case '<=': return (f) => compareValues(a(f), b(f)) <= 0;
      case '>': return (f) => compareValues(a(f), b(f)) > 0;
      case '>=': return (f) => compareValues(a(f), b(f)) >= 0;
      case '+': return (f) => (a(f) as Decimal).add(b(f) as Decimal);
      case '-': return (f) => (a(f) as Decimal).sub(b(f) as Decimal);
      case '*': return (f) => (a(f) as Decimal).mul(b(f) as Decimal);
      case '/': return (f) => (a(f) as Decimal).div(b(f) as Decimal);
      default: return assertNever(e.op);
    }
  }

  private index(e: Extract<Expr, { kind: 'index' }>): Compiled {
    const key = this.compile(e.key);
    const target = this.policy.types.get(e.target);
    if (target?.t === 'table' && target.table.kind === 'keyed') {
      const table = target.table;
      let rows = this.tableCache.get(table);
      if (!rows) this.tableCache.set(table, (rows = keyedRows(table)));
      const lookup = rows;
      return (f) => {
        const k = key(f) as string;
        const row = lookup.get(k);
        if (!row) throw new MissingValue(`${table.id}[${k}]`);
        return row;
      };
    }
    const group = this.compile(e.target);
    return (f) => (group(f) as GroupValue).get(key(f) as string) ?? Decimal.ZERO;
  }

  private call(e: Extract<Expr, { kind: 'call' }>): Compiled {
    const args = e.args.map((a) => this.compile(a));
    const band = this.policy.bandCalls.get(e);
    if (band) {
      let compiled = this.bandCache.get(band);
      if (!compiled) this.bandCache.set(band, (compiled = bandRows(band)));
      const { bands, below } = compiled;
      const arg = args[0]!;
      return (f) => {
        const v = arg(f) as Decimal;
        for (const b of bands) if (v.gte(b.from)) return b.row;
        return below;
      };
    }
    const impl = builtinImpls.get(e.callee);
    if (!impl) throw new Error(`no implementation for built-in ${e.callee}`);
    return (f) => impl(args.map((a) => a(f)));
  }
}

export { UNSET };
