// The editor's store-only zip writer (editor/src/zip.ts), checked against Info-ZIP's `unzip`
// (an implementation that shares no code with it) and against the format's fields by hand.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32, zip, zipFiles } from '../editor/src/zip.ts';
import { SavedTexts } from '../editor/src/saved-texts.ts';

const enc = new TextEncoder();
// unzip matches UTF-8 names given on its command line only in a UTF-8 locale.
const UNZIP_ENV = { ...process.env, LC_ALL: 'C.UTF-8' };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guize-zip-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const files = [
  { path: 'lincang/policy.yaml', text: '# 注释 a comment\npolicy: lincang.teacher-training\n' },
  { path: 'lincang/versions/2019.1.yaml', text: 'version: 2019.1\n  indented: kept\n' },
  { path: 'lincang/空.yaml', text: '' },
];

function write(name: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, zip(files.map((f) => ({ path: f.path, bytes: enc.encode(f.text) })), new Date(2026, 11, 3, 14, 5, 36)));
  return file;
}

describe('zip', () => {
  it('crc32 gives the standard check values', () => {
    // The CRC-32 check value of "123456789" (the catalogue of CRCs), and gzip's trailer for the fox sentence.
    expect(crc32(enc.encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(enc.encode('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('unzip tests the archive and gives back each file byte for byte', () => {
    const file = write('a.zip');
    expect(execFileSync('unzip', ['-tq', file], { encoding: 'utf8', env: UNZIP_ENV })).toContain('No errors detected');
    for (const f of files) expect(execFileSync('unzip', ['-p', file, f.path], { encoding: 'utf8', env: UNZIP_ENV })).toBe(f.text);
    const listing = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8', env: UNZIP_ENV });
    expect(listing.split('\n').filter(Boolean)).toEqual(files.map((f) => f.path));
  });

  it('writes the headers as the format says', () => {
    const bytes = fs.readFileSync(write('b.zip'));
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // First local header: signature, stored, UTF-8 flag, 14:05:36 → (14<<11)|(5<<5)|18 = 28850; 2026-12-03 → (46<<9)|(12<<5)|3 = 23939.
    expect(v.getUint32(0, true)).toBe(0x04034b50);
    expect(v.getUint16(6, true)).toBe(0x0800);
    expect(v.getUint16(8, true)).toBe(0);
    expect(v.getUint16(10, true)).toBe(28850);
    expect(v.getUint16(12, true)).toBe(23939);
    const first = enc.encode(files[0]!.text);
    expect(v.getUint32(18, true)).toBe(first.length);
    expect(v.getUint16(26, true)).toBe('lincang/policy.yaml'.length);
    // The end record: 3 entries; the directory is 3 × 46 bytes + the names' UTF-8 bytes, and starts after the 3 local parts.
    const names = files.map((f) => enc.encode(f.path).length);
    const datas = files.map((f) => enc.encode(f.text).length);
    const localsSize = names.reduce((a, n, i) => a + 30 + n + datas[i]!, 0);
    const dirSize = names.reduce((a, n) => a + 46 + n, 0);
    expect(bytes.length).toBe(localsSize + dirSize + 22);
    const end = bytes.length - 22;
    expect(v.getUint32(end, true)).toBe(0x06054b50);
    expect(v.getUint16(end + 10, true)).toBe(3);
    expect(v.getUint32(end + 12, true)).toBe(dirSize);
    expect(v.getUint32(end + 16, true)).toBe(localsSize);
    expect(v.getUint32(localsSize, true)).toBe(0x02014b50);
  });

  it("zipFiles names the files relative to the folder holding the policy, so a fork's ../parent still resolves", () => {
    const file = path.join(dir, 'c.zip');
    fs.writeFileSync(file, zipFiles({ 'policies/lincang-county/policy.yaml': 'extends: ../lincang\n', 'policies/lincang/policy.yaml': 'p\n' }, 'policies/lincang-county'));
    expect(execFileSync('unzip', ['-Z1', file], { encoding: 'utf8', env: UNZIP_ENV }).split('\n').filter(Boolean))
      .toEqual(['lincang-county/policy.yaml', 'lincang/policy.yaml']);
    expect(execFileSync('unzip', ['-p', file, 'lincang-county/policy.yaml'], { encoding: 'utf8', env: UNZIP_ENV })).toBe('extends: ../lincang\n');
  });

  it('SavedTexts tells an unsaved edit from the text as loaded or last saved', () => {
    const s = new SavedTexts({ 'a.yaml': 'x: 1\n' });
    expect(s.isDirty('a.yaml', undefined)).toBe(false); // never opened: as loaded
    expect(s.isDirty('a.yaml', 'x: 1\n')).toBe(false);
    expect(s.isDirty('a.yaml', 'x: 2\n')).toBe(true);
    s.markSaved('a.yaml', 'x: 2\n');
    expect(s.isDirty('a.yaml', 'x: 2\n')).toBe(false);
    expect(s.isDirty('a.yaml', 'x: 1\n')).toBe(true); // back to the loaded text is an edit of the saved one
  });
});
