// The page's side of the policy worker: debounced requests, each with a generation, and answers
// matched to the newest request of each channel (an answer overtaken by a later request is dropped).

import type { VersionChoice } from '../../dsl/index.ts';
import type { ImpactOutcome, ImpactSide } from './change-impact.ts';
import type { DataFile } from './evaluate-policy.ts';
import type { ExplainOutcome, PolicyRef } from './explain-subject.ts';
import type { LiveDiagnostics, LiveResult } from './live-evaluation.ts';
import PolicyWorker from './policy-worker.ts?worker&inline';
import type { Channel, WorkerRequest, WorkerResponse } from './protocol.ts';

/** What the page is told by the worker. */
export interface ClientEvents {
  diagnostics(outcome: LiveDiagnostics): void;
  result(outcome: LiveResult): void;
  explanation(subject: string, outcome: ExplainOutcome): void;
  impact(outcome: ImpactOutcome): void;
  progress(stage: 'reading' | 'evaluating', name: string, done: number, total: number): void;
  dataLoaded(records: string, subjects: string | undefined, bytes: number): void;
  failure(message: string): void;
}

/** How long typing must pause before the policy is evaluated again. */
export const DEBOUNCE_MS = 300;

export class WorkerClient {
  private readonly worker: Worker = new PolicyWorker();
  private next = 1;
  private readonly latest: Record<Channel, number> = { evaluate: 0, explain: 0, impact: 0 };
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly events: ClientEvents) {
    this.worker.onmessage = (ev: MessageEvent<WorkerResponse>) => {
      const m = ev.data;
      switch (m.kind) {
        case 'diagnostics':
          if (m.generation === this.latest.evaluate) events.diagnostics(m.outcome);
          return;
        case 'result':
          if (m.generation === this.latest.evaluate) events.result(m.outcome);
          return;
        case 'explanation':
          if (m.generation === this.latest.explain) events.explanation(m.subject, m.outcome);
          return;
        case 'impact':
          if (m.generation === this.latest.impact) events.impact(m.outcome);
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

  private generation(channel: Channel): number {
    const g = this.next++;
    this.latest[channel] = g;
    return g;
  }

  /** Replaces the data with bytes in memory (the sample). */
  setData(records: DataFile, subjects: DataFile | undefined): void {
    this.send({ kind: 'data', records, subjects });
  }

  /** Replaces the data with local files, read in the worker. */
  setFiles(records: File | undefined, subjects: File | undefined): void {
    this.send({ kind: 'files', records, subjects });
  }

  /** Evaluates now; the table will hold the measures `columns`. */
  evaluate(files: Readonly<Record<string, string>>, path: string, choice: VersionChoice, columns: readonly string[]): void {
    this.send({ kind: 'evaluate', generation: this.generation('evaluate'), files, path, choice, columns });
  }

  /** Explains one subject now (the worker answers after any evaluation asked for before). */
  explain(policy: PolicyRef, subject: string): void {
    this.send({ kind: 'explain', generation: this.generation('explain'), policy, subject });
  }

  /** Compares two policies now. */
  impact(base: ImpactSide, head: ImpactSide): void {
    this.send({ kind: 'impact', generation: this.generation('impact'), base, head });
  }

  /** Forgets the change asked for last (the pane was closed): its answer, if it comes, is dropped. */
  dropImpact(): void {
    this.latest.impact = this.next++;
  }

  /** Runs `requests` once typing has paused (each edit restarts the wait). */
  soon(requests: () => void): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(requests, DEBOUNCE_MS);
  }
}
