// What a traced program recorded (engine/trace.ts) → the trace tree of one expression as it ran
// (types.ts TraceNode), read off the AST: each node with its value and the operands that ran.
// A policy of several versions chooses between them inside its rules (dsl/combine-versions.ts);
// those choices are left out, so the tree says what the version in force says.

import { assertNever, baseId, VERSION_NAME, type CheckedPolicy, type Expr } from '../../dsl/index.ts';
import { Decimal } from '../decimal.ts';
import type { TraceSink } from '../trace.ts';
import type { Value } from '../values.ts';
import type { TraceNode, TraceValue } from './types.ts';

/** A value of the rule language as trace data: numbers as exact decimal text. */
export function traceValue(v: Value): TraceValue {
  if (v === undefined) return null;
  if (v instanceof Decimal) return v.toString();
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof (v as ReadonlyMap<string, Decimal>).forEach === 'function' && typeof (v as ReadonlyMap<string, Decimal>).get === 'function') {
    const out: Record<string, string> = {};
    (v as ReadonlyMap<string, Decimal>).forEach((d, k) => {
      out[k] = d.toString();
    });
    return out;
  }
  const out: Record<string, string | boolean> = {};
  for (const [k, x] of Object.entries(v as Record<string, Decimal | boolean | string>)) out[k] = x instanceof Decimal ? x.toString() : x;
  return out;
}

/** Whether `e` only tests the version in force (`$version == 1 or …`), as combined versions do. */
export function isVersionGuard(e: Expr): boolean {
  if (e.kind !== 'binary') return false;
  if (e.op === 'or') return isVersionGuard(e.left) && isVersionGuard(e.right);
  return e.op === '==' && e.left.kind === 'name' && e.left.name === VERSION_NAME;
}

/** `id@version` (a declaration's copy for a version) → its id and the version. */
function copyOf(id: string): { name: string; version?: string } {
  const at = id.indexOf('@');
  return at < 0 ? { name: id } : { name: id.slice(0, at), version: id.slice(at + 1) };
}

/** Builds trace trees from what a sink recorded. */
export class TraceReader {
  /**
   * In a repeating cycle: the name of the cycle before the one being read (null in the first),
   * which a `previous(m)` node names as where its value comes from.
   */
  previousCycle: string | null = null;

  constructor(
    private readonly checked: CheckedPolicy,
    private readonly sink: TraceSink,
  ) {}

  /** The tree of `e` as it ran after sequence number `since`, or null if it did not run. */
  tree(e: Expr, since: number): TraceNode | null {
    // Where versions differ, the combined rules choose: only what the version in force says shows.
    if (e.kind === 'if' && isVersionGuard(e.cond)) return this.tree(e.then, since) ?? this.tree(e.otherwise, since);
    if (e.kind === 'binary' && e.op === 'and' && isVersionGuard(e.left)) {
      const right = this.tree(e.right, since);
      if (right) return right;
    }
    const ran = this.sink.get(e, since);
    if (!ran) return null;
    const node = (kind: TraceNode['kind'], name: string, args: readonly Expr[], extra: Partial<TraceNode> = {}): TraceNode => ({
      kind, name, value: traceValue(ran.value), ...(ran.missing === undefined ? {} : { missing: ran.missing }), ...extra,
      args: args.map((a) => this.tree(a, since)),
    });
    switch (e.kind) {
      case 'number': return node('literal', e.percent ? `${e.text}%` : e.text, []);
      case 'string': return node('literal', JSON.stringify(e.value), []);
      case 'bool': return node('literal', String(e.value), []);
      case 'date': return node('literal', e.value, []);
      case 'name': return this.name(e, node);
      case 'unary': return node('operator', e.op === 'not' ? 'not' : 'neg', [e.operand]);
      case 'binary': return node('operator', e.op, [e.left, e.right]);
      case 'between': return node('operator', 'between', [e.value, e.low, e.high]);
      case 'presence': return node('operator', e.present ? 'is_present' : 'is_missing', [e.value]);
      case 'in': return node('operator', 'in', [e.value, ...e.items]);
      case 'if': return node('if', 'if', [e.cond, e.then, e.otherwise]);
      case 'index': {
        const target = this.checked.types.get(e.target);
        const key = this.keyText(e.key, since);
        if (target?.t === 'table') {
          const c = copyOf(target.table.id);
          return node('lookup', c.name, [e.key], { ...key, ...(c.version ? { version: c.version } : {}) });
        }
        return node('group', e.target.kind === 'name' ? e.target.name : 'group', [e.target, e.key], key);
      }
      case 'member': {
        const t = e.target;
        const target = t.kind === 'index' ? this.checked.types.get(t.target) : undefined;
        if (t.kind === 'index' && target?.t === 'table') {
          const c = copyOf(target.table.id);
          return node('lookup', c.name, [t.key], { ...this.keyText(t.key, since), column: e.name, ...(c.version ? { version: c.version } : {}) });
        }
        const band = t.kind === 'call' ? this.checked.bandCalls.get(t) : undefined;
        if (t.kind === 'call' && band) {
          const c = copyOf(band.id);
          const label = this.sink.bandOf(e);
          return node('band', c.name, [t.args[0]!], { column: e.name, ...(label === undefined ? {} : { band: label }), ...(c.version ? { version: c.version } : {}) });
        }
        return node('operator', `.${e.name}`, [t]);
      }
      case 'call': {
        // previous(m, default): m's value in the cycle before (named), or the default in the first.
        const m = this.checked.previousCalls.get(e);
        if (m !== undefined) return node('previous', this.checked.measures[m]!.stmt.id, e.args.slice(1), { cycle: this.previousCycle });
        const band = this.checked.bandCalls.get(e);
        if (band) {
          const c = copyOf(band.id);
          const label = this.sink.bandOf(e);
          return node('band', c.name, [e.args[0]!], { ...(label === undefined ? {} : { band: label }), ...(c.version ? { version: c.version } : {}) });
        }
        return node('call', e.callee, e.args);
      }
      case 'aggregate': return node('aggregate', e.op, []);
      default: return assertNever(e);
    }
  }

  private keyText(key: Expr, since: number): { key?: string } {
    const k = this.sink.get(key, since);
    return k && typeof k.value === 'string' ? { key: k.value } : {};
  }

  private name(e: Extract<Expr, { kind: 'name' }>, node: (kind: TraceNode['kind'], name: string, args: readonly Expr[], extra?: Partial<TraceNode>) => TraceNode): TraceNode {
    const r = this.checked.names.get(e);
    if (!r) return node('literal', e.name, []);
    switch (r.r) {
      case 'field': return node('field', r.field.id, []);
      case 'subjectField': return node('subject_field', r.field.id, []);
      case 'parameter': {
        const c = copyOf(r.id);
        return node('parameter', c.name, [], c.version ? { version: c.version } : {});
      }
      case 'setting': {
        const c = copyOf(r.id);
        return node('setting', c.name, [], c.version ? { version: c.version } : {});
      }
      case 'table': return node('literal', baseId(r.table.id), []);
      case 'let': return node('let', this.checked.lets[r.index]!.stmt.id, []);
      case 'measure': return node('measure', this.checked.measures[r.index]!.stmt.id, []);
      case 'loop': return node('loop', e.name, []);
      case 'enumValue': return node('enum_value', r.value, []);
      case 'ambient': return node('ambient', r.name, []);
      default: return assertNever(r);
    }
  }
}
