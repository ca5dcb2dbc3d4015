// Stage 6 of the pipeline: Program + input rows → results. Rows stream through one at a time,
// as bytes: each is checked for a repeated key, its fields decoded into typed slots, its
// subject found, its rules run, and its contributions added to its subject's totals. What is
// kept is per subject (totals per period), never per row, apart from the compact table of keys
// seen, which duplicate detection needs, and the rejected rows, which the report lists.

import { recordVersion } from './versions.ts';
import { calendarPeriodOf, isYearly, subjectWindow, windowScope, type SubjectWindow } from '../dsl/index.ts';
import type { CompiledField, Program } from './compile.ts';
import { MAX_ROW_BYTES, type CsvSink } from './input/csv-scan.ts';
import type { InputEvent } from './input/index.ts';
import { RecordInterpreter, RecordStep, SubjectInterpreter } from './interpret.ts';
import type { PartResult } from './parts.ts';
import { absorbPart, exportPart, type PartState } from './part-merge.ts';
import { CycleCounts } from './cycle-counts.ts';
import { cycleResultCount } from './subject-cycles.ts';
import { RecordKeySet } from './record-keys.ts';
import {
  bump, newCounts, type EvaluationResult, type InputSource, type Rejection, type ResultStream, type RowCounts,
  type SubjectResult,
} from './results.ts';
import { RowDecoder } from './row-decoder.ts';
import { rowParser } from './codegen/row-parser.ts';
import { SubjectTable } from './subjects.ts';
import { TotalsStore } from './totals-store.ts';
import { Decimal } from './decimal.ts';
import { DistinctValues } from './distinct-values.ts';
import { FastPath, FastStep } from './fast-path.ts';
import { SubjectFinisher } from './subject-finisher.ts';
import type { Value } from './values.ts';

export * from './results.ts';
export { RowOutcome, totalSlotNames, type EvaluationOptions, type RowAdded, type RowTracer, type SubjectState, type TracedOutcome } from './evaluation-parts.ts';
import { duplicateReason, encodeRow, RowOutcome, slotLayout, type EvaluationOptions, type RowAdded, type RowTracer, type SlotLayout, type SubjectState } from './evaluation-parts.ts';

const utf8 = new TextEncoder();

/** How a record's date gives its period: its calendar year; its calendar half-year, quarter or month; its place in its subject's own window. */
const enum PeriodMode { Years, Calendar, PerSubject }

/** The id records outside their subject's own cycle are counted under (`out_of_scope_by_rule`). */
export const OUTSIDE_CYCLE = 'cycle';

/**
 * A decoded record row, by field index (engine/row-decoder.ts): a number is `m[i] / 10^s[i]`
 * (`s[i]` -1 when missing); an enum, bool or date is `code[i]` (-1 when missing); a text is the
 * byte range `[start[i], end[i])` of the row's bytes (or `text[i]`, when set).
 */
export interface RecordSlots {
  readonly m: Float64Array;
  readonly s: Int32Array;
  readonly code: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly text: (string | undefined)[];
}

/**
 * A streaming evaluation. Feed the subjects file first (if any; a subject after a record is an
 * error), then the records — as byte rows from a {@link CsvSink} (`recordSink`/`subjectSink`),
 * or as text rows (`addRecord`/`addSubject`) — then take the results. Pure: no I/O, no clock.
 */
export class Evaluation {
  private readonly recordDecoder: RowDecoder;
  private readonly subjectDecoder: RowDecoder;
  private readonly subjects: SubjectTable;
  private readonly totals: TotalsStore;
  private readonly layout: SlotLayout;
  private readonly seenKeys = new RecordKeySet();
  private readonly rejected: Rejection[] = [];
  /** Per rejected record row that repeats a key: its index in `rejected` and the key's first line. */
  private readonly duplicates: [number, number][] = [];
  private readonly records = newCounts();
  private readonly subjectRows = newCounts();
  private readonly recordInterpreter: RecordInterpreter;
  /** The generated code, when the program's shape allows it (else everything is interpreted). */
  private readonly fast: FastPath | undefined;
  private readonly tracer: RowTracer | undefined;
  /** The traced subject's number (-1 without a trace), and its id's bytes. */
  private readonly tracedIndex: number = -1;
  private readonly tracedBytes: Uint8Array = new Uint8Array(0);
  /** Whether the row being rejected is the traced subject's (reject() then tells the tracer). */
  private tracing = false;
  /** The outcome rule rejecting the traced row, if one does. */
  private tracedRule: number | undefined;

  /** Whether the rules run as generated code (false: the program is interpreted). */
  get compiled(): boolean {
    return this.fast !== undefined;
  }
  /** Per field of the row being read: its byte range (start -1 when the column is absent). */
  private readonly recordStart: Int32Array;
  private readonly recordEnd: Int32Array;
  private readonly subjectStart: Int32Array;
  private readonly subjectEnd: Int32Array;
  private readonly values: Value[];
  private readonly firstPeriod: number;
  /** How a record's date gives its period (see PeriodMode). */
  private readonly periodMode: PeriodMode;
  /** For a cycle per subject: each subject's own window, by subject number (undefined: none can be placed). */
  private readonly windows: (SubjectWindow | undefined)[] = [];
  /** For a repeating cycle: each subject's rows per cycle, and the cycle of the record being read. */
  private readonly cycleCounts: CycleCounts | undefined;
  private rowCycle = 0;
  private readonly lastPeriod: number;
  /** Works the subjects' results out of what this evaluation kept, once every row is read. */
  private readonly finishing: SubjectFinisher;
  /** How many subjects' rows in the subjects file were rejected (records of each are rejected too). */
  private rejectedSubjects = 0;

  /**
   * What became of the last record row read (a {@link RowOutcome}), and the rule (or field, or
   * `unreadable`) that decided it unless it counted. Two stores per row: cheap enough to keep always.
   */
  rowOutcome: RowOutcome = RowOutcome.Counted;
  rowRule: string | undefined = undefined;
  /**
   * With `observeRows`, after a row that counted: per aggregate, the slot of the row's scope it
   * added to (-1: none — no value, a zero, no group) and the amount, as a mantissa and scale, or
   * in `big` (then set) when the interpreter added a value beyond that form.
   */
  readonly rowAdded: RowAdded | undefined;

  constructor(private readonly program: Program, options: EvaluationOptions = {}) {
    const p = program;
    this.recordDecoder = new RowDecoder(p.recordFields.map((f) => f.decl), p.recordFields.map((f) => f.read));
    this.subjectDecoder = new RowDecoder(p.subjectFields.map((f) => f.decl), p.subjectFields.map((f) => f.read));
    this.layout = slotLayout(p);
    this.totals = new TotalsStore(this.layout.width, p.periods.length + 1);
    const n = p.aggregates.length;
    this.rowAdded = options.observeRows
      ? { slot: new Int32Array(n).fill(-1), m: new Float64Array(n), s: new Int32Array(n), big: new Array<Decimal | undefined>(n).fill(undefined) }
      : undefined;
    // A program compiled for coverage records its hits only when interpreted.
    this.fast = options.interpret || p.coverage || p.trace ? undefined : FastPath.create(p, this.layout.first, this.totals, this.distinct, this.recordDecoder, this.rowAdded, options.reuseCode);
    this.subjects = new SubjectTable(p.subjectFields.length, p.letCount, (i) => {
      this.totals.ensure(i);
      this.fast?.addSubject();
    });
    this.recordInterpreter = new RecordInterpreter(p);
    this.recordStart = new Int32Array(p.recordFields.length);
    this.recordEnd = new Int32Array(p.recordFields.length);
    this.subjectStart = new Int32Array(p.subjectFields.length);
    this.subjectEnd = new Int32Array(p.subjectFields.length);
    this.values = new Array<Value>(p.recordFields.length).fill(undefined);
    this.firstPeriod = p.periods[0]!;
    this.periodMode = p.cycleField !== undefined ? PeriodMode.PerSubject : isYearly(p.policy) ? PeriodMode.Years : PeriodMode.Calendar;
    this.lastPeriod = p.periods[p.periods.length - 1]!;
    this.cycleCounts = p.cycles ? new CycleCounts(p.cycles.length) : undefined;
    this.finishing = new SubjectFinisher({
      program: p, subjects: this.subjects, totals: this.totals, layout: this.layout, distinct: this.distinct,
      windows: this.windows, cycleCounts: this.cycleCounts, fast: this.fast,
    });
    this.tracer = options.trace;
    if (this.tracer) {
      // Numbered now, so that each record of theirs is told by one comparison of numbers.
      this.tracedBytes = utf8.encode(this.tracer.subject);
      this.tracedIndex = this.subjects.indexOf(this.tracedBytes, 0, this.tracedBytes.length);
    }
  }

  // ── Text rows ───────────────────────────────────────────────────────────────────────────────

  /** Adds one row of the subjects file. A header problem is not a row: callers warn about it. */
  addSubject(event: InputEvent): void {
    this.beforeSubject();
    if (event.kind === 'error') {
      if (!event.header) this.rowError('subjects', this.subjectRows, event.line, event.reason);
      return;
    }
    const bytes = encodeRow(this.program.subjectFields, event.values, this.subjectStart, this.subjectEnd);
    this.ingestSubject(bytes, this.subjectStart, this.subjectEnd, event.line);
  }

  /** Adds one row of the records file. A header problem is not a row: callers warn about it. */
  addRecord(event: InputEvent): void {
    if (event.kind === 'error') {
      if (!event.header) this.rowError('records', this.records, event.line, event.reason);
      return;
    }
    const bytes = encodeRow(this.program.recordFields, event.values, this.recordStart, this.recordEnd);
    this.ingestRecord(bytes, this.recordStart, this.recordEnd, event.line);
  }

  // ── Byte rows ───────────────────────────────────────────────────────────────────────────────

  /** The generated parser of the records file's rows, once its header is read (see recordSink). */
  private recordParse: ((bytes: Uint8Array, start: number) => number) | undefined;

  /**
   * Whether this evaluation and `other` (both given the records file's header through their
   * record sinks) read every row alike with generated parsers: then one can parse a row for both
   * ({@link parseRecordRow}, {@link copyRecordRow}). The diff reads both sides so.
   */
  parsesRecordsLike(other: Evaluation): boolean {
    return this.recordParse !== undefined && other.recordParse !== undefined && this.recordDecoder.readsAlike(other.recordDecoder);
  }

  /**
   * Parses the record row at `start` with the generated parser, without taking it in: the offset
   * past it, or -1 when the scanner must read it. {@link ingestParsedRow} then takes it in.
   */
  parseRecordRow(bytes: Uint8Array, start: number): number {
    return this.recordParse!(bytes, start);
  }

  /** Takes the row `other` has just parsed as if this evaluation had parsed it (see {@link parsesRecordsLike}). */
  copyRecordRow(other: Evaluation): void {
    this.recordDecoder.copyRow(other.recordDecoder);
  }

  /** Takes in the record row just parsed, on line `line`. */
  ingestParsedRow(bytes: Uint8Array, line: number): void {
    this.ingestParsedRecord(bytes, line);
  }

  /**
   * The typed slots the generated parser leaves a record row in (the row decoder's: see
   * {@link RecordSlots}). A caller that keeps rows decoded across evaluations whose record fields
   * read alike (the editor's worker) copies them out after {@link parseRecordRow} and back in
   * before {@link ingestParsedRow}, instead of parsing every row again.
   */
  get recordSlots(): RecordSlots {
    return this.recordDecoder;
  }

  /**
   * A sink for the byte scanner reading the records file. `onHeader` sees the header's columns
   * first (and may throw to stop the run); header problems go to `onWarning`.
   */
  recordSink(onHeader: (columns: readonly string[]) => void, onWarning: (line: number, reason: string) => void): CsvSink {
    return this.sink(this.program.recordFields, this.recordStart, this.recordEnd, 'records', onHeader, onWarning);
  }

  /** A sink for the byte scanner reading the subjects file (see {@link recordSink}). */
  subjectSink(onHeader: (columns: readonly string[]) => void, onWarning: (line: number, reason: string) => void): CsvSink {
    this.beforeSubject();
    return this.sink(this.program.subjectFields, this.subjectStart, this.subjectEnd, 'subjects', onHeader, onWarning);
  }

  private sink(
    fields: readonly CompiledField[], fStart: Int32Array, fEnd: Int32Array, source: InputSource,
    onHeader: (columns: readonly string[]) => void, onWarning: (line: number, reason: string) => void,
  ): CsvSink {
    // The column of each declared field, or -1 when the file has no such column.
    let columnOf = new Int32Array(fields.length).fill(-1);
    const counts = source === 'records' ? this.records : this.subjectRows;
    const sink: CsvSink = {
      header: (names, rawColumn, _line, width) => {
        columnOf = Int32Array.from(fields.map((f) => {
          const k = names.indexOf(f.id);
          return k < 0 ? -1 : rawColumn[k]!;
        }));
        onHeader(names);
        if (source === 'records' && this.fast) {
          // Plain rows are read by a parser made for this header, straight into the slots.
          const fieldOf = new Array<number>(width).fill(-1);
          columnOf.forEach((c, i) => {
            if (c >= 0) fieldOf[c] = i;
          });
          const parse = rowParser(this.recordDecoder.fields, fieldOf, this.recordDecoder);
          this.recordParse = parse;
          // A row longer than MAX_ROW_BYTES is left to the scanner, which rejects it: the limit must
          // not depend on whether the row lies inside one chunk (where this parser sees it whole).
          sink.fastRow = (bytes, start, _lastLineFeed, line) => {
            const next = parse(bytes, start);
            if (next < 0 || next - start > MAX_ROW_BYTES) return -1;
            this.ingestParsedRecord(bytes, line);
            return next;
          };
          // Row after row in one loop, until one needs the scanner (or the chunk's last line feed).
          sink.fastRows = (bytes, start, lastLineFeed, line) => {
            let p = start;
            let n = 0;
            while (p < lastLineFeed) {
              const next = parse(bytes, p);
              if (next < 0 || next - p > MAX_ROW_BYTES) break;
              this.ingestParsedRecord(bytes, line + n);
              n++;
              p = next;
            }
            sink.taken = n;
            return p;
          };
        }
      },
      row: (bytes, starts, ends, line) => {
        for (let i = 0; i < columnOf.length; i++) {
          const c = columnOf[i]!;
          if (c < 0) fStart[i] = -1;
          else {
            fStart[i] = starts[c]!;
            fEnd[i] = ends[c]!;
          }
        }
        if (source === 'records') this.ingestRecord(bytes, fStart, fEnd, line);
        else this.ingestSubject(bytes, fStart, fEnd, line);
      },
      error: (line, reason, header) => {
        if (header) onWarning(line, reason);
        else this.rowError(source, counts, line, reason);
      },
    };
    return sink;
  }

  // ── One row ─────────────────────────────────────────────────────────────────────────────────

  private beforeSubject(): void {
    // Records are evaluated as they arrive, using their subject's facts: those must come first.
    if (this.records.read > 0) throw new Error('Evaluation: add every subject before the first record');
  }

  private rowError(source: InputSource, counts: RowCounts, line: number, reason: string): void {
    counts.read++;
    this.reject(source, counts, line, undefined, reason, undefined, []);
  }

  private reject(source: InputSource, counts: RowCounts, line: number, key: string | undefined, reason: string, rule: string | undefined, cites: readonly string[], version?: number): void {
    this.rowOutcome = RowOutcome.Rejected;
    this.rowRule = rule ?? 'unreadable';
    counts.rejected++;
    bump(counts.rejectedBy, rule ?? 'unreadable');
    const rejection: Rejection = version === undefined ? { source, key, line, reason, rule, cites } : { source, key, line, reason, rule, cites, version };
    this.rejected.push(rejection);
    if (this.tracing) {
      this.tracing = false;
      this.tracer!.settled(line, { kind: 'rejected', rejection, rule: this.tracedRule });
      this.tracedRule = undefined;
    }
  }

  /** Whether the trimmed bytes `bytes[a, b)` are the traced subject's id (a row not yet decoded). */
  private isTracedId(bytes: Uint8Array, a: number, b: number): boolean {
    const key = this.recordDecoder.trimmedField(bytes, a, b);
    if (key === undefined) return false;
    const t = this.tracedBytes;
    if (key.end - key.start !== t.length) return false;
    for (let k = 0; k < t.length; k++) if (key.bytes[key.start + k] !== t[k]) return false;
    return true;
  }

  /** Rejects a row that repeats a key first seen on `firstLine`. */
  private rejectDuplicate(source: InputSource, counts: RowCounts, line: number, key: string | undefined, keyField: string, firstLine: number, cites: readonly string[]): void {
    if (source === 'records') this.duplicates.push([this.rejected.length, firstLine]);
    this.reject(source, counts, line, key, duplicateReason(keyField, firstLine), keyField, cites);
  }

  // ── Parts of one file ───────────────────────────────────────────────────────────────────────

  /**
   * What this evaluation of a part of the records file came to (subjects first, as usual; the
   * subjects file's own rejections are left to the evaluation of the whole). `unfinished`: the
   * part ended inside a row; `lines`: lines read after the header.
   */
  exportPart(unfinished: boolean, lines: number): PartResult {
    return exportPart(this.partState(), unfinished, lines);
  }

  /** The smallest and largest record key read so far (see RecordKeySet.range). */
  keyRange(): { readonly min: Uint8Array; readonly max: Uint8Array } | undefined {
    return this.seenKeys.range();
  }

  /**
   * Adds in a part of the records file evaluated elsewhere (see exportPart), whose lines are
   * `lineOffset` behind this file's. Parts are added in file order, after the subjects file, and
   * only when they add up (engine/parts.ts).
   */
  absorbPart(part: PartResult, lineOffset: number): void {
    absorbPart(this.partState(), part, lineOffset);
  }

  private partState(): PartState {
    return {
      subjects: this.subjects, totals: this.totals, distinct: this.distinct, cycleCounts: this.cycleCounts,
      records: this.records, rejected: this.rejected, duplicates: this.duplicates, seenKeys: this.seenKeys,
      keyField: this.program.policy.record.key,
    };
  }

  /**
   * The first row with a key owns it, whether it then counts or is rejected for its own reasons;
   * every later row with that key is a duplicate, whatever else is wrong with it. Rejects such a
   * row and returns true; otherwise remembers the key (if the row has one) and returns false.
   */
  private isDuplicate(
    source: InputSource, counts: RowCounts, seen: RecordKeySet, decoder: RowDecoder, keyIndex: number, keyField: string,
    cites: readonly string[], bytes: Uint8Array, fStart: Int32Array, fEnd: Int32Array, line: number,
  ): boolean {
    const key = decoder.trimmedField(bytes, fStart[keyIndex]!, fEnd[keyIndex]!);
    if (key === undefined) return false;
    const firstLine = seen.getOrAdd(key.bytes, key.start, key.end, line);
    if (firstLine < 0) return false;
    counts.read++;
    const text = decoder.lastTrimmedText();
    if (this.tracer && source === 'records') {
      const sf = this.program.recordSubject;
      this.tracing = this.isTracedId(bytes, fStart[sf]!, fEnd[sf]!);
    }
    this.rejectDuplicate(source, counts, line, text, keyField, firstLine, cites);
    return true;
  }

  /** Decodes a row's fields; rejects it (and returns false) if any does not fit. */
  private decodeRow(source: InputSource, counts: RowCounts, decoder: RowDecoder, keyIndex: number, bytes: Uint8Array, fStart: Int32Array, fEnd: Int32Array, line: number): boolean {
    counts.read++;
    if (decoder.decode(bytes, fStart, fEnd)) return true;
    const first = decoder.fields[decoder.firstProblem]!;
    if (this.tracer && source === 'records') {
      const sf = this.program.recordSubject;
      this.tracing = this.isTracedId(bytes, fStart[sf]!, fEnd[sf]!);
    }
    this.reject(source, counts, line, decoder.textOf(keyIndex), decoder.problems.join('; '), first.id, first.cites);
    return false;
  }

  private ingestSubject(bytes: Uint8Array, fStart: Int32Array, fEnd: Int32Array, line: number): void {
    const p = this.program;
    const d = this.subjectDecoder;
    const s = this.subjects;
    const key = d.trimmedField(bytes, fStart[p.subjectKey]!, fEnd[p.subjectKey]!);
    const i = key === undefined ? -1 : s.indexOf(key.bytes, key.start, key.end);
    // The first row with an id owns it, whether it is listed or rejected for its own reasons;
    // every later row with that id is a duplicate, whatever else is wrong with it. The subjects
    // table knows the owner: no set of the ids beside it.
    const first = i < 0 ? 0 : s.ownerLine(i);
    if (first > 0) {
      this.subjectRows.read++;
      this.rejectDuplicate('subjects', this.subjectRows, line, d.lastTrimmedText(), p.policy.subject.key, first, []);
      return;
    }
    if (!this.decodeRow('subjects', this.subjectRows, d, p.subjectKey, bytes, fStart, fEnd, line)) {
      // A subject whose row did not fit (a hire date that is no date) is not evaluated as if it
      // had no facts: it would pass for another kind of subject. Its records are rejected, saying why.
      if (i >= 0) {
        this.rejectedSubjects++;
        s.rejectedOn[i] = line;
      }
      return;
    }
    const values: Value[] = new Array(p.subjectFields.length);
    for (let k = 0; k < values.length; k++) values[k] = d.value(k);
    s.list(i, values, line);
    this.fast?.setSubject(i, values);
    if (p.cycleField !== undefined) {
      const anchor = values[p.cycleField];
      this.windows[i] = typeof anchor === 'string' ? subjectWindow(p.policy, anchor) : undefined;
    }
    // Everyone else's records are excluded by the same test, one by one.
    if (p.subjectScope !== undefined && this.recordInterpreter.outsideScope(this.subjects.context(i))) {
      this.subjects.outside[i] = 1;
      this.subjectRows.outOfScope++;
    } else {
      this.subjectRows.evaluated++;
    }
  }

  private ingestRecord(bytes: Uint8Array, fStart: Int32Array, fEnd: Int32Array, line: number): void {
    const p = this.program;
    const counts = this.records;
    const d = this.recordDecoder;
    if (this.isDuplicate('records', counts, this.seenKeys, d, p.recordKey, p.policy.record.key, p.policy.record.keyCites, bytes, fStart, fEnd, line)) return;
    if (!this.decodeRow('records', counts, d, p.recordKey, bytes, fStart, fEnd, line)) return;
    const who = d.decodedBytes(p.recordSubject)!;
    this.evaluateDecoded(this.subjects.indexOf(who.bytes, who.start, who.end), line);
  }

  /** A record row read by the generated row parser: its fields are decoded, valid, and trimmed. */
  private ingestParsedRecord(bytes: Uint8Array, line: number): void {
    const p = this.program;
    const counts = this.records;
    const d = this.recordDecoder;
    d.bytes = bytes;
    d.hasBig = false;
    const k = p.recordKey;
    const firstLine = this.seenKeys.getOrAdd(bytes, d.start[k]!, d.end[k]!, line);
    counts.read++;
    if (firstLine >= 0) {
      if (this.tracer) this.tracing = this.isTracedId(bytes, d.start[p.recordSubject]!, d.end[p.recordSubject]!);
      return this.rejectDuplicate('records', counts, line, d.textOf(k), p.policy.record.key, firstLine, p.policy.record.keyCites);
    }
    // The parser read the subject's id plainly: its byte range is the id.
    const sf = p.recordSubject;
    this.evaluateDecoded(this.subjects.indexOf(bytes, d.start[sf]!, d.end[sf]!), line);
  }

  /** Runs the rules on the record just decoded (of subject `si`), and counts what became of it. */
  private evaluateDecoded(si: number, line: number): void {
    const p = this.program;
    const counts = this.records;
    const d = this.recordDecoder;
    if (this.rejectedSubjects > 0 && this.subjects.rejectedOn[si] !== 0) return this.rejectForSubject(si, line);
    const date = d.code[p.periodField]!;
    let year: number;
    let scope: number;
    if (this.periodMode === PeriodMode.Years) {
      year = Math.floor(date / 10000);
      scope = this.scopeOf(year);
    } else if (this.periodMode === PeriodMode.Calendar) {
      year = calendarPeriodOf(p.policy, date);
      scope = this.scopeOf(year);
    } else {
      // A cycle per subject: the record's period is its place in the subject's own window.
      const w = this.windows[si];
      if (w === undefined) return this.rejectForWindow(si, line);
      scope = windowScope(w, date);
      if (scope < 0) return this.outsideWindow(si, line);
      year = scope + 1;
    }
    if (this.cycleCounts) {
      // A repeating cycle's span is its cycles': a record outside it belongs to none (a fixed
      // cycle's records outside it are left to the policy's rules, as they always were).
      if (scope === p.periods.length) return this.outsideWindow(si, line);
      this.rowCycle = Math.floor(scope / p.policy.cycle.every!);
    }
    const version = recordVersion(p.timeline, date);
    if (si === this.tracedIndex) return this.evaluateTraced(si, line, year, scope, version);

    const fast = this.fast;
    if (fast && !d.hasBig && !fast.interpreted(si)) {
      const step = fast.record(si, year, scope, version);
      if (step === FastStep.Counted) {
        this.subjects.evaluated[si]!++;
        this.cycleCounts?.count(si, this.rowCycle, false);
        counts.evaluated++;
        this.rowOutcome = RowOutcome.Counted;
        this.rowRule = undefined;
        return;
      }
      if (step === FastStep.Missing) {
        const s = fast.stage;
        const o = p.outcomes.length;
        const rule = s < o ? p.outcomes[s]!.id : p.aggregates[s - o]!.owner;
        const cites = s < o ? p.outcomes[s]!.cites : p.aggregates[s - o]!.cites;
        return this.rejectMissing(line, rule, cites, fast.missingWhat);
      }
      if (step >= 0 && p.outcomes[step]!.outcome !== 'reject') return this.settle(step, si, line, version);
      // A reject (its reason may quote the record's values) or an overflow: the interpreter.
    }

    const values = this.values;
    for (let i = 0; i < values.length; i++) values[i] = d.value(i);
    const interp = this.recordInterpreter;
    const step = interp.run(values, this.subjects.context(si), year, version);
    if (step >= 0) return this.settle(step, si, line, version);
    if (step === RecordStep.Missing) return this.rejectMissing(line, interp.missingRule, interp.missingCites, interp.missingWhat, interp.missingOutOfRange);
    this.commit(si, scope, interp);
    this.subjects.evaluated[si]!++;
    this.cycleCounts?.count(si, this.rowCycle, false);
    counts.evaluated++;
    this.rowOutcome = RowOutcome.Counted;
    this.rowRule = undefined;
  }

  /**
   * A record of the traced subject: run by the tracer's interpreter (the program compiled with a
   * trace sink), counted exactly as any other, and the tracer told what became of it.
   */
  private evaluateTraced(si: number, line: number, year: number, scope: number, version: number): void {
    const t = this.tracer!;
    const d = this.recordDecoder;
    const values = this.values;
    for (let i = 0; i < values.length; i++) values[i] = d.value(i);
    t.begin(line, values, version, this.cycleCounts ? this.rowCycle : undefined);
    const interp = t.interpreter;
    const step = interp.run(values, this.subjects.context(si), year, version);
    this.tracing = true;
    try {
      if (step >= 0) {
        const o = this.program.outcomes[step]!;
        if (o.outcome === 'reject') this.tracedRule = step;
        this.settle(step, si, line, version, interp);
        if (o.outcome !== 'reject') t.settled(line, { kind: o.outcome === 'exclude' ? 'out_of_scope' : 'disregarded', rule: step, reason: interp.reason });
        return;
      }
      if (step === RecordStep.Missing) return this.rejectMissing(line, interp.missingRule, interp.missingCites, interp.missingWhat, interp.missingOutOfRange);
      this.commit(si, scope, interp);
      this.subjects.evaluated[si]!++;
      this.cycleCounts?.count(si, this.rowCycle, false);
      this.records.evaluated++;
      t.settled(line, { kind: 'counted', scope });
    } finally {
      this.tracing = false;
      this.tracedRule = undefined;
    }
  }

  /** What outcome rule `step` does to the record just read (its reason from `interp`). */
  private settle(step: number, si: number, line: number, version: number, interp: RecordInterpreter = this.recordInterpreter): void {
    const p = this.program;
    const counts = this.records;
    const o = p.outcomes[step]!;
    switch (o.outcome) {
      case 'reject':
        return this.reject('records', counts, line, this.recordDecoder.textOf(p.recordKey), interp.reason, o.id, o.cites, version);
      case 'exclude':
        this.rowOutcome = RowOutcome.OutOfScope;
        this.rowRule = o.id;
        counts.outOfScope++;
        bump(counts.outOfScopeBy, o.id);
        return;
      case 'disregard':
        this.rowOutcome = RowOutcome.Disregarded;
        this.rowRule = o.id;
        counts.evaluated++;
        bump(counts.disregardedBy, o.id);
        this.subjects.evaluated[si]!++;
        this.subjects.disregarded[si]!++;
        this.cycleCounts?.count(si, this.rowCycle, true);
        return;
    }
  }

  /** Rejects the record just read, of a subject whose own row was rejected. */
  private rejectForSubject(si: number, line: number): void {
    const p = this.program;
    const key = p.policy.subject.key;
    const at = this.subjects.rejectedOn[si]!;
    if (si === this.tracedIndex) this.tracing = true; // the explanation lists the row, rejected
    const reason = `${key} ${this.subjects.ids[si]!} 在 ${p.policy.subject.collection} 文件第 ${at} 行的记录被拒绝，其记录无法评估 / `
      + `the row of ${key} ${this.subjects.ids[si]!} in the ${p.policy.subject.collection} file (line ${at}) was rejected, so their records cannot be evaluated`;
    this.reject('records', this.records, line, this.recordDecoder.textOf(p.recordKey), reason, key, []);
  }

  /**
   * Rejects the record just read, of a subject whose own cycle cannot be placed: not in the
   * subjects file, or without the date the cycle is counted from (a date that is no date
   * rejected the subject's row already: rejectForSubject).
   */
  private rejectForWindow(si: number, line: number): void {
    const p = this.program;
    const key = p.policy.subject.key;
    const field = p.policy.cycle.perSubject!.field;
    const id = this.subjects.ids[si]!;
    const reason = this.subjects.listed(si)
      ? `${key} ${id} 没有 ${field}（或由此推算的周期超出 0000–9999 年），无法确定其周期 / ${key} ${id} has no ${field} (or the cycle counted from it leaves the years 0000–9999), so their cycle cannot be placed`
      : `${key} ${id} 不在 ${p.policy.subject.collection} 文件中，无法确定其周期（按 ${field} 计）/ ${key} ${id} is not in the ${p.policy.subject.collection} file, so their cycle (counted from ${field}) cannot be placed`;
    if (si === this.tracedIndex) this.tracing = true;
    this.reject('records', this.records, line, this.recordDecoder.textOf(p.recordKey), reason, field, p.subjectFields[p.cycleField!]!.decl.cites);
  }

  /** The record just read lies outside its subject's own cycle (or a repeating cycle's span): out of scope, counted under `cycle`. */
  private outsideWindow(si: number, line: number): void {
    this.rowOutcome = RowOutcome.OutOfScope;
    this.rowRule = OUTSIDE_CYCLE;
    this.records.outOfScope++;
    bump(this.records.outOfScopeBy, OUTSIDE_CYCLE);
    if (si === this.tracedIndex) {
      // A repeating cycle's explanation shows the row as read: its key, its date, its fields (a
      // single cycle's explanation is left as it was).
      if (this.cycleCounts) {
        const d = this.recordDecoder;
        for (let i = 0; i < this.values.length; i++) this.values[i] = d.value(i);
        this.tracer!.begin(line, this.values, recordVersion(this.program.timeline, d.code[this.program.periodField]!));
      }
      this.tracer!.settled(line, { kind: 'outside_cycle' });
    }
  }

  /** Rejects the record just read: `rule` needed `what`, which it lacks. */
  private rejectMissing(line: number, rule: string, ruleCites: readonly string[], what: string, outOfRange = false): void {
    const p = this.program;
    const field = p.recordFields.find((x) => x.decl.id === what)?.decl;
    const reason = outOfRange
      ? `${what} 超出 0000-01-01–9999-12-31（${rule}）/ ${what} falls outside 0000-01-01–9999-12-31, in ${rule}`
      : `缺少 ${what}（${rule} 需要）/ missing ${what}, needed by ${rule}`;
    this.reject('records', this.records, line, this.recordDecoder.textOf(p.recordKey), reason, rule, ruleCites.length > 0 ? ruleCites : (field?.cites ?? []));
  }

  /** The scope of a record dated in `year`: its period's, or the one outside the periods. */
  private scopeOf(year: number): number {
    return year >= this.firstPeriod && year <= this.lastPeriod ? year - this.firstPeriod : this.program.periods.length;
  }

  /** Adds the record's contributions (as `interp` worked them out) to the totals of `scope`: its period's, or those outside the periods. */
  private commit(si: number, scope: number, interp: RecordInterpreter): void {
    const { contribution, groupAt } = interp;
    const aggregates = this.program.aggregates;
    const added = this.rowAdded;
    if (added) added.slot.fill(-1);
    for (let i = 0; i < aggregates.length; i++) {
      const c = contribution[i];
      if (c === undefined) continue;
      if (aggregates[i]!.distinct !== undefined) {
        this.distinct.add(si, scope, i, interp.distinctValue[i]);
        continue;
      }
      let slot = this.layout.first[i]!;
      if (aggregates[i]!.positions !== undefined) {
        const at = groupAt[i];
        if (at === undefined) continue; // no group to add to: it still counts elsewhere
        slot += at;
      }
      this.totals.addDecimal(si, scope, slot, c);
      if (added && !c.isZero()) {
        // As the generated code leaves it, or the exact value when it is beyond that form.
        added.slot[i] = slot;
        const m = c.safeMantissa;
        added.big[i] = m === undefined ? c : undefined;
        added.m[i] = m ?? 0;
        added.s[i] = c.scale;
      }
    }
  }

  /** The values distinct counts have met (see CompiledAggregate.distinct), by both paths. */
  private readonly distinct = new DistinctValues();

  // ── Results ─────────────────────────────────────────────────────────────────────────────────

  /**
   * The results, subjects worked out one at a time in id order as they are read. No row may be
   * added afterwards. With `transient`, a subject's result is valid only until the next one is
   * asked for (its numbers' memory is reused): for a reader that writes each one out as it comes.
   */
  results(options: { readonly transient?: boolean } = {}): ResultStream {
    const s = this.subjects;
    const order: number[] = [];
    for (let i = 0; i < s.size; i++) if ((s.listed(i) && s.outside[i] === 0) || s.evaluated[i]! > 0) order.push(i);
    order.sort((a, b) => (s.ids[a]! < s.ids[b]! ? -1 : s.ids[a]! > s.ids[b]! ? 1 : 0));
    const finisher = new SubjectInterpreter(this.program);
    const self = this;
    const cycles = this.program.cycles;
    return {
      program: this.program,
      rejected: this.rejected,
      records: this.records,
      subjectRows: this.subjectRows,
      subjectCount: !cycles ? order.length : cycleResultCount(order, cycles.length, (i) => this.program.cycleField === undefined || this.windows[i] !== undefined),
      subjects: () => self.finishing.results(finisher, order, options.transient === true),
    };
  }

  /** Checks every subject's requirements and returns all the results, subjects in id order. */
  finish(): EvaluationResult {
    const r = this.results();
    return { program: r.program, subjects: [...r.subjects()], rejected: r.rejected, records: r.records, subjectRows: r.subjectRows };
  }

  /**
   * A repeating cycle's results for subject `id`, one per cycle in order, worked out by
   * `finisher` (an explanation's: a traced program's, told of every check); undefined without
   * repetition, or when no row named them.
   */
  subjectCycles(id: string, finisher: SubjectInterpreter): SubjectResult[] | undefined {
    const i = this.subjectIndex(id);
    if (!this.program.cycles || i < 0) return undefined;
    // Interpreted, by `finisher`: its listener (the explainer's) hears each scope as it is worked out.
    return this.finishing.cycles(finisher, i, true);
  }

  /** Every subject met so far (in the subjects file or in a record that could be decoded), in order of appearance. */
  subjectIds(): readonly string[] {
    return this.subjects.ids;
  }

  /** What is known of subject `id`, or undefined if no row named them (after every row is added). */
  subjectState(id: string): SubjectState | undefined {
    const i = this.subjectIndex(id);
    if (i < 0) return undefined;
    const p = this.program;
    const s = this.subjects;
    return {
      listed: s.listed(i), outside: s.outside[i] === 1, fields: s.fieldsOf(i), evaluated: s.evaluated[i]!, disregarded: s.disregarded[i]!,
      context: s.context(i),
      periodTotals: p.periods.map((_, k) => this.finishing.scopeTotals(i, [k])),
      cycleTotals: this.finishing.scopeTotals(i, p.periods.map((_, k) => k).concat(p.periods.length)),
      totalsOver: (places) => this.finishing.scopeTotals(i, places),
      ...(p.cycleField === undefined ? {} : { cycle: { window: this.windows[i], field: p.policy.cycle.perSubject!.field } }),
    };
  }

  /**
   * Subject `id`'s results as the report gives them (through the generated code where it runs),
   * or undefined when the report has none for them.
   */
  subjectResult(id: string): SubjectResult | undefined {
    const i = this.subjectIndex(id);
    const s = this.subjects;
    if (i < 0 || !((s.listed(i) && s.outside[i] === 0) || s.evaluated[i]! > 0)) return undefined;
    // A repeating cycle's subject has one result per cycle: this is its last cycle's.
    if (this.program.cycles) return this.finishing.cycles(new SubjectInterpreter(this.program), i).at(-1);
    return this.finishing.subject(new SubjectInterpreter(this.program), i);
  }

  private subjectIndex(id: string): number {
    if (id === this.tracer?.subject) return this.tracedIndex;
    return this.subjects.ids.indexOf(id);
  }

}

/** Evaluates whole inputs at once: subjects (optional) then records. */
export function evaluate(program: Program, records: Iterable<InputEvent>, subjects: Iterable<InputEvent> = [], options: EvaluationOptions = {}): EvaluationResult {
  const e = new Evaluation(program, options);
  for (const s of subjects) e.addSubject(s);
  for (const r of records) e.addRecord(r);
  return e.finish();
}
