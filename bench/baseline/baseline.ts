/**
 * A hand-written, single-threaded, byte-level program of the Lincang teacher-training rules
 * (临教发〔2017〕105号 as `policies/lincang/policy.yaml` reads them): the yardstick the guize
 * engine is benchmarked against, and an independent test oracle for it.
 *
 * **What it implements.** Records CSV (and optionally teachers CSV) bytes in, and out exactly
 * the bytes of `JSON.stringify(reportJson(evaluate(program, recordEvents, teacherEvents))) + "\n"`:
 * the same teachers, numbers, violations and messages, the same rejected rows with the same
 * bilingual reasons, rules and articles, the same counts and key orders. It shares no code with
 * the engine: every Lincang number, label, message and article is a constant in rules.ts, and the
 * CSV reading (csv.ts, fast.ts), field reading (fields.ts), duplicate detection (ids.ts), rules
 * (records.ts), requirements and output (report.ts) are written for this one policy.
 *
 * **How it stays exact.** Values are parsed from bytes straight into integer mantissas and
 * scales. Totals are safe integers counting 10^-8 held in doubles, where integer arithmetic is
 * exact; every product and sum is checked against 2^53 and, when it leaves that range (or needs
 * more than 8 decimals), that one value and the totals it reaches continue in bigints (exact.ts).
 * The elective share is rounded from an exact integer division when that provably gives the
 * engine's value, and otherwise computed as the engine does (34-digit half-even quotient, then
 * half up to 2 places). Displayed numbers are formatted from exact cents.
 *
 * **What makes it fast.** Chunks (8 MiB in the CLI) are read as bytes and never decoded. Rows
 * in DATA.md's column order are parsed while they are scanned: enum values recognised by 32-bit
 * words of their bytes, dates and plain decimals turned into integers in place (fast.ts); any
 * other unquoted row is cut into fields in place and read by the general readers; only quoted
 * or malformed rows are copied, by the general CSV scanner. There is no string, object or
 * Decimal per row or per value. Record ids go into a front-coded run (ids arrive in order, so a
 * new one costs a comparison with the last and about 4 bytes; out-of-order ones go to a hash
 * set). The teacher is compared with the previous row's before any hashing, and totals live in
 * one Float64Array, updated with few data-dependent branches. Rejected rows are serialised as
 * they happen (their repeated reasons encoded once); the report is written as bytes — constants
 * as 32-bit words, numbers digit pair by digit pair — into one buffer handed out in 4 MiB chunks.
 *
 * Memory: per teacher (about 0.6 KB), plus ~4 bytes per record id, plus the rejected rows' JSON
 * (which the report must list), plus one chunk. Not per row.
 *
 * Input must be UTF-8 (the CLI checks it; the engine's CLI refuses anything else).
 *
 * @module
 */

import type { CsvScanner, CsvSink } from './csv.ts';
import { rowsFastPath } from './fast.ts';
import { readRecord, Row } from './fields.ts';
import { CsvInput } from './input.ts';
import { ByteOut } from './out.ts';
import { Evaluator } from './records.ts';
import { ReportWriter } from './report.ts';
import { RECORD_FIELDS, TEACHER_FIELDS, type FieldSpec } from './rules.ts';

/** Options of a run. */
export interface BaselineOptions {
  /** Names of the files in warnings (the CLI passes the paths). */
  readonly recordsName?: string;
  readonly teachersName?: string;
  /** Use the general CSV scanner for every row (tests compare both paths). */
  readonly noFastPath?: boolean;
  /** About how many teachers and records to expect, so arrays need not grow (the CLI guesses from file sizes). */
  readonly expectedTeachers?: number;
  readonly expectedRecords?: number;
}

/** The result of {@link runBaseline}. */
export interface BaselineResult {
  /** The report: compact JSON and a newline. */
  readonly output: Uint8Array;
  /** Warnings as the engine's CLI prints them to stderr (bad headers, unknown columns). */
  readonly warnings: readonly string[];
}

/** The columns of a file lacking one of its required fields, as the engine's CLI checks. */
export function missingColumns(which: 'records' | 'teachers', columns: readonly string[]): string[] {
  const fields = which === 'records' ? RECORD_FIELDS : TEACHER_FIELDS;
  return fields.filter((f) => f.required && !columns.includes(f.id)).map((f) => f.id);
}

/** Maps a file's header onto declared fields and collects its warnings. */
class HeaderMap {
  /** Declared field of each raw column, or -1. */
  fieldOf = new Int32Array(0);
  /** Raw column of each declared field, or -1. */
  readonly columnOf: Int32Array;
  columns: readonly string[] | undefined;

  constructor(private readonly fields: readonly FieldSpec[], private readonly name: string, private readonly warnings: string[]) {
    this.columnOf = new Int32Array(fields.length).fill(-1);
  }

  read(sc: CsvScanner): void {
    this.columns = sc.columns;
    this.fieldOf = new Int32Array(sc.width).fill(-1);
    this.fields.forEach((f, i) => {
      const col = sc.columnOf(f.id);
      this.columnOf[i] = col;
      if (col >= 0) this.fieldOf[col] = i;
    });
  }

  warn(line: number, reason: string): void {
    this.warnings.push(`警告 warning: ${this.name}:${line}: ${reason}`);
  }

  /** After the file: columns no field reads. */
  end(): void {
    const known = new Set(this.fields.map((f) => f.id));
    const unknown = (this.columns ?? []).filter((c) => !known.has(c));
    if (unknown.length > 0) this.warnings.push(`警告 warning: ${this.name}: 忽略未知列 ignoring unknown column(s): ${unknown.join(', ')}`);
  }
}

/**
 * A streaming run: teachers first (optional), then records, then {@link Baseline.finish}.
 * Memory grows with the number of teachers (and a few bytes per record id), not with the file.
 */
export class Baseline {
  /** Warnings so far, as the engine's CLI prints them. */
  readonly warnings: string[] = [];
  private readonly ev: Evaluator;
  private readonly teachersHeader: HeaderMap;
  private readonly recordsHeader: HeaderMap;
  private readonly teachersIn: CsvInput;
  private readonly recordsIn: CsvInput;
  private phase = 0; // 0 teachers, 1 records, 2 finished

  constructor(private readonly options: BaselineOptions = {}) {
    this.ev = new Evaluator(options.expectedTeachers, options.expectedRecords);
    this.teachersHeader = new HeaderMap(TEACHER_FIELDS, options.teachersName ?? 'teachers', this.warnings);
    this.recordsHeader = new HeaderMap(RECORD_FIELDS, options.recordsName ?? 'records', this.warnings);
    this.teachersIn = new CsvInput(this.teachersSink());
    this.recordsIn = new CsvInput(this.recordsSink());
  }

  /** Kept column names of each file, once its header has been read. */
  columns(which: 'records' | 'teachers'): readonly string[] | undefined {
    return (which === 'records' ? this.recordsHeader : this.teachersHeader).columns;
  }

  private teachersSink(): CsvSink {
    const h = this.teachersHeader;
    const ev = this.ev;
    const starts = new Int32Array(TEACHER_FIELDS.length);
    const ends = new Int32Array(TEACHER_FIELDS.length);
    const sink: CsvSink = {
      header: (sc) => {
        h.read(sc);
        if (!this.options.noFastPath) this.teachersIn.fast = rowsFastPath(sc, sink);
      },
      headerWarning: (line, reason) => h.warn(line, reason),
      row: (b, s, e, line) => {
        for (let f = 0; f < TEACHER_FIELDS.length; f++) {
          const col = h.columnOf[f]!;
          starts[f] = col < 0 ? -1 : s[col]!;
          ends[f] = col < 0 ? -1 : e[col]!;
        }
        ev.teacher(b, starts, ends, line);
      },
      error: (line, reason) => ev.unreadable(false, line, reason),
    };
    return sink;
  }

  private recordsSink(): CsvSink {
    const h = this.recordsHeader;
    const ev = this.ev;
    const row = new Row();
    const sink: CsvSink = {
      header: (sc) => {
        h.read(sc);
        for (let f = 0; f < RECORD_FIELDS.length; f++) {
          row.fs[f] = -1;
          row.fe[f] = -1;
        }
        // DATA.md's columns in DATA.md's order get the canonical tier.
        let canonical = sc.width === RECORD_FIELDS.length;
        for (let k = 0; k < sc.width; k++) if (h.fieldOf[k] !== k) canonical = false;
        if (!this.options.noFastPath) this.recordsIn.fast = rowsFastPath(sc, sink, canonical ? { row, ev } : undefined);
      },
      headerWarning: (line, reason) => h.warn(line, reason),
      row: (b, s, e, line) => {
        row.buf = b;
        for (let f = 0; f < RECORD_FIELDS.length; f++) {
          const col = h.columnOf[f]!;
          if (col >= 0) {
            row.fs[f] = s[col]!;
            row.fe[f] = e[col]!;
          }
        }
        readRecord(row);
        ev.record(row, line);
      },
      error: (line, reason) => ev.unreadable(true, line, reason),
    };
    return sink;
  }

  /** The next chunk of the teachers file. */
  pushTeachers(chunk: Uint8Array): void {
    if (this.phase !== 0) throw new Error('baseline: the teachers file must come before the records');
    this.teachersIn.push(chunk);
  }

  /** The next chunk of the records file (ends the teachers file). */
  pushRecords(chunk: Uint8Array): void {
    this.startRecords();
    this.recordsIn.push(chunk);
  }

  private startRecords(): void {
    if (this.phase === 2) throw new Error('baseline: the records have ended');
    if (this.phase === 0) {
      this.teachersIn.end();
      this.teachersHeader.end();
      this.phase = 1;
    }
  }

  /** Ends the records file (and so the input); its last warnings are then in `warnings`. */
  endRecords(): void {
    if (this.phase === 2) return;
    this.startRecords();
    this.recordsIn.end();
    this.recordsHeader.end();
    this.phase = 2;
  }

  /** Ends the input and writes the report to `sink` in chunks (each valid only during the call). */
  finish(sink: (chunk: Uint8Array) => void, chunkSize = 1 << 22): void {
    this.endRecords();
    new ReportWriter(this.ev, new ByteOut(chunkSize, sink)).write();
  }
}

/** Splits a whole input into the chunks a file would be read in (or takes chunks as given). */
function chunksOf(input: Uint8Array | Iterable<Uint8Array>): Iterable<Uint8Array> {
  return input instanceof Uint8Array ? [input] : input;
}

/**
 * Evaluates whole inputs in process: records (and optionally teachers) as bytes or as chunks,
 * the report as bytes. Pure: no I/O.
 */
export function runBaseline(
  records: Uint8Array | Iterable<Uint8Array>,
  teachers?: Uint8Array | Iterable<Uint8Array>,
  options: BaselineOptions = {},
): BaselineResult {
  const run = new Baseline(options);
  if (teachers !== undefined) for (const c of chunksOf(teachers)) run.pushTeachers(c);
  for (const c of chunksOf(records)) run.pushRecords(c);
  const parts: Uint8Array[] = [];
  let total = 0;
  run.finish((chunk) => {
    parts.push(chunk.slice());
    total += chunk.length;
  });
  const output = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    output.set(p, at);
    at += p.length;
  }
  return { output, warnings: run.warnings };
}
