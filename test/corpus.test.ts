// The bad-input corpus (test/corpus/): policy files, CSV and NDJSON records files and teachers
// files, each with its expectation in the expect.yaml of its folder, written by reading the file
// (the exact diagnostic code, line and column; or the rejected lines with their reasons and the
// counts). Each file runs through `guize` in process: no crash, no hang (vitest's timeout), no
// lost row (rows read = evaluated + rejected + out of scope), no message without a place.
// Limits are tested just past their bound (and at it) on files generated here rather than
// committed: megabytes of padding do not belong in git.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { guize, tempFolder } from './support/cli.ts';

const CORPUS = fileURLToPath(new URL('./corpus/', import.meta.url));
const LINCANG = fileURLToPath(new URL('../policies/lincang', import.meta.url));

/** A rejected row as the corpus writes it: line, rule (`unreadable` for none), words of the English reason. */
type Rejection = [number, string, string];

interface Counts {
  read: number;
  evaluated: number;
  out_of_scope: number;
  rejected: Rejection[];
}

interface RecordsCase extends Partial<Counts> {
  note: string;
  fatal?: string;
  teachers?: string[];
  warning?: string;
}

interface TeachersCase {
  note: string;
  fatal?: string;
  file?: { read: number; accepted: number; rejected: Rejection[] };
  records?: Counts;
  teachers?: string[];
}

interface PolicyCase {
  note: string;
  ok?: true;
  error?: [string, number, number];
  fatal?: string;
}

function expectations<T>(folder: string): [string, T][] {
  const dir = path.join(CORPUS, folder);
  const cases = parse(fs.readFileSync(path.join(dir, 'expect.yaml'), 'utf8')) as Record<string, T>;
  // Every file has its expectation, and every expectation its file.
  const files = fs.readdirSync(dir).filter((f) => f !== 'expect.yaml' && !f.startsWith('_')).sort();
  expect(Object.keys(cases).sort(), `${folder}: files and expect.yaml entries`).toEqual(files);
  return Object.entries(cases);
}

/** Nothing printed is an internal error or a JavaScript message. */
function noCrash(text: string): void {
  expect(text).not.toMatch(/internal error|Maximum call stack|Invalid string length|at \S+ \(.*:\d+:\d+\)|TypeError|RangeError/);
}

interface Report {
  teachers: { teacher_id: string }[];
  rejected: { file: string; line: number; rule: string | null; reason: string }[];
  summary: {
    rows_read: number; evaluated: number; rejected: number; out_of_scope: number;
    teachers_file?: { rows_read: number; accepted: number; rejected: number };
  };
}

/** The rejections of one file, as the corpus writes them; each reason bilingual and naming its place. */
function rejectionsOf(report: Report, file: string): Rejection[] {
  return report.rejected.filter((r) => r.file === file).map((r) => {
    expect(r.reason, 'a reason in Chinese and English').toMatch(/[\u4e00-\u9fff].*\/ /s);
    expect(r.line).toBeGreaterThan(0);
    return [r.line, r.rule ?? 'unreadable', r.reason];
  });
}

/** Each rejection is the expected line and rule, and its reason holds the expected words. */
function expectRejections(actual: Rejection[], expected: Rejection[]): void {
  expect(actual.map(([line, rule]) => [line, rule])).toEqual(expected.map(([line, rule]) => [line, rule]));
  for (const [i, [, , words]] of expected.entries()) expect(actual[i]![2]).toContain(words);
}

function expectCounts(report: Report, c: Counts): void {
  const s = report.summary;
  // Nothing lost: every row read is evaluated, rejected or out of scope.
  expect(s.rows_read).toBe(s.evaluated + s.rejected + s.out_of_scope);
  expect({ read: s.rows_read, evaluated: s.evaluated, out_of_scope: s.out_of_scope }).toEqual({ read: c.read, evaluated: c.evaluated, out_of_scope: c.out_of_scope });
  expectRejections(rejectionsOf(report, 'records'), c.rejected);
  expect(s.rejected).toBe(c.rejected.length);
}

/** A fatal input error: exit 2, one located message naming the file, in both languages (after any warnings, such as a file read as GB18030 because it is not UTF-8). */
function expectFatal(r: { code: number; out: string; err: string }, file: string, words: string): void {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).toContain(file);
  expect(r.err).toContain(words);
  expect(r.err).toMatch(/^(?:警告 warning: .*\n)*错误 error: .*[\u4e00-\u9fff].*\/ /);
}

describe.each(['records-csv', 'records-ndjson'])('the corpus: %s', (folder) => {
  for (const [name, c] of expectations<RecordsCase>(folder)) {
    it(`${name}: ${c.note}`, async () => {
      const file = path.join(CORPUS, folder, name);
      const r = await guize('eval', '--policy', LINCANG, '--records', file, '--format', 'json');
      noCrash(r.err);
      if (c.fatal !== undefined) return expectFatal(r, file, c.fatal);
      expect(r.code, r.err).toBe(0);
      const report = JSON.parse(r.out) as Report;
      expectCounts(report, c as Counts);
      if (c.teachers) expect(report.teachers.map((t) => t.teacher_id)).toEqual(c.teachers);
      if (c.warning) expect(r.err).toMatch(new RegExp(`警告 warning: .*${c.warning.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      else expect(r.err).toBe('');
    });
  }
});

describe('the corpus: teachers', () => {
  const records = path.join(CORPUS, 'teachers', '_records.csv');
  for (const [name, c] of expectations<TeachersCase>('teachers')) {
    it(`${name}: ${c.note}`, async () => {
      const file = path.join(CORPUS, 'teachers', name);
      const r = await guize('eval', '--policy', LINCANG, '--records', records, '--teachers', file, '--format', 'json');
      noCrash(r.err);
      if (c.fatal !== undefined) return expectFatal(r, file, c.fatal);
      expect(r.code, r.err).toBe(0);
      const report = JSON.parse(r.out) as Report;
      const tf = report.summary.teachers_file!;
      expect(tf.rows_read).toBe(tf.accepted + tf.rejected);
      expect({ read: tf.rows_read, accepted: tf.accepted }).toEqual({ read: c.file!.read, accepted: c.file!.accepted });
      expectRejections(rejectionsOf(report, 'teachers'), c.file!.rejected);
      expect(tf.rejected).toBe(c.file!.rejected.length);
      expectCounts(report, c.records!);
      if (c.teachers) expect(report.teachers.map((t) => t.teacher_id)).toEqual(c.teachers);
    });
  }
});

/** The diagnostics `guize check` printed: code, severity and place of each; every one must have a place. */
function diagnosticsOf(text: string): { severity: string; code: string; file: string; line: number; column: number }[] {
  const blocks = text.split(/\n(?=(?:error|warning)\[)/).filter((b) => /^(?:error|warning)\[/.test(b));
  return blocks.map((b) => {
    const head = /^(error|warning)\[([a-z-]+)\]:/.exec(b)!;
    const at = /\n\s*--> (.+):(\d+):(\d+)\n/.exec(b);
    expect(at, `a place for: ${b.slice(0, 300)}`).not.toBeNull();
    expect(b, 'both languages').toMatch(/[\u4e00-\u9fff]/);
    return { severity: head[1]!, code: head[2]!, file: at![1]!, line: Number(at![2]), column: Number(at![3]) };
  });
}

/** Runs `guize check` on a policy file and compares with what the corpus expects of it. */
async function expectPolicy(file: string, c: Omit<PolicyCase, 'note'>): Promise<void> {
  const r = await guize('check', '--policy', file);
  const printed = `${r.out}\n${r.err}`;
  noCrash(printed);
  if (c.fatal !== undefined) return expectFatal(r, file, c.fatal);
  const diagnostics = diagnosticsOf(printed);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (c.ok) {
    expect(errors, printed).toEqual([]);
    expect(r.code).toBe(0);
    return;
  }
  expect(r.code).toBe(2);
  const [code, line, column] = c.error!;
  const first = errors.find((d) => d.code === code);
  expect(first, printed).toBeDefined();
  expect({ file: first!.file, line: first!.line, column: first!.column }, printed).toEqual({ file, line, column });
}

describe('the corpus: policies', () => {
  for (const [name, c] of expectations<PolicyCase>('policies')) {
    it(`${name}: ${c.note}`, () => expectPolicy(path.join(CORPUS, 'policies', name), c));
  }
});

// ── Limits, just past their bound (and at it), on generated files ─────────────────────────────

const VALID = fs.readFileSync(path.join(CORPUS, 'policies', 'valid.yaml'), 'utf8');
/** valid.yaml has 50 lines; a key added at its end is on line 51. */
const AFTER = VALID.split('\n').length;
const tmp = tempFolder('guize-corpus-');

describe('the corpus: limits of a policy file', () => {
  it('4 MiB is read; one byte more is refused, naming the file', async () => {
    const pad = (total: number): string => {
      const head = `${VALID}# `;
      return `${head}${'x'.repeat(total - Buffer.byteLength(head) - 1)}\n`;
    };
    const at = tmp.write('at-limit.yaml', pad(4 << 20));
    expect(fs.statSync(at).size).toBe(4 << 20);
    await expectPolicy(at, { ok: true });
    const past = tmp.write('past-limit.yaml', pad((4 << 20) + 1));
    await expectPolicy(past, { fatal: 'is larger than 4 MiB' });
  });

  it('YAML nesting: 64 levels are read, 65 are yaml-too-deep at the bracket that passes', async () => {
    // `extra:` is level 1 (the top mapping); each `[` one more: 63 brackets make 64 levels.
    const nested = (n: number) => `${VALID}extra: ${'['.repeat(n)}${']'.repeat(n)}\n`;
    // At the bound the YAML is read, and the only error is the unknown key itself.
    await expectPolicy(tmp.write('depth-64.yaml', nested(63)), { error: ['unknown-key', AFTER, 1] });
    // "extra: " is 7 characters, so the 64th bracket is column 7 + 64.
    await expectPolicy(tmp.write('depth-65.yaml', nested(64)), { error: ['yaml-too-deep', AFTER, 71] });
  });

  it('YAML aliases: 100 are resolved, 101 are yaml-aliases', async () => {
    const aliases = (n: number) => `${VALID}extra: [&a x${', *a'.repeat(n)}]\n`;
    await expectPolicy(tmp.write('aliases-100.yaml', aliases(100)), { error: ['unknown-key', AFTER, 1] });
    // Said at the last alias: "extra: [&a x" is 12 characters and each ", *a" 4, so the 101st
    // alias is column 12 + 4 × 101 − 1.
    await expectPolicy(tmp.write('aliases-101.yaml', aliases(101)), { error: ['yaml-aliases', AFTER, 415] });
  });

  /** valid.yaml with one more rule after its last (the rule on line 52, after a blank line 51). */
  const withRule = (rule: string) => `${VALID}\n  @cite("办法 第九条")\n  ${rule}\n`;
  const RULE_LINE = AFTER + 2;

  it('rule nesting: 64 brackets are checked, 65 are too-deep on the rule\'s line', async () => {
    const brackets = (n: number) => withRule(`reject deep when ${'('.repeat(n)}true${')'.repeat(n)} because "x"`);
    await expectPolicy(tmp.write('brackets-64.yaml', brackets(64)), { ok: true });
    const r = await guize('check', '--policy', tmp.write('brackets-65.yaml', brackets(65)));
    const first = diagnosticsOf(r.err + r.out).find((d) => d.severity === 'error')!;
    expect([r.code, first.code, first.line]).toEqual([2, 'too-deep', RULE_LINE]);
  });

  it('a list of 1 000 items is checked, 1 001 are list-too-long at the list', async () => {
    const list = (n: number) => withRule(`reject listed when hours in [${Array.from({ length: n }, (_, i) => i).join(', ')}] because "x"`);
    await expectPolicy(tmp.write('list-1000.yaml', list(1000)), { ok: true });
    // Said at the `in` expression: "  reject listed when " is 21 characters, so hours is column 22.
    await expectPolicy(tmp.write('list-1001.yaml', list(1001)), { error: ['list-too-long', RULE_LINE, 22] });
  });

  it('a number of 100 000 digits is not-a-number at its place, at once', async () => {
    const started = Date.now();
    const text = VALID.replace('value: 72,', `value: ${'1'.repeat(100_000)},`);
    await expectPolicy(tmp.write('digits.yaml', text), { error: ['not-a-number', 38, 23] });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('the corpus: limits of a records file', () => {
  const header = 'record_id,teacher_id,date,kind,level,format,module,elective,days,hours,practical_hours,rate,score,in_system,status';
  const row = (id: string, hours = '12') => `${id},T1,2017-05-01,training,county,online,ethics,true,,${hours},,1,95,true,ok`;
  const evalFile = async (name: string, text: string): Promise<Report> => {
    const r = await guize('eval', '--policy', LINCANG, '--records', tmp.write(name, text), '--format', 'json');
    noCrash(r.err);
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as Report;
  };

  it('a CSV row of 1 MiB is read; one byte longer is rejected, and reading resumes on the next line', async () => {
    // A row's bytes with its line feed, padded by an unknown column. The over-long row lies
    // inside one 4 MiB chunk, where the generated row parser sees it whole: it must still be
    // rejected, as it is when it crosses a chunk boundary (that parser once took it).
    const sized = (id: string, bytes: number) => `${row(id)},${'x'.repeat(bytes - row(id).length - 2)}`;
    const text = `${header},note\n${row('R1')},\n${sized('R2', 1 << 20)}\n${sized('R3', (1 << 20) + 1)}\n${row('R4')},\n`;
    const report = await evalFile('long-row.csv', text);
    expectCounts(report, { read: 4, evaluated: 3, out_of_scope: 0, rejected: [[4, 'unreadable', 'the row is longer than 1 MiB; skipped to the next line feed']] });
  });

  it('an NDJSON line over 1 MiB is rejected; the lines around it count', async () => {
    const line = (id: string, pad: number) => `{"record_id":"${id}","teacher_id":"T1","date":"2017-05-01","kind":"training","level":"county","format":"online","module":"ethics","elective":true,"hours":12,"rate":1,"score":95,"in_system":true,"status":"ok","note":"${'x'.repeat(pad)}"}`;
    const text = `${line('R1', 0)}\n${line('R2', (1 << 20) + 10)}\n${line('R3', 0)}\n`;
    const report = await evalFile('long-line.ndjson', text);
    expectCounts(report, { read: 3, evaluated: 2, out_of_scope: 0, rejected: [[2, 'unreadable', 'the line is longer than 1 MiB']] });
  });

  it('a file with no end to its line (/dev/zero, or 17 MiB with no line feed) is refused, with the line: no hang', async () => {
    const exact = (file: string, line: number) => `错误 error: ${file} 第 ${line} 行超过 16 MiB 没有换行 / line ${line} runs over 16 MiB without a line feed\n`;
    if (fs.existsSync('/dev/zero')) {
      const zero = await guize('eval', '--policy', LINCANG, '--records', '/dev/zero', '--format', 'json');
      expect([zero.code, zero.out, zero.err]).toEqual([2, '', exact('/dev/zero', 1)]);
    }
    // CSV: the header and a row, then a row of 17 MiB with no line feed (line 3).
    const csv = tmp.write('runaway.csv', `${header}\n${row('R1')}\n${'x'.repeat(17 << 20)}`);
    const r = await guize('eval', '--policy', LINCANG, '--records', csv, '--format', 'json');
    expect([r.code, r.out, r.err]).toEqual([2, '', exact(csv, 3)]);
    // NDJSON: one good line, then 17 MiB with no line feed (line 2).
    const nd = tmp.write('runaway.ndjson', `{"record_id":"R1"}\n${'y'.repeat(17 << 20)}`);
    const n = await guize('eval', '--policy', LINCANG, '--records', nd, '--format', 'json');
    expect([n.code, n.out, n.err]).toEqual([2, '', exact(nd, 2)]);
  });

  it('a row of 15 MiB that ends is one rejected row, and reading goes on', async () => {
    const text = `${header}\n${row('R1')}\n${'x'.repeat(15 << 20)}\n${row('R3')}\n`;
    const report = await evalFile('long-but-ends.csv', text);
    expectCounts(report, { read: 3, evaluated: 2, out_of_scope: 0, rejected: [[3, 'unreadable', 'the row is longer than 1 MiB; skipped to the next line feed']] });
  });

  it('hours of 100 000 digits are one rejected row, quoted as an excerpt', async () => {
    const report = await evalFile('digits.csv', `${header}\n${row('R1', '9'.repeat(100_000))}\n${row('R2')}\n`);
    expectCounts(report, { read: 2, evaluated: 1, out_of_scope: 0, rejected: [[2, 'hours', "hours: '999999999999999999999999999999999999999999999999…9999999999999999 (100000 chars)' is too large"]] });
    expect(report.rejected[0]!.reason.length).toBeLessThan(300);
  });

  it('a header of 4 097 columns is a warning; the first 4 096 are read', async () => {
    const extra = Array.from({ length: 4097 - 15 }, (_, i) => `c${i}`);
    const r = await guize('eval', '--policy', LINCANG, '--records', tmp.write('wide.csv', `${header},${extra.join(',')}\n${row('R1')}${','.repeat(extra.length)}\n`), '--format', 'json');
    expect(r.code).toBe(0);
    expect(r.err).toContain('the header has more than 4096 columns');
    expectCounts(JSON.parse(r.out) as Report, { read: 1, evaluated: 0, out_of_scope: 0, rejected: [[2, 'unreadable', 'row has 4097 fields']] });
  });
});

describe('the corpus: limits of a policy folder', () => {
  const CASE = fileURLToPath(new URL('./cases/versions/too-many-versions/', import.meta.url));
  /** The golden case's folder with its first `n` version files (v001 revises "1", each the one before). */
  const folder = (n: number): string => {
    const dir = path.join(tmp.path(), `versions-${n}`);
    fs.mkdirSync(path.join(dir, 'versions'), { recursive: true });
    fs.copyFileSync(path.join(CASE, 'policy.yaml'), path.join(dir, 'policy.yaml'));
    for (let k = 1; k <= n; k++) {
      const name = `v${String(k).padStart(3, '0')}.yaml`;
      fs.copyFileSync(path.join(CASE, 'versions', name), path.join(dir, 'versions', name));
    }
    return dir;
  };

  it('200 version files are read; 201 are too-many-versions at the first line of the 201st', async () => {
    const at = await guize('check', '--policy', folder(200));
    expect(at.code, at.err).toBe(0);
    // The check lists each version: the first, and the 200 of versions/, the last v200.
    const listed = [...at.out.matchAll(/^✓ test\.minimal (\S+):/gm)].map((m) => m[1]);
    expect(listed.length).toBe(201);
    expect([listed[0], listed[200]]).toEqual(['1', 'v200']);
    const past = folder(201);
    const r = await guize('check', '--policy', past);
    noCrash(r.err + r.out);
    expect(r.code).toBe(2);
    expect(diagnosticsOf(r.err + r.out).map((d) => [d.code, d.file, d.line, d.column])).toEqual([['too-many-versions', `${past}/versions/v201.yaml`, 1, 1]]);
  });
});
