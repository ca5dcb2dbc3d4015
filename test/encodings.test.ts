// Input encodings (cli/encoding.ts): the sample records, with a column of Chinese remarks added,
// written in GB18030 and UTF-16 by the independent encoders of test/support/encoders.ts, give the
// byte-identical report of the UTF-8 file; line numbers are the same in every encoding and line
// end; bytes no encoding defines stop the run, located.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gb18030, utf16 } from './support/encoders.ts';
import { guize, tempFolder } from './support/cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const POLICY = path.join(ROOT, 'policies', 'lincang');
const SAMPLE = path.join(POLICY, 'sample');
const tmp = tempFolder('guize-enc-');

function put(name: string, bytes: Uint8Array): string {
  const file = path.join(tmp.path(), name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** The sample records with a last column 备注 ("remarks", which the policy does not know) of Chinese text. */
function withRemarks(text: string, eol = '\n'): string {
  const lines = text.trimEnd().split('\n');
  return lines.map((l, i) => `${l},${i === 0 ? '备注' : `第${i}条，"含引号"`.replace(/"/g, '')}`).join(eol) + eol;
}

const records = fs.readFileSync(path.join(SAMPLE, 'records.csv'), 'utf8');
const teachers = path.join(SAMPLE, 'teachers.csv');
const utf8 = new TextEncoder();

async function evalOf(file: string, ...extra: string[]) {
  return guize('eval', '--policy', POLICY, '--records', file, '--teachers', teachers, ...extra);
}

describe('input encodings', () => {
  it('GB18030, UTF-16 LE/BE with a BOM, and UTF-8 with a BOM give the byte-identical report of the UTF-8 file', async () => {
    const text = withRemarks(records);
    const base = await evalOf(put('utf8.csv', utf8.encode(text)));
    expect(base.code).toBe(0);
    const report = JSON.parse(base.out);
    // Nothing lost: the sample's 1 642 rows, as in the canonical file.
    expect(report.summary.rows_read).toBe(1642);
    expect(report.summary.rows_read).toBe(report.summary.evaluated + report.summary.rejected + report.summary.out_of_scope);
    // The remarks column is only warned about.
    expect(base.err).toContain('ignoring unknown column(s): 备注');
    const canonical = await evalOf(path.join(SAMPLE, 'records.csv'));
    expect(base.out === canonical.out).toBe(true);

    const gb = put('gb.csv', gb18030(text));
    const gbRun = await evalOf(gb);
    expect(gbRun.out === base.out).toBe(true);
    // The first non-ASCII byte is 备's, just after the header's 15 canonical names and a comma.
    const at = records.indexOf('\n') + 1;
    expect(gbRun.err).toContain(`警告 warning: ${gb} 不是 UTF-8 编码的文本（第 1 行，第 ${at} 字节），按 GB18030 读取 / ${gb} is not UTF-8 text (line 1, byte offset ${at}): read as GB18030\n`);

    for (const [name, bytes] of [
      ['le.csv', utf16(text, 'le')],
      ['be.csv', utf16(text, 'be')],
      ['bom8.csv', Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8.encode(text)])],
    ] as const) {
      const r = await evalOf(put(name, bytes));
      expect([name, r.code, r.out === base.out]).toEqual([name, 0, true]);
      expect(r.err).not.toContain('GB18030');
    }
    // Forced: the same GB18030 file with --encoding says nothing about falling back.
    const forced = await evalOf(gb, '--encoding', 'gb18030');
    expect(forced.out === base.out).toBe(true);
    expect(forced.err).not.toContain('read as GB18030');
    // UTF-16 without a BOM, forced (little-endian, as Windows writes it): --encoding is for both files.
    const bareTeachers = put('bare16-teachers.csv', utf16(fs.readFileSync(teachers, 'utf8'), 'le', false));
    const bare = await guize('eval', '--policy', POLICY, '--records', put('bare16.csv', utf16(text, 'le', false)), '--teachers', bareTeachers, '--encoding', 'utf-16');
    expect(bare.out === base.out).toBe(true);
  });

  it('line numbers are the same in every encoding and line end (LF, CRLF, lone CR)', async () => {
    // Line 3 names an unknown teacher level: rejected on line 3 whatever the bytes.
    const text = records.split('\n').slice(0, 4).map((l, i) => (i === 2 ? l.replace(/,(county|city|school|province|national),/, ',国级,') : l)).join('\n') + '\n';
    const lines = (t: string) => withRemarks(t);
    const outs: unknown[] = [];
    for (const eol of ['\n', '\r\n', '\r']) {
      const t = lines(text).replace(/\n/g, eol);
      for (const [name, bytes] of [['u8', utf8.encode(t)], ['gb', gb18030(t)], ['le', utf16(t, 'le')], ['be', utf16(t, 'be')]] as const) {
        const r = await evalOf(put(`lines-${name}-${eol.length}${eol[0] === '\r' ? 'r' : 'n'}.csv`, bytes));
        expect(r.code).toBe(0);
        const rej = JSON.parse(r.out).rejected.map((x: { line: number; record_id: string }) => [x.record_id, x.line]);
        outs.push(rej);
      }
    }
    expect(outs[0]).toEqual([['R0000002', 3]]);
    for (const o of outs) expect(o).toEqual(outs[0]);
  });

  it('a byte GB18030 does not define either is a located error, never a replacement character', async () => {
    // Line 2 is "R1,0xFF…": 0xFF is no GB18030 lead byte. Line 1 ("a,备\n") is 2 + 2 + 1 = 5 bytes... in GB18030: a , 备(2) \n = 5.
    const bytes = Uint8Array.from([...gb18030('a,备\nR1,'), 0xff, 0x0a]);
    const file = put('bad-gb.csv', bytes);
    const r = await evalOf(file);
    expect(r.code).toBe(2);
    // 0xFF is at offset 5 + 3 = 8, on line 2.
    expect(r.err).toContain(`${file} 不是有效的 GB18030 文本（第 2 行，第 8 字节）/ ${file} is not valid GB18030 text (line 2, byte offset 8)`);
    expect(r.err).not.toContain('\uFFFD');
    // A lead byte with an invalid trail (0x81 then a line feed), after a CRLF line and a lone-CR line.
    const cut = put('cut-gb.csv', Uint8Array.from([...gb18030('备,x\r\ny\rz,'), 0x81, 0x0a]));
    const c = await evalOf(cut);
    // Lines: 1 "备,x" CRLF, 2 "y" CR, 3 "z,": the 0x81 at 2+2+2 + 2 + 2 = offset 10.
    expect(c.err).toContain(`(line 3, byte offset 10)`);
  });

  it('UTF-16: an unpaired surrogate is a located error; --encoding utf-8 refuses what is not UTF-8', async () => {
    const text = utf16('a,b\nc,', 'le');
    // A lone high surrogate, then a line feed: BOM 2 + 6 units × 2 = offset 14, line 2.
    const file = put('bad16.csv', Uint8Array.from([...text, 0x00, 0xd8, 0x0a, 0x00]));
    const r = await evalOf(file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file} is not valid UTF-16LE text (line 2, byte offset 14)`);
    const gb = put('gb-forced.csv', gb18030('备\n'));
    const f = await evalOf(gb, '--encoding', 'utf-8');
    expect(f.code).toBe(2);
    expect(f.err).toContain(`${gb} is not UTF-8 text (line 1, byte offset 0)`);
    const u = await evalOf(gb, '--encoding', 'latin-1');
    expect([u.code, u.err]).toEqual([2, "错误 error: 未知的编码 'latin-1' / unknown --encoding 'latin-1' (utf-8, gb18030, utf-16)\n"]);
  });
});
