// A small continuing-education policy for the language tests (test/language*.test.ts): the YAML
// part is fixed, the rules are the test's own. Nothing in it is Lincang's.

import { loadPolicy } from '../../dsl/index.ts';
import { compilePolicy, createCsvReader, evaluate, reportJson, type Program } from '../../engine/index.ts';

/** The policy's YAML with `rules` (indented by the caller's text as written) appended. */
export function languagePolicy(rules: string, extra = ''): string {
  return `policy: test.language
version: "1"
effective: 2020-01-01
before_effective: { value: evaluate }
document: 测试〔2020〕1号

units:
  hour: { zh: 小时, en: hours }
  item: { zh: 项, en: items }

subject:
  key: person_id
  collection: people
  fields:
    person_id: { type: text, required: true }
    registered_on: { type: date }
    declared: { type: bool }
    indemnity: { type: enum, values: [own, employer] }

record:
  key: record_id
  subject: person_id
  fields:
    record_id: { type: text, required: true }
    person_id: { type: text, required: true }
    date: { type: date, required: true }
    kind: { type: enum, values: [practice, cpd, feedback, reflection], required: true }
    hours: { type: number, unit: hour, min: 0 }
    participatory: { type: bool }
    source: { type: text }

period: { field: date, by: year, name: year, collection: years }
cycle: { from: 2020, to: 2022 }
${extra}
rules: |
${rules.replace(/^/gm, '  ')}
`;
}

/** Loads and compiles a policy text, or throws with its diagnostics. */
export function compileText(text: string): Program {
  const loaded = loadPolicy('test.yaml', text);
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return compilePolicy(loaded.value);
}

/** The diagnostics' codes of a policy text. */
export function codesOf(text: string): string[] {
  return loadPolicy('test.yaml', text).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
}

function read(csv: string) {
  const r = createCsvReader();
  return [...r.push(csv), ...r.end()];
}

export const RECORD_HEAD = 'record_id,person_id,date,kind,hours,participatory,source';
export const PEOPLE_HEAD = 'person_id,registered_on,declared,indemnity';

/** Evaluates records (rows after the header) and subjects; the report as JSON data. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function run(program: Program, records: readonly string[], people: readonly string[], interpret = false): any {
  return reportJson(evaluate(program, read([RECORD_HEAD, ...records].join('\n') + '\n'), read([PEOPLE_HEAD, ...people].join('\n') + '\n'), { interpret }));
}
