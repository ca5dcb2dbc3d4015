// The rows a test case or a snapshot names: a CSV or NDJSON file read whole (a test's data set is
// small; the limit says so) into the events `evaluate` takes, or rows written in the test file.

import { readFileSync, statSync } from 'node:fs';
import { createCsvReader, createNdjsonReader, detectFormat, type InputEvent } from '../../engine/index.ts';
import { fileProblem } from '../file-errors.ts';
import type { RowsInput } from './test-file.ts';

/** Largest data file a test or snapshot reads (guize eval streams larger ones). */
export const MAX_TEST_DATA_BYTES = 64 << 20;

/** Why a data file could not be read, in both languages. */
export class DataFileProblem extends Error {}

/** The events of a CSV or NDJSON file. */
export function readRowsFile(path: string): InputEvent[] {
  let bytes: Uint8Array;
  try {
    if (statSync(path).size > MAX_TEST_DATA_BYTES) {
      throw new DataFileProblem(`数据文件 ${path} 超过 ${MAX_TEST_DATA_BYTES >> 20} MiB / the data file ${path} is larger than ${MAX_TEST_DATA_BYTES >> 20} MiB`);
    }
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof DataFileProblem) throw e;
    throw new DataFileProblem(fileProblem(e, path) ?? `无法读取 ${path} / cannot read ${path}: ${String(e)}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DataFileProblem(`${path} 不是 UTF-8 编码 / ${path} is not UTF-8 text`);
  }
  const reader = detectFormat(path, text.slice(0, 256)) === 'csv' ? createCsvReader() : createNdjsonReader();
  return [...reader.push(text), ...reader.end()].filter((e) => !(e.kind === 'error' && e.header));
}

/** The events of a case's rows: its file (relative to `base`, the test file's folder) or its written rows. */
export function rowEvents(input: RowsInput | undefined, base: string): InputEvent[] {
  if (input === undefined) return [];
  switch (input.kind) {
    case 'file':
      return readRowsFile(input.path.startsWith('/') ? input.path : `${base}/${input.path}`);
    case 'rows':
      return input.rows.map((r) => ({ kind: 'row', line: r.line, values: r.values }));
  }
}

/** Largest test or snapshot file read. */
export const MAX_TEST_FILE_BYTES = 4 << 20;

/** Reads a text file the tests use: bounded, strict UTF-8. Undefined with a reason when it cannot be. */
export function readTestText(path: string): { text: string } | { problem: string } {
  try {
    if (statSync(path).size > MAX_TEST_FILE_BYTES) return { problem: `${path} 超过 ${MAX_TEST_FILE_BYTES >> 20} MiB / ${path} is larger than ${MAX_TEST_FILE_BYTES >> 20} MiB` };
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path)) };
  } catch (e) {
    return { problem: e instanceof TypeError ? `${path} 不是 UTF-8 编码 / ${path} is not UTF-8 text` : fileProblem(e, path) ?? `无法读取 ${path} / cannot read ${path}: ${String(e)}` };
  }
}
