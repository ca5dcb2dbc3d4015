// The editor's zip reader (editor/src/unzip.ts) on archives written by Info-ZIP's `zip` (an
// implementation that shares no code with it), deflated and stored, and on the editor's own
// writer's; each file must come back byte for byte as it is on disk. Damaged archives are
// refused with a reason, never read wrong.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { unzip, ZipError } from '../editor/src/unzip.ts';
import { zip } from '../editor/src/zip.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guize-unzip-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The policy files of the two folders, by path under policies/, as on disk. */
const POLICY_FILES = ['lincang-county/policy.yaml', 'lincang/policy.yaml', 'lincang/versions/2019.1.yaml'];
const onDisk = (p: string) => new Uint8Array(fs.readFileSync(path.join(ROOT, 'policies', p)));

/** Info-ZIP's zip of those files (`-X`: no extra attributes; `-0`: stored), as bytes. */
function infoZip(name: string, ...flags: string[]): Uint8Array {
  const out = path.join(dir, name);
  execFileSync('zip', ['-q', '-X', ...flags, out, ...POLICY_FILES], { cwd: path.join(ROOT, 'policies') });
  return new Uint8Array(fs.readFileSync(out));
}

describe('unzip', () => {
  it("reads Info-ZIP's deflated archive of the county fork and its parent, each file as on disk", async () => {
    const bytes = infoZip('deflated.zip', '-9');
    // Deflated for real: the archive is smaller than the files it holds.
    expect(bytes.length).toBeLessThan(POLICY_FILES.reduce((n, p) => n + onDisk(p).length, 0));
    const entries = await unzip(bytes);
    expect(entries.map((e) => e.path)).toEqual(POLICY_FILES);
    for (const e of entries) expect(e.bytes).toEqual(onDisk(e.path));
  });

  it("reads Info-ZIP's stored archive, and one with the folders' own entries (left out)", async () => {
    const stored = await unzip(infoZip('stored.zip', '-0'));
    expect(stored.map((e) => [e.path, e.bytes.length])).toEqual(POLICY_FILES.map((p) => [p, onDisk(p).length]));
    const out = path.join(dir, 'recursive.zip');
    execFileSync('zip', ['-q', '-X', '-r', out, 'lincang-county'], { cwd: path.join(ROOT, 'policies') });
    const entries = await unzip(new Uint8Array(fs.readFileSync(out)));
    // Info-ZIP's own listing (in the directory's order), less the folders' entries (`…/`).
    const listed = execFileSync('unzip', ['-Z1', out], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(listed.some((p) => p.endsWith('/'))).toBe(true);
    expect(entries.map((e) => e.path)).toEqual(listed.filter((p) => !p.endsWith('/')));
    expect(entries.find((e) => e.path === 'lincang-county/policy.yaml')?.bytes).toEqual(onDisk('lincang-county/policy.yaml'));
  });

  it("reads the editor's own writer's zip back: UTF-8 names and an empty file", async () => {
    const enc = new TextEncoder();
    const files = [{ path: 'lincang/空.yaml', bytes: new Uint8Array(0) }, { path: 'lincang/policy.yaml', bytes: enc.encode('# 注释\npolicy: x\n') }];
    expect(await unzip(zip(files))).toEqual(files);
  });

  it('refuses what is not a zip, a damaged entry, and a cut archive, with the reason in both languages', async () => {
    await expect(unzip(new TextEncoder().encode('policy: not a zip\n'))).rejects.toThrow('not a zip file (no end of central directory)');
    const good = zip([{ path: 'a.yaml', bytes: new TextEncoder().encode('x: 1\n') }]);
    const damaged = good.slice();
    damaged[36] = damaged[36]! ^ 1; // the first byte of a.yaml's data (after the 30-byte local header and the 6-byte name): `x` → `y`
    await expect(unzip(damaged)).rejects.toThrow('a.yaml: CRC-32 mismatch (the archive is damaged)');
    const error = await unzip(damaged).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZipError);
    expect((error as ZipError).zh).toBe('a.yaml：CRC 校验失败');
    // Deflated data cut short: the inflater ends early or fails; either way no file is returned.
    const deflated = infoZip('cut.zip', '-9');
    const cut = deflated.slice();
    cut.fill(0, 40, 200); // inside the first entry's compressed data
    await expect(unzip(cut)).rejects.toThrow();
  });
});
