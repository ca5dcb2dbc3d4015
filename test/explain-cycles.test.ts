// `guize explain` of a repeating cycle (issue 12): each of the subject's cycles explained in order,
// `previous(m)` shown with the cycle its value comes from (or the default, in the first), and the
// measures that read it worked out as arithmetic. Every expected value is computed by hand in the
// comments (three cycles, 12 carried then 0, as in the README's example), never by the explainer.

import { mkdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createCsvReader, Evaluation, explanationsText, measureStepText, previousText, SubjectExplainer, traceText, type CycleExplanations,
  type Explanation, type Program, type ScopeExplanation,
} from '../engine/index.ts';
import { compileText, languagePolicy, PEOPLE_HEAD, RECORD_HEAD, run } from './support/language.ts';
import { guize, tempFolder } from './support/cli.ts';

const extra = `parameters:
  total: { value: 48, unit: hour, cite: 第一条 }
  max_carry: { value: 48, unit: hour, cite: 第二条 }
`;

const rules = `
@cite("第一条")
measure earned "所得 / earned" = sum(hours where kind == cpd)

@cite("第二条")
measure carried "结转 / carried" = min(max(previous(earned) - total, 0), max_carry)

@cite("第一条")
measure credited "计入 / credited" = earned + carried

@cite("第一条")
require enough "每周期不少于{total} / at least {total} a cycle" per cycle: credited >= total
`;

/** The test policy with three cycles of two years, 2019–2024. */
function policy(r = rules): string {
  return languagePolicy(r, extra).replace('cycle: { from: 2020, to: 2022 }', 'cycle: { from: 2019, to: 2024, every: 2 }');
}

// P1 earns 40 + 20 = 60 h in 2019–2020, 30 + 7 = 37 h in 2021–2022, 48 h in 2023–2024.
// Line 1 is the header: R1 is on line 2.
const records = [
  'R1,P1,2019-03-01,cpd,40,,',
  'R2,P1,2020-03-01,cpd,20,,',
  'R3,P1,2021-03-01,cpd,30,,',
  'R4,P1,2022-03-01,cpd,7,,',
  'R5,P1,2023-03-01,cpd,48,,',
  'R6,P1,2025-01-01,cpd,50,,', // after the last cycle: in no cycle, out of scope under `cycle`
  'R7,P2,2021-06-01,cpd,11,,',
  'R8,P1,2021-09-01,practice,3,,', // counts for nothing (not cpd), but is 2021–2022's row
  'R1,P1,2021-10-01,cpd,9,,', // repeats R1's key: rejected before its date is read, in no cycle
];
const people = ['P1,,,', 'P2,,,'];

function events(head: string, rows: readonly string[]) {
  const r = createCsvReader();
  return [...r.push([head, ...rows].join('\n') + '\n'), ...r.end()];
}

function explainCycles(program: Program, id: string, only?: string): CycleExplanations | undefined {
  const explainer = new SubjectExplainer(program, id);
  const evaluation = new Evaluation(program, { trace: explainer });
  for (const e of events(PEOPLE_HEAD, people)) evaluation.addSubject(e);
  for (const e of events(RECORD_HEAD, records)) evaluation.addRecord(e);
  return explainer.explainCycles(evaluation, {}, only);
}

const cycleScope = (doc: Explanation): ScopeExplanation => doc.scopes.find((s) => s.period === null)!;

describe('the explainer over a repeating cycle', () => {
  const program = compileText(policy());
  const set = explainCycles(program, 'P1')!;
  const [a, b, c] = set.explanations as [Explanation, Explanation, Explanation];

  it('explains each of the subject\'s cycles, in order, named as eval names them', () => {
    expect(set.format).toBe('guize-explanation-cycles');
    expect(set.subject).toBe('P1');
    expect(set.cycles).toEqual(['2019-2020', '2021-2022', '2023-2024']);
    expect(set.explanations.map((d) => [d.cycle, d.previous_cycle])).toEqual([
      ['2019-2020', null], ['2021-2022', '2019-2020'], ['2023-2024', '2021-2022'],
    ]);
    // Each has its own periods, then its cycle.
    expect(set.explanations.map((d) => d.scopes.map((s) => s.period))).toEqual([[2019, 2020, null], [2021, 2022, null], [2023, 2024, null]]);
  });

  it('gives previous(earned) with the cycle it comes from, or the default in the first', () => {
    // First cycle: no cycle before it, no default written: 0.
    expect(cycleScope(a).previous).toEqual([{ measure: 'earned', value: '0', cycle: null, default: null }]);
    // Then 2019–2020's earned, 40 + 20 = 60; then 2021–2022's, 30 + 7 = 37.
    expect(cycleScope(b).previous).toEqual([{ measure: 'earned', value: '60', cycle: '2019-2020', default: null }]);
    expect(cycleScope(c).previous).toEqual([{ measure: 'earned', value: '37', cycle: '2021-2022', default: null }]);
    expect(previousText(cycleScope(b).previous![0]!, 'en')).toBe('previous(earned) = 60 (2019-2020, the previous cycle)');
    expect(previousText(cycleScope(b).previous![0]!, 'zh')).toBe('previous(earned) = 60（上一周期 2019-2020）');
    expect(previousText(cycleScope(a).previous![0]!, 'en')).toBe('previous(earned) = 0 (the first cycle, none before it: the default, 0)');
    expect(previousText(cycleScope(a).previous![0]!, 'zh')).toBe('previous(earned) = 0（首个周期，无上一周期：取默认值 0）');
  });

  it('works out carried and credited as arithmetic to check by hand: 0, then 12, then 0', () => {
    const lines = (d: Explanation) => cycleScope(d).derivations!.map((x) => measureStepText(x, 'en'));
    // earned reads no previous(…): not worked out here (its value is in the measures).
    expect(cycleScope(b).derivations!.map((x) => x.measure)).toEqual(['carried', 'credited']);
    // min(max(0 − 48, 0), 48) = 0; credited 60 + 0 = 60.
    expect(lines(a)).toEqual([
      'carried = min(max(previous(earned) 0 − total 48, 0) 0, max_carry 48) = 0 hours',
      'credited = earned 60 + carried 0 = 60 hours',
    ]);
    // min(max(60 − 48, 0), 48) = min(12, 48) = 12; credited 37 + 12 = 49.
    expect(lines(b)).toEqual([
      'carried = min(max(previous(earned) 60 − total 48, 0) 12, max_carry 48) = 12 hours',
      'credited = earned 37 + carried 12 = 49 hours',
    ]);
    // min(max(37 − 48, 0), 48) = 0; credited 48 + 0 = 48.
    expect(lines(c)).toEqual([
      'carried = min(max(previous(earned) 37 − total 48, 0) 0, max_carry 48) = 0 hours',
      'credited = earned 48 + carried 0 = 48 hours',
    ]);
    // In a period's block carried is the cycle's (12), credited that period's earned + 12: 2021, 30 + 12 = 42.
    const y2021 = b.scopes.find((s) => s.period === 2021)!;
    expect(y2021.derivations!.map((x) => measureStepText(x, 'en'))).toEqual([
      'carried = min(max(previous(earned) 60 − total 48, 0) 12, max_carry 48) = 12 hours',
      'credited = earned 30 + carried 12 = 42 hours',
    ]);
    expect(y2021.measures).toMatchObject({ earned: 30, carried: 12, credited: 42 });
  });

  it('checks each cycle\'s requirements for that cycle, with the measures eval gives', () => {
    // credited 60, 49, 48 against 48: all met.
    expect(set.explanations.map((d) => cycleScope(d).checks.map((k) => [k.rule, k.status, k.actual, k.required]))).toEqual([
      [['enough', 'met', 60, 48]], [['enough', 'met', 49, 48]], [['enough', 'met', 48, 48]],
    ]);
    expect(set.explanations.map((d) => d.compliant)).toEqual([true, true, true]);
    const report = run(program, records, people).people.filter((p: { person_id: string }) => p.person_id === 'P1');
    set.explanations.forEach((d, n) => {
      expect(d.cycle).toBe(report[n].cycle);
      expect(cycleScope(d).measures).toEqual({ earned: report[n].earned, carried: report[n].carried, credited: report[n].credited });
    });
  });

  it('lists each cycle\'s own rows, and the rows in no cycle apart: every row once', () => {
    expect(set.explanations.map((d) => d.records.rows.map((r) => [r.line, r.key, r.status]))).toEqual([
      [[2, 'R1', 'counted'], [3, 'R2', 'counted']],
      [[4, 'R3', 'counted'], [5, 'R4', 'counted'], [9, 'R8', 'counted']],
      [[6, 'R5', 'counted']],
    ]);
    expect(b.records.summary).toEqual({ rows: 3, evaluated: 3, counted: 3, disregarded: 0, rejected: 0, out_of_scope: 0 });
    // R6 (2025) lies after 2019–2024: out of scope under `cycle`, in no cycle.
    const rest = set.outside_cycles!;
    expect(rest.rows.map((r) => [r.line, r.key, r.status, r.outcome?.rule, r.outcome?.reason.en])).toEqual([
      [7, 'R6', 'out_of_scope', 'cycle', 'outside the cycles, 2019–2024'],
      [10, 'R1', 'rejected', 'record_id', 'duplicate record_id (first on line 2)'],
    ]);
    expect(rest.summary).toEqual({ rows: 2, evaluated: 0, counted: 0, disregarded: 0, rejected: 1, out_of_scope: 1 });
    // Every row of P1 (lines 2–10 but line 8, R7, which is P2's) is in exactly one place.
    const all = [...set.explanations.flatMap((d) => d.records.rows), ...rest.rows].map((r) => r.line).sort((x, y) => x - y);
    expect(all).toEqual([2, 3, 4, 5, 6, 7, 9, 10]);
  });

  it('lists the rules each cycle used', () => {
    expect(b.rules.map((u) => `${u.kind} ${u.item}`)).toEqual([
      'rule carried', 'parameter total', 'parameter max_carry', 'rule credited', 'rule enough',
    ]);
  });

  it('explains one cycle when named, and none for a name that is not theirs', () => {
    const one = explainCycles(program, 'P1', '2021-2022')!;
    expect(one.cycles).toEqual(['2019-2020', '2021-2022', '2023-2024']);
    expect(one.explanations.map((d) => d.cycle)).toEqual(['2021-2022']);
    // Carried is still 12: the cycles before are worked out, only not shown.
    expect(cycleScope(one.explanations[0]!).measures.carried).toBe(12);
    expect(one.outside_cycles).toBeUndefined();
    expect(explainCycles(program, 'P1', '2021')!.explanations).toEqual([]);
  });

  it('gives the default written for the first cycle', () => {
    const p = compileText(policy(rules.replace('previous(earned)', 'previous(earned, 50)')));
    const first = explainCycles(p, 'P1')!.explanations[0]!;
    const v = cycleScope(first).previous![0]!;
    expect([v.value, v.cycle, v.default?.name]).toEqual(['50', null, '50']);
    expect(previousText(v, 'en')).toBe('previous(earned, 50) = 50 (the first cycle, none before it: the default)');
    // min(max(50 − 48, 0), 48) = 2; credited 60 + 2 = 62.
    expect(cycleScope(first).derivations!.map((x) => measureStepText(x, 'en'))).toEqual([
      'carried = min(max(previous(earned, 50) 50 − total 48, 0) 2, max_carry 48) = 2 hours',
      'credited = earned 60 + carried 2 = 62 hours',
    ]);
  });

  it('shows a previous(…) a requirement reads, once in the scope\'s list', () => {
    const two = `${rules}\n@cite("第三条")\nrequire together "两周期合计 / two cycles together" per cycle: earned + previous(earned) >= 80\n`;
    const docs = explainCycles(compileText(policy(two)), 'P1')!.explanations;
    const check = (d: Explanation) => cycleScope(d).checks.find((k) => k.rule === 'together')!;
    // 60 + 0 = 60 < 80; 37 + 60 = 97; 48 + 37 = 85.
    expect(docs.map((d) => [check(d).status, check(d).actual])).toEqual([['violated', 60], ['met', 97], ['met', 85]]);
    expect(traceText(check(docs[1]!).actual_trace!, 'en')).toBe('earned 37 + previous(earned) 60');
    // The same previous(earned) as carried reads: listed once.
    expect(cycleScope(docs[1]!).previous).toEqual([{ measure: 'earned', value: '60', cycle: '2019-2020', default: null }]);
  });

  it('explain() gives the last cycle, as Evaluation.subjectResult does', () => {
    const explainer = new SubjectExplainer(program, 'P1');
    const evaluation = new Evaluation(program, { trace: explainer });
    for (const e of events(PEOPLE_HEAD, people)) evaluation.addSubject(e);
    for (const e of events(RECORD_HEAD, records)) evaluation.addRecord(e);
    expect(explainer.explain(evaluation)?.cycle).toBe('2023-2024');
  });

  it('the text heads each cycle by its name and ends with the rows in no cycle', () => {
    const text = explanationsText(set, 'en');
    const heads = text.split('\n').filter((l) => l.startsWith('Explanation · '));
    expect(heads).toEqual([
      'Explanation · person_id P1 · cycle 2019-2020 · test.language 1 · 测试〔2020〕1号',
      'Explanation · person_id P1 · cycle 2021-2022 · test.language 1 · 测试〔2020〕1号',
      'Explanation · person_id P1 · cycle 2023-2024 · test.language 1 · 测试〔2020〕1号',
    ]);
    expect(text).toContain('\n  cycle 2021-2022 (version 1)\n');
    expect(text).toContain('\nRecords in no cycle (2 rows: 0 counted, 0 disregarded, 1 rejected, 1 out of scope)\n  line 7 R6 2025-01-01 [1]: out of scope');
  });
});

/** The Texas policy's cycle as policies/tx-cme/policy.yaml writes it (each physician's own biennia). */
const SUBJECT_CYCLE = /^cycle:\n {2}before: registration_expires\n {2}length: 6 years\n {2}every: 2\n/m;
/** The fixture's rows, as the Texas sample was when its cycle was the calendar biennia (test/fixtures/README.md). */
const CALENDAR = 'test/fixtures/tx-calendar';
const txCalendar = tempFolder('guize-tx-calendar-');

/** A folder holding the Texas policy with calendar biennia 2019–2024 (its head edited by `edit`). */
function calendarPolicy(name: string, edit: (text: string) => string = (t) => t): string {
  const text = readFileSync('policies/tx-cme/policy.yaml', 'utf8');
  if (!SUBJECT_CYCLE.test(text)) throw new Error('policies/tx-cme no longer writes its cycle as this test expects');
  mkdirSync(`${txCalendar.path()}/${name}`);
  const file = txCalendar.write(`${name}/policy.yaml`, edit(text.replace(SUBJECT_CYCLE, 'cycle:\n  from: 2019\n  to: 2024\n  every: 2\n')));
  return file.replace(/\/policy\.yaml$/, '');
}

describe('guize explain of the Texas CME policy over calendar biennia (three cycles, carry-over)', () => {
  let args: string[] = [];
  beforeAll(() => {
    args = ['--policy', calendarPolicy('base'), '--records', `${CALENDAR}/records.csv`, '--subjects', `${CALENDAR}/physicians.csv`];
  });

  it('explains each biennium in order, with why 12 is carried into 2021–2022', async () => {
    const r = await guize('explain', ...args, '--subject', 'P1001');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.filter((l) => l.startsWith('规则解释'))).toEqual([
      '规则解释 · license P1001 · 周期 2019-2020 · us.tx.tmb.cme 2025.1 · 22 Tex. Admin. Code §161.35',
      '规则解释 · license P1001 · 周期 2021-2022 · us.tx.tmb.cme 2025.1 · 22 Tex. Admin. Code §161.35',
      '规则解释 · license P1001 · 周期 2023-2024 · us.tx.tmb.cme 2025.1 · 22 Tex. Admin. Code §161.35',
    ]);
    // 2021–2022's own block: earned 25 formal + 12 informal = 37; 2019–2020 earned 20+2+2+1+15 = 40
    // formal + 20 informal = 60; carried min(max(60 − 48, 0), 48) = 12; credited 37 + 12 = 49.
    const at = lines.indexOf('  周期 2021-2022（版本 2025.1）');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 2, at + 6)).toEqual([
      '    · previous(earned) = 60（上一周期 2019-2020）',
      '    · carried = min(max(previous(earned) 60 − total_credits 48, 0) 12, max_carry 48) = 12 学分',
      '    · credited = earned 37 + carried 12 = 49 学分',
      '    ✓ 本周期 每两年不少于48学分：实际 49.00学分，要求不少于 48.00学分，已满足  [22 TAC §161.35(a)]',
    ]);
    // The first biennium: nothing before it, the default 0.
    expect(lines).toContain('    · previous(earned) = 0（首个周期，无上一周期：取默认值 0）');
    // S200 (2021-05-05, no credits) is 2021–2022's row, rejected there.
    expect(r.out).toContain('  第 26 行 S200 2021-05-05 [2025.1]: 拒绝 — 记录缺少学分（no_credits，22 TAC §161.35(a)）');
  });

  it('in English, P1002 carries the cap of 48 (125 − 48 = 77, capped), and S201 (2018) is in no cycle', async () => {
    const r = await guize('explain', ...args, '--subject', 'P1002', '--lang', 'en');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    // 96 + 2 + 2 + 1 = 101 formal + min(40, 24) = 125 earned in 2019–2020; min(max(125 − 48, 0), 48) = 48;
    // 2021–2022 earned 6 + 2 + 2 = 10; credited 10 + 48 = 58, but formal 10 < 24: 14.00 short.
    expect(lines).toContain('    · previous(earned) = 125 (2019-2020, the previous cycle)');
    expect(lines).toContain('    · carried = min(max(previous(earned) 125 − total_credits 48, 0) 77, max_carry 48) = 48 credits');
    expect(lines).toContain('    · credited = earned 10 + carried 48 = 58 credits');
    expect(lines).toContain('  ✗ cycle: at least 24 formal credits needs 14.00 more credits  [22 TAC §161.35(a)(1) · 2025.1]');
    const at = lines.indexOf('Records in no cycle (1 rows: 0 counted, 0 disregarded, 0 rejected, 1 out of scope)');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe('  line 27 S201 2018-12-31 [2025.1]: out of scope — outside the cycles, 2019–2024 (cycle, 22 TAC §161.35(a))');
  });

  it('--cycle explains one biennium', async () => {
    const r = await guize('explain', ...args, '--subject', 'P1001', '--cycle', '2021-2022', '--lang', 'en');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter((l) => l.startsWith('Explanation · '))).toEqual([
      'Explanation · license P1001 · cycle 2021-2022 · us.tx.tmb.cme 2025.1 · 22 Tex. Admin. Code §161.35',
    ]);
    expect(r.out).toContain('    · carried = min(max(previous(earned) 60 − total_credits 48, 0) 12, max_carry 48) = 12 credits\n');
    expect(r.out).not.toContain('Records in no cycle');
  });

  it('--cycle naming no cycle of theirs: exit 2, naming theirs, in both languages', async () => {
    const r = await guize('explain', ...args, '--subject', 'P1001', '--cycle', '2021');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe("错误 error: license 'P1001' 没有名为 '2021' 的周期；其周期为 2019-2020, 2021-2022, 2023-2024 / license 'P1001' has no cycle '2021'; their cycles are 2019-2020, 2021-2022, 2023-2024\n");
  });

  it('--cycle for a policy whose cycle does not repeat: exit 2', async () => {
    const r = await guize('explain', '--policy', 'policies/lincang', '--records', 'policies/lincang/sample/records.csv', '--teacher', 'T00014', '--cycle', '2016-2020');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe('错误 error: --cycle 只用于周期重复（cycle.every）的政策，本政策只有一个周期 / --cycle is for a repeating cycle (cycle.every): this policy has one cycle\n');
  });

  it('the JSON gives one explanation per cycle, each with its cycle, agreeing with eval', async () => {
    const r = await guize('explain', ...args, '--subject', 'P1001', '--format', 'json');
    expect(r.code).toBe(0);
    const set = JSON.parse(r.out) as CycleExplanations;
    expect(Object.keys(set)).toEqual(['format', 'format_version', 'subject', 'cycles', 'explanations', 'outside_cycles']);
    expect([set.format, set.format_version, set.subject]).toEqual(['guize-explanation-cycles', 1, 'P1001']);
    expect(set.explanations.map((d) => [d.format, d.cycle, d.previous_cycle])).toEqual([
      ['guize-explanation', '2019-2020', null], ['guize-explanation', '2021-2022', '2019-2020'], ['guize-explanation', '2023-2024', '2021-2022'],
    ]);
    const report = JSON.parse((await guize('eval', ...args, '--format', 'json')).out);
    const results = report.physicians.filter((p: { license: string }) => p.license === 'P1001');
    set.explanations.forEach((d, n) => {
      const cycle = cycleScope(d);
      for (const [m, v] of Object.entries(cycle.measures)) expect([d.cycle, m, v]).toEqual([results[n].cycle, m, results[n][m]]);
      expect(d.compliant).toBe(results[n].compliant);
      // Each cycle's rows are as many as eval counts for it.
      expect(d.records.summary.evaluated).toBe(results[n].records.evaluated);
    });
    // The carry-over's provenance, and its trace node.
    const b = cycleScope(set.explanations[1]!);
    expect(b.previous).toEqual([{ measure: 'earned', value: '60', cycle: '2019-2020', default: null }]);
    const carried = b.derivations!.find((x) => x.measure === 'carried')!;
    expect(carried.value).toBe('12');
    expect(carried.trace.args[0]!.args[0]!.args[0]).toEqual({ kind: 'previous', name: 'earned', value: '60', cycle: '2019-2020', args: [] });
    expect(set.outside_cycles!.rows).toEqual([]);
  });

  it('the HTML page holds each cycle, the carry-over lines escaped', async () => {
    const r = await guize('explain', ...args, '--subject', 'P1001', '--format', 'html', '--lang', 'en');
    expect(r.code).toBe(0);
    expect(r.out.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(r.out.match(/<h2>Explanation · license P1001 · cycle [0-9-]+<\/h2>/g)).toEqual([
      '<h2>Explanation · license P1001 · cycle 2019-2020</h2>', '<h2>Explanation · license P1001 · cycle 2021-2022</h2>',
      '<h2>Explanation · license P1001 · cycle 2023-2024</h2>',
    ]);
    expect(r.out).toContain('<summary>cycle 2021-2022 · version 2025.1</summary>');
    expect(r.out).toContain('<li><code>previous(earned) = 60 (2019-2020, the previous cycle)</code></li>');
    expect(r.out).toContain('<li><code>credited = earned 37 + carried 12 = 49 credits</code></li>');
  });
});

describe('guize diff of a repeating cycle', () => {
  it('compares the results and explains each changed subject cycle by cycle in the HTML report', async () => {
    // The head carries at most 6 credits: P1001's 2021–2022 gets 37 + min(12, 6) = 43 < 48.
    const base = calendarPolicy('diff-base');
    const head = calendarPolicy('diff-head', (t) => t.replace('max_carry: { value: 48,', 'max_carry: { value: 6,'));
    const out = txCalendar.write('report.html', '');
    const r = await guize('diff', '--base', base, '--head', head, '--records', `${CALENDAR}/records.csv`,
      '--subjects', `${CALENDAR}/physicians.csv`, '--format', 'html', '--lang', 'en', '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html.match(/<h2>Explanation · license P1001 · cycle [0-9-]+<\/h2>/g)).toEqual([
      '<h2>Explanation · license P1001 · cycle 2019-2020</h2>', '<h2>Explanation · license P1001 · cycle 2021-2022</h2>',
      '<h2>Explanation · license P1001 · cycle 2023-2024</h2>',
    ]);
    // Under the head: min(max(60 − 48, 0), 6) = 6; credited 37 + 6 = 43, 5.00 short of 48.
    expect(html).toContain('<li><code>carried = min(max(previous(earned) 60 − total_credits 48, 0) 12, max_carry 6) = 6 credits</code></li>');
    expect(html).toContain('cycle: at least 48 credits every 24 months needs 5.00 more credits');
  });
});

describe('a row outside a cycle per subject (no repetition), explained as before', () => {
  it('is out of scope under `cycle`, its fields not shown (as before repeating cycles were explained)', () => {
    const program = compileText(languagePolicy(`@cite("第一条")\nmeasure earned "所得 / earned" = sum(hours)`)
      .replace('cycle: { from: 2020, to: 2022 }', 'cycle: { from: registered_on, length: 2 years }'));
    const explainer = new SubjectExplainer(program, 'P1');
    const evaluation = new Evaluation(program, { trace: explainer });
    for (const e of events(PEOPLE_HEAD, ['P1,2020-03-01,,'])) evaluation.addSubject(e);
    // P1's window is 2020-03-01 to 2022-02-28: R2 (2022-03-01) lies after it.
    for (const e of events(RECORD_HEAD, ['R1,P1,2021-01-01,cpd,4,,', 'R2,P1,2022-03-01,cpd,5,,'])) evaluation.addRecord(e);
    const doc = explainer.explain(evaluation)!;
    expect(doc.cycle).toBeUndefined();
    expect(doc.records.rows.map((r) => [r.line, r.key, r.status, r.fields?.date ?? null, r.outcome?.rule ?? null])).toEqual([
      [2, 'R1', 'counted', '2021-01-01', null], [3, null, 'out_of_scope', null, 'cycle'],
    ]);
    expect(doc.records.rows[1]!.outcome!.reason.en).toBe('outside their own cycle, counted from registered_on');
  });
});

describe('a repeating cycle over two versions', () => {
  const folder = tempFolder('guize-explain-cycle-versions-');

  it('checks each cycle under the version in force at its end, and says which', async () => {
    const fs = await import('node:fs');
    fs.mkdirSync(`${folder.path()}/p/versions`, { recursive: true });
    folder.write('p/policy.yaml', policy());
    // Version 2, in force from 2023: 40 hours a cycle. Only 2023–2024 ends under it.
    folder.write('p/versions/2.yaml', 'revises: "1"\nversion: "2"\neffective: 2023-01-01\ndocument: 测试〔2023〕2号\nchange: 每周期 40 小时 / 40 hours a cycle\n'
      + 'parameters:\n  total: { value: 40, cite: 第三条 }\n');
    const recs = folder.write('records.csv', [RECORD_HEAD, ...records].join('\n') + '\n');
    const r = await guize('explain', '--policy', `${folder.path()}/p`, '--records', recs, '--subject', 'P1', '--format', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const set = JSON.parse(r.out) as CycleExplanations;
    expect(set.explanations.map((d) => [d.cycle, cycleScope(d).version, cycleScope(d).checks[0]!.required])).toEqual([
      ['2019-2020', '1', 48], ['2021-2022', '1', 48], ['2023-2024', '2', 40],
    ]);
    // 2023–2024 under version 2: carried min(max(37 − 40, 0), 48) = 0; credited 48 ≥ 40.
    const last = cycleScope(set.explanations[2]!);
    expect(last.derivations!.map((x) => measureStepText(x, 'en'))).toEqual([
      'carried = min(max(previous(earned) 37 − total 40, 0) 0, max_carry 48) = 0 hours',
      'credited = earned 48 + carried 0 = 48 hours',
    ]);
    expect(set.explanations[2]!.rules.filter((u) => u.item === 'total').map((u) => u.version)).toEqual(['2']);
  });
});

describe('guize explain of the shipped Texas policy: each physician\'s own registration periods', () => {
  const dir = 'policies/tx-cme';
  const args = ['--policy', dir, '--records', `${dir}/sample/records.csv`, '--subjects', `${dir}/sample/physicians.csv`, '--lang', 'en'];

  it('names each cycle and period by its days; the carry from the cycle before, and where each record counts', async () => {
    // P1001's permit expires 2025-07-01: the three periods before it are 2019-07-01/2021-06-30,
    // 2021-07-01/2023-06-30 and 2023-07-01/2025-06-30. The first earns S001–S005 formal
    // 20 + 2 + 2 + 1 + 15 = 40 and S006 (2021-06-30, its last day) informal 20: 60. The second
    // earns S007–S010 formal 20 + 2 + 2 + 1 = 25 and S011 informal 12: 37; carried
    // min(max(60 − 48, 0), 48) = 12, credited 37 + 12 = 49.
    const r = await guize('explain', ...args, '--subject', 'P1001', '--cycle', '2021-07-01/2023-06-30');
    expect([r.code, r.err]).toEqual([0, '']);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('Explanation · license P1001 · cycle 2021-07-01/2023-06-30 · us.tx.tmb.cme 2025.1 · 22 Tex. Admin. Code §161.35');
    const at = lines.indexOf('  cycle 2021-07-01/2023-06-30 (version 2025.1)');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 2, at + 5)).toEqual([
      '    · previous(earned) = 60 (2019-07-01/2021-06-30, the previous cycle)',
      '    · carried = min(max(previous(earned) 60 − total_credits 48, 0) 12, max_carry 48) = 12 credits',
      '    · credited = earned 37 + carried 12 = 49 credits',
    ]);
    expect(lines).toContain('  2021-07-01 to 2022-06-30 (version 2025.1)');
    // S007 (2021-07-01) counts in the cycle's first year, named by its days (not by its place, 3).
    const s007 = lines.findIndex((l) => l.startsWith('  line 8 S007 2021-07-01'));
    expect(lines[s007 + 2]).toBe('      → adds formal +20 (in 2021-07-01 to 2022-06-30 and the cycle)');
    expect(r.out).toContain('Records (5 rows: 5 counted, 0 disregarded, 0 rejected, 0 out of scope)');
  });
});
