// The registry of diagnostic codes (dsl/codes.ts) against the sources and the golden cases:
// (a) every code the sources of dsl/, engine/ and cli/ emit — read as text, every first argument
//     of a `.error(` / `.warning(` call and every `code: '…'` — is in the registry with the
//     severity it is emitted with, and every registry code is emitted somewhere (no stale entry);
// (b) every registry code has a golden case that expects exactly it: a `# expect:` line of a
//     case under test/cases/diagnostics/, test/cases/forks/, test/cases/mappings/ or test/cases/versions/ — or, for the
//     codes only a policy test file or the command line can raise (`from: 'cli'`), a named test
//     below, which must exist and name the code.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, type DiagnosticCode } from '../dsl/index.ts';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const isDir = (path: string) => statSync(new URL(path, root)).isDirectory();

/** The .ts files under a folder, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(new URL(dir, root)).flatMap((name) => {
    const path = `${dir}/${name}`;
    return isDir(path) ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The text of a call's first argument, from just after its `(`: up to the first top-level `,` or `)`. */
function firstArgument(text: string, from: number): string {
  let depth = 0;
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return text.slice(from, i);
      depth--;
    } else if (c === ',' && depth === 0) return text.slice(from, i);
  }
  return text.slice(from);
}

/**
 * Calls of `.error(`/`.warning(` whose first argument is not a code, each as `file: argument`:
 * the one method that forwards a code it is given (typed DiagnosticCode, so tsc checks its
 * callers), and the CSV, layout and diff error sinks, which take a line number, not a code.
 */
const NOT_CODES = new Set([
  'dsl/check-rules.ts: code',
  'engine/input/csv-scan.ts: rowLine',
  'engine/input/csv-scan.ts: line',
  'engine/input/mapping.ts: line',
  'engine/diff/record-diff.ts: line',
]);

interface Emitted {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly at: string;
}

/** Every code the sources emit, with the severity and the place. */
function emitted(): { codes: Emitted[]; unexplained: string[] } {
  const codes: Emitted[] = [];
  const unexplained: string[] = [];
  for (const file of ['dsl', 'engine', 'cli'].flatMap(sourceFiles)) {
    const text = read(file);
    const line = (i: number) => `${file}:${text.slice(0, i).split('\n').length}`;
    for (const m of text.matchAll(/([\w$)\]]*)\s*\.\s*(error|warning)\s*\(/g)) {
      if (m[1] === 'console') continue;
      const arg = firstArgument(text, m.index + m[0].length).trim();
      const literals = [...arg.matchAll(/'([^'\\]*)'|"([^"\\]*)"/g)].map((l) => l[1] ?? l[2]!);
      // A code is a literal, or a choice between literals (`same ? 'band-overlap' : 'band-order'`).
      if (literals.length > 0 && !arg.includes('`')) {
        for (const code of literals) codes.push({ code, severity: m[2] as 'error' | 'warning', at: line(m.index) });
      } else if (!NOT_CODES.has(`${file}: ${arg}`)) {
        unexplained.push(`${line(m.index)}: ${m[0]}${arg}`);
      }
    }
    // Diagnostics built as objects.
    for (const m of text.matchAll(/\bcode:\s*(?:'([^']*)'|"([^"]*)")([^}\n]*)/g)) {
      const severity = /severity:\s*'warning'/.test(m[3]!) ? 'warning' : /severity:\s*'error'/.test(m[3]!) ? 'error' : undefined;
      if (severity === undefined) unexplained.push(`${line(m.index)}: ${m[0]} (no severity beside the code)`);
      else codes.push({ code: (m[1] ?? m[2])!, severity, at: line(m.index) });
    }
  }
  return { codes, unexplained };
}

const registry = DIAGNOSTIC_CODES as Readonly<Record<string, (typeof DIAGNOSTIC_CODES)[DiagnosticCode]>>;
const registered = Object.keys(registry);

/** The codes a case file's `# expect:` line names. */
function expectLine(path: string): string[] {
  const m = /^# expect:(.*)$/m.exec(read(path));
  if (!m) throw new Error(`${path}: no '# expect:' line`);
  return m[1]!.split(',').map((c) => c.trim()).filter((c) => c !== '');
}

/** Every golden case, by file, with the codes it expects. */
function goldenCases(): Map<string, string[]> {
  const cases = new Map<string, string[]>();
  for (const dir of ['test/cases/diagnostics', 'test/cases/forks', 'test/cases/mappings']) {
    for (const name of readdirSync(new URL(dir, root)).filter((n) => n.endsWith('.yaml'))) cases.set(`${dir}/${name}`, expectLine(`${dir}/${name}`));
  }
  for (const name of readdirSync(new URL('test/cases/versions', root)).filter((n) => isDir(`test/cases/versions/${n}`))) {
    cases.set(`test/cases/versions/${name}/policy.yaml`, expectLine(`test/cases/versions/${name}/policy.yaml`));
  }
  return cases;
}

/**
 * The tests that assert the codes only a policy test file (`guize test`) or the command line can
 * raise: each code with the test file and the test's name. The test's body must name the code.
 */
const CLI_TESTS: Readonly<Record<string, readonly [file: string, test: string]>> = {
  'export-unsupported': ['test/jsonlogic-export.test.ts', 'an unsupported construct is a located export-unsupported error naming it (exit 2, nothing written)'],
  'data-file': ['test/policy-tests.test.ts', 'a case whose records file cannot be read is a data-file error at its records'],
  'line-too-long': ['test/policy-tests.test.ts', 'a test file with a line over 64 KiB is a line-too-long error at that line'],
  'no-version-in-force': ['test/versions.test.ts', 'a version cannot add fields; a version chosen that does not exist; no version in force'],
  'test-file': ['test/policy-tests.test.ts', 'a test file that is not UTF-8 is a test-file error naming the file'],
  'unknown-expectation': ['test/policy-tests.test.ts', 'says which name the report does not have, with a suggestion'],
  'unknown-parameter': ['test/policy-tests.test.ts', 'a case overriding a parameter the policy does not have is an unknown-parameter error, with a suggestion'],
  'unknown-setting': ['test/policy-tests.test.ts', 'checks the settings a case overrides'],
  'version-and-as-of': ['test/policy-tests.test.ts', 'a case with both version and as_of is a version-and-as-of error'],
};

/** The body of the test named `name` in `text`: from its name to the next test, describe or end. */
function testBody(text: string, name: string): string | undefined {
  const start = text.indexOf(`'${name}'`);
  if (start < 0) return undefined;
  const rest = text.slice(start + name.length + 2);
  const end = rest.search(/\n\s*(it|it\.each\(.*?\)|describe)\(/);
  return end < 0 ? rest : rest.slice(0, end);
}

describe('the registry of diagnostic codes (dsl/codes.ts)', () => {
  const { codes, unexplained } = emitted();

  it('finds the codes in the sources (the scan works: it sees codes of every layer, and every call is read)', () => {
    expect(unexplained).toEqual([]);
    // One known code from each way of emitting: a plain call, a call spread over lines, a choice, an object.
    const at = (code: string) => codes.filter((c) => c.code === code).map((c) => c.at.replace(/:\d+$/, ''));
    expect(at('unknown-name')).toContain('dsl/check-rules.ts');
    expect(at('band-overlap')).toContain('dsl/check-declarations.ts');
    expect(at('band-order')).toContain('dsl/check-declarations.ts');
    expect(at('version-and-as-of')).toEqual(['cli/policy-tests/run-cases.ts']);
    expect(at('test-file')).toEqual(['cli/policy-tests/run-policy.ts']);
    expect(new Set(codes.map((c) => c.code)).size).toBeGreaterThan(100);
  });

  it('lists every code the sources emit, with the severity they emit it with', () => {
    const missing = [...new Set(codes.filter((c) => !Object.hasOwn(registry, c.code)).map((c) => `${c.code} (${c.at})`))];
    expect(missing, 'codes emitted but not in dsl/codes.ts').toEqual([]);
    const wrong = codes.filter((c) => registry[c.code]!.severity !== c.severity).map((c) => `${c.code}: ${c.severity} at ${c.at}`);
    expect(wrong, 'severity differs from the registry').toEqual([]);
  });

  it('lists no code that nothing emits', () => {
    const used = new Set(codes.map((c) => c.code));
    expect(registered.filter((c) => !used.has(c))).toEqual([]);
  });

  it('is kebab-case, in alphabetical order, with an English and a Chinese line each', () => {
    expect(registered).toEqual([...registered].sort());
    for (const code of registered) {
      const info = registry[code]!;
      expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(info.en, code).toMatch(/^[a-z'(].*[^.]$/);
      expect(info.en).not.toMatch(/\n/);
      expect(info.zh, code).toMatch(/[\u4e00-\u9fff]/);
      expect(info.zh).not.toMatch(/\n/);
    }
  });
});

describe('every diagnostic code has a golden case', () => {
  const cases = goldenCases();
  const golden = new Set([...cases.values()].flat());

  it('every code a golden case expects is a registered code', () => {
    const unknown = [...cases].flatMap(([file, codes]) => codes.filter((c) => !Object.hasOwn(registry, c)).map((c) => `${file}: ${c}`));
    expect(unknown).toEqual([]);
  });

  it('each code a policy or a policy set can raise has a golden case that expects it', () => {
    const without = registered.filter((c) => registry[c]!.from !== 'cli' && !golden.has(c));
    expect(without).toEqual([]);
  });

  it('each code only a test file or the command line can raise has a named test that asserts it', () => {
    const cli = registered.filter((c) => registry[c]!.from === 'cli');
    expect(Object.keys(CLI_TESTS).sort()).toEqual(cli);
    for (const [code, [file, name]] of Object.entries(CLI_TESTS)) {
      const body = testBody(read(file), name);
      expect(body, `${file}: no test '${name}'`).toBeDefined();
      expect(body, `${file} '${name}' does not name ${code}`).toContain(code);
    }
  });
});
