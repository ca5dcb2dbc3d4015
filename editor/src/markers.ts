// Diagnostics → Monaco markers (on the model of the file each points into) and the problems
// list under the editor. Code, Chinese and English message and help as the CLI prints them.

import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import { t } from './i18n.ts';
import { h } from './dom.ts';
import type { PlacedDiagnostic } from './evaluate-policy.ts';
import type { Workspace } from './workspace.ts';

const OWNER = 'guize';

/** The text of a marker: the message in both languages, then the help. */
export function markerMessage(d: PlacedDiagnostic): string {
  return `${d.zh}\n${d.message}${d.help ? `\nhelp: ${d.help}` : ''}`;
}

export function setMarkers(monaco: typeof Monaco, w: Workspace, ds: readonly PlacedDiagnostic[]): void {
  for (const path of w.paths()) {
    const model = w.openModel(path);
    if (!model) continue;
    monaco.editor.setModelMarkers(model, OWNER, ds.filter((d) => d.file === path).map((d) => ({
      severity: d.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
      code: d.code,
      source: 'guize',
      message: markerMessage(d),
      startLineNumber: d.line, startColumn: d.column, endLineNumber: d.endLine, endColumn: d.endColumn,
    })));
  }
}

export function problemsView(ds: readonly PlacedDiagnostic[], reveal: (d: PlacedDiagnostic) => void): HTMLElement {
  if (ds.length === 0) return t('div', { class: 'muted' }, '没有问题', 'no problems');
  return h('ul', { class: 'problems', 'data-testid': 'problems' }, ...ds.map((d) => {
    const li = h('li', { class: d.severity, 'data-code': d.code },
      h('span', { class: 'code' }, `${d.severity}[${d.code}]`), ' ',
      h('span', { class: 'where' }, `${d.file}:${d.line}:${d.column}`), ' ',
      h('span', {}, d.zh), ' / ', h('span', { class: 'muted' }, d.message),
      d.help ? h('div', { class: 'help' }, `help: ${d.help}`) : undefined);
    li.addEventListener('click', () => reveal(d));
    return li;
  }));
}
