// The fast path for record rows: unquoted rows that end inside the current chunk are cut into
// fields here, straight from the chunk, with no copy; anything unusual (a quote at a field's
// start, a row of the wrong width) is left to the general scanner, which then reads that row.

import type { CsvScanner } from './csv.ts';
import { readRecord, type Row } from './fields.ts';
import type { FastPath } from './input.ts';
import type { Evaluator } from './records.ts';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Builds the fast path of a records file whose header has been read: `fieldOf[k]` is the
 * declared field of raw column k, or -1 for a column that is ignored.
 */
export function recordsFastPath(scanner: CsvScanner, ev: Evaluator, row: Row, fieldOf: Int32Array): FastPath {
  const width = scanner.width;
  const lastCol = width - 1;
  const fs = row.fs;
  const fe = row.fe;
  return (b, p, limit) => {
    let line = scanner.line;
    while (p < limit) {
      const rowStart = p;
      let c = b[p];
      if (c === LF) {
        // A blank line is not a row.
        line++;
        p++;
        continue;
      }
      if (c === CR && b[p + 1] === LF) {
        line++;
        p += 2;
        continue;
      }
      let ok = true;
      for (let k = 0; k < width; k++) {
        const s = p;
        if (b[p] === QUOTE) {
          ok = false;
          break;
        }
        c = b[p];
        while (c !== COMMA && c !== LF) c = b[++p];
        let e = p;
        if (k === lastCol) {
          if (c !== LF) {
            ok = false;
            break;
          }
          if (e > s && b[e - 1] === CR) e--;
        } else if (c !== COMMA) {
          ok = false;
          break;
        }
        const f = fieldOf[k]!;
        if (f >= 0) {
          fs[f] = s;
          fe[f] = e;
        }
        p++;
      }
      if (!ok) {
        scanner.setLine(line);
        return rowStart;
      }
      row.buf = b;
      readRecord(row);
      ev.record(row, line);
      line++;
    }
    scanner.setLine(line);
    return p;
  };
}
