/** The schema with its repeated subschemas moved under `definitions` and referred to (schema-refs.mjs). */
export function shareRepeatedSubschemas(schema: object): object;
