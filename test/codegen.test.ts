// The generated code (engine/codegen/) against the interpreter: the same report, whichever path
// read and evaluated the rows — and generated source that no policy text can reach into.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../dsl/index.ts';
import { compilePolicy, evaluate, Evaluation, reportJson, type Program } from '../engine/index.ts';
import { generateProgram } from '../engine/codegen/program.ts';
import { rowParser } from '../engine/codegen/row-parser.ts';
import { RowDecoder } from '../engine/row-decoder.ts';
import { generateSample } from './support/lincang-sample.ts';
import { expectPathsAgree, ODD_ROWS, ODD_TEACHERS, readCsv, renderCsv, SAMPLE_RECORDS, SAMPLE_TEACHERS } from './support/fuzz.ts';
import { csv, lincang, policyText, RECORD_COLUMNS, training, type Rec } from './support/lincang.ts';
import { compileText, languagePolicy } from './support/language.ts';

const program = lincang();

/** Where each aggregate's totals begin, as the evaluation lays them out. */
function slots(p: Program): number[] {
  let w = 0;
  return p.aggregates.map((a) => {
    const first = w;
    w += a.positions ? a.positions.size : 1;
    return first;
  });
}

function load(text: string): Program {
  const loaded = loadPolicy('test.yaml', text);
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return compilePolicy(loaded.value);
}

describe('generated code and interpreter agree', () => {
  it('the Lincang policy is compiled, not interpreted (so these tests test something)', () => {
    expect(new Evaluation(program).compiled).toBe(true);
    expect(new Evaluation(program, { interpret: true }).compiled).toBe(false);
  });

  it('on the sample with odd rows, in chunks of every size from 1 byte', () => {
    const records = `${SAMPLE_RECORDS}${ODD_ROWS.join('\n')}\n`;
    for (const chunk of [1, 7, 64, 1000, 1 << 20]) expectPathsAgree(program, records, SAMPLE_TEACHERS + ODD_TEACHERS, chunk);
  });

  for (const [seed, teachers] of [[1, 30], [7, 120], [2024, 57]] as const) {
    it(`on a generated sample (seed ${seed}, ${teachers} teachers, messy), CRLF too`, () => {
      const s = generateSample({ teachers, seed, messy: true });
      expectPathsAgree(program, s.records, s.teachers, 997);
      expectPathsAgree(program, s.records.replace(/\n/g, '\r\n'), s.teachers, 4096);
    });
  }

  it('where numbers leave the fast form: in a product, in a sum of totals, in a quotient', () => {
    const big = '999999999999999';
    const rows = [
      // 999999999999999 h × rate 3 × 1.25 leaves 2^53 in a record: the interpreter takes it.
      training({ record_id: 'B1', teacher_id: 'T1', date: '2017-03-01', level: 'national', format: 'online', module: 'ethics', elective: true, hours: big, rate: 1, score: 95 }),
      // Sums of hours that each fit but together leave 2^53: the totals move to Decimals.
      ...Array.from({ length: 12 }, (_, i) => training({
        record_id: `B${i + 2}`, teacher_id: 'T2', date: '2018-03-01', level: 'school', format: 'school_based', module: 'school_based',
        elective: false, hours: '999999999999.99', rate: 0.5, score: 59,
      })),
      // Scales of 20 digits: a product with 40 fraction digits is trimmed or overflows.
      training({ record_id: 'B20', teacher_id: 'T3', date: '2019-03-01', level: 'county', format: 'online', module: 'ability', elective: true, hours: '0.00000000000000000001', rate: '0.9', score: '90.00000000000000000001' }),
      // A quotient that does not terminate (elective_share = 1/3 of credits).
      training({ record_id: 'B21', teacher_id: 'T4', date: '2020-03-01', level: 'county', format: 'online', module: 'ability', elective: true, hours: 1, rate: 1, score: 60 }),
      training({ record_id: 'B22', teacher_id: 'T4', date: '2020-03-02', level: 'county', format: 'online', module: 'ability', elective: false, hours: 2, rate: 1, score: 60 }),
    ];
    const out = JSON.parse(expectPathsAgree(program, csv(rows), undefined, 50)) as { teachers: { teacher_id: string; hours: number; elective_share: number }[] };
    const t2 = out.teachers.find((t) => t.teacher_id === 'T2')!;
    expect(t2.hours).toBe(11999999999999.88); // 12 × 999999999999.99, exactly
    expect(out.teachers.find((t) => t.teacher_id === 'T4')!.elective_share).toBe(0.33);
  });

  it('on rows the row parser leaves to the scanner: quotes, spaces, upper case, signs, exponents, odd widths', () => {
    const header = RECORD_COLUMNS.join(',');
    const lines = [
      header,
      'Q1,T1,2017-01-05,training,county,online,ethics,true,,6,,1,90,true,ok',
      '"Q2",T1,2017-01-06,training,county,online,ethics,true,,6,,1,90,true,ok',
      'Q3, T1 ,2017-01-07,training,county,online,ethics,TRUE,,6,,1,90,true,ok',
      'Q4,T1,2017-01-08,training,county,online,ethics,true,,+6,,1e0,90,true,ok',
      'Q5,T1,2017-01-09,training,county,"online",ethics,true,,6,,1,90,true,ok',
      'Q6,T1,2017-01-10,training,county,online,ethics,true,,6,,1,90,true,ok,extra',
      'Q7,T1,2017-01-11,training,county,online,ethics,true,,6,,1,90,true',
      'Q8,T1,2017-1-12,training,county,online,ethics,true,,6,,1,90,true,ok',
      'Q9,T1,2017-01-13,training,county,online,ethics,true,,6.,,.5,90,true,ok',
      'Q10,T1,2017-01-14,training,county,online,ethics,true,,-0,,1,90,true,ok',
      'Q1,T1,2017-01-15,training,county,online,ethics,true,,6,,1,90,true,ok',
      '',
      'Q11,T1,2017-01-16,training,county,online,ethics,true,,6,,1,90,true,ok\r',
    ];
    expectPathsAgree(program, `${lines.join('\n')}\n`, undefined, 13);
  });

  it('for another domain, with columns in another order and some absent', () => {
    const nurses = load(readCase('nurses-cpd.yaml'));
    const records = [
      'verified,sessions,category,held_on,nurse_no,activity_no,note',
      'true,4,class_one,2024-03-01,N1,A1,x', 'true,5,class_two,2024-05-01,N1,A2,"a,b"', 'false,8,class_one,2024-02-10,N2,A3,',
      'true,many,class_one,2024-06-01,N2,A4,', 'true,10,class_two,2023-12-31,N2,A5,', 'true,3,class_one,2025-01-01,N3,A1,',
    ].join('\n');
    expectPathsAgree(nurses, `${records}\n`, 'nurse_no,grade\nN1,senior\nN2,junior\n', 5);
  });
});

function readCase(name: string): string {
  return readFileSync(new URL(`./cases/policies/${name}`, import.meta.url), 'utf8');
}

// ── Generated source: nothing of the policy's text becomes code ──────────────────────────────

/** Identifiers generated code may contain: its own names, the helpers, and JavaScript's. */
const OWN = /^(?:I\d+[dmsv]|[vLMB]\d+[dmstv]?|[SQ][MSCT]?\d*|c\d+(?:m|s|on)|[A-Z]{1,3}\d*|si|p|c|s|e|m|nd|fr|d|y|k|r|y[0-3]|m[01]|d[01]|mo|leap|start|subject|period|version|rt|x|o|ts|rs|a)$/;
const JS = new Set([
  'use', 'strict', 'const', 'let', 'return', 'if', 'else', 'function', 'true', 'false', 'undefined', 'null', 'break', 'try',
  'catch', 'throw', 'switch', 'case', 'while', 'new', 'Math', 'floor',
  'helpers', 'add', 'sub', 'mul', 'div', 'cmp', 'roundWhole', 'roundTo', 'addMonths', 'addYears', 'daysBetween', 'addTotal', 'missing', 'overflow',
  'parseRow', 'record', 'periodScope', 'cycleScope', 'windowScopes', 'column', 'field', 'not', 'read', 'text', 'number', 'date', 'bool', 'enum',
  'MISSING', 'STAMP', 'DAYS', 'stage', 'NaN', 'for', 'finally',
]);

function checkSource(source: string): void {
  // No quote of any kind, so no string literal: every text is a constant K[i].
  expect(source.replace("'use strict';", '')).not.toMatch(/["'`]/);
  // Every identifier is one the generator chose or one of JavaScript's.
  const stray = [...new Set(source.match(/[A-Za-z_$][\w$]*/g) ?? [])].filter((id) => !JS.has(id) && !OWN.test(id));
  expect(stray).toEqual([]);
}

describe('generated source', () => {
  it('says which subject fields it reads (only those are kept per subject)', () => {
    const program = lincang();
    const read = generateProgram(program, { aggregateSlot: slots(program) }).subjectFieldsRead;
    // Of teacher_id, school_id, county_id and hired_on, the rules read hired_on only (first_service_year).
    expect([...read].map((i) => program.subjectFields[i]!.decl.id)).toEqual(['hired_on']);
  });

  it('holds no text of the policy and only identifiers of its own, for the Lincang policy', () => {
    checkSource(generateProgram(program, { aggregateSlot: slots(program) }).source);
  });

  it('leaves row contributions for the diff only when asked: eval runs the same code as before', () => {
    const plain = generateProgram(program, { aggregateSlot: slots(program) }).source;
    const observed = generateProgram(program, { aggregateSlot: slots(program), observe: true }).source;
    expect(plain).not.toMatch(/\bC[KMS]\b/);
    expect(observed).toContain('CK[0] =');
    checkSource(observed);
  });

  it('is not reached by hostile texts in a policy: they stay constants, and nothing runs', () => {
    // Texts everywhere a policy has them — a rule literal, a reason, a label, a cite, a note —
    // written to break out of a string and run code if they were ever pasted into source.
    const evil = '"); globalThis.pwned = 1; (\'); globalThis.pwned = 2; // `; globalThis.pwned = 3; `';
    const inRule = evil.replace(/"/g, '\\"'); // the rule language escapes a quote as \"
    const text = policyText
      .replace('reject without_level when kind != induction and level is missing', `reject without_level when kind != induction and (level is missing or record_id == "${inRule}")`)
      .replace('because "缺少项目级别 / project level missing"', `because "${inRule}"`)
      .replace('"学分 / credits"', `"${inRule}"`)
      .replace('cite: 管理办法 第十条, note: 网络研修每学时', `cite: '${evil.replace(/'/g, "''")}', note: 网络研修每学时`);
    expect(text).toContain('pwned');
    const hostile = load(text);
    const source = generateProgram(hostile, { aggregateSlot: slots(hostile) }).source;
    expect(source).not.toContain('pwned');
    checkSource(source);
    const row = (r: Rec) => RECORD_COLUMNS.map((c) => String(r[c] ?? ''));
    const rows = renderCsv(RECORD_COLUMNS, [
      row(training({ record_id: evil, teacher_id: 'T1', date: '2017-01-01', level: 'county', format: 'online', module: 'ethics', elective: true, hours: 6, rate: 1, score: 90 })),
      row(training({ record_id: 'R2', teacher_id: 'T1', date: '2017-01-01', format: 'online', module: 'ethics', elective: true, hours: 6, rate: 1, score: 90 })),
    ]);
    const report = JSON.parse(expectPathsAgree(hostile, rows, undefined)) as { rejected: { reason: string }[] };
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
    expect(report.rejected.map((r) => r.reason)).toEqual([evil, evil]);
  });

  it('holds only identifiers of its own with windows (per N periods) and a repeating cycle per subject too', () => {
    const rules = `
@cite("x")
measure cpd "c / c" = sum(hours where kind == cpd)
@cite("x")
measure carried "k / k" = max(previous(cpd) - 1, 0)
@cite("x")
require pairs "p / p" per 2 periods: cpd + carried >= 1
@cite("x")
require threes "t / t" per 3 periods: cpd >= 2
`;
    const p = compileText(languagePolicy(rules).replace('cycle: { from: 2020, to: 2022 }', 'cycle: { before: registered_on, length: 6 years, every: 3 }'));
    const source = generateProgram(p, { aggregateSlot: slots(p) }).source;
    // One function per size of window, in order of first appearance.
    expect(source).toContain('windowScopes: [WS0, WS1]');
    checkSource(source);
  });

  it('of the row parser holds no text of the policy either', () => {
    const d = new RowDecoder(program.recordFields.map((f) => f.decl), program.recordFields.map((f) => f.read));
    let source = '';
    const real = globalThis.Function;
    globalThis.Function = function (...args: string[]) {
      source = args[args.length - 1]!;
      return real(...args);
    } as FunctionConstructor;
    try {
      rowParser(d.fields, RECORD_COLUMNS.map((c) => program.recordFields.findIndex((f) => f.id === c)), d);
    } finally {
      globalThis.Function = real;
    }
    expect(source).toContain('parseRow');
    checkSource(source);
  });
});

describe('the generated row parser', () => {
  it('takes a date exactly when the calendar has it (leap years by the Gregorian rule), else leaves the row to the decoder', () => {
    const d = new RowDecoder(program.recordFields.map((f) => f.decl), program.recordFields.map((f) => f.read));
    const parse = rowParser(d.fields, RECORD_COLUMNS.map((c) => program.recordFields.findIndex((f) => f.id === c)), d);
    const dateField = program.recordFields.findIndex((f) => f.id === 'date');
    const encoder = new TextEncoder();
    // A reference that shares nothing with the parser: the JavaScript calendar.
    const real = (y: number, m: number, day: number) => {
      const t = new Date(Date.UTC(2000, m - 1, day));
      t.setUTCFullYear(y);
      return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === day;
    };
    const dates: [number, number, number][] = [];
    for (const y of [1900, 1996, 2000, 2016, 2019, 2020, 2023, 2024, 2100, 2400]) {
      for (const m of [0, 1, 2, 4, 6, 9, 11, 12, 13]) for (const day of [0, 1, 28, 29, 30, 31, 32]) dates.push([y, m, day]);
    }
    let taken = 0;
    for (const [y, m, day] of dates) {
      const text = `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      const row = encoder.encode(`R1,T1,${text},training,city,short_term,knowledge,false,2.5,,,1.2,68,true,ok\n`);
      const end = parse(row, 0);
      const ok = m >= 1 && m <= 12 && day >= 1 && real(y, m, day);
      expect(end, text).toBe(ok ? row.length : -1);
      if (ok) {
        expect(d.code[dateField], text).toBe(y * 10000 + m * 100 + day);
        taken++;
      }
    }
    expect(taken).toBeGreaterThan(100);
  });
});

describe('the generated row parser, on a number field\'s bounds', () => {
  // A reference that shares nothing with the parser: BigInt numerators over a common power of ten.
  const exact = (text: string): [bigint, number] => {
    const [whole, frac = ''] = text.split('.');
    return [BigInt(whole! + frac), frac.length];
  };
  const within = (text: string, min: string | undefined, max: string | undefined): boolean => {
    const [m, s] = exact(text);
    const le = (a: [bigint, number], b: [bigint, number]) => a[0] * 10n ** BigInt(b[1]) <= b[0] * 10n ** BigInt(a[1]);
    return (min === undefined || le(exact(min), [m, s])) && (max === undefined || le([m, s], exact(max)));
  };
  const values = ['0', '0.0', '0.00000000', '1', '49.9', '50', '50.5', '50.50', '50.5000001', '99', '99.9999999', '99.99999999',
    '100', '100.0', '100.0000000', '100.00000000', '100.0000001', '100.00000001', '101', '1000000', '123456789.1234567'];
  // score is the record's last number column; its bounds are set here in turn, a negative max among them.
  const bounds: [string | undefined, string | undefined][] = [['0', '100'], ['50.5', '100'], ['-3', '-1'], [undefined, '99.99999999'], ['1', undefined], ['0.5', '123456789']];

  it.each(bounds)('min %s, max %s: takes the row exactly when the value is within, else leaves it to the decoder', (min, max) => {
    const scoreAt = program.recordFields.findIndex((f) => f.id === 'score');
    const decls = program.recordFields.map((f, i) => (i === scoreAt ? { ...f.decl, min, max } : f.decl));
    const d = new RowDecoder(decls, program.recordFields.map((f) => f.read));
    const parse = rowParser(d.fields, RECORD_COLUMNS.map((c) => program.recordFields.findIndex((f) => f.id === c)), d);
    const encoder = new TextEncoder();
    let taken = 0;
    for (const v of values) {
      const row = encoder.encode(`R1,T1,2020-05-06,training,city,short_term,knowledge,false,2.5,,,1.2,${v},true,ok\n`);
      const ok = within(v, min, max);
      expect(parse(row, 0), v).toBe(ok ? row.length : -1);
      if (ok) {
        const [m, s] = exact(v);
        // Zero is read at scale 0, whatever its zeros after the point.
        expect([d.m[scoreAt], d.s[scoreAt]], v).toEqual(m === 0n ? [0, 0] : [Number(m), s]);
        taken++;
      }
    }
    // Every bound here cuts the values in two, but a negative maximum, which no unsigned text meets.
    if (max === '-1') expect(taken).toBe(0);
    else expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThan(values.length);
  });
});

describe('code reused across edits (EvaluationOptions.reuseCode, the editor)', () => {
  const pooled = (p: Program) => generateProgram(p, { aggregateSlot: slots(p), pooled: true });
  const edited = (from: string, to: string) => {
    const text = policyText;
    if (!text.includes(from)) throw new Error(`the Lincang policy has no "${from}" to edit`);
    return load(text.replace(from, to));
  };

  it('a policy that differs only in its numbers has the same source; the numbers are in the pool', () => {
    // A floor checked per year (a period scope's number) and a rate of the record rules.
    for (const [from, to] of [['min_credits_yearly: { value: 72', 'min_credits_yearly: { value: 73'], ['hours_per_day: { value: 6', 'hours_per_day: { value: 7']] as const) {
      const a = pooled(program);
      const b = pooled(edited(from, to));
      expect(b.source).toBe(a.source);
      expect(b.numbers).not.toEqual(a.numbers);
      checkSource(b.source);
    }
    // Without the option the numbers are written into the code, as ever: the CLI's code is unchanged.
    const plain = generateProgram(program, { aggregateSlot: slots(program) });
    expect(plain.source).not.toMatch(/\bN\[/);
    expect(plain.numbers).toEqual([]);
  });

  it('gives the interpreter\'s report, whichever policy the kept code was made for first', () => {
    const s = generateSample({ teachers: 60, seed: 11, messy: true });
    const events = readCsv(s.records);
    const teachers = readCsv(s.teachers);
    // 72 (as shipped), then a floor most teachers miss, then 72 again: each on code made for the first.
    const variants = [program, edited('min_credits_yearly: { value: 72', 'min_credits_yearly: { value: 130'), program,
      edited('hours_per_day: { value: 6', 'hours_per_day: { value: 7')];
    const compliant: number[] = [];
    for (const p of variants) {
      const interpreted = JSON.stringify(reportJson(evaluate(p, events, teachers, { interpret: true })));
      const reused = evaluate(p, events, teachers, { reuseCode: true });
      expect(JSON.stringify(reportJson(reused))).toBe(interpreted);
      expect(new Evaluation(p, { reuseCode: true }).compiled).toBe(true);
      compliant.push(reused.subjects.filter((x) => x.compliant).length);
    }
    // The edits change the results (so a stale number would have shown): a floor of 130 fails more.
    expect(compliant[1]).toBeLessThan(compliant[0]!);
    expect(compliant[2]).toBe(compliant[0]);
  });
});
