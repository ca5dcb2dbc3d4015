/**
 * The editor's latency: from a keystroke in the policy (after the 300 ms pause that the page
 * waits for typing to stop, which is not counted) to the worker's answer with the diagnostics
 * and the results, for 1,000 and 10,000 teachers of the benchmark's data (bench/dataset.ts).
 * It runs, in this process, what the editor's worker runs for each edit (editor/src/
 * policy-worker.ts hands each message to these very functions): `evaluatePolicy` on the edited
 * texts over the records held in memory, and the answer copied as postMessage copies it
 * (structuredClone). The same edit's whole round — the change against the policy as loaded
 * (`compareImpact`, both policies over every row) and the explanation of one teacher
 * (`explainSubject`, a traced pass) — is timed too: the worker answers those after the results.
 * Each run edits a value of the policy (min_credits_yearly 72 → 73, 74, …) so nothing can be
 * reused from the run before. Warm (one unmeasured run first), medians.
 */

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compareImpact } from '../editor/src/change-impact.ts';
import { evaluatePolicy, type DataFile } from '../editor/src/evaluate-policy.ts';
import { explainSubject } from '../editor/src/explain-subject.ts';
import { dataset } from './dataset.ts';

/** A row of the bench's table (the shape bench/run.ts prints). */
export interface LatencyRow {
  readonly what: string;
  readonly rows: number;
  readonly ms: number;
  readonly note: string;
}

/** The targets of issue 9: keystroke to diagnostics and results. */
const TARGET_MS: Readonly<Record<number, number>> = { 1000: 100, 10000: 500 };

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The Lincang policy's texts as the editor holds them (paths as the bundled ones). */
function policyTexts(root: string): Record<string, string> {
  const dir = 'policies/lincang';
  const texts: Record<string, string> = { [`${dir}/policy.yaml`]: readFileSync(join(root, dir, 'policy.yaml'), 'utf8') };
  for (const name of readdirSync(join(root, dir, 'versions'))) texts[`${dir}/versions/${name}`] = readFileSync(join(root, dir, 'versions', name), 'utf8');
  return texts;
}

/**
 * The latency rows for each teacher count: about 40 record rows a teacher, as the generator
 * makes them (the data set of `40 × teachers` rows; its teachers file names how many it holds).
 */
export function editorLatency(root: string, dataDir: string, seed: number, teachers: readonly number[], log: (s: string) => void): LatencyRow[] {
  const loaded = policyTexts(root);
  const main = 'policies/lincang/policy.yaml';
  const needle = 'min_credits_yearly: { value: 72';
  if (!loaded[main]!.includes(needle)) throw new Error(`${main} has no "${needle}" to edit`);
  const out: LatencyRow[] = [];
  for (const n of teachers) {
    const d = dataset(dataDir, n * 40, seed, 'numbered', log);
    // The worker holds the files' bytes (read once, when the officer picks them).
    const records: DataFile = { name: 'records.csv', bytes: readFileSync(d.records) };
    const subjects: DataFile = { name: 'teachers.csv', bytes: readFileSync(d.teachers) };
    const firstTeacher = readFileSync(d.teachers, 'utf8').split('\n')[1]!.split(',')[0]!;
    const runs = n <= 1000 ? 15 : 5;
    const evaluate: number[] = [];
    const round: number[] = [];
    let teachersSeen = 0;
    for (let k = 0; k <= runs; k++) {
      const files = { ...loaded, [main]: loaded[main]!.replace(needle, `min_credits_yearly: { value: ${73 + k}`) };
      const t0 = performance.now();
      const outcome = structuredClone(evaluatePolicy({ files, path: 'policies/lincang', choice: {}, records, subjects }));
      const t1 = performance.now();
      if (!outcome.report) throw new Error(`the edited policy did not evaluate: ${outcome.inputError ?? outcome.diagnostics.map((x) => x.code).join(', ')}`);
      teachersSeen = Number(outcome.report.summary[outcome.subject!.collection]);
      const impact = structuredClone(compareImpact({ files: loaded, path: 'policies/lincang', choice: {}, source: 'loaded' }, { files, path: 'policies/lincang', choice: {}, source: 'edited' }, records, subjects));
      if (impact.kind !== 'compared') throw new Error(`the change did not compare: ${impact.kind}`);
      structuredClone(explainSubject({ files, path: 'policies/lincang', choice: {} }, firstTeacher, records, subjects));
      const t2 = performance.now();
      // The first run warms the engine up and is not counted.
      if (k > 0) {
        evaluate.push(t1 - t0);
        round.push(t2 - t0);
      }
    }
    const label = `${d.teacherCount.toLocaleString('en')} teachers, ${d.rows.toLocaleString('en')} rows`;
    const ms = median(evaluate);
    const target = TARGET_MS[n];
    log(`editor latency, ${label}: ${ms.toFixed(1)} ms to the results, ${median(round).toFixed(0)} ms the whole round`);
    out.push({
      what: `editor: keystroke → diagnostics + results (${label})`, rows: d.rows, ms,
      note: `${runs} edits, median; ${teachersSeen} teachers evaluated${target === undefined ? '' : `; target < ${target} ms`}`,
    });
    out.push({
      what: `editor: keystroke → results + change + one explanation (${label})`, rows: d.rows, ms: median(round),
      note: `${runs} edits, median; the change pane and the teacher view after the results`,
    });
  }
  return out;
}
