// A transient result stream (Evaluation.results({ transient: true }), as `guize eval --format
// json` reads it) reuses each compiled subject's memory for the next: every result read as it
// comes must be the one a kept result is, and a stream that is not transient never reuses.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicySet, memoryFiles } from '../dsl/index.ts';
import { CompiledSubjectResult } from '../engine/compiled-subject.ts';
import { Decimal } from '../engine/decimal.ts';
import { compilePolicy, CsvScanner, Evaluation, type Program, type SubjectResult } from '../engine/index.ts';

/** A policy folder's policy.yaml, compiled. */
function program(dir: string): Program {
  const files = memoryFiles({ [`${dir}/policy.yaml`]: readFileSync(`${dir}/policy.yaml`, 'utf8') });
  const loaded = loadPolicySet(files, dir).result;
  if (!loaded.ok) throw new Error(`${dir} does not load`);
  return compilePolicy(loaded.value.checked);
}

/** An evaluation of sample files, read as the CLI reads them. */
function evaluation(p: Program, records: string, subjects: string): Evaluation {
  const e = new Evaluation(p);
  for (const [file, sink] of [[subjects, e.subjectSink(() => {}, () => {})], [records, e.recordSink(() => {}, () => {})]] as const) {
    const scanner = new CsvScanner(sink);
    scanner.push(readFileSync(file));
    scanner.end();
  }
  return e;
}

/** What a writer reads of a result, read at once: every number of every scope and every violation. */
function snapshot(s: SubjectResult): unknown {
  return JSON.parse(JSON.stringify({
    id: s.id, compliant: s.compliant, cycle: s.cycle, periods: s.periods, violations: s.violations, evaluated: s.evaluated,
  }, (_k, v: unknown) => (v instanceof Decimal ? v.toString() : v)));
}

const cases = [
  { name: 'Lincang (one cycle)', dir: 'policies/lincang', records: 'policies/lincang/sample/records.csv', subjects: 'policies/lincang/sample/teachers.csv' },
  { name: 'Texas CME (repeating cycles per physician)', dir: 'policies/tx-cme', records: 'policies/tx-cme/sample/records.csv', subjects: 'policies/tx-cme/sample/physicians.csv' },
];

describe('a transient result stream', () => {
  for (const c of cases) {
    it(`gives, read as they come, the results a kept stream gives: ${c.name}`, () => {
      const p = program(c.dir);
      const kept = [...evaluation(p, c.records, c.subjects).results().subjects()];
      // The generated path is the one whose memory is reused: most of these subjects take it.
      expect(kept.filter((s) => s instanceof CompiledSubjectResult).length).toBeGreaterThan(kept.length / 2);
      const keptSnapshots = kept.map(snapshot);
      const transient: unknown[] = [];
      for (const s of evaluation(p, c.records, c.subjects).results({ transient: true }).subjects()) transient.push(snapshot(s));
      expect(transient).toEqual(keptSnapshots);
      // The kept results still read as they did when they were made: nothing of theirs was reused.
      expect(kept.map(snapshot)).toEqual(keptSnapshots);
    });
  }

  it('reuses the memory of each compiled result for the next, and a kept stream never does', () => {
    const p = program('policies/lincang');
    const places = (transient: boolean) => {
      const slabs = new Map<ArrayBufferLike, number>();
      const out: string[] = [];
      for (const s of evaluation(p, 'policies/lincang/sample/records.csv', 'policies/lincang/sample/teachers.csv').results({ transient }).subjects()) {
        if (!(s instanceof CompiledSubjectResult)) continue;
        const b = s.numbers.buffer;
        if (!slabs.has(b)) slabs.set(b, slabs.size);
        out.push(`${slabs.get(b)}@${s.numbers.byteOffset}`);
      }
      return out;
    };
    // Transient: every compiled subject's numbers start where the slab starts.
    expect(new Set(places(true))).toEqual(new Set(['0@0']));
    // Kept: each its own place.
    const kept = places(false);
    expect(new Set(kept).size).toBe(kept.length);
  });
});
