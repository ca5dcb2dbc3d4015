// Oracle test: the hand-written byte-level baseline (bench/baseline) and the engine running
// policies/lincang/policy.yaml must give the same report, byte for byte:
// JSON.stringify(reportJson(evaluate(…))) + "\n". The two share no code, so agreement over the
// sample, generated data, deliberately malformed rows, odd CSV and edge-case arithmetic is
// evidence for both. A failure names the first teacher or row that differs.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBaseline, type BaselineOptions } from '../bench/baseline/baseline.ts';
import type { Program } from '../engine/index.ts';
import { generateSample } from './support/lincang-sample.ts';
import {
  bytes, engineReport, engineWarnings, firstDifference, messyRecords, MESSY_TEACHERS, requote, rng,
} from './support/baseline-inputs.ts';
import { lincang, RECORD_COLUMNS } from './support/lincang.ts';

const program: Program = lincang();
const decoder = new TextDecoder();

/**
 * Splits bytes into chunks of the given sizes (cycling), as a file read in pieces — each one
 * copied into the same reused buffer, as the CLI reads (so nothing may keep a chunk).
 */
function* chunked(b: Uint8Array, sizes: readonly number[]): Generator<Uint8Array> {
  const reused = new Uint8Array(Math.max(...sizes));
  let k = 0;
  for (let at = 0; at < b.length; k++) {
    const n = Math.min(sizes[k % sizes.length]!, b.length - at);
    reused.set(b.subarray(at, at + n));
    yield reused.subarray(0, n);
    at += n;
  }
}

/**
 * Asserts the baseline's report equals the engine's, byte for byte — in one chunk, and in the
 * other ways given (chunked, general path only) — and returns the engine's report, parsed.
 */
function expectSame(records: string | Uint8Array, teachers?: string | Uint8Array, variants: readonly BaselineOptions[] = [], sizes: readonly (readonly number[])[] = []): ReportShape {
  const rb = typeof records === 'string' ? bytes(records) : records;
  const tb = teachers === undefined ? undefined : typeof teachers === 'string' ? bytes(teachers) : teachers;
  const engine = engineReport(program, rb, tb);
  const runs: [string, string][] = [['one chunk', decoder.decode(runBaseline(rb, tb).output)]];
  for (const o of variants) runs.push([JSON.stringify(o), decoder.decode(runBaseline(rb, tb, o).output)]);
  for (const s of sizes) runs.push([`chunks of ${s.join('/')}`, decoder.decode(runBaseline(chunked(rb, s), tb && chunked(tb, s)).output)]);
  for (const [how, out] of runs) {
    const diff = firstDifference(engine, out);
    if (diff !== undefined) expect.fail(`${how}: ${diff}`);
  }
  return JSON.parse(engine) as ReportShape;
}

interface ReportShape {
  teachers: { teacher_id: string; compliant: boolean; violations: unknown[] }[];
  rejected: { rule: string | null }[];
  summary: { rows_read: number; evaluated: number; rejected: number; out_of_scope: number; disregarded: number; teachers: number };
}

const HEADER = RECORD_COLUMNS.join(',');
const TEACHERS_HEADER = 'teacher_id,school_id,county_id,hired_on';

describe('baseline and engine give the same bytes', () => {
  it('on the committed sample', () => {
    const dir = new URL('../policies/lincang/sample/', import.meta.url);
    const out = expectSame(readFileSync(new URL('records.csv', dir)), readFileSync(new URL('teachers.csv', dir)),
      [{ noFastPath: true }], [[4096], [1], [7, 13, 1000]]);
    // Not vacuous: both kinds of teacher, violations and rejections are present.
    expect(out.teachers.length).toBe(40);
    expect(out.teachers.some((t) => t.compliant) && out.teachers.some((t) => !t.compliant)).toBe(true);
    expect(out.summary.rejected).toBeGreaterThan(0);
  });

  for (const messy of [true, false]) {
    for (const [seed, teachers] of [[1, 1], [2, 13], [3, 26], [7, 120], [42, 300], [2024, 57]] as const) {
      it(`on a generated sample: seed ${seed}, ${teachers} teachers, messy ${messy}`, () => {
        const s = generateSample({ teachers, seed, messy });
        const out = expectSame(s.records, s.teachers, [], [[65536, 333]]);
        expect(out.teachers.length).toBe(teachers);
      });
    }
  }

  it('on records without a teachers file (no one is a new teacher)', () => {
    const s = generateSample({ teachers: 60, seed: 5, messy: true });
    expectSame(s.records, `${TEACHERS_HEADER}\n`);
    expectSame(s.records);
  });
});

describe('baseline and engine agree on malformed rows', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}`, () => {
      const out = expectSame(messyRecords(seed, 3000), MESSY_TEACHERS, [{ noFastPath: true }], [[977]]);
      expect(out.summary.evaluated).toBeGreaterThan(0);
    });
  }

  it('with a malformed header (a bad header is a warning, not a row)', () => {
    // An empty column name in the records, a repeated one in the teachers: both are dropped.
    const extraColumn = (text: string, name: string): string =>
      text.trimEnd().split('\n').map((l, i) => `${l},${i === 0 ? name : 'x'}`).join('\n') + '\n';
    const records = extraColumn(messyRecords(11, 500), '');
    const teachers = extraColumn(MESSY_TEACHERS, 'school_id');
    expectSame(records, teachers);
    const run = runBaseline(bytes(records), bytes(teachers));
    expect(run.warnings).toEqual([
      ...engineWarnings('teachers', bytes(teachers), ['teacher_id', 'school_id', 'county_id', 'hired_on']),
      ...engineWarnings('records', bytes(records), RECORD_COLUMNS),
    ]);
    expect(run.warnings.length).toBe(2);
  });

  // A dense in-cycle variant, so that sums get near the floors and some teachers are compliant.
  it('dense valid rows for a few teachers', () => {
    const valid = (row: Record<string, string>): void => {
      row['kind'] = ['training', 'training', 'training', 'teaching', 'induction'][Number(row['record_id']!.slice(1)) % 5] ?? 'training';
      row['in_system'] = 'true';
      row['status'] = 'ok';
      if (row['level'] === '' || row['level'] === 'provincial') row['level'] = 'county';
    };
    expectSame(messyRecords(99, 20000, valid), MESSY_TEACHERS, [{ noFastPath: true }]);
  });

  // The engine's regression: an induction record without `elective` counts towards induction hours.
  it('an induction record without elective counts towards induction hours', () => {
    const records = `${HEADER}\nR1,T2,2017-10-01,induction,county,,,,,130,70,,,true,ok\n`;
    const out = expectSame(records, `${TEACHERS_HEADER}\nT2,S1,C1,2017-09-01\n`);
    expect(out.summary.evaluated).toBe(1);
    expect(JSON.stringify(out.teachers[0]!.violations)).not.toContain('induction_total');
  });

  it('messy rows with quoting, CRLF and blank lines, read in every chunking', () => {
    for (const seed of [21, 22, 23]) {
      const records = requote(messyRecords(seed, 1500), seed);
      expectSame(records, requote(MESSY_TEACHERS, seed), [{ noFastPath: true }], [[1], [2, 3, 5], [4093]]);
    }
  });

  it('damaged quoting: unterminated quotes and text after a closing quote', () => {
    for (const seed of [31, 32, 33, 34]) {
      const records = requote(messyRecords(seed, 1500), seed, true);
      const out = expectSame(records, MESSY_TEACHERS, [{ noFastPath: true }], [[3, 1021]]);
      expect(out.summary.rows_read).toBeGreaterThan(0);
    }
  });
});

/** Records CSV from rows of cells in RECORD_COLUMNS order. */
function recordsCsv(rows: readonly (readonly (string | number)[])[], eol = '\n'): string {
  return [HEADER, ...rows.map((r) => r.join(','))].join(eol) + eol;
}

/** A training row: id, teacher, date, level, format, module, hours, rate, score (elective, ok). */
function tr(id: string, teacher: string, date: string, level: string, format: string, module: string, hours: string, rate: string, score: string, days = ''): string[] {
  return [id, teacher, date, 'training', level, format, module, 'true', days, hours, '', rate, score, 'true', 'ok'];
}

describe('exact arithmetic', () => {
  it('huge hours: totals beyond 2^53 continue exactly', () => {
    const rows: string[][] = [];
    for (let i = 0; i < 40; i++) {
      rows.push(tr(`R${i}`, 'T1', `201${6 + (i % 5)}-05-01`, 'county', 'online', 'ability', '999999999999999.9', '1', '95'));
      rows.push(tr(`Q${i}`, 'T1', `201${6 + (i % 5)}-06-01`, 'school', 'school_based', 'school_based', '0.01', '0.5', '60'));
    }
    rows.push(['X1', 'T2', '2018-01-01', 'teaching', 'national', '', 'ethics', '', '', '999999999999999.99', '', '', '', 'true', 'ok']);
    expectSame(recordsCsv(rows), undefined, [{ noFastPath: true }]);
  });

  it('many decimals, exponents and odd spellings of numbers', () => {
    const hours = ['1e1', '.5', ' 7.25 ', '5.', '0.000000000000000000000000000001', '1.23456789012345678901234567890', '12e-1',
      '1E+1', '+3', '0007.50', '1e-1000', '123456789012.345678', '99999999999999.99', '0.1', '0.2', '-0', '1e2'];
    const rates = ['1', '1.0', '1.25', '1.5000000000000000000001', '0.99999999999999999999', '1e0', '15e-1', '2.5'];
    const scores = ['60', '89.5', '89.99999999999999999999', '90', '100', '1e2', '59.999999999999999999999', '80.0'];
    const rows: string[][] = [];
    let n = 0;
    for (const h of hours) {
      for (const r of rates) {
        const s = scores[n % scores.length]!;
        rows.push(tr(`R${++n}`, `T${n % 3}`, `201${6 + (n % 5)}-03-0${1 + (n % 9)}`, ['county', 'city', 'province', 'national'][n % 4]!, 'online', ['ethics', 'knowledge', 'ability', 'class_management'][n % 4]!, h, r, s));
        rows.push(tr(`D${n}`, `T${n % 3}`, `201${6 + (n % 5)}-04-01`, 'county', 'short_term', 'knowledge', '', '1.25', s, h));
      }
    }
    expectSame(recordsCsv(rows), undefined, [{ noFastPath: true }]);
  });

  it('sums exactly on a floor (binary floating point would miss it) and shares on a rounding edge', () => {
    // 4.32 + 1.68 = 6 ethics credits exactly (0.6 × 6 h × 1.2 and 0.7 × 2 h × 1.2).
    const rows = [
      tr('A1', 'T1', '2017-05-01', 'county', 'online', 'ethics', '6', '0.6', '80'),
      tr('A2', 'T1', '2017-05-02', 'city', 'online', 'ethics', '2', '0.7', '80'),
      // 71.5 + 0.1 + 0.1 + 0.1 + 0.2 = 72 hours
      tr('B1', 'T2', '2018-01-01', 'county', 'online', 'ability', '71.5', '1', '95'),
      tr('B2', 'T2', '2018-01-02', 'county', 'online', 'ability', '0.1', '1', '95'),
      tr('B3', 'T2', '2018-01-03', 'county', 'online', 'ability', '0.1', '1', '95'),
      tr('B4', 'T2', '2018-01-04', 'county', 'online', 'ability', '0.1', '1', '95'),
      tr('B5', 'T2', '2018-01-05', 'county', 'online', 'ability', '0.2', '1', '95'),
    ];
    // Elective shares 1/3, 2/3, 0.005, 0.015, 0.125 … and a non-elective remainder.
    const share = (id: string, teacher: string, elective: string, other: string): string[][] => [
      [...tr(`${id}e`, teacher, '2019-02-01', 'county', 'online', 'knowledge', elective, '0.8', '60').slice(0, 15)],
      [...tr(`${id}m`, teacher, '2019-02-02', 'county', 'online', 'knowledge', other, '0.8', '60')].map((c, i) => (i === 7 ? 'false' : c)),
    ];
    const more = [
      ...share('S1', 'T3', '1', '2'), ...share('S2', 'T4', '2', '1'), ...share('S3', 'T5', '0.5', '99.5'),
      ...share('S4', 'T6', '1.5', '98.5'), ...share('S5', 'T7', '1', '7'), ...share('S6', 'T8', '0.0001', '0.0299'),
      ...share('S7', 'T9', '1', '0.0000000000000000000000000000000001'), ...share('S8', 'T10', '3', '999999999999997'),
    ];
    const out = expectSame(recordsCsv([...rows, ...more]));
    expect(out.teachers.length).toBe(10);
  });

  it('the elective share is the 34-digit quotient rounded again, as in the engine', () => {
    // Elective credits 1 (0.8 h × 1 × 1.25), other credits 199 + 1e-33: the true share is
    // 0.005 − 2.5e-38, below the half cent, but its 34-digit quotient is 0.005 exactly, which
    // rounds up: the engine shows 0.01 where exact rounding would show 0.
    const rows = [
      tr('E1', 'T1', '2019-03-01', 'county', 'online', 'ethics', '0.8', '1', '95'),
      tr('M1', 'T1', '2019-03-02', 'county', 'online', 'ethics', '159.2000000000000000000000000000000008', '1', '95').map((c, i) => (i === 7 ? 'false' : c)),
    ];
    const out = expectSame(recordsCsv(rows)) as unknown as { teachers: { elective_share: number }[] };
    expect(out.teachers[0]!.elective_share).toBe(0.01);
  });

  it('teaching credits, induction outside the cycle, hire dates on 29 February and in 9998, records in 9999', () => {
    const teach = (id: string, teacher: string, level: string, hours: string, module = ''): string[] =>
      [id, teacher, '2019-05-01', 'teaching', level, '', module, '', '', hours, '', '', '', 'true', 'ok'];
    const ind = (id: string, teacher: string, date: string, hours: string, practical: string): string[] =>
      [id, teacher, date, 'induction', '', '', '', '', '', hours, practical, '', '', 'true', 'ok'];
    const rows = [
      teach('T1a', 'T1', 'national', '12.5', 'ethics'), teach('T1b', 'T1', 'school', '40'), teach('T1c', 'T1', 'county', '0.25', 'mental_health'),
      ind('I1', 'N1', '2020-10-01', '100', '50'), ind('I2', 'N1', '2021-08-31', '30', ''), ind('I3', 'N1', '2021-09-01', '30', '30'),
      ind('I4', 'N2', '2017-02-28', '130', '70'), ind('I5', 'N2', '2017-03-01', '5', '5'), ind('I6', 'N3', '9999-12-31', '200', '100'),
      ind('I7', 'N4', '2015-10-01', '120', '60'), ind('I8', 'N4', '2016-02-01', '1', '1'),
      ind('I9', 'N6', '9999-12-31', '200', '100'),
    ];
    // N3 is hired in 9998, so add_years(hired_on, 1) is 9999-06-01 and I6 (9999-12-31) falls after
    // the first year. A hire in 9999 would put add_years past 9999-12-31, which now rejects the
    // record naming the call (test/dates.test.ts) where the baseline, and the engine before,
    // compared the text '10000-06-01' with dates: N6 is hired so, and the baseline rejects I9 too.
    const teachers = `${TEACHERS_HEADER}\nN1,S,C,2020-09-01\nN2,S,C,2016-02-29\nN3,S,C,9998-06-01\nN4,S,C,2015-09-01\nN5,,,2018-05-05\nN6,S,C,9999-06-01\n`;
    expectSame(recordsCsv(rows), teachers, [{ noFastPath: true }]);
  });
});

describe('CSV reading', () => {
  const good = tr('R1', 'T1', '2017-05-01', 'county', 'online', 'ethics', '12', '1', '95');

  it('quoted fields with commas, "" escapes and line breaks, CRLF, and a BOM', () => {
    const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
    const rows = [
      [q('R,1'), q('T "one"'), ...good.slice(2)],
      [q('R\n2'), q('T\r\n2'), q('2017-05-02'), ...good.slice(3).map(q)],
      ['R3', 'T1', '2017-05-03', 'training', 'county', 'online', 'ethics', q('true'), '', q(' 12 '), '', '1', '95', 'true', q('ok')],
      ['R4', 'T\\1', ...good.slice(2)],
      ['R5', '  T1\t', ...good.slice(2)],
    ];
    const text = recordsCsv(rows);
    expectSame(text, undefined, [{ noFastPath: true }], [[1], [5]]);
    expectSame(recordsCsv(rows, '\r\n'), undefined, [], [[1], [3]]);
    expectSame(`\uFEFF${text}`, `\uFEFF${TEACHERS_HEADER}\r\nT1,S,C,\r\n`, [], [[1], [2]]);
    // Two BOMs: the engine's CLI drops both (TextDecoder one, its CSV reader the other).
    expectSame(`\uFEFF\uFEFF${text}`, undefined, [], [[1]]);
  });

  it('bad quoting, wrong widths, blank and whitespace lines, a last line without a line break', () => {
    const line = good.join(',');
    const cases = [
      `${HEADER}\n${line}\n"R2,T1\n`, // unterminated at the end
      `${HEADER}\n${line}\n"R2"x,${line.slice(3)}\n${line.replace('R1', 'R3')}`, // text after a closing quote; no final \n
      `${HEADER}\n\n\r\n \n${line}\r\r\n${line.replace('R1', 'R2')},extra\nR9,short\n`,
      `${HEADER}\n"R1"\r${line.slice(2)}\n"R2"\r\n`,
      `${HEADER}\n${line},`, // trailing comma at the end of input: one field too many
      `${HEADER}\n"${line}`, // unterminated row swallowing the rest
      `"record_id\n`, // the header itself unterminated: one unreadable row, no header
      `${HEADER}`, // header only, no line break
      ``, // empty
      `\n\n${HEADER}\n${line}\n`, // blank lines before the header
      `${HEADER}\n"R1""","T1",2017-05-01,training,county,online,ethics,true,,12,,1,95,true,ok\n`,
    ];
    for (const c of cases) expectSame(c, undefined, [{ noFastPath: true }], [[1], [2]]);
  });

  it('malformed, reordered and partial headers', () => {
    const line = good.join(',');
    const reordered = [...RECORD_COLUMNS].reverse().join(',');
    const cases = [
      `${HEADER},,notes,record_id\n${line},,x,R9\n`, // empty, unknown and duplicate columns
      `${reordered}\n${[...good].reverse().join(',')}\n`,
      `"record_id"x,${HEADER.slice(10)}\n${line}\n`, // text after a quote in the header
      ` record_id , teacher_id ,${HEADER.slice(22)}\n${line}\n`, // names are trimmed
      `record_id,teacher_id,date,kind\nR1,T1,2017-05-01,training\n`, // columns missing: every row rejected
      `teacher_id,date,kind,in_system,status\nT1,2017-05-01,teaching,true,ok\n`, // no record_id column
    ];
    for (const c of cases) {
      expectSame(c, undefined, [{ noFastPath: true }], [[3]]);
      expect(runBaseline(bytes(c)).warnings).toEqual(engineWarnings('records', bytes(c), RECORD_COLUMNS));
    }
  });

  it('unicode: full-width and other spaces are trimmed, ids sort as JS strings, JSON escapes', () => {
    const ids = ['\u3000T1\u3000', '\u00a0T2\u2003', 'T\uE000', 'T\u{1F600}', 'T\uFFFF', '教师一', 'T"q"', 'T\\b', 'T\u0001x', 'T\u2028'];
    const rows = ids.map((t, i) => {
      const r = tr(`R${i}`, t.includes('"') ? `"${t.replace(/"/g, '""')}"` : t, '2018-05-01', 'county', 'online', 'ethics', '12', '1', '95');
      return r;
    });
    rows.push(['\uFEFFR99', 'T1', '2018-05-01', 'training', 'county', 'online', 'ethics', 'true', '', '12', '', '1', '95', 'true', 'ok']);
    rows.push(['R100', 'T1', '２０１８-05-01', 'training', '\u3000county', 'online', 'ethics', 'true', '', '１２', '', '1', '95', 'true', 'ok']);
    expectSame(recordsCsv(rows), undefined, [{ noFastPath: true }], [[1], [2]]);
  });

  it('random bytes in fields never break agreement', () => {
    const r = rng(77);
    const alphabet = ['a', '1', '.', 'e', '-', '+', ' ', '"', ',', '\n', '\r', '\t', '\u3000', 'é', '9', '0', 'true', 'ok', 'county', '2018-01-01'];
    for (let round = 0; round < 20; round++) {
      const rows: string[] = [];
      for (let i = 0; i < 60; i++) {
        const cells = good.map((c) => (r() < 0.2 ? Array.from({ length: 1 + Math.floor(r() * 4) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('') : c));
        cells[0] = `R${Math.floor(r() * 50)}`;
        rows.push(cells.join(','));
      }
      expectSame(`${HEADER}\n${rows.join('\n')}\n`, `${TEACHERS_HEADER}\nT1,S,C,2017-09-01\n`, [{ noFastPath: true }], [[1 + Math.floor(r() * 40)]]);
    }
  });
});

describe('the teachers file', () => {
  it('duplicates, bad rows, missing ids, unreadable rows and listed teachers without records', () => {
    const teachers = [
      `${TEACHERS_HEADER},extra`, 'T1,S1,C1,2017-09-01,x', 'T1,S2,C2,,x', ' T2 , S 2 ,,2016-02-29,x', 'T3,,,2019-02-29,x', ',S,C,,x',
      'T4,S4,C4,2016-13-01,x', 'T5,"S,5",C5,,x', 'T6,S6', '"T7,S7,C7,,x',
    ].join('\n');
    const records = recordsCsv([tr('R1', 'T1', '2018-05-01', 'county', 'online', 'ethics', '12', '1', '95'), tr('R2', 'T9', '2018-05-01', 'county', 'online', 'ethics', '12', '1', '95')]);
    const out = expectSame(records, teachers, [{ noFastPath: true }], [[1], [7]]);
    expect(out.teachers.map((t) => t.teacher_id)).toContain('T5');
  });
});
