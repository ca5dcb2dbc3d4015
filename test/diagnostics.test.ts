// Golden diagnostics: each test/cases/diagnostics/<name>.yaml is a small complete policy file with
//   # note: <what it shows>
//   # expect: <code>[, <code>…]
// on its first lines. The test loads it, checks that the diagnostic codes are exactly the expected
// ones, and compares the rendered diagnostics with <name>.txt next to it (written by vitest on the
// first run; review a new one by eye: the caret must sit under exactly the offending text).

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnosticLocation, formatDiagnostic, loadPolicy, type Diagnostic, type SourceFile } from '../dsl/index.ts';

const casesDir = new URL('./cases/diagnostics/', import.meta.url);

interface Case {
  readonly name: string;
  /** The file name diagnostics carry, as a user would see it. */
  readonly file: string;
  readonly text: string;
  readonly note: string;
  readonly expect: readonly string[];
}

/** Reads one case file and its `# note:` and `# expect:` header lines. */
function loadCase(name: string): Case {
  const text = readFileSync(new URL(`${name}.yaml`, casesDir), 'utf8');
  const note = /^# note: (.+)$/m.exec(text)?.[1];
  const codes = /^# expect:(.*)$/m.exec(text)?.[1];
  if (note === undefined || codes === undefined) throw new Error(`${name}.yaml: needs '# note:' and '# expect:' lines`);
  const expected = codes.split(',').map((c) => c.trim()).filter((c) => c !== '');
  return { name, file: `test/cases/diagnostics/${name}.yaml`, text, note, expect: expected };
}

const caseNames = readdirSync(casesDir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length)).sort();

/** Loads a case's policy; returns its diagnostics and helpers to look at them. */
function run(c: Pick<Case, 'file' | 'text'>) {
  const result = loadPolicy(c.file, c.text);
  const files = new Map<string, SourceFile>([[c.file, { name: c.file, text: c.text }]]);
  return {
    result,
    diagnostics: result.diagnostics,
    codes: [...new Set(result.diagnostics.map((d) => d.code))].sort(),
    rendered: result.diagnostics.map((d) => formatDiagnostic(d, files)).join('\n\n'),
    /** The text a diagnostic's span covers. */
    underlined: (d: Diagnostic) => c.text.slice(d.span.start, d.span.end),
    location: (d: Diagnostic) => diagnosticLocation(d, files),
    only: (code: string): Diagnostic => {
      const found = result.diagnostics.filter((d) => d.code === code);
      expect(found, `exactly one ${code}`).toHaveLength(1);
      return found[0]!;
    },
  };
}

describe('golden diagnostics', () => {
  it('has the cases the language promises to explain', () => {
    for (const code of [
      'yaml-syntax', 'duplicate-key', 'unknown-key', 'missing-key', 'wrong-type', 'syntax-error', 'unexpected-character',
      'unknown-name', 'unknown-enum-value', 'unit-mismatch', 'type-mismatch', 'unknown-unit', 'record-value-outside-sum',
      'aggregate-per-record', 'cyclic-definition', 'duplicate-id', 'band-order', 'band-overlap', 'unknown-table-key',
      'table-cell-missing', 'setting-not-a-choice', 'requirement-not-comparison', 'unknown-column', 'unknown-function',
      'period-outside-period-scope', 'rules-not-literal', 'missing-cite', 'unused',
    ]) {
      expect(caseNames.some((n) => loadCase(n).expect.includes(code)), code).toBe(true);
    }
  });

  describe.each(caseNames)('%s', (name) => {
    const c = loadCase(name);

    it(`reports exactly: ${c.expect.join(', ') || 'nothing'}`, async () => {
      const r = run(c);
      expect(r.codes).toEqual([...new Set(c.expect)].sort());
      for (const d of r.diagnostics) {
        expect(d.span.file).toBe(c.file);
        expect(d.span.start).toBeGreaterThanOrEqual(0);
        expect(d.span.end).toBeGreaterThan(d.span.start);
        expect(d.span.end).toBeLessThanOrEqual(c.text.length);
      }
      // Errors stop the policy; warnings alone do not.
      expect(r.result.ok).toBe(!r.diagnostics.some((d) => d.severity === 'error'));
      await expect(r.rendered).toMatchFileSnapshot(`./cases/diagnostics/${name}.txt`);
    });
  });
});

describe('diagnostics point at exactly the offending text', () => {
  it('unknown-name: the misspelt name, with a did-you-mean help', () => {
    const r = run(loadCase('unknown-name'));
    const d = r.only('unknown-name');
    expect(d.severity).toBe('error');
    expect(d.message).toBe("unknown name 'knd'");
    expect(d.zh).toBe("未知的名称 'knd'");
    expect(d.help).toBe("did you mean 'kind'?");
    expect(r.underlined(d)).toBe('knd');
    expect(r.location(d)).toBe('test/cases/diagnostics/unknown-name.yaml:44:24');
  });

  it('syntax-error: the token where the rules went wrong, at its line and column in the YAML file', () => {
    const c = loadCase('syntax-error');
    const r = run(c);
    const d = r.only('syntax-error');
    expect(d.message).toBe("expected ':' before the comparison (after 'per period|cycle', an optional 'for … in …' and an optional 'when …'), found 'total_hours'");
    expect(r.underlined(d)).toBe('total_hours');
    // Line 52 of the file is the line of the rules block that holds the mistake.
    expect(c.text.split('\n')[51]).toBe('    per period total_hours >= min_hours');
    expect(r.location(d)).toBe('test/cases/diagnostics/syntax-error.yaml:52:16');
  });

  it('unit-mismatch: the whole sum that mixes hours and credits', () => {
    const r = run(loadCase('unit-mismatch'));
    const d = r.only('unit-mismatch');
    expect(d.message).toBe('cannot combine hour with credit');
    expect(r.underlined(d)).toBe('hours + credits');
  });

  it('unknown-key: the misspelt key, not its value', () => {
    const r = run(loadCase('unknown-key'));
    const d = r.only('unknown-key');
    expect(d.message).toBe("unknown key 'requried' in record.fields.date");
    expect(r.underlined(d)).toBe('requried');
  });

  it('unexpected-character: the curly quote, with help to use straight quotes', () => {
    const r = run(loadCase('unexpected-character'));
    const curly = r.diagnostics.filter((d) => d.code === 'unexpected-character');
    expect(curly.map((d) => r.underlined(d))).toEqual(['“', '”']);
    expect(curly[0]!.help).toBe('use straight double quotes (") around texts');
  });

  it('unknown-enum-value and unknown-table-key: the misspelt value, with the right spelling as help', () => {
    const v = run(loadCase('unknown-enum-value'));
    expect(v.underlined(v.only('unknown-enum-value'))).toBe('trainig');
    expect(v.only('unknown-enum-value').help).toBe("did you mean 'training'?");
    const k = run(loadCase('unknown-table-key'));
    expect(k.underlined(k.only('unknown-table-key'))).toBe('teachng');
    expect(k.only('unknown-table-key').help).toBe("did you mean 'teaching'?");
  });

  it('messages are plain words in both languages: no parser jargon, no encoded JSON', () => {
    for (const name of caseNames) {
      for (const d of run(loadCase(name)).diagnostics) {
        for (const m of [d.message, d.zh]) expect(m, `${name}: ${m}`).not.toMatch(/Expecting|token of type|-->|<--|\{"en"/);
      }
    }
  });
});

describe('the Lincang policy', () => {
  it('loads with no errors and no warnings', () => {
    const file = 'policies/lincang/policy.yaml';
    const text = readFileSync(new URL('../policies/lincang/policy.yaml', import.meta.url), 'utf8');
    const r = run({ file, text });
    expect(r.rendered).toBe('');
    expect(r.result.ok).toBe(true);
  });
});

// Known product bugs, found while writing the cases above. Each test states the behaviour that
// is wanted and is marked `.fails` while the product does otherwise: when one starts to fail,
// the bug is fixed, so drop the `.fails`.
describe('known diagnostic bugs', () => {
  const valid = loadCase('valid');
  /** The valid case with one edit (which must apply exactly once). */
  const edited = (from: string, to: string) => {
    expect(valid.text.split(from)).toHaveLength(2);
    return run({ file: valid.file, text: valid.text.replace(from, to) });
  };
  const reject = '  reject no_hours when kind == training and hours is missing';

  it('an unknown name under `is missing` is reported (today it passes the checks and compilePolicy throws)', () => {
    const r = edited(reject, '  reject no_hours when kind == training and hour is missing');
    expect(r.codes).toEqual(['unknown-name']);
  });

  it('an unknown name in an unused let is reported (today it passes the checks)', () => {
    const r = edited('rules: |\n', 'rules: |\n  @cite("办法 第九条")\n  let spare = hourz\n');
    expect(r.codes).toEqual(['unknown-name']);
  });

  it('an unknown name in < <= > >= underlines the name, not the whole comparison', () => {
    const r = edited('per period: total_hours >= min_hours', 'per period: total_hours >= min_hour');
    expect(r.underlined(r.only('unknown-name'))).toBe('min_hour');
  });

  it('an unknown name before `between` is reported once, at the name (today: twice, at the bounds)', () => {
    const r = edited(reject, '  reject no_hours when kind == training and hourz between 1 and 2');
    expect(r.underlined(r.only('unknown-name'))).toBe('hourz');
  });

  it('an unknown name tested as a condition is an unknown-name with help (today: type-mismatch "the bare name")', () => {
    const r = edited(reject, '  reject no_hours when not in_sytem');
    expect(r.codes).toEqual(['unknown-name']);
  });

  it('an error inside sum(…) does not cascade into a unit-mismatch on the requirement', () => {
    const r = edited('sum(hours)', 'sum(hourz)');
    expect(r.codes).toEqual(['unknown-name']);
  });
});

describe('messages quote values as excerpts', () => {
  it('a parameter of 100,002 digits is named by an excerpt and its length, not copied whole', () => {
    const text = readFileSync(new URL('../policies/lincang/policy.yaml', import.meta.url), 'utf8')
      .replace('min_hours_yearly: { value: 72,', `min_hours_yearly: { value: 7${'2'.repeat(100_000)}.5,`);
    const d = loadPolicy('big.yaml', text).diagnostics.find((x) => x.code === 'not-a-number')!;
    expect(d.message).toBe(`parameter 'min_hours_yearly' is not a plain decimal number ('7${'2'.repeat(47)}…${'2'.repeat(14)}.5 (100003 chars)')`);
    expect(d.zh.length).toBeLessThan(200);
  });
});
