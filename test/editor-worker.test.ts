// The editor's worker protocol (editor/src/worker-core.ts, what policy-worker.ts runs): the
// answers to each request, in order, with their generations; a newer edit superseding what was
// still waiting; the results table against the real `guize eval` (its JSON report, parsed here);
// and the rows kept decoded between edits (editor/src/kept-data.ts) against reading the bytes
// every time (read-data.ts, which test/editor-evaluate.test.ts holds to the CLI), on every file of
// the bad-input corpus. The CLI reads the files from disk through its own path.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPolicy, type DataFile } from '../editor/src/evaluate-policy.ts';
import { explainSubject } from '../editor/src/explain-subject.ts';
import { KeptData } from '../editor/src/kept-data.ts';
import { tableOf, type LiveTable } from '../editor/src/live-evaluation.ts';
import type { WorkerRequest, WorkerResponse } from '../editor/src/protocol.ts';
import { readData } from '../editor/src/read-data.ts';
import { WorkerCore } from '../editor/src/worker-core.ts';
import { Evaluation } from '../engine/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LINCANG = 'policies/lincang';
const RECORDS = `${LINCANG}/sample/records.csv`;
const TEACHERS = `${LINCANG}/sample/teachers.csv`;
const data = (p: string): DataFile => ({ name: path.basename(p), bytes: new Uint8Array(fs.readFileSync(path.join(ROOT, p))) });

/** The Lincang policy's files by repository path, as the editor bundles them. */
function lincang(): Record<string, string> {
  const out: Record<string, string> = { [`${LINCANG}/policy.yaml`]: fs.readFileSync(path.join(ROOT, LINCANG, 'policy.yaml'), 'utf8') };
  for (const f of fs.readdirSync(path.join(ROOT, LINCANG, 'versions'))) out[`${LINCANG}/versions/${f}`] = fs.readFileSync(path.join(ROOT, LINCANG, 'versions', f), 'utf8');
  return out;
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'guize-editor-worker-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface CliReport {
  teachers: { teacher_id: string; compliant: boolean; credits: number | null; hours: number | null; violations: unknown[] }[];
  summary: Record<string, number>;
  policy: { id: string; version: string; document: string };
}

/** `guize eval` of the Lincang folder with `policy.yaml` replaced by `text` (the folder copied to a temporary one). */
function cliReport(text: string, records = RECORDS, teachers: string | undefined = TEACHERS): CliReport {
  const dir = path.join(tmp, `lincang-${Math.random().toString(36).slice(2)}`);
  fs.cpSync(path.join(ROOT, LINCANG), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'policy.yaml'), text);
  const args = ['bin/guize.mjs', 'eval', '--policy', dir, '--records', records, ...(teachers ? ['--teachers', teachers] : [])];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 })) as CliReport;
}

/** The table as the report's numbers: what the results pane shows, subject by subject. */
function rows(t: LiveTable): unknown[] {
  const value = (c: number, i: number) => {
    const v = t.columns[c]!.values[i]!;
    return v === v ? v : (t.columns[c]!.texts[i] ?? null);
  };
  return t.ids.map((id, i) => [id, t.compliant[i] === 1, value(0, i), value(1, i), t.violations[i]]);
}

function reportRows(r: CliReport): unknown[] {
  return r.teachers.map((s) => [s.teacher_id, s.compliant, s.credits ?? null, s.hours ?? null, s.violations.length]);
}

/** A WorkerCore whose answers are copied as postMessage copies them; `answers` collects them. */
function core(): { core: WorkerCore; answers: WorkerResponse[] } {
  const answers: WorkerResponse[] = [];
  return { core: new WorkerCore((m, transfer = []) => answers.push(structuredClone(m, { transfer }))), answers };
}

/** What WorkerCore receives (a `files` request is read by policy-worker.ts first). */
type Request = Exclude<WorkerRequest, { kind: 'files' }>;

const evaluate = (generation: number, files: Record<string, string>): Request & { kind: 'evaluate' } =>
  ({ kind: 'evaluate', generation, files, path: LINCANG, choice: {}, columns: ['credits', 'hours'] });

describe('the worker answers an edit with the diagnostics, then the table', () => {
  it("the sample: data-loaded, then diagnostics and the result of generation 1, the table as guize eval's report", () => {
    const { core: c, answers } = core();
    c.setData(data(RECORDS), data(TEACHERS));
    c.receive(evaluate(1, lincang()));
    expect(c.runNext()).toBe(true);
    expect(c.runNext()).toBe(false);
    expect(answers.map((a) => [a.kind, 'generation' in a ? a.generation : undefined])).toEqual([['data-loaded', undefined], ['diagnostics', 1], ['result', 1]]);
    const records = fs.statSync(path.join(ROOT, RECORDS)).size;
    const teachers = fs.statSync(path.join(ROOT, TEACHERS)).size;
    expect(answers[0]).toEqual({ kind: 'data-loaded', records: 'records.csv', subjects: 'teachers.csv', bytes: records + teachers });
    const d = answers[1]!;
    if (d.kind !== 'diagnostics') throw new Error(d.kind);
    expect(d.outcome.evaluates).toBe(true);
    expect(d.outcome.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    expect(d.outcome.versions.map((v) => v.version)).toEqual(['2017.1', '2019.1']);
    expect(d.outcome.subject).toEqual({ key: 'teacher_id', collection: 'teachers' });
    const r = answers[2]!;
    if (r.kind !== 'result' || !r.outcome.table) throw new Error(JSON.stringify(r).slice(0, 300));
    const cli = cliReport(lincang()[`${LINCANG}/policy.yaml`]!);
    const t = r.outcome.table;
    expect(rows(t)).toEqual(reportRows(cli));
    expect(t.ids.length).toBe(40);
    const s = cli.summary;
    expect(t.summary).toEqual({ subjects: s.teachers, compliant: s.compliant, non_compliant: s.non_compliant, rows_read: s.rows_read, evaluated: s.evaluated, rejected: s.rejected, out_of_scope: s.out_of_scope });
    expect(t.policy).toEqual({ id: cli.policy.id, version: cli.policy.version, document: cli.policy.document });
    expect(t.compiled).toBe(true);
    expect(r.outcome.inputError).toBeUndefined();
  });

  it('the table crosses as typed arrays: postMessage transfers their buffers (the sender keeps none)', () => {
    const sent: ArrayBuffer[][] = [];
    const kept: WorkerResponse[] = [];
    const c = new WorkerCore((m, transfer = []) => {
      sent.push(transfer);
      kept.push(m);
      structuredClone(m, { transfer });
    });
    c.setData(data(RECORDS), data(TEACHERS));
    c.receive(evaluate(1, lincang()));
    c.runNext();
    const result = kept.find((m) => m.kind === 'result');
    if (result?.kind !== 'result' || !result.outcome.table) throw new Error('no result');
    // compliant, violations, and one column per measure asked for (credits, hours).
    expect(sent[sent.length - 1]!.length).toBe(4);
    expect(result.outcome.table.compliant.byteLength).toBe(0);
    expect(result.outcome.table.columns[0]!.values.byteLength).toBe(0);
  });

  it('a misspelt name: the diagnostic, and a result without a table', () => {
    const files = lincang();
    files[`${LINCANG}/policy.yaml`] = files[`${LINCANG}/policy.yaml`]!.replace('credits >= min_credits_yearly', 'credits >= min_credits_yearlyx');
    const { core: c, answers } = core();
    c.setData(data(RECORDS), data(TEACHERS));
    c.receive(evaluate(7, files));
    c.runNext();
    const [, d, r] = answers;
    if (d?.kind !== 'diagnostics' || r?.kind !== 'result') throw new Error('answers');
    expect(d.generation).toBe(7);
    expect(d.outcome.evaluates).toBe(false);
    expect(d.outcome.diagnostics.map((x) => [x.code, x.severity, x.message])).toEqual([['unknown-name', 'error', "unknown name 'min_credits_yearlyx'"]]);
    expect(r.outcome).toEqual({ table: undefined, inputError: undefined, inputWarnings: [], milliseconds: r.outcome.milliseconds });
  });

  it('a records file without a required column: the bilingual refusal as the result', () => {
    const { core: c, answers } = core();
    c.setData({ name: 'r.csv', bytes: new TextEncoder().encode('record_id,date\nR1,2017-01-01\n') }, undefined);
    c.receive(evaluate(1, lincang()));
    c.runNext();
    const r = answers.find((a) => a.kind === 'result');
    if (r?.kind !== 'result') throw new Error('no result');
    expect(r.outcome.table).toBeUndefined();
    // The Lincang record's required fields, in the policy's order, less the two the header has (record_id, date).
    expect(r.outcome.inputError).toBe('r.csv 缺少必需的列 teacher_id, kind, in_system, status / r.csv lacks the required column(s) teacher_id, kind, in_system, status');
  });
});

describe('a file with a line that has no end (17 MiB without a line feed)', () => {
  const header = 'record_id,teacher_id,date,kind,level,format,module,elective,days,hours,practical_hours,rate,score,in_system,status\n';
  it.each([
    ['r.csv', header, 2],
    ['r.ndjson', '{"record_id":"R1"}\n', 2],
  ])('%s: refused as the result, naming the file and the line', (name, first, line) => {
    const { core: c, answers } = core();
    const bytes = new Uint8Array(first.length + (17 << 20)).fill(0x78);
    bytes.set(new TextEncoder().encode(first));
    c.setData({ name, bytes }, undefined);
    c.receive(evaluate(1, lincang()));
    c.runNext();
    const r = answers.find((a) => a.kind === 'result');
    if (r?.kind !== 'result') throw new Error(`no result: ${JSON.stringify(answers).slice(0, 300)}`);
    expect(r.outcome.table).toBeUndefined();
    expect(r.outcome.inputError).toBe(`${name} 第 ${line} 行超过 16 MiB 没有换行 / line ${line} runs over 16 MiB without a line feed`);
  });
});

describe('where the page forbids making code (a Content-Security-Policy without unsafe-eval)', () => {
  it('the rules are interpreted and the rows kept as scanned: the same table as guize eval', () => {
    const real = globalThis.Function;
    // What `new Function` does under such a policy: an EvalError.
    const forbidden = function () {
      throw new EvalError('Refused to evaluate a string as JavaScript');
    } as unknown as FunctionConstructor;
    const { core: c, answers } = core();
    // A policy whose generated code no earlier test made: code kept from before (reuseCode) would
    // be given again without `new Function`, which such a page never allowed in the first place.
    const files = lincang();
    const main = `${LINCANG}/policy.yaml`;
    files[main] = files[main]!.replace('\nrules: |\n', '\nrules: |\n  @cite("CSP")\n  measure csp_only "仅此测试 / this test only" = count(where hours > 0)\n\n');
    if (!files[main]!.includes('csp_only')) throw new Error('the Lincang policy no longer starts its rules as this test expects');
    // The policy schema's validator (ajv) is compiled on first use, with `new Function` too: made
    // before (a page with such a policy would need it built ahead of time, as the CLI's build does).
    expect(checkPolicy(files, LINCANG, {}).program).toBeDefined();
    globalThis.Function = forbidden;
    try {
      c.setData(data(RECORDS), data(TEACHERS));
      c.receive(evaluate(1, files));
      c.runNext();
    } finally {
      globalThis.Function = real;
    }
    const r = answers.find((a) => a.kind === 'result');
    if (r?.kind !== 'result' || !r.outcome.table) throw new Error(JSON.stringify(answers).slice(0, 400));
    expect(r.outcome.table.compiled).toBe(false);
    expect(rows(r.outcome.table)).toEqual(reportRows(cliReport(files[main]!)));
  });
});

describe('which request runs, and when', () => {
  const impact = (generation: number): Request => ({
    kind: 'impact', generation,
    base: { files: lincang(), path: LINCANG, choice: {}, source: 'loaded' }, head: { files: lincang(), path: LINCANG, choice: {}, source: 'edited' },
  });
  const explain = (generation: number, subject = 'T00008'): Request => ({ kind: 'explain', generation, policy: { files: lincang(), path: LINCANG, choice: {} }, subject });

  it('the evaluation first, then the explanation, then the change, whatever order they came in', () => {
    const { core: c, answers } = core();
    c.setData(data(RECORDS), data(TEACHERS));
    for (const m of [impact(3), explain(4), evaluate(5, lincang())]) c.receive(m);
    // The evaluation (5) drops the explanation and change asked for before it (3, 4): the page asks again with it.
    expect(c.runNext()).toBe(true);
    expect(c.runNext()).toBe(false);
    expect(answers.slice(1).map((a) => [a.kind, 'generation' in a ? a.generation : undefined])).toEqual([['diagnostics', 5], ['result', 5]]);
    answers.length = 0;
    for (const m of [impact(6), explain(6), evaluate(6, lincang())]) c.receive(m);
    while (c.runNext());
    expect(answers.map((a) => [a.kind, 'generation' in a ? a.generation : undefined])).toEqual([['diagnostics', 6], ['result', 6], ['explanation', 6], ['impact', 6]]);
    const ex = answers[2]!;
    if (ex.kind !== 'explanation' || ex.outcome.kind !== 'explained') throw new Error('explanation');
    expect(ex.subject).toBe('T00008');
    expect(ex.outcome.doc.shortfalls.length).toBe(3); // T00008: three checks not met (test/editor-evaluate.test.ts)
    // From the kept rows, the explanation is the one read from the bytes (which test/editor-evaluate.test.ts holds to guize explain).
    expect(ex.outcome).toEqual(explainSubject({ files: lincang(), path: LINCANG, choice: {} }, 'T00008', data(RECORDS), data(TEACHERS)));
    const im = answers[3]!;
    if (im.kind !== 'impact' || im.outcome.kind !== 'compared') throw new Error('impact');
    // The policy against itself: nothing changes for any of the 40 teachers.
    expect(im.outcome.doc.summary.unchanged).toBe(40);
  });

  it('a newer edit supersedes the one still waiting: only the newest is answered', () => {
    const { core: c, answers } = core();
    c.setData(data(RECORDS), data(TEACHERS));
    const files = lincang();
    const raised = { ...files, [`${LINCANG}/policy.yaml`]: files[`${LINCANG}/policy.yaml`]!.replace('min_credits_yearly: { value: 72', 'min_credits_yearly: { value: 130') };
    c.receive(evaluate(1, files));
    c.receive(explain(1, 'T00001'));
    c.receive(evaluate(2, raised));
    c.receive(explain(2, 'T00003'));
    while (c.runNext());
    expect(answers.slice(1).map((a) => [a.kind, 'generation' in a ? a.generation : undefined])).toEqual([['diagnostics', 2], ['result', 2], ['explanation', 2]]);
    const r = answers[2]!;
    if (r.kind !== 'result' || !r.outcome.table) throw new Error('result');
    const cli = cliReport(raised[`${LINCANG}/policy.yaml`]!);
    expect(rows(r.outcome.table)).toEqual(reportRows(cli));
    expect(r.outcome.table.summary.compliant).toBe(cli.summary.compliant);
    const ex = answers[3]!;
    expect(ex.kind === 'explanation' && ex.subject).toBe('T00003');
  });
});

describe('rows kept decoded between edits read as the bytes do', () => {
  it('an edit that changes how rows decode (a bound) decodes them again: the tables are guize eval\'s', () => {
    const { core: c, answers } = core();
    c.setData(data(RECORDS), data(TEACHERS));
    const original = lincang()[`${LINCANG}/policy.yaml`]!;
    expect(original).toContain('score: { type: number, unit: point, min: 0, max: 100');
    // A score above 90 no longer fits: those rows are rejected (and the teachers' credits fall).
    const bound = original.replace('score: { type: number, unit: point, min: 0, max: 100', 'score: { type: number, unit: point, min: 0, max: 90');
    const texts = [original, bound, original];
    texts.forEach((text, k) => {
      c.receive(evaluate(k + 1, { ...lincang(), [`${LINCANG}/policy.yaml`]: text }));
      c.runNext();
    });
    const tables = answers.filter((a) => a.kind === 'result').map((a) => (a.kind === 'result' ? a.outcome.table! : undefined)!);
    const clis = texts.map((t) => cliReport(t));
    expect(clis[1]!.summary.rejected!).toBeGreaterThan(clis[0]!.summary.rejected!); // the edit is worth testing
    tables.forEach((t, k) => {
      expect(rows(t)).toEqual(reportRows(clis[k]!));
      expect(t.summary.rejected).toBe(clis[k]!.summary.rejected);
    });
  });

  const corpus = (dir: string) => fs.readdirSync(path.join(ROOT, 'test', 'corpus', dir)).filter((f) => /\.(csv|ndjson)$/.test(f) && !f.startsWith('_')).map((f) => `test/corpus/${dir}/${f}`);
  const cases: [string, string | undefined][] = [
    ...corpus('records-csv').map((f) => [f, undefined] as [string, undefined]),
    ...corpus('records-ndjson').map((f) => [f, undefined] as [string, undefined]),
    ...corpus('teachers').map((f) => ['test/corpus/teachers/_records.csv', f] as [string, string]),
    [RECORDS, TEACHERS],
  ];

  it.each(cases)('%s (teachers: %s): the same table, rejections, warnings and refusal, twice', (records, teachers) => {
    const program = checkPolicy(lincang(), LINCANG, {}).program!;
    /** What an evaluation came to: the table, every rejected row, the warnings, the refusal. */
    const outcome = (read: (e: Evaluation, warnings: string[]) => void) => {
      const e = new Evaluation(program);
      const warnings: string[] = [];
      try {
        read(e, warnings);
      } catch (x) {
        return { refused: (x as Error).message, warnings };
      }
      const t = tableOf(program, e, ['credits', 'hours']);
      return { rows: rows(t), summary: t.summary, rejected: e.results().rejected, warnings };
    };
    const fromBytes = outcome((e, w) => readData([program], e, data(records), teachers ? data(teachers) : undefined, w));
    const kept = new KeptData(data(records), teachers ? data(teachers) : undefined);
    expect(outcome((e, w) => kept.readInto(program, e, w))).toEqual(fromBytes);
    // Again from what was kept (the second edit reads nothing but the kept rows).
    expect(outcome((e, w) => kept.readInto(program, e, w))).toEqual(fromBytes);
  });
});

describe('a repeating cycle in the editor: the Texas policy (each physician\'s own registration periods)', () => {
  const TX = 'policies/tx-cme';
  const files = { [`${TX}/policy.yaml`]: fs.readFileSync(path.join(ROOT, TX, 'policy.yaml'), 'utf8') };
  const request = (generation: number): Request => ({ kind: 'evaluate', generation, files, path: TX, choice: {}, columns: ['credited', 'earned'] });

  it('the table has a row per physician and cycle, each naming its cycle; the explanation holds every cycle', () => {
    const { core: c, answers } = core();
    c.setData(data(`${TX}/sample/records.csv`), data(`${TX}/sample/physicians.csv`));
    c.receive(request(1));
    c.receive({ kind: 'explain', generation: 1, policy: { files, path: TX, choice: {} }, subject: 'P1001' });
    while (c.runNext());
    const r = answers.find((a) => a.kind === 'result');
    if (r?.kind !== 'result' || !r.outcome.table) throw new Error('no table');
    const t = r.outcome.table;
    // The physicians file: P1001 expires 2025-07-01, P1002 2024-11-01, P1003 2026-02-01 (three
    // two-year periods before each), P1004 has no date (one result, no cycle).
    expect(t.ids.map((id, i) => `${id} ${t.cycles?.[i] ?? '—'}`)).toEqual([
      'P1001 2019-07-01/2021-06-30', 'P1001 2021-07-01/2023-06-30', 'P1001 2023-07-01/2025-06-30',
      'P1002 2018-11-01/2020-10-31', 'P1002 2020-11-01/2022-10-31', 'P1002 2022-11-01/2024-10-31',
      'P1003 2020-02-01/2022-01-31', 'P1003 2022-02-01/2024-01-31', 'P1003 2024-02-01/2026-01-31',
      'P1004 —',
    ]);
    // P1001 credits 60, then 37 + 12 carried = 49, then 48 (nothing carried: 37 < 48).
    expect(Array.from(t.columns[0]!.values.subarray(0, 3))).toEqual([60, 49, 48]);
    const e = answers.find((a) => a.kind === 'explanation');
    if (e?.kind !== 'explanation' || e.outcome.kind !== 'explained') throw new Error('no explanation');
    expect(e.outcome.cycles?.explanations.map((d) => d.cycle)).toEqual(['2019-07-01/2021-06-30', '2021-07-01/2023-06-30', '2023-07-01/2025-06-30']);
    // The one shown first is the last cycle's, as eval's last result.
    expect(e.outcome.doc.cycle).toBe('2023-07-01/2025-06-30');
  });

  it('a policy whose cycle does not repeat has no cycles in its table', () => {
    const { core: c, answers } = core();
    c.setData(data(RECORDS), data(TEACHERS));
    c.receive(evaluate(1, lincang()));
    c.runNext();
    const r = answers.find((a) => a.kind === 'result');
    if (r?.kind !== 'result' || !r.outcome.table) throw new Error('no table');
    expect(r.outcome.table.cycles).toBeUndefined();
  });
});
