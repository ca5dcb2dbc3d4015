// The policy worker's work, apart from the worker itself (policy-worker.ts binds it to the
// worker's messages; the bench and the tests drive it directly): the data kept between edits, the
// requests waiting, and which runs next. The most urgent first — an edit's evaluation, then the
// explanation of the teacher shown, then the change — and only the newest of each kind: a request
// superseded while it waited is dropped, and an evaluation drops the explanation and change asked
// for before it (the page asks for them again with it). No DOM and no Node.

import { assertNever } from '../../dsl/ast.ts';
import { compareImpact } from './change-impact.ts';
import type { DataFile } from './evaluate-policy.ts';
import { explainSubject } from './explain-subject.ts';
import { KeptData } from './kept-data.ts';
import { evaluateLive, transferables } from './live-evaluation.ts';
import type { Channel, WorkerRequest, WorkerResponse } from './protocol.ts';

/** Sends an answer to the page, with the buffers to transfer rather than copy. */
export type Post = (m: WorkerResponse, transfer?: ArrayBuffer[]) => void;

type Pending = { [C in Channel]?: Extract<WorkerRequest, { kind: C }> };

/** The order in which waiting requests run. */
const URGENCY: readonly Channel[] = ['evaluate', 'explain', 'impact'];

export class WorkerCore {
  private data = new KeptData({ name: 'records.csv', bytes: new Uint8Array(0) }, undefined);
  private readonly pending: Pending = {};

  constructor(private readonly post: Post) {}

  /** Replaces the data (kept scanned from now on) and says so. */
  setData(records: DataFile, subjects: DataFile | undefined): void {
    this.data = new KeptData(records, subjects);
    this.post({ kind: 'data-loaded', records: records.name, subjects: subjects?.name, bytes: records.bytes.length + (subjects?.bytes.length ?? 0) });
  }

  /** A request from the page: data is taken at once; the others wait for {@link runNext}. */
  receive(m: Exclude<WorkerRequest, { kind: 'files' }>): void {
    switch (m.kind) {
      case 'data':
        return this.setData(m.records, m.subjects);
      case 'evaluate':
        this.pending.evaluate = m;
        // What was asked before this edit is asked again with it: not worth answering now.
        if (this.pending.explain && this.pending.explain.generation < m.generation) delete this.pending.explain;
        if (this.pending.impact && this.pending.impact.generation < m.generation) delete this.pending.impact;
        return;
      case 'explain':
        this.pending.explain = m;
        return;
      case 'impact':
        this.pending.impact = m;
        return;
      default:
        return assertNever(m);
    }
  }

  /** Whether a request is waiting. */
  get busy(): boolean {
    return URGENCY.some((c) => this.pending[c] !== undefined);
  }

  /** Runs the most urgent request waiting and posts its answers; false when none was waiting. */
  runNext(): boolean {
    const channel = URGENCY.find((c) => this.pending[c] !== undefined);
    if (channel === undefined) return false;
    const m = this.pending[channel]!;
    delete this.pending[channel];
    try {
      this.run(m);
    } catch (e) {
      this.post({ kind: 'failure', generation: m.generation, message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
    }
    return true;
  }

  private run(m: NonNullable<Pending[Channel]>): void {
    const data = this.data;
    switch (m.kind) {
      case 'evaluate': {
        let last = 0;
        const name = data.recordsFile.name;
        const outcome = evaluateLive({ files: m.files, path: m.path, choice: m.choice, columns: m.columns }, data,
          (d) => this.post({ kind: 'diagnostics', generation: m.generation, outcome: d }),
          (done, total) => {
            // Decoding again only matters for large data: a message per 4 MiB.
            if (done - last >= 4 << 20) {
              last = done;
              this.post({ kind: 'progress', stage: 'evaluating', name, done, total });
            }
          });
        this.post({ kind: 'result', generation: m.generation, outcome }, transferables(outcome.table));
        return;
      }
      case 'explain':
        this.post({ kind: 'explanation', generation: m.generation, subject: m.subject, outcome: explainSubject(m.policy, m.subject, data.recordsFile, data.subjectsFile, (program, evaluation) => data.readInto(program, evaluation, [])) });
        return;
      case 'impact':
        this.post({ kind: 'impact', generation: m.generation, outcome: compareImpact(m.base, m.head, data.recordsFile, data.subjectsFile) });
        return;
      default:
        return assertNever(m);
    }
  }
}
