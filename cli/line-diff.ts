// A unified diff of two texts, line by line (`guize fmt --diff`): the lines both share at the
// start and end are set aside, the rest compared by longest common subsequence, and the changes
// shown with three lines of context, as `diff -u` does.

/** How many unchanged lines are shown around each change. */
const CONTEXT = 3;

/** Most cells of the comparison table (lines changed before × after): 4 M, 16 MB. */
const MAX_CELLS = 4_000_000;

type Op = { readonly kind: ' ' | '-' | '+'; readonly text: string };

/** Splits a text into lines, each without its line break (a final line break adds no line). */
function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The edit script from `a` to `b`, by longest common subsequence of the lines that differ. */
function script(a: readonly string[], b: readonly string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const ops: Op[] = a.slice(0, head).map((text) => ({ kind: ' ', text }));
  if (x.length * y.length > MAX_CELLS) {
    // Too large to compare line by line in little memory: the middle as removed, then added.
    ops.push(...x.map((text): Op => ({ kind: '-', text })), ...y.map((text): Op => ({ kind: '+', text })));
    for (const text of a.slice(a.length - tail)) ops.push({ kind: ' ', text });
    return ops;
  }
  // lcs[i][j]: the longest common subsequence of x[i..] and y[j..].
  const lcs: Uint32Array[] = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      ops.push({ kind: ' ', text: x[i]! });
      i++;
      j++;
    } else if (j < y.length && (i === x.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      ops.push({ kind: '+', text: y[j++]! });
    } else {
      ops.push({ kind: '-', text: x[i++]! });
    }
  }
  // Removals before additions within a run of changes, as diff -u prints them.
  const ordered: Op[] = [];
  for (let k = 0; k < ops.length; ) {
    if (ops[k]!.kind === ' ') {
      ordered.push(ops[k++]!);
      continue;
    }
    const run: Op[] = [];
    while (k < ops.length && ops[k]!.kind !== ' ') run.push(ops[k++]!);
    ordered.push(...run.filter((o) => o.kind === '-'), ...run.filter((o) => o.kind === '+'));
  }
  for (const text of a.slice(a.length - tail)) ordered.push({ kind: ' ', text });
  return ordered;
}

/**
 * The unified diff from `before` to `after`, headed `--- a/NAME` / `+++ b/NAME`; empty when the
 * texts are equal. Carriage returns stay in the lines they end.
 */
export function unifiedDiff(name: string, before: string, after: string): string {
  if (before === after) return '';
  const ops = script(linesOf(before), linesOf(after));
  const out = [`--- a/${name}`, `+++ b/${name}`];
  // Line numbers (0-based) in each text at each op.
  const at: { a: number; b: number }[] = [];
  let na = 0;
  let nb = 0;
  for (const o of ops) {
    at.push({ a: na, b: nb });
    if (o.kind !== '+') na++;
    if (o.kind !== '-') nb++;
  }
  let k = 0;
  while (k < ops.length) {
    while (k < ops.length && ops[k]!.kind === ' ') k++;
    if (k === ops.length) break;
    const start = Math.max(0, k - CONTEXT);
    // Extend the hunk while the next change is within two contexts of the last one.
    let end = k;
    let last = k;
    while (end < ops.length) {
      if (ops[end]!.kind !== ' ') last = end;
      else if (end - last > 2 * CONTEXT) break;
      end++;
    }
    const stop = Math.min(ops.length, last + CONTEXT + 1);
    const hunk = ops.slice(start, stop);
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    const aStart = aCount === 0 ? at[start]!.a : at[start]!.a + 1;
    const bStart = bCount === 0 ? at[start]!.b : at[start]!.b + 1;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.text}`);
    k = stop;
  }
  return `${out.join('\n')}\n`;
}
