// The editor's language features as plain functions (editor/src/language/), in Node, on the
// Lincang policy as the editor bundles it: completion, hover, go to definition, format document,
// and the rule language's Monarch tokenizer. Expected items are written out by hand from
// policies/lincang/policy.yaml and versions/2019.1.yaml; the articles' text is cut from the seed
// document by string search here (not by editor/src/articles.ts's line scan).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { articleText } from '../editor/src/articles.ts';
import { completions } from '../editor/src/language/completion.ts';
import { definitionsAt } from '../editor/src/language/definition.ts';
import { formatEdits, type TextEdit } from '../editor/src/language/format.ts';
import { hoverAt } from '../editor/src/language/hover.ts';
import { inRules, linesOf, wordAt, wordUntil } from '../editor/src/language/text.ts';
import { rulesLanguage } from '../editor/src/languages.ts';
import { policyIndex } from '../editor/src/policy-index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const MAIN = 'policies/lincang/policy.yaml';
const VERSION = 'policies/lincang/versions/2019.1.yaml';
const files: Record<string, string> = { [MAIN]: read(MAIN), [VERSION]: read(VERSION), 'policies/lincang-county/policy.yaml': read('policies/lincang-county/policy.yaml') };
const seed = read('policies/lincang/source/lincang-2017-105.txt');
const lookup = (cite: string) => articleText(seed, cite);

function index(texts = files) {
  const ix = policyIndex(texts, 'policies/lincang');
  if (!ix?.fresh) throw new Error('the Lincang policy did not load');
  return ix.index;
}

const lines = linesOf(files[MAIN]!);
/** The 1-based line of the first line of policy.yaml that contains `needle`, and the column just after it (or at its start). */
function at(needle: string, after = true): { line: number; column: number } {
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`no line with ${needle}`);
  return { line: i + 1, column: lines[i]!.indexOf(needle) + 1 + (after ? needle.length : 0) };
}

/** An article's text from the seed: from its last heading at a line start to the next 第…条 heading, blank lines and line breaks dropped. */
function seedArticle(heading: string, next: string): string {
  const start = seed.lastIndexOf(`\n${heading}`) + 1;
  const end = seed.indexOf(`\n${next}`, start);
  return seed.slice(start, end).split('\n').map((l) => l.trim()).join('');
}

describe('words and the rules block', () => {
  it('finds the word at and before a column, Chinese names too', () => {
    expect(wordAt('  a >= min_credits_yearly', 10)).toEqual({ word: 'min_credits_yearly', startColumn: 8, endColumn: 26 });
    expect(wordAt('  a >= min_credits_yearly', 26)).toEqual({ word: 'min_credits_yearly', startColumn: 8, endColumn: 26 });
    expect(wordAt('  a >= b', 5)).toBeUndefined();
    expect(wordAt('x = 学分 + 1', 6)).toEqual({ word: '学分', startColumn: 5, endColumn: 7 });
    expect(wordUntil('  a >= min_cr', 14)).toEqual({ word: 'min_cr', startColumn: 8, endColumn: 14 });
    expect(wordUntil('  a >= ', 8)).toEqual({ word: '', startColumn: 8, endColumn: 8 });
  });

  it('knows which lines are rules: under `rules: |`, up to the next top-level key', () => {
    const text = ['policy: x', 'rules: |', '  let a = 1', '', '  let b = 2', 'after: 1', 'add:', '  rules: |', '    let c = 3'];
    expect(text.map((_, i) => inRules(text, i + 1))).toEqual([false, false, true, true, true, false, false, false, true]);
  });
});

describe('completion', () => {
  it('after `min_cr` in a rule lists the keywords and every name, the text from `m` to the cursor replaced; the parameters are Lincang\'s, by id', () => {
    const { line, column } = at('credits >= min_cr');
    const c = completions(index(), lines, line, column, lookup);
    expect([c.startColumn, c.endColumn]).toEqual([column - 'min_cr'.length, column]);
    // What Monaco shows after `min_cr` (it filters by the typed prefix).
    expect(c.items.filter((i) => i.label.startsWith('min_cr')).map((i) => i.label)).toEqual(['min_credits_cycle', 'min_credits_yearly']);
    // Every parameter of policy.yaml in its order, then the one 2019.1 adds; the value and unit in force last (2019.1: 80).
    expect(c.items.filter((i) => i.kind === 'parameter').map((i) => `${i.label}: ${i.detail}`)).toEqual([
      'hours_per_day: 参数 parameter = 6 hour/day',
      'online_rate_min: 参数 parameter = 0.5 credit/hour',
      'online_rate_max: 参数 parameter = 1 credit/hour',
      'min_hours_cycle: 参数 parameter = 360 hour',
      'min_hours_yearly: 参数 parameter = 72 hour',
      'min_county_hours_cycle: 参数 parameter = 240 hour',
      'min_county_hours_yearly: 参数 parameter = 48 hour',
      'min_school_hours_cycle: 参数 parameter = 120 hour',
      'min_school_hours_yearly: 参数 parameter = 24 hour',
      'min_credits_cycle: 参数 parameter = 360 credit',
      'min_credits_yearly: 参数 parameter = 80 credit',
      'min_elective_share: 参数 parameter = 0.6',
      'min_induction_hours: 参数 parameter = 120 hour',
      'min_induction_practical_hours: 参数 parameter = 60 hour',
      'min_high_level_credits_cycle: 参数 parameter = 30 credit',
    ]);
    expect(c.items.filter((i) => i.kind === 'keyword').map((i) => i.label)).toEqual(expect.arrayContaining(['require', 'measure', 'let', 'per', 'when', 'because']));
    expect(c.items.filter((i) => i.kind === 'table').map((i) => i.label)).toEqual(['rate_range', 'grade', 'teaching_rate', 'module_floor']);
    expect(c.items.filter((i) => i.kind === 'measure').map((i) => i.label)).toContain('high_level_credits');
    expect(c.items.filter((i) => i.kind === 'requirement').map((i) => i.label)).toContain('yearly_credits');
  });

  it("after `rate_range[` the table's keys, after `grade(score).` its columns", () => {
    const ix = index();
    const probe = ['rules: |', '  let x = rate_range[', '  let y = grade(score).', '  let z = module_floor[ethics].'];
    expect(completions(ix, probe, 2, 22, lookup).items.map((i) => `${i.kind} ${i.label}`)).toEqual(['table key school', 'table key county', 'table key city', 'table key province', 'table key national']);
    expect(completions(ix, probe, 3, 24, lookup).items.map((i) => `${i.kind} ${i.label}`)).toEqual(['table column coefficient', 'table column passed']);
    expect(completions(ix, probe, 4, 32, lookup).items.map((i) => i.label)).toEqual(['cycle', 'yearly']);
  });

  it('outside the rules block lists nothing', () => {
    expect(completions(index(), lines, at('policy: lincang').line, 5, lookup).items).toEqual([]);
  });
});

describe('hover', () => {
  it("on a parameter: its value and unit, and its article with the article's text from the seed", () => {
    const { line, column } = at('min_hours_yearly', false);
    const hover = hoverAt(index(), lines[line - 1]!, column + 3, lookup)!;
    expect([hover.startColumn, hover.endColumn]).toEqual([column, column + 'min_hours_yearly'.length]);
    const ninth = seedArticle('第九条', '第十条');
    expect(ninth.startsWith('第九条 教师应按国家规定参加 5年一周期不少于 360学时')).toBe(true);
    expect(hover.markdown).toBe(`**min_hours_yearly** — 参数 parameter\n\n值 value **72** hour\n\n条款 article: **管理办法 第九条**\n\n> ${ninth}`);
  });

  it('on a parameter a version changes: each version\'s value, the note, both citations (the hypothetical one has no text)', () => {
    const { line, column } = at('credits >= min_credits_yearly');
    const hover = hoverAt(index(), lines[line - 1]!, column - 2, lookup)!;
    expect(hover.markdown).toBe([
      '**min_credits_yearly** — 参数 parameter',
      '值 value **72** credit (2017.1)',
      '值 value **80** credit (2019.1)',
      '每年学分不少于 80（原为 72）',
      `条款 article: **管理办法 第十一条**\n\n> ${seedArticle('第十一条', '第十二条')}`,
      '条款 article: **假设修订 第一条**',
    ].join('\n\n'));
  });

  it('on something that is not a name of the policy: nothing', () => {
    expect(hoverAt(index(), '  a >= 12', 9, lookup)).toBeUndefined();
    expect(hoverAt(index(), '  no_such_name', 5, lookup)).toBeUndefined();
  });
});

describe('go to definition', () => {
  it("of a parameter: its line in policy.yaml and the line of the version file that changes it", () => {
    const { line, column } = at('credits >= min_credits_yearly');
    // policy.yaml line 126 `  min_credits_yearly: { value: 72, …`; 2019.1.yaml line 21 `  min_credits_yearly: { value: 80, …`: the key, columns 3–21.
    expect(lines[125]!.startsWith('  min_credits_yearly: { value: 72')).toBe(true);
    expect(linesOf(files[VERSION]!)[20]!.startsWith('  min_credits_yearly: { value: 80')).toBe(true);
    expect(definitionsAt(index(), files, lines[line - 1]!, column - 1)).toEqual([
      { file: MAIN, startLine: 126, startColumn: 3, endLine: 126, endColumn: 21 },
      { file: VERSION, startLine: 21, startColumn: 3, endLine: 21, endColumn: 21 },
    ]);
  });

  it('of a name not declared: none', () => {
    expect(definitionsAt(index(), files, '  a >= 12', 4)).toEqual([]);
  });
});

/** Applies non-overlapping edits to a text (end first, so the earlier places stay put). */
function apply(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (l: number, c: number) => starts[l - 1]! + c - 1;
  let out = text;
  for (const e of [...edits].sort((a, b) => offset(b.startLine, b.startColumn) - offset(a.startLine, a.startColumn))) {
    out = out.slice(0, offset(e.startLine, e.startColumn)) + e.text + out.slice(offset(e.endLine, e.endColumn));
  }
  return out;
}

describe('format document', () => {
  it('the shipped policy is formatted already: no edit', () => {
    expect(formatEdits(MAIN, files[MAIN]!)).toEqual([]);
    expect(formatEdits(VERSION, files[VERSION]!)).toEqual([]);
  });

  it('one edit over the lines that change, the comment kept beside its token, and the result formats to itself', () => {
    const good = '  let passed = grade(score).passed\n';
    const bad = '  let   passed =(grade(score).passed)   # pass or fail\n';
    const text = files[MAIN]!.replace(good, bad);
    const line = linesOf(text).indexOf(bad.slice(0, -1)) + 1;
    const edits = formatEdits(MAIN, text);
    // Spacing made canonical, the needless parentheses dropped, the comment after the last token.
    expect(edits).toEqual([{ startLine: line, startColumn: 1, endLine: line + 1, endColumn: 1, text: '  let passed = grade(score).passed # pass or fail\n' }]);
    const formatted = apply(text, edits);
    expect(formatted).toBe(files[MAIN]!.replace(good, '  let passed = grade(score).passed # pass or fail\n'));
    expect(formatEdits(MAIN, formatted)).toEqual([]);
  });

  it('a file whose rules do not parse is not formatted', () => {
    const text = files[MAIN]!.replace('  let passed = grade(score).passed\n', '  let passed = (grade(score).passed\n  let  x = 1\n');
    expect(formatEdits(MAIN, text)).toEqual([]);
  });
});

/** A one-state Monarch tokenizer, as Monaco runs one: at each place the first rule that matches there; `@keywords` cases by the keyword list. */
function tokenize(line: string): string[] {
  const lang = rulesLanguage() as unknown as { keywords: string[]; tokenizer: { root: [RegExp, string | { cases: Record<string, string> }][] } };
  const out: string[] = [];
  let at = 0;
  while (at < line.length) {
    const hit = lang.tokenizer.root.map(([re, action]) => ({ m: new RegExp(re.source, 'y'), action })).find((r) => {
      r.m.lastIndex = at;
      return r.m.test(line) && r.m.lastIndex > at;
    });
    if (!hit) throw new Error(`no rule at ${at}: ${line.slice(at)}`);
    const text = line.slice(at, hit.m.lastIndex);
    const kind = typeof hit.action === 'string' ? hit.action : lang.keywords.includes(text) ? hit.action.cases['@keywords']! : hit.action.cases['@default']!;
    if (kind !== 'white') out.push(`${kind} ${text}`);
    at = hit.m.lastIndex;
  }
  return out;
}

describe('the token provider', () => {
  it('tokenizes a rule as the lexer does: keywords, names, strings, numbers, operators, annotations, comments', () => {
    expect(tokenize('@cite("第九条") require x "l" per cycle: letter >= 12% # why')).toEqual([
      'annotation @cite', '@brackets (', 'string "第九条"', '@brackets )',
      'keyword require', 'identifier x', 'string "l"', 'keyword per', 'identifier cycle', 'delimiter :',
      // `cycle` is no reserved word (a name the rules give meaning to); `letter` starts with `let`: a name, as the lexer's longer_alt makes it.
      'identifier letter', 'operator >=', 'number 12%', 'comment # why',
    ]);
    expect(tokenize('let d = 2019-01-01')).toEqual(['keyword let', 'identifier d', 'operator =', 'number.date 2019-01-01']);
  });
});
