// Input mapping files: a policy folder's mappings/*.yaml, each a layout other systems export
// (column names, values, date forms) and how it reads as the policy's canonical fields. Parsed
// and checked against the policy here, with located bilingual diagnostics; applied to rows by
// engine/input/mapping.ts. A fork inherits its parent's mappings, and a file of the same name in
// its own mappings/ replaces the parent's. Portable: the files come through PolicyFiles.

import type { ValidateFunction } from 'ajv';
import { dateForm, type FileLayout, type InputMapping } from './mapping-layout.ts';
import { isChangeText, parseChangeFile } from './change-file.ts';
import { DiagnosticBag, type Diagnostic, type StageResult } from './diagnostics.ts';
import { mappingValidator } from './mapping-validator.ts';
import type { FieldDecl, PolicyAst } from './policy.ts';
import { normalizePath, type PolicyFiles } from './policy-set.ts';
import { checkAgainst } from './schema-check.ts';
import type { SourceFile } from './source.ts';
import { didYouMean } from './suggest.ts';
import { keysAt, keySpanAt, parseYaml, spanAt, yamlToData, type YamlSource } from './yaml-source.ts';

type Obj = Record<string, unknown>;

/** The folder of a policy's mapping files, beside its policy.yaml. */
export const MAPPINGS_DIR = 'mappings';

let validator: ValidateFunction | undefined;

/**
 * Parses one mapping file and checks it against the policy's fields: every column names a
 * declared field, no two name one field, mapped values are values of their enum (or true/false
 * for a bool), date forms have one year, month and day.
 */
export function parseMappingFile(file: string, text: string, policy: PolicyAst): StageResult<InputMapping> {
  const bag = new DiagnosticBag();
  const src = parseYaml(file, text, bag);
  if (!src) return bag.fail();
  const data = yamlToData(src, bag);
  validator ??= mappingValidator();
  if (data === undefined || !checkAgainst(validator, src, data, bag, 'the mapping does not match its schema', '映射文件不符合其格式要求')) return bag.fail();
  const d = data as Obj;
  const layout = (which: 'records' | 'subjects', fields: readonly FieldDecl[]) => (d[which] === undefined ? undefined : checkLayout(src, which, d[which] as Obj, fields, bag));
  const mapping: InputMapping = {
    id: String(d.mapping),
    title: String(d.title),
    file,
    records: layout('records', policy.record.fields),
    subjects: layout('subjects', policy.subject.fields),
    privateColumns: Array.isArray(d.private_columns) ? d.private_columns.map(String) : [],
  };
  return bag.result(mapping);
}

function checkLayout(src: YamlSource, which: 'records' | 'subjects', data: Obj, fields: readonly FieldDecl[], bag: DiagnosticBag): FileLayout {
  const known = fields.map((f) => f.id);
  const columns: Record<string, string> = Object.create(null);
  const claimed = new Map<string, string>();
  for (const column of keysAt(src, [which, 'columns'])) {
    const field = String((data.columns as Obj)[column]);
    const span = spanAt(src, [which, 'columns', column]);
    if (!known.includes(field)) {
      bag.error('mapping-unknown-field', span, `column '${column}' maps to '${field}', which is not a field of the policy's ${which}`,
        `列 '${column}' 映射到 '${field}'，但它不是策略中${which === 'records' ? '记录' : '主体'}的字段`, didYouMean(field, known) ?? `fields: ${known.join(', ')}`);
    } else if (claimed.has(field)) {
      bag.error('mapping-duplicate-field', span, `columns '${claimed.get(field)}' and '${column}' both map to '${field}'`,
        `列 '${claimed.get(field)}' 与 '${column}' 都映射到 '${field}'`);
    } else claimed.set(field, column);
    columns[column] = field;
  }
  const values: Record<string, Record<string, string>> = Object.create(null);
  for (const field of keysAt(src, [which, 'values'])) {
    const decl = fields.find((f) => f.id === field);
    const allowed = decl?.type === 'enum' ? decl.values : decl?.type === 'bool' ? ['true', 'false'] : undefined;
    if (allowed === undefined) {
      bag.error('mapping-unknown-field', keySpanAt(src, [which, 'values'], field),
        decl === undefined ? `'${field}' is not a field of the policy's ${which}` : `'${field}' is a ${decl.type} field: only the values of enum and bool fields are mapped`,
        decl === undefined ? `'${field}' 不是策略中的字段` : `'${field}' 是 ${decl.type} 字段：只有枚举和布尔字段的取值可以映射`,
        decl === undefined ? didYouMean(field, known) : undefined);
      continue;
    }
    const map: Record<string, string> = Object.create(null);
    const given = ((data.values as Obj)[field] ?? {}) as Obj;
    for (const written of keysAt(src, [which, 'values', field])) {
      const to = String(given[written]);
      if (!allowed.includes(to)) {
        bag.error('mapping-unknown-value', spanAt(src, [which, 'values', field, written]), `'${written}' maps to '${to}', which is not a value of ${field} (${allowed.join(', ')})`,
          `'${written}' 映射到 '${to}'，但它不是 ${field} 的取值（${allowed.join('、')}）`, didYouMean(to, allowed));
      }
      map[written] = to;
    }
    values[field] = map;
  }
  const dates = Array.isArray(data.dates) ? data.dates.map(String) : [];
  dates.forEach((form, k) => {
    if (dateForm(form) === undefined) {
      bag.error('mapping-bad-date-format', spanAt(src, [which, 'dates', k]), `date form '${form}' needs YYYY, one of M/MM and one of D/DD, once each`,
        `日期格式 '${form}' 须各含一次 YYYY、M 或 MM、D 或 DD`);
    }
  });
  return { columns, values, dates, dateFields: fields.filter((f) => f.type === 'date').map((f) => f.id) };
}

/** The mappings of a policy, with the files read and what their checks said. */
export interface LoadedMappings {
  /** The mappings in force, by id order; empty after an error. */
  readonly mappings: readonly InputMapping[];
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, SourceFile>;
  readonly ok: boolean;
}

/** Forks nest at most this deep (as policy-set.ts allows). */
const MAX_DEPTH = 8;

/**
 * The mappings of the policy at `path` (a folder, or a folder's policy.yaml): its mappings/
 * files, over those of the parents it extends (a file of the same name replaces the parent's),
 * each checked against `policy`.
 */
export function loadMappings(files: PolicyFiles, path: string, policy: PolicyAst): LoadedMappings {
  const byName = new Map<string, { file: string; text: string }>();
  let dir = normalizePath(/\.ya?ml$/i.test(path) ? path.replace(/\/[^/]*$/, '') || '.' : path);
  const chain: string[] = [];
  for (let depth = 0; depth <= MAX_DEPTH && !chain.includes(dir); depth++) {
    chain.push(dir);
    const text = files.read(`${dir}/policy.yaml`) ?? files.read(`${dir}/policy.yml`);
    if (text === undefined || !isChangeText(text)) break;
    const c = parseChangeFile(`${dir}/policy.yaml`, text);
    if (!c.ok || c.value.base.kind !== 'extends') break;
    dir = normalizePath(`${dir}/${c.value.base.policy}`);
  }
  // The farthest parent first, so that a nearer folder's file of the same name replaces it.
  for (const d of chain.reverse()) {
    for (const name of [...files.list(`${d}/${MAPPINGS_DIR}`)].sort()) {
      const file = `${d}/${MAPPINGS_DIR}/${name}`;
      const text = files.read(file);
      if (text !== undefined) byName.set(name.replace(/\.ya?ml$/i, ''), { file, text });
    }
  }
  const mappings: InputMapping[] = [];
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, SourceFile>();
  for (const { file, text } of byName.values()) {
    sources.set(file, { name: file, text });
    const r = parseMappingFile(file, text, policy);
    diagnostics.push(...r.diagnostics);
    if (r.ok) mappings.push(r.value);
  }
  const bag = new DiagnosticBag();
  const seen = new Map<string, string>();
  for (const m of mappings) {
    const other = seen.get(m.id);
    if (other !== undefined) {
      const text = sources.get(m.file)!.text;
      const at = text.search(/^mapping:/m);
      bag.error('duplicate-id', { file: m.file, start: Math.max(0, at), end: Math.max(0, at) + 'mapping'.length }, `the mapping '${m.id}' is also declared in ${other}`, `映射 '${m.id}' 也在 ${other} 中声明`);
    }
    seen.set(m.id, m.file);
  }
  diagnostics.push(...bag.items);
  const ok = !diagnostics.some((x) => x.severity === 'error');
  mappings.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { mappings: ok ? mappings : [], diagnostics, sources, ok };
}
