// Types of scripts/mapping-validator.mjs, for the tests.

/** The standalone validator module's source, from the mapping schema's JSON text. */
export function mappingValidatorModule(schemaText: string): string;
