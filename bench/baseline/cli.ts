// The baseline's command line: files in, report out, nothing else.
//
//   node baseline.mjs --records FILE [--teachers FILE] [--out FILE]
//
// Reads each file in 8 MiB chunks into one reused buffer (so memory does not grow with the
// file), checks it is UTF-8 as the engine's CLI does, and writes the report in 4 MiB chunks to
// FILE or standard output. Exit codes as the engine's CLI: 0 done, 2 an input cannot be used.
// Bundle: esbuild bench/baseline/cli.ts --bundle --platform=node --format=esm --outfile=…

import { closeSync, fstatSync, ftruncateSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { parseArgs } from 'node:util';
import { Baseline, missingColumns } from './baseline.ts';

const CHUNK = 8 << 20;
const usage = 'usage: baseline --records FILE [--teachers FILE] [--out FILE]  (- reads standard input)';

/** A problem that ends the run with exit code 2, with the engine's wording. */
class InputFailure extends Error {}

/** The output pipe was closed by its reader. */
class PipeClosed extends Error {}

/**
 * Checks UTF-8 chunk by chunk with node:buffer's validator; a character split between chunks is
 * held back (at most 3 bytes) and checked with the bytes that complete it. A failure names the
 * line and byte offset of the first invalid byte, as the engine's CLI does: the line is counted
 * by reading the file again up to it (only ever on failure).
 */
class Utf8Check {
  private pending = new Uint8Array(0);
  /** Offset in the file of the first byte of the chunk being checked. */
  private offset = 0;

  constructor(private readonly path: string) {}

  chunk(b: Uint8Array): void {
    let from = 0;
    if (this.pending.length > 0) {
      while (from < b.length && from < 3 && (b[from]! & 0xc0) === 0x80) from++;
      const joined = new Uint8Array(this.pending.length + from);
      joined.set(this.pending);
      joined.set(b.subarray(0, from), this.pending.length);
      if (!isUtf8(joined)) this.fail(this.offset - this.pending.length + firstBadByte(joined));
    }
    // Hold back an unfinished last character.
    let i = b.length - 1;
    while (i >= from && i > b.length - 4 && (b[i]! & 0xc0) === 0x80) i--;
    let cut = b.length;
    if (i >= from) {
      const c = b[i]!;
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      if (b.length - i < need) cut = i;
    }
    if (!isUtf8(b.subarray(from, cut))) this.fail(this.offset + from + firstBadByte(b.subarray(from, cut)));
    this.pending = b.slice(cut);
    this.offset += b.length;
  }

  end(): void {
    if (this.pending.length > 0) this.fail(this.offset - this.pending.length);
  }

  private fail(at: number): never {
    const line = 1 + lineFeedsBefore(this.path, at);
    throw new InputFailure(`${this.path} 不是 UTF-8 编码的文本（第 ${line} 行，第 ${at} 字节）/ ${this.path} is not UTF-8 text (line ${line}, byte offset ${at})`);
  }
}

/** The offset of the first byte that breaks UTF-8 (RFC 3629: no overlong forms, surrogates or code points past U+10FFFF). */
function firstBadByte(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > b.length) return i;
    const c1 = b[i + 1]!;
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (c1 < lo || c1 > hi) return i;
    for (let k = 2; k < len; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += len;
  }
  return b.length;
}

/** The line feeds in the first `end` bytes of the file at `path`. */
function lineFeedsBefore(path: string, end: number): number {
  const fd = openSync(path, 'r');
  const buf = new Uint8Array(1 << 20);
  let n = 0;
  let at = 0;
  try {
    while (at < end) {
      const got = readSync(fd, buf, 0, Math.min(buf.length, end - at), at);
      if (got === 0) break;
      for (let k = 0; k < got; k++) if (buf[k] === 0x0a) n++;
      at += got;
    }
  } finally {
    closeSync(fd);
  }
  return n;
}

/**
 * The baseline reads CSV only. The engine reads a file as NDJSON by its extension, or by a first
 * character `{` when the extension is not .csv; such a file is refused rather than misread.
 */
function checkCsv(path: string, first: Uint8Array): void {
  const name = path.toLowerCase();
  if (name.endsWith('.csv')) return;
  let i = 0;
  while (i < first.length && (first[i] === 0x20 || (first[i]! >= 0x09 && first[i]! <= 0x0d))) i++;
  if (first[i] === 0xef && first[i + 1] === 0xbb && first[i + 2] === 0xbf) i += 3;
  while (i < first.length && (first[i] === 0x20 || (first[i]! >= 0x09 && first[i]! <= 0x0d))) i++;
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl') || name.endsWith('.json') || first[i] === 0x7b) {
    throw new InputFailure(`${path}：基准程序只读 CSV / ${path}: the baseline reads CSV only`);
  }
}

/** Streams a file (or standard input) through `push`, one reused buffer. */
function readFile(path: string, buf: Uint8Array, push: (chunk: Uint8Array) => void, afterChunk: () => void): void {
  let fd: number;
  try {
    fd = path === '-' ? 0 : openSync(path, 'r');
  } catch (e) {
    // The words guize uses for a file that is not there (its cli/file-errors.ts).
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new InputFailure(`找不到文件 / no such file: ${path}`);
    throw new InputFailure(`无法读取 ${path} / cannot read ${path}: ${(e as Error).message}`);
  }
  checkCsv(path, new Uint8Array(0));
  const utf8 = new Utf8Check(path);
  let first = true;
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        if ((e as NodeJS.ErrnoException).code === 'EOF') break;
        throw new InputFailure(`无法读取 ${path} / cannot read ${path}: ${(e as Error).message}`);
      }
      if (n === 0) break;
      const chunk = buf.subarray(0, n);
      if (first) checkCsv(path, chunk);
      first = false;
      utf8.chunk(chunk);
      push(chunk);
      afterChunk();
    }
    utf8.end();
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

/** Writes all of `b` to `fd`, waiting out a full non-blocking pipe. */
function writeAll(fd: number, b: Uint8Array): void {
  let off = 0;
  while (off < b.length) {
    try {
      off += writeSync(fd, b, off, b.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A closed pipe (`| head`) is the reader's choice, not an error: stop quietly, as guize does.
      if (code === 'EPIPE') throw new PipeClosed();
      if (code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/**
 * Opens the output file for writing. An existing file is overwritten in place and cut to length
 * at the end, rather than truncated first: truncating frees its cached pages and writing then
 * allocates new ones, which for a report of hundreds of megabytes costs more than writing it.
 */
function openOutput(path: string): { fd: number; cut: boolean } {
  try {
    let existing: boolean;
    try {
      existing = statSync(path).isFile();
    } catch {
      existing = false;
    }
    // Devices, pipes and new files are opened as usual; only a regular file is cut to length.
    const fd = openSync(path, existing ? 'r+' : 'w');
    return { fd, cut: fstatSync(fd).isFile() };
  } catch (e) {
    throw new InputFailure(`无法写入 ${path} / cannot write ${path}: ${(e as Error).message}`);
  }
}

function main(argv: string[]): number {
  let values: { records?: string; teachers?: string; subjects?: string; out?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { records: { type: 'string' }, teachers: { type: 'string' }, subjects: { type: 'string' }, out: { type: 'string' } },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  if (!values.records) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const records = values.records;
  const teachers = values.subjects ?? values.teachers; // --subjects, as the engine's alias
  try {
    if (records === '-' && teachers === '-') throw new InputFailure('标准输入只能提供一个文件 / only one file can come from standard input (-)');
    // A teachers row takes about 27 bytes, a record about 90 and a teacher has ~40 records:
    // enough for the teachers' arrays to be allocated once.
    const size = (path: string | undefined): number => {
      try {
        return path === undefined || path === '-' ? 0 : statSync(path).size;
      } catch {
        return 0;
      }
    };
    const expectedTeachers = Math.ceil(Math.max(size(teachers) / 24, size(records) / 3000));
    const expectedRecords = Math.ceil(size(records) / 90);
    const run = new Baseline({ recordsName: records, teachersName: teachers ?? 'teachers', expectedTeachers, expectedRecords });
    const buf = new Uint8Array(CHUNK);
    // A CSV without a required column stops the run before anything is written, as in the engine.
    const checkColumns = (which: 'records' | 'teachers', path: string, atEnd: boolean): void => {
      const columns = run.columns(which);
      if (columns === undefined && !atEnd) return;
      const missing = missingColumns(which, columns ?? []);
      if (missing.length > 0) throw new InputFailure(`${path} 缺少必需的列 ${missing.join(', ')} / ${path} lacks the required column(s) ${missing.join(', ')}`);
    };
    if (teachers !== undefined) {
      let checked = false;
      readFile(teachers, buf, (c) => run.pushTeachers(c), () => {
        if (!checked && run.columns('teachers') !== undefined) {
          checked = true;
          checkColumns('teachers', teachers, false);
        }
      });
      if (!checked) checkColumns('teachers', teachers, true);
    }
    let checked = false;
    readFile(records, buf, (c) => run.pushRecords(c), () => {
      if (!checked && run.columns('records') !== undefined) {
        checked = true;
        checkColumns('records', records, false);
      }
    });
    if (!checked) checkColumns('records', records, true);
    const out = values.out === undefined ? { fd: 1, cut: false } : openOutput(values.out);
    run.endRecords();
    for (const w of run.warnings) process.stderr.write(`${w}\n`);
    let written = 0;
    run.finish((chunk) => {
      writeAll(out.fd, chunk);
      written += chunk.length;
    });
    if (out.cut) ftruncateSync(out.fd, written);
    if (out.fd !== 1) closeSync(out.fd);
    return 0;
  } catch (e) {
    if (e instanceof InputFailure) {
      process.stderr.write(`错误 error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof PipeClosed) return 0;
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));
