// The editor page: Monaco on the policy's files, the live results beside it, a worker that
// evaluates each edit. State lives here; each pane is a module of its own.

import './style.css';
import { monaco } from './monaco.ts';
import { bundledPolicies, DEFAULT_POLICY, sample, sourceDocuments } from './bundled.ts';
import { h } from './dom.ts';
import type { EvaluationOutcome, Report } from './evaluate-policy.ts';
import { impactView } from './impact.ts';
import { registerLanguages, POLICY_LANGUAGE } from './languages.ts';
import { registerLanguageFeatures } from './language-features.ts';
import { setMarkers, problemsView } from './markers.ts';
import { ResultsTable, summaryView, type SubjectJson } from './results-table.ts';
import { renderSubject } from './teacher-view.ts';
import { articleText } from './articles.ts';
import { WorkerClient } from './worker-client.ts';
import { policyFolders, Workspace } from './workspace.ts';
import { openFolderButton } from './folder.ts';
import { dataControls } from './data-files.ts';
import { provenanceView, versionsView } from './versions-view.ts';

const encoder = new TextEncoder();
registerLanguages(monaco);

const $ = (id: string) => document.getElementById(id)!;

let workspace = new Workspace(bundledPolicies);
let policyPath = DEFAULT_POLICY;
/** '' : every version where it is in force; else one version for everything. */
let versionChoice = '';
let live: EvaluationOutcome | undefined;
let baseline: EvaluationOutcome | undefined;
let selected: string | undefined;

const editor = monaco.editor.create($('editor'), {
  automaticLayout: true, minimap: { enabled: false }, fontSize: 13, wordWrap: 'off', glyphMargin: true,
  fixedOverflowWidgets: true, theme: 'vs',
});

const tabs = $('tabs');
const results = new ResultsTable($('results'), (s) => selectSubject(s));

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

registerLanguageFeatures(monaco, { outcome: () => live ?? baseline, workspace: () => workspace, policyPath: () => policyPath, articleText: articleLookup });

function showTabs(): void {
  const files = workspace.filesOf(policyPath);
  const current = editor.getModel()?.uri.path.slice(1);
  tabs.replaceChildren(...files.map((f) => {
    const b = h('button', { class: f === current ? 'tab active' : 'tab', 'data-file': f, title: f }, f.slice(policyPath.length + 1) || f);
    b.addEventListener('click', () => openFile(f));
    return b;
  }));
}

function openFile(path: string, line?: number, column?: number): void {
  const model = workspace.model(monaco, path, POLICY_LANGUAGE);
  if (editor.getModel() !== model) editor.setModel(model);
  if (line !== undefined) {
    editor.revealLineInCenter(line);
    editor.setPosition({ lineNumber: line, column: column ?? 1 });
    editor.focus();
  }
  showTabs();
}

function evaluateLive(): void {
  client.evaluateSoon(() => workspace.texts(), policyPath, choice());
}

function evaluateBoth(): void {
  client.evaluate('baseline', workspace.originals(), policyPath, choice());
  client.evaluate('live', workspace.texts(), policyPath, choice());
}

function selectSubject(s: SubjectJson): void {
  const key = live?.subject?.key ?? 'id';
  selected = String(s[key]);
  $('teacher').replaceChildren(renderSubject(s, { key, articleText: articleLookup }));
}

function showOutcome(o: EvaluationOutcome): void {
  setMarkers(monaco, workspace, o.diagnostics);
  $('problems').replaceChildren(problemsView(o.diagnostics, (d) => openFile(d.file, d.line, d.column)));
  const status = $('status');
  const errors = o.diagnostics.filter((d) => d.severity === 'error').length;
  if (o.report && o.subject) {
    status.textContent = `已评估 evaluated in ${o.milliseconds.toFixed(0)} ms`;
    status.className = 'status ok';
    $('summary').replaceChildren(summaryView(o.report, o.subject.collection));
    results.show(o.report, o.subject.key, o.subject.collection);
    const subjects = (o.report[o.subject.collection] as SubjectJson[] | undefined) ?? [];
    const again = subjects.find((s) => String(s[o.subject!.key]) === selected);
    if (again) selectSubject(again);
  } else {
    status.textContent = o.inputError ?? `策略有 ${errors} 处错误，未评估 / the policy has ${errors} error(s); nothing was evaluated`;
    status.className = 'status bad';
  }
  $('warnings').replaceChildren(...o.inputWarnings.map((w) => h('div', {}, `警告 warning: ${w}`)));
  showImpact();
  $('versions').replaceChildren(versionsView(o, versionChoice, (v) => {
    versionChoice = v;
    evaluateBoth();
  }));
  $('provenance').replaceChildren(provenanceView(o, (file, line) => openFile(file, line)));
}

function showImpact(): void {
  const key = live?.subject?.key ?? 'id';
  const collection = live?.subject?.collection ?? 'subjects';
  $('impact').replaceChildren(impactView(baseline?.report as Report | undefined, live?.report as Report | undefined, key, collection));
}

const client = new WorkerClient({
  result(purpose, outcome) {
    if (purpose === 'baseline') {
      baseline = outcome;
      showImpact();
      return;
    }
    live = outcome;
    showOutcome(outcome);
  },
  progress(stage, name, done, total) {
    const pct = total > 0 ? Math.floor((100 * done) / total) : 100;
    $('progress').textContent = `${stage === 'reading' ? '读取 reading' : '评估 evaluating'} ${name}: ${pct}% (${(done / 1048576).toFixed(1)} / ${(total / 1048576).toFixed(1)} MiB)`;
  },
  dataLoaded(records, subjects, bytes) {
    $('progress').textContent = '';
    $('data-name').textContent = `${records}${subjects ? ` + ${subjects}` : ''} (${(bytes / 1024).toFixed(0)} KiB)`;
    evaluateBoth();
  },
  failure(message) {
    const status = $('status');
    status.textContent = `内部错误 internal error: ${message}`;
    status.className = 'status bad';
  },
});

function choosePolicy(path: string): void {
  policyPath = path;
  versionChoice = '';
  const select = $('policy') as HTMLSelectElement;
  select.replaceChildren(...policyFolders(workspace).map((p) => h('option', { value: p, ...(p === path ? { selected: '' } : {}) }, p)));
  openFile(workspace.filesOf(path)[0]!);
  evaluateBoth();
}

($('policy') as HTMLSelectElement).addEventListener('change', (e) => choosePolicy((e.target as HTMLSelectElement).value));

editor.onDidChangeModelContent(() => evaluateLive());

function loadSample(): void {
  client.setData({ name: sample.records.name, bytes: encoder.encode(sample.records.text) }, { name: sample.teachers.name, bytes: encoder.encode(sample.teachers.text) });
}

$('data').append(...dataControls(document.body, {
  sample: loadSample,
  files: (records, subjects) => client.setFiles(records, subjects),
}));
$('folder').append(openFolderButton((files, name) => {
  workspace.dispose();
  workspace = new Workspace(files);
  const folders = policyFolders(workspace);
  if (folders.length === 0) {
    $('status').textContent = `${name} 中没有 policy.yaml / no policy.yaml in ${name}`;
    return;
  }
  choosePolicy(folders[0]!);
}));

choosePolicy(DEFAULT_POLICY);
loadSample();

/** For the browser test and the curious: the editor and its state. */
(window as unknown as { guize: unknown }).guize = { editor, monaco, get live() { return live; }, get baseline() { return baseline; } };
