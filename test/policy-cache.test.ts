// The policy load cache (cli/policy-cache.ts): an entry serves only while every file and folder
// loading read is the same; it is bounded; a damaged entry, another build or a policy with errors
// is loaded from the files; and the built CLI prints the same with and without it.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryFiles, type PolicyFiles } from '../dsl/index.ts';
import { cachedLoad, cacheDir, MAX_ENTRIES } from '../cli/policy-cache.ts';

const ROOT = join(import.meta.dirname, '..');
const DIR = 'policies/lincang';

/** The Lincang policy folder in memory, editable, counting the reads that go through it. */
function lincang(): { texts: Record<string, string>; files: PolicyFiles; reads: () => number } {
  const texts: Record<string, string> = {
    [`${DIR}/policy.yaml`]: readFileSync(join(ROOT, DIR, 'policy.yaml'), 'utf8'),
    [`${DIR}/versions/2019.1.yaml`]: readFileSync(join(ROOT, DIR, 'versions', '2019.1.yaml'), 'utf8'),
    [`${DIR}/mappings/provincial.yaml`]: readFileSync(join(ROOT, DIR, 'mappings', 'provincial.yaml'), 'utf8'),
  };
  const inner = memoryFiles(texts);
  let reads = 0;
  return {
    texts,
    files: { read: (p) => (reads++, inner.read(p)), list: (d) => inner.list(d) },
    reads: () => reads,
  };
}

/** The yearly credit floor of the loaded set's first version, as its YAML wrote it. */
function yearlyFloor(r: ReturnType<typeof cachedLoad>): unknown {
  if (!r.loaded.result.ok) throw new Error('did not load');
  const p = r.loaded.result.value.versions[0]!.ast.parameters.find((x) => x.id === 'min_credits_yearly');
  return p?.value;
}

const entries = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.v8'));

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guize-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('policy load cache', () => {
  it('serves an entry while the files are the same, and the same set as loading them', () => {
    const p = lincang();
    const first = cachedLoad(p.files, DIR, {}, dir, 'b1');
    expect(first.hit).toBe(false);
    expect(entries(dir)).toHaveLength(1);
    const second = cachedLoad(p.files, DIR, {}, dir, 'b1');
    expect(second.hit).toBe(true);
    expect(second.loaded.result).toEqual(first.loaded.result);
    expect([...second.loaded.sources.keys()].sort()).toEqual([...first.loaded.sources.keys()].sort());
    expect(yearlyFloor(second)).toBe('72');
  });

  it('keeps the input mappings with the policy, and reads them again when a mapping file changes or is added', () => {
    const p = lincang();
    const first = cachedLoad(p.files, DIR, {}, dir, 'b1');
    expect(first.mappings?.ok).toBe(true);
    expect(first.mappings?.mappings.map((m) => m.id)).toEqual(['provincial']);
    const second = cachedLoad(p.files, DIR, {}, dir, 'b1');
    expect(second.hit).toBe(true);
    expect(second.mappings).toEqual(first.mappings);
    const file = `${DIR}/mappings/provincial.yaml`;
    const title = /^title: (.*)$/m.exec(p.texts[file]!)![1]!;
    p.texts[file] = p.texts[file]!.replace(`title: ${title}`, 'title: 改过的 / changed');
    const changed = cachedLoad(p.files, DIR, {}, dir, 'b1');
    expect(changed.hit).toBe(false);
    expect(changed.mappings?.mappings[0]!.title).toBe('改过的 / changed');
    // A new mapping file changes the folder's listing: the entry no longer holds.
    p.texts[`${DIR}/mappings/county.yaml`] = p.texts[file]!.replace(/^mapping: .*$/m, 'mapping: county');
    const added = cachedLoad(p.files, DIR, {}, dir, 'b1');
    expect(added.hit).toBe(false);
    expect(added.mappings?.mappings.map((m) => m.id).sort()).toEqual(['county', 'provincial']);
  });

  it('loads from the files again when a file changed, and keeps the new set', () => {
    const p = lincang();
    cachedLoad(p.files, DIR, {}, dir, 'b1');
    const policy = `${DIR}/policy.yaml`;
    expect(p.texts[policy]).toContain('min_credits_yearly: { value: 72,');
    p.texts[policy] = p.texts[policy]!.replace('min_credits_yearly: { value: 72,', 'min_credits_yearly: { value: 70,');
    const changed = cachedLoad(p.files, DIR, {}, dir, 'b1');
    expect(changed.hit).toBe(false);
    const again = cachedLoad(p.files, DIR, {}, dir, 'b1');
    expect(again.hit).toBe(true);
    expect(yearlyFloor(again)).toBe('70');
  });

  it('loads from the files again when a folder it listed holds another file', () => {
    const p = lincang();
    cachedLoad(p.files, DIR, {}, dir, 'b1');
    // A new version file: no cached set knows it.
    p.texts[`${DIR}/versions/2030.1.yaml`] = p.texts[`${DIR}/versions/2019.1.yaml`]!;
    expect(cachedLoad(p.files, DIR, {}, dir, 'b1').hit).toBe(false);
  });

  it('keeps entries apart by build, version chosen and path', () => {
    const p = lincang();
    cachedLoad(p.files, DIR, {}, dir, 'b1');
    expect(cachedLoad(p.files, DIR, {}, dir, 'b2').hit).toBe(false);
    expect(cachedLoad(p.files, DIR, { version: '2017.1' }, dir, 'b1').hit).toBe(false);
    expect(cachedLoad(p.files, DIR, { version: '2017.1' }, dir, 'b1').hit).toBe(true);
    expect(cachedLoad(p.files, DIR, {}, dir, 'b1').hit).toBe(true);
    expect(cachedLoad(p.files, DIR, {}, dir, 'b2').hit).toBe(true);
    expect(entries(dir)).toHaveLength(3);
  });

  it('loads from the files when an entry is damaged, and writes it again', () => {
    const p = lincang();
    cachedLoad(p.files, DIR, {}, dir, 'b1');
    const [name] = entries(dir);
    writeFileSync(join(dir, name!), 'not an entry');
    const before = p.reads();
    expect(cachedLoad(p.files, DIR, {}, dir, 'b1').hit).toBe(false);
    expect(p.reads()).toBeGreaterThan(before);
    expect(cachedLoad(p.files, DIR, {}, dir, 'b1').hit).toBe(true);
  });

  it('does not keep a policy with errors', () => {
    const p = lincang();
    p.texts[`${DIR}/policy.yaml`] = p.texts[`${DIR}/policy.yaml`]!.replace('min_credits_yearly: { value: 72,', 'min_credits_yearly: { value: seventy,');
    const r = cachedLoad(p.files, DIR, {}, dir, 'b1');
    expect(r.loaded.result.ok).toBe(false);
    expect(entries(dir)).toHaveLength(0);
  });

  it(`keeps at most ${MAX_ENTRIES} entries, the most recently used`, () => {
    const p = lincang();
    // Each path under another name is an entry of its own (the same files, read by other paths).
    const paths = Array.from({ length: MAX_ENTRIES + 3 }, (_, k) => `${DIR}${'/.'.repeat(k)}`);
    for (const path of paths) cachedLoad(p.files, path, {}, dir, 'b1');
    expect(entries(dir)).toHaveLength(MAX_ENTRIES);
    // The last ones written are there.
    expect(cachedLoad(p.files, paths[paths.length - 1]!, {}, dir, 'b1').hit).toBe(true);
  });

  it('removes a part left unfinished over an hour ago, not one being written', () => {
    const stale = join(dir, 'stale.v8.1.part');
    const fresh = join(dir, 'fresh.v8.2.part');
    writeFileSync(stale, 'x');
    writeFileSync(fresh, 'x');
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(stale, old, old);
    cachedLoad(lincang().files, DIR, {}, dir, 'b1');
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  it('is off with GUIZE_CACHE=off, and kept where GUIZE_CACHE_DIR says', () => {
    expect(cacheDir({ GUIZE_CACHE: 'off', GUIZE_CACHE_DIR: '/x' })).toBeUndefined();
    expect(cacheDir({ GUIZE_CACHE_DIR: '/x/y' })).toBe('/x/y');
    expect(cacheDir({ XDG_CACHE_HOME: '/c' })).toBe(join('/c', 'guize'));
  });
});

describe('the built CLI with the cache', () => {
  const run = (env: Record<string, string>): { out: string; err: string } => {
    const args = ['bin/guize.mjs', 'eval', '--policy', DIR, '--records', `${DIR}/sample/records.csv`, '--teachers', `${DIR}/sample/teachers.csv`, '--format', 'json'];
    const r = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    return { out: r.stdout, err: r.stderr };
  };

  it('prints the same from the files and from the cache, and nothing is kept when it is off', () => {
    const off = run({ GUIZE_CACHE: 'off', GUIZE_CACHE_DIR: dir });
    expect(entries(dir)).toHaveLength(0);
    const cold = run({ GUIZE_CACHE_DIR: dir });
    expect(entries(dir)).toHaveLength(1);
    const warm = run({ GUIZE_CACHE_DIR: dir });
    expect(cold).toEqual(off);
    expect(warm).toEqual(off);
    expect(JSON.parse(warm.out).teachers.length).toBeGreaterThan(0);
  });
});
