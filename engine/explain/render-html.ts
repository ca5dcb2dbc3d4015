// An explanation as HTML: a self-contained fragment (its own scoped style, no script, no external
// resource; every text escaped) that the diff report embeds per changed subject and the editor
// shows, and a standalone page around it for `guize explain --format html`.

import type { CycleExplanations, Explanation, RecordExplanation, RequirementCheck, ScopeExplanation } from './types.ts';
import { measureStepText, previousText, stepText, traceText, valueText, type Lang } from './render-expr.ts';
import { additionScope, requiredWorthShowing, scopeName, WORDS } from './render-text.ts';

/** Text made safe inside an element or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

const e = escapeHtml;

/** The fragment's style, scoped to its root class so that it changes nothing around it. */
const STYLE = `.guize-explain{font-family:system-ui,sans-serif;line-height:1.45;color:#1d1d1f}
.guize-explain h2{font-size:1.25em;margin:.2em 0}.guize-explain h3{font-size:1.05em;margin:1em 0 .3em}
.guize-explain code{font-family:ui-monospace,monospace;font-size:.92em;white-space:pre-wrap}
.guize-explain table{border-collapse:collapse;margin:.3em 0}.guize-explain td,.guize-explain th{border:1px solid #ddd;padding:.15em .5em;text-align:left;vertical-align:top}
.guize-explain .met{color:#11703b}.guize-explain .violated,.guize-explain .unknown{color:#b3261e;font-weight:600}.guize-explain .not_applicable{color:#777}
.guize-explain .verdict{font-weight:600}.guize-explain .shortfalls li{color:#b3261e}
.guize-explain details{margin:.2em 0}.guize-explain summary{cursor:pointer}.guize-explain .rejected summary,.guize-explain .out_of_scope summary{color:#777}
.guize-explain .disregarded summary{color:#8a5a00}.guize-explain ul{margin:.2em 0;padding-left:1.4em}`;

const MARK: Record<RequirementCheck['status'], string> = { met: '✓', violated: '✗', not_applicable: '–', unknown: '?' };

/** The explanation as an HTML fragment (no `<html>` or `<body>`), in one language. */
export function explanationHtml(doc: Explanation, lang: Lang): string {
  const w = WORDS[lang];
  const p = doc.policy;
  const out: string[] = [];
  out.push(`<section class="guize-explain" lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><style>${STYLE}</style>`);
  const cycle = doc.cycle === undefined ? '' : ` · ${e(w.cycleNamed(doc.cycle))}`;
  out.push(`<h2>${e(w.title)} · ${e(doc.names.subject_key)} ${e(doc.subject.id)}${cycle}</h2>`);
  out.push(`<p>${e(p.id)} ${e(p.version)} · ${e(p.document)}</p>`);
  if (!doc.subject.in_scope) {
    const r = doc.subject.scope_rule;
    out.push(`<p class="verdict">${e(w.outOfScope)}${r ? `: ${e(r.reason[lang])} (${e(r.rule)}, ${e(r.article)})` : ''}</p>`);
  } else if (doc.compliant) {
    out.push(`<p class="verdict met">${e(w.compliant)}</p>`);
  } else {
    out.push(`<p class="verdict violated">${e(w.nonCompliant(doc.shortfalls.length))}</p>`);
    out.push(`<h3>${e(w.lacks)}</h3><ul class="shortfalls">`);
    for (const s of doc.shortfalls) out.push(`<li>${e(s.message[lang])} <small>[${e(s.article)} · ${e(s.version)}]</small></li>`);
    out.push('</ul>');
  }
  if (doc.scopes.length > 0) {
    out.push(`<h3>${e(w.scopes)}</h3>`);
    for (const s of doc.scopes) out.push(scopeHtml(doc, s, lang));
  }
  out.push(`<h3>${e(w.records)} <small>(${e(w.summary(doc.records.summary))})</small></h3>`);
  for (const r of doc.records.rows) out.push(recordHtml(r, doc, lang));
  out.push(`<h3>${e(w.rulesUsed)}</h3><table><tbody>`);
  for (const u of doc.rules) {
    const where = u.written_by ? `${u.written_by.policy} ${u.written_by.version} · ${u.written_by.file}:${u.written_by.line}` : '';
    out.push(`<tr><td>${e(w.kind[u.kind])}</td><td><code>${e(u.item)}</code></td><td>${e(u.version)}</td><td>${e(u.origin ? w.origin[u.origin] : w.noProvenance)}</td><td>${e(where)}</td><td>${e(u.article)}</td></tr>`);
  }
  out.push('</tbody></table></section>');
  return out.join('\n');
}

function scopeHtml(doc: Explanation, s: ScopeExplanation, lang: Lang): string {
  const w = WORDS[lang];
  const title = s.period === null && s.window === undefined && doc.cycle !== undefined ? w.cycleNamed(doc.cycle) : scopeName(s.period, lang, s.name);
  const out = [`<details${s.checks.some((c) => c.status === 'violated' || c.status === 'unknown') ? ' open' : ''}><summary>${e(title)} · ${e(w.version)} ${e(s.version)}</summary>`];
  const measures = doc.measures.map((m) => {
    const v = s.measures[m.id]!;
    const text = typeof v === 'object' ? Object.entries(v).map(([k, x]) => `${k} ${x}`).join(', ') : String(v);
    return `<tr><th>${e(m.label ? m.label[lang] : m.id)}</th><td>${e(text)}</td></tr>`;
  });
  out.push(`<table><tbody>${measures.join('')}</tbody></table>`);
  // In a repeating cycle: where each previous(…) comes from, and the measures that read it, worked out.
  const carried = [...(s.previous ?? []).map((v) => previousText(v, lang)), ...(s.derivations ?? []).map((d) => measureStepText(d, lang))];
  if (carried.length > 0) out.push(`<ul class="previous">${carried.map((t) => `<li><code>${e(t)}</code></li>`).join('')}</ul>`);
  if (s.steps.length > 0) out.push(`<ul>${s.steps.map((st) => `<li><code>${e(stepText(st, lang))}</code></li>`).join('')}</ul>`);
  out.push('<ul>');
  for (const c of s.checks) {
    let detail = '';
    if (c.status === 'not_applicable' && c.when) detail = `<br><code>${e(w.when)}: ${e(traceText(c.when, lang))} = ${e(valueText(c.when.value, lang))}</code>`;
    else if (requiredWorthShowing(c)) detail = `<br><code>${e(w.required)} = ${e(traceText(c.required_trace!, lang))} = ${e(valueText(c.required_trace!.value, lang))}</code>`;
    out.push(`<li class="${c.status}">${MARK[c.status]} ${e(c.message[lang])} <small>[${e(c.article)}]</small>${detail}</li>`);
  }
  out.push('</ul></details>');
  return out.join('');
}

function recordHtml(r: RecordExplanation, doc: Explanation, lang: Lang): string {
  const w = WORDS[lang];
  const date = r.fields?.[doc.names.period_field];
  const head = `${w.line(r.line)} · ${r.key ?? '?'}${typeof date === 'string' ? ` · ${date}` : ''}${r.version ? ` · ${r.version}` : ''} · ${w.status[r.status]}`;
  const out = [`<details class="${r.status}"><summary>${e(head)}${r.outcome ? ` — ${e(r.outcome.reason[lang])}` : ''}</summary><ul>`];
  if (r.outcome) out.push(`<li>${e(r.outcome.rule ?? '')} <small>${e(r.outcome.article)}</small>${r.outcome.when ? `<br><code>${e(w.when)}: ${e(traceText(r.outcome.when, lang))} = ${e(valueText(r.outcome.when.value, lang))}</code>` : ''}</li>`);
  if (r.fields) {
    const fields = Object.entries(r.fields).filter(([, v]) => v !== null).map(([k, v]) => `${k}=${valueText(v, lang)}`);
    out.push(`<li><code>${e(fields.join(' '))}</code></li>`);
  }
  for (const s of r.steps) out.push(`<li><code>${e(stepText(s, lang))}</code> <small>[${e(s.article)}]</small></li>`);
  const adds = r.contributions.filter((c) => !/^-?0(\.0+)?$/.test(c.amount));
  if (adds.length > 0) {
    const list = adds.map((c) => `${c.measure}${c.key === null ? '' : `[${c.key}]`} +${valueText(c.amount, lang)}`).join(', ');
    out.push(`<li>→ ${e(w.into)} ${e(list)}${e(w.inPeriod(additionScope(doc, adds[0]!.period, lang)))}</li>`);
  }
  out.push('</ul></details>');
  return out.join('');
}

/**
 * A repeating cycle's explanation as one HTML fragment: each cycle's {@link explanationHtml} in
 * order, then the subject's rows in no cycle (when there are any), in a section of the same style.
 */
export function explanationsHtml(set: CycleExplanations, lang: Lang): string {
  const out = set.explanations.map((doc) => explanationHtml(doc, lang));
  const rest = set.outside_cycles;
  const first = set.explanations[0];
  if (rest && rest.rows.length > 0 && first) {
    const w = WORDS[lang];
    out.push(`<section class="guize-explain" lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><style>${STYLE}</style>`
      + `<h3>${e(w.noCycle)} <small>(${e(w.summary(rest.summary))})</small></h3>\n${rest.rows.map((r) => recordHtml(r, first, lang)).join('\n')}</section>`);
  }
  return out.join('\n');
}

/** A complete standalone HTML page around {@link explanationsHtml}. */
export function explanationsPage(set: CycleExplanations, lang: Lang): string {
  const doc = set.explanations[0];
  const title = `${WORDS[lang].title} · ${doc ? `${doc.names.subject_key} ` : ''}${set.subject}${doc ? ` · ${doc.policy.id} ${doc.policy.version}` : ''}`;
  return `<!DOCTYPE html>\n<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${e(title)}</title></head><body>\n${explanationsHtml(set, lang)}\n</body></html>\n`;
}

/** A complete standalone HTML page around {@link explanationHtml}. */
export function explanationPage(doc: Explanation, lang: Lang): string {
  const title = `${WORDS[lang].title} · ${doc.names.subject_key} ${doc.subject.id} · ${doc.policy.id} ${doc.policy.version}`;
  return `<!DOCTYPE html>\n<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${e(title)}</title></head><body>\n${explanationHtml(doc, lang)}\n</body></html>\n`;
}
