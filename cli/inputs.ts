// Reading files for the CLI: the policy (a file, or a folder holding policy.yaml) and the input
// rows, streamed from disk in chunks through a strict UTF-8 decoder into the engine's readers.

import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createCsvReader, createNdjsonReader, detectFormat, type InputEvent, type RowReader } from '../engine/index.ts';

/** An input problem that stops the run (exit code 2), with a reason for the user. */
export class InputFailure extends Error {}

/** Resolves `--policy`: a YAML file, or a folder containing `policy.yaml`. */
export async function readPolicyText(path: string): Promise<{ file: string; text: string }> {
  let file = path;
  let bytes: Uint8Array;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, 'policy.yaml');
    bytes = await readFile(file);
  } catch (e) {
    throw new InputFailure(`无法读取策略文件 ${file} / cannot read policy ${file}: ${(e as Error).message}`);
  }
  try {
    // Strict decoding: a policy saved as GBK must be refused, not read as mojibake.
    return { file, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    throw new InputFailure(`策略文件 ${file} 不是 UTF-8 编码 / the policy ${file} is not UTF-8 text`, );
  }
}

/** What streaming a file produced: the column names it had (for NDJSON, all keys seen). */
export interface StreamedFile {
  readonly columns: readonly string[];
}

/**
 * Streams the rows of a CSV or NDJSON file (`-` for standard input) to `onEvent`, chunk by chunk (memory stays flat
 * whatever the file's size). `onColumns` runs once, when the columns are known, and may throw
 * an InputFailure to stop before any row is used.
 */
export async function streamRows(
  path: string,
  onEvent: (e: InputEvent) => void,
  onColumns: (columns: readonly string[], format: 'csv' | 'ndjson') => void,
): Promise<StreamedFile> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let reader: RowReader | undefined;
  let format: 'csv' | 'ndjson' = 'csv';
  let announced = false;
  const deliver = (events: InputEvent[]) => {
    for (const e of events) {
      if (!announced && reader) {
        announced = true;
        onColumns(reader.columns(), format);
      }
      onEvent(e);
    }
  };
  try {
    // `-` reads standard input, so exports can be piped in; its format is told by content.
    const stream = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      const text = decoder.decode(chunk, { stream: true });
      if (!reader) {
        format = detectFormat(path, text);
        reader = format === 'csv' ? createCsvReader() : createNdjsonReader();
      }
      deliver(reader.push(text));
    }
    const rest = decoder.decode();
    reader ??= (format = detectFormat(path, rest)) === 'csv' ? createCsvReader() : createNdjsonReader();
    deliver(reader.push(rest));
    deliver(reader.end());
    if (!announced) onColumns(reader.columns(), format);
    return { columns: reader.columns() };
  } catch (e) {
    throw asInputFailure(e, path);
  }
}

/**
 * Turns a file-system or decoding error into an InputFailure naming the file; anything else
 * (a bug, not a bad file) is passed on unchanged rather than disguised as "cannot read".
 */
function asInputFailure(e: unknown, path: string): unknown {
  if (e instanceof InputFailure) return e;
  if (e instanceof TypeError && (e as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
    return new InputFailure(`${path} 不是 UTF-8 编码的文本 / ${path} is not UTF-8 text`);
  }
  const code = (e as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return new InputFailure(`无法读取 ${path} / cannot read ${path}: ${(e as Error).message}`);
  }
  return e;
}
