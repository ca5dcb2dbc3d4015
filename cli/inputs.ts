// Reading files for the CLI: the policy (a file, or a folder holding policy.yaml) and the input
// rows. CSV goes to the engine as bytes, in large chunks, checked as UTF-8 on the way (Node's
// isUtf8 runs at memory speed); NDJSON is decoded to text and read line by line.

import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createNdjsonReader, CsvScanner, detectFormat, jsonDocumentProblem, type CsvSink, type InputEvent } from '../engine/index.ts';

import { byteOrderMark, chooseEncoding, Transcoder, type EncodingName, type FileEncoding } from './encoding.ts';
import { asFileFailure, errnoWords } from './file-errors.ts';
import { InputFailure } from './io.ts';
import { NO_PROGRESS, type Progress } from './progress.ts';

export { InputFailure } from './io.ts';

/** Bytes read from an input file at a time. */
const CHUNK_BYTES = 4 << 20;

/** Where the rows of an input file go, once its format is known. */
export interface RowTarget {
  /** For CSV: the sink the byte scanner feeds. */
  csv(): CsvSink;
  /** For NDJSON: each event (rows, and header problems, which are warnings). */
  event(e: InputEvent): void;
}

/** What reading a file found: its format, the column names it had (for NDJSON, all keys seen) and its encoding. */
export interface StreamedFile {
  readonly format: 'csv' | 'ndjson';
  readonly columns: readonly string[];
  readonly encoding: FileEncoding;
}

/** How to read a file: a forced encoding, and where to say what was decided (a warning). */
export interface ReadOptions {
  /** `--encoding`: read the file in this encoding, whatever its bytes suggest. */
  readonly encoding?: EncodingName | undefined;
  /** Told, once, when the file is not UTF-8 and is read as GB18030 instead (a warning). */
  readonly notice?: ((message: string) => void) | undefined;
}

/**
 * Reads a CSV or NDJSON file (`-` for standard input) into `target`, chunk by chunk, so memory
 * stays flat whatever the file's size. The encoding is decided on the first chunk (cli/encoding.ts:
 * a BOM, else strict UTF-8, else GB18030 with a notice); a file not in UTF-8 is transcoded to
 * UTF-8 bytes on the way, so the scanner sees the same bytes in every encoding.
 */
export async function streamRows(path: string, target: RowTarget, csvColumns: () => readonly string[], progress: Progress = NO_PROGRESS, options: ReadOptions = {}): Promise<StreamedFile> {
  const chunks = path === '-' ? stdinChunks() : fileChunks(path);
  let format: 'csv' | 'ndjson' | undefined;
  let scanner: CsvScanner | undefined;
  const ndjson = createNdjsonReader();
  const text = new TextDecoder('utf-8', { ignoreBOM: true });
  const utf8 = new Utf8Check(path);
  let encoding: FileEncoding | undefined;
  let transcoder: Transcoder | undefined;
  let bytes = 0;
  const take = (chunk: Uint8Array) => {
    if (chunk.length === 0) return;
    if (format === undefined) {
      const head = new TextDecoder().decode(chunk.subarray(0, 4096));
      format = detectFormat(path, head);
      const problem = format === 'ndjson' ? jsonDocumentProblem(head) : undefined;
      if (problem !== undefined) throw new InputFailure(`${path}: ${problem}`);
    }
    // Transcoded bytes are UTF-8 by construction: only a UTF-8 file's are checked.
    const valid = transcoder === undefined ? utf8.check(chunk) : chunk.length;
    if (format === 'csv') {
      scanner ??= new CsvScanner(target.csv());
      // Text that is not UTF-8 is the first thing to say (a GBK file's header would otherwise be
      // reported as missing columns): the line is counted without reading the rows before it.
      if (valid < chunk.length) throw utf8.failure(scanner.lineAtEnd() + lineFeeds(chunk, valid));
      scanner.push(chunk);
    } else {
      if (valid < chunk.length) throw utf8.failure(ndjson.lineAtEnd() + lineFeeds(chunk, valid));
      for (const e of ndjson.push(text.decode(chunk, { stream: true }))) target.event(e);
    }
  };
  try {
    for await (const chunk of chunks) {
      if (encoding === undefined) {
        const bom = byteOrderMark(chunk);
        const probe = new Utf8Check(path);
        const valid = bom !== undefined || options.encoding !== undefined || probe.check(chunk) === chunk.length;
        encoding = chooseEncoding(options.encoding, chunk, valid);
        if (!valid) options.notice?.(probe.fallback(1 + lineEnds(chunk, probe.validBytes)));
        if (encoding !== 'utf-8') {
          const skip = bom !== undefined && bom.encoding === encoding ? bom.length : 0;
          transcoder = new Transcoder(path, encoding, skip);
          take(transcoder.push(chunk.subarray(skip)));
        } else take(chunk);
      } else take(transcoder === undefined ? chunk : transcoder.push(chunk));
      bytes += chunk.length;
      progress.update(bytes, format === 'csv' ? scanner!.lineAtEnd() : ndjson.lineAtEnd());
    }
    if (transcoder !== undefined) take(transcoder.end());
    else utf8.end(format === 'csv' ? () => scanner?.lineAtEnd() ?? 1 : () => ndjson.lineAtEnd());
    encoding ??= 'utf-8';
    format ??= detectFormat(path, '');
    if (format === 'csv') {
      scanner ??= new CsvScanner(target.csv());
      scanner.end();
      return { format, columns: csvColumns(), encoding };
    }
    for (const e of ndjson.push(text.decode())) target.event(e);
    for (const e of ndjson.end()) target.event(e);
    return { format, columns: ndjson.columns(), encoding };
  } catch (e) {
    throw asInputFailure(e, path);
  } finally {
    progress.done();
  }
}

/**
 * Reads bytes `[from, to)` of the CSV file open as `fd` into `scanner`, in chunks, checked as
 * UTF-8 by `utf8` (which knows where the bytes lie in the file, for its message).
 */
export function pushRange(fd: number, scanner: CsvScanner, utf8: Utf8Check, from: number, to: number, progress: Progress = NO_PROGRESS): void {
  const buf = new Uint8Array(CHUNK_BYTES);
  for (let at = from; at < to;) {
    const n = readSync(fd, buf, 0, Math.min(CHUNK_BYTES, to - at), at);
    if (n === 0) break;
    const chunk = buf.subarray(0, n);
    const valid = utf8.check(chunk);
    if (valid < n) throw utf8.failure(scanner.lineAtEnd() + lineFeeds(chunk, valid));
    scanner.push(chunk);
    at += n;
    progress.update(at - from, scanner.lineAtEnd());
  }
}

/** The line ends in `bytes[0, end)`: each LF, and each CR not followed by an LF. */
function lineEnds(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let k = 0; k < end; k++) if (bytes[k] === 10 || (bytes[k] === 13 && bytes[k + 1] !== 10)) n++;
  return n;
}

/**
 * Whether the file is read as UTF-8 (no UTF-16 BOM, and its first chunk — what streamRows decides
 * on — strict UTF-8): only such a file may be read in parts, straight from its bytes, so that any
 * number of threads decides as one does.
 */
export function isUtf8Start(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = new Uint8Array(CHUNK_BYTES);
      const n = readSync(fd, head, 0, head.length, 0);
      const bytes = head.subarray(0, n);
      const bom = byteOrderMark(bytes);
      return (bom === undefined || bom.encoding === 'utf-8') && new Utf8Check(path).check(bytes) === n;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** The line feeds in `bytes[0, end)`. */
function lineFeeds(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let k = bytes.indexOf(10); k >= 0 && k < end; k = bytes.indexOf(10, k + 1)) n++;
  return n;
}

/**
 * The file's bytes, a chunk at a time, each in the same buffer: a chunk is valid until the next
 * is asked for (the readers copy what they keep — an unfinished row, a UTF-8 sequence cut in two).
 * A fresh buffer per chunk would be a file's size in new memory, paged in and collected.
 */
async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    if (fstatSync(fd).isDirectory()) throw new InputFailure(errnoWords('EISDIR', path));
    const buf = new Uint8Array(CHUNK_BYTES);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      if (n === 0) return;
      yield n === CHUNK_BYTES ? buf : buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

async function* stdinChunks(): AsyncGenerator<Uint8Array> {
  for await (const chunk of process.stdin as AsyncIterable<Uint8Array>) yield chunk;
}

/**
 * Strict UTF-8 over a stream of chunks: a sequence cut by a chunk boundary is checked with the
 * next chunk. Says where the first invalid byte is (its line and byte offset).
 */
export class Utf8Check {
  private tail = new Uint8Array(0);
  private badAt = -1;
  /** After a failed check: how many leading bytes of the chunk were valid. */
  validBytes = 0;

  /** @param offset - where in the file the first byte checked lies. */
  constructor(
    private readonly path: string,
    private offset = 0,
  ) {}

  /** How many leading bytes of `chunk` are valid UTF-8 (all of them, but for an unfinished sequence at its end). */
  check(chunk: Uint8Array): number {
    const joined = this.tail.length > 0 ? concat(this.tail, chunk) : chunk;
    const shift = joined.length - chunk.length; // bytes of the previous chunk's unfinished sequence
    const end = completeEnd(joined);
    if (isUtf8(joined.subarray(0, end))) {
      this.tail = joined.slice(end);
      this.offset += chunk.length;
      return chunk.length;
    }
    const bad = firstInvalid(joined, end);
    this.badAt = this.offset - shift + bad;
    this.validBytes = Math.max(0, bad - shift);
    return this.validBytes;
  }

  /** At the end of input: an unfinished sequence is invalid. */
  end(line: () => number): void {
    if (this.tail.length > 0) {
      this.badAt = this.offset - this.tail.length;
      throw this.failure(line());
    }
  }

  /** What is said when a file that fails the check at `line` is read as GB18030 instead. */
  fallback(line: number): string {
    return `${this.path} 不是 UTF-8 编码的文本（第 ${line} 行，第 ${this.badAt} 字节），按 GB18030 读取 / ${this.path} is not UTF-8 text (line ${line}, byte offset ${this.badAt}): read as GB18030`;
  }

  failure(line: number): InputFailure {
    return new InputFailure(`${this.path} 不是 UTF-8 编码的文本（第 ${line} 行，第 ${this.badAt} 字节）/ ${this.path} is not UTF-8 text (line ${line}, byte offset ${this.badAt})`);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The length of `bytes` without a UTF-8 sequence left unfinished at its end. */
function completeEnd(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const c = bytes[n - back]!;
    if ((c & 0xc0) !== 0x80) {
      // A lead byte `back` from the end: is its sequence complete?
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      return need > back ? n - back : n;
    }
  }
  return n;
}

/** The offset of the first byte in `bytes[0, end)` that breaks UTF-8 (RFC 3629), or `end`. */
export function firstInvalid(bytes: Uint8Array, end: number): number {
  let i = 0;
  while (i < end) {
    const c = bytes[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    // The lead byte says how many continuation bytes follow, and the range of the first one
    // (which rules out overlong forms, surrogates and code points past U+10FFFF).
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const x = bytes[i + k];
      if (i + k >= end || x === undefined || x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return end;
}

/**
 * Turns a file-system or decoding error into an InputFailure naming the file; anything else
 * (a bug, not a bad file) is passed on unchanged rather than disguised as "cannot read".
 */
function asInputFailure(e: unknown, path: string): unknown {
  return asFileFailure(e, path === '-' ? '(stdin)' : path);
}

/**
 * The options every command that reads records shares: the policy, the records and subjects
 * files (`--teachers`, alias `--subjects`), and `--as-of`.
 */
export const INPUT_OPTIONS = {
  policy: { type: 'string' },
  records: { type: 'string' },
  teachers: { type: 'string' },
  subjects: { type: 'string' },
  'as-of': { type: 'string' },
} as const;

/** The options of the commands that read records into one evaluation (eval, explain): see cli/encoding.ts. */
export const READ_OPTIONS = {
  encoding: { type: 'string' },
  sheet: { type: 'string' },
} as const;
/** Options of {@link INPUT_OPTIONS} that are one option under two names: at most one may be given. */
export const INPUT_ALIASES: readonly (readonly [string, string])[] = [['teachers', 'subjects']];

/** The subjects file named (`--subjects` or `--teachers`); standard input may give only one of the two files. */
export function subjectsFileOf(values: { readonly subjects?: string | undefined; readonly teachers?: string | undefined; readonly records?: string | undefined }): string | undefined {
  const file = values.subjects ?? values.teachers;
  if (file === '-' && values.records === '-') throw new InputFailure('标准输入只能提供一个文件 / only one file can come from standard input (-)');
  return file;
}

