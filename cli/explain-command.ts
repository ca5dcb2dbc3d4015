// `guize explain`: one subject's results, step by step — the requirements that apply to them (met
// or not, and what is missing), every row of theirs and what became of it, in the policy's own
// terms. The rows are read as `guize eval` reads them (on one thread: only one subject is traced,
// and every other row runs as generated code), through the same compiled program. A repeating
// cycle (`cycle.every`) is explained cycle by cycle, as eval gives its results (`--cycle` for one).

import { provenanceOf, suggest, type ProvenanceEntry } from '../dsl/index.ts';
import {
  Evaluation, explanationPage, explanationsPage, explanationsText, explanationText, SubjectExplainer, type CycleExplanations, type Explanation,
} from '../engine/index.ts';
import { readInto, type InputSettings } from './eval-command.ts';
import { encodingOption } from './encoding.ts';
import { policyMappings } from './mappings.ts';
import { INPUT_ALIASES, INPUT_OPTIONS, READ_OPTIONS, subjectsFileOf } from './inputs.ts';
import { parseCommandArgs } from './args.ts';
import { InputFailure, type Io } from './io.ts';
import { loadPolicyAt, policyArgument, type LoadedProgram } from './load-policy.ts';
import { openOutput } from './output.ts';

const FORMATS = ['text', 'json', 'html'] as const;
type Format = (typeof FORMATS)[number];
const LANGS = ['zh', 'en'] as const;
type Lang = (typeof LANGS)[number];

export async function explainCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      ...INPUT_OPTIONS,
      ...READ_OPTIONS,
      teacher: { type: 'string' },
      subject: { type: 'string' },
      format: { type: 'string', default: 'text' },
      lang: { type: 'string', default: 'zh' },
      cycle: { type: 'string' },
      out: { type: 'string' },
    },
    aliases: [...INPUT_ALIASES, ['teacher', 'subject']],
  });
  const id = values.subject ?? values.teacher;
  if (!values.policy || !values.records || id === undefined) {
    throw new InputFailure('需要 --policy、--records 和 --teacher / --policy, --records and --teacher are required');
  }
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new InputFailure(`未知的输出格式 '${format}' / unknown --format '${format}' (${FORMATS.join(', ')})`);
  const lang = values.lang as Lang;
  if (!LANGS.includes(lang)) throw new InputFailure(`未知的语言 '${lang}' / unknown --lang '${lang}' (${LANGS.join(', ')})`);
  const subjectsFile = subjectsFileOf(values);
  const { path, choice } = policyArgument(values.policy, values['as-of']);
  const loaded = loadPolicyAt(path, choice, io);
  if (!loaded) return 2;
  const program = loaded.program;
  if (values.cycle !== undefined && !program.cycles) {
    io.err(`错误 error: --cycle 只用于周期重复（cycle.every）的政策，本政策只有一个周期 / --cycle is for a repeating cycle (cycle.every): this policy has one cycle\n`);
    return 2;
  }
  // The same inputs as eval reads: any encoding, any layout a mapping of the policy declares.
  const mappings = policyMappings(loaded, io);
  if (mappings === undefined) return 2;
  const settings: InputSettings = { encoding: encodingOption(values.encoding), mappings, sheet: values.sheet, used: new Map() };

  const { doc, evaluation } = await explainSubject(loaded, id, values.records, subjectsFile, io, settings, values.cycle);
  if (doc && 'explanations' in doc && doc.explanations.length === 0) {
    // --cycle names no cycle of theirs.
    const names = doc.cycles.join(', ');
    io.err(`错误 error: ${program.policy.subject.key} '${id}' 没有名为 '${values.cycle}' 的周期；其周期为 ${names} / ${program.policy.subject.key} '${id}' has no cycle '${values.cycle}'; their cycles are ${names}\n`);
    return 2;
  }
  if (!doc) {
    const near = nearMatches(id, evaluation.subjectIds());
    const hint = near.length === 0 ? '' : `；相近的有 ${near.join(', ')} / did you mean ${near.join(', ')}?`;
    const key = program.policy.subject.key;
    io.err(`错误 error: 输入文件中没有 ${key} 为 '${id}' 的行 / no row of the input names ${key} '${id}'${hint}\n`);
    return 2;
  }
  const out = openOutput(values.out, io);
  try {
    out.text(render(doc, format, lang));
  } finally {
    out.close();
  }
  return 0;
}

/**
 * The explanation of subject `id` under `loaded`, from one pass over the files (traced for that
 * subject only): for a repeating cycle, one per cycle (only `cycle`'s, when named: none when they
 * have no such cycle); undefined when no row names it (`evaluation` then knows the ids that are there).
 */
export async function explainSubject(
  loaded: LoadedProgram, id: string, records: string, subjectsFile: string | undefined, io: Io, settings: InputSettings = {}, cycle?: string,
): Promise<{ readonly doc: Explanation | CycleExplanations | undefined; readonly evaluation: Evaluation }> {
  const program = loaded.program;
  const explainer = new SubjectExplainer(program, id);
  const evaluation = new Evaluation(program, { trace: explainer });
  if (subjectsFile) await readInto(program, evaluation, 'subjects', subjectsFile, io, settings);
  await readInto(program, evaluation, 'records', records, io, settings);
  const options = { provenance: provenanceByVersion(loaded) };
  const doc = program.cycles ? explainer.explainCycles(evaluation, options, cycle) : explainer.explain(evaluation, options);
  return { doc, evaluation };
}

function render(doc: Explanation | CycleExplanations, format: Format, lang: Lang): string {
  if (format === 'json') return `${JSON.stringify(doc, null, 2)}\n`;
  if (doc.format === 'guize-explanation-cycles') return format === 'text' ? explanationsText(doc, lang) : explanationsPage(doc, lang);
  return format === 'text' ? explanationText(doc, lang) : explanationPage(doc, lang);
}

/** The provenance of every version of the loaded policy, by version name. */
function provenanceByVersion(loaded: LoadedProgram): Map<string, readonly ProvenanceEntry[]> {
  const sources = new Map(Object.entries(loaded.sources).map(([name, text]) => [name, { name, text }]));
  return new Map(loaded.set.versions.map((v) => [v.ast.version, provenanceOf(v.ast, loaded.set.origins, sources)]));
}

/** Up to three ids near `id`: the did-you-mean of each, taken out in turn. */
function nearMatches(id: string, ids: readonly string[]): string[] {
  const pool = new Set(ids.filter((x) => x !== id));
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const s = suggest(id, pool);
    if (s === undefined) break;
    out.push(s);
    pool.delete(s);
  }
  return out;
}
