// The editor's web worker: holds the data (records and subjects, as bytes), reads local files
// into it, and evaluates each edited policy over it (and explains a subject, and compares the
// edited policy with its base), so the page never blocks on the rules.

/// <reference lib="webworker" />
import { assertNever } from '../../dsl/ast.ts';
import { compareImpact } from './change-impact.ts';
import { evaluatePolicy, type DataFile } from './evaluate-policy.ts';
import { explainSubject } from './explain-subject.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

let records: DataFile = { name: 'records.csv', bytes: new Uint8Array(0) };
let subjects: DataFile | undefined;

const post = (m: WorkerResponse) => self.postMessage(m);

/** Reads a local file in chunks (the file may be large), reporting how far it has got. */
async function readFile(file: File): Promise<DataFile> {
  const out = new Uint8Array(file.size);
  let at = 0;
  const reader = file.stream().getReader();
  let last = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    out.set(value, at);
    at += value.length;
    if (at - last >= 1 << 20 || at === file.size) {
      last = at;
      post({ kind: 'progress', stage: 'reading', name: file.name, done: at, total: file.size });
    }
  }
  return { name: file.name, bytes: at === out.length ? out : out.subarray(0, at) };
}

self.onmessage = async (ev: MessageEvent<WorkerRequest>) => {
  const m = ev.data;
  try {
    switch (m.kind) {
      case 'data':
        records = m.records;
        subjects = m.subjects;
        post({ kind: 'data-loaded', records: records.name, subjects: subjects?.name, bytes: records.bytes.length + (subjects?.bytes.length ?? 0) });
        return;
      case 'files':
        if (m.records) records = await readFile(m.records);
        if (m.subjects) subjects = await readFile(m.subjects);
        post({ kind: 'data-loaded', records: records.name, subjects: subjects?.name, bytes: records.bytes.length + (subjects?.bytes.length ?? 0) });
        return;
      case 'evaluate': {
        let last = 0;
        const outcome = evaluatePolicy({ files: m.files, path: m.path, choice: m.choice, records, subjects }, (done, total) => {
          // Progress only matters for large data: a message per 4 MiB read.
          if (done - last >= 4 << 20) {
            last = done;
            post({ kind: 'progress', stage: 'evaluating', name: records.name, done, total });
          }
        });
        post({ kind: 'result', id: m.id, outcome });
        return;
      }
      case 'explain':
        post({ kind: 'explanation', id: m.id, subject: m.subject, outcome: explainSubject(m.policy, m.subject, records, subjects) });
        return;
      case 'impact':
        post({ kind: 'impact', id: m.id, outcome: compareImpact(m.base, m.head, records, subjects) });
        return;
      default:
        return assertNever(m);
    }
  } catch (e) {
    post({ kind: 'failure', id: m.kind === 'evaluate' || m.kind === 'explain' || m.kind === 'impact' ? m.id : undefined, message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
};
