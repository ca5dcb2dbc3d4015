// Stage 4 of the policy pipeline: PolicyAst → CheckedPolicy. The checks run in the order of this
// file's `checkPolicy`; later checks rely on earlier ones (rule checks assume declared units and
// well-formed tables), so a failing stage stops the ones after it.

import type { OutcomeStmt } from './ast.ts';
import type { CheckedPolicy } from './checked.ts';
import { checkDeclarations } from './check-declarations.ts';
import { checkLabels } from './check-labels.ts';
import { RuleChecker } from './check-rules.ts';
import { DiagnosticBag, type StageResult } from './diagnostics.ts';
import { labelPlaceholders } from './labels.ts';
import type { PolicyAst, SubjectScopeDecl } from './policy.ts';
import { forEachExpr } from './walk.ts';
import type { Span } from './source.ts';

/** How to check a policy. */
export interface CheckOptions {
  /**
   * A combination of versions (combine-versions.ts): outcome rules and requirements may have
   * variants sharing an id, one per version, and nothing is said of use (each version was
   * checked, and warned about, on its own).
   */
  readonly combined?: boolean;
}

/** Checks a parsed policy: declarations, then ids, then rules (names, types, units), then use. */
export function checkPolicy(p: PolicyAst, options: CheckOptions = {}): StageResult<CheckedPolicy> {
  const bag = new DiagnosticBag();
  // 1. Declarations (units, fields, tables, settings, cycle) — the rules depend on them.
  checkDeclarations(p, bag);
  // 2. Ids are unique: forks override and diffs match by id.
  checkIds(p, bag, options.combined === true);
  if (bag.hasErrors) return bag.fail();
  // 3. Rules: names, types, units, dependencies.
  const rules = new RuleChecker(p, bag);
  rules.run();
  // 3b. A fork's subject scope is decided per subject: it may read only what a subject has.
  if (p.subjectScope) checkSubjectScope(p, p.subjectScope, bag);
  // 4. Names that become keys of the report must not overwrite the report's own keys.
  checkOutputNames(p, bag);
  // 5. Labels: placeholders name something with a value; numbers written out that should not be.
  checkLabels(p, bag, !options.combined);
  // 6. Declarations nothing uses: likely a typo or a leftover. Only said of a policy with no
  // errors: after one, parts of the rules go unchecked and what they use would look unused.
  if (!bag.hasErrors && !options.combined) {
    for (const d of [...p.parameters, ...p.settings, ...p.tables]) {
      if (!rules.used.has(d.id)) bag.warning('unused', d.span, `'${d.id}' is declared but no rule uses it`, `'${d.id}' 已声明，但没有规则使用它`);
    }
    checkUnusedColumns(p, rules.used, rules.usedColumns, bag);
  }
  return bag.result({
    ast: p,
    lets: rules.lets,
    outcomes: p.rules.statements.filter((s): s is OutcomeStmt => s.kind === 'outcome'),
    measures: rules.measures,
    requirements: rules.requirements,
    types: rules.types,
    names: rules.names,
    bandCalls: rules.bandCalls,
    periodSums: rules.periodSums,
    previousCalls: rules.previousCalls,
  });
}

/**
 * A column of a table the rules use that neither a rule nor a label reads: a leftover, or a
 * column a rule was meant to read. (An unused table is already `unused` as a whole.)
 */
function checkUnusedColumns(p: PolicyAst, usedTables: ReadonlySet<string>, usedColumns: ReadonlySet<string>, bag: DiagnosticBag): void {
  const inLabels = new Set<string>();
  for (const s of p.rules.statements) {
    if ((s.kind === 'require' || s.kind === 'measure') && s.label !== undefined) {
      for (const h of labelPlaceholders(s.label)) if (h.cell) inLabels.add(`${h.name}.${h.cell.column}`);
    }
  }
  for (const t of p.tables) {
    if (!usedTables.has(t.id)) continue;
    for (const c of t.columns) {
      const key = `${t.id}.${c.name}`;
      if (usedColumns.has(key) || inLabels.has(key)) continue;
      bag.warning('unused-column', c.span, `column '${c.name}' of table '${t.id}' is declared but no rule or label reads it`,
        `表 '${t.id}' 的列 '${c.name}' 已声明，但没有规则或标签读取它`, `read it as ${t.kind === 'keyed' ? `${t.id}[key].${c.name}` : `${t.id}(value).${c.name}`}, or remove the column and its cells`);
    }
  }
}

/**
 * The report names things after the policy (its subject key, measures, period): a name that is
 * also a key the report itself writes would silently overwrite it.
 */
function checkOutputNames(p: PolicyAst, bag: DiagnosticBag): void {
  const clash = (name: string, span: Span, taken: readonly string[], where: string, whereZh: string) => {
    if (taken.includes(name)) {
      bag.error('output-name-clash', span, `'${name}' would overwrite the report's own '${name}' in ${where}`,
        `'${name}' 会覆盖报告中${whereZh}自带的 '${name}'`, 'choose another name');
    }
  };
  // Each subject's entry: its own keys, then one key per measure and per other subject field.
  // A repeating cycle names each result's cycle (`"cycle": "2019-2020"`).
  const ownKeys = [p.subject.key, 'compliant', 'violations', 'records', ...(p.cycle.every === undefined ? [] : ['cycle'])];
  clash(p.period.collection, p.period.span, ownKeys, `each of ${p.subject.collection}`, `每个${p.subject.collection}条目`);
  const entryKeys = [...ownKeys, p.period.collection];
  const placed = [...entryKeys];
  for (const f of p.subject.fields) {
    if (f.id === p.subject.key) continue;
    clash(f.id, f.span, placed, `each of ${p.subject.collection}`, `每个${p.subject.collection}条目`);
    placed.push(f.id);
  }
  for (const s of p.rules.statements) {
    if (s.kind !== 'measure') continue;
    clash(s.id, s.idSpan, placed, `each of ${p.subject.collection}`, `每个${p.subject.collection}条目`);
    placed.push(s.id);
  }
  clash(p.period.name, p.period.span, ['rule', 'key', 'article', 'actual', 'required', 'message'], 'each violation', '每条未达标记录');
  for (const key of [p.record.key, p.subject.key]) {
    clash(key, p.record.keySpan, ['file', 'line', 'reason', 'rule', 'article'], 'each rejected row', '每条拒收记录');
  }
  clash(p.subject.collection, p.subject.span, [
    'policy', 'rejected', 'summary', 'rows_read', 'evaluated', 'disregarded', 'out_of_scope', 'compliant', 'non_compliant',
    'disregarded_by_rule', 'rejected_by_rule', 'out_of_scope_by_rule', 'violations_by_rule',
  ], 'the top level or the summary', '顶层或汇总');
}

function checkSubjectScope(p: PolicyAst, scope: SubjectScopeDecl, bag: DiagnosticBag): void {
  const perRecord = new Set([...p.record.fields.map((f) => f.id), ...p.rules.statements.filter((s) => s.kind !== 'outcome' && s.kind !== 'require').map((s) => s.id)]);
  const subjectFields = new Set(p.subject.fields.map((f) => f.id));
  forEachExpr(scope.where, (e) => {
    const name = e.kind === 'name' && perRecord.has(e.name) && !subjectFields.has(e.name) ? e.name : e.kind === 'aggregate' ? e.op : undefined;
    if (name === undefined) return;
    bag.error('scope-not-subject', e.span, `the subjects condition reads '${name}', which is not a fact of the ${p.subject.collection} file`,
      `适用对象条件读取了 '${name}'，它不是${p.subject.collection}文件中的字段`,
      `it may read ${p.subject.collection} fields (${p.subject.fields.map((f) => f.id).join(', ')}), parameters, settings and tables`);
  });
}

function checkIds(p: PolicyAst, bag: DiagnosticBag, variants: boolean): void {
  const seen = new Map<string, Span>();
  const seenAs = new Map<string, string>();
  const claim = (id: string, span: Span, what: string, whatZh: string) => {
    const first = seen.get(id);
    // Versions' variants of one outcome rule or requirement share its id.
    if (first && variants && seenAs.get(id) === what && ['require', 'reject', 'exclude', 'disregard'].includes(what)) return;
    if (first) {
      bag.error('duplicate-id', span, `${what} '${id}' reuses the id of a ${seenAs.get(id)} declared earlier`,
        `${whatZh} '${id}' 与前面声明的标识重复`, 'every parameter, setting, table and rule needs its own id');
    } else {
      seen.set(id, span);
      seenAs.set(id, what);
    }
  };
  const kindZh: Record<string, string> = { let: '取值', measure: '指标', require: '要求', reject: '拒收规则', exclude: '排除规则', disregard: '不计规则' };
  for (const x of p.parameters) claim(x.id, x.span, 'parameter', '参数');
  for (const x of p.settings) claim(x.id, x.span, 'setting', '设置');
  for (const x of p.tables) claim(x.id, x.span, 'table', '表');
  for (const s of p.rules.statements) {
    const kind = s.kind === 'outcome' ? s.outcome : s.kind;
    claim(s.id, s.idSpan, kind, kindZh[kind] ?? '规则');
  }
  // Lets are read per record next to the fields: they must not hide one.
  for (const s of p.rules.statements) {
    if (s.kind === 'let' && [...p.record.fields, ...p.subject.fields].some((f) => f.id === s.id)) {
      bag.error('let-hides-field', s.idSpan, `let '${s.id}' has the name of a field`, `let '${s.id}' 与字段同名`, 'choose another name');
    }
  }
}
