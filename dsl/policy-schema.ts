// The JSON Schema (draft-07) of a policy file. `npm run schema` writes it to policy.schema.json
// at the repository root, where editors find it through the yaml-language-server modeline; a test
// keeps the two identical.

// The same letters the rule language's identifiers take (dsl/lexer.ts): Latin, digits, _, CJK.
const letter = 'A-Za-z_\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
const id = { type: 'string', pattern: `^[${letter}][0-9${letter}]*$` };
const cite = {
  description: 'The article(s) this encodes, e.g. "办法 第3条".',
  oneOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }],
};
const note = { type: 'string', description: 'Why the value reads as it does.' };
const unit = {
  type: 'string',
  description: 'A unit: a declared unit name, a product or quotient of them (credit/hour), or 1.',
  pattern: `^(1|[${letter}][0-9${letter}]*([*/][${letter}][0-9${letter}]*)*)$`,
};
const decimal = { type: 'number' };

const field = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { enum: ['text', 'number', 'date', 'bool', 'enum'] },
    values: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, uniqueItems: true },
    unit,
    required: { type: 'boolean' },
    min: decimal,
    max: decimal,
    cite,
    note,
  },
};

const fields = { type: 'object', propertyNames: id, additionalProperties: field, minProperties: 1 };

const column = {
  oneOf: [
    unit,
    { type: 'object', additionalProperties: false, required: ['type'], properties: { type: { enum: ['number', 'bool', 'text'] }, unit } },
  ],
};
const cell = { type: ['number', 'boolean', 'string'] };
const cells = { type: 'object', additionalProperties: cell };

const keyedTable = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'columns', 'rows', 'cite'],
  properties: {
    key: id,
    columns: { type: 'object', propertyNames: id, additionalProperties: column, minProperties: 1 },
    rows: { type: 'object', additionalProperties: cells, minProperties: 1 },
    cite,
    note,
  },
};

const bandTable = {
  type: 'object',
  additionalProperties: false,
  required: ['bands', 'unit', 'columns', 'below', 'cite'],
  properties: {
    unit,
    columns: { type: 'object', propertyNames: id, additionalProperties: column },
    bands: {
      type: 'array',
      minItems: 1,
      items: { type: 'object', required: ['label', 'from'], properties: { label: { type: 'string' }, from: decimal }, additionalProperties: cell },
    },
    below: { type: 'object', required: ['label'], properties: { label: { type: 'string' } }, additionalProperties: cell },
    cite,
    note,
  },
};

/** The policy file schema, as a plain object (JSON Schema draft-07). */
export const policySchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://guize.invalid/policy.schema.json',
  title: 'guize policy file',
  type: 'object',
  additionalProperties: false,
  required: ['policy', 'version', 'effective', 'document', 'subject', 'record', 'period', 'cycle', 'rules'],
  properties: {
    policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$', description: 'Stable id of the policy.' },
    version: { type: ['string', 'number'], minLength: 1, description: 'The policy version, e.g. "2017.1" (quotes optional).' },
    effective: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Date the policy takes effect.' },
    document: { type: 'string', minLength: 1, description: 'The issuing document (文件号).' },
    title: { type: 'string' },
    units: {
      type: 'object',
      propertyNames: id,
      additionalProperties: {
        type: 'object', additionalProperties: false, required: ['zh', 'en'],
        properties: { zh: { type: 'string' }, en: { type: 'string' } },
      },
    },
    subject: {
      type: 'object',
      additionalProperties: false,
      required: ['key', 'collection', 'fields'],
      properties: { key: id, collection: id, fields },
    },
    record: {
      type: 'object',
      additionalProperties: false,
      required: ['key', 'subject', 'fields'],
      properties: { key: id, subject: id, cite, fields },
    },
    period: {
      type: 'object',
      additionalProperties: false,
      required: ['field', 'by', 'name', 'collection'],
      properties: { field: id, by: { enum: ['year'] }, name: id, collection: id },
    },
    cycle: {
      type: 'object',
      additionalProperties: false,
      required: ['from', 'to'],
      properties: { from: { type: 'integer' }, to: { type: 'integer' }, cite, note },
    },
    settings: {
      type: 'object',
      propertyNames: id,
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['value', 'cite'],
        properties: {
          value: { type: ['boolean', 'string'] },
          choices: { type: 'array', items: { type: 'string' }, minItems: 2, uniqueItems: true },
          cite,
          note,
        },
      },
    },
    parameters: {
      type: 'object',
      propertyNames: id,
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['value', 'cite'],
        properties: { value: decimal, unit, cite, note },
      },
    },
    tables: {
      type: 'object',
      propertyNames: id,
      additionalProperties: { if: { type: 'object', required: ['bands'] }, then: bandTable, else: keyedTable },
    },
    rules: { type: 'string', description: 'The rules, in the guize rule language (a `|` block).' },
  },
} as const;
