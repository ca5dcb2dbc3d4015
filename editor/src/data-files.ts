// Choosing the data: the bundled sample, or local files (records, and optionally the subjects
// file) picked or dropped on the page. Files are read in the worker; nothing leaves the machine.

import { h } from './dom.ts';
import { t } from './i18n.ts';

export interface DataHandlers {
  sample(): void;
  files(records: File | undefined, subjects: File | undefined): void;
}

/**
 * Which dropped or picked file is which: a file whose name says subjects or teachers (or the
 * policy's collection) is the subjects file; the other is the records.
 */
export function sortFiles(files: readonly File[]): { records: File | undefined; subjects: File | undefined } {
  const isSubjects = (f: File) => /teacher|subject|教师/i.test(f.name);
  return { records: files.find((f) => !isSubjects(f)), subjects: files.find(isSubjects) };
}

export function dataControls(dropTarget: HTMLElement, on: DataHandlers): HTMLElement[] {
  const sampleButton = t('button', { type: 'button', title: 'policies/lincang/sample/', 'data-testid': 'sample' }, '示例数据', 'sample');
  sampleButton.addEventListener('click', () => on.sample());
  const records = h('input', { type: 'file', accept: '.csv,.ndjson,.jsonl,.json', 'data-testid': 'records-file' });
  const subjects = h('input', { type: 'file', accept: '.csv,.ndjson,.jsonl,.json', 'data-testid': 'subjects-file' });
  records.addEventListener('change', () => on.files(records.files?.[0], subjects.files?.[0]));
  subjects.addEventListener('change', () => on.files(records.files?.[0], subjects.files?.[0]));
  dropTarget.addEventListener('dragover', (e) => {
    if (e.dataTransfer?.types.includes('Files')) {
      e.preventDefault();
      dropTarget.classList.add('dropping');
    }
  });
  dropTarget.addEventListener('dragleave', () => dropTarget.classList.remove('dropping'));
  dropTarget.addEventListener('drop', (e) => {
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    e.preventDefault();
    dropTarget.classList.remove('dropping');
    const sorted = sortFiles(files);
    on.files(sorted.records, sorted.subjects);
  });
  return [sampleButton,
    h('label', { title: 'CSV / NDJSON' }, t('span', {}, '记录', 'records'), ' ', records),
    h('label', { title: 'CSV / NDJSON' }, t('span', {}, '教师', 'teachers'), ' ', subjects),
    t('span', { class: 'muted' }, '（或拖放文件）', '(or drop files)'),
    h('span', { id: 'data-name', class: 'muted' }),
    h('span', { id: 'progress', class: 'muted', 'data-testid': 'progress' })];
}
