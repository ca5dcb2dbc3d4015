// Reading an Excel workbook (.xlsx) as input: one sheet (the first, or `--sheet NAME`), streamed
// with exceljs's streaming reader, each row written as one CSV line of UTF-8 bytes into the same
// byte scanner a CSV file goes to — so a workbook's rows are read, mapped and judged exactly as
// the CSV of the same text would be, and row N of the sheet is line N of the report.
//
// Cells become the text a CSV export would hold: numbers in JavaScript's shortest round-trip form
// (0.85, 530902054), dates (Excel serials with a date format) as YYYY-MM-DD, booleans as
// true/false, shared and rich text as their text, formulas as their cached result.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CsvScanner } from '../engine/index.ts';
import type { RowTarget, StreamedFile } from './inputs.ts';
import { InputFailure } from './io.ts';
import { NO_PROGRESS, type Progress } from './progress.ts';

/** Most bytes a workbook's parts may unpack to: more is not a table of records (or is a zip bomb). */
export const MAX_XLSX_UNPACKED = 1 << 30;
/** Excel's own limits: rows and columns of a sheet. */
export const MAX_XLSX_ROWS = 1_048_576;
export const MAX_XLSX_COLUMNS = 16_384;

/** Whether a file is read as a workbook: by its name, or by a zip file's first bytes. */
export function isXlsxFile(path: string): boolean {
  if (/\.xlsx$/i.test(path)) return true;
  if (path === '-') return false;
  try {
    const fd = openSync(path, 'r');
    try {
      const head = new Uint8Array(4);
      const n = readSync(fd, head, 0, 4, 0);
      return n === 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * The total unpacked size of a zip file's entries, from its central directory (read before any
 * entry is unpacked, so a zip bomb is refused unopened). Throws when the file is no zip.
 */
export function unpackedSize(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const tailLength = Math.min(size, 65_557); // the end record (22 bytes) and a comment of up to 65 535
    const tail = new Uint8Array(tailLength);
    readSync(fd, tail, 0, tailLength, size - tailLength);
    const view = new DataView(tail.buffer);
    let end = -1;
    for (let k = tailLength - 22; k >= 0; k--) {
      if (view.getUint32(k, true) === 0x06054b50) {
        end = k;
        break;
      }
    }
    if (end < 0) throw new InputFailure(`${path} 不是 XLSX 工作簿（不是 zip 文件）/ ${path} is not an XLSX workbook (not a zip file)`);
    const entries = view.getUint16(end + 10, true);
    const dirSize = view.getUint32(end + 12, true);
    const dirOffset = view.getUint32(end + 16, true);
    if (dirOffset === 0xffffffff || dirSize > size) return Number.POSITIVE_INFINITY; // zip64: over 4 GiB
    const dir = new Uint8Array(dirSize);
    readSync(fd, dir, 0, dirSize, dirOffset);
    const d = new DataView(dir.buffer);
    let total = 0;
    for (let at = 0, k = 0; k < entries && at + 46 <= dirSize; k++) {
      if (d.getUint32(at, true) !== 0x02014b50) break;
      const unpacked = d.getUint32(at + 24, true);
      total += unpacked === 0xffffffff ? Number.POSITIVE_INFINITY : unpacked;
      at += 46 + d.getUint16(at + 28, true) + d.getUint16(at + 30, true) + d.getUint16(at + 32, true);
    }
    return total;
  } finally {
    closeSync(fd);
  }
}

const encoder = new TextEncoder();

/** Two digits. */
const two = (n: number) => String(n).padStart(2, '0');

/** A cell's value as the text a CSV export of the sheet would hold. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Object.is(v, -0) ? '0' : String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) {
    // exceljs turns a serial with a date format into the UTC instant it names.
    const date = `${String(v.getUTCFullYear()).padStart(4, '0')}-${two(v.getUTCMonth() + 1)}-${two(v.getUTCDate())}`;
    const ms = v.getUTCHours() * 3_600_000 + v.getUTCMinutes() * 60_000 + v.getUTCSeconds() * 1000 + v.getUTCMilliseconds();
    return ms === 0 ? date : `${date}T${two(v.getUTCHours())}:${two(v.getUTCMinutes())}:${two(v.getUTCSeconds())}`;
  }
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: unknown; formula?: unknown; sharedFormula?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if ('formula' in o || 'sharedFormula' in o) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
    if (o.error !== undefined) return String(o.error);
  }
  return '';
}

/** A field in CSV: quoted when it holds a comma, a quote or white space at an end. A line break is LINE SEPARATOR (see below). */
function csvField(text: string): string {
  // A line break inside a cell would move every later row off its row number: U+2028 keeps the
  // break visible in a text and invalid in a number, an enum or a date, and ends no line.
  const t = /[\r\n]/.test(text) ? text.replace(/\r\n|\r|\n/g, '\u2028') : text;
  return /[",]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** A worksheet reader as exceljs's streaming reader gives it (only what is used here). */
interface SheetReader extends AsyncIterable<{ number: number; values: unknown[] | Record<string, unknown> }> {
  readonly name: string;
}

/**
 * Reads one sheet of the workbook at `path` into `target` (as CSV rows), `sheet` by name or
 * the first. Refuses, before unpacking anything, a workbook that unpacks to more than
 * {@link MAX_XLSX_UNPACKED}; a row past Excel's rows or columns stops the read.
 */
export async function streamXlsx(path: string, target: RowTarget, csvColumns: () => readonly string[], sheet: string | undefined, progress: Progress = NO_PROGRESS): Promise<StreamedFile> {
  if (path === '-') throw new InputFailure('XLSX 工作簿不能从标准输入读取 / an XLSX workbook cannot be read from standard input (-)');
  let unpacked: number;
  try {
    unpacked = unpackedSize(path);
  } catch (e) {
    if (e instanceof InputFailure) throw e;
    throw new InputFailure(`无法读取 ${path} / cannot read ${path}: ${(e as Error).message}`);
  }
  if (unpacked > MAX_XLSX_UNPACKED) {
    throw new InputFailure(`${path} 解压后超过 ${MAX_XLSX_UNPACKED >> 20} MiB / ${path} unpacks to more than ${MAX_XLSX_UNPACKED >> 20} MiB`);
  }
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  const scanner = new CsvScanner(target.csv());
  const names: string[] = [];
  let found = false;
  try {
    for await (const ws of reader as unknown as AsyncIterable<SheetReader>) {
      names.push(ws.name);
      if (found || (sheet !== undefined && ws.name !== sheet)) {
        // A sheet not read is still drained: exceljs may have parked it in a temporary file,
        // which it deletes as soon as the loop moves on — before its read stream, opened
        // lazily, gets to it (an uncaught ENOENT, the run dying after its work was done).
        for await (const _row of ws) void _row;
        continue;
      }
      found = true;
      await readSheet(path, ws, scanner, progress);
    }
  } catch (e) {
    if (e instanceof InputFailure) throw e;
    throw new InputFailure(`${path} 不是可读的 XLSX 工作簿 / ${path} is not a readable XLSX workbook: ${(e as Error).message}`);
  } finally {
    progress.done();
  }
  if (!found) {
    throw new InputFailure(sheet === undefined
      ? `${path} 中没有工作表 / ${path} has no sheet`
      : `${path} 中没有名为 '${sheet}' 的工作表（有：${names.join('、')}）/ ${path} has no sheet '${sheet}' (sheets: ${names.join(', ')})`);
  }
  scanner.end();
  return { format: 'csv', columns: csvColumns(), encoding: 'utf-8' };
}

async function readSheet(path: string, ws: SheetReader, scanner: CsvScanner, progress: Progress): Promise<void> {
  let line = 1; // the line the next text written starts on
  let width = -1; // the header's width: a shorter row is padded, as a CSV export writes its empty cells
  let parts: string[] = [];
  let size = 0;
  const flush = () => {
    if (parts.length === 0) return;
    scanner.push(encoder.encode(parts.join('')));
    parts = [];
    size = 0;
    progress.update(line, line);
  };
  for await (const row of ws) {
    if (row.number > MAX_XLSX_ROWS) throw new InputFailure(`${path}: 工作表 '${ws.name}' 超过 ${MAX_XLSX_ROWS} 行 / sheet '${ws.name}' has more than ${MAX_XLSX_ROWS} rows`);
    const values = Array.isArray(row.values) ? row.values : [];
    if (values.length - 1 > MAX_XLSX_COLUMNS) throw new InputFailure(`${path}:${row.number}: 超过 ${MAX_XLSX_COLUMNS} 列 / more than ${MAX_XLSX_COLUMNS} columns`);
    // Rows the sheet leaves out (empty) are empty lines, which the scanner skips, so line = row.
    if (row.number > line) {
      const gap = '\n'.repeat(row.number - line);
      parts.push(gap);
      size += gap.length;
      line = row.number;
    }
    const cells: string[] = [];
    for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
    // Trailing empty cells are not cells; the header's empty end is no column either.
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    if (width < 0 && cells.length > 0) width = cells.length;
    // A row of empty cells is an empty line (skipped, as in a CSV); a shorter row is padded.
    while (cells.length > 0 && cells.length < width) cells.push('');
    const text = `${cells.map(csvField).join(',')}\n`;
    parts.push(text);
    size += text.length;
    line++;
    if (size >= 1 << 20) flush();
  }
  flush();
}
