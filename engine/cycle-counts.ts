// Row counts per subject and cycle of a repeating cycle (`cycle.every`): each cycle's result says
// how many of that cycle's records were evaluated and disregarded, so that the results' counts add
// up to the summary's. Kept apart from the subjects' own counts (which stay whole-file) so that a
// policy without `every` pays nothing for them.

/**
 * Counts of evaluated and disregarded records per subject (by number) and cycle (its index in
 * Program.cycles). Two numbers per pair, in one flat array that grows as subjects are met.
 */
export class CycleCounts {
  private readonly counts: number[] = [];

  constructor(readonly cycles: number) {}

  /** One more record of subject `si` in cycle `c` evaluated (and disregarded, when said). */
  count(si: number, c: number, disregarded: boolean): void {
    const at = (si * this.cycles + c) * 2;
    this.counts[at] = (this.counts[at] ?? 0) + 1;
    if (disregarded) this.counts[at + 1] = (this.counts[at + 1] ?? 0) + 1;
  }

  /** Records of subject `si` in cycle `c` evaluated. */
  evaluated(si: number, c: number): number {
    return this.counts[(si * this.cycles + c) * 2] ?? 0;
  }

  /** Records of subject `si` in cycle `c` disregarded (counted among the evaluated). */
  disregarded(si: number, c: number): number {
    return this.counts[(si * this.cycles + c) * 2 + 1] ?? 0;
  }

  /** The counts of `size` subjects, for a part's result (plain numbers: they cross threads). */
  export(size: number): number[] {
    const out: number[] = [];
    for (let k = 0; k < size * this.cycles * 2; k++) out.push(this.counts[k] ?? 0);
    return out;
  }

  /** Adds subject `from`'s counts of an exported part (see export) to subject `to`'s. */
  addFrom(part: readonly number[], from: number, to: number): void {
    const n = this.cycles * 2;
    for (let k = 0; k < n; k++) {
      const x = part[from * n + k] ?? 0;
      if (x !== 0) this.counts[to * n + k] = (this.counts[to * n + k] ?? 0) + x;
    }
  }
}
