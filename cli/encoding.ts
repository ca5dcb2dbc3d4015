// Text encodings of input files. Everything downstream (the byte scanner, the generated row
// parsers, the NDJSON reader) reads UTF-8 bytes, so a file in another encoding is transcoded to
// UTF-8 on the way in, chunk by chunk, here in cli/ (engine/ stays free of Node APIs and sees the
// same bytes whatever the file's encoding, so the results cannot differ).
//
// Decoding is always fatal: a byte sequence the encoding does not define stops the run with its
// line and byte offset, never a silent U+FFFD.

import { InputFailure } from './io.ts';

/** The encodings `--encoding` accepts. */
export const ENCODINGS = ['utf-8', 'gb18030', 'utf-16'] as const;

/** An encoding named on the command line. */
export type EncodingName = (typeof ENCODINGS)[number];

/** The encoding a file is read in: UTF-16 with its byte order. */
export type FileEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/** Longest stretch of a non-UTF-8 file without a line feed: no table has such a line. */
export const MAX_LINE_BYTES = 16 << 20;

/** Parses the value of `--encoding` (case-insensitive; `gbk` is read as its superset GB18030). */
export function encodingOption(value: string | undefined): EncodingName | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase().replace(/^utf(\d)/, 'utf-$1');
  if (v === 'gbk' || v === 'gb2312') return 'gb18030';
  if ((ENCODINGS as readonly string[]).includes(v)) return v as EncodingName;
  throw new InputFailure(`未知的编码 '${value}' / unknown --encoding '${value}' (${ENCODINGS.join(', ')})`);
}

/** The byte order mark at the start of `head`: its encoding and length, if any. */
export function byteOrderMark(head: Uint8Array): { encoding: FileEncoding; length: number } | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/**
 * The encoding to read a file in, from `--encoding` and the file's first bytes: a forced
 * encoding wins (UTF-16 takes its byte order from the BOM, else little-endian, as Windows writes
 * it); else a BOM decides; else UTF-8 when `utf8Valid` (the first chunk is strict UTF-8), and
 * GB18030 when it is not.
 */
export function chooseEncoding(forced: EncodingName | undefined, head: Uint8Array, utf8Valid: boolean): FileEncoding {
  const bom = byteOrderMark(head);
  if (forced === 'utf-16') return bom?.encoding === 'utf-16be' ? 'utf-16be' : 'utf-16le';
  if (forced !== undefined) return forced;
  if (bom !== undefined) return bom.encoding;
  return utf8Valid ? 'utf-8' : 'gb18030';
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Transcodes a non-UTF-8 byte stream to UTF-8 bytes. Each chunk is cut after its last line feed
 * (a line feed is never part of a multi-byte sequence in GB18030, and is an aligned code unit in
 * UTF-16), so every piece decoded starts on a character boundary and a bad byte can be located by
 * decoding that piece alone.
 */
export class Transcoder {
  private carry = new Uint8Array(0);
  /** File offset of `carry`'s first byte. */
  private offset: number;
  /** Lines (LF, CRLF or lone CR) ended before `carry`, and whether the last byte before it was a CR. */
  private lines = 1;
  private afterCr = false;
  private readonly encoder = new TextEncoder();

  /** @param offset - the file offset of the first byte pushed (past a BOM). */
  constructor(
    private readonly path: string,
    private readonly encoding: Exclude<FileEncoding, 'utf-8'>,
    offset: number,
  ) {
    this.offset = offset;
  }

  /** The UTF-8 bytes of the complete lines in `chunk` (with the previous chunk's unfinished line). */
  push(chunk: Uint8Array): Uint8Array {
    const bytes = this.carry.length > 0 ? concat(this.carry, chunk) : chunk;
    const cut = this.lastLineEnd(bytes);
    if (cut < 0) {
      if (bytes.length > MAX_LINE_BYTES) {
        throw new InputFailure(`${this.path} 第 ${this.lines} 行超过 ${MAX_LINE_BYTES >> 20} MiB 没有换行 / ${this.path} line ${this.lines} runs over ${MAX_LINE_BYTES >> 20} MiB without a line feed`);
      }
      this.carry = bytes.slice();
      return new Uint8Array(0);
    }
    const out = this.decode(bytes.subarray(0, cut));
    this.carry = bytes.slice(cut);
    return out;
  }

  /** The UTF-8 bytes of the last, unfinished line. */
  end(): Uint8Array {
    const out = this.decode(this.carry);
    this.carry = new Uint8Array(0);
    return out;
  }

  /** The offset just past the last line feed of `bytes`, or -1. */
  private lastLineEnd(bytes: Uint8Array): number {
    if (this.encoding === 'gb18030') {
      const k = bytes.lastIndexOf(LF);
      return k < 0 ? -1 : k + 1;
    }
    // UTF-16: a line feed is the code unit 0x000A at an even offset.
    const [lo, hi] = this.encoding === 'utf-16le' ? [LF, 0] : [0, LF];
    for (let k = (bytes.length & ~1) - 2; k >= 0; k -= 2) {
      if (bytes[k] === lo && bytes[k + 1] === hi) return k + 2;
    }
    return -1;
  }

  private decode(piece: Uint8Array): Uint8Array {
    let text: string;
    try {
      text = new TextDecoder(this.encoding, { fatal: true, ignoreBOM: true }).decode(piece);
    } catch {
      throw this.failure(piece);
    }
    this.countLines(text);
    this.offset += piece.length;
    return this.encoder.encode(text);
  }

  /** Counts the line ends of `text` (decoded from the bytes before the next piece). */
  private countLines(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF) {
        if (!this.afterCr) this.lines++;
        this.afterCr = false;
      } else if (c === CR) {
        this.lines++;
        this.afterCr = true;
      } else this.afterCr = false;
    }
  }

  /** Where in `piece` decoding first fails: the shortest prefix that does not decode, as a stream. */
  private failure(piece: Uint8Array): InputFailure {
    let lo = 0; // decodes
    let hi = piece.length; // does not decode (as a whole, not streaming)
    const decodes = (n: number) => {
      try {
        new TextDecoder(this.encoding, { fatal: true, ignoreBOM: true }).decode(piece.subarray(0, n), { stream: true });
        return true;
      } catch {
        return false;
      }
    };
    if (decodes(hi)) lo = hi; // only the end is unfinished
    else {
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (decodes(mid)) lo = mid;
        else hi = mid;
      }
    }
    // The bad sequence starts at the last character boundary at or before `lo` (a sequence is at
    // most 4 bytes): the bytes before it decode, whole.
    const whole = (n: number) => {
      try {
        return new TextDecoder(this.encoding, { fatal: true, ignoreBOM: true }).decode(piece.subarray(0, n));
      } catch {
        return undefined;
      }
    };
    let start = lo;
    let before = whole(start);
    while (before === undefined && start > 0 && lo - start < 4) before = whole(--start);
    this.countLines(before ?? '');
    const at = this.offset + start;
    const name = this.encoding === 'gb18030' ? 'GB18030' : this.encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE';
    return new InputFailure(`${this.path} 不是有效的 ${name} 文本（第 ${this.lines} 行，第 ${at} 字节）/ ${this.path} is not valid ${name} text (line ${this.lines}, byte offset ${at})`);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
