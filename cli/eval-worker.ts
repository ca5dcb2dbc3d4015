// A worker thread of `guize eval`: evaluates one part of a records file (bytes `start` to `end`,
// read after the file's header) and posts what it came to back to the main thread, which adds the
// parts up (cli/parallel.ts). It prints nothing: the main thread reads the header and the subjects
// file itself, says what is wrong with them, and, should a part fail here, reads it itself.

import { closeSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { CheckedPolicy } from '../dsl/index.ts';
import { compilePolicy, CsvScanner, Evaluation } from '../engine/index.ts';
import { pushRange, streamRows, Utf8Check } from './inputs.ts';

/** What the main thread hands a worker. */
export interface PartJob {
  /**
   * The policy as the main thread loaded and checked it (pure data, copied to the worker as it
   * is): compiled here, not loaded from its files again — a worker's cold load costs ~70 ms.
   */
  readonly policy: CheckedPolicy;
  readonly subjects: string | undefined;
  readonly records: string;
  /** Where the header row ends (it is read before the part, so that the part's columns are known). */
  readonly headerEnd: number;
  readonly start: number;
  readonly end: number;
  /** Whether the part runs to the end of the file (its last row may lack a line feed). */
  readonly last: boolean;
}

async function run(job: PartJob): Promise<void> {
  const program = compilePolicy(job.policy);
  const evaluation = new Evaluation(program);
  if (job.subjects !== undefined) {
    await streamRows(job.subjects, { csv: () => evaluation.subjectSink(() => {}, () => {}), event: (e) => evaluation.addSubject(e) }, () => []);
  }
  const scanner = new CsvScanner(evaluation.recordSink(() => {}, () => {}));
  const fd = openSync(job.records, 'r');
  try {
    pushRange(fd, scanner, new Utf8Check(job.records), 0, job.headerEnd);
    pushRange(fd, scanner, new Utf8Check(job.records, job.start), job.start, job.end);
  } finally {
    closeSync(fd);
  }
  const unfinished = scanner.inRow;
  if (job.last) scanner.end();
  // The header is line 1 and the part's first row line 2, whatever line that is in the file.
  const part = evaluation.exportPart(unfinished, scanner.lineAtEnd() - 2);
  parentPort!.postMessage(part, [...part.totals.m.map((b) => b.buffer), ...part.totals.s.map((b) => b.buffer)] as ArrayBuffer[]);
}

run(workerData as PartJob).catch((e: unknown) => {
  parentPort!.postMessage({ failed: e instanceof Error ? e.message : String(e) });
});
