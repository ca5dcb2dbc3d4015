// What the editor knows of the names in a policy, for completion, hover and go to definition:
// every declaration of every version, read from the policy as edited (the last version that
// loads without errors is kept, so typing a half-finished line does not empty the lists).

import { loadPolicySet, memoryFiles, reservedWords, type PolicyAst, type Span, type Statement } from './dsl.ts';

/** A name the rules can use, with what hover says of it and where it is declared. */
export interface NameInfo {
  readonly name: string;
  readonly kind: 'parameter' | 'setting' | 'table' | 'record field' | 'subject field' | 'enum value' | 'let' | 'measure' | 'requirement' | 'outcome' | 'unit';
  /** The value in force, as written (parameters, settings). */
  readonly value: string | undefined;
  readonly unit: string | undefined;
  readonly cites: readonly string[];
  readonly note: string | undefined;
  /** More to say (a table's columns and rows, a rule's label, a field's values). */
  readonly detail: string | undefined;
  readonly span: Span;
  /** The version that has it so (a name may differ between versions: each is listed). */
  readonly version: string;
}

/** The names of a policy, and the keys and columns of each table. */
export interface PolicyIndex {
  /** Each name's declarations, one per version that differs, earliest first. */
  readonly names: ReadonlyMap<string, readonly NameInfo[]>;
  readonly tableKeys: ReadonlyMap<string, readonly string[]>;
  readonly tableColumns: ReadonlyMap<string, readonly string[]>;
  readonly keywords: readonly string[];
  /** The statements written in each file, for formatting. */
  readonly statements: ReadonlyMap<string, readonly Statement[]>;
}

type Names = Map<string, NameInfo[]>;

function add(names: Names, info: Omit<NameInfo, 'version'>, version: string): void {
  const list = names.get(info.name) ?? [];
  // The same declaration inherited unchanged by a later version is listed once.
  if (!list.some((x) => x.span.file === info.span.file && x.span.start === info.span.start && x.value === info.value)) list.push({ ...info, version });
  names.set(info.name, list);
}

function indexVersion(p: PolicyAst, names: Names, keys: Map<string, string[]>, columns: Map<string, string[]>, statements: Map<string, Statement[]>): void {
  for (const u of p.units) add(names, { name: u.id, kind: 'unit', value: undefined, unit: undefined, cites: [], note: `${u.zh} / ${u.en}`, detail: undefined, span: u.span }, p.version);
  for (const [kind, fields] of [['record field', p.record.fields], ['subject field', p.subject.fields]] as const) {
    for (const f of fields) {
      add(names, {
        name: f.id, kind, value: undefined, unit: f.type === 'number' ? f.unit : undefined, cites: f.cites, note: f.note, span: f.span,
        detail: `${f.type}${f.required ? ', required' : ''}${f.values.length ? `: ${f.values.join(' | ')}` : ''}`,
      }, p.version);
      for (const v of f.values) add(names, { name: v, kind: 'enum value', value: undefined, unit: undefined, cites: f.cites, note: undefined, detail: `${f.id} 的取值 / a value of ${f.id}`, span: f.span }, p.version);
    }
  }
  for (const s of p.settings) add(names, { name: s.id, kind: 'setting', value: String(s.value), unit: undefined, cites: s.cites, note: s.note, detail: s.choices.length ? `choices: ${s.choices.join(' | ')}` : 'yes/no', span: s.span }, p.version);
  for (const d of p.parameters) add(names, { name: d.id, kind: 'parameter', value: d.value, unit: d.unit, cites: d.cites, note: d.note, detail: undefined, span: d.span }, p.version);
  for (const t of p.tables) {
    columns.set(t.id, t.columns.map((c) => c.name));
    if (t.kind === 'keyed') {
      keys.set(t.id, t.rows.map((r) => r.key));
      const rows = t.rows.map((r) => `${r.key}: ${Object.entries(r.cells).map(([k, v]) => `${k} ${String(v)}`).join(', ')}`);
      add(names, { name: t.id, kind: 'table', value: undefined, unit: undefined, cites: t.cites, note: t.note, detail: `key ${t.key}\n${rows.join('\n')}`, span: t.span }, p.version);
    } else {
      const bands = [...t.bands.map((b) => `${b.label} ≥ ${b.from}: ${Object.entries(b.cells).map(([k, v]) => `${k} ${String(v)}`).join(', ')}`),
        `${t.below.label}: ${Object.entries(t.below.cells).map(([k, v]) => `${k} ${String(v)}`).join(', ')}`];
      add(names, { name: t.id, kind: 'table', value: undefined, unit: t.unit, cites: t.cites, note: t.note, detail: bands.join('\n'), span: t.span }, p.version);
    }
  }
  const mine = statements.get(p.file) ?? [];
  for (const s of p.rules.statements) {
    if (s.span.file === p.file) mine.push(s);
    const kind = s.kind === 'let' ? 'let' : s.kind === 'measure' ? 'measure' : s.kind === 'require' ? 'requirement' : 'outcome';
    const detail = s.kind === 'measure' || s.kind === 'require' ? s.label : s.kind === 'outcome' ? `${s.outcome}: ${s.reason}` : undefined;
    add(names, { name: s.id, kind, value: undefined, unit: s.kind === 'let' ? s.unit?.text : undefined, cites: s.cites, note: s.notes.join(' ') || undefined, detail, span: s.span }, p.version);
  }
  statements.set(p.file, mine);
}

let last: { key: string; index: PolicyIndex } | undefined;

/**
 * The index of the policy at `path` among `files` (cached while the texts do not change). While
 * the texts have errors, the last good index (`fresh` false: its spans are of older texts).
 */
export function policyIndex(files: Readonly<Record<string, string>>, path: string): { index: PolicyIndex; fresh: boolean } | undefined {
  const key = `${path}\u0000${Object.entries(files).map(([p, t]) => `${p}\u0000${t}`).join('\u0000')}`;
  if (last?.key === key) return { index: last.index, fresh: true };
  const loaded = loadPolicySet(memoryFiles(files), path);
  if (!loaded.result.ok) return last && { index: last.index, fresh: false };
  const names: Names = new Map();
  const keys = new Map<string, string[]>();
  const columns = new Map<string, string[]>();
  const statements = new Map<string, Statement[]>();
  for (const v of loaded.result.value.versions) indexVersion(v.ast, names, keys, columns, statements);
  const index: PolicyIndex = { names, tableKeys: keys, tableColumns: columns, keywords: [...reservedWords()], statements };
  last = { key, index };
  return { index, fresh: true };
}
