// The compiled JSON Schema validator of policy files. Compiling the schema with ajv is the
// costliest step of loading a policy (~40 ms), so the CLI's build replaces this module with the
// same validator compiled ahead of time by ajv's standalone code generation (scripts/build.mjs);
// here, in the browser and under tests, it is compiled on first use.

import { Ajv, type ValidateFunction } from 'ajv';
import { policySchema } from './policy-schema.ts';

/** The validator of policy.schema.json (all errors, as schema-check.ts reports them). */
export function policyValidator(): ValidateFunction {
  return new Ajv({ allErrors: true, strict: false }).compile(policySchema);
}
