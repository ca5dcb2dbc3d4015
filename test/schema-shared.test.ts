// The CLI's policy validator is compiled at build time from the schema with its repeated parts
// shared (scripts/schema-refs.mjs), not from policy.schema.json as written: these tests check that
// the two validators accept the same files and report the same errors, on every policy YAML the
// tests hold and on random changes to the Lincang policy.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { policySchema } from '../dsl/index.ts';
import { shareRepeatedSubschemas } from '../scripts/schema-refs.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const plain = new Ajv({ allErrors: true, strict: false }).compile(policySchema);
const sharedSchema = shareRepeatedSubschemas(JSON.parse(JSON.stringify(policySchema))) as { definitions?: object };
const shared = new Ajv({ allErrors: true, strict: false, inlineRefs: false }).compile(sharedSchema);

/** What schema-check.ts reads of an error (schemaPath differs by design: it names the definition). */
function errorsOf(v: ValidateFunction, data: unknown): unknown[] | null {
  if (v(data)) return null;
  return (v.errors ?? []).map((e: ErrorObject) => ({ keyword: e.keyword, instancePath: e.instancePath, params: e.params, propertyName: e.propertyName, message: e.message }));
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : n.endsWith('.yaml') ? [p] : [];
  });
}

describe('the shared-parts policy schema (the CLI build\'s validator)', () => {
  it('shares parts: the schema has definitions and is much smaller as code', () => {
    // policy.schema.json repeats the declarations under a change's `adds`, and the table shapes.
    expect(Object.keys(sharedSchema.definitions ?? {}).length).toBeGreaterThan(10);
    expect(JSON.stringify(sharedSchema).length).toBeLessThan(JSON.stringify(policySchema).length / 2);
  });

  it('gives the same verdict and errors as the schema as written on every policy YAML in the tests', () => {
    const files = [...yamlFiles(join(root, 'test/cases')), ...yamlFiles(join(root, 'test/corpus/policies')), ...yamlFiles(join(root, 'policies'))];
    expect(files.length).toBeGreaterThan(300);
    let failing = 0;
    for (const f of files) {
      let data: unknown;
      try {
        data = parse(readFileSync(f, 'utf8'));
      } catch {
        continue; // not YAML: the schema never sees it
      }
      const want = errorsOf(plain, data);
      if (want !== null) failing += 1;
      expect(errorsOf(shared, data), f).toEqual(want);
    }
    // The corpus holds many files the schema refuses: the errors compared are not all empty.
    expect(failing).toBeGreaterThan(20);
  });

  it('gives the same errors on random changes anywhere in the Lincang policy', () => {
    const base = parse(readFileSync(join(root, 'policies/lincang/policy.yaml'), 'utf8')) as unknown;
    const paths: (string | number)[][] = [];
    const walk = (x: unknown, at: (string | number)[]): void => {
      paths.push(at);
      if (Array.isArray(x)) x.forEach((v, i) => walk(v, [...at, i]));
      else if (x !== null && typeof x === 'object') for (const [k, v] of Object.entries(x)) walk(v, [...at, k]);
    };
    walk(base, []);
    const value = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.string(), fc.constant('bad name'), fc.constant({ x: 1 }), fc.constant([1]), fc.constant({}));
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(paths.length - 1), value), { minLength: 1, maxLength: 3 }), (changes) => {
      const data = structuredClone(base) as Record<string | number, unknown>;
      for (const [i, v] of changes) {
        const p = paths[i]!;
        if (p.length === 0) continue;
        let o: unknown = data;
        for (const k of p.slice(0, -1)) o = o !== null && typeof o === 'object' ? (o as Record<string | number, unknown>)[k] : undefined;
        if (o !== null && typeof o === 'object') (o as Record<string | number, unknown>)[p[p.length - 1]!] = v;
      }
      expect(errorsOf(shared, data)).toEqual(errorsOf(plain, data));
    }), { numRuns: 400, seed: 6 });
  });
});
