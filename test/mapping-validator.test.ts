// The CLI's mapping-file validator is ajv's standalone code, generated at build time from
// mapping.schema.json (scripts/mapping-validator.mjs), not the schema compiled at run time
// (dsl/mapping-validator.ts): these tests load that code as the build does and check the two
// give the same verdict and the same errors, on the policies' mapping files and on random
// changes to the Lincang mapping.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mappingValidator } from '../dsl/mapping-validator.ts';
import { mappingValidatorModule } from '../scripts/mapping-validator.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const runtime = mappingValidator();

/** The build's module, loaded with a `require` as the bundle's banner gives it. */
async function built(): Promise<ValidateFunction> {
  const dir = mkdtempSync(join(tmpdir(), 'guize-mapping-validator-'));
  const file = join(dir, 'mapping-validator.mjs');
  const banner = `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(join(root, 'package.json'))});\n`;
  writeFileSync(file, banner + mappingValidatorModule(readFileSync(join(root, 'mapping.schema.json'), 'utf8')));
  const m = (await import(pathToFileURL(file).href)) as { mappingValidator(): ValidateFunction };
  return m.mappingValidator();
}

/** What schema-check.ts reads of an error, and the verbose members. */
function errorsOf(v: ValidateFunction, data: unknown): unknown[] | null {
  if (v(data)) return null;
  return (v.errors ?? []).map((e: ErrorObject) => ({
    keyword: e.keyword, instancePath: e.instancePath, schemaPath: e.schemaPath, params: e.params, message: e.message, data: e.data, schema: e.schema,
  }));
}

describe('the mapping validator compiled at build time', () => {
  it('accepts the mapping files of the policies, as the run-time one does', async () => {
    const v = await built();
    const files = ['policies/lincang/mappings', 'policies/lincang-county/mappings']
      .flatMap((d) => { try { return readdirSync(join(root, d)).filter((n) => n.endsWith('.yaml')).map((n) => join(root, d, n)); } catch { return []; } });
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const data = parse(readFileSync(f, 'utf8')) as unknown;
      expect(errorsOf(v, data), f).toEqual(errorsOf(runtime, data));
    }
  });

  it('gives the same errors on random changes anywhere in the Lincang mapping', async () => {
    const v = await built();
    const dir = join(root, 'policies/lincang/mappings');
    const base = parse(readFileSync(join(dir, readdirSync(dir).find((n) => n.endsWith('.yaml'))!), 'utf8')) as unknown;
    const paths: (string | number)[][] = [];
    const walk = (x: unknown, at: (string | number)[]): void => {
      paths.push(at);
      if (Array.isArray(x)) x.forEach((y, i) => walk(y, [...at, i]));
      else if (x !== null && typeof x === 'object') for (const [k, y] of Object.entries(x)) walk(y, [...at, k]);
    };
    walk(base, []);
    const value = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.string(), fc.constant(''), fc.constant({ x: 1 }), fc.constant([1]), fc.constant({}));
    let refused = 0;
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(paths.length - 1), value), { minLength: 1, maxLength: 3 }), (changes) => {
      const data = structuredClone(base) as Record<string | number, unknown>;
      for (const [i, x] of changes) {
        const p = paths[i]!;
        if (p.length === 0) continue;
        let o: unknown = data;
        for (const k of p.slice(0, -1)) o = o !== null && typeof o === 'object' ? (o as Record<string | number, unknown>)[k] : undefined;
        if (o !== null && typeof o === 'object') (o as Record<string | number, unknown>)[p[p.length - 1]!] = x;
      }
      const want = errorsOf(runtime, data);
      if (want !== null) refused++;
      expect(errorsOf(v, data)).toEqual(want);
    }), { numRuns: 400, seed: 6 });
    // Most random changes break the mapping: the errors compared are not all empty.
    expect(refused).toBeGreaterThan(100);
  });
});
