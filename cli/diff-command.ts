// `guize diff`: two policies (or versions) over the same records in one pass, compared — the
// engine's part is engine/diff/; here are the files, the options and the output formats.

import { explanationHtml, explanationsHtml, JsonWriter, type InputEvent } from '../engine/index.ts';
import { Diff, diffSide, diffTable, type DiffJson } from '../engine/diff/index.ts';
import type { InputMapping } from '../dsl/index.ts';
import { columnChecks, readInputFile, type ColumnChecks, type InputSettings } from './eval-command.ts';
import { encodingOption } from './encoding.ts';
import { READ_OPTIONS, subjectsFileOf } from './inputs.ts';
import { policyMappings } from './mappings.ts';
import { parseCommandArgs } from './args.ts';
import { InputFailure, type Io } from './io.ts';
import { loadPolicyAt, policyArgument, type LoadedProgram } from './load-policy.ts';
import { renderDiffReport } from './diff-html-file.ts';
import { explainSubject } from './explain-command.ts';
import { openOutput, type Output } from './output.ts';

const FORMATS = ['table', 'json', 'html'] as const;
type Format = (typeof FORMATS)[number];
const OUTPUT_BUFFER = 1 << 20;

/**
 * Reads one input file into both sides of the diff, as `guize eval` reads it (any encoding, an
 * XLSX workbook, a layout a mapping of either policy declares: eval's own reader), with the
 * column checks of both policies.
 */
async function readInto(diff: Diff, base: LoadedProgram, head: LoadedProgram, which: 'records' | 'subjects', path: string, io: Io, settings: InputSettings): Promise<void> {
  const cb = columnChecks(base.program, which, path, io);
  const ch = columnChecks(head.program, which, path, io);
  let headerSeen = false;
  const onHeader = (side: 'base' | 'head', names: readonly string[]) => {
    headerSeen = true;
    (side === 'base' ? cb : ch).requireColumns(names);
  };
  const fieldsOf = (p: LoadedProgram) => (which === 'records' ? p.program.policy.record.fields : p.program.policy.subject.fields);
  const fields = new Set([...fieldsOf(base), ...fieldsOf(head)].map((f) => f.id));
  const checks: ColumnChecks = {
    ...cb,
    requireColumns: (names) => {
      cb.requireColumns(names);
      ch.requireColumns(names);
    },
    done: (format, columns) => {
      if (format === 'csv' && !headerSeen) {
        // A CSV without even a header lacks every required column.
        cb.requireColumns([]);
        ch.requireColumns([]);
      }
      const unknown = columns.filter((c) => !fields.has(c));
      if (unknown.length > 0) io.err(`警告 warning: ${path}: 忽略未知列 ignoring unknown column(s): ${unknown.join(', ')}\n`);
    },
  };
  await readInputFile(base.program, which, path, io, settings, {
    sink: (_require, warn) => (which === 'records' ? diff.recordSink(onHeader, warn) : diff.subjectSink(onHeader, warn)),
    add: (e: InputEvent) => (which === 'records' ? diff.addRecord(e) : diff.addSubject(e)),
  }, checks);
}

/** The mappings of both policies (the base's first; a head's mapping of the same id is the base's). */
function diffMappings(base: LoadedProgram, head: LoadedProgram, io: Io): readonly InputMapping[] | undefined {
  const b = policyMappings(base, io);
  if (b === undefined) return undefined;
  if (head.path === base.path) return b;
  const h = policyMappings(head, io);
  if (h === undefined) return undefined;
  const ids = new Set(b.map((m) => m.id));
  return [...b, ...h.filter((m) => !ids.has(m.id))];
}

/** How many changed subjects the HTML report explains by default (each costs one pass over the records). */
const DEFAULT_EXPLAINED = 20;

/**
 * Explanations for the HTML report: the first `n` changed subjects, those whose status changed
 * first, each under the head policy (the base, for a subject only the base evaluates) — an HTML
 * fragment each, by subject id. One traced pass over the files per subject.
 */
async function explanations(doc: DiffJson, base: LoadedProgram, head: LoadedProgram, n: number, records: string, subjects: string | undefined, lang: 'zh' | 'en', io: Io, settings: InputSettings): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const statusChanged = (c: DiffJson['changed'][number]) => c.transition === 'became_compliant' || c.transition === 'became_non_compliant';
  const ordered = [...doc.changed.filter(statusChanged), ...doc.changed.filter((c) => !statusChanged(c))];
  for (const c of ordered.slice(0, n)) {
    const id = String(c[doc.subject_key]);
    const side = c.transition === 'only_base' ? base : head;
    const { doc: explanation } = await explainSubject(side, id, records, subjects, io, settings);
    // A repeating cycle's subject: each of their cycles explained, in order.
    if (explanation) out.set(id, explanation.format === 'guize-explanation-cycles' ? explanationsHtml(explanation, lang) : explanationHtml(explanation, lang));
  }
  return out;
}

export async function diffCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      base: { type: 'string' },
      head: { type: 'string' },
      records: { type: 'string' },
      teachers: { type: 'string' },
      subjects: { type: 'string' },
      format: { type: 'string', default: 'table' },
      pretty: { type: 'boolean', default: false },
      out: { type: 'string' },
      'fail-on-change': { type: 'boolean', default: false },
      'group-by': { type: 'string' },
      limit: { type: 'string' },
      explain: { type: 'string' },
      lang: { type: 'string', default: 'zh' },
      ...READ_OPTIONS,
    },
    aliases: [['teachers', 'subjects']],
  });
  if (!values.base || !values.head || !values.records) throw new InputFailure('需要 --base、--head 和 --records / --base, --head and --records are required');
  const format = (values.format ?? 'table') as Format;
  if (!FORMATS.includes(format)) throw new InputFailure(`未知的输出格式 '${format}' / unknown --format '${format}' (${FORMATS.join(', ')})`);
  const subjectsFile = subjectsFileOf(values);
  const explained = values.explain === undefined ? DEFAULT_EXPLAINED : Number(values.explain);
  if (!(Number.isInteger(explained) && explained >= 0)) throw new InputFailure(`--explain 应为非负整数 / --explain takes a whole number, 0 or more (got '${values.explain}')`);
  const lang = values.lang as 'zh' | 'en';
  if (lang !== 'zh' && lang !== 'en') throw new InputFailure(`未知的语言 '${values.lang}' / unknown --lang '${values.lang}' (zh, en)`);
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!(Number.isInteger(limit) && limit >= 0)) throw new InputFailure(`--limit 应为非负整数 / --limit takes a whole number, 0 or more (got '${values.limit}')`);

  const sides: LoadedProgram[] = [];
  for (const arg of [values.base, values.head]) {
    const { path, choice } = policyArgument(arg, undefined);
    const loaded = loadPolicyAt(path, choice, io);
    if (!loaded) return 2;
    sides.push(loaded);
  }
  const [base, head] = sides as [LoadedProgram, LoadedProgram];
  const groupBy = values['group-by'] === undefined ? undefined : values['group-by'].split(',').map((g) => g.trim()).filter((g) => g !== '');
  if (groupBy) {
    const known = new Set([...base.program.policy.subject.fields, ...head.program.policy.subject.fields].map((f) => f.id));
    const bad = groupBy.filter((g) => !known.has(g));
    if (bad.length > 0) throw new InputFailure(`--group-by：未知的字段 ${bad.join(', ')} / --group-by: no subject field ${bad.join(', ')} (fields: ${[...known].join(', ')})`);
  }

  // The same inputs as eval reads: any encoding, an XLSX workbook, any layout a mapping declares.
  const mappings = diffMappings(base, head, io);
  if (mappings === undefined) return 2;
  const settings: InputSettings = { encoding: encodingOption(values.encoding), mappings, sheet: values.sheet, used: new Map() };
  const diff = new Diff(base.program, head.program, groupBy ? { groupBy } : {});
  const debug = process.env.GUIZE_DEBUG ? (what: string, t0: number) => io.err(`guize: ${what} in ${(performance.now() - t0).toFixed(0)} ms\n`) : undefined;
  let t0 = performance.now();
  if (subjectsFile) await readInto(diff, base, head, 'subjects', subjectsFile, io, settings);
  await readInto(diff, base, head, 'records', values.records, io, settings);
  debug?.('read (both sides)', t0);
  t0 = performance.now();
  const named = [diffSide(base.program, base.choice.version, values.base), diffSide(head.program, head.choice.version, values.head)] as const;
  const pretty = values.pretty || (values.out === undefined && io.stdoutIsTTY === true);
  if (format === 'json') {
    // Compared and written in one go: the changed subjects go to bytes as they are found.
    const out = openOutput(values.out, io);
    let summary: DiffJson['summary'];
    try {
      const w = new JsonWriter(out.sink, pretty, OUTPUT_BUFFER);
      summary = diff.writeJson(...named, w);
      w.newline();
      w.flush();
    } finally {
      out.close();
    }
    debug?.('compared and written', t0);
    return values['fail-on-change'] && summary.became_compliant + summary.became_non_compliant > 0 ? 1 : 0;
  }
  const doc = diff.finish(...named);
  debug?.('compared', t0);
  t0 = performance.now();

  let html: string | undefined;
  if (format === 'html') {
    // Standard input cannot be read a second time: then the report has no explanations.
    const rereadable = values.records !== '-' && subjectsFile !== '-';
    const fragments = rereadable ? await explanations(doc, base, head, explained, values.records, subjectsFile, lang, io, { ...settings, used: undefined }) : undefined;
    debug?.('explained', t0);
    html = await renderDiffReport(doc, fragments);
  }
  const out = openOutput(values.out, io);
  try {
    write(out, format, doc, html, limit);
  } finally {
    out.close();
  }
  debug?.('written', t0);
  const statusChanged = doc.summary.became_compliant + doc.summary.became_non_compliant > 0;
  return values['fail-on-change'] && statusChanged ? 1 : 0;
}

function write(out: Output, format: Exclude<Format, 'json'>, doc: DiffJson, html: string | undefined, limit: number): void {
  switch (format) {
    case 'table': {
      let parts: string[] = [];
      diffTable(doc, (t) => {
        parts.push(t);
        if (parts.length >= 256) {
          out.text(parts.join(''));
          parts = [];
        }
      }, { subjects: limit });
      out.text(parts.join(''));
      return;
    }
    case 'html':
      out.text(html!);
      return;
  }
}
