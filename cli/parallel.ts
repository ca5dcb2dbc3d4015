// `guize eval` on several threads: the records file is cut at line feeds into parts; this thread
// reads the header and the first part, worker threads (cli/eval-worker.ts) the others, and the
// parts are added up in file order — exactly what one thread would give, or, when the parts do
// not add up (a cut inside a quoted field, record keys that are not in order across parts), this
// thread reads the rest of the file itself, as it would have in the first place.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { CsvScanner, partsAddUp, type CsvSink, type Evaluation, type PartResult } from '../engine/index.ts';
import type { PartJob } from './eval-worker.ts';
import { pushRange, Utf8Check } from './inputs.ts';
import type { LoadedProgram } from './load-policy.ts';
import type { Progress } from './progress.ts';

const trace = (s: string) => {
  if (process.env.GUIZE_DEBUG) process.stderr.write(`guize: ${s}\n`);
};

/** Files smaller than this are read on one thread unless --threads says otherwise. */
export const MIN_PARALLEL_BYTES = 32 << 20;

/** The worker's script, built next to the CLI (from the sources and from dist/ alike). */
const WORKER = new URL('../dist/eval-worker.mjs', import.meta.url);

/** How reading in parts went, for the run's own account of itself. */
export interface ParallelRead {
  readonly parts: number;
  /** Set when the parts did not add up and this thread read the rest itself. */
  readonly fallback: string | undefined;
}

/** What starting to read a records file in parts needs. */
export interface PartsStart {
  readonly policy: LoadedProgram;
  readonly subjects: string | undefined;
  readonly records: string;
  readonly threads: number;
}

/** What this thread needs to read its part and add the others' up. */
export interface PartsFinish {
  readonly evaluation: Evaluation;
  readonly sink: CsvSink;
  /** A progress line for reading `label` (of `total` bytes). */
  readonly progress: (label: string, total: number) => Progress;
}

/**
 * A records file whose later parts are being read by worker threads: made by
 * {@link startParts}, then either read (its first part here) and added up by
 * {@link readInParts}, or given up by {@link PartsInFlight.cancel}.
 */
export interface PartsInFlight {
  readonly records: string;
  readonly cuts: readonly number[];
  readonly workers: readonly Promise<PartResult | undefined>[];
  /** Stops the workers (an error before the records were read): the process is not kept alive by them. */
  cancel(): void;
}

/**
 * Starts reading a CSV records file on `job.threads` threads: cuts it into parts and starts a
 * worker on each part after the first. It is called before this thread reads the subjects file,
 * which the workers read too, at the same time, so that they start their parts about when this
 * thread starts the first. Undefined, having started nothing, when the file cannot be cut (no
 * header line, a header with quotes, too small to share).
 */
export function startParts(job: PartsStart): PartsInFlight | undefined {
  const fd = openSync(job.records, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = new Uint8Array(Math.min(size, 1 << 16));
    readSync(fd, head, 0, head.length, 0);
    const lf = head.indexOf(10);
    // The header must be the first line, plain (no quote), so that a worker can read it on its own.
    const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    const line = lf < 0 ? head : head.subarray(bom, lf);
    // A lone CR before the first line feed would make the header's "line" several lines.
    const cr = line.indexOf(13);
    if (lf < 0 || line.includes(34) || !line.some((c) => c > 32) || (cr >= 0 && cr < line.length - 1)) return undefined;
    const headerEnd = lf + 1;
    const cuts = cutPoints(fd, headerEnd, size, job.threads);
    if (cuts.length < 3) return undefined;
    const started = cuts.slice(1, -1).map((start, k) => startPart({
      policy: job.policy.set.checked, subjects: job.subjects, records: job.records,
      headerEnd, start, end: cuts[k + 2]!, last: k + 2 === cuts.length - 1,
    }));
    return {
      records: job.records, cuts,
      workers: started.map((w) => w.result),
      cancel: () => started.forEach((w) => void w.worker.terminate()),
    };
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the first part of the file of `parts` into `job.evaluation` on this thread (its header
 * first), waits for the workers' parts and adds them up in file order. When they do not add up,
 * this thread reads the rest of the file itself.
 */
export async function readInParts(parts: PartsInFlight, job: PartsFinish): Promise<ParallelRead> {
  const { records, cuts, workers } = parts;
  const fd = openSync(records, 'r');
  try {
    const size = fstatSync(fd).size;
    // This thread: the header, then the first part.
    const scanner = new CsvScanner(job.sink);
    const utf8 = new Utf8Check(records);
    const t0 = performance.now();
    // The first part's progress stands for the whole: the parts are of about one size.
    const progress = job.progress(`${records} (${cuts.length - 1} 部分 parts)`, cuts[1]!);
    try {
      pushRange(fd, scanner, utf8, 0, cuts[1]!, progress);
    } finally {
      progress.done();
      trace(`first part read in ${(performance.now() - t0).toFixed(0)} ms`);
    }
    const results = await Promise.all(workers);
    trace(`all parts read in ${(performance.now() - t0).toFixed(0)} ms`);
    const first = { unfinished: scanner.inRow, keyRange: job.evaluation.keyRange(), lines: scanner.lineAtEnd() - 2 };
    const failed = results.findIndex((r) => r === undefined);
    const why = failed >= 0 ? `part ${failed + 2} could not be read on its own` : partsAddUp([first as PartResult, ...(results as PartResult[])]);
    if (why !== undefined) {
      const rest = job.progress(records, size - cuts[1]!);
      try {
        pushRange(fd, scanner, utf8, cuts[1]!, size, rest);
      } finally {
        rest.done();
      }
      scanner.end();
      return { parts: cuts.length - 1, fallback: why };
    }
    let offset = first.lines;
    for (const part of results as PartResult[]) {
      job.evaluation.absorbPart(part, offset);
      offset += part.lines;
    }
    trace(`parts added up in ${(performance.now() - t0).toFixed(0)} ms`);
    return { parts: cuts.length - 1, fallback: undefined };
  } finally {
    closeSync(fd);
  }
}

/**
 * Where to cut: the file's header end, then just past the first line feed after each even share
 * of the rest, then its size. The first part is a little larger: this thread starts on it while
 * the workers are still loading the policy.
 */
function cutPoints(fd: number, headerEnd: number, size: number, threads: number): number[] {
  const cuts = [headerEnd];
  const body = size - headerEnd;
  const window = new Uint8Array(1 << 16);
  for (let k = 1; k < threads; k++) {
    const target = headerEnd + Math.floor((body * (k + 0.15)) / (threads + 0.15));
    const n = readSync(fd, window, 0, window.length, target);
    const at = window.subarray(0, n).indexOf(10);
    if (at < 0) continue;
    const cut = target + at + 1;
    if (cut > cuts[cuts.length - 1]! && cut < size) cuts.push(cut);
  }
  cuts.push(size);
  return cuts;
}

/** Runs one part in a worker thread; its result is undefined if it fails there (this thread then reads it). */
function startPart(part: PartJob): { readonly worker: Worker; readonly result: Promise<PartResult | undefined> } {
  const worker = new Worker(WORKER, { workerData: part });
  const result = new Promise<PartResult | undefined>((resolve) => {
    worker.once('message', (m: PartResult | { failed: string }) => {
      resolve('failed' in m ? undefined : m);
      void worker.terminate();
    });
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
  return { worker, result };
}
