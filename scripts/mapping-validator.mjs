// The mapping files' validator as a standalone module (ajv's standalone code generation),
// exporting what dsl/mapping-validator.ts exports: the CLI's build puts it in that module's place
// (scripts/build.mjs), from mapping.schema.json, which test/mappings.test.ts holds equal to
// dsl/mapping-schema.ts; test/schema-shared.test.ts checks it reports what the module compiled
// at run time reports. Plain JavaScript: it runs before anything is built.

import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

/** The module's source, from the schema's JSON text. */
export function mappingValidatorModule(schemaText) {
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, code: { source: true, esm: true } });
  const generate = standaloneCode.default ?? standaloneCode;
  return `${generate(ajv, ajv.compile(JSON.parse(schemaText)))}\nexport function mappingValidator() { return validate; }\n`;
}
