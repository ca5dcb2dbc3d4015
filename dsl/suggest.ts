// "Did you mean …?": the closest known name by edit distance, if it is close enough to help.

/**
 * Edit distance counting a swap of two neighbouring letters as one edit (optimal string
 * alignment), since `yaer` for `year` is the commonest typo. Small strings only.
 */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Longest name a did-you-mean is looked for. */
const MAX_NAME = 64;

/** The known name nearest to `name`, when within a third of its length (at least 1, at most 3). */
export function suggest(name: string, known: Iterable<string>): string | undefined {
  // Names this long are no typo of a person's: skip the quadratic comparison altogether.
  if (name.length > MAX_NAME) return undefined;
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const k of known) {
    if (Math.abs(k.length - name.length) > limit || k.length > MAX_NAME) continue;
    const d = distance(name, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** The help line "did you mean '…'?" for the nearest known name, if one is near enough. */
export function didYouMean(name: string, known: Iterable<string>): string | undefined {
  const s = suggest(name, known);
  return s ? `did you mean '${s}'?` : undefined;
}
