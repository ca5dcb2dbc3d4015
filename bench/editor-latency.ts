/**
 * The editor's latency: from a keystroke in the policy (after the 300 ms pause that the page
 * waits for typing to stop, which is not counted) to the worker's answers — the diagnostics, then
 * the results table — for 1,000 and 10,000 teachers of the benchmark's data (bench/dataset.ts).
 * It runs, in this process, the editor worker's own code (editor/src/worker-core.ts, which
 * policy-worker.ts binds to the worker's messages): the `evaluate` request handed to WorkerCore
 * with the data already loaded (kept scanned and decoded, as the worker keeps it between edits),
 * and each answer copied as postMessage copies it (structuredClone, the table's arrays
 * transferred). So everything the worker does per edit is counted: loading, checking and
 * compiling the policy, evaluating every kept row, the table, and the copies of the messages.
 * With the change pane and a teacher's explanation open, the same edit's whole round (the
 * change against the policy as loaded and the explanation of one teacher, answered after the
 * results) is timed too, after the edits with the panes closed. Each run edits a value of the policy
 * (min_credits_yearly 72 → 73, 74, …) so nothing can be reused from the run before. Warm (one
 * unmeasured run of each kind first), medians.
 */

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DataFile } from '../editor/src/evaluate-policy.ts';
import type { WorkerRequest, WorkerResponse } from '../editor/src/protocol.ts';
import { WorkerCore } from '../editor/src/worker-core.ts';
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
    const runs = n <= 1000 ? 15 : 7;
    // The worker's answers, as the page receives them (copied, the arrays transferred), each with when it came.
    let answers: { m: WorkerResponse; at: number }[] = [];
    const core = new WorkerCore((m, transfer = []) => answers.push({ m: structuredClone(m, { transfer }), at: performance.now() }));
    core.setData(records, subjects);
    const toDiagnostics: number[] = [];
    const toResults: number[] = [];
    const round: number[] = [];
    let teachersSeen = 0;
    let compiled = false;
    const policy = (k: number) => ({ files: { ...loaded, [main]: loaded[main]!.replace(needle, `min_credits_yearly: { value: ${73 + k}`) }, path: 'policies/lincang', choice: {} });
    let generation = 0;
    /** Hands the requests to the worker's code and runs them, as the worker does; when each answer came. */
    const edit = (requests: WorkerRequest[]) => {
      answers = [];
      const t0 = performance.now();
      for (const r of requests) core.receive(r as Exclude<WorkerRequest, { kind: 'files' }>);
      while (core.runNext());
      const at = (kind: WorkerResponse['kind']) => {
        const a = answers.find((x) => x.m.kind === kind);
        if (!a) throw new Error(`no ${kind} answer: ${JSON.stringify(answers.map((x) => x.m)).slice(0, 400)}`);
        return { m: a.m, ms: a.at - t0 };
      };
      return at;
    };
    for (let k = 0; k <= 2 * runs + 1; k++) {
      const ref = policy(k);
      const g = ++generation;
      const evaluate: WorkerRequest = { kind: 'evaluate', generation: g, ...ref, columns: ['credits', 'hours'] };
      // First the edits with the panes closed (only the evaluation is asked), then those with the
      // change pane and a teacher open; the first of each is a warm-up, not counted.
      const open = k > runs;
      const at = edit(open ? [evaluate,
        { kind: 'impact', generation: g, base: { files: loaded, path: 'policies/lincang', choice: {}, source: 'loaded' }, head: { ...ref, source: 'edited' } },
        { kind: 'explain', generation: g, policy: ref, subject: firstTeacher }] : [evaluate]);
      const diagnostics = at('diagnostics');
      const result = at('result');
      if (result.m.kind !== 'result' || !result.m.outcome.table) throw new Error(`the edited policy did not evaluate: ${JSON.stringify(result.m).slice(0, 300)}`);
      teachersSeen = result.m.outcome.table.summary.subjects;
      compiled = result.m.outcome.table.compiled;
      if (open) {
        const impact = at('impact');
        if (impact.m.kind !== 'impact' || impact.m.outcome.kind !== 'compared') throw new Error('the change did not compare');
        const explained = at('explanation');
        if (k > runs + 1) round.push(Math.max(impact.ms, explained.ms));
      } else if (k > 0) {
        toDiagnostics.push(diagnostics.ms);
        toResults.push(result.ms);
      }
    }
    const label = `${d.teacherCount.toLocaleString('en')} teachers, ${d.rows.toLocaleString('en')} rows`;
    const target = TARGET_MS[n];
    const ms = median(toResults);
    log(`editor latency, ${label}: ${median(toDiagnostics).toFixed(1)} ms to the diagnostics, ${ms.toFixed(1)} ms to the results, ${median(round).toFixed(0)} ms the whole round with the panes open`);
    const note = `${runs} edits, median${target === undefined ? '' : `; target < ${target} ms`}`;
    out.push({ what: `editor: keystroke → diagnostics (${label})`, rows: d.rows, ms: median(toDiagnostics), note });
    out.push({
      what: `editor: keystroke → diagnostics + results (${label})`, rows: d.rows, ms,
      note: `${note}; ${teachersSeen} teachers in the table; rules ${compiled ? 'as generated code' : 'interpreted'}`,
    });
    out.push({
      what: `editor: keystroke → results + change + one explanation (${label})`, rows: d.rows, ms: median(round),
      note: `${runs} edits, median; the change pane and the teacher view open, answered after the results`,
    });
  }
  return out;
}
