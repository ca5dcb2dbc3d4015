// The streamed report (engine/output/) against the report as one JSON value (engine/report.ts):
// the same bytes, and the same numbers — worked out on doubles where that is exact, and by
// Decimal's own rounding otherwise.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal, evaluate, JsonWriter, Quotient, reportJson, streamOf, writeNdjsonReport } from '../engine/index.ts';
import { fixedText, jsonNumber, jsonNumberText, scaledRounded } from '../engine/output/display.ts';
import { readCsv, SAMPLE_EVENTS, streamed, TEACHER_EVENTS } from './support/fuzz.ts';
import { lincang } from './support/lincang.ts';

const program = lincang();

describe('numbers as the report shows them', () => {
  // Mantissas of every size (small, near 2^50, past 2^53) at every scale the engine holds.
  const decimal = fc.tuple(
    fc.oneof(fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }), fc.bigInt({ min: -(2n ** 55n), max: 2n ** 55n }), fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n })),
    fc.integer({ min: 0, max: 30 }),
  ).map(([m, s]) => Decimal.parse(`${m}e-${s}`)!);

  it('JSON number text equals JSON.stringify of Decimal.toNumber(2), and fixed text Decimal.toFixed(2) (property)', () => {
    fc.assert(fc.property(decimal, (d) => {
      const n = d.toNumber(2);
      const expected = Number.isFinite(n) ? JSON.stringify(n) : JSON.stringify(d.round(2).toString());
      expect(jsonNumberText(d)).toBe(expected);
      expect(JSON.stringify(jsonNumber(d))).toBe(expected);
      expect(fixedText(d)).toBe(d.toFixed(2));
    }), { numRuns: 3000 });
  });

  it('shows a quotient as its 34-digit value would show, without working that out (property)', () => {
    const part = fc.tuple(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.integer({ min: 0, max: 8 }))
      .map(([m, s]) => Decimal.fromSafe(m, s));
    // Quotients that land exactly on, or a hair beside, a rounding half point: x.xx5 ± 1e-k.
    const nearHalf = fc.tuple(fc.integer({ min: 1, max: 10 ** 6 }), fc.integer({ min: 1, max: 99_991 }), fc.integer({ min: -1, max: 1 }))
      .map(([d, k, nudge]) => [Decimal.fromSafe((2 * k + 1) * d * 100 + nudge, 4), Decimal.fromSafe(d * 2, 0)] as const);
    fc.assert(fc.property(fc.oneof(fc.tuple(part, part), nearHalf), ([num, den]) => {
      const q = new Quotient(num, den);
      const exact = num.div(den);
      expect(jsonNumberText(q)).toBe(jsonNumberText(exact));
      expect(fixedText(q)).toBe(exact.toFixed(2));
      expect(String(q)).toBe(String(exact));
    }), { numRuns: 3000 });
  });

  it('rounds half up, away from zero, at the exact half and just beside it', () => {
    const cases: [string, string, string][] = [
      ['0.005', '0.01', '0.01'], ['0.004999', '0', '0.00'], ['-0.005', '-0.01', '-0.01'], ['-0.004', '0', '0.00'],
      ['2.345', '2.35', '2.35'], ['1.005', '1.01', '1.01'], ['709.41', '709.41', '709.41'], ['0.70', '0.7', '0.70'],
      ['1e-30', '0', '0.00'], ['99999999999999.995', '100000000000000', '100000000000000.00'],
    ];
    for (const [text, json, fixed] of cases) {
      const d = Decimal.parse(text)!;
      expect([jsonNumberText(d), fixedText(d)], text).toEqual([json, fixed]);
    }
    expect(scaledRounded(Decimal.parse('123.456')!)).toBe(12346);
    expect(scaledRounded(Decimal.parse('1e20')!)).toBeNaN(); // too large for the double path
  });
});

describe('the streamed report', () => {
  it('is JSON.stringify of reportJson, compact and indented, on the messy sample', () => {
    const result = evaluate(program, SAMPLE_EVENTS, TEACHER_EVENTS);
    const json = reportJson(result);
    expect(result.rejected.length).toBeGreaterThan(5);
    expect(streamed(result, false)).toBe(JSON.stringify(json));
    expect(streamed(result, false, 1 << 20)).toBe(JSON.stringify(json));
    expect(streamed(result, true)).toBe(JSON.stringify(json, null, 2));
  });

  it('as NDJSON: the subjects, the rejected rows, then the policy and summary, a line each', () => {
    const result = evaluate(program, SAMPLE_EVENTS, TEACHER_EVENTS);
    const json = reportJson(result) as { teachers: unknown[]; rejected: unknown[]; policy: unknown; summary: unknown };
    let out = '';
    const w = new JsonWriter((c) => void (out += new TextDecoder().decode(c)), false, 1 << 20);
    writeNdjsonReport(streamOf(result), w);
    w.flush();
    const expected = [
      ...json.teachers.map((t) => JSON.stringify(t)),
      ...json.rejected.map((x) => JSON.stringify({ rejected: x })),
      JSON.stringify({ policy: json.policy, summary: json.summary }),
    ].join('\n') + '\n';
    expect(out).toBe(expected);
  });

  it('escapes every text as JSON.stringify does (control characters, quotes, lone surrogates, non-ASCII)', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 6 }), (texts) => {
      const bytes: number[] = [];
      const w = new JsonWriter((c) => void bytes.push(...c), false, 256);
      w.beginArray();
      for (const t of texts) w.string(t);
      w.endArray();
      w.flush();
      expect(new TextDecoder().decode(new Uint8Array(bytes))).toBe(JSON.stringify(texts));
    }), { numRuns: 500 });
  });

  it('writes rounded numbers and whole numbers as JSON.stringify prints them (property)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -(10 ** 15) + 1, max: 10 ** 15 - 1 }), { maxLength: 8 }), (rs) => {
      const bytes: number[] = [];
      const w = new JsonWriter((c) => void bytes.push(...c), false, 256);
      w.beginArray();
      for (const r of rs) {
        w.scaled(r);
        w.integer(r);
      }
      w.endArray();
      w.flush();
      expect(new TextDecoder().decode(new Uint8Array(bytes))).toBe(JSON.stringify(rs.flatMap((r) => [r / 100, r])));
    }), { numRuns: 2000 });
  });

  it('keeps empty objects and arrays on one line when indented, as JSON.stringify does', () => {
    const records = readCsv('record_id,teacher_id,date,kind,in_system,status\n');
    const result = evaluate(program, records, []);
    expect(streamed(result, true)).toBe(JSON.stringify(reportJson(result), null, 2));
  });
});
