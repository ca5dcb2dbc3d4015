// The Lincang rules (临教发〔2017〕105号, as policies/lincang/policy.yaml reads them) with the
// per-record part written as JSON Logic (https://jsonlogic.com) and run with json-logic-js — the
// usual way to keep rules as data without a policy language: which rows are out of scope,
// rejected or disregarded, and what each counted row adds (credits, hours, bucket, module,
// elective, induction) are JSON rules applied to each row with `jsonLogic.apply(rule, data)`.
// Reading is naive.ts's (read.ts); per-teacher totals and floors are plain JS (totals.ts), as
// JSON Logic has no aggregation over rows. A comparison row of the benchmark (bench/run.ts):
//
//   node dist/jsonlogic.mjs --records FILE --teachers FILE --out FILE
//
// What JSON Logic cannot say is done around it: field types (read.ts), the duplicate record_id
// check (state across rows), add_years for the end of the first year of service (computed once
// per teacher and passed in as data). Dates are ISO strings, which JSON Logic's < and >= compare
// as JS does, as text — correct for YYYY-MM-DD.

import jsonLogic, { type RulesLogic } from 'json-logic-js';
import { pathToFileURL } from 'node:url';
import { cli, MODULES, readRecord, readTeachers, splitCsv, type Level, type Module, type RejectedRow, type TrainingRecord } from './read.ts';
import { addContribution, bump, buildReport, newCounts, newTeacher, type Contribution, type Report, type Teacher } from './totals.ts';

type Logic = RulesLogic;

const v = (name: string): Logic => ({ var: name });
const is = (name: string, value: string): Logic => ({ '==': [v(name), value] });

/** A keyed table lookup as JSON Logic: an `if` chain over the key's values (null if none). */
function lookup(key: string, table: Readonly<Record<string, number>>): Logic {
  const chain: unknown[] = [];
  for (const [k, x] of Object.entries(table)) chain.push(is(key, k), x);
  chain.push(null);
  return { if: chain } as Logic;
}

const RATE_MIN: Record<Level, number> = { national: 1, province: 1, city: 1, county: 1, school: 0.5 };
const RATE_MAX: Record<Level, number> = { national: 3, province: 2.5, city: 2, county: 1.5, school: 1 };
const TEACHING_RATE: Record<Level, number> = { national: 10, province: 8, city: 6, county: 4, school: 0 };

/**
 * Derived values needed before the outcome rules, in order; each is applied to the row's data
 * and stored in it under its name, for later rules to read with `var`.
 */
const BEFORE: readonly (readonly [string, Logic])[] = [
  ['period', { '+': [{ substr: [v('date'), 0, 4] }] } as Logic],
  ['first_service_year', {
    and: [{ '!!': [v('hired_on')] }, { '>=': [v('date'), v('hired_on')] }, { '<': [v('date'), v('first_year_until')] }],
  } as Logic],
  // 第十条: online research 0.5–1 whatever the level, else by level.
  ['rate_min', { if: [is('format', 'online'), 0.5, lookup('level', RATE_MIN)] } as Logic],
  ['rate_max', { if: [is('format', 'online'), 1, lookup('level', RATE_MAX)] } as Logic],
];

/** An outcome rule: the first whose condition holds decides what becomes of the row. */
interface Outcome {
  readonly id: string;
  readonly outcome: 'exclude' | 'reject' | 'disregard';
  readonly reason: string;
  readonly when: Logic;
}

const training = is('kind', 'training');
const OUTCOMES: readonly Outcome[] = [
  {
    id: 'outside_cycle', outcome: 'exclude', reason: 'outside the cycle',
    when: { and: [{ '!': { '<=': [2016, v('period'), 2020] } }, { '!': { and: [is('kind', 'induction'), v('first_service_year')] } }] } as Logic,
  },
  {
    id: 'short_term_without_days', outcome: 'reject', reason: 'short-term training without days',
    when: { and: [training, is('format', 'short_term'), { missing: ['days'] }, { missing: ['hours'] }] } as Logic,
  },
  {
    id: 'training_without_hours', outcome: 'reject', reason: 'training record without hours',
    when: { and: [training, { '!=': [v('format'), 'short_term'] }, { missing: ['hours'] }] } as Logic,
  },
  { id: 'without_level', outcome: 'reject', reason: 'project level missing', when: { and: [{ '!=': [v('kind'), 'induction'] }, { missing: ['level'] }] } as Logic },
  { id: 'training_without_rate', outcome: 'reject', reason: 'credit rate missing', when: { and: [training, { missing: ['rate'] }] } as Logic },
  { id: 'training_without_score', outcome: 'reject', reason: 'score missing', when: { and: [training, { missing: ['score'] }] } as Logic },
  { id: 'training_without_elective', outcome: 'reject', reason: 'mandatory or elective not given', when: { and: [training, { missing: ['elective'] }] } as Logic },
  { id: 'teaching_without_hours', outcome: 'reject', reason: 'teaching record without hours taught', when: { and: [is('kind', 'teaching'), { missing: ['hours'] }] } as Logic },
  { id: 'induction_without_hours', outcome: 'reject', reason: 'induction record without hours', when: { and: [is('kind', 'induction'), { missing: ['hours'] }] } as Logic },
  {
    id: 'rate_out_of_range', outcome: 'reject', reason: 'credit rate outside its article-10 range',
    when: { and: [training, { '!': { '<=': [v('rate_min'), v('rate'), v('rate_max')] } }] } as Logic,
  },
  { id: 'not_in_system', outcome: 'disregard', reason: 'not entered in the information system', when: { '!': v('in_system') } as Logic },
  { id: 'void', outcome: 'disregard', reason: 'forged or altered', when: is('status', 'void') },
  { id: 'ineffective', outcome: 'disregard', reason: 'school-based research not carried out as planned', when: is('status', 'ineffective') },
];

/** Derived values of a counted row, in order (as BEFORE), ending with what it adds to the totals. */
const AFTER: readonly (readonly [string, Logic])[] = [
  // 第九条: short-term training counts 6 hours a day.
  ['training_hours', { if: [{ and: [is('format', 'short_term'), { '!=': [v('days'), null] }] }, { '*': [v('days'), 6] }, v('hours')] } as Logic],
  ['passed', { '>=': [v('score'), 60] } as Logic],
  // 第十条: bands by lower bound; 1 + coefficient.
  ['grade_factor', { if: [{ '>=': [v('score'), 90] }, 1.25, { '>=': [v('score'), 80] }, 1.2, { '>=': [v('score'), 70] }, 1.15, 1.1] } as Logic],
  // 第十三条: a fail earns no credits, but its hours still count.
  ['attended_hours', { if: [training, v('training_hours'), 0] } as Logic],
  ['school_based_hours', is('level', 'school')],
  ['training_credits', { if: [v('passed'), { '*': [v('rate'), v('training_hours'), v('grade_factor')] }, 0] } as Logic],
  // 第十二条: hours taught × 10 / 8 / 6 / 4 by level.
  ['teaching_credits', { if: [is('kind', 'teaching'), { '*': [v('hours'), lookup('level', TEACHING_RATE)] }, 0] } as Logic],
  ['earned_credits', { if: [training, v('training_credits'), is('kind', 'teaching'), v('teaching_credits'), 0] } as Logic],
  // 第七条, 第十二条: teaching credits count as elective and towards the record's module.
  ['elective_credit', { if: [training, v('elective'), is('kind', 'teaching')] } as Logic],
  ['module_credit', { if: [{ or: [training, is('kind', 'teaching')] }, v('module'), null] } as Logic],
  // 第九条: induction counts only towards its own floors, within the first year of service.
  ['induction_hours', { if: [{ and: [is('kind', 'induction'), v('first_service_year')] }, v('hours'), 0] } as Logic],
  ['induction_practical', { if: [{ and: [is('kind', 'induction'), v('first_service_year'), { '!=': [v('practical_hours'), null] }] }, v('practical_hours'), 0] } as Logic],
];

/** The rule set as it would be stored: plain JSON, loaded once. */
export const RULES = { before: BEFORE, outcomes: OUTCOMES, after: AFTER } as const;

const MODULE_SET = new Set<string>(MODULES);

/** A row's data for the rules: its typed fields, its teacher's facts, and derived values as they are made. */
type Data = TrainingRecord & { hired_on: string | null; first_year_until: string | null } & Record<string, unknown>;

/**
 * Evaluates the Lincang policy over a records file and a teachers file (CSV texts; teachers may
 * be ''), the per-record rules in JSON Logic, and returns the report. Pure: no I/O.
 */
export function run(recordsText: string, teachersText: string): Report {
  const tf = readTeachers(teachersText);
  const teachers = new Map<string, Teacher>();
  const seen = new Map<string, number>(); // record_id → first line
  const counts = newCounts();
  const rejected: RejectedRow[] = [];
  const reject = (record_id: string | null, line: number, rule: string, reason: string): void => {
    counts.rejected++;
    bump(counts.rejected_by_rule, rule);
    rejected.push({ record_id, file: 'records', line, reason, rule });
  };

  rows: for (const { line, cells } of splitCsv(recordsText)) {
    counts.rows_read++;
    const id = cells.record_id ?? '';
    const first = seen.get(id);
    if (id !== '' && first !== undefined) {
      reject(id, line, 'record_id', `duplicate record_id (first on line ${first})`);
      continue;
    }
    if (id !== '') seen.set(id, line);
    const r = readRecord(cells);
    if (Array.isArray(r)) {
      reject(id || null, line, r[0]!.field, r.map((p) => p.reason).join('; '));
      continue;
    }
    const facts = tf.facts.get(r.teacher_id);
    const data: Data = { ...r, hired_on: facts?.hired_on ?? null, first_year_until: facts?.first_year_until ?? null };
    for (const [name, rule] of BEFORE) data[name] = jsonLogic.apply(rule, data);

    let disregard: string | null = null;
    for (const o of OUTCOMES) {
      if (!jsonLogic.truthy(jsonLogic.apply(o.when, data))) continue;
      if (o.outcome === 'exclude') {
        counts.out_of_scope++;
        bump(counts.out_of_scope_by_rule, o.id);
        continue rows;
      }
      if (o.outcome === 'reject') {
        reject(id, line, o.id, o.reason);
        continue rows;
      }
      disregard = o.id;
      break;
    }

    counts.evaluated++;
    let t = teachers.get(r.teacher_id);
    if (!t) {
      t = newTeacher(r.teacher_id, facts);
      teachers.set(r.teacher_id, t);
    }
    t.evaluated++;
    if (disregard !== null) {
      counts.disregarded++;
      t.disregarded++;
      bump(counts.disregarded_by_rule, disregard);
      continue;
    }
    for (const [name, rule] of AFTER) data[name] = jsonLogic.apply(rule, data);
    const module = data.module_credit;
    const c: Contribution = {
      credits: data.earned_credits as number,
      hours: data.attended_hours as number,
      school: data.school_based_hours === true,
      module: typeof module === 'string' && MODULE_SET.has(module) ? (module as Module) : null,
      elective: data.elective_credit === true,
      induction_hours: data.induction_hours as number,
      induction_practical: data.induction_practical as number,
    };
    addContribution(t, data.period as number, c);
  }

  return buildReport(teachers, tf.facts, counts, [...rejected, ...tf.rejected], { read: tf.rowsRead, rejected: tf.rejected.length });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) cli('jsonlogic', run);
