// Fuzz tests of the policy pipeline, seeded from the conformance corpus (the Lincang policy and
// every policy under test/cases/). The contract under test:
//
//   * `loadPolicy` never throws, whatever the text: every problem is a diagnostic with a code, a
//     message in both languages and a span inside the text;
//   * a policy that loads compiles, and evaluating any records with it never throws;
//   * the report adds up (rows read = evaluated + rejected + out of scope) and every number in it
//     is finite.
//
// Three layers: random text mutations of the corpus, semantic mutations of the Lincang policy
// that keep it loadable, and hand-written adversarial policies. Product bugs found while writing
// this file are pinned by `it.fails` tests at the end (each names its bug); the random properties
// steer around exactly those inputs (see `knownBugs`) so that they keep hunting for new ones.
//
// Runs per property are modest so the file stays fast; hunt longer with
//   GUIZE_FUZZ_RUNS=2000 npx vitest run test/policy-fuzz.test.ts
// (GUIZE_FUZZ_SEED=<n> replays a run; fast-check prints the seed and path of any failure.)

import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  formatDiagnostic, loadPolicy, type CheckedPolicy, type Diagnostic, type Expr, type FieldDecl, type PolicyAst,
} from '../dsl/index.ts';
import { forEachExpr, statementExprs } from '../dsl/walk.ts';
import { compilePolicy, createCsvReader, Decimal, evaluate, reportJson, type InputEvent, type Program } from '../engine/index.ts';

// ---- configuration ---------------------------------------------------------------------------------

const RUNS_OVERRIDE = Number(process.env.GUIZE_FUZZ_RUNS ?? '') || undefined;
const SEED = process.env.GUIZE_FUZZ_SEED === undefined ? undefined : Number(process.env.GUIZE_FUZZ_SEED);
/** fast-check parameters: `n` runs by default, GUIZE_FUZZ_RUNS when set. */
const runs = (n: number): { numRuns: number; seed?: number } => ({ numRuns: RUNS_OVERRIDE ?? n, ...(SEED === undefined ? {} : { seed: SEED }) });
/** A policy taking longer than this to load is reported as slow (printed once at the end). */
const SLOW_MS = 1000;
/** Hard limit for one adversarial policy to load: well past slow, short of a hang. */
const HANG_MS = 10_000;
const FILE = 'fuzz.yaml';
/** Per-test timeout: the config's 30 s, or an hour when hunting with GUIZE_FUZZ_RUNS. */
const TIMEOUT = RUNS_OVERRIDE === undefined ? 30_000 : 3_600_000;

// ---- the corpus ------------------------------------------------------------------------------------

const root = new URL('../', import.meta.url);
const readText = (path: string) => readFileSync(new URL(path, root), 'utf8');
const yamlFiles = (dir: string) => readdirSync(new URL(dir, root)).filter((f) => f.endsWith('.yaml')).sort().map((f) => `${dir}${f}`);

const LINCANG = readText('policies/lincang/policy.yaml');
const VALID = readText('test/cases/diagnostics/valid.yaml');
const SAMPLE_RECORDS = readText('policies/lincang/sample/records.csv');
const SAMPLE_TEACHERS = readText('policies/lincang/sample/teachers.csv');

interface Seed {
  readonly name: string;
  readonly text: string;
}
const corpus: readonly Seed[] = [
  { name: 'policies/lincang/policy.yaml', text: LINCANG },
  ...yamlFiles('test/cases/diagnostics/').map((name) => ({ name, text: readText(name) })),
  ...yamlFiles('test/cases/policies/').map((name) => ({ name, text: readText(name) })),
];

// ---- loading, with the diagnostic contract checked ------------------------------------------------

const slow: string[] = [];
// The first load builds the schema validator and warms the parser up: not a slow policy.
loadPolicy(FILE, LINCANG);
afterAll(() => {
  if (slow.length > 0) console.warn(`policy-fuzz: ${slow.length} slow load(s) (> ${SLOW_MS} ms):\n  ${slow.slice(0, 20).join('\n  ')}`);
});

/** Loads `text`; fails the test if loadPolicy throws or a diagnostic breaks the contract. */
function load(text: string, label = 'mutant') {
  const t0 = performance.now();
  let result: ReturnType<typeof loadPolicy>;
  try {
    result = loadPolicy(FILE, text);
  } catch (e) {
    throw new Error(`loadPolicy threw on ${label} (${text.length} chars): ${(e as Error).stack ?? String(e)}`);
  }
  const ms = performance.now() - t0;
  if (ms > SLOW_MS) slow.push(`${label}: ${ms.toFixed(0)} ms, ${text.length} chars`);
  const files = new Map([[FILE, { name: FILE, text }]]);
  for (const d of result.diagnostics) {
    checkDiagnostic(d, text);
    expect(() => formatDiagnostic(d, files)).not.toThrow();
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (result.ok) expect(errors).toEqual([]);
  else expect(errors.length).toBeGreaterThan(0);
  return { result, ms };
}

function checkDiagnostic(d: Diagnostic, text: string): void {
  const where = `${d.code} (${d.message})`;
  expect(d.code, where).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  expect(['error', 'warning'], where).toContain(d.severity);
  expect(typeof d.message === 'string' && d.message.trim() !== '', `${where}: English message`).toBe(true);
  expect(typeof d.zh === 'string' && d.zh.trim() !== '', `${where}: Chinese message`).toBe(true);
  expect(d.span.file, where).toBe(FILE);
  expect(Number.isInteger(d.span.start) && Number.isInteger(d.span.end), `${where}: integer span ${d.span.start}–${d.span.end}`).toBe(true);
  expect(d.span.start, where).toBeGreaterThanOrEqual(0);
  expect(d.span.start, where).toBeLessThanOrEqual(d.span.end);
  // Bug 8a (pinned below): a value missing at the very end of the file gets the one-character
  // span [length, length + 1). Tolerated here, and only that, so the properties keep hunting.
  const eofBug = d.span.start === text.length && d.span.end === text.length + 1;
  // Bug 8c (pinned below): a lone carriage return in the rules block throws its offset map off.
  const loneCrBug = /\r(?!\n)/.test(text.slice(yamlPartEnd(text)));
  if (!eofBug && !loneCrBug) expect(d.span.end, `${where}: span end within the text (${text.length})`).toBeLessThanOrEqual(text.length);
}

// ---- known product bugs (each pinned by an it.fails test below) -------------------------------------

/** Names of Object.prototype: `name in {…}` and `{…}[name]` find them (bugs 3 and 4). */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);
/** Beyond this a value cannot be shown as a JSON number, or soon will not be once multiplied (bug 2). */
const HUGE = Decimal.parse('1e250')!;

/** Every decimal the engine parses from the YAML part: parameters, number cells, band bounds. */
function policyDecimals(p: PolicyAst): string[] {
  const out = p.parameters.map((x) => x.value);
  for (const t of p.tables) {
    const numeric = t.columns.filter((c) => c.type === 'number').map((c) => c.name);
    const rows = t.kind === 'keyed' ? t.rows : [...t.bands, t.below];
    for (const r of rows) for (const c of numeric) if (typeof r.cells[c] === 'string') out.push(r.cells[c] as string);
    if (t.kind === 'bands') out.push(...t.bands.map((b) => b.from));
  }
  return out;
}

function ruleExprs(p: PolicyAst): Expr[] {
  const out: Expr[] = [];
  for (const s of p.rules.statements) for (const e of statementExprs(s)) forEachExpr(e, (x) => out.push(x));
  return out;
}

/**
 * Which known bugs a loaded policy runs into: 'hang' and 'crash' ones must not be compiled or
 * run here (they would stop the suite), 'overflow' ones make the report's numbers infinite.
 */
function knownBugs(c: CheckedPolicy): { skipEngine: string[]; skipFinite: string[] } {
  const p = c.ast;
  const skipEngine: string[] = [];
  const skipFinite: string[] = [];
  if (!Number.isSafeInteger(p.cycle.from) || !Number.isSafeInteger(p.cycle.to)) skipEngine.push('bug 1: cycle years beyond 2^53');
  for (const text of policyDecimals(p)) {
    const d = Decimal.parse(text);
    if (d === undefined) skipEngine.push(`bug 5: decimal '${text}' the engine cannot parse`);
    else if (d.abs().gte(HUGE)) skipFinite.push(`bug 2: huge decimal '${text}'`);
  }
  const exprs = ruleExprs(p);
  for (const e of exprs) {
    if (e.kind === 'name' && PROTOTYPE_NAMES.includes(e.name)) skipEngine.push(`bug 3: name '${e.name}'`);
    if (e.kind === 'number' && e.text.replace(/\..*/, '').length > 200) skipFinite.push('bug 2: huge literal');
    if (e.kind === 'in' && e.items.length > 10_000) skipEngine.push('bug 7: long in-list');
  }
  if (c.lets.length > 1000) skipEngine.push('bug 6: possibly a long chain of lets');
  for (const s of p.rules.statements) {
    if (s.kind === 'outcome' && s.placeholders.some((ph) => PROTOTYPE_NAMES.includes(ph.name))) skipEngine.push('bug 3: placeholder');
  }
  return { skipEngine, skipFinite };
}

// ---- records for any policy ------------------------------------------------------------------------

/** A small deterministic PRNG (mulberry32), so row sets come from one fast-check integer. */
function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % 4294967296) % n;
  };
}

const ODD_TEXT = ['', ' ', 'x', '"q"', 'a,b', 'line\nbreak', '优', '🙂', '__proto__', 'constructor', '\u3000'];
const NUMBERS = ['0', '1', '2.5', '6', '12', '72', '0.001', '100', '-1', '', ' 3 ', '1e14', '999999999999999', '1e15', '1e400', 'abc', '1,5', 'NaN', '0x10'];
const BOOLS = ['true', 'false', 'TRUE', 'False', '', 'yes', '1'];
const ODD_DATES = ['', '2019-02-29', '2020-02-29', '20200101', '9999-12-31', '0000-01-01', '2016-13-01', ' 2017-01-01'];

const ymd = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

function fieldValue(f: FieldDecl, p: PolicyAst, pick: (n: number) => number): string {
  const from = (xs: readonly string[]) => xs[pick(xs.length)]!;
  switch (f.type) {
    case 'number':
      return from(NUMBERS);
    case 'bool':
      return from(BOOLS);
    case 'enum':
      return pick(5) === 0 ? from(['', 'bogus', ` ${f.values[0] ?? ''}`]) : from(f.values.length > 0 ? f.values : ['']);
    case 'date': {
      if (pick(8) === 0) return from(ODD_DATES);
      const lo = Math.max(1, Math.min(9998, p.cycle.from - 1));
      const hi = Math.max(lo, Math.min(9998, p.cycle.to + 1));
      return ymd(lo + pick(hi - lo + 1), 1 + pick(12), 1 + pick(28));
    }
    default:
      return from(ODD_TEXT);
  }
}

/** CSV text, RFC 4180 quoting; a line that would come out blank is written `""` so it stays a row. */
function renderCsv(columns: readonly string[], rows: readonly (readonly string[])[], eol = '\n'): string {
  const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const line = (r: readonly string[]) => r.map(cell).join(',') || '""';
  return [columns.join(','), ...rows.map(line)].join(eol) + eol;
}

/** Records (and subjects) fitting any policy's fields, with duplicates, blanks and odd values. */
function recordsFor(p: PolicyAst, seed: number, count: number): { records: string; subjects: string } {
  const pick = prng(seed);
  const rows = Array.from({ length: count }, (_, i) => p.record.fields.map((f) => {
    if (f.id === p.record.key) return pick(10) === 0 ? (pick(2) ? '' : `R${Math.max(0, i - 1)}`) : `R${i}`;
    if (f.id === p.record.subject) return pick(15) === 0 ? '' : `T${pick(4)}`;
    return fieldValue(f, p, pick);
  }));
  const subjects = Array.from({ length: 1 + pick(5) }, (_, i) => p.subject.fields.map((f) =>
    f.id === p.subject.key ? (pick(6) === 0 ? 'T0' : `T${i}`) : fieldValue(f, p, pick)));
  // Now and then a column is missing from the file, or there is one the policy does not know.
  const keep = p.record.fields.map((f, i) => (pick(12) === 0 ? -1 : i)).filter((i) => i >= 0);
  const extra = pick(4) === 0;
  return {
    records: renderCsv([...keep.map((i) => p.record.fields[i]!.id), ...(extra ? ['unknown_column'] : [])],
      rows.map((r) => [...keep.map((i) => r[i]!), ...(extra ? ['?'] : [])]), pick(2) ? '\r\n' : '\n'),
    subjects: renderCsv(p.subject.fields.map((f) => f.id), subjects),
  };
}

function readCsv(text: string): InputEvent[] {
  const r = createCsvReader();
  return [...r.push(text), ...r.end()];
}

/** Data rows of a CSV text as the reader sees them (header problems are not rows). */
const dataRows = (events: readonly InputEvent[]) => events.filter((e) => !(e.kind === 'error' && e.header)).length;

// ---- running a loaded policy, with the report contract checked ------------------------------------

type Obj = Record<string, unknown>;

function nonFiniteNumbers(v: unknown, path = '$', out: string[] = []): string[] {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) out.push(`${path} = ${v}`);
  } else if (Array.isArray(v)) v.forEach((x, i) => nonFiniteNumbers(x, `${path}[${i}]`, out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) nonFiniteNumbers(x, `${path}.${k}`, out);
  return out;
}

/** A measure's value in the report: a finite number, or (grouped) a record of finite numbers. */
function expectMeasureValue(v: unknown, where: string): void {
  if (typeof v === 'number') return void expect(Number.isFinite(v), where).toBe(true);
  expect(v !== null && typeof v === 'object', `${where} is a number or a group of numbers, not ${String(v)}`).toBe(true);
  for (const [k, x] of Object.entries(v as Obj)) expect(typeof x === 'number' && Number.isFinite(x), `${where}.${k} = ${String(x)}`).toBe(true);
}

/** Evaluates records with a program and checks everything the report promises. */
function runAndCheck(program: Program, records: readonly InputEvent[], subjects: readonly InputEvent[], opts: { finite: boolean }): Obj {
  const result = evaluate(program, records, subjects);
  const c = result.records;
  expect(c.read).toBe(dataRows(records));
  expect(c.evaluated + c.rejected + c.outOfScope).toBe(c.read);
  const json = reportJson(result) as Obj;
  const p = program.policy;
  const summary = json.summary as Obj;
  expect(summary.rows_read).toBe(c.read);
  expect(summary.rows_read).toBe((summary.evaluated as number) + (summary.rejected as number) + (summary.out_of_scope as number));
  expect(json.rejected as unknown[]).toHaveLength(result.rejected.length);
  if (opts.finite) {
    expect(nonFiniteNumbers(json)).toEqual([]);
    for (const s of json[p.subject.collection] as Obj[]) {
      for (const m of program.measures) {
        expectMeasureValue(s[m.id], `${String(s[p.subject.key])}.${m.id}`);
        for (const [year, values] of Object.entries(s[p.period.collection] as Record<string, Obj>)) {
          expectMeasureValue(values[m.id], `${String(s[p.subject.key])}.${year}.${m.id}`);
        }
      }
      for (const v of s.violations as Obj[]) {
        const both = [v.actual, v.required];
        expect(both.every((x) => x === null) || both.every((x) => typeof x === 'number' && Number.isFinite(x)), JSON.stringify(v)).toBe(true);
      }
    }
  }
  return json;
}

/** Compiles a loaded policy and runs generated records through it, unless it hits a known bug. */
function exercise(checked: CheckedPolicy, seed: number): void {
  const bugs = knownBugs(checked);
  if (bugs.skipEngine.length > 0) return;
  const program = compilePolicy(checked);
  const { records, subjects } = recordsFor(checked.ast, seed, 24);
  runAndCheck(program, readCsv(records), seed % 3 === 0 ? [] : readCsv(subjects), { finite: bugs.skipFinite.length === 0 });
}

// ---- 1. text mutations of the corpus --------------------------------------------------------------

/** Where the YAML part ends: numbers before this offset are YAML scalars, not rule literals. */
function yamlPartEnd(text: string): number {
  const m = /^rules:/m.exec(text);
  return m ? m.index : text.length;
}

const VOCABULARY = [
  // keywords of the rule language
  'let', 'reject', 'exclude', 'disregard', 'measure', 'require', 'when', 'because', 'per', 'for', 'in', 'if', 'then',
  'else', 'and', 'or', 'not', 'between', 'is', 'present', 'missing', 'true', 'false', 'sum', 'count', 'where', 'by',
  'period', 'cycle', 'cycle_from', 'cycle_to', 'cycle_length', 'year', 'add_years', 'min', 'max',
  // operators and punctuation
  '==', '!=', '<=', '>=', '<', '>', '=', '+', '-', '*', '/', '(', ')', '[', ']', ',', ':', '.', '@', '%', '{', '}',
  '@cite("x")', '@note("y")', '@cite(', '"', '"{rate}"', '"\\', '# comment',
  // identifiers of the corpus
  'hours', 'days', 'kind', 'training', 'teaching', 'level', 'school', 'module', 'modules', 'credits', 'rate', 'score',
  'grade', 'grade(score)', 'grade(score).passed', 'rate_range[level].min', 'module_floor', 'module_floor[m].yearly', 'm',
  'hours_per_day', 'min_hours', 'total_hours', 'earned', 'points', 'teacher_id', 'record_id', 'date', 'status', 'void',
  'online_hours_bucket', 'first_year_counts', 'is_new', 'hired_on', 'credit/hour', 'hour', 'credit', '优', '不合格', 'x',
  // numbers
  '0', '1', '72', '0.5', '60%', '100%', '1.', '.5', '-1', '1e3', '99999999999999999999', '0x10', '1e400',
  // YAML punctuation and structure
  ': ', ' :', '- ', '|', '|-', '|2', '>', '>-', '? ', '&a ', '*a', '!!str ', '!!int ', '---\n', '...\n', '\n', '\n  ',
  '\t', '\r\n', '\r', '  ', "'", '~', 'null', '[]', '{}', 'key: value\n', '%YAML 1.2\n', '<<: *a\n',
  // odd characters
  '\uFEFF', '\u3000', '\u0000', '\u00A0', '“', '”', '🙂', '\uD800', '\u200B', '１２',
] as const;

/** Odd YAML numbers (and things that are not numbers) to put where a number was. */
const ODD_NUMBERS = [
  '0x10', '-1', '1e400', '-1e400', '.inf', '-.inf', '.nan', "''", '""', '1e-400', '99999999999999999999', '1e1000',
  '9007199254740993', '0o17', '1_000', '+1', '-0', '0', '1.', '.5', '1e15', '~', 'null', '[]', '{}', 'true', '2016-02-30',
  '1.0e+2', '0.000000000000000000001', '-99999999999999999999',
] as const;

type Mutation =
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'duplicate-line'; readonly line: number }
  | { readonly kind: 'swap-lines'; readonly a: number; readonly b: number }
  | { readonly kind: 'insert'; readonly at: number; readonly token: string }
  | { readonly kind: 'number'; readonly which: number; readonly value: string }
  | { readonly kind: 'indent'; readonly line: number; readonly delta: number; readonly tab: boolean }
  | { readonly kind: 'crlf' }
  | { readonly kind: 'bom' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 400 })) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...VOCABULARY) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) }) }),
  fc.record({ kind: fc.constant('number' as const), which: fc.nat(), value: fc.constantFrom(...ODD_NUMBERS) }),
  fc.record({ kind: fc.constant('indent' as const), line: fc.nat(), delta: fc.integer({ min: -4, max: 4 }), tab: fc.boolean() }),
  fc.constant({ kind: 'crlf' as const }),
  fc.constant({ kind: 'bom' as const }),
);

function mutate(text: string, m: Mutation): string {
  const lines = () => text.split('\n');
  switch (m.kind) {
    case 'delete': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case 'duplicate-line': {
      const ls = lines();
      const i = m.line % ls.length;
      ls.splice(i, 0, ls[i]!);
      return ls.join('\n');
    }
    case 'swap-lines': {
      const ls = lines();
      const a = m.a % ls.length;
      const b = m.b % ls.length;
      [ls[a], ls[b]] = [ls[b]!, ls[a]!];
      return ls.join('\n');
    }
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.token + text.slice(at);
    }
    case 'number': {
      const end = yamlPartEnd(text);
      const found = [...text.slice(0, end).matchAll(/\d+(?:\.\d+)?/g)];
      if (found.length === 0) return text;
      const hit = found[m.which % found.length]!;
      return text.slice(0, hit.index) + m.value + text.slice(hit.index + hit[0].length);
    }
    case 'indent': {
      const ls = lines();
      const i = m.line % ls.length;
      const line = ls[i]!;
      const unit = m.tab ? '\t' : ' ';
      ls[i] = m.delta >= 0 ? unit.repeat(m.delta) + line : line.replace(new RegExp(`^ {0,${-m.delta}}`), '');
      return ls.join('\n');
    }
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
    case 'bom':
      return `\uFEFF${text}`;
  }
}

describe('1. text mutations of the corpus: loadPolicy never throws, diagnostics are well formed', () => {
  it('every corpus file loads without throwing, with well-formed diagnostics; Lincang and the minimal policy load ok', () => {
    for (const s of corpus) load(s.text, s.name);
    expect(load(LINCANG).result.ok).toBe(true);
    expect(load(VALID).result.ok).toBe(true);
  });

  it('after 1–4 random edits, loadPolicy returns diagnostics (never throws); a policy that still loads compiles and runs', () => {
    const seeds = fc.constantFrom(...corpus);
    fc.assert(
      fc.property(seeds, fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.nat(), (seed, edits, rowSeed) => {
        const text = edits.reduce(mutate, seed.text);
        const { result } = load(text, `${seed.name} + ${JSON.stringify(edits)}`);
        if (result.ok) exercise(result.value, rowSeed);
      }),
      runs(150),
    );
  }, TIMEOUT);

  it('odd values in place of any YAML number never crash loading, nor the engine when they load', () => {
    const seeds = fc.constantFrom(...corpus.filter((s) => s.name.includes('lincang') || s.name.endsWith('valid.yaml') || s.name.includes('policies/')));
    fc.assert(
      fc.property(seeds, fc.array(fc.record({ which: fc.nat(), value: fc.constantFrom(...ODD_NUMBERS) }), { minLength: 1, maxLength: 3 }), fc.nat(), (seed, edits, rowSeed) => {
        const text = edits.reduce((t, e) => mutate(t, { kind: 'number', ...e }), seed.text);
        const { result } = load(text, `${seed.name} + ${JSON.stringify(edits)}`);
        if (result.ok) exercise(result.value, rowSeed);
      }),
      runs(60),
    );
  }, TIMEOUT);

  it('random text (and random rules blocks) never make loadPolicy throw', () => {
    const head = VALID.slice(0, VALID.indexOf('rules: |'));
    const ruleText = fc.array(fc.oneof(fc.constantFrom(...VOCABULARY), fc.constantFrom(' ', ' ', '\n  ')), { maxLength: 60 }).map((ts) => ts.join(' '));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), ruleText.map((r) => `${head}rules: |\n  ${r}\n`)), (text) => {
        const { result } = load(text, `random text ${JSON.stringify(text.slice(0, 80))}…`);
        if (result.ok) exercise(result.value, text.length);
      }),
      runs(100),
    );
  }, TIMEOUT);
});

// ---- 2. semantic mutations of the Lincang policy --------------------------------------------------

const PARAMETER_LINE = /^( {2}\w+: \{ value: )([^,]+)(,)/gm;
const CELL = /\b((?:min|max|credits_per_hour|cycle|yearly|coefficient): )(-?[\d.]+)/g;
const BAND_FROM = /\b(from: )(\d+)(,)/g;
const PASSED = /\b(passed: )(true|false)/g;
const BOOL_SETTING = /^( {2}\w+:\n {4}value: )(true|false)$/gm;
const CHOICE_SETTING = /^( {2}online_hours_bucket:\n {4}value: )(\w+)$/m;
const CYCLE = /^( {2}from: )(\d+)(\n {2}to: )(\d+)$/m;
const OPTIONAL_FIELD = /^( {4}(?:level|format|module|elective|days|hours|practical_hours|rate|score): \{ type: \w+)(,)/gm;

const count = (re: RegExp) => [...LINCANG.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))].length;
const section = (text: string, from: string, to: string) => [text.indexOf(from), text.indexOf(to)] as const;

/** Replaces the i-th match of `re` (global) inside [start, end) with `replace(match)`, for every i with an edit. */
function replaceEach(text: string, re: RegExp, edits: readonly (string | null)[], range: readonly [number, number] = [0, text.length]): string {
  let i = 0;
  const [start, end] = range;
  const inner = text.slice(start, end).replace(re, (...args: unknown[]) => {
    const whole = args[0] as string;
    const groups = args.slice(1, -2) as (string | undefined)[];
    const edit = edits[i++];
    if (edit === null || edit === undefined) return whole;
    return `${groups[0]}${edit}${groups[2] ?? ''}`;
  });
  return text.slice(0, start) + inner + text.slice(end);
}

/**
 * Plain decimals the checker accepts (at most 15 digits each side of the point, no exponent)
 * and the engine must handle: signs, fractions, the largest and smallest it takes.
 */
const decimalText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 0, max: 500 }).map(String),
  fc.integer({ min: -100_000, max: 1_000_000 }).map((n) => String(n / 100)),
  fc.constantFrom('0', '0.0', '-0', '.5', '5.', '+7', '0.000001', '123456789012.345678', '999999999999999', '-999999999999999', '0.000000000000001'),
);
const boolText = fc.constantFrom('true', 'false');

interface SemanticEdit {
  readonly parameters: readonly (string | null)[];
  readonly cells: readonly (string | null)[];
  readonly bandFroms: readonly number[] | null;
  readonly passed: readonly (string | null)[];
  readonly settings: readonly (string | null)[];
  readonly bucket: string | null;
  readonly cycle: readonly [number, number] | null;
  readonly required: readonly boolean[];
  readonly order: readonly number[] | null;
}

const RULES_AT = LINCANG.indexOf('rules: |\n') + 'rules: |\n'.length;
const RULE_CHUNKS = LINCANG.slice(RULES_AT).split(/\n[ \t]*\n/).filter((c) => c.trim() !== '');

const optionsOf = <T>(arb: fc.Arbitrary<T>, n: number) => fc.array(fc.option(arb, { freq: 3 }), { minLength: n, maxLength: n });

const semanticEdit: fc.Arbitrary<SemanticEdit> = fc.record({
  parameters: optionsOf(decimalText, count(PARAMETER_LINE)),
  cells: optionsOf(decimalText, count(CELL)),
  bandFroms: fc.option(fc.uniqueArray(fc.integer({ min: -50, max: 200 }), { minLength: count(BAND_FROM), maxLength: count(BAND_FROM) }).map((xs) => [...xs].sort((a, b) => b - a)), { freq: 2 }),
  passed: optionsOf(boolText, count(PASSED)),
  settings: optionsOf(boolText, count(BOOL_SETTING)),
  bucket: fc.option(fc.constantFrom('by_level', 'school_based')),
  cycle: fc.option(fc.tuple(fc.integer({ min: 1990, max: 2030 }), fc.integer({ min: 0, max: 12 })).map(([from, n]) => [from, from + n] as const), { freq: 2 }),
  required: fc.array(fc.boolean(), { minLength: count(OPTIONAL_FIELD), maxLength: count(OPTIONAL_FIELD) }),
  order: fc.option(fc.shuffledSubarray(RULE_CHUNKS.map((_, i) => i), { minLength: RULE_CHUNKS.length, maxLength: RULE_CHUNKS.length }), { freq: 2 }),
});

function applySemantic(e: SemanticEdit): string {
  let t = LINCANG;
  t = replaceEach(t, PARAMETER_LINE, e.parameters, section(t, '\nparameters:', '\ntables:'));
  t = replaceEach(t, CELL, e.cells, section(t, '\ntables:', '\nrules:'));
  if (e.bandFroms) t = replaceEach(t, BAND_FROM, e.bandFroms.map(String), section(t, '\ntables:', '\nrules:'));
  t = replaceEach(t, PASSED, e.passed, section(t, '\ntables:', '\nrules:'));
  t = replaceEach(t, BOOL_SETTING, e.settings, section(t, '\nsettings:', '\nparameters:'));
  if (e.bucket) t = t.replace(CHOICE_SETTING, `$1${e.bucket}`);
  if (e.cycle) t = t.replace(CYCLE, `$1${e.cycle[0]}$3${e.cycle[1]}`);
  t = replaceEach(t, OPTIONAL_FIELD, e.required.map((r) => (r ? ', required: true,' : null)), section(t, '\nrecord:', '\nperiod:'));
  if (e.order) {
    const at = t.indexOf('rules: |\n') + 'rules: |\n'.length;
    t = `${t.slice(0, at)}${e.order.map((i) => RULE_CHUNKS[i]!).join('\n\n')}\n`;
  }
  return t;
}

/** Token classes of the rules block whose members can stand in for each other. */
const KEYWORDS = new Set(['let', 'reject', 'exclude', 'disregard', 'measure', 'require', 'when', 'because', 'per', 'for', 'in', 'if', 'then',
  'else', 'and', 'or', 'not', 'between', 'is', 'present', 'missing', 'true', 'false', 'sum', 'count', 'where', 'by']);
const SWAPS: readonly (readonly string[])[] = [
  ['and', 'or'], ['reject', 'exclude', 'disregard'], ['present', 'missing'], ['true', 'false'], ['period', 'cycle'],
  ['==', '!=', '<', '<=', '>', '>='], ['+', '-', '*', '/'],
];
const NUMBER_POOL = ['0', '1', '2', '0.5', '6', '72', '100', '60%', '0.0001', '99999999999999', '1000000000000000000000'];

interface RuleToken {
  readonly at: number;
  readonly text: string;
  /** What it may become. */
  readonly pool: readonly string[];
}

/** The tokens of the Lincang rules outside strings, comments and annotations, with their stand-ins. */
const RULE_TOKENS: readonly RuleToken[] = (() => {
  const names = new Set<string>();
  const found: { at: number; text: string }[] = [];
  const tokenRe = /[A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff]*|\d+(?:\.\d+)?%?|==|!=|<=|>=|<|>|\+|-|\*|\//g;
  let offset = RULES_AT;
  for (const line of LINCANG.slice(RULES_AT).split('\n')) {
    const code = line.replace(/#.*$/, '');
    if (!/^\s*@/.test(code)) {
      const strings = [...code.matchAll(/"(?:[^"\\]|\\.)*"/g)].map((m) => [m.index, m.index + m[0].length] as const);
      for (const m of code.matchAll(tokenRe)) {
        if (strings.some(([a, b]) => m.index >= a && m.index < b)) continue;
        found.push({ at: offset + m.index, text: m[0] });
        if (/^[A-Za-z_\u4e00-\u9fff]/.test(m[0]) && !KEYWORDS.has(m[0])) names.add(m[0]);
      }
    }
    offset += line.length + 1;
  }
  const namePool = [...names].sort();
  return found.flatMap(({ at, text }) => {
    const swap = SWAPS.find((g) => g.includes(text));
    if (swap) return [{ at, text, pool: swap }];
    if (/^\d/.test(text)) return [{ at, text, pool: NUMBER_POOL }];
    if (KEYWORDS.has(text)) return [];
    return [{ at, text, pool: namePool }];
  });
})();

/** Replaces the chosen rule tokens (by index, stand-in index), last first so offsets hold. */
function applyTokenEdits(edits: readonly { which: number; to: number }[]): string {
  const chosen = new Map<number, string>();
  for (const e of edits) {
    const t = RULE_TOKENS[e.which % RULE_TOKENS.length]!;
    chosen.set(e.which % RULE_TOKENS.length, t.pool[e.to % t.pool.length]!);
  }
  let text = LINCANG;
  for (const [i, to] of [...chosen].sort((a, b) => b[0] - a[0])) {
    const t = RULE_TOKENS[i]!;
    text = text.slice(0, t.at) + to + text.slice(t.at + t.text.length);
  }
  return text;
}

/** Hand-made rows in the sample's columns: blanks, odd values, duplicates, ragged rows. */
const ODD_ROWS = [
  'X1,,,,,,,,,,,,,,',
  ',,,,,,,,,,,,,,',
  'X2,T00001,2017-05-01,training,county,short_term,ethics,true,,,,1,95,true,ok',
  'X3,T00001,2016-02-29,training,county,short_term,ethics,TRUE,1e14,,,1,100,true,ok',
  'X4,T00001,2017-02-29,training,county,online,ability,true,,-1,,1,95,true,ok',
  'X5,T00002,2018-01-01,teaching,national,,,,,999999999999999,,,,true,ok',
  'X6,T00002,2018-01-01,induction,,,,,,12,12.5,,,true,ok',
  'X7,T00003,2019-06-01,training, county,online,ethics,false,,3,,0,59.99,,void',
  'X8,T00003,2019-06-01,Training,school,school_based,school_based,true,,24,,0.5,89.5,true,ineffective',
  'R0000001,T00001,2016-02-28,training,county,online,class_management,true,,12,,0.85,78,true,ok',
  'X9,"T0000\n4",2020-12-31,teaching,county,,mental_health,,,0.001,,,,true,ok',
  'X10,T00005,1999-01-01,training,county,online,ethics,true,,1,,1,95,true,ok',
  'X11,T00005,2016-01-01,training,county,online',
  'X12,T00005,2016-01-01,training,county,online,ethics,true,,1,,1,95,true,ok,extra,cells',
  'X13,T00006,2016-06-01,training,national,short_term,knowledge,false,0.5,,,3,0,true,ok',
  'X14,T00006,2016-06-01,teaching,school,,ethics,,,7,,,,true,ok',
  'X15,,2016-06-01,training,county,online,ethics,true,,1,,1,95,true,ok',
];
const ODD_TEACHERS = 'T00005,S9,C9,2017-09-01\nT00006,S9,C9,2016-02-29\nT00001,S1,C1,2016-01-01\n,S,C,\nT00099,S,C,1899-12-31\n';
const SAMPLE_EVENTS = readCsv(SAMPLE_RECORDS + ODD_ROWS.join('\n') + '\n');
const TEACHER_EVENTS = readCsv(SAMPLE_TEACHERS + ODD_TEACHERS);

describe('2. semantic mutations of the Lincang policy: what loads, compiles and runs, and the report adds up', () => {
  it('every edit site is found in the policy (the generators edit something)', () => {
    for (const re of [PARAMETER_LINE, CELL, BAND_FROM, PASSED, BOOL_SETTING, OPTIONAL_FIELD]) expect(count(re), re.source).toBeGreaterThan(0);
    expect(CHOICE_SETTING.test(LINCANG) && CYCLE.test(LINCANG)).toBe(true);
    expect(RULE_CHUNKS.length).toBeGreaterThan(40);
    // With no edit, the text is the policy (up to the rules block's trailing newline).
    const none: SemanticEdit = { parameters: [], cells: [], bandFroms: null, passed: [], settings: [], bucket: null, cycle: null, required: [], order: null };
    expect(applySemantic(none)).toBe(LINCANG);
  });

  let loaded = 0;
  let total = 0;
  it('changed parameters, cells, bands, settings, cycle, required fields and statement order: compile + evaluate never throw', () => {
    fc.assert(
      fc.property(semanticEdit, (edit) => {
        total++;
        const text = applySemantic(edit);
        const { result } = load(text, `lincang + ${JSON.stringify(edit)}`);
        if (!result.ok) return;
        loaded++;
        const bugs = knownBugs(result.value);
        expect(bugs.skipEngine).toEqual([]);
        const program = compilePolicy(result.value);
        runAndCheck(program, SAMPLE_EVENTS, TEACHER_EVENTS, { finite: bugs.skipFinite.length === 0 });
        runAndCheck(program, SAMPLE_EVENTS, [], { finite: bugs.skipFinite.length === 0 });
      }),
      runs(20),
    );
    // The edits are meant to keep the policy loadable: most of them must.
    expect(loaded).toBeGreaterThan(total / 2);
    if (process.env.GUIZE_FUZZ_STATS) console.log(`semantic edits: ${loaded} of ${total} loaded`);
  }, TIMEOUT);

  let tokenLoaded = 0;
  let tokenTotal = 0;
  it('token-level edits of the rules (names, operators, numbers, outcomes, scopes): what loads runs without throwing', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ which: fc.nat(), to: fc.nat() }), { minLength: 1, maxLength: 3 }), (edits) => {
        tokenTotal++;
        const text = applyTokenEdits(edits);
        const { result } = load(text, `lincang + tokens ${JSON.stringify(edits)}`);
        if (!result.ok) return;
        tokenLoaded++;
        const bugs = knownBugs(result.value);
        if (bugs.skipEngine.length > 0) return;
        runAndCheck(compilePolicy(result.value), SAMPLE_EVENTS, TEACHER_EVENTS, { finite: bugs.skipFinite.length === 0 });
      }),
      runs(40),
    );
    // Some of the edits must keep the policy loadable, or this property tests nothing.
    expect(RULE_TOKENS.length).toBeGreaterThan(300);
    if (tokenTotal >= 40) expect(tokenLoaded).toBeGreaterThan(0);
    if (process.env.GUIZE_FUZZ_STATS) console.log(`token edits: ${tokenLoaded} of ${tokenTotal} loaded`);
  }, TIMEOUT);

  it('the unedited policy runs the sample and the hand-made rows, and the report adds up', () => {
    const { result } = load(LINCANG, 'lincang');
    if (!result.ok) throw new Error('the Lincang policy does not load');
    const json = runAndCheck(compilePolicy(result.value), SAMPLE_EVENTS, TEACHER_EVENTS, { finite: true });
    expect((json.summary as Obj).rows_read).toBe(1642 + ODD_ROWS.length);
  });
});

// ---- 3. adversarial policies ----------------------------------------------------------------------

const VALID_HEAD = VALID.slice(0, VALID.indexOf('rules: |'));
const CITE = '@cite("办法 第九条")';
/** The minimal valid policy with `rules` as its rules block (each line indented two spaces). */
const withRules = (rules: string, head = VALID_HEAD) => `${head}rules: |\n${rules.split('\n').map((l) => (l ? `  ${l}` : '')).join('\n')}\n`;
/** A measure and a requirement, so a rule set has something to report. */
const REPORTING = `${CITE}\nmeasure total_hours "学时 / hours" = sum(hours)\n${CITE}\nrequire yearly_hours "每年 / a year" per period: total_hours >= min_hours`;
const VALID_RECORDS = readCsv(renderCsv(['record_id', 'teacher_id', 'date', 'kind', 'hours', 'credits'], [
  ['A1', 'T1', '2016-03-01', 'training', '10', '2'], ['A2', 'T1', '2017-03-01', 'teaching', '', '1'],
  ['A3', 'T2', '2020-12-31', 'training', '80', ''], ['A4', 'T2', '2021-01-01', 'training', '1', '1'],
  ['A1', 'T3', '2018-01-01', 'training', '5', '5'], ['A5', 'T3', 'bad', 'training', '5', '5'],
]));

interface Adversary {
  readonly name: string;
  readonly text: () => string;
  /** 'ok': must load; 'error': must not; undefined: either. */
  readonly expect?: 'ok' | 'error';
  /** Codes that must be among the diagnostics. */
  readonly codes?: readonly string[];
}

function deepIfElse(n: number): string {
  return `${CITE}\nlet banded: hour = ${Array.from({ length: n }, (_, i) => `if hours > ${i} then ${i}`).join(' else ')} else 0\n${CITE}\nmeasure banded_total "分档 / banded" = sum(banded)\n${REPORTING}`;
}
function nestedThen(n: number): string {
  return `${CITE}\nlet nested: hour = ${'if hours > 1 then '.repeat(n)}hours${' else 0'.repeat(n)}\n${CITE}\nmeasure nested_total "嵌套 / nested" = sum(nested)\n${REPORTING}`;
}
function andChain(n: number): string {
  return `${CITE}\nreject long_and when ${Array.from({ length: n }, (_, i) => `hours != ${i + 1000}`).join(' and ')} and hours is missing because "x"\n${REPORTING}`;
}
function manyStatements(n: number): string {
  const measures = Array.from({ length: n - 2 }, (_, i) => `${CITE}\nmeasure m${i} "m${i} / m${i}" = sum(hours where kind == ${i % 2 ? 'training' : 'teaching'})`);
  return [...measures, REPORTING].join('\n');
}
function hugeKeyedTable(n: number): string {
  const values = Array.from({ length: n }, (_, i) => `v${i}`);
  const head = VALID_HEAD
    .replace('    credits: { type: number, unit: credit, min: 0 }', `    credits: { type: number, unit: credit, min: 0 }\n    band: { type: enum, values: [${values.join(', ')}] }`)
    .replace('parameters:', `tables:\n  big:\n    cite: 办法 第九条\n    key: band\n    columns: { a: hour, b: credit, c: { type: bool } }\n    rows:\n${values.map((v, i) => `      ${v}: { a: ${i}, b: ${i / 4}, c: ${i % 2 === 0} }`).join('\n')}\nparameters:`);
  return withRules(`${CITE}\nlet big_a: hour = if band is present and big[band].c then big[band].a else 0\n${CITE}\nmeasure big_total "大表 / big" = sum(big_a)\n${REPORTING}`, head);
}
function hugeBandTable(n: number): string {
  const head = VALID_HEAD.replace('parameters:', `tables:\n  bands:\n    cite: 办法 第九条\n    unit: hour\n    columns: { k: "1" }\n    bands:\n${Array.from({ length: n }, (_, i) => `      - { label: b${n - i}, from: ${n - i}, k: ${(n - i) / 1000} }`).join('\n')}\n    below: { label: none, k: 0 }\nparameters:`);
  return withRules(`${CITE}\nlet banded: hour = hours * bands(hours).k\n${CITE}\nmeasure banded_total "分档 / banded" = sum(banded)\n${REPORTING}`, head);
}
const toCrlf = (t: string) => t.replace(/\r?\n/g, '\r\n');

/** Rules that each use one kind of thing wrongly: every one must be an error, none a crash. */
const WRONG_USES = [
  'let a = min_hours(1)', 'let a = hours[1]', 'let a = hours.value', 'let a = kind.training', 'let a = sum(hours)',
  'let a = total_hours', 'let a = count()', 'let a = year(hours)', 'let a = year()', 'let a = add_years(date)',
  'let a = add_years(date, date)', 'let a = min(hours)', 'let a = max(hours, credits)', 'let a = nosuch(1)',
  'let a = hours + credits', 'let a = hours + "x"', 'let a = date + 1', 'let a = date * 2', 'let a = true + 1',
  'let a = kind + 1', 'let a = kind == nosuch', 'let a = kind == 1', 'let a = kind in [training, 3]', 
  'let a = if hours then 1 else 2', 'let a = if true then 1 else "x"', 'let a = if true then hours else credits',
  'let a = hours between credits and 3', 'let a = 1 < 2 < 3', 'let a = not hours', 'let a = -kind', 'let a = - "x"',
  'let a = hours is present is present', 'let a = cycle_from + hours', 'let a = a + 1',
  'let a = b\nlet b = a', 'let hours = 1', 'let kind = 1', 'let min_hours = 1', 'let a: nosuch = 1', 'let a: hour = credits',
  'let a: bool = 1', 'let a: date = hours', 'let a: text = 1', 'let a: hour/hour = hours', 'let a = "unterminated',
  'let a = 60%%', 'let a = 1..2', 'let a = .5', 'let a = 1e3', 'let a = @cite("x")',
  'measure a "a / a" = hours', 'measure a "a / a" = sum(hours by hours)', 'measure a "a / a" = sum(hours by nosuch)',
  'measure a "a / a" = sum(hours where hours)', 'measure a "a / a" = sum(sum(hours))', 'measure a "a / a" = count(where kind)',
  'measure a "a / a" = sum(hours by kind)[training]', 'measure a "a / a" = period', 
  'measure a "a / a" = sum(kind)', 'measure a "a / a" = sum(date)', 'measure total_hours "x / x" = sum(hours)',
  'measure compliant "a / a" = sum(hours)', 'measure years "a / a" = sum(hours)',
  'require a "a / a" per period: hours >= 1', 'require a "a / a" per cycle: total_hours', 'require a "a / a" per cycle: period > 1',
  'require a "a / a" per decade: total_hours >= 1', 'require a "a / a" per cycle for m in nosuch: total_hours >= 1',
  'require a "a / a" per cycle for m in min_hours: total_hours >= 1', 'require a "a / a" per cycle when hours > 1: total_hours >= 1',
  'require a "a / a" per cycle: total_hours >= "x"', 'require a "a / a" per cycle: total_hours == kind',
  'require a "a / a" per cycle: m >= 1', 'require a "a / a" per cycle: sum(hours) >= min_hours and true',
  'reject a when hours because "x"', 'reject a when total_hours > 1 because "x"', 'reject a when sum(hours) > 1 because "x"',
  'reject a when true because "{nosuch} {total_hours} {kind}"', 
  'exclude a when kind == teachng because "x"', 'disregard a when period > cycle_to because x',
  'reject a when true', 'reject when true because "x"', 'reject a when because "x"',
  '@nosuch("x")\nlet a = 1', '@cite\nlet a = 1', '@cite()\nlet a = 1', '@cite(1)\nlet a = 1', 
  'let let = 1', 'let a = = 1', 'let 1a = 1', 'let a.b = 1', 'let a = (((1)', 'let a = 1))', 'let a = [1]', 'let a = {1}',
] as const;

/** Odd rules that are nevertheless legal: they must load, compile and run. */
const ODD_BUT_LEGAL = [
  'let a = hours in []', 'let a = period', 'let a = cycle_length * 0', 'let a: hour = if true then hours else 0',
  'measure a "a / a" = sum(hours) + 1', 'measure teachers "a / a" = sum(hours)', 'measure a "a" = count()',
  'measure a "a / a" = sum(hours) / 0', 'measure a "a / a" = -sum(hours) * 100%', 'measure a "a / a" = sum(0 * hours where false)',
  'reject a when true because "{}{{hours}} {hours} {kind} {date} {period}"', 'reject no_hours when hours is missing because ""',
  'disregard a when kind != training and kind != teaching because "x"', 'exclude a when period < 1 or date < add_years(date, 1) because "x"',
  '@note("x")', '@cite("a", "b", "c")\n@note("n1")\n@note("n2")\nlet a = 1 # trailing comment',
] as const;

const ADVERSARIES: readonly Adversary[] = [
  { name: '300-level if … else if … chain', text: () => withRules(deepIfElse(300)), expect: 'ok' },
  { name: '3000-level if … else if … chain', text: () => withRules(deepIfElse(3000)), expect: 'error', codes: ['too-deep'] },
  { name: '3000 nested if … then if …', text: () => withRules(nestedThen(3000)), expect: 'error', codes: ['too-deep'] },
  { name: '3000 not not …', text: () => withRules(`${CITE}\nreject nots when ${'not '.repeat(3000)}true because "x"\n${REPORTING}`), expect: 'error', codes: ['too-deep'] },
  { name: '3000 unary minus', text: () => withRules(`${CITE}\nlet neg: hour = ${'- '.repeat(3000)}hours\n${REPORTING}`), expect: 'error', codes: ['too-deep'] },
  { name: '65 brackets', text: () => withRules(`${CITE}\nreject brackets when ${'('.repeat(65)}true${')'.repeat(65)} because "x"\n${REPORTING}`), expect: 'error', codes: ['too-deep'] },
  { name: '20 000 unbalanced closing brackets', text: () => withRules(`${CITE}\nreject brackets when true${')'.repeat(20_000)} because "x"\n${REPORTING}`), expect: 'error' },
  { name: '398-operand and chain', text: () => withRules(andChain(398)), expect: 'ok' },
  { name: '500-operand and chain', text: () => withRules(andChain(500)), expect: 'error', codes: ['too-deep'] },
  { name: '20 000-operand and chain', text: () => withRules(andChain(20_000)), expect: 'error', codes: ['too-deep'] },
  { name: '20 000 member accesses', text: () => withRules(`${CITE}\nreject members when hours${'.x'.repeat(20_000)} > 1 because "x"\n${REPORTING}`), expect: 'error' },
  { name: '10 000 statements', text: () => withRules(manyStatements(10_000)), expect: 'ok' },
  { name: '2 000 reasons with 20 placeholders each', text: () => withRules([...Array.from({ length: 2000 }, (_, i) => `${CITE}\ndisregard d${i} when hours > ${i + 100} because "${'{hours} '.repeat(20)}"`), REPORTING].join('\n')), expect: 'ok' },
  { name: 'keyed table with 500 rows', text: () => hugeKeyedTable(500), expect: 'ok' },
  { name: 'banded table with 3 000 bands', text: () => hugeBandTable(3000), expect: 'ok' },
  { name: 'a 1 MB comment in the rules', text: () => withRules(`# ${'注'.repeat(1_000_000)}\n${REPORTING}`), expect: 'ok' },
  { name: 'a 200 000-character reason', text: () => withRules(`${CITE}\nreject long_reason when hours > 1000 because "${'x'.repeat(200_000)}"\n${REPORTING}`), expect: 'ok' },
  { name: '2 000 unknown names (diagnostics capped)', text: () => withRules([...Array.from({ length: 2000 }, (_, i) => `${CITE}\nreject r${i} when nosuch${i} > 1 because "x"`), REPORTING].join('\n')), expect: 'error', codes: ['unknown-name'] },
  { name: 'Chinese identifiers everywhere', text: () => withRules(`${CITE}\nlet 学时数: hour = if 类型 == 培训 then hours else 0\n${CITE}\nmeasure 总学时 "学时 / hours" = sum(学时数)\n${CITE}\nrequire 年度学时 "每年 / a year" per period: 总学时 >= min_hours`, VALID_HEAD.replace('kind: { type: enum, values: [training, teaching], required: true }', '类型: { type: enum, values: [培训, 授课], required: true }')), expect: 'ok' },
  { name: 'emoji identifiers in the rules', text: () => withRules(`${CITE}\nlet 🙂 = 1\n${CITE}\nreject 😀 when hours > 🙂 because "🙂"\n${REPORTING}`), expect: 'error', codes: ['unexpected-character'] },
  { name: 'emoji keys in the YAML part', text: () => VALID.replace('min_hours:', '🙂: { value: 1, cite: x }\n  min_hours:').replace('hour: { zh: 学时, en: hours }', 'hour: { zh: 学时, en: hours }\n  ⏰: { zh: 钟, en: clock }'), expect: 'error' },
  { name: 'lone surrogates, zero-width and bidi characters', text: () => withRules(`${CITE}\nlet a\u200B = 1\n${CITE}\nreject r\u202E when hours > 1 because "\uD800\uDFFF\uDC00"\n${REPORTING}`), expect: 'error' },
  { name: 'NUL bytes in the YAML and the rules', text: () => VALID.replace('document:', 'document\u0000:').replace('hours is missing', 'hours\u0000is missing'), expect: 'error' },
  { name: 'full-width spaces between tokens', text: () => VALID.replace('kind == training', 'kind\u3000==\u3000training'), expect: 'ok' },
  { name: 'CRLF line endings throughout (Lincang)', text: () => toCrlf(LINCANG), expect: 'ok' },
  { name: 'CRLF line endings throughout (minimal)', text: () => toCrlf(VALID), expect: 'ok' },
  { name: 'CR-only line endings', text: () => VALID.replace(/\n/g, '\r') },
  { name: 'a BOM at the start (Lincang)', text: () => `\uFEFF${LINCANG}`, expect: 'ok' },
  { name: 'a BOM and CRLF with an error in the rules', text: () => `\uFEFF${toCrlf(VALID.replace('kind == training', 'knd == training'))}`, expect: 'error', codes: ['unknown-name'] },
  { name: 'a BOM in the middle of the rules', text: () => VALID.replace('kind == training', 'kind ==\uFEFF training'), expect: 'error' },
  { name: 'tabs inside the rules block', text: () => VALID.replace('reject no_hours when kind == training', 'reject\tno_hours\twhen\tkind\t==\ttraining'), expect: 'ok' },
  { name: 'tabs as YAML indentation', text: () => VALID.replace(/^ {2}/gm, '\t'), expect: 'error' },
  { name: 'tab-indented rules block', text: () => VALID.replace(/^( {2})(\S.*)$/gm, (line, _s, rest: string, offset: number) => (offset > VALID.indexOf('rules: |') ? `\t${rest}` : line)), expect: 'error' },
  { name: 'an empty rules block (|)', text: () => `${VALID_HEAD}rules: |\n`, expect: 'ok' },
  { name: 'an empty rules block (|, end of file)', text: () => `${VALID_HEAD}rules: |`, expect: 'ok' },
  { name: 'rules: ""', text: () => `${VALID_HEAD}rules: ""\n`, expect: 'ok' },
  { name: 'rules with only comments and blank lines', text: () => `${VALID_HEAD}rules: |\n  # nothing\n\n  # here\n`, expect: 'ok' },
  { name: 'rules: null', text: () => `${VALID_HEAD}rules:\n`, expect: 'error' },
  { name: 'rules as a folded block', text: () => `${VALID_HEAD}rules: >\n  ${REPORTING.replace(/\n/g, '\n  ')}\n`, expect: 'error', codes: ['rules-not-literal'] },
  { name: 'rules as a single-line plain scalar', text: () => `${VALID_HEAD}rules: let a = 1\n`, expect: 'ok' },
  { name: 'rules as a double-quoted scalar with escapes', text: () => `${VALID_HEAD}rules: "@cite(\\"x\\")\\nlet a = knd\\tb"\n` },
  { name: 'rules block with an indentation indicator and a digit in a comment', text: () => VALID.replace('rules: |\n', 'rules: |2 # 9 lives\n'), },
  { name: 'rules block with keep chomping and trailing blank lines', text: () => `${VALID.replace('rules: |\n', 'rules: |+\n')}\n\n\n` },
  { name: 'rules block more indented on its first line', text: () => VALID.replace('rules: |\n', 'rules: |\n      # deeper\n'), },
  { name: 'two documents', text: () => `${VALID}---\n${VALID}`, expect: 'error' },
  { name: 'anchors and aliases across sections', text: () => VALID.replace('min_hours: { value: 72, unit: hour, cite: 办法 第九条 }', 'min_hours: &p { value: 72, unit: hour, cite: 办法 第九条 }\n  other: *p') },
  { name: 'an alias bomb', text: () => `${VALID}extra: &a0 [x, x]\n${Array.from({ length: 30 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}]`).join('\n')}\n`, expect: 'error' },
  { name: 'a merge key', text: () => VALID.replace('min_hours: { value: 72, unit: hour, cite: 办法 第九条 }', 'base: &b { unit: hour, cite: 办法 第九条 }\n  min_hours: { <<: *b, value: 72 }'), expect: 'error' },
  { name: 'YAML tags', text: () => VALID.replace('value: 72', 'value: !!str 72').replace('version: "1"', 'version: !!binary aGk='), expect: 'error' },
  { name: 'a 200-deep flow collection', text: () => `${VALID}extra: ${'['.repeat(200)}${']'.repeat(200)}\n`, expect: 'error' },
  { name: 'cycle years 0–10 (not calendar years)', text: () => VALID.replace('from: 2016\n  to: 2020', 'from: 0\n  to: 10'), expect: 'error' },
  { name: 'cycle of negative years', text: () => VALID.replace('from: 2016\n  to: 2020', 'from: -5\n  to: -1'), expect: 'error' },
  { name: 'cycle of 51 years', text: () => VALID.replace('to: 2020', 'to: 2066'), expect: 'error' },
  { name: 'cycle backwards', text: () => VALID.replace('to: 2020', 'to: 2015'), expect: 'error' },
  { name: 'cycle 1e400', text: () => VALID.replace('to: 2020', 'to: 1e400'), expect: 'error' },
  { name: 'every wrong use of every kind of thing, one per statement', text: () => withRules([...WRONG_USES.map((w) => `${CITE}\n${w}`), REPORTING].join('\n')), expect: 'error' },
  ...WRONG_USES.map((w): Adversary => ({ name: `wrong use: ${w.replace(/\n/g, ' ⏎ ')}`, text: () => withRules(`${CITE}\n${w}\n${REPORTING}`), expect: 'error' })),
  ...ODD_BUT_LEGAL.map((w): Adversary => ({ name: `odd but legal: ${w.replace(/\n/g, ' ⏎ ')}`, text: () => withRules(`${CITE}\n${w}\n${REPORTING}`), expect: 'ok' })),
  { name: 'names that are Object.prototype members, declared in the YAML part', text: () => VALID.replace('min_hours:', 'constructor: { value: 1, cite: x }\n  toString: { value: 2, cite: x }\n  __proto__: { value: 3, cite: x }\n  min_hours:').replace('hour: { zh: 学时, en: hours }', 'hour: { zh: 学时, en: hours }\n  valueOf: { zh: a, en: b }') },
  { name: 'Object.prototype member names as table row keys and columns', text: () => VALID.replace('parameters:', 'tables:\n  t:\n    cite: x\n    key: kind\n    columns: { constructor: hour, __proto__: hour }\n    rows:\n      training: { constructor: 1, __proto__: 2 }\n      toString: { constructor: 1, __proto__: 2 }\nparameters:'), expect: 'error' },
];

describe('3. adversarial policies load without throwing, in reasonable time', () => {
  it.each(ADVERSARIES.map((a) => [a.name, a] as const))('%s', (_name, a) => {
    const text = a.text();
    const { result, ms } = load(text, a.name);
    expect(ms, `${a.name} took ${ms.toFixed(0)} ms to load`).toBeLessThan(HANG_MS);
    const codes = result.diagnostics.map((d) => d.code);
    if (a.expect === 'ok') expect(result.ok, JSON.stringify(result.diagnostics.filter((d) => d.severity === 'error').slice(0, 3))).toBe(true);
    if (a.expect === 'error') expect(result.ok).toBe(false);
    for (const code of a.codes ?? []) expect(codes).toContain(code);
    if (result.ok && knownBugs(result.value).skipEngine.length === 0) {
      const program = compilePolicy(result.value);
      const events = program.policy.record.fields.some((f) => f.id === 'hours') ? VALID_RECORDS : readCsv(recordsFor(program.policy, 7, 12).records);
      runAndCheck(program, events, [], { finite: true });
    }
  });

  it('CRLF and a BOM change neither the diagnostics (nor what they underline) nor the results', () => {
    // Same codes, and each underlines the same text (line breaks aside).
    const underlined = (r: ReturnType<typeof loadPolicy>, text: string) =>
      r.diagnostics.map((d) => `${d.code}: ${text.slice(d.span.start, d.span.end).replace(/\r/g, '')}`);
    for (const s of corpus) {
      const lf = load(s.text, s.name).result;
      for (const variant of [toCrlf(s.text), `\uFEFF${s.text}`, `\uFEFF${toCrlf(s.text)}`]) {
        const other = load(variant, `${s.name} (variant)`).result;
        expect(underlined(other, variant), s.name).toEqual(underlined(lf, s.text));
        expect(other.ok, s.name).toBe(lf.ok);
      }
    }
    const lf = load(LINCANG).result;
    const crlf = load(`\uFEFF${toCrlf(LINCANG)}`).result;
    if (!lf.ok || !crlf.ok) throw new Error('Lincang must load with CRLF and a BOM');
    expect(reportJson(evaluate(compilePolicy(crlf.value), SAMPLE_EVENTS))).toEqual(reportJson(evaluate(compilePolicy(lf.value), SAMPLE_EVENTS)));
  });
});

// ---- known product bugs ---------------------------------------------------------------------------
//
// Each test asserts the correct behaviour and fails today; `it.fails` keeps the suite green and
// turns red once the bug is fixed (then drop `.fails`). Minimal inputs, on the minimal valid policy.

/** Loads, compiles, evaluates and reports; any throw is the failure. */
function fullRun(text: string, events: readonly InputEvent[] = VALID_RECORDS): Obj | undefined {
  const r = loadPolicy(FILE, text);
  if (!r.ok) return undefined;
  return runAndCheck(compilePolicy(r.value), events, [], { finite: true });
}

describe('known product bugs (it.fails: each assertion states the correct behaviour)', () => {
  // Bug 1 — engine/compile.ts: `for (let y = cycle.from; y <= cycle.to; y++)`. The schema takes any
  // JSON integer and the checker only bounds the cycle's length, so `from: 99999999999999999999`
  // (= 1e20, where y++ is a no-op) loads, and compilePolicy loops pushing periods until V8 dies
  // ("Fatal JavaScript invalid size error"): the whole process, not an exception. Not runnable
  // here, so the test states the precondition compile relies on: a loaded cycle has safe years.
  it('bug 1: a cycle whose years are not safe integers is refused (compilePolicy would never return)', () => {
    for (const years of ['from: 99999999999999999999\n  to: 99999999999999999999', 'from: 9007199254740992\n  to: 9007199254740992']) {
      const r = load(VALID.replace('from: 2016\n  to: 2020', years)).result;
      expect(r.ok && !(Number.isSafeInteger(r.value.ast.cycle.from) && Number.isSafeInteger(r.value.ast.cycle.to))).toBe(false);
    }
  });

  // Bug 2 — engine/report.ts `number()` (Decimal#toNumber): the checker accepts any plain decimal,
  // `1e400` included, and a value past ~1.8e308 becomes Infinity in the report (null in JSON).
  // Minimal: `min_hours: { value: 1e400, … }` → every violation has `required: Infinity`.
  it('bug 2: a huge parameter (1e400) gives finite numbers in the report, or is refused', () => {
    fullRun(VALID.replace('value: 72', 'value: 1e400'));
  });
  it('bug 2: a huge factor (1e308 × hours) keeps measures finite, or is refused', () => {
    const text = withRules(`${CITE}\nlet scaled: hour = hours * big\n${CITE}\nmeasure scaled_total "放大 / scaled" = sum(scaled)\n${REPORTING}`,
      VALID_HEAD.replace('parameters:', 'parameters:\n  big: { value: 1e308, cite: 办法 第九条 }'));
    fullRun(text);
  });

  it('bug 2 (fixed by design): a value too large for a JSON number (hours²⁵) is reported as exact decimal text, never as null', () => {
    const text = withRules(`${CITE}\nlet power = ${Array(25).fill('hours').join(' * ')}\n${CITE}\nmeasure power_total "幂 / power" = sum(power)\n${REPORTING}`);
    const r = loadPolicy(FILE, text);
    if (!r.ok) throw new Error('does not load');
    const rows = readCsv('record_id,teacher_id,date,kind,hours,credits\nA1,T1,2016-03-01,training,999999999999999,1\n');
    const json = reportJson(evaluate(compilePolicy(r.value), rows, [])) as Obj;
    const power = ((json.teachers as Obj[])[0] as Obj).power_total;
    expect(power).toMatch(/^\d{300,}$/);
    expect(String(power).startsWith('99999999999997500000')).toBe(true);
  });

  // Bug 3 — dsl/check-rules.ts `e.name in ambientNames` sees Object.prototype: an undeclared
  // `constructor`, `toString`, `valueOf`, `__proto__`, `hasOwnProperty`, … resolves as an ambient
  // name, the policy loads with no diagnostic, and compilePolicy throws
  //   Error: unexpected "constructor"  at assertNever (dsl/ast.ts) ← ExprCompiler.name (engine/compile-expr.ts)
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('bug 3: an undeclared name %s in a condition is unknown-name, not a compile crash', (name) => {
    const r = load(VALID.replace('hours is missing\n', `hours is missing and ${name} > 0\n`)).result;
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toContain('unknown-name');
  });
  it('bug 3: a reason placeholder {toString} is unknown-name, not a compile crash', () => {
    const r = load(VALID.replace('because "缺少学时 / hours missing"', 'because "缺少学时 {toString} / hours missing"')).result;
    expect(r.diagnostics.map((d) => d.code)).toContain('unknown-name');
  });

  // Bug 4 — dsl/check-rules.ts `plainTypes[stmt.unit.text]` sees Object.prototype: a let declared
  // with the unit `constructor` (or toString, valueOf, __proto__, …) makes loadPolicy itself throw
  //   Error: unexpected undefined  at assertNever ← describeType ← RuleChecker.expect ← checkLet
  it.each(['constructor', 'toString', '__proto__'])('bug 4: `let x: %s = 1` is an unknown-unit diagnostic, and loadPolicy does not throw', (unit) => {
    const { result } = load(withRules(`${CITE}\nlet x: ${unit} = 1\n${REPORTING}`));
    expect(result.diagnostics.map((d) => d.code)).toContain('unknown-unit');
  });

  // Bug 5 — check-declarations.ts `decimalPattern` takes any exponent, Decimal.parse refuses
  // |exponent| > 1000 and returns undefined, and engine/compile-expr.ts uses it with `!`: the
  // policy loads, then evaluation throws
  //   TypeError: Cannot read properties of undefined (reading 'sign')  at Decimal.cmp ← Evaluation.check
  // (parameters, band bounds; in a number cell `1e1001` crashes in Decimal.plus, or silently
  // reads as a missing cell; as a field's min/max it is silently ignored).
  it('bug 5: a parameter of 1e1001 is refused (not-a-number) or evaluates without throwing', () => {
    fullRun(VALID.replace('value: 72', 'value: 1e1001'));
  });
  it('bug 5: a band bound of 1e-1001 is refused or evaluates without throwing', () => {
    fullRun(withRules(`${CITE}\nlet banded: hour = hours * bands(hours).k\n${CITE}\nmeasure banded_total "分档 / banded" = sum(banded)\n${REPORTING}`,
      VALID_HEAD.replace('parameters:', 'tables:\n  bands:\n    cite: x\n    unit: hour\n    columns: { k: "1" }\n    bands:\n      - { label: hi, from: 1e-1001, k: 1 }\n    below: { label: lo, k: 0 }\nparameters:')));
  });

  // Bug 6 — lets call each other's closures recursively at run time (engine/compile.ts cachedLet
  // → compile-expr.ts), with no depth limit in the checker: a chain of ~6 000 lets, each using the
  // one before (`let a1: hour = a0 + hours` …), loads (in ~1 s) and compiles, then evaluate throws
  //   RangeError: Maximum call stack size exceeded  at cached (engine/compile.ts)
  it('bug 6: a chain of 10 000 lets evaluates without throwing (or is refused as too deep)', () => {
    const lets = Array.from({ length: 9999 }, (_, i) => `${CITE}\nlet a${i + 1}: hour = a${i} + hours`);
    fullRun(withRules([`${CITE}\nlet a0: hour = hours`, ...lets, `${CITE}\nmeasure chain "链 / chain" = sum(a9999)`, REPORTING].join('\n')));
  });

  // Bug 11 — dsl/check-rules.ts checks a let (or measure) when it is first referenced, recursively
  // (checkLet → expr → name → checkLet …), and the per-expression depth limit (400) does not
  // bound the sum over a chain of references. loadPolicy throws
  //   RangeError: Maximum call stack size exceeded  at RuleChecker.checkLet / RuleChecker.infer
  // for ~1 100 lets written top-down (each using the one declared after it), ~2 000 measures
  // likewise, a cycle of ~1 200 lets (which should be a cyclic-definition error), or just 5–50
  // top-down lets that are each a 398-operand `and` chain ending in the next one.
  const topDown = (n: number, body: (next: string) => string) => withRules([
    `${CITE}\ndisregard chained when a0 because "x"`,
    ...Array.from({ length: n }, (_, i) => `${CITE}\nlet a${i}: bool = ${body(i === n - 1 ? 'true' : `a${i + 1}`)}`),
    REPORTING,
  ].join('\n'));
  it('bug 11: 3 000 lets written top-down load without throwing', () => {
    load(topDown(3000, (next) => next));
  });
  it('bug 11: a cycle of 3 000 lets is a cyclic-definition error, not a throw', () => {
    const { result } = load(withRules([...Array.from({ length: 3000 }, (_, i) => `${CITE}\nlet a${i}: hour = a${(i + 1) % 3000}`), `${CITE}\nmeasure m "m / m" = sum(a0)`, REPORTING].join('\n')));
    expect(result.diagnostics.map((d) => d.code)).toContain('cyclic-definition');
  });
  it('bug 11: fifty top-down lets, each a 398-operand `and` chain, load without throwing', () => {
    const chain = Array.from({ length: 397 }, (_, k) => `hours != ${k + 1000}`).join(' and ');
    load(topDown(50, (next) => `${next} and ${chain}`));
  });

  // Bug 7 — spreads of a list literal's items as call arguments: `x in [<~150 000 items>]`
  // overflows the stack in dsl/check-rules.ts (`orDeps(v.deps, ...items.map(…))`), so loadPolicy
  // throws RangeError; with ~65 000–125 000 numeric items loading succeeds and compilePolicy
  // throws it instead (engine/compile-expr.ts `this.folded(…, v, ...items)`).
  const longList = (n: number) => withRules(`${CITE}\nreject long_list when hours in [${'1,'.repeat(n - 1)}1] because "x"\n${REPORTING}`);
  it('bug 7: `hours in [<250 000 items>]` does not make loadPolicy throw', () => {
    load(longList(250_000));
  });
  it('bug 7: `hours in [<100 000 items>]` compiles without throwing', () => {
    fullRun(longList(100_000));
  });

  // Bug 8a — dsl/yaml-source.ts widens an empty location to one character, also at the very end
  // of the text (`spanAt`: `Math.max(range[1], range[0] + 1)`; `parseYaml`: `Math.max(e.pos[1],
  // e.pos[0] + 1)`): an empty file, `rules:` with nothing after it as the last line, or a quote or
  // bracket left open until the end of the file, give a diagnostic spanning [length, length + 1).
  it.each([
    ['an empty file', ''],
    ['`rules:` with no value as the last line', `${VALID_HEAD}rules:`],
    ['a bracket left open at the end of the file', `${VALID}extra: [`],
    ['a quote left open at the end of the file', `${VALID}extra: "`],
  ])('bug 8a: %s gives diagnostics whose spans lie inside the text', (_name, text) => {
    const r = loadPolicy(FILE, text);
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) expect(d.span.end).toBeLessThanOrEqual(text.length);
  });

  // Bug 8b — dsl/yaml-source.ts `stringValueMap` takes the first digit anywhere on the block's
  // header line as the indentation indicator, comments included: after `rules: | # 9 lives` every
  // rule diagnostic is shifted 7 columns right (it underlines "s mis" for `hourz is missing`),
  // and one near the end of the file points past the end of the text.
  it('bug 8b: a digit in a comment after `rules: |` does not move the diagnostics', () => {
    const text = VALID.replace('rules: |\n', 'rules: | # 9 lives\n').replace('hours is missing\n', 'hourz is missing\n');
    const d = loadPolicy(FILE, text).diagnostics.find((x) => x.code === 'unknown-name');
    expect(d && text.slice(d.span.start, d.span.end)).toBe('hourz');
  });

  // Bug 8c — dsl/yaml-source.ts `stringValueMap` finds the block's indentation from the first
  // line with content, counting a line break only at '\n'; the YAML parser takes a lone '\r' as
  // content. After `rules: |` a first line "  \r " (indent 2 for YAML, blank for the map) and a
  // rule indented 5 put every rule diagnostic 3 characters late, the last one past the end of
  // the text (found by the random-text property: `rules: |\n  \r \n     let\n`).
  it('bug 8c (fixed by refusing): a lone CR is a bad-line-ending error at the CR, not misplaced diagnostics', () => {
    const text = `${VALID_HEAD}rules: |\n  \r \n     let x = knd\n`;
    const r = loadPolicy(FILE, text);
    expect(r.diagnostics.map((x) => x.code)).toEqual(['bad-line-ending']);
    expect(text.slice(r.diagnostics[0]!.span.start, r.diagnostics[0]!.span.end)).toBe('\r');
  });

  // Bug 9 — dsl/check.ts `checkOutputNames` misses several report keys: a subject collection
  // named `out_of_scope` (or rejected_by_rule, disregarded_by_rule, …) overwrites that count in the
  // summary, so rows_read ≠ evaluated + rejected + out_of_scope; a subject field named `violations`,
  // `compliant`, `records` or like the period collection (`years`), or a period collection named
  // `compliant`/`violations`/`records`, silently replaces the subject's own entry (null instead of
  // a list, a boolean, the counts).
  const subjectField = (id: string) => VALID.replace('teacher_id: { type: text, required: true }\n\nrecord', `teacher_id: { type: text, required: true }\n    ${id}: { type: text }\n\nrecord`);
  it.each([
    ['subject collection out_of_scope', VALID.replace('collection: teachers', 'collection: out_of_scope')],
    ['subject collection rejected_by_rule', VALID.replace('collection: teachers', 'collection: rejected_by_rule')],
    ['subject field violations', subjectField('violations')],
    ['subject field records', subjectField('records')],
    ['subject field compliant', subjectField('compliant')],
    ['period collection compliant', VALID.replace('collection: years', 'collection: compliant')],
  ])('bug 9: %s is refused (output-name-clash) or leaves the report intact', (_name, text) => {
    const r = loadPolicy(FILE, text);
    if (!r.ok) return void expect(r.diagnostics.map((d) => d.code)).toContain('output-name-clash');
    const json = fullRun(text)!;
    const p = r.value.ast;
    const summary = json.summary as Obj;
    expect(Object.keys(summary.rejected_by_rule as Obj)).toEqual(['no_hours']);
    for (const s of json[p.subject.collection] as Obj[]) {
      expect(typeof s.compliant).toBe('boolean');
      expect(Array.isArray(s.violations)).toBe(true);
      expect(s.records).toMatchObject({ evaluated: expect.any(Number) });
      expect(Object.keys(s[p.period.collection] as Obj)).toEqual(['2016', '2017', '2018', '2019', '2020']);
    }
  });

  // Bug 10 — dsl/suggest.ts `distance` builds the full (n+1)×(m+1) matrix for every candidate,
  // with no cap on length: one misspelt 6 000-character name takes ~1.5 s, 10 000 ~4 s, 20 000
  // ~22 s and 3.4 GB, and 30 000 kills the process (JavaScript heap out of memory) inside
  // loadPolicy. The same function serves every "did you mean" (units, fields, table keys, …).
  it('bug 10: a misspelt 6 000-character name is diagnosed quickly (no quadratic did-you-mean)', () => {
    const long = 'a'.repeat(6000);
    const text = withRules(`${CITE}\nlet ${long}: hour = hours\n${CITE}\nmeasure m "m / m" = sum(${long.slice(1)}b)\n${REPORTING}`);
    const t0 = performance.now();
    const result = loadPolicy(FILE, text); // not load(): this one is known to be slow
    const ms = performance.now() - t0;
    expect(result.diagnostics.map((d) => d.code)).toContain('unknown-name');
    expect(ms).toBeLessThan(400);
  });
});
