// A subject's results in a repeating cycle (Program.cycles), one per cycle, from the interpreter's
// outcomes: named by the cycle's years, or — for a cycle per subject (`cycle: { before: …, length:
// 6 years, every: 2 }`) — by the cycle's own first and last day in the subject's window, each
// result counting its own cycle's records. Kept out of evaluate.ts, which holds the row loop.

import { windowSpanName, type SubjectWindow } from '../dsl/index.ts';
import type { ProgramCycle } from './compile.ts';
import type { CycleCounts } from './cycle-counts.ts';
import type { SubjectOutcome } from './interpret.ts';
import type { SubjectResult } from './results.ts';
import type { Value } from './values.ts';

/** Who the results are for: the subject's id, fields and number (for its counts per cycle). */
export interface CycleSubject {
  readonly id: string;
  readonly fields: readonly Value[];
  readonly index: number;
  /** The subject's counts over the whole file (for a subject whose window cannot be placed). */
  readonly evaluated: number;
  readonly disregarded: number;
}

/**
 * The results of `outs` (SubjectInterpreter.runCycles), in order. For a cycle per subject,
 * `window` is the subject's own (undefined: none could be placed, and `outs` is its one outcome,
 * which names no cycle — the subject has no periods, so no cycles to name).
 */
export function cycleResults(
  outs: readonly SubjectOutcome[], cycles: readonly ProgramCycle[], subject: CycleSubject,
  counts: CycleCounts, perSubject: boolean, window: SubjectWindow | undefined,
): SubjectResult[] {
  if (perSubject && !window) {
    const out = outs[0]!;
    return [{
      id: subject.id, compliant: out.violations.length === 0, fields: subject.fields, cycle: out.cycle, periods: out.periods,
      violations: out.violations, ...(out.problems.length > 0 ? { problems: out.problems } : {}), periodNames: out.periodNames ?? [],
      evaluated: subject.evaluated, disregarded: subject.disregarded,
    }];
  }
  return outs.map((out, n) => {
    const c = cycles[n]!;
    const name = window ? windowSpanName(window, c.periods[0]!, c.periods[c.periods.length - 1]!) : c.name;
    return {
      id: subject.id, cycleName: name, compliant: out.violations.length === 0, fields: subject.fields, cycle: out.cycle, periods: out.periods,
      violations: out.violations, ...(out.problems.length > 0 ? { problems: out.problems } : {}),
      ...(out.periodNames ? { periodNames: out.periodNames } : {}), ...(out.lastDay !== undefined ? { lastDay: out.lastDay } : {}),
      evaluated: counts.evaluated(subject.index, n), disregarded: counts.disregarded(subject.index, n),
    };
  });
}

/**
 * How many results the subjects `order` have: one per cycle each, but one only for a subject of a
 * cycle per subject whose window cannot be placed (`placed` says which can).
 */
export function cycleResultCount(order: readonly number[], cycles: number, placed: (i: number) => boolean): number {
  let n = 0;
  for (const i of order) n += placed(i) ? cycles : 1;
  return n;
}
