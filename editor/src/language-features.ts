// Completion, hover, go to definition and format document for the policy files: Monaco's
// providers, each a thin call of the plain function in language/ (tested in Node), from the
// policy as edited (policy-index.ts): the names are the policy's own, never a list kept here.

import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import { assertNever } from '../../dsl/ast.ts';
import type { LiveDiagnostics } from './live-evaluation.ts';
import { POLICY_LANGUAGE } from './languages.ts';
import { completions, TRIGGER_CHARACTERS, type CompletionKind } from './language/completion.ts';
import { definitionsAt } from './language/definition.ts';
import { formatEdits } from './language/format.ts';
import { hoverAt } from './language/hover.ts';
import { policyIndex, type PolicyIndex } from './policy-index.ts';
import type { Workspace } from './workspace.ts';

/** What the features read from the page. */
export interface FeatureContext {
  readonly outcome: () => LiveDiagnostics | undefined;
  readonly workspace: () => Workspace;
  readonly policyPath: () => string;
  readonly articleText: (cite: string) => string | undefined;
}

function pathOf(model: Monaco.editor.ITextModel): string {
  return model.uri.path.replace(/^\//, '');
}

/** Monaco's icon for each kind of completion. */
function itemKind(monaco: typeof Monaco, kind: CompletionKind): Monaco.languages.CompletionItemKind {
  const K = monaco.languages.CompletionItemKind;
  switch (kind) {
    case 'keyword': return K.Keyword;
    case 'table key': case 'enum value': return K.EnumMember;
    case 'table column': case 'record field': case 'subject field': return K.Field;
    case 'parameter': return K.Constant;
    case 'setting': return K.Property;
    case 'table': return K.Struct;
    case 'let': return K.Variable;
    case 'measure': return K.Value;
    case 'requirement': case 'outcome': return K.Event;
    case 'unit': return K.Unit;
    default: return assertNever(kind);
  }
}

export function registerLanguageFeatures(monaco: typeof Monaco, ctx: FeatureContext): void {
  const index = (): PolicyIndex | undefined => policyIndex(ctx.workspace().texts(), ctx.policyPath())?.index;

  monaco.languages.registerCompletionItemProvider(POLICY_LANGUAGE, {
    triggerCharacters: TRIGGER_CHARACTERS,
    provideCompletionItems(model, position) {
      const ix = index();
      if (!ix) return { suggestions: [] };
      const c = completions(ix, model.getLinesContent(), position.lineNumber, position.column, ctx.articleText);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: c.startColumn, endColumn: c.endColumn };
      return {
        suggestions: c.items.map((i) => ({
          label: i.label, kind: itemKind(monaco, i.kind), insertText: i.label, range,
          ...(i.detail === undefined ? {} : { detail: i.detail }),
          ...(i.documentation === undefined ? {} : { documentation: { value: i.documentation } }),
        })),
      };
    },
  });

  monaco.languages.registerHoverProvider(POLICY_LANGUAGE, {
    provideHover(model, position) {
      const ix = index();
      const hover = ix && hoverAt(ix, model.getLineContent(position.lineNumber), position.column, ctx.articleText);
      if (!hover) return undefined;
      return {
        range: { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: hover.startColumn, endColumn: hover.endColumn },
        contents: [{ value: hover.markdown }],
      };
    },
  });

  monaco.languages.registerDefinitionProvider(POLICY_LANGUAGE, {
    provideDefinition(model, position) {
      const ix = index();
      if (!ix) return undefined;
      return definitionsAt(ix, ctx.workspace().texts(), model.getLineContent(position.lineNumber), position.column).map((p) => {
        // The model of the target file must exist for Monaco to open it.
        ctx.workspace().model(monaco, p.file, POLICY_LANGUAGE);
        return { uri: monaco.Uri.file(`/${p.file}`), range: { startLineNumber: p.startLine, startColumn: p.startColumn, endLineNumber: p.endLine, endColumn: p.endColumn } };
      });
    },
  });

  monaco.languages.registerDocumentFormattingEditProvider(POLICY_LANGUAGE, {
    provideDocumentFormattingEdits(model) {
      const path = pathOf(model);
      // A file whose YAML or rules do not parse is not formatted (its diagnostics say why).
      return formatEdits(path, model.getValue()).map((e) => ({
        range: { startLineNumber: e.startLine, startColumn: e.startColumn, endLineNumber: e.endLine, endColumn: e.endColumn }, text: e.text,
      }));
    },
  });
}
