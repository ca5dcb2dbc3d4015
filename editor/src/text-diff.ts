// The change pane's text comparison: Monaco's side-by-side diff editor with a policy file as
// edited on the right and, on the left (read-only), the same file as saved, or another file of
// the policy as saved — a version file, or a fork's parent's policy.yaml. The right side is the
// workspace's own model, so the diff follows each keystroke, and typing there edits the file.
// It lives outside the change pane's re-rendered part: the diff editor is made once, on first
// open, and only its models change.

import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import { h } from './dom.ts';
import { bi, L, t } from './i18n.ts';
import { POLICY_LANGUAGE } from './languages.ts';

/** What the comparison reads from the page. */
export interface TextDiffContext {
  /** The files of the policy being edited, its own then (for a fork) its parent's. */
  readonly files: () => readonly string[];
  /** The file open in the editor (the default right side). */
  readonly current: () => string | undefined;
  /** A file's text as loaded or last saved. */
  readonly savedText: (path: string) => string | undefined;
  /** The workspace's model of a file (its text as edited). */
  readonly model: (path: string) => Monaco.editor.ITextModel;
}

/** The left side's choice: the right file as saved, or another file (by path) as saved. */
const SAME = '';

export class TextDiff {
  readonly root: HTMLDetailsElement;
  private readonly pickers: HTMLElement;
  private readonly host: HTMLElement;
  private editor: Monaco.editor.IStandaloneDiffEditor | undefined;
  private original: Monaco.editor.ITextModel | undefined;
  /** The right side's file ('' : the file open in the editor) and the left side's choice. */
  private file = '';
  private against = SAME;
  /** Whether the next computed diff should be scrolled to (after the files compared change). */
  private reveal = false;

  constructor(private readonly monaco: typeof Monaco, private readonly ctx: TextDiffContext) {
    this.pickers = h('span', { class: 'toolbar' });
    this.host = h('div', { class: 'text-diff-editor', 'data-testid': 'text-diff-editor' });
    this.root = h('details', { class: 'text-diff', 'data-testid': 'text-diff' },
      t('summary', { 'data-testid': 'text-diff-open' }, '文本对比（修改后 ↔ 已保存）', 'text compared (as edited ↔ as saved)'), this.pickers, this.host);
    this.root.addEventListener('toggle', () => {
      if (this.root.open) this.refresh();
    });
  }

  /** The right side's file: the one chosen, if still of the policy, else the one being edited. */
  private rightFile(): string | undefined {
    const files = this.ctx.files();
    return this.file !== '' && files.includes(this.file) ? this.file : this.ctx.current() ?? files[0];
  }

  /** The left side's path and text. */
  private leftFile(right: string): { path: string; text: string } {
    const path = this.against !== SAME && this.ctx.files().includes(this.against) ? this.against : right;
    return { path, text: this.ctx.savedText(path) ?? '' };
  }

  /** Redraws the pickers and points the diff editor at the files chosen (only while open). */
  refresh(): void {
    const right = this.rightFile();
    this.pickers.replaceChildren(...(right === undefined ? [] : this.pickerViews(right)));
    if (!this.root.open || right === undefined) return;
    if (!this.editor) this.editor = this.create();
    const left = this.leftFile(right);
    const uri = this.monaco.Uri.from({ scheme: 'guize-saved', path: `/${left.path}` });
    if (this.original?.uri.toString() !== uri.toString()) {
      const old = this.original;
      this.original = this.monaco.editor.getModel(uri) ?? this.monaco.editor.createModel(left.text, POLICY_LANGUAGE, uri);
      this.reveal = true;
      this.editor.setModel({ original: this.original, modified: this.ctx.model(right) });
      old?.dispose();
    } else {
      if (this.original.getValue() !== left.text) this.original.setValue(left.text);
      const modified = this.ctx.model(right);
      if (this.editor.getModel()?.modified !== modified) {
        this.reveal = true;
        this.editor.setModel({ original: this.original, modified });
      }
    }
  }

  private create(): Monaco.editor.IStandaloneDiffEditor {
    const editor = this.monaco.editor.createDiffEditor(this.host, {
      automaticLayout: true, readOnly: false, originalEditable: false, renderSideBySide: true,
      // The pane is narrower than Monaco's 900 px breakpoint: keep the two sides anyway.
      useInlineViewWhenSpaceIsLimited: false,
      minimap: { enabled: false }, fontSize: 12, glyphMargin: false, renderOverviewRuler: false, theme: 'vs',
    });
    // A policy file is long and an edit may be far down: show the first change once the two files are compared.
    editor.onDidUpdateDiff(() => {
      if (!this.reveal) return;
      this.reveal = false;
      editor.revealFirstDiff();
    });
    return editor;
  }

  private pickerViews(right: string): HTMLElement[] {
    const files = this.ctx.files();
    const fileSelect = h('select', { 'aria-label': 'file', 'data-testid': 'text-diff-file' },
      ...files.map((f) => h('option', { value: f, ...(f === right ? { selected: '' } : {}) }, f)));
    fileSelect.addEventListener('change', () => {
      this.file = fileSelect.value;
      this.refresh();
    });
    const againstSelect = h('select', { 'aria-label': 'against', 'data-testid': 'text-diff-against' },
      h('option', { value: SAME, ...bi('此文件（已保存）', 'this file as saved') }, L('此文件（已保存）', 'this file as saved')),
      ...files.filter((f) => f !== right).map((f) => h('option', { value: f, ...(f === this.against ? { selected: '' } : {}), ...bi(`${f}（已保存）`, `${f} as saved`) }, L(`${f}（已保存）`, `${f} as saved`))));
    againstSelect.addEventListener('change', () => {
      this.against = againstSelect.value;
      this.refresh();
    });
    return [
      h('label', {}, t('span', {}, '右（修改后）：', 'right (as edited): '), fileSelect),
      h('label', {}, t('span', {}, '左（只读）：', 'left (read-only): '), againstSelect),
    ];
  }

  /** Lets go of the workspace's models (before they are disposed, when another folder is opened). */
  detach(): void {
    this.editor?.setModel(null);
    this.original?.dispose();
    this.original = undefined;
  }

  /** For the browser test: the diff editor, once made. */
  get diffEditor(): Monaco.editor.IStandaloneDiffEditor | undefined {
    return this.editor;
  }
}

