// Reading a policy's YAML text: YAML 1.2 with unique keys and capped aliases, and the way back
// from a path in the parsed value to a span in the file, so every diagnostic points at the text.

import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node, type Scalar } from 'yaml';
import type { DiagnosticBag } from './diagnostics.ts';
import type { OffsetMap } from './cst-to-ast.ts';
import { LineIndex, type Span } from './source.ts';
import { MAX_YAML_DEPTH, yamlTooDeepAt } from './yaml-depth.ts';

/** A parsed YAML document together with its file name, for locating values. */
export interface YamlSource {
  readonly file: string;
  readonly text: string;
  readonly doc: Document.Parsed;
}

/** A span kept inside the text (an error "at the end" is an empty span at its end, not past it). */
function within(file: string, text: string, start: number, end: number): Span {
  const s = Math.min(Math.max(0, start), text.length);
  return { file, start: s, end: Math.max(s, Math.min(end, text.length)) };
}

/** Aliases a policy file may use: enough for sharing, too few for a billion-laughs blow-up. */
const MAX_ALIASES = 100;

/** Parses YAML text; syntax errors become diagnostics at their position. */
export function parseYaml(file: string, text: string, bag: DiagnosticBag): YamlSource | undefined {
  const deep = yamlTooDeepAt(text);
  if (deep !== undefined) {
    tooDeep(bag, within(file, text, deep, deep + 1));
    return undefined;
  }
  const doc = parseDocument(text, { version: '1.2', uniqueKeys: true, prettyErrors: false, strict: true });
  // One error per line: the YAML parser often reports a single slip several times over.
  const lines = new Set<number>();
  const index = new LineIndex(text);
  for (const e of [...doc.errors, ...doc.warnings]) {
    const line = index.position(e.pos[0]).line;
    if (lines.has(line)) continue;
    lines.add(line);
    if (e.code === 'DUPLICATE_KEY') {
      const end = keyEnd(text, e.pos[0]);
      bag.error('duplicate-key', { file, start: e.pos[0], end }, `the key '${text.slice(e.pos[0], end)}' appears twice in the same mapping`,
        `同一层级中键 '${text.slice(e.pos[0], end)}' 重复出现`, 'remove or rename one of them');
      continue;
    }
    if (e.message.includes('Maximum call stack size exceeded')) {
      // Nesting the depth scan did not see (it is a safeguard, not the parser): the same words.
      tooDeep(bag, within(file, text, e.pos[0], e.pos[0] + 1));
      continue;
    }
    const words = yamlErrorWords[e.code];
    const detail = firstLine(e.message);
    bag.error('yaml-syntax', within(file, text, e.pos[0], Math.max(e.pos[1], e.pos[0] + 1)),
      words ? `YAML: ${words.en}` : `YAML: ${detail}`, words ? `YAML 语法错误：${words.zh}` : `YAML 语法错误：${detail}`, words?.help);
  }
  if (doc.errors.length > 0) return undefined;
  return { file, text, doc };
}

function tooDeep(bag: DiagnosticBag, span: Span): void {
  bag.error('yaml-too-deep', span, `the YAML nests more than ${MAX_YAML_DEPTH} levels deep here`, `YAML 在此处嵌套超过 ${MAX_YAML_DEPTH} 层`,
    'a policy needs only a few levels: check for brackets that are never closed, or split the structure');
}

/** Plain words for the YAML parser's commonest errors, by its error code. */
const yamlErrorWords: Readonly<Record<string, { en: string; zh: string; help?: string }>> = {
  BAD_INDENT: { en: 'the indentation is wrong here', zh: '此处缩进不正确', help: 'items of one mapping or list start in the same column' },
  TAB_AS_INDENT: { en: 'a tab is used for indentation', zh: '使用了制表符缩进', help: 'indent with spaces, not tabs' },
  MISSING_CHAR: { en: 'a closing quote or bracket is missing', zh: '缺少右引号或右括号' },
  BLOCK_AS_IMPLICIT_KEY: { en: 'a key and its value are mixed up', zh: '键与值的写法有误', help: "check the indentation and the ': ' after each key" },
  MULTILINE_IMPLICIT_KEY: { en: 'a key and its value are mixed up', zh: '键与值的写法有误', help: "check the indentation and the ': ' after each key" },
  UNEXPECTED_TOKEN: { en: 'unexpected text', zh: '无法理解的内容', help: 'check the indentation and the punctuation around it' },
  BAD_DQ_ESCAPE: { en: 'a bad escape in a double-quoted text', zh: '双引号文字中的转义有误' },
};

/** The parser's message without its own "at line …, column …:" (the diagnostic shows where). */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/** End of the key starting at `start`: up to the ':' (or the line's end). */
function keyEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && text[i] !== ':' && text[i] !== '\n') i++;
  while (i > start + 1 && text[i - 1] === ' ') i--;
  return Math.max(i, start + 1);
}

/** Converts the document to plain data, refusing alias bombs. */
export function yamlToData(src: YamlSource, bag: DiagnosticBag): unknown {
  try {
    // The yaml library counts the anchored node itself as one use of it: without the + 1, an
    // anchor could be aliased only 99 times, not the 100 the README and the message promise.
    return src.doc.toJS({ maxAliasCount: MAX_ALIASES + 1 });
  } catch (e) {
    // At the last alias: in a chain that blows up, the one that expands the most.
    let at: readonly number[] = [0, 1];
    visit(src.doc, { Alias: (_, node) => void (node.range ? (at = node.range) : undefined) });
    bag.error('yaml-aliases', within(src.file, src.text, at[0]!, at[1]!),
      `the YAML's aliases (*name) expand too far, or cannot be resolved (${(e as Error).message})`,
      `YAML 别名（*name）展开过多或无法解析（${(e as Error).message}）`, `write the values out, or use fewer aliases (a policy may resolve at most ${MAX_ALIASES})`);
    return undefined;
  }
}

/**
 * The node at a path of keys and indices, or undefined. Aliases are followed at every step, so
 * that `county: *row` reads like the row it names (spans then point at the anchored original).
 */
export function nodeAt(src: YamlSource, path: readonly (string | number)[]): Node | undefined {
  const resolve = (n: unknown): unknown => (isAlias(n) ? n.resolve(src.doc) : n);
  let node = resolve(src.doc.contents);
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(step));
      node = resolve(pair && isPair(pair) ? pair.value : undefined);
    } else if (isSeq(node) && typeof step === 'number') {
      node = resolve(node.items[step]);
    } else return undefined;
  }
  return node && typeof node === 'object' && 'range' in (node as object) ? (node as Node) : undefined;
}

/** The span of the value at `path`, falling back to the nearest enclosing node that exists. */
export function spanAt(src: YamlSource, path: readonly (string | number)[]): Span {
  for (let n = path.length; n >= 0; n--) {
    const node = nodeAt(src, path.slice(0, n));
    if (node?.range) return within(src.file, src.text, node.range[0], Math.max(node.range[1], node.range[0] + 1));
  }
  return within(src.file, src.text, 0, 1);
}

/** The span of the key of the entry `key` in the mapping at `path` (for "unknown key" errors). */
export function keySpanAt(src: YamlSource, path: readonly (string | number)[], key: string): Span {
  const map = nodeAt(src, path);
  if (map && isMap(map)) {
    for (const item of map.items) {
      if (isPair(item) && isScalar(item.key) && String(item.key.value) === key && item.key.range) {
        return { file: src.file, start: item.key.range[0], end: item.key.range[1] };
      }
    }
  }
  return spanAt(src, [...path, key]);
}

/** The exact source text of a scalar (so `0.10` stays `0.10`, not the float 0.1). */
export function scalarSource(src: YamlSource, path: readonly (string | number)[]): string | undefined {
  const n = nodeAt(src, path);
  if (n && isScalar(n)) return typeof (n as Scalar).source === 'string' ? (n as Scalar).source : String((n as Scalar).value);
  return undefined;
}

/** Keys of the mapping at `path`, in file order. */
export function keysAt(src: YamlSource, path: readonly (string | number)[]): string[] {
  const n = nodeAt(src, path);
  if (!n || !isMap(n)) return [];
  return n.items.flatMap((item) => (isPair(item) && isScalar(item.key) ? [String(item.key.value)] : []));
}


/**
 * How offsets in a string value map back into the file. Literal blocks (`|`) map line by line
 * past their indentation; single-line plain and quoted scalars map by a fixed shift. Folded
 * blocks join lines, so there is no faithful map: the caller refuses them.
 */
export function stringValueMap(src: YamlSource, path: readonly (string | number)[]): OffsetMap | 'folded' | undefined {
  const n = nodeAt(src, path);
  if (!n || !isScalar(n) || !n.range) return undefined;
  const start = n.range[0];
  const text = src.text;
  const value = String(n.value);
  if (n.type === 'BLOCK_FOLDED') return 'folded';
  if (n.type !== 'BLOCK_LITERAL') {
    // Plain and quoted scalars map by a shift only if the value is the source text verbatim:
    // escapes, and line breaks folded into spaces, would make positions drift.
    const shift = n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE' ? 1 : 0;
    if (text.slice(start + shift, start + shift + value.length) !== value) return 'folded';
    return (o) => start + shift + o;
  }
  const header = text.indexOf('\n', start);
  // An explicit indentation indicator (`|2`) fixes the indent relative to the key's line;
  // otherwise the first non-empty line sets it.
  // Only the block header itself (`|2-`, `|-2`), not a comment after it, holds the indicator.
  const indicator = /^[|>][-+]?([1-9])?/.exec(text.slice(start, header < 0 ? text.length : header))?.[1];
  const keyLineStart = text.lastIndexOf('\n', start) + 1;
  const fileLineStarts: number[] = [];
  for (let p = header + 1; p > 0 && p <= text.length; ) {
    fileLineStarts.push(p);
    const next = text.indexOf('\n', p);
    if (next < 0) break;
    p = next + 1;
  }
  const indentOf = (p: number): number => {
    let i = 0;
    while (text[p + i] === ' ') i++;
    return i;
  };
  const firstContent = fileLineStarts.find((p) => text[p + indentOf(p)] !== '\n' && text[p + indentOf(p)] !== '\r');
  const indent = indicator ? indentOf(keyLineStart) + Number(indicator) : firstContent === undefined ? 0 : indentOf(firstContent);
  const valueLineStarts = [0];
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) === 10) valueLineStarts.push(i + 1);
  return (o) => {
    // The last value line starting at or before o (binary search: rules blocks are long).
    let line = 0;
    let hi = valueLineStarts.length - 1;
    while (line < hi) {
      const mid = (line + hi + 1) >> 1;
      if (valueLineStarts[mid]! <= o) line = mid;
      else hi = mid - 1;
    }
    const fileLine = fileLineStarts[line] ?? text.length;
    return fileLine + indent + (o - valueLineStarts[line]!);
  };
}
