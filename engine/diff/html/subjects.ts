// The changed subjects: a sortable, filterable table (one row each, at most `cap` of them), and
// under it one <details> per listed subject — its status and violations on each side, its measure
// changes, and its explanation (`guize explain`'s fragment) when one is given. The table's id
// links to the subject's details.

import type { ChangedSubject, DiffJson, DiffViolation } from '../diff-json.ts';
import { escapeHtml } from './escape.ts';
import { deltaSign, deltaText, labelHtml, numberText, ruleText, statusClass, statusLabel } from './format.ts';
import { bilingual, LABELS, TRANSITIONS, transitionLabel, type Label } from './labels.ts';
import { html, num, tableHtml, text, truncationNote, type Cell, type Column } from './table.ts';

/** The subject's id: the member named by the document's subject key, as text. */
export function subjectId(doc: DiffJson, subject: ChangedSubject): string {
  const id = subject[doc.subject_key];
  return typeof id === 'string' ? id : id === undefined || id === null ? '' : String(id);
}

/** The subject as the page names it: its id, and in a repeating cycle the cycle compared (`P1001 2021-2022`). */
export function subjectLabel(doc: DiffJson, subject: ChangedSubject): string {
  return subject.cycle === undefined ? subjectId(doc, subject) : `${subjectId(doc, subject)} ${subject.cycle}`;
}

/** The anchor of the n-th listed subject (by position: ids from files are not safe as anchors). */
export function subjectAnchor(index: number): string {
  return `subject-${index + 1}`;
}

/** A violation's identity across the sides: rule, loop key and period (or window). */
function violationKey(v: DiffViolation): string {
  return JSON.stringify([v.rule, v.key, v.year, v.window ?? null]);
}

function violationsHtml(violations: readonly DiffViolation[], other: readonly DiffViolation[], onlyHere: { zh: string; en: string }, className: string): string {
  if (violations.length === 0) return `<p class="muted">${labelHtml(LABELS.none)}</p>`;
  const elsewhere = new Set(other.map(violationKey));
  const items = violations.map((v) => {
    const tag = elsewhere.has(violationKey(v)) ? '' : `<span class="tag ${className}">${labelHtml(onlyHere)}</span>`;
    const where = [ruleText(v.rule, v.article), v.key, v.window ?? (v.year === null ? null : String(v.year))].filter((x) => x !== null).join(' · ');
    const numbers = v.actual === null && v.required === null ? ''
      : ` <span class="muted">(${escapeHtml(bilingual(LABELS.actual))} ${escapeHtml(numberText(v.actual))}, ${escapeHtml(bilingual(LABELS.required))} ${escapeHtml(numberText(v.required))})</span>`;
    return `<li>${tag}<strong>${escapeHtml(where)}</strong>${numbers}<br>${escapeHtml(v.message)}</li>`;
  }).join('\n');
  return `<ul>\n${items}\n</ul>`;
}

function measuresTable(subject: ChangedSubject): string {
  const entries = Object.entries(subject.measures);
  if (entries.length === 0) return '';
  const rows = entries.map(([measure, m]) => {
    const sign = deltaSign(m.delta);
    return `<tr><td>${escapeHtml(measure)}</td><td class="n">${escapeHtml(numberText(m.base))}</td><td class="n">${escapeHtml(numberText(m.head))}</td>`
      + `<td class="n${sign > 0 ? ' up' : sign < 0 ? ' down' : ''}">${escapeHtml(deltaText(m.delta))}</td></tr>`;
  }).join('\n');
  return `<table>\n<thead><tr><th>${labelHtml(LABELS.measure)}</th><th class="n">${labelHtml(LABELS.base)}</th><th class="n">${labelHtml(LABELS.head)}</th>`
    + `<th class="n">${labelHtml(LABELS.delta)}</th></tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
}

/** A subject's details: the anchor its row links to. */
function detailsHtml(doc: DiffJson, subject: ChangedSubject, index: number, explanation: string | undefined): string {
  const id = subjectLabel(doc, subject);
  const label = transitionLabel(subject.transition);
  const side = (name: Label, standing: ChangedSubject['base'], other: ChangedSubject['base'], onlyHere: { zh: string; en: string }, tagClass: string) =>
    `<div><h4>${labelHtml(name)}: <span class="${statusClass(standing)}">${labelHtml(statusLabel(standing))}</span></h4>\n`
    + `${violationsHtml(standing.violations, other.violations, onlyHere, tagClass)}</div>`;
  const explained = explanation === undefined ? ''
    : `\n<div class="explanation"><h4>${labelHtml(LABELS.explanation)}</h4>\n${explanation}\n</div>`;
  return `<details class="subject" id="${subjectAnchor(index)}">\n<summary>${escapeHtml(id)} — ${labelHtml(label)}</summary>\n`
    + `<div class="pair">\n${side(LABELS.base, subject.base, subject.head, { zh: '已消除', en: 'resolved' }, 'ok')}\n`
    + `${side(LABELS.head, subject.head, subject.base, { zh: '新增', en: 'new' }, 'bad')}\n</div>\n`
    + `${measuresTable(subject)}${explained}\n</details>`;
}

/** A short summary of a subject's measure changes for its row: `credits +12.5; hours -6`. */
function measureSummary(subject: ChangedSubject): string {
  return Object.entries(subject.measures).map(([measure, m]) => `${measure} ${deltaText(m.delta)}`).join('; ');
}

/**
 * The changed subjects section. `cap` bounds the rows and details written (a province-wide diff
 * may change 100k subjects: the page stays usable, and a note says how many more the JSON holds).
 * `explanations` maps a subject id to an HTML fragment, inserted as it is: it must be markup the
 * caller built and escaped (explanationHtml).
 */
export function subjectsSection(doc: DiffJson, cap: number, explanations: ReadonlyMap<string, string> | undefined): string {
  const all = doc.changed;
  const listed = all.slice(0, cap);
  const groupFields = [...new Set(listed.flatMap((s) => Object.keys(s.groups ?? {})))];
  const columns: Column[] = [
    { label: doc.subject_key }, { label: LABELS.transition },
    ...groupFields.map((g) => ({ label: g })),
    { label: `${bilingual(LABELS.status)} (${bilingual(LABELS.base)})` }, { label: `${bilingual(LABELS.status)} (${bilingual(LABELS.head)})` },
    { label: LABELS.violationsBaseHead, numeric: true }, { label: LABELS.measures },
  ];
  const rows = listed.map((s, i): Cell[] => [
    html(`<a href="#${subjectAnchor(i)}">${escapeHtml(subjectLabel(doc, s))}</a>`),
    html(labelHtml(transitionLabel(s.transition)), TRANSITIONS.indexOf(s.transition)),
    ...groupFields.map((g) => text(s.groups?.[g] ?? '—')),
    html(`<span class="${statusClass(s.base)}">${labelHtml(statusLabel(s.base))}</span>`),
    html(`<span class="${statusClass(s.head)}">${labelHtml(statusLabel(s.head))}</span>`),
    num(s.head.violations.length - s.base.violations.length, `${s.base.violations.length} → ${s.head.violations.length}`),
    text(measureSummary(s)),
  ]);
  const present = TRANSITIONS.filter((t) => listed.some((s) => s.transition === t));
  const options = [`<option value="">${escapeHtml(bilingual(LABELS.all))}</option>`,
    ...present.map((t) => `<option value="${t}">${escapeHtml(bilingual(transitionLabel(t)))}</option>`)].join('');
  const controls = listed.length === 0 ? '' : `<div class="controls">`
    + `<label>${labelHtml(LABELS.transition)} <select id="transition-filter">${options}</select></label>`
    + `<label>${labelHtml(LABELS.search)} <input id="id-filter" type="search"></label>`
    + `<span class="muted"><span id="shown-count">${listed.length}</span> / ${listed.length}</span></div>`;
  const table = listed.length === 0 ? `<p class="note">${labelHtml(LABELS.noData)}</p>`
    : tableHtml(columns, rows, { sortable: true, cap, id: 'changed-table', rowAttributes: (i) => ` data-transition="${escapeHtml(listed[i]!.transition)}"` });
  const note = all.length > listed.length ? truncationNote(LABELS.truncatedSubjects, listed.length, all.length - listed.length) : '';
  const details = listed.map((s, i) => detailsHtml(doc, s, i, explanations?.get(subjectId(doc, s)))).join('\n');
  return `<h2 id="changed">${labelHtml(LABELS.changedSubjects)} <span class="muted">(${all.length})</span></h2>\n${note}\n${controls}\n${table}\n`
    + `<h3>${labelHtml(LABELS.details)}</h3>\n${details}`;
}
