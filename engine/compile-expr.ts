// Compiles checked expressions into closures over a Frame. The closures are built only from the
// AST and the checker's resolutions: no source text is ever turned into code.

import {
  assertNever, baseId, isYearly, periodCount, printExpr, type BandTableDecl, type CheckedPolicy, type Expr, type KeyedTableDecl, type TableDecl,
} from '../dsl/index.ts';
import { builtinImpls } from './builtins.ts';
import { coverageKey, type CoverageProbe } from './coverage.ts';
import type { TraceSink } from './trace.ts';
import { Decimal } from './decimal.ts';
import { Frame, groupOf } from './frame.ts';
import { Quotient } from './quotient.ts';
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

/** A cell's value: numbers as Decimals; dates, like texts and yes/no, as written (values.ts). */
function cellValue(v: string | boolean, type: 'number' | 'bool' | 'text' | 'date'): Decimal | boolean | string {
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

/** A frame for running a node whose operands are all constants: nothing in it is ever read. */
const CONSTANT_FRAME = new Frame(0, 0);

/** Versions as Decimals, made once (a combined policy has a handful). */
const VERSION_NUMBERS: Decimal[] = [];

function versionNumber(v: number): Decimal {
  if (v < 0 || v >= 64) return Decimal.fromNumber(v);
  return (VERSION_NUMBERS[v] ??= Decimal.fromNumber(v));
}

/**
 * Compiles expressions of one checked policy.
 *
 * Besides the closures, the compiler keeps a few facts about the ones it has built (which are
 * constants, which read a record field, which can never throw {@link MissingValue}), so that a
 * parent node can fold or specialise: a policy's settings and parameters are constants, and a
 * rule written for every reading of the text (`if setting then … else …`) should cost, per
 * record, only the branch its settings choose. Every rewrite keeps the evaluation order and the
 * missing-value behaviour of the plain closures.
 */
export class ExprCompiler {
  private readonly tableCache = new Map<TableDecl, Map<string, RowValue>>();
  private readonly bandCache = new Map<TableDecl, { bands: CompiledBand[]; below: RowValue }>();
  /** Closures known to return one value whatever the frame. */
  private readonly constants = new Map<Compiled, Value>();
  /** Closures that only read a record field (missing values returned, not thrown), by field index. */
  private readonly recordReads = new Map<Compiled, number>();
  /** Closures that never throw {@link MissingValue}. */
  private readonly cannotMiss = new Set<Compiled>();

  constructor(
    private readonly policy: CheckedPolicy,
    private readonly link: Linker,
    /**
     * Set only for a coverage run (engine/coverage.ts): `if` arms, conditions, table rows and
     * bands then record their hits, and are not folded (a folded arm could record nothing).
     */
    private readonly probe?: CoverageProbe,
    /**
     * Set only for a trace (engine/trace.ts, `guize explain`): every node records its value,
     * and nothing is folded or specialised, so that each sub-expression shows in the trace.
     */
    private readonly trace?: TraceSink,
  ) {}

  /** Whether `c` is a constant closure (so a let whose body it is needs no cache). */
  isConstant(c: Compiled): boolean {
    return this.constants.has(c);
  }

  private constant(v: Value): Compiled {
    const c: Compiled = () => v;
    this.constants.set(c, v);
    this.cannotMiss.add(c);
    return c;
  }

  /** Marks `c` as never throwing MissingValue when all of `operands` are so too. */
  private total(c: Compiled, ...operands: Compiled[]): Compiled {
    if (operands.every((o) => this.cannotMiss.has(o))) this.cannotMiss.add(c);
    return c;
  }

  /**
   * `c`, or its value as a constant when every operand is constant: the nodes passed here are
   * pure, so they would give that value on every run. A node that throws MissingValue on its
   * constants (a table row that does not exist) is kept, to throw at run time and reject the
   * record that reaches it.
   */
  private folded(c: Compiled, ...operands: Compiled[]): Compiled {
    if (!operands.every((o) => this.constants.has(o))) return this.total(c, ...operands);
    try {
      return this.constant(c(CONSTANT_FRAME));
    } catch (err) {
      if (err instanceof MissingValue) return c;
      throw err;
    }
  }

  /**
   * Compiles `e`. In lenient mode a missing value yields `undefined` instead of throwing: used
   * by the operations that are defined on missing values (`==`, `!=`, `in`, `is present`).
   */
  compile(e: Expr, lenient = false): Compiled {
    const t = this.trace;
    if (t === undefined) return this.compileNode(e, lenient);
    // A wrapper is never among the known constants, so nothing above a traced node folds.
    const c = this.compileNode(e, lenient);
    return (f) => {
      let v: Value;
      try {
        v = c(f);
      } catch (err) {
        if (err instanceof MissingValue) t.missing(e, err.what);
        throw err;
      }
      t.value(e, v);
      return v;
    };
  }

  private compileNode(e: Expr, lenient: boolean): Compiled {
    if (lenient) {
      // Field reads have a cheap lenient form; anything else (a let or measure included, so that
      // moving an expression into a let never changes what `is present` says) catches the miss.
      const r = e.kind === 'name' ? this.policy.names.get(e) : undefined;
      if (e.kind === 'name' && r?.r !== 'let' && r?.r !== 'measure') return this.name(e, true);
      const strict = this.compile(e);
      if (this.cannotMiss.has(strict)) return strict;
      const c: Compiled = (f) => {
        try {
          return strict(f);
        } catch (err) {
          if (err instanceof MissingValue) return undefined;
          throw err;
        }
      };
      this.cannotMiss.add(c);
      return c;
    }
    const probe = this.probe;
    if (probe === undefined || !probe.conditions.has(coverageKey.conditionNode(e))) return this.node(e);
    // A condition of the coverage items (a `when`, a `where`): its value is recorded.
    const inner = this.node(e);
    const yes = coverageKey.condition(e, true);
    const no = coverageKey.condition(e, false);
    return (f) => {
      const v = inner(f);
      probe.hit(v ? yes : no);
      return v;
    };
  }

  private node(e: Expr): Compiled {
    switch (e.kind) {
      case 'number': return this.constant(parseLiteral(e.text, e.percent));
      case 'string':
      case 'bool':
      case 'date': return this.constant(e.value);
      case 'name': return this.name(e, false);
      case 'unary': {
        const o = this.compile(e.operand);
        return this.folded(e.op === 'not' ? (f) => !(o(f) as boolean) : (f) => (o(f) as Decimal).neg(), o);
      }
      case 'binary': return this.binary(e);
      case 'between': return this.between(e);
      case 'presence': {
        const v = this.compile(e.value, true);
        const slot = this.recordReads.get(v);
        if (slot !== undefined) {
          return this.total(e.present ? (f) => f.record[slot] !== undefined : (f) => f.record[slot] === undefined, v);
        }
        return this.folded(e.present ? (f) => v(f) !== undefined : (f) => v(f) === undefined, v);
      }
      case 'in': return this.in(e);
      case 'if': {
        const c = this.compile(e.cond);
        const a = this.compile(e.then);
        const b = this.compile(e.otherwise);
        const probe = this.probe;
        if (probe) {
          const yes = coverageKey.arm(e, 'then');
          const no = coverageKey.arm(e, 'else');
          return (f) => (c(f) ? (probe.hit(yes), a(f)) : (probe.hit(no), b(f)));
        }
        // A constant condition (a setting) leaves only the branch it picks.
        if (this.constants.has(c)) return this.constants.get(c) ? a : b;
        return this.total((f) => (c(f) ? a(f) : b(f)), c, a, b);
      }
      case 'index': return this.index(e);
      case 'member': return this.member(e);
      case 'call': return this.call(e);
      case 'aggregate': {
        if (this.policy.periodSums.has(e)) return periodSum(this.compile(e.value!));
        const i = this.link.aggregate(e);
        if (e.by) {
          const keys = this.policy.ast.record.fields.find((x) => x.id === e.by!.name)!.values;
          return (f) => groupOf(f.totals!, i, keys);
        }
        return (f) => f.totals!.sums[i];
      }
      default: return assertNever(e);
    }
  }

  private name(e: Extract<Expr, { kind: 'name' }>, lenient: boolean): Compiled {
    const r = this.policy.names.get(e);
    if (!r) throw new Error(`unresolved name ${e.name}`);
    switch (r.r) {
      case 'field': {
        const i = r.index;
        const id = r.field.id;
        if (lenient) {
          const c: Compiled = (f) => f.record[i];
          this.recordReads.set(c, i);
          this.cannotMiss.add(c);
          return c;
        }
        return (f) => {
          const v = f.record[i];
          if (v === undefined) throw new MissingValue(id);
          return v;
        };
      }
      case 'subjectField': {
        const i = r.index;
        const id = r.field.id;
        if (lenient) return this.total((f) => f.subject.fields[i]);
        return (f) => {
          const v = f.subject.fields[i];
          if (v === undefined) throw new MissingValue(id);
          return v;
        };
      }
      case 'parameter': return this.constant(this.policy.types.get(e)?.t === 'date' ? r.value : Decimal.parse(r.value)!);
      case 'setting': return this.constant(r.value);
      case 'table': return () => undefined; // only ever the target of [ ] or ( ), compiled there
      case 'let': return this.link.let(r.index);
      case 'measure': return this.link.measure(r.index);
      case 'loop': return this.total((f) => f.loop);
      case 'enumValue': return this.constant(r.value);
      case 'ambient': {
        const { from, to } = this.policy.ast.cycle;
        const yearly = isYearly(this.policy.ast);
        switch (r.name) {
          case 'period':
            if (lenient) return this.total((f) => f.period);
            return (f) => {
              const v = f.period;
              if (v === undefined) throw new MissingValue('period');
              return v;
            };
          // Periods other than the years of a fixed cycle are numbered 1 … n in it.
          case 'cycle_from': return this.constant(Decimal.fromNumber(yearly ? from : 1));
          case 'cycle_to': return this.constant(Decimal.fromNumber(yearly ? to : periodCount(this.policy.ast)));
          case 'cycle_length': return this.constant(Decimal.fromNumber(yearly ? to - from + 1 : periodCount(this.policy.ast)));
          case '$version': return (f) => versionNumber(f.version);
          default: return assertNever(r.name);
        }
      }
      default: return assertNever(r);
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): Compiled {
    if (e.op === '==' || e.op === '!=') return this.equality(e, e.op === '==');
    if (e.op === 'and' || e.op === 'or') return this.logical(e, e.op);
    const a = this.compile(e.left);
    const b = this.compile(e.right);
    const c = ((): Compiled => {
      switch (e.op) {
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
    })();
    return this.folded(c, a, b);
  }

  /** `==` and `!=`: a missing value equals nothing, not even another missing value. */
  private equality(e: Extract<Expr, { kind: 'binary' }>, equal: boolean): Compiled {
    const a = this.compile(e.left, true);
    const b = this.compile(e.right, true);
    // Against a constant text, enum value or yes/no (`status == active`), equality is `===`: a
    // missing value is undefined, which equals no such constant. Numbers still compare by value.
    const known = this.constants.has(a) ? a : this.constants.has(b) ? b : undefined;
    const v = known && this.constants.get(known);
    if (known && (typeof v === 'string' || typeof v === 'boolean')) {
      const other = known === a ? b : a;
      if (this.constants.has(other)) return this.constant(equal === (this.constants.get(other) === v));
      const slot = this.recordReads.get(other);
      if (slot !== undefined) return this.total(equal ? (f) => f.record[slot] === v : (f) => f.record[slot] !== v, other);
      return this.total(equal ? (f) => other(f) === v : (f) => other(f) !== v, other);
    }
    const c: Compiled = equal
      ? (f) => { const x = a(f); const y = b(f); return x !== undefined && y !== undefined && sameValue(x, y); }
      : (f) => { const x = a(f); const y = b(f); return x === undefined || y === undefined || !sameValue(x, y); };
    return this.folded(c, a, b);
  }

  /**
   * A chain of `and` (or of `or`) as one closure over its operands in order, with constant
   * operands folded: one that cannot change the result is dropped, and one that decides it
   * ends the chain (the operands before it still run, as they may reject the record).
   */
  private logical(e: Extract<Expr, { kind: 'binary' }>, op: 'and' | 'or'): Compiled {
    const decisive = op === 'or'; // the operand value that ends the chain
    const operands: Compiled[] = [];
    const probe = this.probe;
    // A trace keeps every `and`/`or` node, so each shows its own value.
    const stop = this.trace ? () => true : probe === undefined ? undefined : (x: Expr) => probe.conditions.has(coverageKey.conditionNode(x));
    // (The chain's own node is flattened even when it is itself a condition: it is compiled here.)
    const left = e as Extract<Expr, { kind: 'binary' }>;
    for (const x of [...flatten(left.left, op, stop), ...flatten(left.right, op, stop)]) {
      const c = this.compile(x);
      if (!this.constants.has(c)) {
        operands.push(c);
        continue;
      }
      if (Boolean(this.constants.get(c)) !== decisive) continue;
      if (operands.every((o) => this.cannotMiss.has(o))) return this.constant(decisive);
      operands.push(c);
      break;
    }
    if (operands.length === 0) return this.constant(!decisive);
    if (operands.length === 1) return operands[0]!;
    const all = operands;
    let c: Compiled;
    if (all.length === 2) {
      const [a, b] = all as [Compiled, Compiled];
      c = op === 'and' ? (f) => (a(f) as boolean) && (b(f) as boolean) : (f) => (a(f) as boolean) || (b(f) as boolean);
    } else if (op === 'and') {
      c = (f) => {
        for (let i = 0; i < all.length; i++) if (!all[i]!(f)) return false;
        return true;
      };
    } else {
      c = (f) => {
        for (let i = 0; i < all.length; i++) if (all[i]!(f)) return true;
        return false;
      };
    }
    return this.total(c, ...all);
  }

  private between(e: Extract<Expr, { kind: 'between' }>): Compiled {
    const v = this.compile(e.value);
    const lo = this.compile(e.low);
    const hi = this.compile(e.high);
    const low = this.constants.get(lo);
    const high = this.constants.get(hi);
    if (low instanceof Decimal && high instanceof Decimal && !this.constants.has(v)) {
      // Constant numeric bounds (parameters, the cycle's years): two comparisons, no dispatch.
      return this.total((f) => {
        const x = v(f) as Decimal;
        return low.cmp(x) <= 0 && x.cmp(high) <= 0;
      }, v);
    }
    return this.folded((f) => {
      const x = v(f);
      return compareValues(lo(f), x) <= 0 && compareValues(x, hi(f)) <= 0;
    }, v, lo, hi);
  }

  private in(e: Extract<Expr, { kind: 'in' }>): Compiled {
    const v = this.compile(e.value, true);
    const items = e.items.map((i) => this.compile(i, true));
    const values = items.map((i) => this.constants.get(i));
    if (items.every((i) => this.constants.has(i)) && values.every((x) => typeof x === 'string' || typeof x === 'boolean')) {
      // Constant texts or enum values: a set lookup, which is `===` on each, as sameValue is.
      const set = new Set<Value>(values);
      return this.folded((f) => {
        const x = v(f);
        return x !== undefined && set.has(x);
      }, v);
    }
    return this.folded((f) => {
      const x = v(f);
      return x !== undefined && items.some((i) => sameValue(x, i(f)));
    }, v, ...items);
  }

  /** A keyed table's rows, built once per table. */
  private keyedTable(table: KeyedTableDecl): Map<string, RowValue> {
    let rows = this.tableCache.get(table);
    if (!rows) this.tableCache.set(table, (rows = keyedRows(table)));
    return rows;
  }

  /** A banded table's bands, built once per table. */
  /** `previous(m)` / `previous(m, default)` (CheckedPolicy.previousCalls): never folded, as it changes with the cycle. */
  private previous(e: Extract<Expr, { kind: 'call' }>, m: number): Compiled {
    const fallback = e.args[1] ? this.compile(e.args[1]) : this.constant(Decimal.ZERO);
    return previousValue(m, printExpr(e), fallback);
  }

  private bandTable(band: BandTableDecl): { bands: CompiledBand[]; below: RowValue } {
    let compiled = this.bandCache.get(band);
    if (!compiled) this.bandCache.set(band, (compiled = bandRows(band)));
    return compiled;
  }

  /** A table key that records the row it looks up (coverage runs only). */
  private rowProbe(table: KeyedTableDecl, key: Compiled): Compiled {
    const probe = this.probe!;
    const rows = new Map(table.rows.map((r) => [r.key, coverageKey.row(r)]));
    return (f) => {
      const k = key(f);
      const hit = rows.get(k as string);
      if (hit !== undefined) probe.hit(hit);
      return k;
    };
  }

  /** A banded lookup's number that records the band it falls in (coverage runs only). */
  private bandProbe(table: BandTableDecl, arg: Compiled): Compiled {
    const probe = this.probe!;
    const froms = table.bands.map((b) => Decimal.parse(b.from)!);
    const keys = table.bands.map((b) => coverageKey.band(b));
    const below = coverageKey.band(table.below);
    return (f) => {
      const x = arg(f) as Decimal;
      let i = 0;
      while (i < froms.length && !x.gte(froms[i]!)) i++;
      probe.hit(i < froms.length ? keys[i]! : below);
      return x;
    };
  }

  /** In a trace: a banded lookup's number that records the band it falls in, against node `e`. */
  private traceBand(table: BandTableDecl, arg: Compiled, e: Expr): Compiled {
    const t = this.trace;
    if (t === undefined) return arg;
    const froms = table.bands.map((b) => Decimal.parse(b.from)!);
    const labels = table.bands.map((b) => b.label);
    return (f) => {
      const x = arg(f) as Decimal;
      let i = 0;
      while (i < froms.length && !x.gte(froms[i]!)) i++;
      t.band(e, i < froms.length ? labels[i]! : table.below.label);
      return x;
    };
  }

  private index(e: Extract<Expr, { kind: 'index' }>): Compiled {
    const key = this.compile(e.key);
    const target = this.policy.types.get(e.target);
    if (target?.t === 'table' && target.table.kind === 'keyed') {
      const table = target.table;
      if (this.probe) return lookup(baseId(table.id), this.keyedTable(table), this.rowProbe(table, key));
      return this.folded(lookup(baseId(table.id), this.keyedTable(table), key), key);
    }
    const group = this.compile(e.target);
    return this.folded((f) => (group(f) as GroupValue).get(key(f) as string) ?? Decimal.ZERO, group, key);
  }

  private member(e: Extract<Expr, { kind: 'member' }>): Compiled {
    const name = e.name;
    // `table[key].column` and `band(x).column`: look up the column's value directly, rather
    // than a row object and then a property of it by a name known only at run time.
    const t = e.target;
    const target = t.kind === 'index' ? this.policy.types.get(t.target) : undefined;
    if (t.kind === 'index' && target?.t === 'table' && target.table.kind === 'keyed') {
      const table = target.table;
      const column = new Map([...this.keyedTable(table)].map(([k, row]) => [k, row[name]!]));
      const key = this.compile(t.key);
      if (this.probe) return lookup(baseId(table.id), column, this.rowProbe(table, key));
      return this.folded(lookup(baseId(table.id), column, key), key);
    }
    const band = t.kind === 'call' ? this.policy.bandCalls.get(t) : undefined;
    if (t.kind === 'call' && band) {
      const { bands, below } = this.bandTable(band);
      const arg = this.traceBand(band, this.compile(t.args[0]!), e);
      if (this.probe) return banded(bands.map((b) => b.from), bands.map((b) => b.row[name]!), below[name]!, this.bandProbe(band, arg));
      return this.folded(banded(bands.map((b) => b.from), bands.map((b) => b.row[name]!), below[name]!, arg), arg);
    }
    const row = this.compile(t);
    return this.folded((f) => (row(f) as RowValue)[name], row);
  }

  private call(e: Extract<Expr, { kind: 'call' }>): Compiled {
    const previous = this.policy.previousCalls.get(e);
    if (previous !== undefined) return this.previous(e, previous);
    const args = e.args.map((a) => this.compile(a));
    const band = this.policy.bandCalls.get(e);
    if (band) {
      const { bands, below } = this.bandTable(band);
      const arg = this.traceBand(band, args[0]!, e);
      if (this.probe) return banded(bands.map((b) => b.from), bands.map((b) => b.row), below, this.bandProbe(band, arg));
      return this.folded(banded(bands.map((b) => b.from), bands.map((b) => b.row), below, arg), arg);
    }
    const impl = builtinImpls.get(e.callee);
    if (!impl) throw new Error(`no implementation for built-in ${e.callee}`);
    const text = printExpr(e);
    return this.folded((f) => impl(args.map((a) => a(f)), text), ...args);
  }
}

/**
 * Measure `m`'s value in the subject's previous cycle (Frame.previousCycle); in the first cycle,
 * the default (`fallback`: zero when none is written). A previous value the subject lacked (the
 * measure was a problem there) is missing here too, named as written.
 */
function previousValue(m: number, what: string, fallback: Compiled): Compiled {
  return (f) => {
    const before = f.previousCycle;
    if (before === undefined) return fallback(f);
    const v = before[m];
    if (v === undefined) throw new MissingValue(what);
    return v instanceof Quotient ? v.value() : (v as Decimal);
  };
}

/**
 * A sum over the periods: in a period's scope, the value there; in the cycle's, the value worked
 * out in each period in turn (its totals, number and version), added up. The frame's caches are
 * refreshed on each move, so what was worked out in one scope is never read in another.
 */
function periodSum(value: Compiled): Compiled {
  return (f) => {
    const scopes = f.periodScopes;
    if (f.period !== undefined || !scopes) return value(f);
    const { totals, version } = f;
    let sum = Decimal.ZERO;
    try {
      for (let k = 0; k < scopes.totals.length; k++) {
        f.totals = scopes.totals[k];
        f.period = scopes.periods[k];
        f.version = scopes.versions[k]!;
        f.refresh();
        sum = sum.add(value(f) as Decimal);
      }
    } finally {
      f.totals = totals;
      f.period = undefined;
      f.version = version;
      f.refresh();
    }
    return sum;
  };
}

/** The operands of a left- or right-nested chain of one logical operator, in order. */
function flatten(e: Expr, op: 'and' | 'or', keep?: (e: Expr) => boolean): Expr[] {
  if (e.kind !== 'binary' || e.op !== op || keep?.(e)) return [e];
  return [...flatten(e.left, op, keep), ...flatten(e.right, op, keep)];
}

/** Looks a key up in one of a keyed table's maps; a key with no row is a missing value. */
function lookup<T extends Value>(tableId: string, map: ReadonlyMap<string, T>, key: Compiled): Compiled {
  return (f) => {
    const k = key(f) as string;
    const v = map.get(k);
    if (v === undefined) throw new MissingValue(`${tableId}[${k}]`);
    return v;
  };
}

/** A banded lookup: the value of the first band whose lower bound `x` reaches, else `below`. */
function banded<T extends Value>(froms: readonly Decimal[], values: readonly T[], below: T, arg: Compiled): Compiled {
  return (f) => {
    const x = arg(f) as Decimal;
    for (let i = 0; i < froms.length; i++) if (x.gte(froms[i]!)) return values[i];
    return below;
  };
}
