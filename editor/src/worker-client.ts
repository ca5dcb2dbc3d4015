// The page's side of the policy worker: debounced evaluation requests, answers matched to the
// latest request of each purpose (an answer overtaken by a later edit is dropped).

import type { VersionChoice } from '../../dsl/index.ts';
import type { DataFile, EvaluationOutcome } from './evaluate-policy.ts';
import PolicyWorker from './policy-worker.ts?worker&inline';
import type { Purpose, WorkerRequest, WorkerResponse } from './protocol.ts';

/** What the page is told by the worker. */
export interface ClientEvents {
  result(purpose: Purpose, outcome: EvaluationOutcome): void;
  progress(stage: 'reading' | 'evaluating', name: string, done: number, total: number): void;
  dataLoaded(records: string, subjects: string | undefined, bytes: number): void;
  failure(message: string): void;
}

/** How long typing must pause before the policy is evaluated again. */
export const DEBOUNCE_MS = 300;

export class WorkerClient {
  private readonly worker: Worker = new PolicyWorker();
  private next = 1;
  private readonly latest: Record<Purpose, number> = { live: 0, baseline: 0 };
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly events: ClientEvents) {
    this.worker.onmessage = (ev: MessageEvent<WorkerResponse>) => {
      const m = ev.data;
      switch (m.kind) {
        case 'result':
          if (m.id === this.latest[m.purpose]) events.result(m.purpose, m.outcome);
          return;
        case 'progress':
          return events.progress(m.stage, m.name, m.done, m.total);
        case 'data-loaded':
          return events.dataLoaded(m.records, m.subjects, m.bytes);
        case 'failure':
          return events.failure(m.message);
      }
    };
    this.worker.onerror = (e) => events.failure(e.message);
  }

  private send(m: WorkerRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  /** Replaces the data with bytes in memory (the sample). */
  setData(records: DataFile, subjects: DataFile | undefined): void {
    this.send({ kind: 'data', records, subjects });
  }

  /** Replaces the data with local files, read in the worker. */
  setFiles(records: File | undefined, subjects: File | undefined): void {
    this.send({ kind: 'files', records, subjects });
  }

  /** Evaluates now. */
  evaluate(purpose: Purpose, files: Readonly<Record<string, string>>, path: string, choice: VersionChoice): void {
    const id = this.next++;
    this.latest[purpose] = id;
    this.send({ kind: 'evaluate', id, purpose, files, path, choice });
  }

  /** Evaluates the live policy once typing has paused. */
  evaluateSoon(files: () => Readonly<Record<string, string>>, path: string, choice: VersionChoice): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.evaluate('live', files(), path, choice), DEBOUNCE_MS);
  }
}
