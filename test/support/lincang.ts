// Test support: the Lincang policy, loaded once, and hand-made records in the canonical format.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPolicy } from '../../dsl/index.ts';
import { compilePolicy, createCsvReader, evaluate, reportJson, type Program, type EvaluationResult } from '../../engine/index.ts';

export const policyPath = fileURLToPath(new URL('../../policies/lincang/policy.yaml', import.meta.url));
export const policyText = readFileSync(policyPath, 'utf8');

/** Compiles the Lincang policy, optionally edited (each [from, to] replaced once, and must match). */
export function lincang(edits: readonly [string, string][] = []): Program {
  let text = policyText;
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`edit target not found: ${from}`);
    text = text.replace(from, to);
  }
  const loaded = loadPolicy('policy.yaml', text);
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return compilePolicy(loaded.value);
}

export const RECORD_COLUMNS = [
  'record_id', 'teacher_id', 'date', 'kind', 'level', 'format', 'module', 'elective', 'days', 'hours',
  'practical_hours', 'rate', 'score', 'in_system', 'status',
] as const;

/** A record: any column may be given; the rest are empty. */
export type Rec = Partial<Record<(typeof RECORD_COLUMNS)[number], string | number | boolean>>;

let counter = 0;

/** A training record with sensible defaults (in the system, ok, elective). */
export function training(r: Rec): Rec {
  return { record_id: `R${++counter}`, kind: 'training', elective: true, in_system: true, status: 'ok', ...r };
}

/** CSV text of records (header included). */
export function csv(rows: readonly Rec[], columns: readonly string[] = RECORD_COLUMNS): string {
  const cell = (v: unknown) => (v === undefined ? '' : String(v));
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell((r as Record<string, unknown>)[c])).join(','))].join('\n') + '\n';
}

/** Teachers file text. */
export function teachersCsv(rows: readonly { teacher_id: string; hired_on?: string }[]): string {
  return ['teacher_id,school_id,county_id,hired_on', ...rows.map((t) => `${t.teacher_id},S1,C1,${t.hired_on ?? ''}`)].join('\n') + '\n';
}

function read(text: string) {
  const r = createCsvReader();
  return [...r.push(text), ...r.end()];
}

/** Evaluates records (and optionally teachers) with a program; returns the raw result. */
export function run(program: Program, records: readonly Rec[], teachers?: readonly { teacher_id: string; hired_on?: string }[]): EvaluationResult {
  return evaluate(program, read(csv(records)), teachers ? read(teachersCsv(teachers)) : []);
}

/** The JSON report's teacher entry and the whole report. */
export interface TeacherJson {
  teacher_id: string;
  compliant: boolean;
  credits: number;
  hours: number;
  county_hours: number;
  school_hours: number;
  modules: Record<string, number>;
  elective_share: number;
  elective_credits: number;
  induction_hours: number;
  induction_practical: number;
  years: Record<string, Omit<TeacherJson, 'years' | 'violations' | 'compliant' | 'teacher_id'>>;
  violations: { rule: string; key?: string; article: string; year: number | null; actual: number | null; required: number | null; message: string }[];
}

export interface ReportJson {
  policy: { id: string; version: string; document: string; effective: string };
  teachers: TeacherJson[];
  rejected: { record_id: string | null; line: number; reason: string; rule: string | null; article: string | null }[];
  summary: Record<string, unknown> & { rows_read: number; evaluated: number; rejected: number; out_of_scope: number; disregarded: number };
}

let cached: Program | undefined;

/** Evaluates with the unedited Lincang policy and returns the JSON report. */
export function report(records: readonly Rec[], teachers?: readonly { teacher_id: string; hired_on?: string }[], program?: Program): ReportJson {
  cached ??= lincang();
  return reportJson(run(program ?? cached, records, teachers)) as unknown as ReportJson;
}

/**
 * One year of training that meets every yearly floor exactly on hours (72 h: 48 county + 24
 * school-based) and comfortably on credits. All scores 95 (优, coefficient 0.25):
 *   ethics            county, 2 days = 12 h, rate 1   → 12 × 1 × 1.25   = 15     credits
 *   knowledge         county, 2 days = 12 h, rate 1   → 12 × 1 × 1.25   = 15
 *   ability           county, 3 days = 18 h, rate 1.5 → 18 × 1.5 × 1.25 = 33.75
 *   class_management  county, 1 day  =  6 h, rate 1   →  6 × 1 × 1.25   =  7.5
 *   school_based      school, 24 h,           rate 1   → 24 × 1 × 1.25   = 30
 * Year: 72 h (48 county, 24 school), 101.25 credits, all elective.
 */
export function goodYear(teacher: string, year: number): Rec[] {
  const d = `${year}-06-01`;
  const base = { teacher_id: teacher, date: d, score: 95 };
  return [
    training({ ...base, level: 'county', format: 'short_term', module: 'ethics', days: 2, rate: 1 }),
    training({ ...base, level: 'county', format: 'short_term', module: 'knowledge', days: 2, rate: 1 }),
    training({ ...base, level: 'county', format: 'short_term', module: 'ability', days: 3, rate: 1.5 }),
    training({ ...base, level: 'county', format: 'short_term', module: 'class_management', days: 1, rate: 1 }),
    training({ ...base, level: 'school', format: 'school_based', module: 'school_based', hours: 24, rate: 1 }),
  ];
}

/** Five good years, 2016–2020: 360 h (240 county, 120 school), 506.25 credits. */
export function goodCycle(teacher: string): Rec[] {
  return [2016, 2017, 2018, 2019, 2020].flatMap((y) => goodYear(teacher, y));
}

/** The rule ids (with keys) of a teacher's violations, as `rule[key]@year`. */
export function violationIds(t: TeacherJson): string[] {
  return t.violations.map((v) => `${v.rule}${v.key ? `[${v.key}]` : ''}@${v.year ?? 'cycle'}`);
}
