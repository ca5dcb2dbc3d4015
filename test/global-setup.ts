// Before the tests: build dist/ from the current sources, so that tests running the real
// `guize` binary (bin/guize.mjs → dist/) never run a stale build.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit' });
}
