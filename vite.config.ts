import { defineConfig } from 'vitest/config';

// One config for Vite (the editor, later) and Vitest.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'policies/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // fast-check runs from one fixed seed, printed by the global setup (test/support/seed.ts).
    setupFiles: ['test/fast-check-seed.ts'],
    testTimeout: 30_000,
    // Golden files are reviewed, never written by a test run: a missing or changed one fails
    // (write them on purpose with `npx vitest run -u`, then read the diff).
    update: process.argv.some((a) => a === '-u' || a === '--update' || a.startsWith('--update=')) ? 'all' : 'none',
  },
});
