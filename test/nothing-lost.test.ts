// Property tests: whatever the records look like, the engine never crashes and never loses a row.
// Every data row is accounted for exactly once (evaluated, rejected or out of scope), every
// rejection points at the line its row starts on, and the results depend neither on how the
// text is chunked nor on the order of the records.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsv } from '../cli/csv-format.ts';
import { formatTable } from '../cli/table-format.ts';
import { createCsvReader, evaluate, reportJson, type EvaluationResult, type InputEvent } from '../engine/index.ts';
import { RECORD_COLUMNS, lincang, type ReportJson } from './support/lincang.ts';

const program = lincang();
/** Runs per property; raise with GUIZE_PROPERTY_RUNS=5000 for a longer hunt. */
const RUNS = { numRuns: Number(process.env.GUIZE_PROPERTY_RUNS ?? 150) };

type Row = Record<string, string>;
const TEACHER_COLUMNS = ['teacher_id', 'school_id', 'county_id', 'hired_on'];

// ---- generators ----------------------------------------------------------------------------------

const TEACHERS = ['T1', 'T2', 'T3', 'T4'];
const ymd = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const date = fc.tuple(fc.integer({ min: 2014, max: 2022 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => ymd(y, m, d));
/** A non-negative decimal with up to 2 places, as text ("0", "1.5", "12.25"). */
const dec = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((n) => String(n / 100));

/** A record whose every field is well formed, but whose fields need not fit its kind. */
const loose = fc.record({
  record_id: fc.nat(30).map((n) => `R${n}`), // small pool: duplicates are common
  teacher_id: fc.constantFrom(...TEACHERS),
  date,
  kind: fc.constantFrom('training', 'training', 'training', 'teaching', 'induction'),
  level: fc.constantFrom('national', 'province', 'city', 'county', 'school', ''),
  format: fc.constantFrom('short_term', 'online', 'school_based', ''),
  module: fc.constantFrom('ethics', 'knowledge', 'ability', 'class_management', 'mental_health', 'school_based', ''),
  elective: fc.constantFrom('true', 'false', 'TRUE', ''),
  days: fc.oneof(fc.constant(''), dec(5)),
  hours: fc.oneof(fc.constant(''), dec(40)),
  practical_hours: fc.oneof(fc.constant(''), dec(40)),
  rate: fc.oneof(fc.constant(''), dec(3)),
  score: fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 1000 }).map((n) => String(n / 10))),
  in_system: fc.constantFrom('true', 'true', 'true', 'false'),
  status: fc.constantFrom('ok', 'ok', 'ok', 'void', 'ineffective'),
}) as fc.Arbitrary<Row>;

/** 第十条 rate ranges in hundredths of a credit per hour; online research is 0.5–1 at any level. */
const RATE_RANGE: Record<string, [number, number]> = {
  school: [50, 100], county: [100, 150], city: [100, 200], province: [100, 250], national: [100, 300], online: [50, 100],
};
const LEVELS = ['national', 'province', 'city', 'county', 'school'] as const;

/**
 * A record that fits its kind as DATA.md describes (every field a kind needs is given, rates in
 * range), so no rule may reject it: it is evaluated, or out of scope when dated outside the cycle.
 */
const coherent: fc.Arbitrary<Row> = fc
  .record({
    record_id: fc.nat(30).map((n) => `R${n}`),
    teacher_id: fc.constantFrom(...TEACHERS),
    date,
    kind: fc.constantFrom('training', 'training', 'training', 'teaching', 'induction'),
    level: fc.constantFrom(...LEVELS),
    format: fc.constantFrom('short_term', 'online', 'school_based'),
    module: fc.constantFrom('ethics', 'knowledge', 'ability', 'class_management', 'mental_health', 'school_based', ''),
    elective: fc.constantFrom('true', 'false'),
    amount: dec(40),
    days: dec(5),
    practical: dec(40),
    rateAt: fc.integer({ min: 0, max: 100 }),
    score: fc.integer({ min: 0, max: 1000 }).map((n) => String(n / 10)),
    in_system: fc.constantFrom('true', 'true', 'true', 'false'),
    status: fc.constantFrom('ok', 'ok', 'ok', 'void', 'ineffective'),
  })
  .map(({ amount, days, practical, rateAt, ...r }): Row => {
    const blank = { days: '', hours: '', practical_hours: '', rate: '', score: '' };
    if (r.kind === 'teaching') return { ...r, ...blank, format: '', elective: '', hours: amount };
    if (r.kind === 'induction') return { ...r, ...blank, level: '', format: '', module: '', hours: amount, practical_hours: practical };
    const [lo, hi] = RATE_RANGE[r.format === 'online' ? 'online' : r.level]!;
    const rate = String((lo + Math.round(((hi - lo) * rateAt) / 100)) / 100);
    return r.format === 'short_term' ? { ...r, ...blank, days, rate, score: r.score } : { ...r, ...blank, hours: amount, rate, score: r.score };
  });

const wellFormed = fc.oneof(loose, coherent);

/** Text no field should accept, or only barely: huge, negative, non-ASCII, impossible dates, CSV specials. */
const garbage: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constant(''),
  fc.constantFrom(
    '1e999', '-1e999', '1e1001', '1e-999', '-5', '-0', '+3', '.5', '5.', 'NaN', 'Infinity', '0x1F', '1,5', '１２', '٣',
    '2016-02-30', '2016-13-01', '2016-00-10', '0000-02-29', '9999-12-31', '2016/05/12', '20160612', ' 2017-01-01 ',
    'TRUE', 'yes', 'national ', 'Training', '"', '""', ',', '\n', '\r\n', '\r', '\uFEFF', ' ', '__proto__', 'constructor',
    '🙂', '学分', '\u0000',
  ),
  fc.double().map(String),
  fc.bigInt().map(String),
);

/** A well-formed record with up to four fields replaced by garbage. */
const messy = fc
  .tuple(wellFormed, fc.array(fc.tuple(fc.constantFrom(...RECORD_COLUMNS), garbage), { maxLength: 4 }))
  .map(([r, edits]) => ({ ...r, ...Object.fromEntries(edits) }));

const records = fc.array(fc.oneof({ weight: 3, arbitrary: wellFormed }, { weight: 2, arbitrary: messy }), { maxLength: 40 });

/** The teachers file: known ids (some twice), hire dates in and around the cycle, some garbage. */
const teachers = fc.array(
  fc.record({
    teacher_id: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TEACHERS, 'T5') }, { weight: 1, arbitrary: garbage }),
    school_id: fc.constantFrom('S1', ''),
    county_id: fc.constantFrom('C1', ''),
    hired_on: fc.oneof(fc.constant(''), date, garbage),
  }) as fc.Arbitrary<Row>,
  { maxLength: 6 },
);

// ---- rendering and evaluating ----------------------------------------------------------------

interface Rendered {
  text: string;
  /** The physical line each data row starts on, in row order. */
  starts: number[];
}

/** RFC 4180 CSV: a cell is quoted when it holds a comma, quote, CR or LF; rows joined by `eol`. */
function render(columns: readonly string[], rows: readonly Row[], eol = '\n', bom = false): Rendered {
  const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [columns.join(',')];
  const starts: number[] = [];
  let line = 2;
  for (const r of rows) {
    const text = columns.map((c) => cell(r[c] ?? '')).join(',');
    starts.push(line);
    line += (text.match(/\r\n|\r|\n/g)?.length ?? 0) + 1; // quoted line ends (LF, CRLF, lone CR) count as lines
    lines.push(text);
  }
  return { text: (bom ? '\uFEFF' : '') + lines.join(eol) + eol, starts };
}

/** Reads CSV text pushed in the given chunks. */
function read(chunks: readonly string[]): InputEvent[] {
  const reader = createCsvReader();
  return [...chunks.flatMap((c) => reader.push(c)), ...reader.end()];
}

/** Splits text at the given offsets (taken modulo its length + 1, any order). */
function split(text: string, cuts: readonly number[]): string[] {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const p of at) {
    out.push(text.slice(from, p));
    from = p;
  }
  return [...out, text.slice(from)];
}

function run(recordsText: string | string[], teachersText = ''): EvaluationResult {
  const chunks = typeof recordsText === 'string' ? [recordsText] : recordsText;
  return evaluate(program, read(chunks), teachersText ? read([teachersText]) : []);
}

const sum = (xs: Iterable<number>) => [...xs].reduce((a, b) => a + b, 0);

// ---- properties ----------------------------------------------------------------------------------

describe('nothing is lost: every row of messy input is accounted for', () => {
  it('never throws; rows read = evaluated + rejected + out of scope = data rows; rejections point at their rows', () => {
    fc.assert(
      fc.property(records, teachers, fc.boolean(), (rows, subjects, crlf) => {
        const recs = render(RECORD_COLUMNS, rows, crlf ? '\r\n' : '\n', crlf);
        const subs = render(TEACHER_COLUMNS, subjects);
        const r = run(recs.text, subjects.length > 0 ? subs.text : '');
        const c = r.records;

        expect(c.read).toBe(rows.length);
        expect(c.evaluated + c.rejected + c.outOfScope).toBe(c.read);
        expect(sum(c.rejectedBy.values())).toBe(c.rejected);
        expect(sum(c.outOfScopeBy.values())).toBe(c.outOfScope);
        expect(r.subjectRows.read).toBe(subjects.length);
        expect(r.subjectRows.evaluated + r.subjectRows.rejected).toBe(r.subjectRows.read);

        // Each rejection: the line its row starts on (in file order, once per row), the row's
        // own id, and a non-empty reason.
        const fromRecords = r.rejected.filter((x) => x.source === 'records');
        expect(fromRecords).toHaveLength(c.rejected);
        const rowAt = new Map(recs.starts.map((line, i) => [line, rows[i]!]));
        let previous = 1;
        for (const x of fromRecords) {
          expect(x.line).toBeGreaterThan(previous);
          previous = x.line;
          const row = rowAt.get(x.line);
          expect(row, `rejected line ${x.line} is not the start of a row`).toBeDefined();
          expect(x.key).toBe(row!.record_id!.trim() || undefined);
          expect(x.reason.trim()).not.toBe('');
        }
        const subjectLines = new Set(subs.starts);
        for (const x of r.rejected.filter((y) => y.source === 'subjects')) {
          expect(subjectLines.has(x.line)).toBe(true);
          expect(x.reason.trim()).not.toBe('');
        }

        // The rows not rejected (evaluated or out of scope) have distinct ids: a duplicate never counts twice.
        const rejectedLines = new Set(fromRecords.map((x) => x.line));
        const kept = rows.filter((_, i) => !rejectedLines.has(recs.starts[i]!)).map((row) => row.record_id!.trim());
        expect(new Set(kept).size).toBe(kept.length);

        // Per-teacher counts add up to the totals.
        expect(sum(r.subjects.map((s) => s.evaluated))).toBe(c.evaluated);
        expect(sum(r.subjects.map((s) => s.disregarded))).toBe(sum(c.disregardedBy.values()));
        for (const s of r.subjects) expect(s.compliant).toBe(s.violations.length === 0);

        // Reporting never crashes either, and the JSON summary says the same.
        const report = reportJson(r) as unknown as ReportJson;
        expect(JSON.parse(JSON.stringify(report)).summary).toMatchObject({
          rows_read: rows.length, evaluated: c.evaluated, rejected: c.rejected, out_of_scope: c.outOfScope,
        });
        expect(report.rejected).toHaveLength(r.rejected.length);
        expect(formatCsv(r).split('\n')).toHaveLength(r.subjects.length + 2);
        expect(formatTable(r)).toContain('汇总 Summary');
      }),
      RUNS,
    );
  });

  it('records that fit their kind are never rejected: evaluated, or out of scope exactly when dated outside 2016–2020', () => {
    const rows = fc.array(coherent, { maxLength: 40 }).map((rs) => rs.map((r, i): Row => ({ ...r, record_id: `C${i}` })));
    fc.assert(
      fc.property(rows, (rs) => {
        const r = run(render(RECORD_COLUMNS, rs).text);
        const year = (x: Row) => Number(x.date!.slice(0, 4));
        // No teachers file, so no one has a first year of service: induction outside the
        // cycle is out of scope like everything else.
        const outside = rs.filter((x) => year(x) < 2016 || year(x) > 2020);
        const inside = rs.filter((x) => !outside.includes(x));
        const counting = (x: Row) => x.in_system === 'true' && x.status === 'ok';
        expect(r.rejected.map((x) => `${x.key}: ${x.reason}`)).toEqual([]);
        expect([r.records.evaluated, r.records.outOfScope]).toEqual([inside.length, outside.length]);
        expect(sum(r.records.disregardedBy.values())).toBe(inside.filter((x) => !counting(x)).length);
      }),
      RUNS,
    );
  });

  it('the result does not depend on where the CSV text is cut into chunks (BOM, CRLF, quotes included)', () => {
    fc.assert(
      fc.property(records, fc.boolean(), fc.array(fc.nat(), { maxLength: 12 }), (rows, crlf, cuts) => {
        const { text } = render(RECORD_COLUMNS, rows, crlf ? '\r\n' : '\n', crlf);
        const whole = reportJson(run(text));
        const chunks = split(text, cuts);
        expect(chunks.join('')).toBe(text);
        expect(reportJson(run(chunks))).toEqual(whole);
        // The extreme: one character (UTF-16 unit) at a time.
        if (cuts.length === 0) expect(reportJson(run(text.split('')))).toEqual(whole);
      }),
      RUNS,
    );
  });

  it('shuffling well-formed records with distinct ids changes no teacher result and no count', () => {
    const distinct = fc
      .array(wellFormed, { maxLength: 40 })
      .map((rows) => rows.map((r, i): Row => ({ ...r, record_id: `R${i}` })))
      .chain((rows) => fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length })));
    fc.assert(
      fc.property(distinct, teachers, ([rows, shuffled], subjects) => {
        expect(shuffled).toHaveLength(rows.length);
        const subs = subjects.length > 0 ? render(TEACHER_COLUMNS, subjects).text : '';
        const a = reportJson(run(render(RECORD_COLUMNS, rows).text, subs)) as unknown as ReportJson;
        const b = reportJson(run(render(RECORD_COLUMNS, shuffled).text, subs)) as unknown as ReportJson;
        expect(b.teachers).toEqual(a.teachers);
        expect(b.summary).toEqual(a.summary);
        // The same records are rejected for the same reasons; only their lines move.
        const why = (x: ReportJson['rejected'][number]) => `${x.record_id} ${x.rule} ${x.reason}`;
        expect(b.rejected.map(why).sort()).toEqual(a.rejected.map(why).sort());
      }),
      RUNS,
    );
  });
});

describe('rejections of rows whose key is only white space', () => {
  // Regression: a key of U+FEFF alone trims to nothing; the rejection used to show a stale byte
  // range of an earlier row, decoded as U+FFFD.
  it('have no key', () => {
    const text = `${RECORD_COLUMNS.join(',')}\nR0,T1,2017-01-01,training,national,short_term,ethics,true,,1,,1,90,true,ok\n\uFEFF,T1,2017-01-01,training,national,short_term,ethics,true,0,,,1,0,true,ok\n\u3000,T1,2017-01-02,training,national,short_term,ethics,true,0,,,1,0,true,ok\n`;
    const r = run(text);
    expect(r.rejected.map((x) => [x.line, x.key, x.rule])).toEqual([[3, undefined, 'record_id'], [4, undefined, 'record_id']]);
  });
});
