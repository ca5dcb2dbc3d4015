import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  RECORD_COLUMNS,
  TEACHER_COLUMNS,
  describeSample,
  generateRecordRows,
  generateSample,
  type SampleOptions,
} from './support/lincang-sample.ts';

const SAMPLE_DIR = new URL('../policies/lincang/sample/', import.meta.url);
const committed = (name: string): string => readFileSync(new URL(name, SAMPLE_DIR), 'utf8');

type Rec = Record<(typeof RECORD_COLUMNS)[number], string>;

/** Splits CSV text into header and rows; the generator never quotes, so a plain split is exact. */
function parseCsv(text: string): { header: string[]; rows: string[][] } {
  expect(text.endsWith('\n')).toBe(true);
  expect(text.includes('\r')).toBe(false);
  const [head = '', ...lines] = text.slice(0, -1).split('\n');
  return { header: head.split(','), rows: lines.map((l) => l.split(',')) };
}

function records(text: string): Rec[] {
  const { header, rows } = parseCsv(text);
  expect(header).toEqual([...RECORD_COLUMNS]);
  return rows.map((cells) => {
    expect(cells).toHaveLength(RECORD_COLUMNS.length);
    return Object.fromEntries(RECORD_COLUMNS.map((c, i) => [c, cells[i] ?? ''])) as Rec;
  });
}

// ---- an independent reading of DATA.md's defaults, in exact scaled integers (×100) --------------

const ENUMS = {
  kind: ['training', 'teaching', 'induction'],
  level: ['national', 'province', 'city', 'county', 'school'],
  format: ['short_term', 'online', 'school_based', ''],
  module: ['ethics', 'knowledge', 'ability', 'class_management', 'mental_health', 'school_based', ''],
  elective: ['true', 'false'],
  in_system: ['true', 'false'],
  status: ['ok', 'void', 'ineffective'],
} as const;
const RATE_RANGE: Record<string, [number, number]> = {
  online: [50, 100], school: [50, 100], county: [100, 150], city: [100, 200], province: [100, 250], national: [100, 300],
};
const TEACH: Record<string, number> = { national: 10, province: 8, city: 6, county: 4, school: 0 };
const FLOOR_MODULES = ['ethics', 'knowledge', 'ability', 'class_management', 'school_based'] as const;
const MODULE_FLOOR: Record<string, number> = { ethics: 6, knowledge: 12, ability: 24, class_management: 6, school_based: 24 };

/** Decimal text → integer hundredths; undefined when not a plain non-negative decimal. */
function cents(text: string): number | undefined {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : undefined;
}
function validDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** Why a row is invalid, or undefined when it is well-formed (rate range is checked separately). */
function problem(r: Rec, from: number, to: number): string | undefined {
  for (const [col, allowed] of Object.entries(ENUMS)) {
    if (!(allowed as readonly string[]).includes(r[col as keyof Rec])) return `${col} ${r[col as keyof Rec]}`;
  }
  if (!/^T\d{5}$/.test(r.teacher_id)) return 'teacher_id';
  if (!/^R\d{7,}$/.test(r.record_id)) return 'record_id';
  if (!validDate(r.date)) return 'date';
  const y = Number(r.date.slice(0, 4));
  if (y < from || y > to) return 'outside cycle';
  for (const c of ['days', 'hours', 'practical_hours', 'rate', 'score'] as const) {
    if (r[c] !== '' && cents(r[c]) === undefined) return `${c} not a number`;
  }
  if ((cents(r.score) ?? 0) > 10000) return 'score > 100';
  return undefined;
}
function rateInRange(r: Rec): boolean {
  const [lo, hi] = RATE_RANGE[r.format === 'online' ? 'online' : r.level] ?? [0, 0];
  const v = cents(r.rate);
  return v !== undefined && v >= lo && v <= hi;
}

type DupPolicy = 'keep-first' | 'keep-last' | 'drop-both';

/** Teacher id → meets every floor, per the default Lincang readings of DATA.md. */
function evaluate(recText: string, teachersText: string, from: number, to: number, dup: DupPolicy): Map<string, boolean> {
  const all = records(recText).filter((r) => problem(r, from, to) === undefined);
  const seen = new Map<string, number>();
  for (const r of all) seen.set(r.record_id, (seen.get(r.record_id) ?? 0) + 1);
  const firstIdx = new Map<string, number>();
  const lastIdx = new Map<string, number>();
  all.forEach((r, i) => {
    if (!firstIdx.has(r.record_id)) firstIdx.set(r.record_id, i);
    lastIdx.set(r.record_id, i);
  });
  const kept = all.filter((r, i) =>
    dup === 'keep-first' ? firstIdx.get(r.record_id) === i : dup === 'keep-last' ? lastIdx.get(r.record_id) === i : seen.get(r.record_id) === 1,
  );
  const byTeacher = new Map<string, Rec[]>();
  for (const r of kept) byTeacher.set(r.teacher_id, [...(byTeacher.get(r.teacher_id) ?? []), r]);
  const out = new Map<string, boolean>();
  for (const [id, , , hired] of parseCsv(teachersText).rows as [string, string, string, string][]) {
    const rows = (byTeacher.get(id) ?? []).filter((r) => r.in_system === 'true' && r.status === 'ok');
    const hireYear = hired === '' ? undefined : Number(hired.slice(0, 4));
    const isNew = hireYear !== undefined && hireYear >= from && hireYear <= to;
    const years: number[] = [];
    for (let y = isNew ? (hireYear as number) + 1 : from; y <= to; y++) years.push(y);
    let ok = true;
    if (isNew) {
      const anniversary = `${(hireYear as number) + 1}${hired.slice(4)}`;
      const first = rows.filter((r) => r.kind === 'induction' && r.date >= hired && r.date < anniversary);
      const sum = (c: 'hours' | 'practical_hours'): number => first.reduce((s, r) => s + (cents(r[c]) ?? 0), 0);
      ok &&= sum('hours') >= 12000 && sum('practical_hours') >= 6000;
    }
    // Units: hours ×100, credits ×1e6 (rate ×100 · hours ×100 · factor ×100).
    const year = new Map<number, { h: number; up: number; sch: number; cr: number; mod: Record<string, number> }>();
    let total = 0;
    let elective = 0;
    for (const r of rows) {
      if (r.kind === 'induction') continue;
      const t = year.get(Number(r.date.slice(0, 4))) ?? { h: 0, up: 0, sch: 0, cr: 0, mod: {} };
      year.set(Number(r.date.slice(0, 4)), t);
      let cr: number;
      if (r.kind === 'teaching') cr = (cents(r.hours) ?? 0) * (TEACH[r.level] ?? 0) * 10000;
      else {
        if (!rateInRange(r)) continue;
        const h = r.format === 'short_term' && r.days !== '' ? (cents(r.days) ?? 0) * 6 : cents(r.hours) ?? 0;
        t.h += h;
        if (r.level === 'school') t.sch += h;
        else t.up += h;
        const s = cents(r.score) ?? 0;
        const f = s >= 9000 ? 125 : s >= 8000 ? 120 : s >= 7000 ? 115 : s >= 6000 ? 110 : 0;
        cr = (cents(r.rate) ?? 0) * h * f;
      }
      t.cr += cr;
      t.mod[r.module] = (t.mod[r.module] ?? 0) + cr;
      total += cr;
      if (r.kind === 'teaching' || r.elective === 'true') elective += cr;
    }
    // Cycle floors are n × the yearly ones, so meeting every yearly floor meets them too.
    for (const y of years) {
      const t = year.get(y);
      ok &&= t !== undefined && t.h >= 7200 && t.up >= 4800 && t.sch >= 2400 && t.cr >= 72e6;
      for (const m of FLOOR_MODULES) ok &&= (t?.mod[m] ?? 0) >= (MODULE_FLOOR[m] ?? 0) * 1e6;
    }
    if (years.length > 0) ok &&= total > 0 && elective * 10 >= total * 6;
    out.set(id, ok);
  }
  return out;
}

const designed = (o: SampleOptions): Map<string, boolean> => new Map(describeSample(o).map((t) => [t.teacher_id, t.compliant]));

// ---------------------------------------------------------------- tests

describe('generateSample', () => {
  it('is deterministic: same seed, same bytes; different seed, different data', () => {
    const a = generateSample({ teachers: 12, seed: 42 });
    expect(generateSample({ teachers: 12, seed: 42 })).toEqual(a);
    const b = generateSample({ teachers: 12, seed: 43 });
    expect(b.records).not.toBe(a.records);
    expect(b.teachers).not.toBe(a.teachers);
  });

  it('matches the committed sample byte for byte (40 teachers, seed 1)', () => {
    const s = generateSample({ teachers: 40, seed: 1 });
    expect(committed('records.csv')).toBe(s.records);
    expect(committed('teachers.csv')).toBe(s.teachers);
    const rows = s.records.split('\n').length - 2;
    expect(rows).toBeGreaterThanOrEqual(1500);
    expect(rows).toBeLessThanOrEqual(3000);
    expect(s.records.length).toBeLessThan(300 * 1024);
  });

  it('streams exactly the records of generateSample', () => {
    const o = { teachers: 15, seed: 9 };
    expect([...generateRecordRows(o)].join('\n') + '\n').toBe(generateSample(o).records);
  });

  it('has the exact header columns', () => {
    const s = generateSample({ teachers: 3, seed: 1 });
    expect(parseCsv(s.records).header.join(',')).toBe(
      'record_id,teacher_id,date,kind,level,format,module,elective,days,hours,practical_hours,rate,score,in_system,status',
    );
    expect(parseCsv(s.teachers).header.join(',')).toBe('teacher_id,school_id,county_id,hired_on');
    expect(TEACHER_COLUMNS).toEqual(['teacher_id', 'school_id', 'county_id', 'hired_on']);
  });

  it('lists every teacher of the records in the teachers file, and some teachers with no records', () => {
    const s = generateSample({ teachers: 40, seed: 1 });
    const listed = new Set(parseCsv(s.teachers).rows.map((r) => r[0]));
    expect(listed.size).toBe(40);
    const used = new Set(records(s.records).map((r) => r.teacher_id).filter((t) => t !== ''));
    for (const t of used) expect(listed.has(t)).toBe(true);
    expect([...listed].filter((t) => !used.has(t as string)).length).toBeGreaterThanOrEqual(1);
  });

  it.each([
    [{ teachers: 40, seed: 1, messy: false }],
    [{ teachers: 60, seed: 2024, messy: false }],
    [{ teachers: 30, seed: -5, messy: false, cycleFrom: 2021, cycleTo: 2025 }],
  ])('with messy:false has no bad rows (%o)', (o: SampleOptions) => {
    const s = generateSample(o);
    const rows = records(s.records);
    const ids = new Set<string>();
    for (const r of rows) {
      expect(problem(r, o.cycleFrom ?? 2016, o.cycleTo ?? 2020), JSON.stringify(r)).toBeUndefined();
      if (r.kind === 'training') expect(rateInRange(r), JSON.stringify(r)).toBe(true);
      expect(ids.has(r.record_id), r.record_id).toBe(false);
      ids.add(r.record_id);
    }
  });

  it('with messy:true includes each kind of bad row, each at most ~1% of rows', () => {
    const rows = records(generateSample({ teachers: 40, seed: 1 }).records);
    const ids = new Set<string>();
    const kinds = new Map<string, number>();
    const note = (k: string): void => void kinds.set(k, (kinds.get(k) ?? 0) + 1);
    for (const r of rows) {
      const p = problem(r, 2016, 2020);
      if (p?.startsWith('level')) note('level');
      else if (p === 'teacher_id') note('teacher');
      else if (p === 'hours not a number') note('hours');
      else if (p === 'outside cycle') note('outside');
      else if (p === 'date') note('date');
      else if (p !== undefined) note(`other: ${p}`);
      else if (r.kind === 'training' && !rateInRange(r)) note('rate');
      if (ids.has(r.record_id)) note('duplicate');
      ids.add(r.record_id);
    }
    expect([...kinds.keys()].sort()).toEqual(['date', 'duplicate', 'hours', 'level', 'outside', 'rate', 'teacher']);
    for (const n of kinds.values()) expect(n).toBeLessThanOrEqual(Math.ceil(rows.length / 100));
  });

  it('covers the variety the policy needs: kinds, levels, formats, modules, band-edge scores, fails, statuses', () => {
    const rows = records(generateSample({ teachers: 40, seed: 1, messy: false }).records);
    const values = (c: keyof Rec): Set<string> => new Set(rows.map((r) => r[c]));
    expect(values('kind')).toEqual(new Set(ENUMS.kind));
    expect(values('level')).toEqual(new Set(ENUMS.level));
    expect(values('status')).toEqual(new Set(ENUMS.status));
    for (const m of ENUMS.module.filter((m) => m !== '')) expect(values('module').has(m)).toBe(true);
    for (const s of ['60', '69.5', '80', '89.5', '90']) expect(values('score').has(s)).toBe(true);
    expect(rows.some((r) => r.score !== '' && (cents(r.score) ?? 0) < 6000)).toBe(true);
    expect(values('days').has('0.5')).toBe(true);
    const training = rows.filter((r) => r.kind === 'training');
    expect(training.filter((r) => r.in_system === 'true').length / training.length).toBeGreaterThan(0.9);
  });

  // The designed outcomes hold under an independent reading of the rules, and the bad rows change
  // nothing however an engine resolves a reused record id.
  it.each([
    [{ teachers: 40, seed: 1 }],
    [{ teachers: 40, seed: 1, messy: false }],
    [{ teachers: 52, seed: 7 }],
    [{ teachers: 52, seed: 123456789, cycleFrom: 2021, cycleTo: 2025 }],
  ])('designed compliance holds under the default readings (%o)', (o: SampleOptions) => {
    const s = generateSample(o);
    const want = designed(o);
    for (const dup of ['keep-first', 'keep-last', 'drop-both'] as const) {
      expect(evaluate(s.records, s.teachers, o.cycleFrom ?? 2016, o.cycleTo ?? 2020, dup)).toEqual(want);
    }
    const n = [...want.values()].filter(Boolean).length;
    expect(n).toBe(Math.ceil(want.size / 2));
  });

  it('rejects bad options', () => {
    expect(() => generateSample({ teachers: -1, seed: 1 })).toThrow(RangeError);
    expect(() => generateSample({ teachers: 2, seed: 1.5 })).toThrow(RangeError);
    expect(() => generateSample({ teachers: 2, seed: 1, cycleFrom: 2021, cycleTo: 2020 })).toThrow(RangeError);
  });
});
