// The messages between the editor page and its policy worker (policy-worker.ts).

import type { VersionChoice } from '../../dsl/index.ts';
import type { DataFile, EvaluationOutcome } from './evaluate-policy.ts';

/** Page → worker. */
export type WorkerRequest =
  /** Replace the data evaluated (records and, optionally, the subjects file); the bytes are transferred. */
  | { readonly kind: 'data'; readonly records: DataFile; readonly subjects: DataFile | undefined }
  /** Read local files (a File each) into the data, reporting progress as they are read. */
  | { readonly kind: 'files'; readonly records: File | undefined; readonly subjects: File | undefined }
  /** Evaluate these policy texts over the data. `id` ties the answer to the request. */
  | { readonly kind: 'evaluate'; readonly id: number; readonly purpose: Purpose; readonly files: Readonly<Record<string, string>>; readonly path: string; readonly choice: VersionChoice };

/** Why an evaluation was asked for: the live one, or the policy as loaded (the comparison's "before"). */
export type Purpose = 'live' | 'baseline';

/** Worker → page. */
export type WorkerResponse =
  | { readonly kind: 'result'; readonly id: number; readonly purpose: Purpose; readonly outcome: EvaluationOutcome }
  | { readonly kind: 'progress'; readonly stage: 'reading' | 'evaluating'; readonly name: string; readonly done: number; readonly total: number }
  | { readonly kind: 'data-loaded'; readonly records: string; readonly subjects: string | undefined; readonly bytes: number }
  | { readonly kind: 'failure'; readonly id: number | undefined; readonly message: string };
