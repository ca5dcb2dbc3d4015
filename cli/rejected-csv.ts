// `guize eval --rejected FILE`: the rows that were rejected, as CSV an officer can send back to
// the schools — where each was (file and line), why (the rule or field, and the reason in Chinese
// and in English), and the row itself as it was written, every column of it. The report keeps
// only a rejected row's line and reason, so the input files are read a second time for the rows.

import type { Rejection, ResultStream } from '../engine/index.ts';
import { streamRows } from './inputs.ts';
import { InputFailure, type Io } from './io.ts';
import { openOutput } from './output.ts';

/** The columns guize writes before the row's own. */
export const REJECTED_COLUMNS = ['file', 'line', 'reason_code', 'reason_zh', 'reason_en'] as const;

/** CJK punctuation and full-width forms: a Chinese reason's last character before its `/ `. */
const CJK_PUNCTUATION = /[\u3000-\u303f\uff00-\uffef]/;

/**
 * A reason "中文 / English" in its two languages: split at the first `/ ` that follows a space or
 * Chinese punctuation outside a quoted value (values are quoted in '…', and one may hold a
 * slash). A reason with no such separator is given whole in both.
 */
export function splitReason(reason: string): { zh: string; en: string } {
  let quoted = false;
  for (let i = 0; i + 1 < reason.length; i++) {
    const c = reason[i]!;
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '/' && reason[i + 1] === ' ' && i > 0 && (reason[i - 1] === ' ' || CJK_PUNCTUATION.test(reason[i - 1]!))) {
      return { zh: reason.slice(0, i).trimEnd(), en: reason.slice(i + 2).trim() };
    }
  }
  return { zh: reason, en: reason };
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** A rejected row found again: its file's columns as written, by name. */
interface Found {
  readonly values: Readonly<Record<string, string>> | undefined;
}

/** The rows at `lines` of one input file, read again (CSV or NDJSON), with the file's columns. */
async function rowsAt(path: string, lines: ReadonlySet<number>): Promise<{ rows: Map<number, Found>; columns: readonly string[] }> {
  const rows = new Map<number, Found>();
  let names: readonly string[] = [];
  let columnOf: Int32Array = new Int32Array(0);
  const decoder = new TextDecoder();
  const read = await streamRows(path, {
    csv: () => ({
      header(n, c) {
        names = n;
        columnOf = c;
      },
      row(bytes, starts, ends, line) {
        if (!lines.has(line)) return;
        const values: Record<string, string> = Object.create(null);
        for (let k = 0; k < names.length; k++) values[names[k]!] = decoder.decode(bytes.subarray(starts[columnOf[k]!]!, ends[columnOf[k]!]!));
        rows.set(line, { values });
      },
      error(line, _reason, header) {
        if (!header && lines.has(line)) rows.set(line, { values: undefined });
      },
    }),
    event(e) {
      if (!lines.has(e.line)) return;
      if (e.kind === 'row') rows.set(e.line, { values: e.values });
      else if (!e.header) rows.set(e.line, { values: undefined });
    },
  }, () => names);
  return { rows, columns: read.columns };
}

/**
 * Writes the rejected rows of `results` to `out` as CSV: records first, then the subjects file's,
 * each in the order of its lines. The row's columns follow guize's own: the records file's, then
 * the subjects file's that the records file does not have (a row of one file leaves the other's
 * empty). A row that could not be read at all (a syntax error, a row over 1 MiB) has its columns
 * empty; its reason says why.
 */
export async function writeRejectedCsv(results: ResultStream, inputs: { readonly records: string; readonly subjects: string | undefined }, out: string, io: Io): Promise<number> {
  const files: { name: 'records' | 'subjects'; path: string; label: string }[] = [{ name: 'records', path: inputs.records, label: 'records' }];
  if (inputs.subjects !== undefined) files.push({ name: 'subjects', path: inputs.subjects, label: results.program.policy.subject.collection });
  const byFile = files.map((f) => {
    const mine = new Map<number, Rejection>();
    for (const r of results.rejected) if (r.source === f.name && !mine.has(r.line)) mine.set(r.line, r);
    return { ...f, rejected: mine };
  });
  const read: { rows: Map<number, Found>; columns: readonly string[] }[] = [];
  for (const f of byFile) read.push(f.rejected.size === 0 ? { rows: new Map(), columns: [] } : await rowsAt(f.path, new Set(f.rejected.keys())));
  const columns = [...new Set(read.flatMap((r) => r.columns))];
  const output = openOutput(out, io);
  let written = 0;
  try {
    output.text(`${[...REJECTED_COLUMNS, ...columns].map(quote).join(',')}\n`);
    byFile.forEach((f, k) => {
      const lines = [...f.rejected.keys()].sort((a, b) => a - b);
      for (const line of lines) {
        const r = f.rejected.get(line)!;
        const { zh, en } = splitReason(r.reason);
        const values = read[k]!.rows.get(line)?.values;
        const cells = [f.label, String(line), r.rule ?? '', zh, en, ...columns.map((c) => values?.[c] ?? '')];
        output.text(`${cells.map(quote).join(',')}\n`);
        written++;
      }
    });
  } finally {
    output.close();
  }
  if (written !== results.rejected.length) {
    // Two rejections of one line would be one row here: say so rather than drop one silently.
    throw new InputFailure(`--rejected 写出 ${written} 行，而被拒绝的有 ${results.rejected.length} 行 / --rejected wrote ${written} rows of ${results.rejected.length} rejected`);
  }
  return written;
}
