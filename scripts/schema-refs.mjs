// Rewrites a JSON Schema (draft-07) so that each subschema it repeats is written once, under
// `definitions`, and referred to by `$ref` wherever it occurred. The policy schema repeats large
// parts (the declarations a change file adds are the policy's own), and ajv's standalone code
// writes a schema out once per occurrence: compiled with `inlineRefs: false`, the rewritten schema
// validates the same data with the same errors in far less code, which Node then parses and
// compiles at every start. Plain JavaScript: scripts/build.mjs runs before anything is built.

/** Keywords whose value is one subschema. */
const ONE = ['additionalProperties', 'additionalItems', 'items', 'contains', 'not', 'then', 'else'];
/** Keywords whose value is a list of subschemas. */
const LIST = ['allOf', 'anyOf', 'oneOf', 'items'];
/** Keywords whose value maps names to subschemas. */
const MAP = ['properties', 'patternProperties'];

/** Smallest subschema (as JSON text) worth a function of its own: a call costs more than a test. */
const MIN_LENGTH = 150;

/**
 * The schema with every repeated subschema of at least MIN_LENGTH characters of JSON moved
 * under `definitions` (named `shared-N`) and referred to. Subschemas under `propertyNames` and
 * `if` stay where they are: ajv marks the errors of a property name with the name only in code
 * written in place, and an `if` reports no errors to move. The root must not already use `$ref`
 * or `definitions`.
 */
export function shareRepeatedSubschemas(schema) {
  if (JSON.stringify(schema).includes('"$ref"') || schema.definitions !== undefined) throw new Error('shareRepeatedSubschemas: the schema already has references');
  const counts = new Map();
  // Every subschema position reachable without passing through propertyNames or if.
  const visit = (s, f) => {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) return;
    f(s);
    for (const k of ONE) if (s[k] && typeof s[k] === 'object' && !Array.isArray(s[k])) visit(s[k], f);
    for (const k of LIST) if (Array.isArray(s[k])) for (const x of s[k]) visit(x, f);
    for (const k of MAP) if (s[k] && typeof s[k] === 'object') for (const x of Object.values(s[k])) visit(x, f);
  };
  visit(schema, (s) => {
    if (s === schema) return;
    const text = JSON.stringify(s);
    if (text.length >= MIN_LENGTH) counts.set(text, (counts.get(text) ?? 0) + 1);
  });
  const names = new Map();
  const definitions = {};
  // Replace top-down: a repeated subschema inside a repeated one is shared from the definition.
  const rewrite = (s, top) => {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) return s;
    if (!top) {
      const text = JSON.stringify(s);
      if ((counts.get(text) ?? 0) > 1) {
        let name = names.get(text);
        if (name === undefined) {
          name = `shared-${names.size}`;
          names.set(text, name);
          definitions[name] = rewrite(s, true);
        }
        return { $ref: `#/definitions/${name}` };
      }
    }
    const out = { ...s };
    for (const k of ONE) if (s[k] && typeof s[k] === 'object' && !Array.isArray(s[k])) out[k] = rewrite(s[k], false);
    for (const k of LIST) if (Array.isArray(s[k])) out[k] = s[k].map((x) => rewrite(x, false));
    for (const k of MAP) if (s[k] && typeof s[k] === 'object') out[k] = Object.fromEntries(Object.entries(s[k]).map(([n, x]) => [n, rewrite(x, false)]));
    return out;
  };
  const out = rewrite(schema, true);
  return names.size === 0 ? out : { ...out, definitions };
}
