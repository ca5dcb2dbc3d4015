// The generated scopes writer (engine/output/scopes-writer.ts) against the report as one JSON
// value (reportJson, which makes each number a Decimal or a Quotient and prints it through
// JSON.stringify): the same bytes for any numbers a compiled subject can hold — small ones,
// ones at every scale, quotients, and ones too large for its fast digits, where it gives way to
// the general writer.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, reportJson } from '../engine/index.ts';
import { CompiledSubjectResult, SLOT_WIDTH } from '../engine/compiled-subject.ts';
import { QUOTIENT_SLOT } from '../engine/codegen/program.ts';
import { scopesWriter } from '../engine/output/scopes-writer.ts';
import { SAMPLE_EVENTS, streamed, TEACHER_EVENTS } from './support/fuzz.ts';
import { lincang } from './support/lincang.ts';

const program = lincang();

/** A slot's number: a mantissa of some size at some scale, or a quotient of two such. */
const part = fc.tuple(
  fc.oneof(fc.integer({ min: -999_999, max: 999_999 }), fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 })),
  fc.integer({ min: 0, max: 20 }),
);
const slot = fc.oneof(
  { weight: 4, arbitrary: part.map(([m, s]) => ({ m, s })) },
  { weight: 1, arbitrary: fc.tuple(part, part).map(([n, d]) => ({ quotient: [n[0], n[1], d[0], d[1]] as const })) },
);

describe('the generated scopes writer', () => {
  it('is generated from numbers and identifiers only: no text of the policy in its source', () => {
    const result = evaluate(program, SAMPLE_EVENTS, TEACHER_EVENTS);
    const s = result.subjects.find((x) => x instanceof CompiledSubjectResult) as CompiledSubjectResult;
    const { source, room } = scopesWriter(program, s.output);
    expect(source).not.toMatch(/["'`\\]/);
    for (const m of program.measures) expect(source).not.toContain(m.id);
    // Room for the keys of all six scopes (the cycle and five years) at the least.
    expect(room).toBeGreaterThan(6 * program.measures.reduce((n, m) => n + m.id.length + 3, 0));
  });

  it('writes what reportJson holds, for any numbers in the subjects (property)', () => {
    fc.assert(fc.property(fc.array(slot, { minLength: 1, maxLength: 64 }), fc.integer({ min: 0, max: 1000 }), (values, seed) => {
      const result = evaluate(program, SAMPLE_EVENTS, TEACHER_EVENTS);
      let k = seed;
      for (const s of result.subjects) {
        if (!(s instanceof CompiledSubjectResult)) continue;
        const n = s.numbers;
        const grouped = new Set<number>();
        program.measures.forEach((m, j) => {
          if (m.grouped) for (let c = 0; c <= program.periods.length; c++) for (let i = 0; i < m.keys.length; i++) grouped.add(s.at(c, s.output.slot[j]! + i));
        });
        for (let o = 0; o < n.length; o += SLOT_WIDTH) {
          const v = values[k++ % values.length]!;
          if ('quotient' in v && !grouped.has(o)) {
            n[o + 1] = QUOTIENT_SLOT;
            [n[o + 2], n[o + 3], n[o + 4], n[o + 5]] = v.quotient;
          } else {
            const [m, sc] = 'quotient' in v ? [v.quotient[0], v.quotient[1]] : [v.m, v.s];
            n[o] = m;
            n[o + 1] = sc;
          }
        }
      }
      // A large buffer: the generated writer writes every subject it can hold the numbers of.
      expect(streamed(result, false, 1 << 20)).toBe(JSON.stringify(reportJson(result)));
    }), { numRuns: 60 });
  });

  it('gives way to the general writer for a number beyond its digits, with the same bytes', () => {
    const result = evaluate(program, SAMPLE_EVENTS, TEACHER_EVENTS);
    const s = result.subjects.find((x) => x instanceof CompiledSubjectResult) as CompiledSubjectResult;
    // 2^53 - 1 at scale 0: 9007199254740991, shown as the number 9007199254740991 — past 10^15.
    s.numbers[s.at(program.periods.length, s.output.slot[0]!)] = 2 ** 53 - 1;
    s.numbers[s.at(program.periods.length, s.output.slot[0]!) + 1] = 0;
    const text = streamed(result, false, 1 << 20);
    expect(text).toContain(`"${program.measures[0]!.id}":9007199254740991,`);
    expect(text).toBe(JSON.stringify(reportJson(result)));
  });
});
