// The JSON Schema of input mapping files (a policy folder's mappings/*.yaml, see
// dsl/mapping-file.ts); written to mapping.schema.json by `npm run schema`, for editors.

const text = { type: 'string', minLength: 1 } as const;

/** How one file of the layout is read: its column names, its values and its date forms. */
const layout = {
  type: 'object',
  additionalProperties: false,
  required: ['columns'],
  properties: {
    columns: {
      description: 'column name in the file → the canonical field it holds',
      type: 'object', minProperties: 1, additionalProperties: text,
    },
    values: {
      description: 'per canonical enum or bool field: a value as written in the file → the canonical value',
      type: 'object',
      additionalProperties: { type: 'object', minProperties: 1, additionalProperties: { type: ['string', 'boolean'] } },
    },
    dates: {
      description: 'the date forms the file writes, tried in order on every date field: YYYY, M or MM, D or DD, and literal text (YYYY/M/D, YYYY年M月D日)',
      type: 'array', minItems: 1, items: text,
    },
  },
} as const;

/** The schema of a mapping file. */
export const mappingSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'guize input mapping',
  description: 'How files exported by another system are read as the policy\'s canonical records and subjects.',
  type: 'object',
  additionalProperties: false,
  required: ['mapping', 'title'],
  properties: {
    $schema: { type: 'string' },
    mapping: { description: 'the mapping\'s id, said when a file is read with it', type: 'string', pattern: '^[a-z][a-z0-9_-]*$' },
    title: { description: 'what the layout is, for people', ...text },
    note: { type: 'string' },
    records: layout,
    subjects: layout,
    private_columns: {
      description: 'columns holding personal data (names, ID-card numbers): never read, never shown; a warning says they were left out',
      type: 'array', items: text,
    },
  },
} as const;
