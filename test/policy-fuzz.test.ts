// Fuzz tests of the policy pipeline, seeded from the conformance corpus (the Lincang policy and
// every policy under test/cases/). The contract under test:
//
//   * `loadPolicy` never throws, whatever the text: every problem is a diagnostic with a code, a
//     message in both languages and a span inside the text;
//   * a policy that loads compiles, and evaluating any records with it never throws;
//   * the report adds up (rows read = evaluated + rejected + out of scope) and every number in it
//     is finite.
//
// Two layers here: random text mutations of the corpus, and semantic mutations of the Lincang
// policy that keep it loadable. Hand-written adversarial policies and the regressions fuzzing
// found are in test/policy-adversarial.test.ts; the shared machinery is test/support/fuzz.ts.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../dsl/index.ts';
import { compilePolicy, evaluate } from '../engine/index.ts';
import { runs, TIMEOUT, LINCANG, VALID, corpus, load, runAndCheck, exercise, yamlPartEnd, ODD_ROWS, SAMPLE_EVENTS, TEACHER_EVENTS, type Obj } from './support/fuzz.ts';

// ---- 1. text mutations of the corpus --------------------------------------------------------------

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

// The ranges the city lets a county choose within hold the city's own values too: edits that
// move a rate are made on the policy without them, so that most still load.
const OPEN = LINCANG.replace(/ fork_range: \[[^\]]*\],/g, '').replace(/\n    # [^\n]*\n    fork_range: \{[^\n]*\}/, '');

function applySemantic(e: SemanticEdit): string {
  let t = OPEN;
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


describe('2. semantic mutations of the Lincang policy: what loads, compiles and runs, and the report adds up', () => {
  it('every edit site is found in the policy (the generators edit something)', () => {
    for (const re of [PARAMETER_LINE, CELL, BAND_FROM, PASSED, BOOL_SETTING, OPTIONAL_FIELD]) expect(count(re), re.source).toBeGreaterThan(0);
    expect(CHOICE_SETTING.test(LINCANG) && CYCLE.test(LINCANG)).toBe(true);
    expect(RULE_CHUNKS.length).toBeGreaterThan(40);
    // With no edit, the text is the policy (up to the rules block's trailing newline).
    const none: SemanticEdit = { parameters: [], cells: [], bandFroms: null, passed: [], settings: [], bucket: null, cycle: null, required: [], order: null };
    expect(OPEN).not.toContain('fork_range');
    expect(applySemantic(none)).toBe(OPEN);
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
        const program = compilePolicy(result.value);
        runAndCheck(program, SAMPLE_EVENTS, TEACHER_EVENTS, { finite: true });
        runAndCheck(program, SAMPLE_EVENTS, [], { finite: true });
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
        runAndCheck(compilePolicy(result.value), SAMPLE_EVENTS, TEACHER_EVENTS, { finite: true });
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
