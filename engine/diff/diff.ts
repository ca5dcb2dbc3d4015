// `guize diff`, the engine's part: two policies (or two versions of one) evaluated over the same
// records in one pass, then compared — subjects, requirements, measures, groups and record rows.
// Pure (no I/O): the CLI feeds the files, the editor's change view can feed text.

import type { Program } from '../compile.ts';
import { Evaluation } from '../evaluate.ts';
import type { CsvSink } from '../input/csv-scan.ts';
import type { InputEvent } from '../input/index.ts';
import { countsJson } from '../report.ts';
import type { ResultStream } from '../results.ts';
import type { DiffJson, DiffSide, SideRows } from './diff-json.ts';
import { RecordComparison, teeSink } from './record-diff.ts';
import { diffSubjects } from './subject-diff.ts';
import { writeDiffJson } from './diff-writer.ts';
import { JsonWriter } from '../output/json-writer.ts';

/** The members of a changed subject besides its key. */
const CHANGED_MEMBERS = new Set(['transition', 'base', 'head', 'measures', 'groups']);
/** Bytes per chunk of the changed list. */
const CHUNK = 1 << 20;

/**
 * The subject fields a diff counts by group when none are named: every text field of the
 * subject but its key (for Lincang, `school_id` and `county_id`), in the policy's order.
 */
export function defaultGroupFields(program: Program): string[] {
  const key = program.policy.subject.key;
  return program.policy.subject.fields.filter((f) => f.type === 'text' && f.id !== key).map((f) => f.id);
}

/** How a diff runs. */
export interface DiffOptions {
  /** Subject fields to count by group (default: {@link defaultGroupFields} of head). */
  readonly groupBy?: readonly string[];
  /** Run both sides interpreted (tests compare the paths). */
  readonly interpret?: boolean;
  /** Both sides' generated code kept for the next diff (EvaluationOptions.reuseCode: the editor's change pane). */
  readonly reuseCode?: boolean;
}

/**
 * A diff under way. Feed the subjects file (if any), then the records — byte rows through the
 * sinks, or text rows — exactly once, then {@link finish}. Each row goes to both sides.
 */
export class Diff {
  readonly base: Evaluation;
  readonly head: Evaluation;
  private readonly rows: RecordComparison;
  private subjectsGiven = false;

  constructor(
    readonly baseProgram: Program,
    readonly headProgram: Program,
    private readonly options: DiffOptions = {},
  ) {
    const o = { observeRows: true, ...(options.interpret ? { interpret: true } : {}), ...(options.reuseCode ? { reuseCode: true } : {}) };
    this.base = new Evaluation(baseProgram, o);
    this.head = new Evaluation(headProgram, o);
    this.rows = new RecordComparison(this.base, this.head, baseProgram, headProgram);
  }

  /** The group fields in use: none without a subjects file. */
  get groupBy(): readonly string[] {
    if (!this.subjectsGiven) return [];
    // Each field once: a field named twice would be counted twice.
    return [...new Set(this.options.groupBy ?? defaultGroupFields(this.headProgram))];
  }

  /**
   * A sink for the byte scanner reading the records file: both sides' sinks, and a comparison
   * after each row. `onHeader` is called with each side's program (either may throw to stop).
   */
  recordSink(onHeader: (side: 'base' | 'head', columns: readonly string[]) => void, onWarning: (line: number, reason: string) => void): CsvSink {
    return teeSink(
      this.base.recordSink((c) => onHeader('base', c), onWarning),
      this.head.recordSink((c) => onHeader('head', c), onWarning),
      () => this.rows.compare(),
      { a: this.base, b: this.head },
    );
  }

  /** A sink for the byte scanner reading the subjects file. */
  subjectSink(onHeader: (side: 'base' | 'head', columns: readonly string[]) => void, onWarning: (line: number, reason: string) => void): CsvSink {
    this.subjectsGiven = true;
    return teeSink(
      this.base.subjectSink((c) => onHeader('base', c), onWarning),
      this.head.subjectSink((c) => onHeader('head', c), onWarning),
      () => {},
    );
  }

  /** One text row of the records file (NDJSON). */
  addRecord(event: InputEvent): void {
    this.base.addRecord(event);
    this.head.addRecord(event);
    if (event.kind !== 'error' || !event.header) this.rows.compare();
  }

  /** One text row of the subjects file (NDJSON). */
  addSubject(event: InputEvent): void {
    this.subjectsGiven = true;
    this.base.addSubject(event);
    this.head.addSubject(event);
  }

  /** Works out both sides' subjects and compares them: the whole document. */
  finish(base: DiffSide, head: DiffSide): DiffJson {
    return this.document(base, head, undefined);
  }

  /**
   * Works out and compares both sides' subjects, and writes the document as JSON: byte for byte
   * `JSON.stringify(finish(…))` (or with 2-space indent), without a final line feed. Compact, the
   * changed subjects — which may be every subject of a province — go to bytes as the merge finds
   * them, never objects; the members before them, known only after the merge, are written first
   * all the same (the list waits in chunks of bytes). Returns the document's summary.
   */
  writeJson(base: DiffSide, head: DiffSide, w: JsonWriter): DiffJson['summary'] {
    // A subject key named as another member of a changed subject would be overwritten in the object.
    if (w.indented || CHANGED_MEMBERS.has(this.baseProgram.policy.subject.key)) {
      const doc = this.finish(base, head);
      writeDiffJson(doc, w);
      return doc.summary;
    }
    const chunks: Uint8Array[] = [];
    const list = new JsonWriter((bytes) => chunks.push(bytes.slice()), false, CHUNK);
    list.beginArray();
    const doc = this.document(base, head, list);
    list.endArray();
    list.flush();
    writeDiffJson(doc, w, chunks);
    return doc.summary;
  }

  private document(base: DiffSide, head: DiffSide, stream: JsonWriter | undefined): DiffJson {
    // The merge is done with each side's result before it asks that side for the next (what it
    // keeps of a subject is its own): each side's results reuse their memory.
    const rb = this.base.results({ transient: true });
    const rh = this.head.results({ transient: true });
    const s = diffSubjects(rb, rh, this.groupBy, stream);
    return {
      subject_key: this.baseProgram.policy.subject.key,
      base, head,
      summary: s.summary,
      rows: { base: sideRows(rb, this.subjectsGiven), head: sideRows(rh, this.subjectsGiven) },
      records: this.rows.json(),
      changed: s.changed,
      by_rule: s.by_rule,
      measures: s.measures,
      by_group: s.by_group,
    };
  }
}

/** One side's row accounting: the records file as eval's summary, and the subjects file's. */
function sideRows(r: ResultStream, subjects: boolean): SideRows {
  const p = r.program.policy;
  return {
    ...countsJson(r.records),
    [p.subject.collection]: r.subjectCount,
    ...(subjects ? {
      [`${p.subject.collection}_file`]: {
        rows_read: r.subjectRows.read, accepted: r.subjectRows.evaluated, rejected: r.subjectRows.rejected,
        ...(p.subjectScope ? { out_of_scope: r.subjectRows.outOfScope } : {}),
      },
    } : {}),
  };
}

/** A side as the document names it: the policy's id and document, the version pinned, what the user wrote. */
export function diffSide(program: Program, version: string | undefined, source: string): DiffSide {
  const p = program.policy;
  return { id: p.id, version: version ?? null, document: p.document || null, source };
}
