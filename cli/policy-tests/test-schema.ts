// The JSON Schema of policy test files (policies/<id>/tests/*.yaml): their shape, whatever the
// policy. What depends on the policy — the names of fields, measures, rules and settings — is
// checked against it when a case runs (check-names.ts), with the same located diagnostics.

const scalar = { type: ['string', 'number', 'boolean', 'null'] };

/** Rows given to a case: a file (CSV or NDJSON, relative to the test file) or rows written out. */
const rows = {
  oneOf: [
    { type: 'string', minLength: 1 },
    { type: 'array', maxItems: 10000, items: { type: 'object', additionalProperties: scalar } },
  ],
};

/** A violation expected: `rule[key]@year` (or `@cycle`, or `@2020/2022` for a window of `per N periods`), or its fields. */
const violation = {
  oneOf: [
    { type: 'string', pattern: '^[^\\[\\]@]+(\\[[^\\]]+\\])?@(cycle|[0-9]+|[^@/]+/[^@/]+)$' },
    {
      type: 'object',
      additionalProperties: false,
      required: ['rule', 'year'],
      properties: {
        rule: { type: 'string', minLength: 1 },
        year: { type: ['integer', 'null'] },
        /** A window of `per N periods` (its `year` is null): `2020/2022`. */
        window: { type: 'string', minLength: 1 },
        key: { type: 'string' },
        actual: { type: ['number', 'boolean', 'null'] },
        required: { type: ['number', 'boolean', 'null'] },
        unmet: { type: 'array', items: { type: 'string' } },
        article: { type: 'string' },
        message: { type: 'string' },
        version: { type: 'string' },
        origin: { enum: ['own', 'inherited', 'overridden'] },
        source: { type: 'string' },
      },
    },
  ],
};

/** What one subject's results should say: only what is named is compared. */
const subjectExpect = {
  type: 'object',
  properties: {
    absent: { const: true },
    compliant: { type: 'boolean' },
    violations: { type: 'array', items: violation },
    violations_include: { type: 'array', items: violation },
    violations_exclude: { type: 'array', items: violation },
    records: {
      type: 'object', additionalProperties: false,
      properties: { evaluated: { type: 'integer' }, disregarded: { type: 'integer' } },
    },
  },
};

const rejection = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    record_id: { type: ['string', 'null'] },
    key: { type: ['string', 'null'] },
    file: { type: 'string' },
    line: { type: 'integer', minimum: 1 },
    rule: { type: ['string', 'null'] },
    reason: { type: 'string' },
    article: { type: ['string', 'null'] },
  },
};

const testCase = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'expect'],
  properties: {
    name: { type: 'string', minLength: 1 },
    note: { type: 'string' },
    version: { type: 'string', minLength: 1 },
    as_of: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
    settings: { type: 'object', minProperties: 1, additionalProperties: { type: ['boolean', 'string'] } },
    parameters: { type: 'object', minProperties: 1, additionalProperties: { type: 'number' } },
    records: rows,
    subjects: rows,
    expect: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        subjects: { type: 'object', minProperties: 1, additionalProperties: subjectExpect },
        rejected: { type: 'array', items: rejection },
        summary: { type: 'object', minProperties: 1 },
        error: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
      },
    },
  },
};

/** The schema of a test file. */
export const policyTestSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'guize policy tests',
  type: 'object',
  additionalProperties: false,
  required: ['cases'],
  properties: {
    defaults: {
      type: 'object',
      additionalProperties: false,
      properties: {
        records: { type: 'object', additionalProperties: scalar },
        subjects: { type: 'object', additionalProperties: scalar },
      },
    },
    cases: { type: 'array', minItems: 1, maxItems: 1000, items: testCase },
  },
} as const;
