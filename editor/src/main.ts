// The editor page: Monaco on the policy's files, the live results beside it, a worker that
// evaluates each edit. State lives here; each pane is a module of its own.

import './style.css';
import { monaco } from './monaco.ts';
import { bundledPolicies, DEFAULT_POLICY, sample, sourceDocuments } from './bundled.ts';
import { h } from './dom.ts';
import type { LiveDiagnostics, LiveResult } from './live-evaluation.ts';
import { impactView, type BaseOption } from './impact.ts';
import { parentOf, type ImpactOutcome, type ImpactSide } from './change-impact.ts';
import type { ExplainOutcome, PolicyRef } from './explain-subject.ts';
import { openDiffReport } from './diff-report.ts';
import { registerLanguages, POLICY_LANGUAGE } from './languages.ts';
import { registerLanguageFeatures } from './language-features.ts';
import { setMarkers, problemsView } from './markers.ts';
import { ResultsTable, summaryView, TABLE_MEASURES } from './results-table.ts';
import { teacherView } from './teacher-view.ts';
import { articleText } from './articles.ts';
import { WorkerClient } from './worker-client.ts';
import { policyFolders, Workspace } from './workspace.ts';
import { openFolderButton } from './folder.ts';
import { dataControls } from './data-files.ts';
import { provenanceView, versionsView } from './versions-view.ts';
import { baseName, download } from './save.ts';
import { SavedTexts } from './saved-texts.ts';
import { zipFiles } from './zip.ts';
import { TextDiff } from './text-diff.ts';
import { applyLang, getLang, L, langSwitch, onLangChange, setLang, t } from './i18n.ts';

const encoder = new TextEncoder();
registerLanguages(monaco);

const $ = (id: string) => document.getElementById(id)!;

let workspace = new Workspace(bundledPolicies);
/** Each file's text as loaded or last saved: what tells an unsaved edit. */
let saved = new SavedTexts(bundledPolicies);
let policyPath = DEFAULT_POLICY;
/** '' : every version where it is in force; else one version for everything. */
let versionChoice = '';
/** The edited policy's last check (diagnostics, versions, provenance), and its last results. */
let live: LiveDiagnostics | undefined;
let result: LiveResult | undefined;
/** What the change pane compares the edited policy with: 'loaded', 'version:V' (as loaded), 'parent' (a fork's, as loaded). */
let impactBase = 'loaded';
let impact: ImpactOutcome | undefined;
/** The subject whose explanation the teacher pane shows, under the edited policy (head) or the base. */
/** The subject the teacher pane shows; in a repeating cycle, the cycle chosen (undefined: the last). */
let selected: { readonly id: string; readonly side: 'base' | 'head'; cycle?: string | undefined } | undefined;
let explanation: ExplainOutcome | undefined;

const editor = monaco.editor.create($('editor'), {
  automaticLayout: true, minimap: { enabled: false }, fontSize: 13, wordWrap: 'off', glyphMargin: true,
  fixedOverflowWidgets: true, theme: 'vs',
});

const tabs = $('tabs');
/** The change pane's side-by-side text comparison (made once: the rest of the pane is redrawn). */
const textDiff = new TextDiff(monaco, {
  files: () => policyFiles(),
  current: () => { const m = editor.getModel(); return m ? workspace.pathOf(m) : undefined; },
  savedText: (path) => saved.savedText(path),
  model: (path) => workspace.model(monaco, path, POLICY_LANGUAGE),
});
$('text-diff').append(textDiff.root);
const results = new ResultsTable($('results'), (id, cycle) => selectSubject(id, 'head', cycle));
/** The change pane: computed only while it is open. */
const impactPane = $('impact-pane') as HTMLDetailsElement;

function choice() {
  return versionChoice === '' ? {} : { version: versionChoice };
}

/** The source document of the policy being edited (by its folder's first name part), for hover and the teacher view. */
export function documentFor(path: string): string | undefined {
  const name = path.split('/').pop() ?? '';
  return sourceDocuments[name] ?? sourceDocuments[name.split('-')[0] ?? ''];
}

const articleLookup = (cite: string) => {
  const doc = documentFor(policyPath);
  return doc === undefined ? undefined : articleText(doc, cite);
};

registerLanguageFeatures(monaco, { outcome: () => live, workspace: () => workspace, policyPath: () => policyPath, articleText: articleLookup });

function showTabs(): void {
  const files = workspace.filesOf(policyPath);
  const current = editor.getModel()?.uri.path.slice(1);
  tabs.replaceChildren(...files.map((f) => {
    const dirty = saved.isDirty(f, workspace.openModel(f)?.getValue());
    const b = h('button', { class: f === current ? 'tab active' : 'tab', 'data-file': f, title: f, ...(dirty ? { 'data-dirty': '' } : {}) },
      `${dirty ? '● ' : ''}${f.slice(policyPath.length + 1) || f}`);
    b.addEventListener('click', () => openFile(f));
    return b;
  }));
}

/** The files with edits not yet saved, of every policy opened. */
function dirtyFiles(): string[] {
  return workspace.paths().filter((p) => saved.isDirty(p, workspace.openModel(p)?.getValue()));
}

/** The tabs' and the title's dot for unsaved edits. */
function showDirty(): void {
  showTabs();
  const title = L('guize 规则编辑器', 'guize policy editor');
  document.title = dirtyFiles().length > 0 ? `● ${title}` : title;
}

/** Downloads the file being edited, as the text in Monaco. */
function saveCurrent(): void {
  const model = editor.getModel();
  const path = model ? workspace.pathOf(model) : undefined;
  if (!model || path === undefined) return;
  const text = model.getValue();
  download(baseName(path), text, 'text/yaml;charset=utf-8');
  saved.markSaved(path, text);
  showDirty();
  textDiff.refresh();
}

/** The files a policy needs: its own, then (for a fork) its parent's, up the chain. */
function policyFiles(): string[] {
  const files = workspace.texts();
  const out: string[] = [];
  for (let p: string | undefined = policyPath; p !== undefined && !out.some((f) => f.startsWith(`${p}/`)); p = parentOf(files, p)) {
    out.push(...workspace.filesOf(p));
  }
  return out;
}

/** Downloads a zip of every file of the policy (and a fork's parent), as edited. */
function saveAll(): void {
  const texts = workspace.texts();
  const paths = policyFiles();
  download(`${baseName(policyPath)}.zip`, zipFiles(Object.fromEntries(paths.map((p) => [p, texts[p]!])), policyPath), 'application/zip');
  for (const p of paths) saved.markSaved(p, texts[p]!);
  showDirty();
  textDiff.refresh();
}

function showSaveButtons(): void {
  const one = t('button', { type: 'button', 'data-testid': 'save', title: 'Ctrl+S / ⌘S' }, '保存', 'Save');
  one.addEventListener('click', saveCurrent);
  const several = policyFiles().length > 1;
  const all = t('button', { type: 'button', 'data-testid': 'save-all', title: several ? policyFiles().join('\n') : '', ...(several ? {} : { hidden: '' }) }, '全部保存 (.zip)', 'Save all (.zip)');
  all.addEventListener('click', saveAll);
  $('save').replaceChildren(one, all);
}

// Ctrl+S / Cmd+S anywhere on the page (Monaco does not bind it): save the file being edited, not the page.
window.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 's') {
    e.preventDefault();
    saveCurrent();
  }
}, true);

window.addEventListener('beforeunload', (e) => {
  if (dirtyFiles().length === 0) return;
  e.preventDefault();
  e.returnValue = '';
});

function openFile(path: string, line?: number, column?: number): void {
  const model = workspace.model(monaco, path, POLICY_LANGUAGE);
  if (editor.getModel() !== model) editor.setModel(model);
  if (line !== undefined) {
    editor.revealLineInCenter(line);
    editor.setPosition({ lineNumber: line, column: column ?? 1 });
    editor.focus();
  }
  showTabs();
  textDiff.refresh();
}

/** The policy as edited (the change pane's head). */
function headRef(): ImpactSide {
  return { files: workspace.texts(), path: policyPath, choice: choice(), source: `${policyPath} (修改后 as edited)` };
}

/** The change pane's base: the policy as loaded, one of its versions, or a fork's parent. */
function baseRef(): ImpactSide {
  const files = workspace.originals();
  if (impactBase === 'parent') {
    const parent = parentOf(files, policyPath);
    if (parent !== undefined) return { files, path: parent, choice: {}, source: `${parent} (上级 parent)` };
  }
  if (impactBase.startsWith('version:')) {
    const version = impactBase.slice('version:'.length);
    return { files, path: policyPath, choice: { version }, source: `${policyPath}@${version} (载入时 as loaded)` };
  }
  return { files, path: policyPath, choice: choice(), source: `${policyPath} (载入时 as loaded)` };
}

function baseOptions(): BaseOption[] {
  const parent = parentOf(workspace.originals(), policyPath);
  return [
    { value: 'loaded', label: L('载入时的策略', 'the policy as loaded') },
    ...(live?.versions ?? []).filter((v) => v.policy === live?.versions[live.versions.length - 1]?.policy)
      .map((v) => ({ value: `version:${v.version}`, label: L(`载入时的 ${v.version}`, `version ${v.version} as loaded`) })),
    ...(parent === undefined ? [] : [{ value: 'parent', label: L(`上级策略 ${parent}`, `the parent ${parent}`) }]),
  ];
}

/** Everything that follows from the policy text: the live results, the change, the explanation shown. */
function requestAll(): void {
  client.evaluate(workspace.texts(), policyPath, choice(), TABLE_MEASURES);
  requestImpact();
  requestExplanation();
}

function requestImpact(): void {
  if (impactPane.open) client.impact(baseRef(), headRef());
}

impactPane.addEventListener('toggle', () => {
  impact = undefined;
  if (impactPane.open) {
    showImpact();
    requestImpact();
  } else client.dropImpact();
});

function requestExplanation(): void {
  if (!selected) return;
  const ref: PolicyRef = selected.side === 'base' ? baseRef() : headRef();
  client.explain(ref, selected.id);
}

function evaluateLive(): void {
  client.soon(requestAll);
}

function selectSubject(id: string, side: 'base' | 'head' = 'head', cycle?: string): void {
  selected = { id, side, cycle };
  explanation = undefined;
  showTeacher();
  requestExplanation();
}

function showTeacher(): void {
  if (!selected) return;
  const key = live?.subject?.key ?? 'id';
  $('teacher').replaceChildren(teacherView(selected.id, explanation, key, {
    // The teacher view's toggle is the page's language switch.
    lang: getLang(),
    setLang,
    articleText: articleLookup,
    reveal: (file, line) => openFile(file, line),
    cycle: selected.cycle,
    chooseCycle: (cycle) => {
      if (selected) selected.cycle = cycle;
      showTeacher();
    },
  }));
}

/** Sets a label that a language switch rewrites (see i18n.ts). */
function setText(el: HTMLElement, zh: string, en: string): void {
  Object.assign(el.dataset, { zh, en });
  el.textContent = L(zh, en);
}

/** The edited policy checked: markers, problems, versions, provenance; the status when it has errors. */
function showDiagnostics(o: LiveDiagnostics): void {
  setMarkers(monaco, workspace, o.diagnostics);
  $('problems').replaceChildren(problemsView(o.diagnostics, (d) => openFile(d.file, d.line, d.column)));
  if (!o.evaluates) {
    const errors = o.diagnostics.filter((d) => d.severity === 'error').length;
    const status = $('status');
    setText(status, `策略有 ${errors} 处错误，未评估`, `the policy has ${errors} error(s); nothing was evaluated`);
    status.className = 'status bad';
    $('warnings').replaceChildren();
  }
  showImpact();
  $('versions').replaceChildren(versionsView(o, versionChoice, (v) => {
    versionChoice = v;
    requestAll();
  }));
  $('provenance').replaceChildren(provenanceView(o, (file, line) => openFile(file, line)));
}

/** The results: the status, the summary, the table, the data's warnings. */
function showResult(r: LiveResult): void {
  const status = $('status');
  if (r.table && live?.subject) {
    const ms = r.milliseconds.toFixed(0);
    setText(status, `已评估，用时 ${ms} ms`, `evaluated in ${ms} ms`);
    status.className = 'status ok';
    $('summary').replaceChildren(summaryView(r.table, live.subject.collection));
    results.show(r.table, live.subject.key);
  } else if (r.inputError !== undefined) {
    // An input error is the worker's bilingual message: shown as it is in both languages.
    setText(status, r.inputError, r.inputError);
    status.className = 'status bad';
  }
  $('warnings').replaceChildren(...r.inputWarnings.map((w) => t('div', {}, `警告：${w}`, `warning: ${w}`)));
}

function showImpact(): void {
  if (!impactPane.open) {
    $('impact').replaceChildren();
    return;
  }
  $('impact').replaceChildren(impactView(impact, {
    bases: baseOptions(),
    base: impactBase,
    pickBase: (value) => {
      impactBase = value;
      impact = undefined;
      showImpact();
      requestImpact();
    },
    select: (id, side) => selectSubject(id, side),
    openReport: (doc) => openDiffReport(doc),
  }));
}

const client = new WorkerClient({
  diagnostics(outcome) {
    live = outcome;
    showDiagnostics(outcome);
  },
  result(outcome) {
    result = outcome;
    showResult(outcome);
  },
  impact(outcome) {
    impact = outcome;
    showImpact();
  },
  explanation(subject, outcome) {
    if (selected?.id !== subject) return;
    explanation = outcome;
    showTeacher();
  },
  progress(stage, name, done, total) {
    const pct = total > 0 ? Math.floor((100 * done) / total) : 100;
    $('progress').textContent = `${stage === 'reading' ? L('读取', 'reading') : L('评估', 'evaluating')} ${name}: ${pct}% (${(done / 1048576).toFixed(1)} / ${(total / 1048576).toFixed(1)} MiB)`;
  },
  dataLoaded(records, subjects, bytes) {
    $('progress').textContent = '';
    $('data-name').textContent = `${records}${subjects ? ` + ${subjects}` : ''} (${(bytes / 1024).toFixed(0)} KiB)`;
    requestAll();
  },
  failure(message) {
    const status = $('status');
    setText(status, `内部错误：${message}`, `internal error: ${message}`);
    status.className = 'status bad';
  },
});

function choosePolicy(path: string): void {
  policyPath = path;
  versionChoice = '';
  impactBase = 'loaded';
  selected = undefined;
  $('teacher').replaceChildren(t('div', { class: 'muted' }, '点击一行查看说明', 'click a row for the explanation'));
  const select = $('policy') as HTMLSelectElement;
  select.replaceChildren(...policyFolders(workspace).map((p) => h('option', { value: p, ...(p === path ? { selected: '' } : {}) }, p)));
  openFile(workspace.filesOf(path)[0]!);
  showSaveButtons();
  textDiff.refresh();
  requestAll();
}

($('policy') as HTMLSelectElement).addEventListener('change', (e) => choosePolicy((e.target as HTMLSelectElement).value));

editor.onDidChangeModelContent(() => {
  showDirty();
  evaluateLive();
});

function loadSample(): void {
  client.setData({ name: sample.records.name, bytes: encoder.encode(sample.records.text) }, { name: sample.teachers.name, bytes: encoder.encode(sample.teachers.text) });
}

$('data').append(...dataControls(document.body, {
  sample: loadSample,
  files: (records, subjects) => client.setFiles(records, subjects),
}));
$('folder').append(openFolderButton((files, name) => {
  // A folder without a policy leaves the one being edited as it is.
  if (!Object.keys(files).some((p) => /(^|\/)policy\.ya?ml$/i.test(p))) {
    setText($('status'), `${name} 中没有 policy.yaml`, `no policy.yaml in ${name}`);
    $('status').className = 'status bad';
    return;
  }
  const unsaved = dirtyFiles();
  if (unsaved.length > 0 && !window.confirm(`${L('未保存的修改将丢失：', 'unsaved edits will be lost:')}\n${unsaved.join('\n')}`)) return;
  textDiff.detach();
  workspace.dispose();
  workspace = new Workspace(files);
  saved = new SavedTexts(files);
  choosePolicy(policyFolders(workspace)[0]!);
}, (zh, en) => {
  setText($('status'), zh, en);
  $('status').className = 'status bad';
}));

$('ui-lang').append(langSwitch());
onLangChange(() => {
  showDirty();
  showTeacher();
  // The option lists and the change pane are made with the language's labels.
  if (live) showDiagnostics(live);
  if (result) showResult(result);
});
applyLang(document);
choosePolicy(DEFAULT_POLICY);
loadSample();

/** For the browser test and the curious: the editor and its state. */
(window as unknown as { guize: unknown }).guize = { editor, monaco, get live() { return live; }, get result() { return result; }, get impact() { return impact; }, get explanation() { return explanation; }, get diffEditor() { return textDiff.diffEditor; } };
