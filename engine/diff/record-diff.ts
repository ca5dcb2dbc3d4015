// The record rows of a diff: one pass over the file feeds every row to both sides' evaluations
// (a tee of their byte sinks), and after each row what became of it on each side is compared —
// its outcome, the rule that decided it, and, when it counted on both, what it added to its
// subject's totals. Nothing is kept per row: only counts, and counts by rule.

import type { Program } from '../compile.ts';
import { Decimal } from '../decimal.ts';
import { RowOutcome, totalSlotNames, type Evaluation, type RowAdded } from '../evaluate.ts';
import { MAX_ROW_BYTES, type CsvSink } from '../input/csv-scan.ts';
import type { RecordChanges } from './diff-json.ts';

/**
 * A sink feeding both `a` and `b` from one scan, calling `after` once both have taken a row.
 * Header problems (warnings, not rows) go to `a` alone, so they are said once. When both sides
 * read rows with a generated parser the tee does too; when only one side's parser takes a row,
 * the scanner reads it for the other (the side that took it is skipped for that line).
 *
 * With `sides` (the evaluations behind `a` and `b`), when both read the records file's rows
 * alike, each row is parsed once, by `a`'s parser, and handed to `b` as parsed.
 */
export function teeSink(a: CsvSink, b: CsvSink, after: () => void, sides?: { readonly a: Evaluation; readonly b: Evaluation }): CsvSink {
  // The line of a row a side already took through its own parser (-1: none).
  let aLine = -1;
  let bLine = -1;
  const fast = (bytes: Uint8Array, start: number, lastLineFeed: number, line: number): number => {
    const na = aLine === line ? -1 : a.fastRow!(bytes, start, lastLineFeed, line);
    if (na >= 0) aLine = line;
    const nb = bLine === line ? -1 : b.fastRow!(bytes, start, lastLineFeed, line);
    if (nb >= 0) bLine = line;
    if (aLine === line && bLine === line) {
      aLine = bLine = -1;
      after();
      return na >= 0 ? na : nb;
    }
    return -1;
  };
  // One parse for both sides: the same parser declines the same rows, so a row it declines goes
  // to both sides through the scanner. `b` copies the parsed row before `a`'s rules run.
  const shared = (ea: Evaluation, eb: Evaluation) => {
    const one = (bytes: Uint8Array, start: number, line: number): number => {
      const next = ea.parseRecordRow(bytes, start);
      // Too long a row goes to the scanner, which rejects it (as Evaluation's own fast rows do).
      if (next < 0 || next - start > MAX_ROW_BYTES) return -1;
      eb.copyRecordRow(ea);
      ea.ingestParsedRow(bytes, line);
      eb.ingestParsedRow(bytes, line);
      after();
      return next;
    };
    tee.fastRow = (bytes, start, _lastLineFeed, line) => one(bytes, start, line);
    // Row after row, until one needs the scanner (or the chunk's last line feed).
    tee.fastRows = (bytes, start, lastLineFeed, line) => {
      let p = start;
      let n = 0;
      while (p < lastLineFeed) {
        const next = one(bytes, p, line + n);
        if (next < 0) break;
        n++;
        p = next;
      }
      tee.taken = n;
      return p;
    };
  };
  const tee: CsvSink = {
    header(names, columnOf, line, width) {
      a.header(names, columnOf, line, width);
      b.header(names, columnOf, line, width);
      tee.fastRow = a.fastRow && b.fastRow ? fast : undefined;
      tee.fastRows = undefined;
      if (tee.fastRow && sides && sides.a.parsesRecordsLike(sides.b)) shared(sides.a, sides.b);
    },
    row(bytes, starts, ends, line) {
      if (aLine !== line) a.row(bytes, starts, ends, line);
      if (bLine !== line) b.row(bytes, starts, ends, line);
      aLine = bLine = -1;
      after();
    },
    error(line, reason, header) {
      if (header) return a.error(line, reason, header);
      if (aLine !== line) a.error(line, reason, header);
      if (bLine !== line) b.error(line, reason, header);
      aLine = bLine = -1;
      after();
    },
  };
  return tee;
}

/** Counts of changed rows by rule, per side. */
interface RuleCount {
  base: number;
  head: number;
}

/**
 * Compares what became of each record row on the two sides, row by row (call {@link compare}
 * after both evaluations took a row). Every changed row is counted under exactly one of:
 * accepted → rejected, rejected → accepted, counted → disregarded, disregarded → counted, into
 * or out of scope, decided by another rule with the same outcome, or counted on both with
 * different contributions to the totals both sides have — so `rows_changed` is their sum.
 */
export class RecordComparison {
  private acceptedToRejected = 0;
  private rejectedToAccepted = 0;
  private countedToDisregarded = 0;
  private disregardedToCounted = 0;
  private toOutOfScope = 0;
  private fromOutOfScope = 0;
  private otherRule = 0;
  private valuesChanged = 0;
  private rowsCompared = 0;
  private readonly byRule = new Map<string, RuleCount>();
  /** Per slot of base's totals, head's slot of the same name (see totalSlotNames), or -1. */
  private readonly pairOf: Int32Array;
  /** Per slot of head's totals: the aggregate adding to it, and whether base has the slot too. */
  private readonly headAggregate: Int32Array;
  private readonly headPaired: Uint8Array;

  constructor(
    private readonly base: Evaluation,
    private readonly head: Evaluation,
    private readonly baseProgram: Program,
    private readonly headProgram: Program,
  ) {
    const a = totalSlotNames(baseProgram);
    const b = totalSlotNames(headProgram);
    const inHead = new Map(b.map((n, i) => [n, i]));
    this.pairOf = Int32Array.from(a, (n) => inHead.get(n) ?? -1);
    this.headPaired = new Uint8Array(b.length);
    for (const j of this.pairOf) if (j >= 0) this.headPaired[j] = 1;
    this.headAggregate = new Int32Array(b.length);
    let slot = 0;
    headProgram.aggregates.forEach((agg, i) => {
      const n = agg.positions === undefined ? 1 : agg.positions.size;
      for (let k = 0; k < n; k++) this.headAggregate[slot++] = i;
    });
  }

  /** Compares the row both sides have just taken. */
  compare(): void {
    this.rowsCompared++;
    const a = this.base.rowOutcome;
    const b = this.head.rowOutcome;
    if (a === RowOutcome.Counted && b === RowOutcome.Counted) {
      if (this.contributionsDiffer()) this.valuesChanged++;
      return;
    }
    const ra = this.base.rowRule;
    const rb = this.head.rowRule;
    if (a === b && ra === rb) return;
    const accepted = (x: RowOutcome) => x === RowOutcome.Counted || x === RowOutcome.Disregarded;
    if (a === b) this.otherRule++;
    else if (b === RowOutcome.OutOfScope) this.toOutOfScope++;
    else if (a === RowOutcome.OutOfScope) this.fromOutOfScope++;
    else if (accepted(a) && b === RowOutcome.Rejected) this.acceptedToRejected++;
    else if (a === RowOutcome.Rejected && accepted(b)) this.rejectedToAccepted++;
    else if (a === RowOutcome.Counted) this.countedToDisregarded++;
    else this.disregardedToCounted++;
    if (a !== RowOutcome.Counted) this.count(ra!).base++;
    if (b !== RowOutcome.Counted) this.count(rb!).head++;
  }

  private count(rule: string): RuleCount {
    let c = this.byRule.get(rule);
    if (!c) this.byRule.set(rule, (c = { base: 0, head: 0 }));
    return c;
  }

  /**
   * Whether the row, counted on both sides, added different amounts to any total both sides have:
   * from what each side's evaluation says the row added (one slot at most per aggregate), not
   * from the totals themselves, so a row costs its aggregates, not every slot.
   */
  private contributionsDiffer(): boolean {
    const a = this.base.rowAdded!;
    const b = this.head.rowAdded!;
    const pairOf = this.pairOf;
    let matched = 0;
    for (let i = 0; i < a.slot.length; i++) {
      const sa = a.slot[i]!;
      if (sa < 0) continue;
      const sb = pairOf[sa]!;
      // A total of base only is not compared row by row (see below).
      if (sb < 0) continue;
      const k = this.headAggregate[sb]!;
      if (b.slot[k] !== sb) return true;
      matched++;
      // Mostly the same amount at the same scale: compared as numbers; else exactly, as decimals.
      if (a.big[i] === undefined && b.big[k] === undefined && a.s[i] === b.s[k]) {
        if (a.m[i] !== b.m[k]) return true;
      } else if (!amount(a, i).eq(amount(b, k))) return true;
    }
    // Head added to a slot base has, where base added nothing.
    let paired = 0;
    for (let k = 0; k < b.slot.length; k++) {
      const sb = b.slot[k]!;
      if (sb >= 0 && this.headPaired[sb] === 1) paired++;
    }
    // A total of one side only (a measure a version or fork adds) is not compared row by row:
    // every row feeding it would count as changed, and the subjects' measures show it anyway.
    return paired !== matched;
  }

  /** The counts, as the diff document gives them. */
  json(): RecordChanges {
    const articles = new Map<string, string>();
    for (const p of [this.headProgram, this.baseProgram]) {
      for (const f of p.recordFields) if (f.decl.cites.length > 0) articles.set(f.decl.id, f.decl.cites.join('; '));
      if (p.policy.record.keyCites.length > 0) articles.set(p.policy.record.key, p.policy.record.keyCites.join('; '));
      for (const a of p.aggregates) if (a.cites.length > 0) articles.set(a.owner, a.cites.join('; '));
      for (const o of p.outcomes) if (o.cites.length > 0) articles.set(o.id, o.cites.join('; '));
    }
    const byRule = [...this.byRule]
      .sort(([x, a], [y, b]) => b.base + b.head - (a.base + a.head) || (x < y ? -1 : x > y ? 1 : 0))
      .map(([rule, c]) => ({ rule, article: articles.get(rule) ?? null, base: c.base, head: c.head }));
    const changed = this.acceptedToRejected + this.rejectedToAccepted + this.countedToDisregarded + this.disregardedToCounted
      + this.toOutOfScope + this.fromOutOfScope + this.otherRule + this.valuesChanged;
    return {
      rows_compared: this.rowsCompared,
      rows_changed: changed,
      accepted_to_rejected: this.acceptedToRejected,
      rejected_to_accepted: this.rejectedToAccepted,
      counted_to_disregarded: this.countedToDisregarded,
      disregarded_to_counted: this.disregardedToCounted,
      to_out_of_scope: this.toOutOfScope,
      from_out_of_scope: this.fromOutOfScope,
      other_rule: this.otherRule,
      values_changed: this.valuesChanged,
      by_rule: byRule,
    };
  }
}

/** What a row added through aggregate `i`, exactly. */
function amount(r: RowAdded, i: number): Decimal {
  return r.big[i] ?? Decimal.fromSafe(r.m[i]!, r.s[i]!);
}
