// Before the tests: build dist/ from the current sources, so that tests running the real
// `guize` binary (bin/guize.mjs → dist/) never run a stale build.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FAST_CHECK_SEED } from './support/seed.ts';

export default function setup(): void {
  console.log(`fast-check seed ${FAST_CHECK_SEED} (replay or vary with GUIZE_FAST_CHECK_SEED=<n>)`);
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit' });
}
