// Golden diagnostics of forks: each test/cases/forks/<name>.yaml is a fork of the small policy in
// test/cases/forks/parents/minimal/ (two versions: the floor 72 open to forks within 60–90, then
// 80 with a rule removed), with `# note:` and `# expect:` lines like the single-file cases. The
// test loads it from disk, checks the codes are exactly the expected ones and that every
// diagnostic points into the fork's own file, and compares the rendering with <name>.txt (review a
// new one by eye: the caret must sit under exactly the offending text).
//
// Golden diagnostics of versions: each test/cases/versions/<name>/ is a policy folder (policy.yaml,
// whose `# note:` and `# expect:` lines say what it shows, and versions/), loaded as a folder;
// the diagnostics may point into any of its files (or a parent's it names) and are compared with
// test/cases/versions/<name>.txt.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadPolicySet, type PolicyFiles } from '../dsl/index.ts';

const root = new URL('../', import.meta.url);
const dir = 'test/cases/forks';

const disk: PolicyFiles = {
  read(path) {
    try {
      return readFileSync(new URL(path, root), 'utf8');
    } catch {
      return undefined;
    }
  },
  list(folder) {
    try {
      return statSync(new URL(folder, root)).isDirectory() ? readdirSync(new URL(folder, root)) : [];
    } catch {
      return [];
    }
  },
};

/** The codes a case file's `# expect:` line names. */
const expectOf = (text: string) => /^# expect:(.*)$/m.exec(text)![1]!.split(',').map((c) => c.trim()).filter((c) => c !== '');

const names = readdirSync(new URL(dir, root)).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();

describe('golden fork diagnostics', () => {
  it('has a case for each check of a fork', () => {
    const expected = names.flatMap((n) => /^# expect:(.*)$/m.exec(disk.read(`${dir}/${n}.yaml`)!)![1]!.split(',').map((c) => c.trim()));
    for (const code of ['fork-out-of-range', 'parent-drift', 'parent-removed', 'scope-not-subject', 'override-unknown', 'override-unchanged', 'override-without-cite']) {
      expect(expected, code).toContain(code);
    }
  });

  describe.each(names)('%s', (name) => {
    const file = `${dir}/${name}.yaml`;
    const text = disk.read(file)!;
    const expect_ = /^# expect:(.*)$/m.exec(text)![1]!.split(',').map((c) => c.trim()).filter((c) => c !== '');

    it(`reports exactly: ${expect_.join(', ')}`, async () => {
      const loaded = loadPolicySet(disk, file);
      const ds = loaded.result.diagnostics;
      expect([...new Set(ds.map((d) => d.code))].sort()).toEqual([...new Set(expect_)].sort());
      for (const d of ds) {
        expect(d.span.file).toBe(file);
        expect(d.span.end).toBeGreaterThan(d.span.start);
      }
      expect(loaded.result.ok).toBe(!ds.some((d) => d.severity === 'error'));
      await expect(ds.map((d) => formatDiagnostic(d, loaded.sources)).join('\n\n')).toMatchFileSnapshot(`./cases/forks/${name}.txt`);
    });
  });
});

describe('golden version diagnostics', () => {
  const versionsDir = 'test/cases/versions';
  const folders = readdirSync(new URL(versionsDir, root)).filter((n) => statSync(new URL(`${versionsDir}/${n}`, root)).isDirectory()).sort();

  it('has a case for each check of a policy\'s versions', () => {
    const expected = folders.flatMap((n) => expectOf(disk.read(`${versionsDir}/${n}/policy.yaml`)!));
    for (const code of ['duplicate-version', 'revision-chain', 'revision-date', 'until-before-effective', 'until-not-last', 'version-adds-fields',
      'version-changes-measure-form', 'not-a-change', 'fork-in-versions', 'band-without-from', 'override-wrong-kind']) {
      expect(expected, code).toContain(code);
    }
  });

  describe.each(folders)('%s', (name) => {
    const folder = `${versionsDir}/${name}`;
    const codes = expectOf(disk.read(`${folder}/policy.yaml`)!);

    it(`reports exactly: ${codes.join(', ')}`, async () => {
      const loaded = loadPolicySet(disk, folder);
      const ds = loaded.result.diagnostics;
      expect([...new Set(ds.map((d) => d.code))].sort()).toEqual([...new Set(codes)].sort());
      for (const d of ds) {
        expect(loaded.sources.has(d.span.file), d.span.file).toBe(true);
        expect(d.span.end).toBeGreaterThan(d.span.start);
      }
      expect(loaded.result.ok).toBe(!ds.some((d) => d.severity === 'error'));
      await expect(ds.map((d) => formatDiagnostic(d, loaded.sources)).join('\n\n')).toMatchFileSnapshot(`./cases/versions/${name}.txt`);
    });
  });
});
