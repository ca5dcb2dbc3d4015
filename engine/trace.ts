// Tracing: what a program compiled with a trace sink (`compilePolicy(checked, { trace })`)
// records while the interpreter runs it — the value of every expression node it works out, the
// band a banded lookup chose, and each let as it is finished — so that `guize explain` can show,
// in the policy's own terms, how a record's values and a requirement's check came about. The
// program is the same program `eval` runs, with each closure wrapped; without a sink nothing is
// instrumented, and `guize eval` runs the generated code as before (engine/coverage.ts works the
// same way).
//
// Values are kept by AST node with a sequence number: a node runs at most once per record (lets
// are cached per record), but a requirement checked once per loop key runs its nodes once per
// key, so whoever reads the values says from which point on they count (`mark`).

import type { Expr } from '../dsl/index.ts';
import type { Value } from './values.ts';

/** What one expression node came to, the last time it ran. */
export interface TracedValue {
  /** Its value (undefined: a missing value, in the operations that accept one). */
  readonly value: Value;
  /** Set when the node stopped the rule for want of a value: what was missing. */
  readonly missing: string | undefined;
  /** When it was recorded: larger than every node it read. */
  readonly seq: number;
}

/** A let finished while tracing: its index in the checked policy and when it started. */
export interface TracedLet {
  readonly index: number;
  /** The sequence number before its body ran: its nodes were recorded after it. */
  readonly from: number;
}

/**
 * Collects what a traced program works out. One sink belongs to one traced program; the caller
 * calls {@link reset} before each record (or subject) it wants to read apart.
 */
export class TraceSink {
  private seq = 0;
  private readonly values = new Map<Expr, TracedValue>();
  private readonly bandLabels = new Map<Expr, string>();
  /** Lets finished since the last reset, in the order they finished (a let's own lets first). */
  lets: TracedLet[] = [];

  /** The current sequence number: values recorded from now on are greater. */
  get mark(): number {
    return this.seq;
  }

  /** Forgets everything recorded (the sequence goes on). */
  reset(): void {
    this.values.clear();
    this.bandLabels.clear();
    this.lets = [];
  }

  /** Node `e` gave `value`. */
  value(e: Expr, value: Value): void {
    this.values.set(e, { value, missing: undefined, seq: ++this.seq });
  }

  /** Node `e` needed `what`, which was missing. */
  missing(e: Expr, what: string): void {
    this.values.set(e, { value: undefined, missing: what, seq: ++this.seq });
  }

  /** The banded lookup `e` chose the band labelled `label`. */
  band(e: Expr, label: string): void {
    this.bandLabels.set(e, label);
  }

  /** Let `index`, whose body started at `from`, is finished. */
  letDone(index: number, from: number): void {
    this.lets.push({ index, from });
  }

  /** What node `e` came to, if it ran after `since`. */
  get(e: Expr, since: number): TracedValue | undefined {
    const v = this.values.get(e);
    return v !== undefined && v.seq > since ? v : undefined;
  }

  /** The band the lookup `e` chose when it last ran. */
  bandOf(e: Expr): string | undefined {
    return this.bandLabels.get(e);
  }
}
