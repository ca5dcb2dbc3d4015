// The command line in process, for tests: `guize …` with what it printed, and a temporary
// folder to write input files into (removed after the file's tests).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { main } from '../../cli/main.ts';

/** Runs `guize argv…` in process: its exit code and what it wrote to stdout and stderr. */
export async function guize(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

/** A temporary folder for this test file; `write(name, text)` puts a file there and returns its path. */
export function tempFolder(prefix: string): { readonly write: (name: string, content: string) => string; readonly path: () => string } {
  let dir = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return {
    write: (name, content) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      return file;
    },
    path: () => dir,
  };
}
