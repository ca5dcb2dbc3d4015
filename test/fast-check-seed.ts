// Vitest setup file (vite.config.ts): every fast-check property in this worker runs from the
// suite's fixed seed (test/support/seed.ts), not a random one.

import fc from 'fast-check';
import { FAST_CHECK_SEED } from './support/seed.ts';

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: FAST_CHECK_SEED });
