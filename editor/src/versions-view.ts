// The versions pane (pick one version for everything, or each where it is in force, as
// `DIR@VERSION` does on the command line; a fork's drift warnings) and the provenance pane
// (what a fork inherits, overrides and adds, as `guize check --provenance` lists it).

import { t } from './i18n.ts';
import { h } from './dom.ts';
import type { LiveDiagnostics } from './live-evaluation.ts';

export function versionsView(o: LiveDiagnostics, current: string, pick: (version: string) => void): HTMLElement {
  const select = h('select', { 'aria-label': 'version', 'data-testid': 'version-picker' },
    t('option', { value: '' }, '各版本按生效日期', 'each version where in force'),
    ...o.versions.map((v) => t('option', { value: v.version, ...(v.version === current ? { selected: '' } : {}) }, `只用 ${v.version}`, `only ${v.version}`)));
  select.addEventListener('change', () => pick(select.value));
  const drift = o.diagnostics.filter((d) => d.code.includes('drift'));
  return h('div', {},
    h('label', {}, t('span', {}, '版本：', 'version: '), select),
    h('ul', { class: 'versions' }, ...o.versions.map((v) => h('li', {},
      h('b', {}, `${v.policy} ${v.version}`), v.hypothetical ? t('span', {}, '（假设）', ' (hypothetical)') : '',
      t('span', {}, ` 自 ${v.effective}${v.until ? ` 至 ${v.until}` : ''} · ${v.document}`, ` from ${v.effective}${v.until ? ` until ${v.until}` : ''} · ${v.document}`),
      v.change ? h('div', { class: 'muted' }, v.change.replace(/\s+/g, ' ')) : undefined))),
    drift.length === 0 ? t('div', { class: 'muted' }, '无漂移警告', 'no drift warnings')
      : h('ul', { class: 'drift', 'data-testid': 'drift' }, ...drift.map((d) => h('li', {}, `${d.file}:${d.line}: ${d.zh} / ${d.message}`))));
}

const ORIGIN: Record<string, readonly [string, string]> = { own: ['本策略', 'own'], inherited: ['继承', 'inherited'], overridden: ['覆盖', 'overridden'] };

export function provenanceView(o: LiveDiagnostics, reveal: (file: string, line: number) => void): HTMLElement {
  if (o.provenance.length === 0) return t('div', { class: 'muted' }, '策略有错误时没有来源', 'no provenance while the policy has errors');
  return h('table', { class: 'provenance', 'data-testid': 'provenance' },
    h('thead', {}, h('tr', {}, ...([['来源', 'origin'], ['项目', 'item'], ['值', 'value'], ['版本', 'version'], ['位置', 'where'], ['条款', 'article']] as const).map(([zh, en]) => t('th', {}, zh, en)))),
    h('tbody', {}, ...o.provenance.map((e) => {
      const where = h('a', { href: '#' }, `${e.file}:${e.line}`);
      where.addEventListener('click', (ev) => {
        ev.preventDefault();
        reveal(e.file, e.line);
      });
      return h('tr', { class: e.origin }, t('td', {}, ORIGIN[e.origin]?.[0] ?? e.origin, ORIGIN[e.origin]?.[1] ?? e.origin), h('td', {}, e.item), h('td', {}, e.value ?? ''),
        h('td', {}, `${e.policy} ${e.version}`), h('td', {}, where), h('td', {}, e.cites.join('; ')));
    })));
}
