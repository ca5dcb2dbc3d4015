// Completion, hover, go to definition and format document for the policy files, from the
// policy as edited (policy-index.ts): the names are the policy's own, never a list kept here.

import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import { LineIndex, printStatement } from './dsl.ts';
import type { EvaluationOutcome } from './evaluate-policy.ts';
import { POLICY_LANGUAGE } from './languages.ts';
import { policyIndex, type NameInfo, type PolicyIndex } from './policy-index.ts';
import type { Workspace } from './workspace.ts';

/** What the features read from the page. */
export interface FeatureContext {
  readonly outcome: () => EvaluationOutcome | undefined;
  readonly workspace: () => Workspace;
  readonly policyPath: () => string;
  readonly articleText: (cite: string) => string | undefined;
}

const KIND_ZH: Record<NameInfo['kind'], string> = {
  parameter: '参数', setting: '设置', table: '表', 'record field': '记录字段', 'subject field': '对象字段', 'enum value': '枚举值',
  let: '派生值', measure: '度量', requirement: '要求', outcome: '记录规则', unit: '单位',
};

/** The hover text of a name: each version's value and unit, its articles and their text. */
export function hoverMarkdown(infos: readonly NameInfo[], articleText: (cite: string) => string | undefined): string {
  const first = infos[0]!;
  const parts = [`**${first.name}** — ${KIND_ZH[first.kind]} ${first.kind}`];
  for (const i of infos) {
    const value = i.value === undefined ? '' : `值 value **${i.value}**${i.unit && i.unit !== '1' ? ` ${i.unit}` : ''}`;
    const unit = i.value === undefined && i.unit ? `单位 unit ${i.unit}` : '';
    const line = [value || unit, infos.length > 1 ? `(${i.version})` : ''].filter(Boolean).join(' ');
    if (line) parts.push(line);
  }
  const last = infos[infos.length - 1]!;
  if (last.detail) parts.push('```\n' + last.detail + '\n```');
  if (last.note) parts.push(last.note);
  for (const cite of new Set(infos.flatMap((i) => i.cites))) {
    const text = articleText(cite);
    parts.push(`条款 article: **${cite}**${text ? `\n\n> ${text}` : ''}`);
  }
  return parts.join('\n\n');
}

function pathOf(model: Monaco.editor.ITextModel): string {
  return model.uri.path.replace(/^\//, '');
}

/** The rules block's lines in a model: the YAML block scalar under a `rules:` key. */
function inRules(model: Monaco.editor.ITextModel, line: number): boolean {
  for (let l = line; l >= 1; l--) {
    const text = model.getLineContent(l);
    const m = /^(\s*)rules:\s*[|>]/.exec(text);
    if (m) return l < line;
    if (l < line && /^\s*[A-Za-z_][\w-]*:/.test(text) && !/^\s/.test(text)) return false;
  }
  return false;
}

export function registerLanguageFeatures(monaco: typeof Monaco, ctx: FeatureContext): void {
  const index = (): PolicyIndex | undefined => policyIndex(ctx.workspace().texts(), ctx.policyPath())?.index;
  /** Formatting rewrites text at the index's spans: only spans of the text as it is now will do. */
  const freshIndex = (): PolicyIndex | undefined => {
    const i = policyIndex(ctx.workspace().texts(), ctx.policyPath());
    return i?.fresh ? i.index : undefined;
  };
  const wordAt = (model: Monaco.editor.ITextModel, position: Monaco.Position) => model.getWordAtPosition(position);

  monaco.languages.registerCompletionItemProvider(POLICY_LANGUAGE, {
    triggerCharacters: ['[', '.', '('],
    provideCompletionItems(model, position) {
      const ix = index();
      if (!ix) return { suggestions: [] };
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const before = model.getLineContent(position.lineNumber).slice(0, word.startColumn - 1);
      const K = monaco.languages.CompletionItemKind;
      // After `table[`: the table's keys; after `table[key].`: its columns.
      const keyOf = /([A-Za-z_]\w*)\[$/.exec(before);
      if (keyOf && ix.tableKeys.has(keyOf[1]!)) {
        return { suggestions: ix.tableKeys.get(keyOf[1]!)!.map((k) => ({ label: k, kind: K.EnumMember, insertText: k, range, detail: `${keyOf[1]} 的行 / a row of ${keyOf[1]}` })) };
      }
      const columnOf = /([A-Za-z_]\w*)(?:\[[^\]]*\]|\([^)]*\))\.$/.exec(before);
      if (columnOf && ix.tableColumns.has(columnOf[1]!)) {
        return { suggestions: ix.tableColumns.get(columnOf[1]!)!.map((c) => ({ label: c, kind: K.Field, insertText: c, range, detail: `${columnOf[1]} 的列 / a column of ${columnOf[1]}` })) };
      }
      if (!inRules(model, position.lineNumber)) return { suggestions: [] };
      const kinds: Record<NameInfo['kind'], Monaco.languages.CompletionItemKind> = {
        parameter: K.Constant, setting: K.Property, table: K.Struct, 'record field': K.Field, 'subject field': K.Field, 'enum value': K.EnumMember,
        let: K.Variable, measure: K.Value, requirement: K.Event, outcome: K.Event, unit: K.Unit,
      };
      const suggestions: Monaco.languages.CompletionItem[] = ix.keywords.map((k) => ({ label: k, kind: K.Keyword, insertText: k, range }));
      for (const [name, infos] of ix.names) {
        const last = infos[infos.length - 1]!;
        suggestions.push({
          label: name, kind: kinds[last.kind], insertText: name, range,
          detail: `${KIND_ZH[last.kind]} ${last.kind}${last.value !== undefined ? ` = ${last.value}${last.unit && last.unit !== '1' ? ` ${last.unit}` : ''}` : ''}`,
          documentation: { value: hoverMarkdown(infos, ctx.articleText) },
        });
      }
      return { suggestions };
    },
  });

  monaco.languages.registerHoverProvider(POLICY_LANGUAGE, {
    provideHover(model, position) {
      const w = wordAt(model, position);
      const infos = w && index()?.names.get(w.word);
      if (!w || !infos || infos.length === 0) return undefined;
      return {
        range: { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: w.startColumn, endColumn: w.endColumn },
        contents: [{ value: hoverMarkdown(infos, ctx.articleText) }],
      };
    },
  });

  monaco.languages.registerDefinitionProvider(POLICY_LANGUAGE, {
    provideDefinition(model, position) {
      const w = wordAt(model, position);
      const infos = w && index()?.names.get(w.word);
      if (!w || !infos) return undefined;
      const texts = ctx.workspace().texts();
      return infos.map((i) => {
        const lines = new LineIndex(texts[i.span.file] ?? '');
        const from = lines.position(i.span.start);
        const to = lines.position(i.span.end);
        // The model of the target file must exist for Monaco to open it.
        ctx.workspace().model(monaco, i.span.file, POLICY_LANGUAGE);
        return { uri: monaco.Uri.file(`/${i.span.file}`), range: { startLineNumber: from.line, startColumn: from.column, endLineNumber: to.line, endColumn: to.column } };
      });
    },
  });

  monaco.languages.registerDocumentFormattingEditProvider(POLICY_LANGUAGE, {
    provideDocumentFormattingEdits(model) {
      const path = pathOf(model);
      // A policy with errors is not formatted (its statements are not known where they now are).
      const statements = freshIndex()?.statements.get(path) ?? [];
      const text = model.getValue();
      const edits: Monaco.languages.TextEdit[] = [];
      for (const s of statements) {
        if (s.span.file !== path) continue;
        const old = text.slice(s.span.start, s.span.end);
        // A comment inside a statement would be lost (the printer prints the syntax tree): keep such statements as written.
        if (old.includes('#')) continue;
        const start = model.getPositionAt(s.span.start);
        const indent = model.getLineContent(start.lineNumber).slice(0, start.column - 1);
        if (indent.trim() !== '') continue;
        const printed = printStatement(s).split('\n').join(`\n${indent}`);
        if (printed === old) continue;
        const end = model.getPositionAt(s.span.end);
        edits.push({ range: { startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column }, text: printed });
      }
      return edits;
    },
  });
}
