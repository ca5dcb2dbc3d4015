// The change-impact pane: the policy as edited against the policy as loaded, over the same
// data. For now the two evaluations' counts and which subjects changed compliance; this module
// is where `guize diff` (engine/diff/) plugs in when it lands.

import { h } from './dom.ts';
import type { Report } from './evaluate-policy.ts';
import type { SubjectJson } from './results-table.ts';

/** Who changed between two reports: subjects compliant before and not after, and the reverse. */
export function compareReports(before: Report, after: Report, key: string, collection: string): { lost: string[]; gained: string[] } {
  const was = new Map(((before[collection] as SubjectJson[] | undefined) ?? []).map((s) => [String(s[key]), s.compliant]));
  const lost: string[] = [];
  const gained: string[] = [];
  for (const s of (after[collection] as SubjectJson[] | undefined) ?? []) {
    const id = String(s[key]);
    const w = was.get(id);
    if (w === true && !s.compliant) lost.push(id);
    if (w === false && s.compliant) gained.push(id);
  }
  return { lost, gained };
}

export function impactView(before: Report | undefined, after: Report | undefined, key: string, collection: string): HTMLElement {
  if (!before || !after) return h('div', { class: 'muted' }, '修改策略后，这里显示变化 / edit the policy to see what changes');
  const c = compareReports(before, after, key, collection);
  const b = before.summary.compliant as number;
  const a = after.summary.compliant as number;
  return h('div', { class: 'impact', 'data-testid': 'impact' },
    h('div', {}, `达标 compliant: 载入时 as loaded ${b} → 修改后 as edited ${a} (${a - b >= 0 ? '+' : ''}${a - b})`),
    c.lost.length ? h('div', {}, `不再达标 no longer compliant: ${c.lost.join(', ')}`) : undefined,
    c.gained.length ? h('div', {}, `新达标 newly compliant: ${c.gained.join(', ')}`) : undefined);
}
