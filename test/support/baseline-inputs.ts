// Test support for the baseline oracle: the engine's report for CSV bytes (read as the CLI
// reads files), a readable first difference between two reports, and generators of messy input
// (messyRecords keeps the draws of the earlier hand-written oracle's tests, so the same rows).

import { createCsvReader, evaluate, reportJson, type InputEvent, type Program } from '../../engine/index.ts';

const utf8 = new TextEncoder();

/** UTF-8 bytes of a text. */
export function bytes(text: string): Uint8Array {
  return utf8.encode(text);
}

/** The engine's events for a file's bytes: strict UTF-8 decoding (a BOM dropped) as the CLI does. */
export function engineEvents(b: Uint8Array): InputEvent[] {
  const r = createCsvReader();
  const text = new TextDecoder('utf-8', { fatal: true }).decode(b);
  return [...r.push(text), ...r.end()];
}

/** `JSON.stringify(reportJson(evaluate(…))) + "\n"`: the bytes the baseline must give. */
export function engineReport(program: Program, records: Uint8Array, teachers?: Uint8Array): string {
  const res = evaluate(program, engineEvents(records), teachers ? engineEvents(teachers) : []);
  return `${JSON.stringify(reportJson(res))}\n`;
}

/** The warnings the engine's CLI prints for a file: header problems, then unknown columns. */
export function engineWarnings(name: string, b: Uint8Array, known: readonly string[]): string[] {
  const r = createCsvReader();
  const text = new TextDecoder('utf-8', { fatal: true }).decode(b);
  const out: string[] = [];
  for (const e of [...r.push(text), ...r.end()]) if (e.kind === 'error' && e.header) out.push(`警告 warning: ${name}:${e.line}: ${e.reason}`);
  const unknown = r.columns().filter((c) => !known.includes(c));
  if (unknown.length > 0) out.push(`警告 warning: ${name}: 忽略未知列 ignoring unknown column(s): ${unknown.join(', ')}`);
  return out;
}

function context(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 150);
  return `first difference at character ${i}:\n  engine:   …${a.slice(from, i + 150)}…\n  baseline: …${b.slice(from, i + 150)}…`;
}

/**
 * Where two reports first differ, readably: the first teacher, rejected row or summary entry
 * that differs, both sides in full; or, if the JSON values agree but the bytes do not, the
 * bytes around the first difference. Undefined when they are the same bytes.
 */
export function firstDifference(engine: string, baseline: string): string | undefined {
  if (engine === baseline) return undefined;
  let b: Record<string, unknown>;
  try {
    b = JSON.parse(baseline) as Record<string, unknown>;
  } catch (e) {
    return `baseline output is not JSON (${(e as Error).message}); ${context(engine, baseline)}`;
  }
  const a = JSON.parse(engine) as Record<string, unknown>;
  const keysA = Object.keys(a).join(',');
  const keysB = Object.keys(b).join(',');
  if (keysA !== keysB) return `top-level keys differ: engine ${keysA}, baseline ${keysB}`;
  for (const key of ['teachers', 'rejected'] as const) {
    const xs = a[key] as unknown[];
    const ys = b[key] as unknown[];
    const n = Math.max(xs.length, ys.length);
    for (let i = 0; i < n; i++) {
      const x = JSON.stringify(xs[i]);
      const y = JSON.stringify(ys[i]);
      if (x !== y) return `${key}[${i}] differs (engine has ${xs.length}, baseline ${ys.length}):\n  engine:   ${x}\n  baseline: ${y}\n${x && y ? context(x, y) : ''}`;
    }
  }
  for (const key of Object.keys(a)) {
    const x = JSON.stringify(a[key]);
    const y = JSON.stringify(b[key]);
    if (x !== y) return `${key} differs:\n  engine:   ${x}\n  baseline: ${y}`;
  }
  return `same JSON values, different bytes; ${context(engine, baseline)}`;
}

// ── Messy records ───────────────────────────────────────────────────────────────────────────

/** mulberry32, so every run draws the same rows. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    let t = (s = (s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per column: texts that fit the field (drawn mostly), and texts that do not (drawn rarely). */
export const CHOICES: Record<string, { ok: readonly string[]; bad: readonly string[] }> = {
  teacher_id: { ok: ['T1', 'T2', 'T3', ' T4 ', 'T5', 'T6', 'T7', 'T8'], bad: [''] },
  date: {
    ok: ['2016-01-01', '2016-09-01', '2017-06-30', '2017-08-31', '2017-09-01', '2018-02-28', '2018-03-01', '2019-12-31',
      '2020-02-29', '2020-09-01', '2021-01-01', '2015-12-31'],
    bad: ['2019-02-29', '2018-13-01', '2018/01/01', ''],
  },
  kind: { ok: ['training', 'training', 'training', 'teaching', 'induction'], bad: ['Training', ''] },
  level: { ok: ['national', 'province', 'city', 'county', 'school', 'school', ''], bad: ['provincial'] },
  format: { ok: ['short_term', 'online', 'school_based', ''], bad: ['offline'] },
  module: { ok: ['ethics', 'knowledge', 'ability', 'class_management', 'mental_health', 'school_based', ''], bad: ['maths'] },
  elective: { ok: ['true', 'false', 'TRUE', ' false', ''], bad: ['yes'] },
  days: { ok: ['', '', '1', '2.5', '0', '3'], bad: ['-1', 'x', '1e15'] },
  hours: { ok: ['', '6', '12', '24.5', '0', '30', '100', '1e1', ' 7.25 ', '.5', '999999999999999.9'], bad: ['abc', '1e15', '-0.5'] },
  practical_hours: { ok: ['', '', '10', '30', '60.5'], bad: ['-2'] },
  rate: { ok: ['', '0.4', '0.5', '0.75', '1', '1.0', '1.25', '1.5', '2', '2.5', '3', '3.5'], bad: ['1,5'] },
  score: { ok: ['', '59.5', '60', '69.99', '70', '80', '89.5', '90', '100', '-0'], bad: ['100.5', 'x'] },
  in_system: { ok: ['true', 'true', 'true', 'false', 'True'], bad: ['', 'no'] },
  status: { ok: ['ok', 'ok', 'ok', 'void', 'ineffective'], bad: ['', 'lost'] },
};

/**
 * A records file of `n` rows whose cells are drawn at random from `choices` (one cell in 25 from
 * the bad texts), with some repeated or empty ids and some rows of the wrong width.
 */
export function messyRecords(seed: number, n: number, fix: (row: Record<string, string>) => void = () => {}, choices = CHOICES): string {
  const r = rng(seed);
  const pick = (xs: readonly string[]): string => xs[Math.floor(r() * xs.length)]!;
  const cols = ['record_id', ...Object.keys(choices)];
  const lines = [cols.join(',')];
  for (let i = 1; i <= n; i++) {
    const row: Record<string, string> = { record_id: r() < 0.05 ? `R${Math.floor(r() * i) + 1}` : r() < 0.01 ? '' : `R${i}` };
    for (const c of cols.slice(1)) row[c] = pick(r() < 0.04 ? choices[c]!.bad : choices[c]!.ok);
    fix(row);
    lines.push(r() < 0.01 ? 'a,b,c' : cols.map((c) => row[c]).join(','));
  }
  return lines.join('\n') + '\n';
}

export const MESSY_TEACHERS = [
  'teacher_id,school_id,county_id,hired_on',
  'T1,S1,C1,', 'T2,S1,C1,2017-09-01', 'T3,S1,C1,2016-02-29', ' T4 ,S1,C1,2020-03-01', 'T2,S1,C1,2018-01-01',
  'T6,S1,C1,2019-02-30', 'T7,S1,C1,2010-09-01', ',S1,C1,2017-01-01', 'T8,S1,C1,2019-08-31',
].join('\n') + '\n';

/**
 * Rewrites a CSV text's rows with RFC 4180 variety, keeping their meaning: some fields quoted
 * (with `""` for quotes), CRLF line ends, blank lines, and, when `damage` is set, some rows
 * broken (an unterminated or misplaced quote), all drawn from `seed`.
 */
export function requote(text: string, seed: number, damage = false): string {
  const r = rng(seed);
  const lines = text.trimEnd().split('\n');
  const out: string[] = [];
  for (const [i, line] of lines.entries()) {
    const fields = line.split(',');
    const cells = fields.map((f) => (r() < 0.15 || f.includes('"') ? `"${f.replace(/"/g, '""')}"` : f));
    let row = cells.join(',');
    // Damage: an opening quote never closed (it swallows rows up to the next quote), or text
    // after a closing quote.
    if (i > 0 && damage && r() < 0.01) row = r() < 0.5 ? `"${row}` : row.replace(',', ',"x"y');
    out.push(row);
    if (r() < 0.02) out.push(r() < 0.5 ? '' : '\r');
  }
  const eol = r() < 0.5 ? '\r\n' : '\n';
  return out.join(eol) + eol;
}
