// The messages between the editor page and its policy worker (policy-worker.ts, worker-core.ts).
// Every request about the policy carries a generation: a number the page raises with each request
// it makes. The worker answers only the newest request of each channel it still has waiting (an
// older one is dropped unanswered), and the page drops any answer older than the newest request
// of its channel, so an answer never arrives out of order.

import type { VersionChoice } from '../../dsl/index.ts';
import type { ImpactOutcome, ImpactSide } from './change-impact.ts';
import type { DataFile } from './evaluate-policy.ts';
import type { ExplainOutcome, PolicyRef } from './explain-subject.ts';
import type { LiveDiagnostics, LiveResult } from './live-evaluation.ts';

/** Page → worker. */
export type WorkerRequest =
  /** Replace the data evaluated (records and, optionally, the subjects file); the bytes are transferred. */
  | { readonly kind: 'data'; readonly records: DataFile; readonly subjects: DataFile | undefined }
  /** Read local files (a File each) into the data, reporting progress as they are read. */
  | { readonly kind: 'files'; readonly records: File | undefined; readonly subjects: File | undefined }
  /**
   * Evaluate these policy texts over the data (`guize eval`): answered by `diagnostics`, then
   * `result` with the table of the measures `columns` (their ids).
   */
  | { readonly kind: 'evaluate'; readonly generation: number; readonly files: Readonly<Record<string, string>>; readonly path: string; readonly choice: VersionChoice; readonly columns: readonly string[] }
  /** Explain one subject under a policy over the data (`guize explain`): asked only while the teacher pane shows them. */
  | { readonly kind: 'explain'; readonly generation: number; readonly policy: PolicyRef; readonly subject: string }
  /** Compare two policies over the data (`guize diff`): asked only while the change pane is open. */
  | { readonly kind: 'impact'; readonly generation: number; readonly base: ImpactSide; readonly head: ImpactSide };

/** The requests answered by generation: an answer to anything but the latest of its channel is dropped. */
export type Channel = 'evaluate' | 'explain' | 'impact';

/** Worker → page. */
export type WorkerResponse =
  /** The edited policy checked: its diagnostics, versions and provenance (the first answer to `evaluate`). */
  | { readonly kind: 'diagnostics'; readonly generation: number; readonly outcome: LiveDiagnostics }
  /** The results pane's table (its arrays transferred), or why there is none (the second answer to `evaluate`). */
  | { readonly kind: 'result'; readonly generation: number; readonly outcome: LiveResult }
  | { readonly kind: 'explanation'; readonly generation: number; readonly subject: string; readonly outcome: ExplainOutcome }
  | { readonly kind: 'impact'; readonly generation: number; readonly outcome: ImpactOutcome }
  | { readonly kind: 'progress'; readonly stage: 'reading' | 'evaluating'; readonly name: string; readonly done: number; readonly total: number }
  | { readonly kind: 'data-loaded'; readonly records: string; readonly subjects: string | undefined; readonly bytes: number }
  | { readonly kind: 'failure'; readonly generation: number | undefined; readonly message: string };
