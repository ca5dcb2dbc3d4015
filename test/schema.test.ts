import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { policySchema } from '../dsl/index.ts';
import { policyTestSchema } from '../cli/policy-tests/test-schema.ts';

describe('policy.schema.json', () => {
  it('is the schema the loader uses (run `npm run schema` after changing dsl/policy-schema.ts)', () => {
    const committed = JSON.parse(readFileSync(new URL('../policy.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(policySchema)));
  });

  it('accepts the Lincang policy as plain YAML data, as an editor would see it', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(policySchema);
    const data = parse(readFileSync(new URL('../policies/lincang/policy.yaml', import.meta.url), 'utf8'));
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...data, tables: { t: { key: 'level' } } })).toBe(false);
  });
});

describe('policy-test.schema.json', () => {
  it('is the schema guize test uses (run `npm run schema` after changing cli/policy-tests/test-schema.ts)', () => {
    const committed = JSON.parse(readFileSync(new URL('../policy-test.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(policyTestSchema)));
  });
});
