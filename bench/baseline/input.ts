// Feeding one CSV file, chunk by chunk: the BOM, then each chunk split between the fast path
// (ordinary rows that end inside the chunk) and the general scanner (everything else, and the
// unfinished row at a chunk's end, which it carries into the next chunk).

import { CsvScanner, type CsvSink } from './csv.ts';

/**
 * The fast path: reads whole rows from `b[p, limit)` — `p` is a row start, and `b[limit - 1]` is
 * a line feed — and returns where it stopped: `limit`, or the start of a row it leaves to the
 * scanner. It must not have changed anything for that row.
 */
export type FastPath = (b: Uint8Array, p: number, limit: number) => number;

const BOM0 = 0xef;
const BOM1 = 0xbb;
const BOM2 = 0xbf;

/** Bytes held back at the start of a file until it is known how many BOMs it begins with. */
const HEAD = 6;

/** One input file being read. */
export class CsvInput {
  readonly scanner: CsvScanner;
  private head: Uint8Array | null = new Uint8Array(0);
  private ended = false;
  fast: FastPath | null = null;

  constructor(sink: CsvSink) {
    this.scanner = new CsvScanner(sink);
  }

  /** The next chunk of the file. The chunk may be reused by the caller once this returns. */
  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('baseline: push after end');
    if (this.head !== null) {
      const joined = new Uint8Array(this.head.length + chunk.length);
      joined.set(this.head);
      joined.set(chunk, this.head.length);
      if (joined.length < HEAD) {
        this.head = joined;
        return;
      }
      this.head = null;
      this.run(joined, bomLength(joined));
      return;
    }
    this.run(chunk, 0);
  }

  /** End of the file. */
  end(): void {
    if (this.ended) return;
    if (this.head !== null) {
      const h = this.head;
      this.head = null;
      this.run(h, bomLength(h));
    }
    this.ended = true;
    this.scanner.end();
  }

  private run(b: Uint8Array, p: number): void {
    const n = b.length;
    const sc = this.scanner;
    // Rows that start before `limit` end inside this chunk, unless quoted line breaks say otherwise.
    const limit = b.lastIndexOf(0x0a) + 1;
    while (p < n) {
      // The fast path exists once the header is read, which may happen within this chunk.
      const fast = this.fast;
      if (fast !== null && p < limit && sc.atRowStart()) {
        p = fast(b, p, limit);
        if (p >= n) break;
      }
      p = sc.feed(b, p, n);
    }
  }
}

/**
 * How many leading bytes are BOMs to drop. The engine's CLI decodes files with TextDecoder,
 * which drops a leading BOM, and its CSV reader then drops a U+FEFF that starts the text: so up
 * to two BOMs go, and the baseline does the same.
 */
function bomLength(b: Uint8Array): number {
  let p = 0;
  for (let k = 0; k < 2; k++) {
    if (b.length >= p + 3 && b[p] === BOM0 && b[p + 1] === BOM1 && b[p + 2] === BOM2) p += 3;
    else break;
  }
  return p;
}
