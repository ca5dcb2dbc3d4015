// Oracle test: the engine running policy.yaml and the hand-written evaluator (handwritten.ts)
// must agree on every teacher (compliance, cycle credits and hours, violation ids) and on what
// became of every record row. The two share only the CSV reader and Decimal, so agreement over
// many generated and deliberately malformed inputs is evidence that the compiled rules mean what
// policy.yaml says.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Evaluation, createCsvReader, type InputEvent, type Program } from '../../engine/index.ts';
import { lincang } from '../../test/support/lincang.ts';
import { evaluateLincang } from './handwritten.ts';
import { generateSample } from '../../test/support/lincang-sample.ts';

const program: Program = lincang();

function events(text: string): InputEvent[] {
  const r = createCsvReader();
  return [...r.push(text), ...r.end()];
}

/** The comparable part of a run: teachers as plain strings, and the record counts. */
interface Outcome {
  teachers: { teacher_id: string; compliant: boolean; credits: string; hours: string; violations: readonly string[] }[];
  counts: { read: number; evaluated: number; rejected: number; outOfScope: number; rejectedBy: object; outOfScopeBy: object; disregardedBy: object };
}

const sorted = (m: ReadonlyMap<string, number>): object => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)));

function viaEngine(records: string, teachers: string): Outcome {
  const e = new Evaluation(program);
  for (const t of events(teachers)) e.addSubject(t);
  for (const r of events(records)) e.addRecord(r);
  const res = e.finish();
  const credits = program.measures.findIndex((m) => m.id === 'credits');
  const hours = program.measures.findIndex((m) => m.id === 'hours');
  const c = res.records;
  return {
    teachers: res.subjects.map((s) => ({
      teacher_id: s.id, compliant: s.compliant,
      credits: String(s.cycle[credits]), hours: String(s.cycle[hours]),
      violations: s.violations.map((v) => `${v.rule}${v.key === undefined ? '' : `[${v.key}]`}@${v.period ?? 'cycle'}`),
    })),
    counts: {
      read: c.read, evaluated: c.evaluated, rejected: c.rejected, outOfScope: c.outOfScope,
      rejectedBy: sorted(c.rejectedBy), outOfScopeBy: sorted(c.outOfScopeBy), disregardedBy: sorted(c.disregardedBy),
    },
  };
}

function byHand(records: string, teachers: string): Outcome {
  const res = evaluateLincang(events(records), events(teachers));
  const c = res.records;
  return {
    teachers: res.teachers.map((t) => ({ ...t, credits: t.credits.toString(), hours: t.hours.toString() })),
    counts: {
      read: c.read, evaluated: c.evaluated, rejected: c.rejected, outOfScope: c.outOfScope,
      rejectedBy: sorted(c.rejectedBy), outOfScopeBy: sorted(c.outOfScopeBy), disregardedBy: sorted(c.disregardedBy),
    },
  };
}

/** Asserts agreement, teacher by teacher first so a failure names the first teacher that differs. */
function expectAgree(records: string, teachers: string): Outcome {
  const engine = viaEngine(records, teachers);
  const hand = byHand(records, teachers);
  expect(hand.teachers.map((t) => t.teacher_id)).toEqual(engine.teachers.map((t) => t.teacher_id));
  engine.teachers.forEach((t, i) => expect(hand.teachers[i], t.teacher_id).toEqual(t));
  expect(hand.counts).toEqual(engine.counts);
  return engine;
}

describe('engine and hand-written evaluator agree', () => {
  it('on the committed sample', () => {
    const dir = new URL('./sample/', import.meta.url);
    const out = expectAgree(readFileSync(new URL('records.csv', dir), 'utf8'), readFileSync(new URL('teachers.csv', dir), 'utf8'));
    // Not vacuous: both kinds of teacher, violations and rejections are present.
    expect(out.teachers.length).toBe(40);
    expect(out.teachers.some((t) => t.compliant) && out.teachers.some((t) => !t.compliant)).toBe(true);
    expect(out.counts.rejected).toBeGreaterThan(0);
  });

  for (const messy of [true, false]) {
    for (const [seed, teachers] of [[1, 1], [2, 13], [3, 26], [7, 120], [42, 300], [2024, 57]] as const) {
      it(`on a generated sample: seed ${seed}, ${teachers} teachers, messy ${messy}`, () => {
        const s = generateSample({ teachers, seed, messy });
        const out = expectAgree(s.records, s.teachers);
        expect(out.teachers.length).toBe(teachers);
      });
    }
  }

  it('on records without a teachers file (no one is a new teacher)', () => {
    const s = generateSample({ teachers: 60, seed: 5, messy: true });
    expectAgree(s.records, 'teacher_id,school_id,county_id,hired_on\n');
  });
});

// ── Malformed and edge-case rows: every field drawn from valid, empty and invalid texts ──────────

/** mulberry32, so every run draws the same rows. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    let t = (s = (s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per column: texts that fit the field (drawn mostly), and texts that do not (drawn rarely). */
const CHOICES: Record<string, { ok: readonly string[]; bad: readonly string[] }> = {
  teacher_id: { ok: ['T1', 'T2', 'T3', ' T4 ', 'T5', 'T6', 'T7', 'T8'], bad: [''] },
  date: {
    ok: ['2016-01-01', '2016-09-01', '2017-06-30', '2017-08-31', '2017-09-01', '2018-02-28', '2018-03-01', '2019-12-31',
      '2020-02-29', '2020-09-01', '2021-01-01', '2015-12-31'],
    bad: ['2019-02-29', '2018-13-01', '2018/01/01', ''],
  },
  kind: { ok: ['training', 'training', 'training', 'teaching', 'induction'], bad: ['Training', ''] },
  level: { ok: ['national', 'province', 'city', 'county', 'school', 'school', ''], bad: ['provincial'] },
  format: { ok: ['short_term', 'online', 'school_based', ''], bad: ['offline'] },
  module: { ok: ['ethics', 'knowledge', 'ability', 'class_management', 'mental_health', 'school_based', ''], bad: ['maths'] },
  elective: { ok: ['true', 'false', 'TRUE', ' false', ''], bad: ['yes'] },
  days: { ok: ['', '', '1', '2.5', '0', '3'], bad: ['-1', 'x', '1e15'] },
  hours: { ok: ['', '6', '12', '24.5', '0', '30', '100', '1e1', ' 7.25 ', '.5', '999999999999999.9'], bad: ['abc', '1e15', '-0.5'] },
  practical_hours: { ok: ['', '', '10', '30', '60.5'], bad: ['-2'] },
  rate: { ok: ['', '0.4', '0.5', '0.75', '1', '1.0', '1.25', '1.5', '2', '2.5', '3', '3.5'], bad: ['1,5'] },
  score: { ok: ['', '59.5', '60', '69.99', '70', '80', '89.5', '90', '100', '-0'], bad: ['100.5', 'x'] },
  in_system: { ok: ['true', 'true', 'true', 'false', 'True'], bad: ['', 'no'] },
  status: { ok: ['ok', 'ok', 'ok', 'void', 'ineffective'], bad: ['', 'lost'] },
};

/**
 * A records file of `n` rows whose cells are drawn at random from CHOICES (one cell in 25 from the
 * bad texts), with some repeated or empty ids and some rows of the wrong width.
 */
function messyRecords(seed: number, n: number, fix: (row: Record<string, string>) => void = () => {}): string {
  const r = rng(seed);
  const pick = (xs: readonly string[]): string => xs[Math.floor(r() * xs.length)]!;
  const cols = ['record_id', ...Object.keys(CHOICES)];
  const lines = [cols.join(',')];
  for (let i = 1; i <= n; i++) {
    const row: Record<string, string> = { record_id: r() < 0.05 ? `R${Math.floor(r() * i) + 1}` : r() < 0.01 ? '' : `R${i}` };
    for (const c of cols.slice(1)) row[c] = pick(r() < 0.04 ? CHOICES[c]!.bad : CHOICES[c]!.ok);
    fix(row);
    lines.push(r() < 0.01 ? 'a,b,c' : cols.map((c) => row[c]).join(','));
  }
  return lines.join('\n') + '\n';
}

const MESSY_TEACHERS = [
  'teacher_id,school_id,county_id,hired_on',
  'T1,S1,C1,', 'T2,S1,C1,2017-09-01', 'T3,S1,C1,2016-02-29', ' T4 ,S1,C1,2020-03-01', 'T2,S1,C1,2018-01-01',
  'T6,S1,C1,2019-02-30', 'T7,S1,C1,2010-09-01', ',S1,C1,2017-01-01', 'T8,S1,C1,2019-08-31',
].join('\n') + '\n';

describe('engine and hand-written evaluator agree on malformed rows', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}`, () => {
      const out = expectAgree(messyRecords(seed, 3000), MESSY_TEACHERS);
      expect(out.counts.evaluated).toBeGreaterThan(0);
    });
  }

  it('with a malformed header (a bad header is a warning, not a row)', () => {
    // An empty column name in the records, a repeated one in the teachers: both are dropped.
    const extraColumn = (text: string, name: string): string =>
      text.trimEnd().split('\n').map((l, i) => `${l},${i === 0 ? name : 'x'}`).join('\n') + '\n';
    expectAgree(extraColumn(messyRecords(11, 500), ''), extraColumn(MESSY_TEACHERS, 'school_id'));
  });

  // A dense in-cycle variant, so that sums get near the floors and some teachers are compliant.
  it('dense valid rows for a few teachers', () => {
    const valid = (row: Record<string, string>): void => {
      row['kind'] = ['training', 'training', 'training', 'teaching', 'induction'][Number(row['record_id']!.slice(1)) % 5] ?? 'training';
      row['in_system'] = 'true';
      row['status'] = 'ok';
      if (row['level'] === '' || row['level'] === 'provincial') row['level'] = 'county';
    };
    expectAgree(messyRecords(99, 20000, valid), MESSY_TEACHERS);
  });

  // Regression for a policy bug the oracle found: `elective_credit` used to read `elective` for
  // induction rows too, so an induction record without it (DATA.md defines elective for training
  // only) was rejected as "missing elective, needed by elective_credits" and its hours were lost.
  it('an induction record without elective counts towards induction hours', () => {
    const records = 'record_id,teacher_id,date,kind,level,format,module,elective,days,hours,practical_hours,rate,score,in_system,status\n' +
      'R1,T2,2017-10-01,induction,county,,,,,130,70,,,true,ok\n';
    const out = expectAgree(records, 'teacher_id,school_id,county_id,hired_on\nT2,S1,C1,2017-09-01\n');
    expect(out.counts.evaluated).toBe(1);
    expect(out.teachers[0]!.violations).not.toContain('induction_total@cycle');
  });
});
