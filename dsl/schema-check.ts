// Validates a policy's YAML data against the JSON Schema, turning ajv's errors into located,
// bilingual diagnostics (one per place, the most specific first).

import type { ErrorObject, ValidateFunction } from 'ajv';
import type { DiagnosticBag } from './diagnostics.ts';
import { policySchema } from './policy-schema.ts';
import { policyValidator } from './schema-validator.ts';
import { didYouMean } from './suggest.ts';
import { keySpanAt, spanAt, type YamlSource } from './yaml-source.ts';

let validator: ValidateFunction | undefined;

/** The compiled validator, made on first use. */
function validate(): ValidateFunction {
  validator ??= policyValidator();
  return validator;
}

/** Checks `data` against the schema; returns true when it conforms. */
export function checkSchema(src: YamlSource, data: unknown, bag: DiagnosticBag): boolean {
  return checkAgainst(validate(), src, data, bag, 'the policy does not match its schema', '策略文件不符合其格式要求', policySchema);
}

/**
 * Checks `data` against any compiled schema (a policy's, a test file's), with the same located
 * diagnostics. A validator compiled with `verbose: true` also suggests the key meant for an
 * unknown one.
 */
export function checkAgainst(v: ValidateFunction, src: YamlSource, data: unknown, bag: DiagnosticBag, en: string, zh: string, root?: object): boolean {
  if (v(data)) return true;
  // An error about a key's name comes twice: as the rule the name breaks (with a propertyName),
  // and as the propertyNames error, which is the one reported (bad-name, at the key).
  const errors = (v.errors ?? []).filter((e) => !['if', 'oneOf', 'anyOf'].includes(e.keyword) && e.propertyName === undefined);
  // One diagnostic per place: the deepest paths say the most.
  const seen = new Set<string>();
  errors.sort((a, b) => b.instancePath.length - a.instancePath.length);
  for (const e of errors) {
    const where = `${e.instancePath}|${e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : e.keyword === 'propertyNames' ? `name ${String(e.params.propertyName)}` : ''}`;
    if (seen.has(where)) continue;
    seen.add(where);
    report(src, e, bag, root);
  }
  if (seen.size === 0) bag.error('schema', spanAt(src, []), en, zh);
  return false;
}

/** The path of an error: list indices as numbers, so they find items of a list (mappings match either). */
function pathOf(e: ErrorObject): (string | number)[] {
  return e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).map((p) => (/^(0|[1-9]\d*)$/.test(p) ? Number(p) : p));
}

/**
 * The schema object a JSON pointer (`#/else/else/additionalProperties`) leads to, less its last
 * step: the object whose keys an unknown key is compared with. A validator not compiled with
 * `verbose` (the policy's, ahead of time) gives no parentSchema; its schemaPath still finds it.
 */
function schemaAt(root: object | undefined, pointer: string): { properties?: object } | undefined {
  if (root === undefined || !pointer.startsWith('#/')) return undefined;
  let at: unknown = root;
  for (const step of pointer.slice(2).split('/').slice(0, -1)) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[step.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return typeof at === 'object' && at !== null ? at as { properties?: object } : undefined;
}

function report(src: YamlSource, e: ErrorObject, bag: DiagnosticBag, root: object | undefined): void {
  const path = pathOf(e);
  const at = path.length > 0 ? path.join('.') : '(top level)';
  const span = spanAt(src, path);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? schemaAt(root, e.schemaPath)?.properties ?? {});
      bag.error('unknown-key', keySpanAt(src, path, key), `unknown key '${key}' in ${at}`, `${at} 中有未知的键 '${key}'`,
        didYouMean(key, known) ?? 'check the spelling; the README lists the keys each section takes');
      return;
    }
    case 'required': {
      // Point at the key that owns the mapping (`period:`), not at its first entry.
      const owner = path.length > 0 ? keySpanAt(src, path.slice(0, -1), String(path[path.length - 1]!)) : span;
      bag.error('missing-key', owner, `${at} is missing the key '${String(p.missingProperty)}'`,
        `${at} 缺少键 '${String(p.missingProperty)}'`);
      return;
    }
    case 'type':
      bag.error('wrong-type', span, `${at} should be ${describeType(String(p.type))}`, `${at} 应为 ${describeTypeZh(String(p.type))}`);
      return;
    case 'enum':
      bag.error('not-allowed', span, `${at} must be one of: ${(p.allowedValues as unknown[]).join(', ')}`,
        `${at} 只能是以下之一：${(p.allowedValues as unknown[]).join('、')}`);
      return;
    case 'pattern':
      bag.error('bad-format', span, `${at} is not in the expected form (${describePattern(path)})`,
        `${at} 的格式不正确（${describePatternZh(path)}）`);
      return;
    case 'minItems':
    case 'minProperties':
    case 'minLength':
      bag.error('empty', span, `${at} must not be empty`, `${at} 不能为空`);
      return;
    case 'uniqueItems':
      bag.error('duplicate-item', span, `${at} lists the same value twice`, `${at} 中有重复的值`);
      return;
    case 'propertyNames': {
      const name = String(p.propertyName);
      bag.error('bad-name', keySpanAt(src, path, name), `'${name}' in ${at} is not a valid name`, `${at} 中的 '${name}' 不是合规的名称`,
        'names start with a letter, _ or a Chinese character, then letters, digits, _ or Chinese characters');
      return;
    }
    default:
      bag.error('schema', span, `${at}: ${e.message ?? 'invalid'}`, `${at}：格式不正确（${e.keyword}）`);
  }
}

function describeType(t: string): string {
  return t.split(',').map((x) => ({ integer: 'a whole number', number: 'a number', string: 'a text', boolean: 'true or false', object: 'a mapping (key: value)', array: 'a list' })[x] ?? x).join(' or ');
}

function describeTypeZh(t: string): string {
  return t.split(',').map((x) => ({ integer: '整数', number: '数字', string: '文字', boolean: 'true 或 false', object: '映射（键: 值）', array: '列表' })[x] ?? x).join('或');
}

function describePattern(path: readonly (string | number)[]): string {
  const last = path[path.length - 1];
  if (last === 'effective') return 'a date YYYY-MM-DD';
  if (last === 'policy') return 'lower-case letters, digits, ., _ and -';
  if (last === 'unit' || path.includes('columns')) return 'a unit: a declared unit name, a quotient such as a/b, or 1';
  return 'a name: letters, digits, _ or Chinese characters';
}

function describePatternZh(path: readonly (string | number)[]): string {
  const last = path[path.length - 1];
  if (last === 'effective') return '日期格式 YYYY-MM-DD';
  if (last === 'policy') return '小写字母、数字、.、_ 和 -';
  if (last === 'unit' || path.includes('columns')) return '单位：已声明的单位名、a/b 形式的商，或 1';
  return '名称：字母、数字、_ 或汉字';
}
