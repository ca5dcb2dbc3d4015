// The rule language and policy files: text → AST → checked policy. Runs in Node and the browser.

import type { CheckedPolicy } from './checked.ts';
import { checkPolicy } from './check.ts';
import type { StageResult } from './diagnostics.ts';
import { parsePolicy } from './policy-file.ts';

export * from './ast.ts';
export * from './checked.ts';
export * from './diagnostics.ts';
export * from './policy.ts';
export * from './source.ts';
export * from './units.ts';
export { builtins, ambientNames, VERSION_NAME, type BuiltinDecl } from './builtins.ts';
export { parsePolicy } from './policy-file.ts';
export { checkPolicy } from './check.ts';
export { policySchema } from './policy-schema.ts';

/** Parses and checks a policy file; diagnostics of both stages, value only if both succeeded. */
export function loadPolicy(file: string, text: string): StageResult<CheckedPolicy> {
  const parsed = parsePolicy(file, text);
  if (!parsed.ok) return parsed;
  const checked = checkPolicy(parsed.value);
  return { ...checked, diagnostics: [...parsed.diagnostics, ...checked.diagnostics] };
}
export { displayWidth, padDisplay } from './text-width.ts';
export { printExpr, printStatement, printProgram, printString } from './print.ts';
