// The rule language and policy files: text → AST → checked policy. Runs in Node and the browser.

import type { CheckedPolicy } from './checked.ts';
import type { StageResult } from './diagnostics.ts';
import { loadPolicySet, type PolicyFiles } from './policy-set.ts';

export * from './ast.ts';
export * from './checked.ts';
export * from './diagnostics.ts';
export { DIAGNOSTIC_CODES, type DiagnosticCode, type DiagnosticCodeInfo } from './codes.ts';
export * from './policy.ts';
export * from './periods.ts';
export * from './source.ts';
export * from './units.ts';
export { builtins, ambientNames, VERSION_NAME, type BuiltinDecl } from './builtins.ts';
export { parsePolicy } from './policy-file.ts';
export { checkPolicy } from './check.ts';
export { policySchema } from './policy-schema.ts';

/** Files held in memory, by path: a policy and its versions for the editor and the tests. */
export function memoryFiles(texts: Readonly<Record<string, string>>): PolicyFiles {
  return {
    read: (path) => (Object.hasOwn(texts, path) ? texts[path] : undefined),
    list: (dir) => Object.keys(texts).filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/')).map((p) => p.slice(dir.length + 1)),
  };
}

/**
 * Parses and checks one policy file (a whole policy, alone: no versions, no parent); the
 * diagnostics of every stage, a value only if all succeeded.
 */
export function loadPolicy(file: string, text: string): StageResult<CheckedPolicy> {
  const loaded = loadPolicySet(memoryFiles({ [file]: text }), file).result;
  return loaded.ok ? { ok: true, value: loaded.value.checked, diagnostics: loaded.diagnostics } : loaded;
}

export { loadPolicySet, normalizePath, type LoadedPolicySet, type PolicyFiles, type PolicySet, type ValueOverrides, type VersionChoice } from './policy-set.ts';
export { combineVersions, versionInfo } from './combine-versions.ts';
export { parseChangeFile, type ChangeFile } from './change-file.ts';
export { fillLabel, labelPlaceholders, type LabelPlaceholder } from './labels.ts';
export { provenanceOf, type FileOwner, type Origin, type PolicyOrigins, type ProvenanceEntry } from './provenance.ts';
export { displayWidth, padDisplay } from './text-width.ts';
export { printBare, printExpr, printStatement, printProgram, printString } from './print.ts';
export { formatRules, printExpression, printRules, FORMAT_WIDTH } from './format-rules.ts';
export { formatPolicyText } from './format-policy.ts';
export { children, forEachExpr, statementExprs } from './walk.ts';
export { keySpanAt, nodeAt, parseYaml, scalarSource, spanAt, yamlToData, type YamlSource } from './yaml-source.ts';
export { checkAgainst } from './schema-check.ts';
export { didYouMean, suggest } from './suggest.ts';
export { excerpt, nameList, MAX_QUOTED } from './excerpt.ts';
export { loadMappings, parseMappingFile, MAPPINGS_DIR, type LoadedMappings } from './mapping-file.ts';
export { dateForm, type FileLayout, type InputMapping } from './mapping-layout.ts';
export { mappingSchema } from './mapping-schema.ts';
