// The nesting scan that keeps deep YAML from the parser's recursion (dsl/yaml-depth.ts): where it
// refuses, and what it does not count (brackets in quotes, comments and block scalars).

import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../dsl/index.ts';
import { MAX_YAML_DEPTH, yamlTooDeepAt } from '../dsl/yaml-depth.ts';

describe('yamlTooDeepAt', () => {
  it('refuses flow nesting at the bracket that passes the limit', () => {
    // `a: ` is one level (the mapping); brackets 1–63 reach 64; the 64th bracket, at offset 3 + 63, is one too many.
    const text = `a: ${'['.repeat(100)}${']'.repeat(100)}\n`;
    expect(yamlTooDeepAt(text)).toBe(3 + MAX_YAML_DEPTH - 1);
    expect(yamlTooDeepAt(`a: ${'['.repeat(MAX_YAML_DEPTH - 1)}${']'.repeat(MAX_YAML_DEPTH - 1)}\n`)).toBeUndefined();
  });

  it('refuses block nesting by indentation, and by list entries on one line', () => {
    const lines = Array.from({ length: 70 }, (_, k) => `${' '.repeat(k)}k${k}:`).join('\n');
    // Line k (0-based) is at depth k + 1: line 64 is the 65th level, starting after 64 spaces.
    const line64 = lines.split('\n').slice(0, 64).join('\n').length + 1;
    expect(yamlTooDeepAt(lines)).toBe(line64 + 64);
    expect(yamlTooDeepAt(`x:\n${'- '.repeat(70)}1\n`)).toBe(3);
  });

  it('does not count brackets inside quotes, comments or block scalars', () => {
    const deep = '['.repeat(200);
    expect(yamlTooDeepAt(`a: "${deep}"\nb: '${deep}'' ok'\nc: 1 # ${deep}\nrules: |\n  let x = ${deep}\n    ${deep}\nd: it's ${deep}\n`)).toBeUndefined();
    // After the block scalar, counting resumes.
    expect(yamlTooDeepAt(`rules: >-\n  ${deep}\ne: ${deep}\n`)).toBeDefined();
  });
});

describe('a policy that nests too deeply', () => {
  it('is one located yaml-too-deep error, not the parser running out of stack', () => {
    const r = loadPolicy('deep.yaml', `policy: x\nversion: "1"\nnotes: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.span.start])).toEqual([['yaml-too-deep', 'policy: x\nversion: "1"\nnotes: '.length + MAX_YAML_DEPTH - 1]]);
    expect(r.diagnostics[0]!.message).toBe('the YAML nests more than 64 levels deep here');
  });
});
