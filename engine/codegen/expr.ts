// Expressions of the checked policy → JavaScript statements and the names holding their value.
//
// Numbers become two doubles, an exact safe-integer mantissa and a scale; enum values their index
// among the enum's values; dates the integer YYYYMMDD; yes/no a boolean. Every operation keeps the
// interpreter's meaning (compile-expr.ts) exactly: left-to-right evaluation, short-circuits, which
// missing value a rule stops at, `==` on missing values, x / 0 = 0. What the fast form cannot hold
// throws OVERFLOW and the interpreter takes over; a shape this generator does not take is an
// Unsupported error, and the whole program is interpreted.

import {
  assertNever, type BandTableDecl, type CheckedPolicy, type Expr, type Type,
} from '../../dsl/index.ts';
import type { Compiled } from '../compile-expr.ts';
import type { Program } from '../compile.ts';
import { Decimal } from '../decimal.ts';
import { Frame, type SubjectContext } from '../frame.ts';
import { dateNumber, MAX_FAST_SCALE } from '../row-decoder.ts';
import { DateOutOfRange, MissingValue, type Value } from '../values.ts';
import { Emitter } from './emitter.ts';
import { emitBuiltin } from './builtins.ts';
import { compareCode, emitArithmetic } from './numbers.ts';
import { PeriodSums } from './period-sums.ts';
import { emitPrevious } from './previous.ts';
import { type Column, TableColumns } from './tables.ts';
import { domainOf, sameDomain, Unsupported, type CV, type Domain, type Env, type Layout } from './values.ts';

export { Unsupported, type CV, type Domain, type Env, type Layout } from './values.ts';

/** Generates code for the expressions of one program. */
export class ExprGen {
  /** Where code is written now (the function being generated). */
  out: Emitter;
  /** Declarations at the top of the factory: tables as arrays, let and measure storage. */
  readonly decls: string[] = [];
  /** Functions of lets and measures, after the declarations. */
  readonly functions: string[] = [];
  /** Texts and other values code refers to as `K[i]`. */
  readonly constants: unknown[] = [];
  /** With Layout.pooled: the mantissas of the policy's numbers, which code refers to as `N[i]`. */
  readonly numbers: number[] = [];
  /** The sums over the periods (their totals are then variables: see PeriodSums). */
  readonly periodSums: PeriodSums;
  /** The subject fields the generated code reads (GeneratedProgram.subjectFieldsRead). */
  readonly subjectFieldsRead = new Set<number>();

  private readonly checked: CheckedPolicy;
  private readonly constIndex = new Map<unknown, number>();
  private readonly constMemo = new Map<Expr, boolean>();
  private readonly closures = new Map<Expr, Compiled>();
  private readonly constFrame: Frame;
  private readonly letDone = new Set<number>();
  private readonly measureDone = new Set<number>();
  private readonly tables: TableColumns;
  /** Per banded table and argument read from a stable place: the name caching its band index. */
  private readonly bandMemo = new Map<string, string>();

  constructor(
    private readonly program: Program,
    private readonly layout: Layout,
    private readonly names: { next: number },
  ) {
    this.checked = program.checked;
    this.out = new Emitter(names);
    this.periodSums = new PeriodSums(this, names);
    this.tables = new TableColumns((v) => this.k(v), this.decls, () => this.out.temp());
    this.constFrame = new Frame(program.letCount, program.measures.length);
    const nobody: SubjectContext = { fields: [], lets: [] };
    this.constFrame.subject = nobody;
  }

  /** The index of a constant in `K`. */
  k(value: unknown): number {
    let i = this.constIndex.get(value);
    if (i === undefined) {
      i = this.constants.length;
      this.constants.push(value);
      this.constIndex.set(value, i);
    }
    return i;
  }

  // ── Constants ────────────────────────────────────────────────────────────────────────────────

  /** Whether `e` has one value whatever the record, subject or totals (a loop key counts as known). */
  isConst(e: Expr): boolean {
    const memo = this.constMemo.get(e);
    if (memo !== undefined) return memo;
    const c = this.constness(e);
    this.constMemo.set(e, c);
    return c;
  }

  private constness(e: Expr): boolean {
    switch (e.kind) {
      case 'number':
      case 'string':
      case 'bool':
      case 'date':
        return true;
      case 'name': {
        const r = this.checked.names.get(e);
        switch (r?.r) {
          case 'parameter': case 'setting': case 'enumValue': case 'loop': return true;
          case 'ambient': return r.name !== 'period' && r.name !== '$version';
          case 'let': {
            const d = this.checked.lets[r.index]!.deps;
            return !d.record && !d.subject && !d.period && !d.totals;
          }
          default: return false;
        }
      }
      case 'unary': return this.isConst(e.operand);
      case 'binary': return this.isConst(e.left) && this.isConst(e.right);
      case 'between': return this.isConst(e.value) && this.isConst(e.low) && this.isConst(e.high);
      case 'presence': return this.isConst(e.value);
      case 'in': return this.isConst(e.value) && e.items.every((i) => this.isConst(i));
      case 'if': return this.isConst(e.cond) && this.isConst(e.then) && this.isConst(e.otherwise);
      case 'index': {
        const t = this.checked.types.get(e.target);
        return t?.t === 'table' && this.isConst(e.key);
      }
      case 'member': {
        const t = e.target;
        if (t.kind === 'index' && this.checked.types.get(t.target)?.t === 'table') return this.isConst(t.key);
        if (t.kind === 'call' && this.checked.bandCalls.has(t)) return this.isConst(t.args[0]!);
        return false;
      }
      case 'call':
        return !this.checked.bandCalls.has(e) && e.args.every((a) => this.isConst(a));
      case 'aggregate':
        return false;
      default:
        return assertNever(e);
    }
  }

  /** The value of a constant expression, worked out by the interpreter's own closure. */
  private constValue(e: Expr, env: Env): CV {
    let c = this.closures.get(e);
    if (!c) this.closures.set(e, (c = this.program.closureOf(e)));
    const f = this.constFrame;
    f.loop = env.loop;
    f.refresh();
    try {
      return { k: 'const', value: c(f) };
    } catch (err) {
      // A constant date out of range rejects each record with its own reason: the interpreter's.
      if (err instanceof DateOutOfRange) throw new Unsupported('a constant date out of range');
      if (err instanceof MissingValue) return { k: 'miss', what: err.what };
      throw err;
    }
  }

  // ── Materialising values ─────────────────────────────────────────────────────────────────────

  /** Stops the rule here for the missing constant (the code after it is never reached). */
  private stop(cv: Extract<CV, { k: 'miss' }>): void {
    this.out.line(`missing(${this.k(cv.what)});`);
  }

  /** A number's parts. */
  num(cv: CV): { m: string; s: string } {
    if (cv.k === 'num') return cv;
    if (cv.k === 'miss') {
      this.stop(cv);
      return { m: '0', s: '0' };
    }
    if (cv.k === 'const' && cv.value instanceof Decimal) return this.literal(cv.value);
    throw new Unsupported(`not a number: ${cv.k}`);
  }

  /** A constant number as literals, or an overflow when it has no fast form. */
  private literal(d: Decimal): { m: string; s: string } {
    const m = d.safeMantissa;
    if (m !== undefined && d.scale <= MAX_FAST_SCALE) return { m: this.layout.pooled ? `N[${this.pooled(m)}]` : String(m), s: String(d.scale) };
    this.out.line('overflow();');
    return { m: '0', s: '0' };
  }

  /**
   * The index of a mantissa in the pool `N`: one entry per place the code reads a number, never
   * shared by equal values — so the indices follow the policy's shape alone, and an edit that
   * makes two numbers equal (or unequal) leaves the source as it was.
   */
  private pooled(m: number): number {
    this.numbers.push(m);
    return this.numbers.length - 1;
  }

  /** A strict yes/no as a JavaScript boolean. */
  bool(cv: CV): string {
    if (cv.k === 'bool') return cv.v;
    if (cv.k === 'const' && typeof cv.value === 'boolean') return String(cv.value);
    if (cv.k === 'miss') {
      this.stop(cv);
      return 'false';
    }
    throw new Unsupported(`not a yes/no: ${cv.k}`);
  }

  /** An enum value's index in `dom`, or a date as YYYYMMDD. */
  private code(cv: CV, dom: Domain): string {
    if (cv.k === 'code') {
      if (!sameDomain(cv.dom, dom)) throw new Unsupported('values of two different enums');
      return cv.v;
    }
    if (cv.k === 'const' && typeof cv.value === 'string') return String(this.codeOf(cv.value, dom));
    if (cv.k === 'miss') {
      this.stop(cv);
      return '-1';
    }
    throw new Unsupported(`not an enum value or date: ${cv.k}`);
  }

  /** The code of a constant text in `dom` (-2, equal to no code, when it is not one of them). */
  private codeOf(text: string, dom: Domain): number {
    if (dom === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(text) ? dateNumber(text) : -2;
    return dom.indexOf(text) >= 0 ? dom.indexOf(text) : -2;
  }

  private text(cv: CV): string {
    if (cv.k === 'text') return cv.v;
    if (cv.k === 'const' && typeof cv.value === 'string') return `K[${this.k(cv.value)}]`;
    if (cv.k === 'miss') {
      this.stop(cv);
      return 'undefined';
    }
    throw new Unsupported(`not a text: ${cv.k}`);
  }

  /** `cv` in the representation of type `t` (for both branches of an `if`). */
  private as(cv: CV, t: Type | undefined): CV {
    switch (t?.t) {
      case 'number': return { k: 'num', ...this.num(cv) };
      case 'bool': return { k: 'bool', v: this.bool(cv) };
      case 'enum': case 'date': return { k: 'code', v: this.code(cv, domainOf(t)), dom: domainOf(t) };
      case 'text': return { k: 'text', v: this.text(cv) };
      default: throw new Unsupported(`a value of type ${t?.t}`);
    }
  }

  // ── Strict values: a missing value stops the rule ───────────────────────────────────────────

  /** Compiles `e`; the result is present (reading a missing value throws MISSING). */
  strict(e: Expr, env: Env): CV {
    if (this.isConst(e)) return this.constValue(e, env);
    const o = this.out;
    switch (e.kind) {
      case 'number': case 'string': case 'bool': case 'date':
        return this.constValue(e, env);
      case 'name': return this.name(e, env);
      case 'unary': {
        const x = this.strict(e.operand, env);
        const t = o.temp();
        if (e.op === 'not') {
          o.line(`const ${t} = !${this.bool(x)};`);
          return { k: 'bool', v: t };
        }
        const n = this.num(x);
        o.line(`const ${t} = ${n.m} === 0 ? 0 : -${n.m};`);
        return { k: 'num', m: t, s: n.s };
      }
      case 'binary': return this.binary(e, env);
      case 'between': return this.between(e, env);
      case 'presence': {
        const v = this.lenient(e.value, env);
        const t = o.temp();
        o.line(`const ${t} = ${e.present ? '' : '!'}${this.present(v)};`);
        return { k: 'bool', v: t };
      }
      case 'in': {
        const v = this.lenient(e.value, env);
        const items = e.items.map((i) => this.lenient(i, env));
        const t = o.temp();
        o.line(`const ${t} = ${items.length === 0 ? 'false' : items.map((i) => this.equal(v, i)).join(' || ')};`);
        return { k: 'bool', v: t };
      }
      case 'if': {
        const type = this.checked.types.get(e);
        const c = this.bool(this.strict(e.cond, env));
        return this.choice(type, c, () => this.strict(e.then, env), () => this.strict(e.otherwise, env));
      }
      case 'index': return this.index(e, env);
      case 'member': return this.member(e, env);
      case 'call': return this.call(e, env);
      case 'aggregate': {
        if (env.scope !== 'totals') throw new Unsupported('an aggregate per record');
        if (this.checked.periodSums.has(e)) return this.periodSums.emit(e, env);
        const ai = this.program.aggregateNodes.indexOf(e);
        if (ai < 0) throw new Unsupported('an aggregate the program does not total');
        const slot = this.layout.aggregateSlot[ai]!;
        if (e.by) return { k: 'group', base: slot, keys: this.program.policy.record.fields.find((f) => f.id === e.by!.name)!.values };
        return { k: 'num', m: `TM[${slot}]`, s: `TS[${slot}]` };
      }
      default: return assertNever(e);
    }
  }

  /** `if c then a else b`: one result, assigned in either branch. */
  private choice(type: Type | undefined, cond: string, then: () => CV, otherwise: () => CV): CV {
    const o = this.out;
    const r = o.temp();
    const rs = o.temp();
    const init = type?.t === 'number' ? `let ${r} = 0, ${rs} = 0;` : type?.t === 'bool' ? `let ${r} = false;` : type?.t === 'text' ? `let ${r};` : `let ${r} = -1;`;
    o.line(init);
    const assign = (cv: CV) => {
      const v = this.as(cv, type);
      if (v.k === 'num') o.line(`${r} = ${v.m}; ${rs} = ${v.s};`);
      else if (v.k === 'bool' || v.k === 'code' || v.k === 'text') o.line(`${r} = ${v.v};`);
    };
    o.block(`if (${cond})`, () => assign(then()));
    o.block('else', () => assign(otherwise()));
    switch (type?.t) {
      case 'number': return { k: 'num', m: r, s: rs };
      case 'bool': return { k: 'bool', v: r };
      case 'text': return { k: 'text', v: r };
      default: return { k: 'code', v: r, dom: domainOf(type) };
    }
  }

  private name(e: Extract<Expr, { kind: 'name' }>, env: Env): CV {
    const r = this.checked.names.get(e);
    const o = this.out;
    switch (r?.r) {
      case 'field':
      case 'subjectField': {
        const f = r.field;
        const miss = this.k(f.id);
        const at = this.slotsOf(r.r, r.index);
        // A record's required field was checked when the row was read: it is never missing
        // here. (A subject's may be: a subject not in the subjects file has no fields at all.)
        const check = (test: string) => {
          if (!(r.r === 'field' && f.required)) o.line(`if (${test}) missing(${miss});`);
        };
        switch (f.type) {
          case 'number':
            check(`${at.s} < 0`);
            return { k: 'num', m: at.m, s: at.s };
          case 'bool':
            check(`${at.c} < 0`);
            return { k: 'bool', v: `(${at.c} === 1)` };
          case 'enum':
          case 'date':
            check(`${at.c} < 0`);
            return { k: 'code', v: at.c, dom: f.type === 'date' ? 'date' : f.values };
          case 'text': {
            const t = o.temp();
            o.line(`const ${t} = ${at.t};`);
            check(`${t} === undefined`);
            return { k: 'text', v: t };
          }
        }
        break;
      }
      case 'ambient':
        if (r.name === '$version') return { k: 'num', m: 'VER', s: '0' };
        if (r.name !== 'period') return this.constValue(e, env);
        // No period (the cycle's scope) is NaN: a record's period may be below zero (a quarter
        // before a calendar cycle's first), and is a value all the same.
        o.line(`if (PER !== PER) missing(${this.k('period')});`);
        return { k: 'num', m: 'PER', s: '0' };
      case 'let': return this.letValue(r.index);
      case 'measure': return this.measureValue(r.index, env);
      case 'parameter': case 'setting': case 'enumValue': case 'loop':
        return this.constValue(e, env);
      case 'table': case undefined:
        throw new Unsupported(`a bare ${r?.r ?? 'unresolved'} name`);
      default: return assertNever(r);
    }
    throw new Unsupported('field type');
  }

  /** Where a record or subject field's value lies. */
  private slotsOf(kind: 'field' | 'subjectField', i: number): { m: string; s: string; c: string; t: string } {
    if (kind === 'field') return { m: `RM[${i}]`, s: `RS[${i}]`, c: `RC[${i}]`, t: `RT(${i})` };
    this.subjectFieldsRead.add(i);
    return { m: `SM${i}[si]`, s: `SS${i}[si]`, c: `SC${i}[si]`, t: `ST${i}[si]` };
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>, env: Env): CV {
    const o = this.out;
    if (e.op === '==' || e.op === '!=') {
      const a = this.lenient(e.left, env);
      const b = this.lenient(e.right, env);
      const t = o.temp();
      o.line(`const ${t} = ${e.op === '==' ? '' : '!'}${this.equal(a, b)};`);
      return { k: 'bool', v: t };
    }
    if (e.op === 'and' || e.op === 'or') return this.logical(e, e.op, env);
    const a = this.strict(e.left, env);
    const b = this.strict(e.right, env);
    const t = o.temp();
    switch (e.op) {
      case '<': case '<=': case '>': case '>=': {
        const type = this.checked.types.get(e.left);
        if (type?.t === 'date') {
          o.line(`const ${t} = ${this.code(a, 'date')} ${e.op} ${this.code(b, 'date')};`);
        } else {
          o.line(`const ${t} = ${compareCode(this.num(a), this.num(b), e.op)};`);
        }
        return { k: 'bool', v: t };
      }
      case '+': case '-': case '*': case '/':
        return { k: 'num', ...emitArithmetic(this.out, e.op, this.num(a), this.num(b), t) };
      default: return assertNever(e.op);
    }
  }

  /** A chain of `and` (or `or`), evaluated in order until one operand decides it. */
  private logical(e: Expr, op: 'and' | 'or', env: Env): CV {
    const o = this.out;
    const r = o.temp();
    const label = o.temp();
    o.line(`let ${r} = ${op === 'or'};`);
    o.block(`${label}:`, () => {
      for (const x of flatten(e, op)) {
        const v = this.bool(this.strict(x, env));
        o.line(op === 'and' ? `if (!${v}) break ${label};` : `if (${v}) break ${label};`);
      }
      o.line(`${r} = ${op === 'and'};`);
    });
    return { k: 'bool', v: r };
  }

  /** `v between lo and hi`: v, then lo, then hi only if lo ≤ v (as the interpreter runs them). */
  private between(e: Extract<Expr, { kind: 'between' }>, env: Env): CV {
    const o = this.out;
    const date = this.checked.types.get(e.value)?.t === 'date';
    const v = this.strict(e.value, env);
    const lo = this.strict(e.low, env);
    const r = o.temp();
    o.line(`let ${r} = false;`);
    const le = (a: CV, b: CV): string => {
      if (date) return `${this.code(a, 'date')} <= ${this.code(b, 'date')}`;
      return compareCode(this.num(a), this.num(b), '<=');
    };
    o.block(`if (${le(lo, v)})`, () => {
      const hi = this.strict(e.high, env);
      o.line(`${r} = ${le(v, hi)};`);
    });
    return { k: 'bool', v: r };
  }

  private index(e: Extract<Expr, { kind: 'index' }>, env: Env): CV {
    const target = this.strict(e.target, env);
    if (target.k !== 'group') throw new Unsupported('a table row as a value');
    const key = this.strict(e.key, env);
    if (key.k === 'const' && typeof key.value === 'string') {
      const at = target.keys.indexOf(key.value);
      // A key with no group has no records: zero, as the interpreter's lookup gives.
      return at < 0 ? { k: 'const', value: Decimal.ZERO } : { k: 'num', m: `TM[${target.base + at}]`, s: `TS[${target.base + at}]` };
    }
    const c = this.code(key, target.keys);
    const t = this.out.temp();
    this.out.line(`const ${t} = ${target.base} + ${c};`);
    return { k: 'num', m: `TM[${t}]`, s: `TS[${t}]` };
  }

  private member(e: Extract<Expr, { kind: 'member' }>, env: Env): CV {
    const t = e.target;
    const o = this.out;
    const type = this.checked.types.get(e);
    if (t.kind === 'index') {
      const tt = this.checked.types.get(t.target);
      if (tt?.t !== 'table' || tt.table.kind !== 'keyed') throw new Unsupported('member of a row');
      const table = tt.table;
      const p = this.program.policy;
      const dom = (p.record.fields.find((f) => f.id === table.key) ?? p.subject.fields.find((f) => f.id === table.key))?.values;
      if (!dom) throw new Unsupported('table key');
      const key = this.code(this.strict(t.key, env), dom);
      const col = this.tables.keyed(table, e.name, dom);
      if (!col) throw new Unsupported('column');
      const v = o.temp();
      o.line(`const ${v} = ${key};`);
      return this.cell(col, v, type);
    }
    if (t.kind === 'call') {
      const band = this.checked.bandCalls.get(t);
      if (!band) throw new Unsupported('member of a call');
      const x = this.num(this.strict(t.args[0]!, env));
      const b = this.bandOf(band, x);
      const col = this.tables.band(band, e.name);
      if (!col) throw new Unsupported('column');
      return this.cell(col, b, type);
    }
    throw new Unsupported('member of a value');
  }

  /** Reads a column array at `at`: a missing entry stops the rule with its name, one without a fast form overflows. */
  private cell(col: Column, at: string, type: Type | undefined): CV {
    const o = this.out;
    o.line(`if (${col.s}[${at}] < 0) { if (${col.s}[${at}] === -1) missing(${col.what}[${at}]); overflow(); }`);
    switch (type?.t) {
      case 'number': return { k: 'num', m: `${col.m}[${at}]`, s: `${col.s}[${at}]` };
      case 'bool': return { k: 'bool', v: `(${col.m}[${at}] === 1)` };
      case 'text': return { k: 'text', v: `K[${col.m}[${at}]]` };
      case 'date': return { k: 'code', v: `${col.m}[${at}]`, dom: 'date' };
      default: throw new Unsupported(`a column of type ${type?.t}`);
    }
  }

  /**
   * The index of the band `x` falls in (bands by descending lower bound; the last index is
   * `below`). When `x` is a field or a let, the band is worked out once per record or scope and
   * kept, as rules look the same band up for several columns (`grade(score).coefficient`,
   * `grade(score).passed`).
   */
  private bandOf(band: BandTableDecl, x: { m: string; s: string }): string {
    const o = this.out;
    const b = o.temp();
    o.line(`let ${b};`);
    const stable = /^(RM\[\d+\]|SM\d+\[si\]|[LMI]\d+m)$/.test(x.m);
    const memoKey = `${band.id}\u0000${x.m}`;
    const memos = this.inline?.bands ?? this.bandMemo;
    let memo = stable ? memos.get(memoKey) : undefined;
    if (stable && !memo) {
      memo = o.temp();
      memos.set(memoKey, memo);
      // In an inlining function a local (set per call); elsewhere kept per STAMP.
      if (this.inline) this.inline.prelude.push(`let ${memo}d = false, ${memo}v = 0;`);
      else this.decls.push(`let ${memo}t = 0, ${memo}v = 0;`);
    }
    if (memo) {
      const known = this.inline ? `${memo}d` : `${memo}t === STAMP`;
      const mark = this.inline ? `${memo}d = true;` : `${memo}t = STAMP;`;
      o.block(`if (${known}) ${b} = ${memo}v; else`, () => {
        this.bandTests(band, x, b);
        o.line(`${memo}v = ${b}; ${mark}`);
      });
      return b;
    }
    this.bandTests(band, x, b);
    return b;
  }

  private bandTests(band: BandTableDecl, x: { m: string; s: string }, b: string): void {
    const o = this.out;
    o.line(`${b} = ${band.bands.length};`);
    const tests = band.bands.map((bd, i) => {
      const d = Decimal.parse(bd.from)!;
      const m = d.safeMantissa;
      if (m === undefined || d.scale > MAX_FAST_SCALE) throw new Unsupported('a band bound without a fast form');
      return `if ${compareCode(x, { m: String(m), s: String(d.scale) }, '>=')} ${b} = ${i};`;
    });
    if (tests.length > 0) o.line(tests.join(' else '));
  }

  private call(e: Extract<Expr, { kind: 'call' }>, env: Env): CV {
    if (this.checked.bandCalls.has(e)) throw new Unsupported('a band row as a value');
    const previous = this.checked.previousCalls.get(e);
    if (previous !== undefined) return emitPrevious(this, e, previous, this.program.measures[previous]!.quotient !== undefined, env);
    const args = e.args.map((a) => this.strict(a, env));
    return emitBuiltin(this.out, e.callee, args, { date: (cv) => this.code(cv, 'date'), num: (cv) => this.num(cv) });
  }

  // ── Lets and measures: a function each, its value cached until the next record or scope ─────

  /**
   * Starts a function whose lets are written out where they are first needed, into locals
   * declared at its top (the prelude), rather than called: the per-record function runs for
   * every row, and calls it makes cost more than the code they save.
   */
  beginInline(): void {
    this.inline = { prelude: [], lets: new Set(), bands: new Map() };
  }

  /** Ends an inlining function: the declarations its top needs. */
  endInline(): string[] {
    const prelude = this.inline?.prelude ?? [];
    this.inline = undefined;
    return prelude;
  }

  private inline: { prelude: string[]; lets: Set<number>; bands: Map<string, string> } | undefined;

  private letValue(i: number): CV {
    const l = this.checked.lets[i]!;
    const inline = this.inline;
    if (inline) {
      // Worked out once, where first needed: `I3d` says whether `I3m`/`I3s` (or `I3v`) hold it.
      const name = `I${i}`;
      if (!inline.lets.has(i)) {
        inline.lets.add(i);
        inline.prelude.push(l.type.t === 'number' ? `let ${name}d = false, ${name}m = 0, ${name}s = 0;` : `let ${name}d = false, ${name}v;`);
      }
      const o = this.out;
      o.block(`if (!${name}d)`, () => {
        const v = this.as(this.strict(l.stmt.value, { scope: l.deps.totals ? 'totals' : 'record', loop: undefined }), l.type);
        if (v.k === 'num') o.line(`${name}m = ${v.m}; ${name}s = ${v.s};`);
        else if (v.k === 'bool' || v.k === 'code' || v.k === 'text') o.line(`${name}v = ${v.v};`);
        o.line(`${name}d = true;`);
      });
      return this.stored(name, l.type);
    }
    const name = `L${i}`;
    if (!this.letDone.has(i)) {
      this.letDone.add(i);
      this.cachedFunction(name, l.type, () => this.strict(l.stmt.value, { scope: l.deps.totals ? 'totals' : 'record', loop: undefined }));
    }
    this.out.line(`${name}();`);
    return this.stored(name, l.type);
  }

  /** The value of measure `j` in the current scope (a grouped one as its slots). */
  measureValue(j: number, env: Env): CV {
    const m = this.checked.measures[j]!;
    if (m.type.t === 'group') {
      // A grouped measure is its grouped sum: the same slots, nothing to work out.
      const g = this.strict(m.stmt.value, env);
      if (g.k !== 'group') throw new Unsupported('a grouped measure that is not a grouped sum');
      return g;
    }
    const name = `M${j}`;
    if (!this.measureDone.has(j)) {
      this.measureDone.add(j);
      this.cachedFunction(name, m.type, () => this.strict(m.stmt.value, { scope: 'totals', loop: undefined }));
    }
    this.out.line(`${name}();`);
    return this.stored(name, m.type);
  }

  /** A function that works out a value once per STAMP (a record, or a scope) into `name`'s storage. */
  private cachedFunction(name: string, type: Type, body: () => CV): void {
    const saved = this.out;
    const fn = new Emitter(this.names, 1);
    this.out = fn;
    const cv = body();
    const v = this.as(cv, type);
    if (v.k === 'num') fn.line(`${name}m = ${v.m}; ${name}s = ${v.s};`);
    else if (v.k === 'bool' || v.k === 'code' || v.k === 'text') fn.line(`${name}v = ${v.v};`);
    fn.line(`${name}t = STAMP;`);
    this.out = saved;
    this.decls.push(type.t === 'number' ? `let ${name}t = 0, ${name}m = 0, ${name}s = 0;` : `let ${name}t = 0, ${name}v;`);
    this.functions.push(`function ${name}() {\n  if (${name}t === STAMP) return;\n${fn.text()}\n}`);
  }

  private stored(name: string, type: Type): CV {
    switch (type.t) {
      case 'number': return { k: 'num', m: `${name}m`, s: `${name}s` };
      case 'bool': return { k: 'bool', v: `${name}v` };
      case 'text': return { k: 'text', v: `${name}v` };
      case 'enum': case 'date': return { k: 'code', v: `${name}v`, dom: domainOf(type) };
      default: throw new Unsupported(`a let of type ${type.t}`);
    }
  }

  // ── Lenient values: for ==, !=, in and is present, where a missing value is a value ──────────

  /** Compiles `e` for an operation defined on missing values: the result may be missing. */
  lenient(e: Expr, env: Env): CV {
    if (this.isConst(e)) return this.constValue(e, env);
    const o = this.out;
    if (e.kind === 'name') {
      const r = this.checked.names.get(e);
      if (r?.r === 'field' || r?.r === 'subjectField') {
        const f = r.field;
        const at = this.slotsOf(r.r, r.index);
        switch (f.type) {
          case 'number': return { k: 'num', m: at.m, s: at.s };
          case 'bool': return { k: 'tri', v: at.c };
          case 'enum': return { k: 'code', v: at.c, dom: f.values };
          case 'date': return { k: 'code', v: at.c, dom: 'date' };
          case 'text': {
            const t = o.temp();
            o.line(`const ${t} = ${at.t};`);
            return { k: 'text', v: t };
          }
        }
      }
      // The version is never missing: its value as it is, with no guard.
      if (r?.r === 'ambient' && r.name === '$version') return { k: 'num', m: 'VER', s: '0' };
      if (r?.r === 'ambient' && r.name === 'period') {
        const s = o.temp();
        o.line(`const ${s} = PER !== PER ? -1 : 0;`);
        return { k: 'num', m: 'PER', s };
      }
    }
    // Anything else (a let or measure included): its strict value, or missing if it stopped.
    const type = this.checked.types.get(e);
    const r = o.temp();
    const rs = o.temp();
    o.line(type?.t === 'number' ? `let ${r} = 0, ${rs} = -1;` : type?.t === 'text' ? `let ${r};` : `let ${r} = -1;`);
    const ex = o.temp();
    o.block('try', () => {
      const v = this.as(this.strict(e, env), type);
      if (v.k === 'num') o.line(`${r} = ${v.m}; ${rs} = ${v.s};`);
      else if (v.k === 'bool') o.line(`${r} = ${v.v} ? 1 : 0;`);
      else if (v.k === 'code' || v.k === 'text') o.line(`${r} = ${v.v};`);
    });
    o.block(`catch (${ex})`, () => o.line(`if (${ex} !== MISSING) throw ${ex};`));
    switch (type?.t) {
      case 'number': return { k: 'num', m: r, s: rs };
      case 'bool': return { k: 'tri', v: r };
      case 'text': return { k: 'text', v: r };
      default: return { k: 'code', v: r, dom: domainOf(type) };
    }
  }

  /** Whether a lenient value is present, as a JavaScript boolean. */
  private present(v: CV): string {
    switch (v.k) {
      case 'num': return `(${v.s} >= 0)`;
      case 'tri': case 'code': return `(${v.v} >= 0)`;
      case 'text': return `(${v.v} !== undefined)`;
      case 'bool': case 'const': return 'true';
      case 'miss': return 'false';
      case 'group': throw new Unsupported('presence of a group');
      default: return assertNever(v);
    }
  }

  /** `a == b` on lenient values: a missing value equals nothing, not even another missing value. */
  private equal(a: CV, b: CV): string {
    if (a.k === 'miss' || b.k === 'miss') return 'false';
    if (a.k === 'const' && b.k === 'const') return String(sameConst(a.value, b.value));
    if (a.k === 'const') [a, b] = [b, a];
    // Now `a` is not a constant (or both are known not to be).
    switch (a.k) {
      case 'num': {
        const y = b.k === 'const' ? this.num(b) : b.k === 'num' ? b : undefined;
        if (!y) throw new Unsupported('== between a number and something else');
        // Scales written as numbers are known present: equal ones compare the mantissas alone.
        const known = (x: string) => /^\d+$/.test(x);
        if (known(a.s) && known(y.s)) return a.s === y.s ? `(${a.m} === ${y.m})` : `(cmp(${a.m}, ${a.s}, ${y.m}, ${y.s}) === 0)`;
        return `(${a.s} >= 0 && ${y.s} >= 0 && cmp(${a.m}, ${a.s}, ${y.m}, ${y.s}) === 0)`;
      }
      case 'code': {
        if (b.k === 'const') return typeof b.value === 'string' ? `(${a.v} === ${this.codeOf(b.value, a.dom)})` : 'false';
        if (b.k !== 'code' || !sameDomain(a.dom, b.dom)) throw new Unsupported('== between values of different kinds');
        return `(${a.v} >= 0 && ${a.v} === ${b.v})`;
      }
      case 'tri': case 'bool': {
        const x = a.k === 'tri' ? a.v : `(${a.v} ? 1 : 0)`;
        if (b.k === 'const') return typeof b.value === 'boolean' ? `(${x} === ${b.value ? 1 : 0})` : 'false';
        const y = b.k === 'tri' ? b.v : b.k === 'bool' ? `(${b.v} ? 1 : 0)` : undefined;
        if (!y) throw new Unsupported('== between a yes/no and something else');
        return `(${x} >= 0 && ${x} === ${y})`;
      }
      case 'text': {
        if (b.k === 'const') return typeof b.value === 'string' ? `(${a.v} === K[${this.k(b.value)}])` : 'false';
        if (b.k !== 'text') throw new Unsupported('== between a text and something else');
        return `(${a.v} !== undefined && ${a.v} === ${b.v})`;
      }
      case 'group': case 'const':
        throw new Unsupported('== on a group');
      default: return assertNever(a);
    }
  }
}

/** Equality of two present constants, as the interpreter's sameValue. */
function sameConst(a: Value, b: Value): boolean {
  if (a instanceof Decimal) return b instanceof Decimal && a.eq(b);
  return a === b;
}

/** The operands of a left- or right-nested chain of one logical operator, in order. */
function flatten(e: Expr, op: 'and' | 'or'): Expr[] {
  if (e.kind !== 'binary' || e.op !== op) return [e];
  return [...flatten(e.left, op), ...flatten(e.right, op)];
}
