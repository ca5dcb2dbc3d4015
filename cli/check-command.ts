// `guize check`: load and check a policy, print its diagnostics and a summary line (or, with
// `--format json`, the document of cli/check-json.ts).

import { statSync } from 'node:fs';
import { MAX_DIAGNOSTICS, provenanceOf, type ProvenanceEntry } from '../dsl/index.ts';
import { checkJson } from './check-json.ts';
import { asFileFailure } from './file-errors.ts';
import { parseCommandArgs } from './args.ts';
import { InputFailure, type Io } from './io.ts';
import { diskFiles, loadPolicyAt, policyArgument } from './load-policy.ts';
import { policyMappings } from './mappings.ts';
import { loadPolicySetCached } from './policy-cache.ts';
import { displayWidth } from '../dsl/text-width.ts';

export async function checkCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: { policy: { type: 'string' }, 'as-of': { type: 'string' }, provenance: { type: 'boolean' }, format: { type: 'string' } },
  });
  if (!values.policy) throw new InputFailure('需要 --policy / --policy is required');
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new InputFailure(`--format 应为 table 或 json / --format must be table or json, not '${format}'`);
  const { path, choice } = policyArgument(values.policy, values['as-of']);
  if (format === 'json') {
    // Diagnostics as data on standard output, whatever they are; the exit code says if any is an error.
    try {
      statSync(path);
    } catch (e) {
      throw asFileFailure(e, path);
    }
    const doc = checkJson(loadPolicySetCached(diskFiles, path, choice), MAX_DIAGNOSTICS, values.provenance === true);
    io.out(`${JSON.stringify(doc, null, 2)}\n`);
    return doc.ok ? 0 : 2;
  }
  const loaded = loadPolicyAt(path, choice, io);
  if (!loaded) return 2;
  const mappings = policyMappings(loaded, io);
  if (mappings === undefined) return 2;
  const { versions, chosen } = loaded.set;
  const last = versions[versions.length - 1]!.ast;
  for (const v of versions) {
    const p = v.ast;
    const mark = chosen === undefined ? '✓' : p.version === chosen ? '→' : ' ';
    const until = p.until === undefined ? '' : ` 至 until ${p.until}`;
    const tags = p.hypothetical ? '（假设 hypothetical）' : '';
    io.out(`${mark} ${p.id} ${p.version}${tags}: 自 from ${p.effective}${until} · ${p.document} · ${p.rules.statements.length} 条规则 rules, ${p.parameters.length} 个参数 parameters, ${p.tables.length} 张表 tables\n`);
    if (p.change) io.out(`    ${p.change.replace(/\s+/g, ' ')}\n`);
  }
  for (const m of mappings) io.out(`输入映射 input mapping ${m.id}: ${m.title} · ${m.file}\n`);
  if (chosen !== undefined) io.out(`只用此版本 / this version only: ${chosen} (${last.id})\n`);
  const first = versions[0]!.ast;
  if (first.beforeEffective === undefined) {
    // Before versions, a policy ran over every record whatever its date: say what keeps that.
    io.out(`注意 / note: 此策略没有 before_effective：早于生效日期 ${first.effective} 的记录不在适用范围内（旧版 guize 会计算它们）；`
      + `如需照旧计算，请在 ${first.file} 中写 before_effective: { value: evaluate, cite: … }\n`
      + `  this policy has no before_effective: records dated before its effective date ${first.effective} are out of scope (guize before versions evaluated them); `
      + `to keep the old results, write before_effective: { value: evaluate, cite: … } in ${first.file}\n`);
  }
  if (values.provenance) {
    // The version chosen, or else the latest: what is in force now.
    const v = versions.find((x) => x.ast.version === chosen) ?? versions[versions.length - 1]!;
    const sources = new Map(Object.entries(loaded.sources).map(([name, text]) => [name, { name, text }]));
    const entries = provenanceOf(v.ast, loaded.set.origins, sources);
    io.out(provenanceTable(v.ast.version, entries));
  }
  return 0;
}

const ORIGIN_ZH: Record<ProvenanceEntry['origin'], string> = { own: '本策略', inherited: '继承', overridden: '覆盖' };

/** Provenance for people: one line per item, columns aligned by display width. */
function provenanceTable(version: string, entries: readonly ProvenanceEntry[]): string {
  const rows = entries.map((e) => [
    `${ORIGIN_ZH[e.origin]} ${e.origin}`, e.item, e.value ?? '', `${e.policy} ${e.version}`, `${e.file}:${e.line}`, e.cites.join('; '),
  ]);
  const head = ['来源 origin', '项目 item', '值 value', '版本 version', '位置 where', '条款 article'];
  const widths = head.map((h, k) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[k]!))));
  const line = (r: readonly string[]) => r.map((c, k) => (k === r.length - 1 ? c : c + ' '.repeat(widths[k]! - displayWidth(c)))).join('  ').trimEnd();
  return `\n来源 / provenance — ${version}\n${[head, ...rows].map(line).join('\n')}\n`;
}
