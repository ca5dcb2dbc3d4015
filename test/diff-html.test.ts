// diffHtml without a browser: escaping (hostile ids, messages, group and measure names), the
// Content-Security-Policy's hashes (against node:crypto), the cap on listed subjects and table
// rows (and a 100k-subject document), the bilingual labels, the transition flows, explanations,
// and where the CLI finds the chart library. The page in a real browser: diff-html.browser.test.ts.

import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { chartLibraryPath, renderDiffReport } from '../cli/diff-html-file.ts';
import type { ChangedSubject, DiffJson, Transition } from '../engine/diff/diff-json.ts';
import { transitionFlows } from '../engine/diff/html/charts.ts';
import { diffHtml } from '../engine/diff/html/diff-html.ts';
import { escapeHtml, jsonForScript, scriptText } from '../engine/diff/html/escape.ts';
import { deltaText } from '../engine/diff/html/format.ts';
import { base64, cspHash, sha256 } from '../engine/diff/html/sha256.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = JSON.parse(readFileSync(join(root, 'test/fixtures/diff-lincang.json'), 'utf8')) as DiffJson;
const HOSTILE_ID = "<script>window.__pwned = 'id'</script>T9\"9'&amp;";
/** A stand-in for the chart library: the unit tests look at the page, not at the charts. */
const LIBRARY = 'window.echarts = { init: function () {} };';

/** The text a reader sees: tags as spaces, entities decoded, white space collapsed. */
function visibleText(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<style[\s\S]*?<\/style>/g, ' ').replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/**
 * The bodies of the page's <script> elements: each starts a line and ends one, as diffHtml
 * writes them (the library's own text may hold "<script>" in a string).
 */
function scripts(html: string): { type: string | null; body: string }[] {
  return [...html.matchAll(/^<script( type="([^"]*)")?(?: id="[^"]*")?>([\s\S]*?)<\/script>$/gm)].map((m) => ({ type: m[2] ?? null, body: m[3]! }));
}

function subject(id: string, transition: Transition, extra: Partial<ChangedSubject> = {}): ChangedSubject {
  const compliantBase = transition === 'became_non_compliant' || transition === 'stayed_compliant';
  const compliantHead = transition === 'became_compliant' || transition === 'stayed_compliant';
  return {
    teacher_id: id, transition,
    base: { present: transition !== 'only_head', compliant: transition === 'only_head' ? null : compliantBase, violations: [] },
    head: { present: transition !== 'only_base', compliant: transition === 'only_base' ? null : compliantHead, violations: [] },
    measures: { credits: { base: 10, head: 12, delta: 2 } },
    ...extra,
  };
}

/** A document with `n` subjects that became non-compliant, and nothing else of note. */
function manyChanged(n: number): DiffJson {
  const changed = Array.from({ length: n }, (_, i) => subject(`T${String(i).padStart(6, '0')}`, 'became_non_compliant', {
    groups: { school_id: `S${i % 50}` },
    head: { present: true, compliant: false, violations: [{ rule: 'floor', key: null, article: null, year: 2019, actual: 1, required: 2, message: 'below the floor' }] },
  }));
  return {
    ...fixture, changed,
    summary: { ...fixture.summary, subjects: n, unchanged: 0, became_compliant: 0, became_non_compliant: n, changed_measures: 0, base_compliant: n, head_compliant: 0 },
  };
}

describe('escaping', () => {
  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('writes JSON for a script block with no < left, reading back the same value', () => {
    const value = { m: '</script><!-- \u2028 x' };
    const text = jsonForScript(value);
    expect(text).toBe('{"m":"\\u003c/script>\\u003c!-- \\u2028 x"}');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('writes script text with </script and <!-- backslashed, meaning the same', () => {
    const source = `var a = "</script>", b = '<!--', c = /<\\/SCRIPT/;`;
    const escaped = scriptText(source);
    expect(escaped).toBe(`var a = "<\\/script>", b = '<\\!--', c = /<\\/SCRIPT/;`);
    // eslint-disable-next-line no-new-func
    expect(new Function(`${escaped} return [a, b, c.source];`)()).toEqual(['</script>', '<!--', '<\\/SCRIPT']);
  });

  it('shows the hostile teacher as text: no markup of its own reaches the page', () => {
    const html = diffHtml(fixture, { chartLibrary: LIBRARY });
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror="');
    expect(html).toContain('&lt;script&gt;window.__pwned = &#39;id&#39;&lt;/script&gt;T9&quot;9&#39;&amp;amp;');
    expect(visibleText(html)).toContain(HOSTILE_ID);
    expect(visibleText(html)).toContain("</script><script>window.__pwned = 'message'</script><img src=x onerror=\"window.__pwned = 'img'\"><!--");
    // Three scripts, exactly: the chart data (JSON, not run), the library, the page's own.
    expect(scripts(html).map((s) => s.type)).toEqual(['application/json', null, null]);
  });

  it('escapes hostile group names, measure ids, rule names and sources everywhere, charts included', () => {
    const evil = '<b onmouseover="x()">"</b>';
    const doc: DiffJson = {
      ...fixture,
      base: { ...fixture.base, source: evil },
      by_group: { [evil]: [{ group: evil, subjects: 1, base_compliant: 1, head_compliant: 0, became_compliant: 0, became_non_compliant: 1 }] },
      measures: [{ ...fixture.measures[0]!, measure: `</script>${evil}` }],
      by_rule: [{ ...fixture.by_rule[0]!, rule: `</script>${evil}` }],
      changed: [subject('T1', 'became_non_compliant', { groups: { [evil]: evil }, measures: { [evil]: { base: 1, head: 0, delta: -1 } } })],
    };
    const html = diffHtml(doc, { chartLibrary: LIBRARY });
    expect(html).not.toContain('<b ');
    expect(html.split('</script>').length - 1).toBe(3);
    const charts = JSON.parse(scripts(html)[0]!.body) as { option: unknown }[];
    expect(JSON.stringify(charts)).toContain(JSON.stringify(`</script>${evil} (管理办法 第十一条)`));
  });
});

describe('the Content-Security-Policy', () => {
  it('computes SHA-256 as node:crypto does, at every padding edge', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 255);
      expect(base64(sha256(bytes)), String(n)).toBe(createHash('sha256').update(bytes).digest('base64'));
    }
    // FIPS 180-2's example: SHA-256("abc") = ba7816bf…15ad.
    expect(Buffer.from(sha256(new TextEncoder().encode('abc'))).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(cspHash('规则')).toBe(`'sha256-${createHash('sha256').update('规则', 'utf8').digest('base64')}'`);
  });

  it('forbids every load and allows exactly the two inline scripts, by their hashes', () => {
    const library = 'window.echarts = { s: "</script>" };';
    const html = diffHtml(fixture, { chartLibrary: library });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1]!.replace(/&#39;/g, "'");
    const [, libraryScript, pageScript] = scripts(html);
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
    expect(csp).toBe(`default-src 'none'; script-src ${hash(libraryScript!.body)} ${hash(pageScript!.body)}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`);
    // The library is inlined as given, but for the backslash that keeps its string from ending the element.
    expect(libraryScript!.body).toBe('window.echarts = { s: "<\\/script>" };');
    // Nothing anywhere refers to the network.
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<[a-z][^>]*\ssrc=/i); // no element loads anything (the hostile message has "src=" as text)
  });
});

describe('the cap on listed subjects', () => {
  it('lists 2,000 of 2,500 changed subjects, each with its details, and says 500 more are in the JSON', () => {
    const html = diffHtml(manyChanged(2500), { chartLibrary: LIBRARY });
    const table = /<table id="changed-table"[\s\S]*?<\/table>/.exec(html)![0];
    expect(table.match(/<tr data-transition=/g)?.length).toBe(2000);
    expect(html.match(/<details class="subject"/g)?.length).toBe(2000);
    expect(html).toContain('id="subject-2000"');
    expect(html).not.toContain('id="subject-2001"');
    expect(html).toContain('T001999');
    expect(html).not.toContain('T002000');
    const text = visibleText(html);
    expect(text).toContain('仅列出前 2000 个对象，另有 500 个未列出；JSON 文件（guize diff --format json）中有全部内容。');
    expect(text).toContain('Only the first 2000 subjects are listed; 500 more are not. The JSON document (guize diff --format json) has them all.');
    // The headline still counts them all.
    expect(text).toContain('有变化的对象 / changed subjects (2500)');
  });

  it('takes another cap, and writes no note when everything fits', () => {
    const doc = manyChanged(30);
    expect(diffHtml(doc, { chartLibrary: LIBRARY, maxSubjects: 10 }).match(/<details class="subject"/g)?.length).toBe(10);
    expect(diffHtml(doc, { chartLibrary: LIBRARY })).not.toContain('class="note warn"');
  });

  it('caps the other tables too: groups beyond maxTableRows are left to the JSON', () => {
    const groups = Array.from({ length: 12 }, (_, i) => ({ group: `S${i}`, subjects: 1, base_compliant: 1, head_compliant: 1, became_compliant: 0, became_non_compliant: 0 }));
    const html = diffHtml({ ...fixture, by_group: { school_id: groups } }, { chartLibrary: LIBRARY, maxTableRows: 5 });
    const table = /<table id="group-table-0"[\s\S]*?<\/table>/.exec(html)![0];
    expect(table.match(/<tr>/g)?.length).toBe(1 + 5); // the header row and five
    expect(visibleText(html)).toContain('Only the first 5 rows are shown; 7 more are not. The JSON document has them all.');
  });

  it('keeps a 100,000-subject diff to a page of a few megabytes, written in well under a few seconds', () => {
    const doc = manyChanged(100_000);
    const started = performance.now();
    const html = diffHtml(doc, { chartLibrary: LIBRARY });
    const elapsed = performance.now() - started;
    expect(html.match(/<details class="subject"/g)?.length).toBe(2000);
    expect(html.length).toBeLessThan(4_000_000);
    expect(elapsed).toBeLessThan(5000);
    expect(visibleText(html)).toContain('另有 98000 个未列出');
  });
});

describe('labels, content and explanations', () => {
  const html = diffHtml(fixture, { chartLibrary: LIBRARY });
  const text = visibleText(html);

  it('labels everything in Chinese and English', () => {
    for (const label of ['规则差异报告 / guize diff report', '变为不合格 / became non-compliant', '变为合格 / became compliant',
      '仍不合格 / stayed non-compliant', '总览 / headline', '状态变化 / transitions', '按规则统计的不达标 / failures by rule',
      '数值变化分布（对比 − 基准） / measure deltas (head − base)', '记录结果变化 / record outcome changes', '分组统计 / by group',
      '有变化的对象 / changed subjects', '合格（基准 → 对比） / compliant (base → head)', '仅在基准中 / only in base',
      '新增不达标 / newly failing', '计入但数值变化 / counted, values changed', '点击表头排序 / click a column header to sort']) {
      expect(text, label).toContain(label);
    }
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="zh-CN">/);
    expect(html).toContain('<span lang="zh-CN">变为不合格</span> / <span lang="en">became non-compliant</span>');
  });

  it('shows the headline counts of the fixture', () => {
    const cards = /<div class="cards" id="headline-counts">([\s\S]*?)\n<\/div>/.exec(html)![1]!;
    expect(visibleText(cards).trim()).toBe('40 对象数 / subjects 20 → 17 合格（基准 → 对比） / compliant (base → head) 1 变为合格 / became compliant '
      + '4 变为不合格 / became non-compliant 1 状态不变、数值或违规有变 / same status, measures or violations changed '
      + '34 无变化 / unchanged 0 仅在基准中 / only in base 0 仅在对比中 / only in head');
  });

  it('lists a subject without an explanation by its statuses, violations on each side and measure deltas', () => {
    const details = /<details class="subject" id="subject-5">[\s\S]*?<\/details>/.exec(html)![0];
    const t = visibleText(details);
    expect(t).toContain('T00031 — 仍不合格 / stayed non-compliant');
    expect(t).toContain('基准 / base : 不合格 / non-compliant');
    expect(t).toContain('对比 / head : 不合格 / non-compliant');
    // The class_management violation is on both sides; yearly_credits 2019 only on head: tagged new.
    expect(t).toContain('新增 / new yearly_credits (管理办法 第十一条) · 2019 (实际 / actual 77.4, 要求 / required 80)');
    expect(t).not.toContain('已消除');
    expect(t).toContain('credits 371.2 372.3 +1.1');
    expect(details).not.toContain('class="explanation"');
  });

  it('puts each explanation in its subject\'s details, where the list links', () => {
    const withExplanations = diffHtml(fixture, { chartLibrary: LIBRARY, explanations: new Map([['T00023', '<p class="x">ethics 5.90 → 6.49</p>']]) });
    expect(withExplanations).toContain('<a href="#subject-4">T00023</a>');
    const details = /<details class="subject" id="subject-4">[\s\S]*?<\/details>/.exec(withExplanations)![0];
    expect(details).toContain('<div class="explanation"><h4><span lang="zh-CN">解释</span> / <span lang="en">explanation</span></h4>\n<p class="x">ethics 5.90 → 6.49</p>');
    expect(visibleText(details)).toContain('已消除 / resolved yearly_module_credits (管理办法 第十一条) · ethics · 2019');
    expect(withExplanations.match(/class="explanation"/g)?.length).toBe(1);
  });

  it('writes deltas with their sign, as the document has them', () => {
    expect([deltaText(4.4), deltaText(-3), deltaText(0), deltaText('0.55'), deltaText('-0.10'), deltaText(null)]).toEqual(['+4.4', '-3', '0', '+0.55', '-0.10', '—']);
  });

  it('renders a document with no changes: no charts but the page, and "no data" notes', () => {
    const empty: DiffJson = {
      ...fixture, changed: [], by_rule: [], measures: [], by_group: {},
      summary: { subjects: 0, unchanged: 0, became_compliant: 0, became_non_compliant: 0, changed_measures: 0, base_compliant: 0, head_compliant: 0, only_base: 0, only_head: 0 },
      records: { ...fixture.records, by_rule: [] },
    };
    const page = diffHtml(empty, { chartLibrary: LIBRARY });
    expect(scripts(page)[0]!.body).toBe('[]');
    expect(visibleText(page).match(/无数据 \/ no data/g)?.length).toBe(4); // transitions, rules, measures, subjects
    expect(page).not.toContain('id="groups"');
  });
});

describe('the transition flows', () => {
  it('are the fixture\'s: 16 stayed compliant, 4 became non-compliant, 1 became compliant, 19 stayed non-compliant', () => {
    expect(transitionFlows(fixture).flows).toEqual([
      { from: 'compliant', to: 'compliant', count: 16 }, { from: 'compliant', to: 'non_compliant', count: 4 },
      { from: 'non_compliant', to: 'compliant', count: 1 }, { from: 'non_compliant', to: 'non_compliant', count: 19 },
    ]);
  });

  it('count subjects on one side only by their status there', () => {
    // 10 subjects: 2 only on base (1 compliant there), 1 only on head (not compliant). Base
    // evaluates 9, 5 compliant: 1 became non-compliant, so 5 − 1 − 1 = 3 stayed compliant; of its
    // 4 not compliant 1 became compliant and 1 is gone, 4 − 1 − 1 = 2 stayed non-compliant.
    const changed = [
      subject('a', 'only_base', { base: { present: true, compliant: true, violations: [] } }),
      subject('b', 'only_base', { base: { present: true, compliant: false, violations: [] } }),
      subject('c', 'only_head', { head: { present: true, compliant: false, violations: [] } }),
      subject('d', 'became_non_compliant'), subject('e', 'became_compliant'),
    ];
    const doc: DiffJson = { ...fixture, changed, summary: { subjects: 10, unchanged: 5, became_compliant: 1, became_non_compliant: 1, changed_measures: 0, base_compliant: 5, head_compliant: 4, only_base: 2, only_head: 1 } };
    expect(transitionFlows(doc).flows).toEqual([
      { from: 'compliant', to: 'compliant', count: 3 }, { from: 'compliant', to: 'non_compliant', count: 1 },
      { from: 'non_compliant', to: 'compliant', count: 1 }, { from: 'non_compliant', to: 'non_compliant', count: 2 },
      { from: 'compliant', to: 'absent', count: 1 }, { from: 'non_compliant', to: 'absent', count: 1 },
      { from: 'absent', to: 'non_compliant', count: 1 },
    ]);
  });
});

describe('the chart library for the CLI', () => {
  it('is the build\'s dist/chart-library.js when run from source, and renderDiffReport inlines it', async () => {
    expect(chartLibraryPath()).toBe(join(root, 'dist/chart-library.js'));
    const html = await renderDiffReport(fixture);
    const library = readFileSync(join(root, 'dist/chart-library.js'), 'utf8');
    expect(scripts(html)[1]!.body).toBe(scriptText(library));
    expect(library.length).toBeLessThan(700_000);
  });

  it('is found beside the module when bundled, as in dist/', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guize-chart-'));
    try {
      await build({ entryPoints: [join(root, 'cli/diff-html-file.ts')], outfile: join(dir, 'chunk.mjs'), bundle: true, format: 'esm', platform: 'node', logLevel: 'silent' });
      const bundled = await import(pathToFileURL(join(dir, 'chunk.mjs')).href) as { chartLibraryPath: () => string };
      expect(() => bundled.chartLibraryPath()).toThrow(/run npm run build/);
      copyFileSync(join(root, 'dist/chart-library.js'), join(dir, 'chart-library.js'));
      expect(bundled.chartLibraryPath()).toBe(join(dir, 'chart-library.js'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
