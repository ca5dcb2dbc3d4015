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
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };

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
    { type: 'object', additionalProperties: false, required: ['type'], properties: { type: { enum: ['number', 'bool', 'text', 'date'] }, unit } },
  ],
};
const cell = { type: ['number', 'boolean', 'string'] };
// A row's or band's own `cite` and `note` are not cells (policy-file.ts ROW_OWN_KEYS).
const cells = { type: 'object', properties: { cite, note }, additionalProperties: cell };

const forkRange = {
  type: 'array', items: decimal, minItems: 2, maxItems: 2,
  description: 'The range [low, high] a fork may set the value within.',
};

const keyedTable = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'columns', 'rows', 'cite'],
  properties: {
    key: id,
    columns: { type: 'object', propertyNames: id, additionalProperties: column, minProperties: 1 },
    rows: { type: 'object', additionalProperties: cells, minProperties: 1 },
    fork_range: {
      type: 'object', propertyNames: id, minProperties: 1,
      description: "Per column, the range [low, high] a fork may set each row's cell within: numbers, or columns of the same row.",
      additionalProperties: { type: 'array', items: { type: ['number', 'string'] }, minItems: 2, maxItems: 2 },
    },
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
      items: { type: 'object', required: ['label', 'from'], properties: { label: { type: 'string' }, from: decimal, to: decimal, cite, note }, additionalProperties: cell },
    },
    below: { type: 'object', required: ['label'], properties: { label: { type: 'string' }, to: decimal, cite, note }, additionalProperties: cell },
    cite,
    note,
  },
};

const before_effective = {
  type: 'object',
  additionalProperties: false,
  required: ['value'],
  description: 'Records dated before the first version took effect: evaluated under it, or out of scope (the default).',
  properties: { value: { enum: ['evaluate', 'out_of_scope'] }, cite, note },
};

const parameterDecl = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'cite'],
  properties: {
    value: { type: ['number', 'string'] },
    type: { enum: ['number', 'date'], description: 'number (the default, with its unit) or date (YYYY-MM-DD, no unit).' },
    unit, fork_range: forkRange, cite, note,
  },
  if: { required: ['type'], properties: { type: { const: 'date' } } },
  then: { properties: { value: date }, not: { required: ['unit'] } },
  else: { properties: { value: decimal } },
};

const settingDecl = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'cite'],
  properties: {
    value: { type: ['boolean', 'string'] },
    choices: { type: 'array', items: { type: 'string' }, minItems: 2, uniqueItems: true },
    cite,
    note,
  },
};

const tableDecl = { if: { type: 'object', required: ['bands'] }, then: bandTable, else: keyedTable };
const versionText = { type: ['string', 'number'], minLength: 1 };

/** A full policy file. */
const fullPolicy = {
  type: 'object',
  additionalProperties: false,
  required: ['policy', 'version', 'effective', 'document', 'subject', 'record', 'period', 'cycle', 'rules'],
  properties: {
    policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$', description: 'Stable id of the policy.' },
    version: { type: ['string', 'number'], minLength: 1, description: 'The policy version, e.g. "2017.1" (quotes optional).' },
    effective: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Date the policy takes effect.' },
    until: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'The last day the policy is in force, if it has one.' },
    document: { type: 'string', minLength: 1, description: 'The issuing document (文件号).' },
    title: { type: 'string' },
    hypothetical: { type: 'boolean', description: 'True for an illustrative version that no real document issued.' },
    change: { type: 'string', description: 'What this version changes.' },
    before_effective,
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
      properties: { field: id, by: { enum: ['year', 'half-year', 'quarter', 'month'] }, name: id, collection: id },
    },
    cycle: {
      type: 'object',
      additionalProperties: false,
      description: 'Calendar years (`from: 2016, to: 2020`), or a cycle per subject: `length` counted from (`from:`) or back from (`before:`) a date field of the subject.',
      properties: {
        from: { anyOf: [{ type: 'integer' }, id] }, to: { type: 'integer' }, before: id,
        length: { type: 'string', description: 'A cycle per subject\'s length: `3 years`, `36 months`.' },
        every: { type: 'integer', minimum: 1, description: 'The cycle repeats: consecutive cycles of this many periods from `from` to `to` (or over each subject\'s window of `length`), each subject evaluated once per cycle.' },
        cite, note,
      },
    },
    settings: { type: 'object', propertyNames: id, additionalProperties: settingDecl },
    parameters: { type: 'object', propertyNames: id, additionalProperties: parameterDecl },
    tables: { type: 'object', propertyNames: id, additionalProperties: tableDecl },
    rules: { type: 'string', description: 'The rules, in the guize rule language (a `|` block).' },
  },
};

// ── Changes: a later version (`revises:`) or a fork (`extends:`) ─────────────────────────────

const bandChange = {
  type: 'object', required: ['label'], properties: { label: { type: 'string' }, from: decimal, to: decimal, cite, note }, additionalProperties: cell,
};

/** What a change may say of an existing item: only what it changes, nothing of its shape. */
const overrides = {
  parameters: {
    type: 'object', propertyNames: id, minProperties: 1,
    additionalProperties: { type: 'object', additionalProperties: false, minProperties: 1, properties: { value: { type: ['number', 'string'], pattern: '^\\d{4}-\\d{2}-\\d{2}$' }, cite, note } },
  },
  settings: {
    type: 'object', propertyNames: id, minProperties: 1,
    additionalProperties: { type: 'object', additionalProperties: false, minProperties: 1, properties: { value: { type: ['boolean', 'string'] }, cite, note } },
  },
  tables: {
    type: 'object', propertyNames: id, minProperties: 1,
    additionalProperties: {
      type: 'object', additionalProperties: false, minProperties: 1,
      properties: {
        cite, note,
        rows: { type: 'object', additionalProperties: cells, minProperties: 1, description: 'Rows by key: cells to change, or a new row.' },
        remove_rows: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
        bands: { type: 'array', items: bandChange, minItems: 1, description: 'Bands by label: cells or bound to change, or a new band.' },
        below: { type: 'object', properties: { label: { type: 'string' }, to: decimal, cite, note }, additionalProperties: cell },
        remove_bands: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
      },
    },
  },
  rules: { type: 'string', description: 'Statements that replace those of the same id (a `|` block).' },
  add: {
    type: 'object', additionalProperties: false, minProperties: 1,
    description: 'What the change adds: declarations as a policy file writes them.',
    properties: {
      units: fullPolicy.properties.units,
      record_fields: fields,
      subject_fields: fields,
      parameters: { type: 'object', propertyNames: id, additionalProperties: parameterDecl },
      settings: { type: 'object', propertyNames: id, additionalProperties: settingDecl },
      tables: { type: 'object', propertyNames: id, additionalProperties: tableDecl },
      rules: { type: 'string', description: 'New statements (a `|` block).' },
    },
  },
  remove: { type: 'array', items: id, minItems: 1, uniqueItems: true, description: 'Ids of parameters, settings, tables or rules to remove.' },
} as const;

/** A later version of a policy, written as a change on the version before it. */
const revision = {
  type: 'object',
  additionalProperties: false,
  required: ['revises', 'version', 'effective', 'document', 'change'],
  properties: {
    revises: { ...versionText, description: 'The version this one changes: the one before it.' },
    version: versionText,
    effective: date,
    until: date,
    document: { type: 'string', minLength: 1 },
    title: { type: 'string' },
    hypothetical: { type: 'boolean' },
    change: { type: 'string', minLength: 1, description: 'What this version changes, for the reader.' },
    ...overrides,
  },
};

/** A fork: another policy's rules with local changes (a county's of the city's). */
const fork = {
  type: 'object',
  additionalProperties: false,
  required: ['extends', 'policy', 'version', 'effective', 'document'],
  properties: {
    extends: {
      type: 'object', additionalProperties: false, required: ['policy', 'version'],
      properties: {
        policy: { type: 'string', minLength: 1, description: 'The parent policy: its folder, relative to this file.' },
        version: { ...versionText, description: 'The parent version this fork was written against (for drift warnings).' },
      },
    },
    policy: fullPolicy.properties.policy,
    version: versionText,
    effective: date,
    until: date,
    document: { type: 'string', minLength: 1 },
    title: { type: 'string' },
    hypothetical: { type: 'boolean' },
    change: { type: 'string' },
    before_effective,
    subjects: {
      type: 'object', additionalProperties: false, required: ['where', 'cite'],
      description: "The fork's own subjects: the others are out of scope.",
      properties: { id, where: { type: 'string', minLength: 1 }, cite, note },
    },
    ...overrides,
  },
};

/**
 * The policy file schema, as a plain object (JSON Schema draft-07): a full policy, a later
 * version (`revises:`) or a fork (`extends:`).
 */
export const policySchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://guize.invalid/policy.schema.json',
  title: 'guize policy file',
  if: { type: 'object', required: ['revises'] },
  then: revision,
  else: { if: { type: 'object', required: ['extends'] }, then: fork, else: fullPolicy },
} as const;
