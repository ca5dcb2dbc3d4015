// The Lincang rules (临教发〔2017〕105号, as policies/lincang/policy.yaml reads them) as the program
// a programmer writes in an afternoon without guize: the files read whole and split on '\n' and
// ',' (read.ts), a Map of plain objects per teacher with float totals (totals.ts), and the rules
// below written straight into the loop. A comparison row of the benchmark (bench/run.ts):
//
//   node dist/naive.mjs --records FILE --teachers FILE --out FILE
//
// Every number of the policy is a literal here; change the policy and this must follow by hand.

import { pathToFileURL } from 'node:url';
import { cli, readRecord, readTeachers, splitCsv, type Level, type RejectedRow } from './read.ts';
import {
  addContribution, bump, buildReport, CYCLE_FROM, CYCLE_TO, newCounts, newTeacher, type Contribution, type Report, type Teacher,
} from './totals.ts';

/** Credit rate ranges per hour by level (第十条); online research is 0.5–1 whatever the level. */
const RATE_RANGE: Record<Level, [number, number]> = {
  national: [1, 3], province: [1, 2.5], city: [1, 2], county: [1, 1.5], school: [0.5, 1],
};
/** Credits per hour taught (第十二条). */
const TEACHING_RATE: Record<Level, number> = { national: 10, province: 8, city: 6, county: 4, school: 0 };

/** 1 + the grade coefficient (第十条): bands by lower bound, so 89.5 is 良; below 60 fails. */
function gradeFactor(score: number): number {
  if (score >= 90) return 1.25;
  if (score >= 80) return 1.2;
  if (score >= 70) return 1.15;
  if (score >= 60) return 1.1;
  return 0;
}

/**
 * Evaluates the Lincang policy over a records file and a teachers file (CSV texts; teachers may
 * be ''), and returns the report. Pure: no I/O.
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

  for (const { line, cells } of splitCsv(recordsText)) {
    counts.rows_read++;
    const id = cells.record_id ?? '';
    // The first row with an id owns it, whatever else is wrong with either row (第十五条).
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
    const hired = facts?.hired_on ?? null;
    const firstServiceYear = hired !== null && r.date >= hired && r.date < facts!.first_year_until!;
    const training = r.kind === 'training';

    // Outside the cycle: out of scope, except a new teacher's induction in the first year of service.
    if ((r.year < CYCLE_FROM || r.year > CYCLE_TO) && !(r.kind === 'induction' && firstServiceYear)) {
      counts.out_of_scope++;
      bump(counts.out_of_scope_by_rule, 'outside_cycle');
      continue;
    }
    // The reject rules, in the policy's order.
    if (training && r.format === 'short_term' && r.days === null && r.hours === null) {
      reject(id, line, 'short_term_without_days', 'short-term training without days');
      continue;
    }
    if (training && r.format !== 'short_term' && r.hours === null) {
      reject(id, line, 'training_without_hours', 'training record without hours');
      continue;
    }
    if (r.kind !== 'induction' && r.level === null) {
      reject(id, line, 'without_level', 'project level missing');
      continue;
    }
    if (training && r.rate === null) {
      reject(id, line, 'training_without_rate', 'credit rate missing');
      continue;
    }
    if (training && r.score === null) {
      reject(id, line, 'training_without_score', 'score missing');
      continue;
    }
    if (training && r.elective === null) {
      reject(id, line, 'training_without_elective', 'mandatory or elective not given');
      continue;
    }
    if (r.kind === 'teaching' && r.hours === null) {
      reject(id, line, 'teaching_without_hours', 'teaching record without hours taught');
      continue;
    }
    if (r.kind === 'induction' && r.hours === null) {
      reject(id, line, 'induction_without_hours', 'induction record without hours');
      continue;
    }
    if (training) {
      const [lo, hi] = r.format === 'online' ? [0.5, 1] : RATE_RANGE[r.level!];
      if (r.rate! < lo || r.rate! > hi) {
        reject(id, line, 'rate_out_of_range', `credit rate ${r.rate} is outside ${lo}–${hi} (article 10)`);
        continue;
      }
    }

    // Evaluated from here on; not in the system, void or ineffective counts for nothing.
    counts.evaluated++;
    let t = teachers.get(r.teacher_id);
    if (!t) {
      t = newTeacher(r.teacher_id, facts);
      teachers.set(r.teacher_id, t);
    }
    t.evaluated++;
    const disregard = !r.in_system ? 'not_in_system' : r.status === 'void' ? 'void' : r.status === 'ineffective' ? 'ineffective' : null;
    if (disregard) {
      counts.disregarded++;
      t.disregarded++;
      bump(counts.disregarded_by_rule, disregard);
      continue;
    }

    const c: Contribution = { credits: 0, hours: 0, school: r.level === 'school', module: null, elective: false, induction_hours: 0, induction_practical: 0 };
    if (training) {
      // Short-term training counts 6 hours a day; a fail earns no credits but its hours count.
      const hours = r.format === 'short_term' && r.days !== null ? r.days * 6 : r.hours!;
      c.hours = hours;
      c.credits = r.rate! * hours * gradeFactor(r.score!);
      c.module = r.module;
      c.elective = r.elective!;
    } else if (r.kind === 'teaching') {
      // Teaching converts to credits (第十二条): to its module, as elective, with no hours.
      c.credits = r.hours! * TEACHING_RATE[r.level!];
      c.module = r.module;
      c.elective = true;
    } else if (firstServiceYear) {
      // Induction counts only towards its own floors, and only in the first year of service.
      c.induction_hours = r.hours!;
      c.induction_practical = r.practical_hours ?? 0;
    }
    addContribution(t, r.year, c);
  }

  return buildReport(teachers, tf.facts, counts, [...rejected, ...tf.rejected], { read: tf.rowsRead, rejected: tf.rejected.length });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) cli('naive', run);
