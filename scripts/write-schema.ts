// Writes policy.schema.json (the policy file's JSON Schema, for editors) from dsl/policy-schema.ts,
// policy-test.schema.json (policy test files', cli/policy-tests/test-schema.ts) and mapping.schema.json
// (input mapping files', dsl/mapping-schema.ts).
// Run with `npm run schema`; test/schema.test.ts fails when a committed file is stale.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { policySchema } from '../dsl/policy-schema.ts';
import { policyTestSchema } from '../cli/policy-tests/test-schema.ts';
import { mappingSchema } from '../dsl/mapping-schema.ts';

for (const [name, schema] of [['policy.schema.json', policySchema], ['policy-test.schema.json', policyTestSchema], ['mapping.schema.json', mappingSchema]] as const) {
  const target = fileURLToPath(new URL(`../${name}`, import.meta.url));
  writeFileSync(target, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${target}`);
}
