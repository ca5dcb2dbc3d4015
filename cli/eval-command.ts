// `guize eval`: read the subjects file and the records into an evaluation, then stream the
// results out in the chosen format.

import { parseArgs } from 'node:util';
import { Evaluation, JsonWriter, writeNdjsonReport, writeReport, type InputEvent, type Program } from '../engine/index.ts';
import { writeCsv } from './csv-format.ts';
import { streamRows } from './inputs.ts';
import { InputFailure, type Io } from './io.ts';
import { loadProgram } from './load-policy.ts';
import { openOutput, type Output } from './output.ts';
import { writeTable } from './table-format.ts';

const FORMATS = ['json', 'ndjson', 'csv', 'table'] as const;
/** Bytes written to the output at a time: large writes, few system calls. */
const OUTPUT_BUFFER = 1 << 20;
type Format = (typeof FORMATS)[number];

/**
 * Streams one input file into the evaluation. A CSV lacking a required column stops the run
 * up front (every row would be rejected for it); header problems and unknown columns are
 * warnings on stderr — the columns of NDJSON are only all known at the end.
 */
async function readInto(program: Program, evaluation: Evaluation, which: 'records' | 'subjects', path: string, io: Io): Promise<void> {
  const fields = which === 'records' ? program.policy.record.fields : program.policy.subject.fields;
  const warn = (line: number, reason: string) => io.err(`警告 warning: ${path}:${line}: ${reason}\n`);
  let csvColumns: readonly string[] = [];
  let headerSeen = false;
  const requireColumns = (columns: readonly string[]) => {
    headerSeen = true;
    csvColumns = columns;
    const missing = fields.filter((f) => f.required && !columns.includes(f.id)).map((f) => f.id);
    if (missing.length > 0) {
      throw new InputFailure(`${path} 缺少必需的列 ${missing.join(', ')} / ${path} lacks the required column(s) ${missing.join(', ')}`);
    }
  };
  const add = (e: InputEvent) => (which === 'records' ? evaluation.addRecord(e) : evaluation.addSubject(e));
  const { format, columns } = await streamRows(path, {
    csv: () => (which === 'records' ? evaluation.recordSink(requireColumns, warn) : evaluation.subjectSink(requireColumns, warn)),
    event: (e) => (e.kind === 'error' && e.header ? warn(e.line, e.reason) : add(e)),
  }, () => csvColumns);
  if (format === 'csv' && !headerSeen) requireColumns([]);
  const known = new Set(fields.map((f) => f.id));
  const unknown = columns.filter((c) => !known.has(c));
  if (unknown.length > 0) io.err(`警告 warning: ${path}: 忽略未知列 ignoring unknown column(s): ${unknown.join(', ')}\n`);
}

export async function evalCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      policy: { type: 'string' },
      records: { type: 'string' },
      teachers: { type: 'string' },
      subjects: { type: 'string' },
      format: { type: 'string', default: 'json' },
      pretty: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
    strict: true,
  });
  if (!values.policy || !values.records) throw new InputFailure('需要 --policy 和 --records / --policy and --records are required');
  const format = (values.format ?? 'json') as Format;
  if (!FORMATS.includes(format)) throw new InputFailure(`未知的输出格式 '${format}' / unknown --format '${format}' (${FORMATS.join(', ')})`);
  const subjectsFile = values.subjects ?? values.teachers;
  if (subjectsFile === '-' && values.records === '-') throw new InputFailure('标准输入只能提供一个文件 / only one file can come from standard input (-)');
  const program = await loadProgram(values.policy, io);
  if (!program) return 2;

  const evaluation = new Evaluation(program);
  if (subjectsFile) await readInto(program, evaluation, 'subjects', subjectsFile, io);
  await readInto(program, evaluation, 'records', values.records, io);
  const results = evaluation.results();

  const out = openOutput(values.out, io);
  try {
    write(out, format, results, values.pretty || (values.out === undefined && io.stdoutIsTTY === true));
  } finally {
    out.close();
  }
  return 0;
}

function write(out: Output, format: Format, results: ReturnType<Evaluation['results']>, pretty: boolean): void {
  switch (format) {
    case 'json': {
      const w = new JsonWriter(out.sink, pretty, OUTPUT_BUFFER);
      writeReport(results, w);
      w.newline();
      w.flush();
      return;
    }
    case 'ndjson': {
      const w = new JsonWriter(out.sink, false, OUTPUT_BUFFER);
      writeNdjsonReport(results, w);
      w.flush();
      return;
    }
    case 'csv':
      return writeTextChunks(out, (text) => writeCsv(results, text));
    case 'table':
      return writeTextChunks(out, (text) => writeTable(results, text));
  }
}

/** Collects text into chunks of about 64 KiB before encoding and writing them. */
function writeTextChunks(out: Output, produce: (text: (s: string) => void) => void): void {
  let parts: string[] = [];
  let size = 0;
  produce((s) => {
    parts.push(s);
    size += s.length;
    if (size >= 1 << 16) {
      out.text(parts.join(''));
      parts = [];
      size = 0;
    }
  });
  if (parts.length > 0) out.text(parts.join(''));
}
