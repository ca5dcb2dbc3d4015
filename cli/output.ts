// Where results are written: a file (--out) or standard output, as bytes in large chunks with
// synchronous writes, so a report of any size streams out at disk speed and memory stays flat.

import { closeSync, existsSync, ftruncateSync, openSync, statSync, writeSync } from 'node:fs';
import type { ByteSink } from '../engine/index.ts';
import { asFileFailure } from './file-errors.ts';
import { OutputClosed, type Io } from './io.ts';

/** A place to write output bytes to, to be closed when done. */
export interface Output {
  readonly sink: ByteSink;
  /** Writes text (encoded as UTF-8). */
  text(s: string): void;
  close(): void;
}

const utf8 = new TextEncoder();
/** For waiting briefly when a non-blocking pipe is full. */
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `bytes` to `fd`, waiting while a non-blocking pipe is full. */
function writeAll(fd: number, bytes: Uint8Array, where: string): void {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 2);
        continue;
      }
      if (code === 'EPIPE') throw new OutputClosed();
      throw asFileFailure(e, where, 'write');
    }
  }
}

/** Output to the file `path` (created or truncated), or to `io`'s standard output when undefined. */
export function openOutput(path: string | undefined, io: Io): Output {
  if (path !== undefined) {
    let fd: number;
    // An existing file is overwritten in place and then cut to length, rather than emptied
    // first: freeing a large file's pages on open costs as much as writing a good part of it.
    let inPlace = false;
    try {
      inPlace = existsSync(path) && statSync(path).isFile();
      fd = openSync(path, inPlace ? 'r+' : 'w');
    } catch (e) {
      throw asFileFailure(e, path, 'write');
    }
    let written = 0;
    const sink: ByteSink = (chunk) => {
      writeAll(fd, chunk, path);
      written += chunk.length;
    };
    const close = () => {
      if (inPlace) ftruncateSync(fd, written);
      closeSync(fd);
    };
    return { sink, text: (s) => sink(utf8.encode(s)), close };
  }
  if (io.bytes) {
    const bytes = io.bytes.bind(io);
    return { sink: bytes, text: (s) => bytes(utf8.encode(s)), close: () => {} };
  }
  // A test's io takes text: decode, keeping a character split between chunks whole.
  const decoder = new TextDecoder();
  return {
    sink: (chunk) => io.out(decoder.decode(chunk, { stream: true })),
    text: (s) => io.out(s),
    close: () => io.out(decoder.decode()),
  };
}

/** Standard output as bytes, for the real process: synchronous writes to fd 1. */
export function stdoutBytes(chunk: Uint8Array): void {
  writeAll(1, chunk, 'stdout');
}
