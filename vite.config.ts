import { defineConfig } from 'vitest/config';

// One config for Vite (the editor, later) and Vitest.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'policies/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
  },
});
