// The editor's web worker: holds the data (kept scanned and decoded, kept-data.ts), reads local
// files into it, and answers the page's requests about the edited policy through WorkerCore —
// one at a time, each after the messages that arrived while the one before ran, so that a newer
// edit supersedes an older request still waiting.

/// <reference lib="webworker" />
import type { DataFile } from './evaluate-policy.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';
import { WorkerCore } from './worker-core.ts';

declare const self: DedicatedWorkerGlobalScope;

const post = (m: WorkerResponse, transfer: Transferable[] = []) => self.postMessage(m, transfer);
const core = new WorkerCore(post);

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

let scheduled = false;
/** Runs the next request in a task of its own: messages that came in meanwhile are received first. */
function schedule(): void {
  if (scheduled || !core.busy) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    core.runNext();
    schedule();
  }, 0);
}

let current: { records: DataFile; subjects: DataFile | undefined } = { records: { name: 'records.csv', bytes: new Uint8Array(0) }, subjects: undefined };

self.onmessage = async (ev: MessageEvent<WorkerRequest>) => {
  const m = ev.data;
  try {
    if (m.kind === 'files') {
      const records = m.records ? await readFile(m.records) : current.records;
      const subjects = m.subjects ? await readFile(m.subjects) : current.subjects;
      current = { records, subjects };
      core.setData(records, subjects);
    } else {
      if (m.kind === 'data') current = { records: m.records, subjects: m.subjects };
      core.receive(m);
    }
    schedule();
  } catch (e) {
    post({ kind: 'failure', generation: undefined, message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
};
