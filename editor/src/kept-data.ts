// The data files as the editor's worker keeps them between edits: each file checked as UTF-8 and
// scanned once, its records decoded once into the engine's typed row form (engine/row-decoder's
// slots), so that an edit only runs the rules — not the UTF-8 check, the CSV scan and the
// parsing of every value again. Decoding depends on the policy's record fields (their types, enum
// values, bounds): while an edit leaves them as they were, the decoded rows are reused; when it
// changes them, the rows are decoded again from the bytes. The rows are given to each edit's
// Evaluation exactly as the byte scanner would give them (test/editor-worker.test.ts holds the
// outcome to read-data.ts's, which reads the bytes every time). No DOM and no Node.

import { assertNever } from '../../dsl/ast.ts';
import {
  CsvScanner, createNdjsonReader, detectFormat, Evaluation, MAX_ROW_BYTES, RunawayLine, type CsvSink, type InputEvent, type Program, type RecordSlots,
} from '../../engine/index.ts';
import { InputProblem, readData, type DataFile, type ProgressCallback } from './read-data.ts';

/** How one event of a scanned CSV file is given again. */
const enum Kind {
  /** A row the generated parser read: its values are in the decoded columns. */
  Plain = 0,
  /** A row the scanner read (quoted, padded, or with a value that does not fit): its fields' bytes are kept. */
  Scanned = 1,
  /** A row that cannot be read, or a problem of the header. */
  Error = 2,
  HeaderError = 3,
  Header = 4,
}

/** The header as the scanner gave it. */
interface Header {
  readonly names: readonly string[];
  readonly columnOf: Int32Array;
  readonly line: number;
  readonly width: number;
}

/** Growable arrays of numbers (typed, to keep 400,000 rows compact). */
class Ints {
  data: Int32Array;
  length = 0;
  constructor(n = 1024) {
    this.data = new Int32Array(n);
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = x;
  }
}

/**
 * The decoded plain rows, row-major by kind of slot (one monomorphic loop per kind when a row is
 * given again): numbers' mantissas and scales, the codes of enums, bools and dates, texts' byte ranges.
 */
class DecodedRows {
  rows = 0;
  m: Float64Array;
  s: Int8Array;
  code: Int32Array;
  range: Int32Array;
  constructor(readonly numbers: Int32Array, readonly codes: Int32Array, readonly texts: Int32Array) {
    this.m = new Float64Array(1024 * numbers.length);
    this.s = new Int8Array(1024 * numbers.length);
    this.code = new Int32Array(1024 * codes.length);
    this.range = new Int32Array(2048 * texts.length);
  }

  /** Copies the slots of the row just parsed. */
  keep(slots: RecordSlots): void {
    const r = this.rows++;
    if ((r + 1) * this.numbers.length > this.m.length || (r + 1) * this.codes.length > this.code.length || 2 * (r + 1) * this.texts.length > this.range.length) this.grow();
    const { numbers, codes, texts } = this;
    for (let j = 0, o = r * numbers.length; j < numbers.length; j++, o++) {
      const i = numbers[j]!;
      this.m[o] = slots.m[i]!;
      this.s[o] = slots.s[i]!;
    }
    for (let j = 0, o = r * codes.length; j < codes.length; j++, o++) this.code[o] = slots.code[codes[j]!]!;
    for (let j = 0, o = 2 * r * texts.length; j < texts.length; j++, o += 2) {
      const i = texts[j]!;
      this.range[o] = slots.start[i]!;
      this.range[o + 1] = slots.end[i]!;
    }
  }

  private grow(): void {
    const twice = <T extends Float64Array | Int8Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(Math.max(16, a.length * 2));
      b.set(a);
      return b;
    };
    this.m = twice(this.m);
    this.s = twice(this.s);
    this.code = twice(this.code);
    this.range = twice(this.range);
  }

  /** Puts plain row `r` back into `slots`, as the generated parser left it. */
  load(r: number, slots: RecordSlots): void {
    const { numbers, codes, texts } = this;
    const sm = slots.m;
    const ss = slots.s;
    for (let j = 0, o = r * numbers.length; j < numbers.length; j++, o++) {
      const i = numbers[j]!;
      sm[i] = this.m[o]!;
      ss[i] = this.s[o]!;
    }
    const sc = slots.code;
    for (let j = 0, o = r * codes.length; j < codes.length; j++, o++) sc[codes[j]!] = this.code[o]!;
    const st = slots.start;
    const se = slots.end;
    const tx = slots.text;
    for (let j = 0, o = 2 * r * texts.length; j < texts.length; j++, o += 2) {
      const i = texts[j]!;
      st[i] = this.range[o]!;
      se[i] = this.range[o + 1]!;
      tx[i] = undefined;
    }
  }
}

/**
 * What decides how a row is decoded: the record fields' ids, types, requiredness, bounds and enum
 * values, in order (what the row decoder and the generated parser go by).
 */
export function fieldsFingerprint(program: Program): string {
  return JSON.stringify(program.recordFields.map(({ decl: f }) => [f.id, f.type, f.required, f.min ?? null, f.max ?? null, f.values]));
}

/** One CSV file scanned: its events in file order, and (for records) the decoded rows. */
class ScannedCsv {
  readonly kinds: Kind[] = [];
  readonly lines = new Ints();
  /** Per event: the decoded row (Plain), the scanned row (Scanned) or the reason (errors). */
  readonly refs = new Ints();
  readonly reasons: string[] = [];
  header: Header | undefined;
  /** The bytes the scanned rows' fields were copied into, and each scanned row's field ranges (width per row). */
  side = new Uint8Array(1 << 16);
  sideLength = 0;
  readonly ranges = new Ints();
  /** The plain rows' decoded values. */
  decoded: DecodedRows | undefined;
  /** Fields the file has no column for (missing in every plain row). */
  absent: number[] = [];

  /**
   * Scans `bytes` (a copy: the scanner unescapes quoted fields in place). With `parser`, an
   * evaluation whose record sink has seen the header, each plain row is parsed by its generated
   * parser and decoded into the columns; without, every row is kept as scanned.
   */
  constructor(readonly bytes: Uint8Array, parser: Evaluation | undefined, program: Program | undefined, progress: ProgressCallback) {
    const sink: CsvSink = {
      header: (names, columnOf, line, width) => {
        this.header = { names: [...names], columnOf: Int32Array.from(columnOf), line, width };
        this.event(Kind.Header, line, 0);
        if (parser && program) this.startDecoding(parser, program, sink);
      },
      row: (buf, starts, ends, line) => {
        const width = this.header!.width;
        this.event(Kind.Scanned, line, this.ranges.length / (2 * width));
        for (let c = 0; c < width; c++) {
          const a = starts[c]!;
          const b = ends[c]!;
          this.ranges.push(this.sideLength);
          this.copy(buf, a, b);
          this.ranges.push(this.sideLength);
        }
      },
      error: (line, reason, header) => {
        this.event(header ? Kind.HeaderError : Kind.Error, line, this.reasons.length);
        this.reasons.push(reason);
      },
    };
    const scanner = new CsvScanner(sink);
    scanner.push(bytes);
    progress(bytes.length, bytes.length);
    scanner.end();
  }

  private event(kind: Kind, line: number, ref: number): void {
    this.kinds.push(kind);
    this.lines.push(line);
    this.refs.push(ref);
  }

  private copy(buf: Uint8Array, a: number, b: number): void {
    const n = b - a;
    if (this.sideLength + n > this.side.length) {
      const grown = new Uint8Array(Math.max(this.side.length * 2, this.sideLength + n));
      grown.set(this.side.subarray(0, this.sideLength));
      this.side = grown;
    }
    this.side.set(buf.subarray(a, b), this.sideLength);
    this.sideLength += n;
  }

  /** Once the header is known: plain rows through the parser of `parser`, their slots copied into columns. */
  private startDecoding(parser: Evaluation, program: Program, sink: CsvSink): void {
    const fields = program.recordFields.map((f) => f.decl);
    const present = new Set(fields.map((f, i) => (this.header!.names.includes(f.id) ? i : -1)));
    this.absent = fields.map((_, i) => i).filter((i) => !present.has(i));
    const of = (pick: (f: (typeof fields)[number]) => boolean) => Int32Array.from(fields.map((f, i) => (present.has(i) && pick(f) ? i : -1)).filter((i) => i >= 0));
    this.decoded = new DecodedRows(of((f) => f.type === 'number'), of((f) => f.type === 'enum' || f.type === 'bool' || f.type === 'date'), of((f) => f.type === 'text'));
    // The header went to the parser's own sink first: that made its generated row parser.
    parser.recordSink(() => {}, () => {}).header(this.header!.names, this.header!.columnOf, this.header!.line, this.header!.width);
    if (!parser.compiled) return; // no generated parser: every row is read by the scanner
    const slots = parser.recordSlots;
    const decoded = this.decoded!;
    const take = (bytes: Uint8Array, start: number, line: number): number => {
      // Only rows of the kept bytes can be given again by their place (the scanner's own copies are not kept).
      if (bytes !== this.bytes) return -1;
      const next = parser.parseRecordRow(bytes, start);
      if (next < 0 || next - start > MAX_ROW_BYTES) return -1;
      this.event(Kind.Plain, line, decoded.rows);
      decoded.keep(slots);
      return next;
    };
    sink.fastRow = (bytes, start, _lastLineFeed, line) => take(bytes, start, line);
    sink.fastRows = (bytes, start, lastLineFeed, line) => {
      let p = start;
      let k = 0;
      while (p < lastLineFeed) {
        const next = take(bytes, p, line + k);
        if (next < 0) break;
        k++;
        p = next;
      }
      sink.taken = k;
      return p;
    };
  }

  /**
   * Gives the file to `sink` (the evaluation's record or subject sink) as the scanner gave it;
   * plain rows go straight into `evaluation`'s slots (whose record fields must read as those this
   * file was decoded for).
   */
  replay(sink: CsvSink, evaluation: Evaluation | undefined): void {
    const { kinds, reasons } = this;
    const lines = this.lines.data;
    const refs = this.refs.data;
    const ranges = this.ranges.data;
    const starts = new Int32Array(this.header?.width ?? 0);
    const ends = new Int32Array(this.header?.width ?? 0);
    const slots = evaluation?.recordSlots;
    const decoded = this.decoded;
    const absent = this.absent;
    for (let k = 0; k < kinds.length; k++) {
      const line = lines[k]!;
      const kind = kinds[k]!;
      switch (kind) {
        case Kind.Plain: {
          const sl = slots!;
          decoded!.load(refs[k]!, sl);
          // As the generated parser leaves a field the file has no column for.
          for (let j = 0; j < absent.length; j++) {
            const i = absent[j]!;
            sl.start[i] = -1;
            sl.end[i] = -1;
            sl.s[i] = -1;
            sl.code[i] = -1;
            sl.text[i] = undefined;
          }
          evaluation!.ingestParsedRow(this.bytes, line);
          break;
        }
        case Kind.Scanned: {
          const width = starts.length;
          let o = refs[k]! * 2 * width;
          for (let c = 0; c < width; c++, o += 2) {
            starts[c] = ranges[o]!;
            ends[c] = ranges[o + 1]!;
          }
          sink.row(this.side, starts, ends, line);
          break;
        }
        case Kind.Error:
          sink.error(line, reasons[refs[k]!]!, false);
          break;
        case Kind.HeaderError:
          sink.error(line, reasons[refs[k]!]!, true);
          break;
        case Kind.Header: {
          const h = this.header!;
          sink.header(h.names, h.columnOf, h.line, h.width);
          break;
        }
        default:
          assertNever(kind);
      }
    }
  }
}

/**
 * An evaluation whose generated row parser decodes the rows, or undefined where making code is
 * forbidden (then every row is kept as scanned, and decoded by each edit's interpreted evaluation).
 */
function parserFor(program: Program): Evaluation | undefined {
  try {
    return new Evaluation(program);
  } catch (e) {
    if (e instanceof EvalError) return undefined;
    throw e;
  }
}

/** A data file kept: its bytes as given, and how it reads. */
class KeptFile {
  /** The file is not UTF-8 (or is NDJSON): each edit reads its bytes as read-data.ts does. */
  readonly asBytes: boolean;
  private scanned: ScannedCsv | undefined;
  private decodedFor: string | undefined;
  private ndjson: { events: InputEvent[]; columns: readonly string[] } | undefined;

  constructor(readonly file: DataFile, readonly which: 'records' | 'subjects') {
    const bytes = file.bytes;
    const format = detectFormat(file.name, new TextDecoder().decode(bytes.subarray(0, 256)));
    let valid = true;
    try {
      new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      valid = false;
    }
    if (valid && format === 'ndjson') {
      const reader = createNdjsonReader();
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
      try {
        const events = [...reader.push(text), ...reader.end()];
        this.ndjson = { events, columns: reader.columns() };
      } catch (e) {
        // A line with no end: each edit reads the bytes as read-data.ts does, which refuses the file.
        if (!(e instanceof RunawayLine)) throw e;
        valid = false;
      }
    }
    this.asBytes = !valid;
  }

  /** The scan of this file for `program` (decoded again only when its record fields read otherwise). */
  scan(program: Program, progress: ProgressCallback): ScannedCsv {
    if (this.which === 'subjects') return (this.scanned ??= new ScannedCsv(this.file.bytes.slice(), undefined, undefined, progress));
    const print = fieldsFingerprint(program);
    if (!this.scanned || this.decodedFor !== print) {
      this.scanned = new ScannedCsv(this.file.bytes.slice(), parserFor(program), program, progress);
      this.decodedFor = print;
    }
    return this.scanned;
  }

  get ndjsonRows(): { events: InputEvent[]; columns: readonly string[] } | undefined {
    return this.ndjson;
  }
}

/**
 * The records and subjects files as the worker keeps them: given to each edit's Evaluation as
 * read-data.ts gives the bytes (the same rows, lines, warnings and refusals), without reading
 * the bytes again.
 */
export class KeptData {
  private readonly records: KeptFile;
  private readonly subjects: KeptFile | undefined;

  constructor(readonly recordsFile: DataFile, readonly subjectsFile: DataFile | undefined) {
    this.records = new KeptFile(recordsFile, 'records');
    this.subjects = subjectsFile && new KeptFile(subjectsFile, 'subjects');
  }

  /** The subjects (if any), then the records, into `evaluation` (of `program`); warnings pushed to `warnings`. */
  readInto(program: Program, evaluation: Evaluation, warnings: string[], progress: ProgressCallback = () => {}): void {
    if (this.records.asBytes || this.subjects?.asBytes) {
      // Not UTF-8: read as the CLI reads, which refuses it with the line it got to.
      readData([program], evaluation, this.recordsFile, this.subjectsFile, warnings, progress);
      return;
    }
    for (const kept of this.subjects ? [this.subjects, this.records] : [this.records]) {
      try {
        this.readFile(program, evaluation, kept, warnings, progress);
      } catch (e) {
        throw e instanceof RunawayLine ? new InputProblem(`${kept.file.name} ${e.message}`) : e;
      }
    }
  }

  private readFile(program: Program, evaluation: Evaluation, kept: KeptFile, warnings: string[], progress: ProgressCallback): void {
    const which = kept.which;
    const name = kept.file.name;
    const fields = which === 'records' ? program.policy.record.fields : program.policy.subject.fields;
    const known = new Set(fields.map((f) => f.id));
    // The same words as read-data.ts's.
    const warnUnknown = (names: readonly string[]) => {
      const unknown = names.filter((c) => !known.has(c));
      if (unknown.length > 0) warnings.push(`${name}: 忽略未知列 ignoring unknown column(s): ${unknown.join(', ')}`);
    };
    let headerSeen = false;
    const requireColumns = (names: readonly string[]) => {
      headerSeen = true;
      const missing = fields.filter((f) => f.required && !names.includes(f.id)).map((f) => f.id);
      if (missing.length > 0) throw new InputProblem(`${name} 缺少必需的列 ${missing.join(', ')} / ${name} lacks the required column(s) ${missing.join(', ')}`);
      warnUnknown(names);
    };
    const warn = (line: number, reason: string) => warnings.push(`${name}:${line}: ${reason}`);
    const rows = kept.ndjsonRows;
    if (rows) {
      for (const e of rows.events) {
        if (e.kind === 'error' && e.header) warn(e.line, e.reason);
        else if (which === 'records') evaluation.addRecord(e);
        else evaluation.addSubject(e);
      }
      warnUnknown(rows.columns);
      return;
    }
    const scanned = kept.scan(program, progress);
    const sink = which === 'records' ? evaluation.recordSink(requireColumns, warn) : evaluation.subjectSink(requireColumns, warn);
    scanned.replay(sink, which === 'records' ? evaluation : undefined);
    if (!headerSeen) requireColumns([]);
  }
}
