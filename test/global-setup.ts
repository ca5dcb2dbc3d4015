// Before the tests: build dist/ from the current sources, so that tests running the real
// `guize` binary (bin/guize.mjs → dist/) never run a stale build.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAST_CHECK_SEED } from './support/seed.ts';

export default function setup(): () => void {
  // The built CLI keeps loaded policies in a cache (cli/policy-cache.ts): the tests' own, not the
  // user's, and gone after them.
  const cache = mkdtempSync(join(tmpdir(), 'guize-test-cache-'));
  process.env.GUIZE_CACHE_DIR = cache;
  console.log(`fast-check seed ${FAST_CHECK_SEED} (replay or vary with GUIZE_FAST_CHECK_SEED=<n>)`);
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit' });
  return () => rmSync(cache, { recursive: true, force: true });
}
