// `guize export --to jsonlogic`: the export run by json-logic-js (a JSON Logic implementation that
// shares no code with guize) on random records agrees with the engine — every record's outcome
// and rule, and what each counted record adds to every total, to 1e-9 relative.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { loadPolicySet, memoryFiles, type CheckedPolicy } from '../dsl/index.ts';
import { compilePolicy, Decimal, Evaluation, Quotient, type Program } from '../engine/index.ts';
import { exportJsonLogic, type JsonLogicExport, type Logic } from '../engine/export/jsonlogic.ts';
import { guize, tempFolder } from './support/cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CITY = path.join(ROOT, 'policies', 'lincang');
const COUNTY = path.join(ROOT, 'policies', 'lincang-county');
const NMC = path.join(ROOT, 'policies', 'nmc-revalidation');
const folder = tempFolder('guize-jl-');
/** The seed of the random records: fixed, and printed, so a failure can be replayed. */
const SEED = 20_171_105;
const RUNS = 10_000;

const apply = (logic: Logic, data: object): unknown => jsonLogic.apply(logic as never, data);

/** The export as the command writes it, parsed. */
async function exported(policy: string): Promise<JsonLogicExport> {
  const r = await guize('export', '--to', 'jsonlogic', '--policy', policy);
  expect([r.code, r.err]).toEqual([0, '']);
  return JSON.parse(r.out) as JsonLogicExport;
}

/** The checked policy and its program, from the policy's own files. */
function load(dir: string, version: string): { checked: CheckedPolicy; program: Program } {
  const files: Record<string, string> = {};
  const add = (p: string) => {
    for (const n of fs.readdirSync(p)) {
      const full = path.join(p, n);
      if (fs.statSync(full).isDirectory()) add(full);
      else if (/\.ya?ml$/.test(n)) files[full] = fs.readFileSync(full, 'utf8');
    }
  };
  // Every shipped policy's files: a fork reads its parent's.
  add(path.join(ROOT, 'policies'));
  const loaded = loadPolicySet(memoryFiles(files), dir, { version });
  if (!loaded.result.ok) throw new Error('policy has errors');
  return { checked: loaded.result.value.checked, program: compilePolicy(loaded.result.value.checked) };
}

/** Every number the policy writes (parameters, table cells, band bounds, field bounds): the edges records are drawn around. */
function policyNumbers(checked: CheckedPolicy): number[] {
  const ast = checked.ast;
  const out = new Set<number>([0]);
  for (const p of ast.parameters) if (p.type === 'number') out.add(Number(p.value));
  for (const t of ast.tables) {
    const cells = t.kind === 'keyed' ? t.rows.map((r) => r.cells) : [...t.bands, t.below].map((b) => b.cells);
    for (const c of cells) for (const v of Object.values(c)) if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) out.add(Number(v));
    if (t.kind === 'bands') for (const b of t.bands) out.add(Number(b.from));
  }
  for (const f of ast.record.fields) for (const b of [f.min, f.max]) if (b !== undefined) out.add(Number(b));
  // Each edge, and just either side of it (two places, as records write them).
  return [...out].flatMap((n) => [n, Math.round(n * 100 - 1) / 100, Math.round(n * 100 + 1) / 100]).filter((n) => n >= 0);
}

/**
 * The texts a policy's rules compare fields with (`county_id == "530925"` in the county fork), read
 * from its files and its parents': random text fields take them as well as other values, so that
 * both sides of such a condition are reached.
 */
function textLiterals(dir: string): string[] {
  const out = new Set<string>();
  for (let d: string | undefined = dir; d !== undefined;) {
    const text: string = fs.readFileSync(path.join(d, 'policy.yaml'), 'utf8');
    for (const m of text.matchAll(/[!=]=\s*"([^"\s{}]+)"/g)) out.add(m[1]!);
    const parent: string | undefined = /^extends:\s*\n\s+policy:\s*(\S+)/m.exec(text)?.[1];
    d = parent === undefined ? undefined : path.resolve(d, parent);
  }
  return [...out];
}

/** A random `YYYY-MM-DD` around the cycle (a year either side), 29 February of leap years among them. */
function dateArb(from: number, to: number): fc.Arbitrary<string> {
  const pad = (n: number) => String(n).padStart(2, '0');
  const any = fc.record({ y: fc.integer({ min: from - 1, max: to + 1 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) })
    .map(({ y, m, d }) => `${y}-${pad(m)}-${pad(d)}`);
  const leap = fc.constantFrom(...[from - 1, from, to, to + 1].filter((y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)).map((y) => `${y}-02-29`);
  const ends = fc.constantFrom(`${from}-01-01`, `${to}-12-31`, `${from - 1}-12-31`, `${to + 1}-01-01`);
  return fc.oneof({ arbitrary: any, weight: 6 }, { arbitrary: ends, weight: 2 }, ...(leap ? [{ arbitrary: leap, weight: 1 }] : []));
}

type Data = Record<string, string | number | boolean>;

/** Random records (and their subjects' fields) drawn from the policy's own fields: its enum values, edge numbers, dates, missing values. */
function recordArb(doc: JsonLogicExport, checked: CheckedPolicy, texts: readonly string[] = []): fc.Arbitrary<Data> {
  const edges = policyNumbers(checked);
  const { from, to } = checked.ast.cycle;
  const keyFields = new Set([checked.ast.record.key, checked.ast.record.subject]);
  const entries = doc.data.filter((f) => !keyFields.has(f.id)).map((f) => {
    let value: fc.Arbitrary<string | number | boolean>;
    switch (f.type) {
      case 'enum': value = fc.constantFrom(...f.values!); break;
      case 'bool': value = fc.boolean(); break;
      case 'date': value = dateArb(from, to); break;
      case 'text':
        // The policy's own texts three times in four, when it compares with any.
        value = texts.length === 0 ? fc.constantFrom('A1', 'B2')
          : fc.oneof({ arbitrary: fc.constantFrom(...texts), weight: 3 }, { arbitrary: fc.constantFrom('A1', 'B2'), weight: 1 });
        break;
      case 'number': value = fc.oneof({ arbitrary: fc.constantFrom(...edges), weight: 4 }, { arbitrary: fc.integer({ min: 0, max: 30 }), weight: 1 }, { arbitrary: fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100), weight: 1 }); break;
    }
    // A required field is missing one time in 40, an optional one time in 8.
    const missing = f.required ? 1 : 4;
    return [f.id, fc.oneof({ arbitrary: value, weight: 30 }, { arbitrary: fc.constant(undefined), weight: missing })] as const;
  });
  return fc.record(Object.fromEntries(entries)).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Data);
}

/** A measure's value as a number (a grouped measure's one key). */
function numberOf(v: unknown, key?: string): number {
  if (v instanceof Decimal) return Number(v.toString());
  if (v instanceof Quotient) return Number(v.value().toString());
  if (v !== null && typeof v === "object" && typeof (v as ReadonlyMap<string, Decimal>).get === "function") return numberOf((v as ReadonlyMap<string, Decimal>).get(key!) ?? Decimal.ZERO);
  throw new Error(`not a number: ${String(v)}`);
}

/** Equal to 1e-9 relative (absolute near zero). */
function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * The export of `dir@version` as the command writes it, run by json-logic-js on RUNS random records,
 * against the engine: for each record the same outcome and rule (every kind of outcome reached),
 * the missing value named in the engine's reason, and each total's contribution to 1e-9 relative.
 */
async function agreesWithEngine(dir: string, version: string): Promise<void> {
    console.log(`jsonlogic export property test (${dir}@${version}): seed ${SEED}, ${RUNS} records`);
    const doc = await exported(`${dir}@${version}`);
    expect(doc.policy.version).toBe(version);
    const { checked, program } = load(dir, version);
    const subjectFields = doc.data.filter((f) => f.of === 'subject').map((f) => f.id);
    const records = fc.sample(fc.record({ record: recordArb(doc, checked, textLiterals(dir)), withSubject: fc.boolean(), missingTeacher: fc.integer({ min: 0, max: 49 }) }), { seed: SEED, numRuns: RUNS });
    const keys = { record: checked.ast.record.key, subject: checked.ast.record.subject, subjectKey: checked.ast.subject.key };

    // One evaluation, one subject per record (its totals are that record's contribution); the
    // engine says after each row what became of it.
    const e = new Evaluation(program);
    records.forEach((r, i) => {
      const subject = Object.fromEntries(subjectFields.filter((f) => r.record[f] !== undefined).map((f) => [f, String(r.record[f])]));
      if (r.withSubject) e.addSubject({ kind: 'row', line: i + 2, values: { [keys.subjectKey]: `T${i}`, ...subject } });
    });
    const engine: { outcome: string; rule: string | undefined }[] = [];
    const data: Data[] = [];
    records.forEach((r, i) => {
      const own = Object.fromEntries(Object.entries(r.record).filter(([k]) => !subjectFields.includes(k) || !r.withSubject));
      const d: Data = { ...(r.missingTeacher === 0 ? {} : { [keys.subject]: `T${i}` }), [keys.record]: `R${i}`, ...own };
      // Subject fields are the subject's, when it has a row; a record does not carry them.
      for (const f of subjectFields) if (!r.withSubject) delete d[f];
      if (r.withSubject) for (const f of subjectFields) if (r.record[f] !== undefined) d[f] = r.record[f]!;
      data.push(d);
      const values = Object.fromEntries(Object.entries(d).filter(([k]) => !subjectFields.includes(k)).map(([k, v]) => [k, String(v)]));
      e.addRecord({ kind: 'row', line: i + 2, values });
      engine.push({ outcome: ['counted', 'disregard', 'reject', 'exclude'][e.rowOutcome]!, rule: e.rowRule });
    });
    const result = e.finish();
    const subjects = new Map(result.subjects.map((s) => [s.id, s]));
    const reasons = new Map(result.rejected.map((x) => [x.line, x.reason]));

    const plain = doc.aggregates.map((a) => program.measures.findIndex((m) => m.id === a.measure && checked.measures.find((c) => c.stmt.id === m.id)!.stmt.value.kind === 'aggregate'));
    const seen = new Map<string, number>();
    const rulesSeen = new Set<string>();
    let compared = 0;
    data.forEach((d, i) => {
      const [outcome, rule, lacking] = apply(doc.outcome, d) as [string, string | null, string | null];
      const where = `record ${i} ${JSON.stringify(d)}`;
      expect([where, outcome, rule ?? undefined]).toEqual([where, engine[i]!.outcome, engine[i]!.rule]);
      seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
      if (rule !== null) rulesSeen.add(rule);
      // A rejection for a missing value names it, as the engine's reason does.
      if (lacking !== null) expect([where, reasons.get(i + 2)!.includes(lacking)]).toEqual([where, true]);
      if (outcome !== 'counted') return;
      const s = subjects.get(`T${i}`)!;
      doc.aggregates.forEach((a, k) => {
        const m = plain[k]!;
        if (m < 0) return;
        const adds = apply(a.where, d) === true;
        const value = adds ? Number(apply(a.value, d)) : 0;
        const engineValue = numberOf(s.cycle[m], a.by === null ? undefined : String(d[a.by]));
        expect([where, a.measure, close(value, engineValue) ? engineValue : value]).toEqual([where, a.measure, engineValue]);
        compared++;
      });
      // The README's promise: the let gives the record's credits.
      if (doc.lets.earned_credits !== undefined) {
        expect(close(Number(apply(doc.lets.earned_credits, d)), numberOf(s.cycle[program.measures.findIndex((m) => m.id === 'credits')]))).toBe(true);
      }
    });
    // The records reached every kind of outcome, so each path was compared.
    expect([...seen.keys()].sort()).toEqual(['counted', 'disregard', 'exclude', 'reject']);
    // (a fork with its own subjects counts fewer: a record needs a teacher row of its county)
    expect(seen.get('counted')!).toBeGreaterThan(RUNS / 100);
    expect(compared).toBeGreaterThan(0);
    // Every exclusion (the cycle's; a fork's own subjects) was reached.
    for (const o of doc.outcomes) if (o.outcome === 'exclude') expect([o.id, rulesSeen.has(o.id)]).toEqual([o.id, true]);
  }

describe('guize export --to jsonlogic, run by json-logic-js, against the engine', () => {
  // Every version of every shipped policy the export can express (nmc-revalidation cannot: see the refusal below).
  const versions: readonly (readonly [string, string, string])[] = [
    ['Lincang 2017.1', CITY, '2017.1'],
    ['Lincang 2019.1 (hypothetical)', CITY, '2019.1'],
    ['the county fork on 2017.1', COUNTY, '2018.1+2017.1'],
    ['the county fork on 2019.1', COUNTY, '2018.1+2019.1'],
  ];
  for (const [name, dir, version] of versions) {
    it(`${name} on ${RUNS} random records (seed ${SEED}): the same outcomes, rules and totals`, async () => agreesWithEngine(dir, version), 240_000);
  }

  it('nmc-revalidation is refused, located, naming each construct JSON Logic cannot express (exit 2, nothing written)', async () => {
    const out = path.join(folder.path(), 'nmc.json');
    const r = await guize('export', '--to', 'jsonlogic', '--policy', NMC, '--out', out);
    expect(r.code).toBe(2);
    // No before_effective: records before 2019-10-01 are out of scope, which needs the version in
    // force by date (policy.yaml line 11, `effective: 2019-10-01`, column 12).
    expect(r.err).toContain('error[export-unsupported]: 无法导出为 JSON Logic：生效版本（多版本策略）（$version）\n');
    expect(r.err).toContain(`--> ${NMC}/policy.yaml:11:12\n`);
    // The periods: years of a cycle per subject (each nurse's three years before renewal), which the
    // export cannot give a record, as it gives only the calendar year (line 50, the period's map at column 9).
    expect(r.err).toContain('error[export-unsupported]: 按 year 的期间（按主体计的周期）：导出只能将记录的期间表示为公历年份\n');
    expect(r.err).toContain('periods by year in a cycle per subject: the export gives a record\'s period as its calendar year only\n');
    expect(r.err).toContain(`--> ${NMC}/policy.yaml:50:9\n`);
    expect(r.err).toContain('无法导出 2 处 / 2 construct(s) cannot be exported; nothing was written');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a let needing a missing value is null, and says what it lacks; guards do not trust truthiness', async () => {
    const doc = await exported(`${CITY}@2017.1`);
    const base = { record_id: 'R1', teacher_id: 'T1', date: '2016-05-10', kind: 'training', level: 'county', format: 'short_term', module: 'ethics', elective: true, days: 2, rate: 1.5, score: 85, in_system: true, status: 'ok' };
    // 2 days × 6 h × 1.5 × (1 + 0.2 for 良, 80–89) = 21.6
    expect(close(Number(apply(doc.lets.earned_credits!, base)), 21.6)).toBe(true);
    const { rate: _, ...noRate } = base;
    expect([apply(doc.lets.earned_credits!, noRate), apply(doc.lacks.earned_credits!, noRate)]).toEqual([null, 'rate']);
    expect(apply(doc.outcome, noRate)).toEqual(['reject', 'training_without_rate', null]);
    // in_system "false" (a text, not a yes/no) is not taken for yes: not_in_system fires.
    expect(apply(doc.outcome, { ...base, in_system: 'false' })).toEqual(['disregard', 'not_in_system', null]);
    // A rate of 0 is a number like any other, not "missing" (0 is falsy in JSON Logic).
    expect(apply(doc.outcome, { ...base, rate: 0 })).toEqual(['reject', 'rate_out_of_range', null]);
    // 2016-02-29 a year on is 2017-02-28: first_service_year for a teacher hired on a leap day.
    expect(apply(doc.lets.first_service_year!, { ...base, hired_on: '2016-02-29', date: '2017-02-27' })).toBe(true);
    expect(apply(doc.lets.first_service_year!, { ...base, hired_on: '2016-02-29', date: '2017-02-28' })).toBe(false);
  });

  it('an unsupported construct is a located export-unsupported error naming it (exit 2, nothing written)', async () => {
    const text = fs.readFileSync(path.join(CITY, 'policy.yaml'), 'utf8');
    const from = 'let teaching_credits: credit = hours * teaching_rate[level].credits_per_hour';
    expect(text.split(from)).toHaveLength(2);
    const file = folder.write('div.yaml', text.replace(from, 'let teaching_credits: credit = hours / 2 * teaching_rate[level].credits_per_hour'));
    const out = path.join(folder.path(), 'out.json');
    const r = await guize('export', '--to', 'jsonlogic', '--policy', file, '--out', out);
    expect(r.code).toBe(2);
    const line = text.slice(0, text.indexOf(from)).split('\n').length;
    const column = from.indexOf('hours') + 1 + (text.split('\n')[line - 1]!.length - from.length);
    expect(r.err).toContain(`error[export-unsupported]: 无法导出为 JSON Logic：除法（精确的商无法用 JSON Logic 表示）（(hours / 2)）\n`);
    expect(r.err).toContain(`cannot export to JSON Logic: a division (exact quotients have no JSON Logic form) ((hours / 2))\n`);
    expect(r.err).toContain(`--> ${file}:${line}:${column}\n`);
    expect(fs.existsSync(out)).toBe(false);
    // The translator itself, without the CLI: the same error.
    const { checked, program } = load(CITY, '2017.1');
    expect(exportJsonLogic(checked, program.aggregateNodes).ok).toBe(true);
  });

  it('the command line: --version or @VERSION, the latest by default, a target it does not know', async () => {
    expect((await exported(CITY)).policy.version).toBe('2019.1');
    const v = await guize('export', '--to', 'jsonlogic', '--policy', CITY, '--version', '2017.1');
    expect((JSON.parse(v.out) as JsonLogicExport).policy.version).toBe('2017.1');
    const bad = await guize('export', '--to', 'jsonlogik', '--policy', CITY);
    expect([bad.code, bad.err.split('\n')[0]]).toEqual([2, "错误 error: 未知的导出格式 'jsonlogik' / unknown --to 'jsonlogik' (jsonlogic)"]);
    const both = await guize('export', '--to', 'jsonlogic', '--policy', `${CITY}@2017.1`, '--version', '2019.1');
    expect([both.code, both.err.split('\n')[0]]).toEqual([2, '错误 error: --version 与 @2017.1 只能二选一 / give --version or @VERSION, not both']);
  });
});
