// The messages between the editor page and its policy worker (policy-worker.ts).

import type { VersionChoice } from '../../dsl/index.ts';
import type { ImpactOutcome, ImpactSide } from './change-impact.ts';
import type { DataFile, EvaluationOutcome } from './evaluate-policy.ts';
import type { ExplainOutcome, PolicyRef } from './explain-subject.ts';

/** Page → worker. */
export type WorkerRequest =
  /** Replace the data evaluated (records and, optionally, the subjects file); the bytes are transferred. */
  | { readonly kind: 'data'; readonly records: DataFile; readonly subjects: DataFile | undefined }
  /** Read local files (a File each) into the data, reporting progress as they are read. */
  | { readonly kind: 'files'; readonly records: File | undefined; readonly subjects: File | undefined }
  /** Evaluate these policy texts over the data (`guize eval`). `id` ties the answer to the request. */
  | { readonly kind: 'evaluate'; readonly id: number; readonly files: Readonly<Record<string, string>>; readonly path: string; readonly choice: VersionChoice }
  /** Explain one subject under a policy over the data (`guize explain`). */
  | { readonly kind: 'explain'; readonly id: number; readonly policy: PolicyRef; readonly subject: string }
  /** Compare two policies over the data (`guize diff`). */
  | { readonly kind: 'impact'; readonly id: number; readonly base: ImpactSide; readonly head: ImpactSide };

/** The requests answered by id: an answer to anything but the latest of its channel is dropped. */
export type Channel = 'evaluate' | 'explain' | 'impact';

/** Worker → page. */
export type WorkerResponse =
  | { readonly kind: 'result'; readonly id: number; readonly outcome: EvaluationOutcome }
  | { readonly kind: 'explanation'; readonly id: number; readonly subject: string; readonly outcome: ExplainOutcome }
  | { readonly kind: 'impact'; readonly id: number; readonly outcome: ImpactOutcome }
  | { readonly kind: 'progress'; readonly stage: 'reading' | 'evaluating'; readonly name: string; readonly done: number; readonly total: number }
  | { readonly kind: 'data-loaded'; readonly records: string; readonly subjects: string | undefined; readonly bytes: number }
  | { readonly kind: 'failure'; readonly id: number | undefined; readonly message: string };
