// The reading half of the comparison programs (naive.ts, jsonlogic.ts): what a programmer writes
// in an afternoon without guize. The whole file is one string, split on '\n', each line split on
// ','; every row becomes a plain object keyed by the header's names; numbers are JavaScript
// numbers. No RFC 4180: a quoted field holding a comma shifts every later column of its row (the
// row then usually fails a field check), a quoted line break splits the row in two, and quotes
// stay part of the value. (A UTF-8 BOM is harmless only by luck: trim() counts U+FEFF as space.)
// Both programs share this reader so that what differs between them is only how the rules run.
//
// Nothing here imports guize: these files stand for programs written without it.

import { readFileSync, writeFileSync } from 'node:fs';

/** One data row of a CSV file: its 1-based line number and its cells by column name (trimmed). */
export interface CsvRow {
  readonly line: number;
  readonly cells: Record<string, string>;
}

/**
 * Splits CSV text into rows: the first line is the header, blank lines are skipped, cells are
 * trimmed (which also drops the '\r' of CRLF files). A row shorter than the header gets '' for the
 * missing cells; extra cells are ignored. Rows are made one at a time as the caller loops (the
 * lines of the file are all in memory, as split('\n') makes them, but not a million row objects).
 */
export function* splitCsv(text: string): Generator<CsvRow> {
  const lines = text.split('\n');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const parts = line.split(',');
    const cells: Record<string, string> = {};
    for (let c = 0; c < header.length; c++) cells[header[c]!] = (parts[c] ?? '').trim();
    yield { line: i + 1, cells };
  }
}

// ── Typed records ────────────────────────────────────────────────────────────────────────────

/** The enum fields' values (shared/DATA.md). */
export const KINDS = ['training', 'teaching', 'induction'] as const;
export const LEVELS = ['national', 'province', 'city', 'county', 'school'] as const;
export const FORMATS = ['short_term', 'online', 'school_based'] as const;
export const MODULES = ['ethics', 'knowledge', 'ability', 'class_management', 'mental_health', 'school_based'] as const;
export const STATUSES = ['ok', 'void', 'ineffective'] as const;

/** One value of an enum field. */
export type Kind = (typeof KINDS)[number];
export type Level = (typeof LEVELS)[number];
export type Format = (typeof FORMATS)[number];
export type Module = (typeof MODULES)[number];
export type Status = (typeof STATUSES)[number];

/** A record with typed values; `null` is an empty (missing) optional field. */
export interface TrainingRecord {
  record_id: string;
  teacher_id: string;
  /** YYYY-MM-DD: ISO dates compare correctly as strings. */
  date: string;
  year: number;
  kind: Kind;
  level: Level | null;
  format: Format | null;
  module: Module | null;
  elective: boolean | null;
  days: number | null;
  hours: number | null;
  practical_hours: number | null;
  rate: number | null;
  score: number | null;
  in_system: boolean;
  status: Status;
}

/** A record that does not fit: the first bad field (the rule it is counted under) and every problem. */
export interface FieldProblem {
  readonly field: string;
  readonly reason: string;
}

/** Whether `s` is a real calendar date written YYYY-MM-DD. */
export function isDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  // Date rolls 2017-02-30 over to 2017-03-02; a real date survives the round trip.
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * The same date a year later (exclusive end of a first year of service); 29 February gives
 * 28 February, as the policy's add_years does.
 */
export function addYear(date: string): string {
  const y = Number(date.slice(0, 4)) + 1;
  const md = date.slice(5);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return `${String(y).padStart(4, '0')}-${md === '02-29' && !leap ? '02-28' : md}`;
}

/**
 * Reads a record's cells as typed values, or lists what does not fit (unknown enum value, not a
 * number, negative, score over 100, not a date, required field missing). `Number()` accepts a
 * little more than the engine does ("0x10", "1e400" → Infinity is refused, "0x10" is 16), and
 * there is no 10^15 sanity bound: those are the naive reader's differences on messy data.
 */
export function readRecord(c: Record<string, string>): TrainingRecord | FieldProblem[] {
  const problems: FieldProblem[] = [];
  const bad = (field: string, reason: string): null => {
    problems.push({ field, reason });
    return null;
  };
  const text = (f: string): string => {
    const v = c[f] ?? '';
    if (v === '') bad(f, `required field ${f} is missing`);
    return v;
  };
  function oneOf<T extends string>(f: string, values: readonly T[], required: boolean): T | null {
    const v = c[f] ?? '';
    if (v === '') return required ? bad(f, `required field ${f} is missing`) : null;
    return (values as readonly string[]).includes(v) ? (v as T) : bad(f, `${f}: '${v}' is not one of ${values.join(', ')}`);
  }
  const bool = (f: string, required: boolean): boolean | null => {
    const v = c[f] ?? '';
    if (v === 'true') return true;
    if (v === 'false') return false;
    if (v === '') return required ? bad(f, `required field ${f} is missing`) : null;
    return bad(f, `${f}: '${v}' is not true or false`);
  };
  const num = (f: string, max?: number): number | null => {
    const v = c[f] ?? '';
    if (v === '') return null;
    const n = Number(v);
    if (!Number.isFinite(n)) return bad(f, `${f}: '${v}' is not a number`);
    if (n < 0 || (max !== undefined && n > max)) return bad(f, `${f}: ${v} is outside 0–${max ?? '…'}`);
    return n;
  };
  const record_id = text('record_id');
  const teacher_id = text('teacher_id');
  const date = c.date ?? '';
  if (date === '') bad('date', 'required field date is missing');
  else if (!isDate(date)) bad('date', `date: '${date}' is not a date (YYYY-MM-DD)`);
  const kind = oneOf('kind', KINDS, true);
  const level = oneOf('level', LEVELS, false);
  const format = oneOf('format', FORMATS, false);
  const module = oneOf('module', MODULES, false);
  const elective = bool('elective', false);
  const days = num('days');
  const hours = num('hours');
  const practical_hours = num('practical_hours');
  const rate = num('rate');
  const score = num('score', 100);
  const in_system = bool('in_system', true);
  const status = oneOf('status', STATUSES, true);
  if (problems.length > 0) return problems;
  return {
    record_id, teacher_id, date, year: Number(date.slice(0, 4)), kind: kind!, level, format, module, elective,
    days, hours, practical_hours, rate, score, in_system: in_system!, status: status!,
  };
}

// ── The teachers file ────────────────────────────────────────────────────────────────────────

/** What the teachers file says of a teacher. */
export interface TeacherFacts {
  school_id: string | null;
  county_id: string | null;
  /** YYYY-MM-DD, or null when not a recent hire. */
  hired_on: string | null;
  /** The day after the first year of service (exclusive), when hired_on is given. */
  first_year_until: string | null;
}

/** A row of either file that was rejected, as the report lists it. */
export interface RejectedRow {
  record_id?: string | null;
  teacher_id?: string | null;
  file: 'records' | 'teachers';
  line: number;
  reason: string;
  rule: string;
}

/** The teachers file read: facts by teacher id (the first row with an id wins), and rows refused. */
export interface TeachersFile {
  readonly facts: Map<string, TeacherFacts>;
  readonly rejected: RejectedRow[];
  readonly rowsRead: number;
}

/** Reads the teachers file (`teacher_id, school_id, county_id, hired_on`). */
export function readTeachers(text: string): TeachersFile {
  const facts = new Map<string, TeacherFacts>();
  const firstLine = new Map<string, number>();
  const rejected: RejectedRow[] = [];
  let rowsRead = 0;
  for (const { line, cells } of text === '' ? [] : splitCsv(text)) {
    rowsRead++;
    const id = cells.teacher_id ?? '';
    const hired = cells.hired_on ?? '';
    const first = firstLine.get(id);
    if (id !== '' && first !== undefined) {
      rejected.push({ teacher_id: id, file: 'teachers', line, reason: `duplicate teacher_id (first on line ${first})`, rule: 'teacher_id' });
      continue;
    }
    if (id !== '') firstLine.set(id, line);
    if (id === '') {
      rejected.push({ teacher_id: null, file: 'teachers', line, reason: 'required field teacher_id is missing', rule: 'teacher_id' });
      continue;
    }
    if (hired !== '' && !isDate(hired)) {
      rejected.push({ teacher_id: id, file: 'teachers', line, reason: `hired_on: '${hired}' is not a date (YYYY-MM-DD)`, rule: 'hired_on' });
      continue;
    }
    facts.set(id, {
      school_id: cells.school_id || null,
      county_id: cells.county_id || null,
      hired_on: hired || null,
      first_year_until: hired ? addYear(hired) : null,
    });
  }
  return { facts, rejected, rowsRead };
}

// ── The command line ─────────────────────────────────────────────────────────────────────────

/**
 * The command line both programs share: `--records FILE --teachers FILE --out FILE` (teachers
 * optional; without --out the report goes to standard output). Reads both files whole, runs, and
 * writes the report with one `JSON.stringify`.
 */
export function cli(name: string, run: (records: string, teachers: string) => unknown, argv: readonly string[] = process.argv.slice(2)): void {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) args.set(argv[i]!, argv[i + 1] ?? '');
  const records = args.get('--records');
  if (!records || [...args.keys()].some((k) => !['--records', '--teachers', '--out'].includes(k))) {
    process.stderr.write(`usage: node dist/${name}.mjs --records FILE [--teachers FILE] [--out FILE]\n`);
    process.exit(2);
  }
  const teachers = args.get('--teachers');
  const report = run(readFileSync(records, 'utf8'), teachers ? readFileSync(teachers, 'utf8') : '');
  const json = `${JSON.stringify(report)}\n`;
  const out = args.get('--out');
  if (out) writeFileSync(out, json);
  else process.stdout.write(json);
}
