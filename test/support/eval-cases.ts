// The loader of the evaluation conformance cases (test/cases/eval/*.yaml, schema
// test/cases/eval/case.schema.json): each case is checked against the schema (errors located at
// the line of the case file), its rows are written as canonical CSV files, its edits as a fork's
// change file extending the shipped policy (so dsl/change-file.ts reads them and
// dsl/apply-change.ts applies them, as for any fork), then `guize eval` runs in process — the
// CLI's own entry point, main() — and the JSON report is compared with the case's fragment.
//
// Comparison: only what the fragment names; a decimal written as a string equals the report's
// number when the two are the same decimal (trailing zeros aside) — no float arithmetic; a list of
// rejected rows is all of them, in order; `violations` are all of a subject's, in any order;
// `violations_include` some of them; `violations_exclude` none of them. The first difference is reported as `FILE:LINE: PATH:
// expected …, got …`.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { parseDocument, stringify, type Document } from 'yaml';
import { main } from '../../cli/main.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const POLICIES = path.join(ROOT, 'policies');
const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'cases', 'eval', 'case.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: false, strict: false }).compile(SCHEMA);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
type Path = readonly (string | number)[];

/** A case file that cannot be used, or a result that differs: the message names the file, line and path. */
export class CaseFailure extends Error {}

/** One case file, read and checked against the schema. */
interface EvalCase {
  readonly file: string;
  readonly doc: Document;
  readonly note: string;
  readonly policy: string;
  readonly version: string | undefined;
  readonly asOf: string | undefined;
  readonly edits: Obj | undefined;
  readonly records: readonly Obj[];
  readonly subjects: readonly Obj[] | undefined;
  readonly expect: Obj;
}

/** The line (1-based) of the node at `p` in the case file, or of the nearest parent that exists. */
function lineAt(doc: Document, text: string, p: Path): number {
  for (let n = p.length; n >= 0; n--) {
    const node = doc.getIn(p.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return text.slice(0, node.range[0]).split('\n').length;
  }
  return 1;
}

function fail(c: { file: string; doc: Document }, text: string, p: Path, message: string): never {
  throw new CaseFailure(`${path.relative(ROOT, c.file)}:${lineAt(c.doc, text, p)}: ${p.join('.') || '(top)'}: ${message}`);
}

/** Reads and checks a case file. */
export function readCase(file: string): EvalCase & { readonly text: string } {
  const text = fs.readFileSync(file, 'utf8');
  const doc = parseDocument(text);
  const at = { file, doc };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new CaseFailure(`${path.relative(ROOT, file)}:${e.linePos?.[0]?.line ?? 1}: not YAML: ${e.message}`);
  }
  const data = doc.toJS() as Json;
  if (!validate(data)) {
    const e = validate.errors![0] as ErrorObject;
    const p = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const value = p.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), data);
    const what = e.keyword === 'additionalProperties' ? `unknown key '${String((e.params as { additionalProperty: string }).additionalProperty)}'`
      : e.keyword === 'type' && typeof value === 'number' && !Number.isInteger(value)
        ? 'a decimal is written as a string ("21.6"), not a YAML number' : `${e.message ?? e.keyword} (got ${JSON.stringify(value)})`;
    fail(at, text, p, `does not match case.schema.json: ${what}`);
  }
  const d = data as Obj;
  if (!fs.existsSync(path.join(POLICIES, String(d.policy), 'policy.yaml'))) fail(at, text, ['policy'], `no shipped policy policies/${String(d.policy)}`);
  if (d.version !== undefined && d.as_of !== undefined) fail(at, text, ['as_of'], 'a case chooses its version by version or by as_of, not both');
  return {
    file, text, doc,
    note: String(d.note),
    policy: String(d.policy),
    version: d.version === undefined ? undefined : String(d.version),
    asOf: d.as_of === undefined ? undefined : String(d.as_of),
    edits: d.edits as Obj | undefined,
    records: (d.records ?? []) as Obj[],
    subjects: (d.teachers ?? d.subjects) as Obj[] | undefined,
    expect: d.expect as Obj,
  };
}

/** Rows as a CSV file: the union of their keys, in the order first seen; `null` is an empty cell. */
function csv(rows: readonly Obj[]): string {
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  const cell = (v: Json | undefined) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

/** The top-level `effective` and `before_effective` of a shipped policy's file, so an edited copy starts when it does. */
function startOf(policyDir: string): { effective: string; beforeEffective: Json | undefined } {
  const d = parseDocument(fs.readFileSync(path.join(policyDir, 'policy.yaml'), 'utf8')).toJS() as Obj;
  return { effective: String(d.effective), beforeEffective: d.before_effective };
}

/**
 * The `--policy` argument for a case: the shipped folder (with `@VERSION`), or a fork in `dir`
 * extending it with the case's edits — its versions are then `case+VERSION`.
 */
function policyFor(c: EvalCase, dir: string): string {
  const shipped = path.join(POLICIES, c.policy);
  if (c.edits === undefined) return c.version === undefined ? shipped : `${shipped}@${c.version}`;
  const fork = path.join(dir, 'edited');
  fs.mkdirSync(fork, { recursive: true });
  const { effective, beforeEffective } = startOf(shipped);
  // The version extended: the case's own, or the first of the folder (the fork follows the later ones).
  const base = c.version ?? String((parseDocument(fs.readFileSync(path.join(shipped, 'policy.yaml'), 'utf8')).toJS() as Obj).version);
  const change: Obj = {
    extends: { policy: path.relative(fork, shipped), version: base.split('+')[0]! },
    policy: 'case.edited', version: 'case', effective, document: `case ${path.basename(c.file)}`,
    ...(beforeEffective === undefined ? {} : { before_effective: beforeEffective }),
    ...c.edits,
  };
  // Block style: a change file is told from a whole policy by its top-level `extends:` line.
  fs.writeFileSync(path.join(fork, 'policy.yaml'), stringify(change, { lineWidth: 0 }));
  return c.version === undefined ? fork : `${fork}@case+${c.version}`;
}

/** A decimal's text without its sign's `+`, leading zeros and trailing zeros (`"21.60"` → `"21.6"`); undefined if it is none. */
function decimalText(s: string): string | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return undefined;
  const int = m[2]!.replace(/^0+(?=\d)/, '');
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const t = frac === '' ? int : `${int}.${frac}`;
  return t === '0' ? '0' : `${m[1]}${t}`;
}

const show = (v: unknown) => (v === undefined ? '(nothing)' : JSON.stringify(v));

/** The first difference between a fragment and the report's value at `p`, or undefined. */
function mismatch(expected: Json, actual: Json | undefined, p: Path): { path: Path; message: string } | undefined {
  const differ = (why = '') => ({ path: p, message: `expected ${show(expected)}, got ${show(actual)}${why}` });
  if (expected === null || typeof expected === 'boolean') return actual === expected ? undefined : differ();
  if (typeof expected === 'number') return actual === expected ? undefined : differ();
  if (typeof expected === 'string') {
    if (typeof actual === 'number') {
      // The report's numbers are exact decimals rounded to 2 places, written as JSON numbers: their
      // shortest text is the decimal (below 10^21), compared as text with the case's.
      const e = decimalText(expected);
      return e !== undefined && e === decimalText(String(actual)) ? undefined : differ();
    }
    return actual === expected ? undefined : differ();
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return differ();
    for (let i = 0; i < expected.length; i++) {
      if (i >= actual.length) return { path: [...p, i], message: `expected ${show(expected[i])}, got nothing (${actual.length} item(s) in all)` };
      const m = mismatch(expected[i]!, actual[i], [...p, i]);
      if (m) return m;
    }
    return actual.length === expected.length ? undefined
      : { path: p, message: `expected ${expected.length} item(s), got ${actual.length}: the first one more is ${show(actual[expected.length])}` };
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return differ();
  for (const [k, v] of Object.entries(expected)) {
    const m = mismatch(v, actual[k], [...p, k]);
    if (m) return m;
  }
  return undefined;
}

/** Each expected violation matched to a distinct actual one (first fit); `all`: no actual one left over. */
function violationsMismatch(expected: Json[], actual: Json[], p: Path, all: boolean): { path: Path; message: string } | undefined {
  const left = [...actual];
  for (let i = 0; i < expected.length; i++) {
    const k = left.findIndex((a) => mismatch(expected[i]!, a, []) === undefined);
    if (k < 0) {
      const brief = actual.map((a) => { const o = a as Obj; return `${String(o.rule)}${o.key == null ? '' : `[${String(o.key)}]`}@${o.window ?? o.year ?? o.period ?? 'cycle'} ${show(o.actual)}/${show(o.required)}`; });
      return { path: [...p, i], message: `expected a violation ${show(expected[i])}, not among ${brief.length === 0 ? 'none' : brief.join(', ')}` };
    }
    left.splice(k, 1);
  }
  if (all && left.length > 0) return { path: p, message: `${left.length} violation(s) not expected: ${left.map(show).join(', ')}` };
  return undefined;
}

/** A violation that matches one the case says must not be there. */
function excluded(expected: Json[], actual: Json[], p: Path): { path: Path; message: string } | undefined {
  for (let i = 0; i < expected.length; i++) {
    const hit = actual.find((a) => mismatch(expected[i]!, a, []) === undefined);
    if (hit !== undefined) return { path: [...p, i], message: `expected no violation like ${show(expected[i])}, got ${show(hit)}` };
  }
  return undefined;
}

/** The first difference between the case's `expect` and the report (and exit code, stderr). */
function compare(c: EvalCase, report: Obj | undefined, code: number, err: string): { path: Path; message: string } | undefined {
  const e = c.expect;
  const exit = (e.exit as number | undefined) ?? 0;
  if (code !== exit) return { path: ['expect', 'exit'], message: `expected exit ${exit}, got ${code}: ${err.slice(0, 600)}` };
  for (const [i, s] of ((e.stderr ?? []) as string[]).entries()) {
    if (!err.includes(s)) return { path: ['expect', 'stderr', i], message: `standard error lacks ${show(s)}; it was ${show(err.slice(0, 600))}` };
  }
  if (report === undefined) return undefined;
  for (const k of ['policy', 'summary'] as const) {
    if (e[k] !== undefined) {
      const m = mismatch(e[k]!, report[k], ['expect', k]);
      if (m) return m;
    }
  }
  if (e.rejected !== undefined) {
    const m = mismatch(e.rejected, report.rejected, ['expect', 'rejected']);
    if (m) return m;
  }
  const collection = Object.keys(report).find((k) => k !== 'policy' && k !== 'input' && k !== 'rejected' && k !== 'summary' && Array.isArray(report[k]));
  const subjects = (collection === undefined ? [] : report[collection]) as Obj[];
  const keyOf = (s: Obj) => String(s[Object.keys(s)[0]!]); // the subject's key comes first in the report
  for (const [id, want] of Object.entries((e.subjects ?? {}) as Record<string, Obj>)) {
    const p = ['expect', 'subjects', id];
    // `P1 @ 2021-2022`: the subject's result for that cycle (a policy with repeating cycles gives one per cycle).
    const [key, cycle] = id.split(' @ ');
    const got = subjects.find((s) => keyOf(s) === key && (cycle === undefined || s.cycle === cycle));
    if (want.absent === true) {
      if (got) return { path: [...p, 'absent'], message: `expected no results for ${id}, got ${show(got).slice(0, 300)}` };
      continue;
    }
    if (!got) return { path: p, message: `no results for ${id} (the report has ${subjects.map((s) => (typeof s.cycle === 'string' ? `${keyOf(s)} @ ${s.cycle}` : keyOf(s))).join(', ') || 'none'})` };
    const { violations, violations_include: include, violations_exclude: exclude, absent: _, ...rest } = want;
    const m = mismatch(rest, got, p)
      ?? (violations === undefined ? undefined : violationsMismatch(violations as Json[], (got.violations ?? []) as Json[], [...p, 'violations'], true))
      ?? (include === undefined ? undefined : violationsMismatch(include as Json[], (got.violations ?? []) as Json[], [...p, 'violations_include'], false))
      ?? excluded((exclude ?? []) as Json[], (got.violations ?? []) as Json[], [...p, 'violations_exclude']);
    if (m) return m;
  }
  return undefined;
}

/**
 * Runs one case file through `guize eval` in process; throws a CaseFailure naming the file, the
 * line and the path of the first difference (or of the schema error).
 */
export async function runCase(file: string): Promise<void> {
  const c = readCase(file);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guize-case-'));
  try {
    const records = path.join(dir, 'records.csv');
    fs.writeFileSync(records, csv(c.records));
    const argv = ['eval', '--policy', policyFor(c, dir), '--records', records, '--format', 'json'];
    if (c.subjects !== undefined) {
      const subjects = path.join(dir, 'subjects.csv');
      fs.writeFileSync(subjects, csv(c.subjects));
      argv.push('--teachers', subjects);
    }
    if (c.asOf !== undefined) argv.push('--as-of', c.asOf);
    let out = '';
    let err = '';
    const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
    const report = code === 0 || code === 1 ? JSON.parse(out) as Obj : undefined;
    const m = compare(c, report, code, err);
    if (m) fail(c, c.text, m.path, m.message);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
