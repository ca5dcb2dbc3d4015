// The compiled JSON Schema validator of input mapping files. Compiling the schema with ajv took
// ~60 ms of every start that reads a policy with mappings (`guize check`, `guize eval`), so the
// CLI's build replaces this module with the same validator compiled ahead of time by ajv's
// standalone code generation (scripts/build.mjs), as it does the policy schema's; here, in the
// browser and under tests, it is compiled on first use.

import { Ajv, type ValidateFunction } from 'ajv';
import { mappingSchema } from './mapping-schema.ts';

/** The validator of mapping.schema.json (all errors, verbose, as mapping-file.ts reports them). */
export function mappingValidator(): ValidateFunction {
  return new Ajv({ allErrors: true, strict: false, verbose: true }).compile(mappingSchema);
}
