// Writes policy.schema.json (the policy file's JSON Schema, for editors) from dsl/policy-schema.ts.
// Run with `npm run schema`; test/schema.test.ts fails when the committed file is stale.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { policySchema } from '../dsl/policy-schema.ts';

const target = fileURLToPath(new URL('../policy.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(policySchema, null, 2)}\n`);
console.log(`wrote ${target}`);
