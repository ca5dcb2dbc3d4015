// Reading a change file: a later version of a policy (`revises:`) or a fork (`extends:`). A change
// says only what differs — parameters, settings and table rows to override, statements to
// replace, what it adds and removes — and is applied to the policy it builds on by
// apply-change.ts. Reading checks the YAML and the schema; what the change refers to is checked
// when it is applied.

import type { Expr, Statement } from './ast.ts';
import { rulesToAst, type RulesOrigin } from './cst-to-ast.ts';
import { DiagnosticBag, type StageResult } from './diagnostics.ts';
import type { FieldDecl, ParameterDecl, PolicyAst, SettingDecl, SubjectScopeDecl, TableDecl, TableRow, UnitDecl, CellValue } from './policy.ts';
import { cites, PolicyReader } from './policy-file.ts';
import { checkSchema } from './schema-check.ts';
import type { Span } from './source.ts';
import { keysAt, keySpanAt, parseYaml, spanAt, stringValueMap, yamlToData, type YamlSource } from './yaml-source.ts';

type Obj = Record<string, unknown>;

/** A change to an existing parameter or setting: only what it says is changed. */
export interface ValueChange<V> {
  readonly id: string;
  /** The key, where the change is written. */
  readonly span: Span;
  readonly value: V | undefined;
  readonly valueSpan: Span;
  readonly cites: readonly string[] | undefined;
  readonly note: string | undefined;
}

/** A band to change (by its label) or to add (with a `from`). */
export interface BandChange {
  readonly label: string;
  readonly from: string | undefined;
  readonly fromSpan: Span;
  readonly to: string | undefined;
  readonly toSpan: Span;
  readonly cells: Readonly<Record<string, CellValue>>;
  readonly cellSpans: Readonly<Record<string, Span>>;
  readonly cites: readonly string[];
  readonly note: string | undefined;
  readonly span: Span;
}

/** A change to an existing table: rows by key, bands by label. */
export interface TableChange {
  readonly id: string;
  readonly span: Span;
  readonly cites: readonly string[] | undefined;
  readonly note: string | undefined;
  /** Rows to change (cells given replace the parent's) or to add (every cell given). */
  readonly rows: readonly TableRow[];
  readonly removeRows: readonly { readonly key: string; readonly span: Span }[];
  readonly bands: readonly BandChange[];
  readonly below: BandChange | undefined;
  readonly removeBands: readonly { readonly label: string; readonly span: Span }[];
}

/** What a change builds on. */
export type ChangeBase =
  /** The version before, in the same folder. */
  | { readonly kind: 'revises'; readonly version: string; readonly span: Span }
  /** Another policy (its folder, relative to this file) as of a version. */
  | { readonly kind: 'extends'; readonly policy: string; readonly policySpan: Span; readonly version: string; readonly span: Span };

/** A fork's own subjects, as the resolved policy carries them. */
export type SubjectScope = SubjectScopeDecl;

/** A change file, read. */
export interface ChangeFile {
  readonly file: string;
  readonly base: ChangeBase;
  /** A fork's own policy id (a revision keeps its policy's). */
  readonly id: string | undefined;
  readonly version: string;
  readonly versionSpan: Span;
  readonly effective: string;
  readonly effectiveSpan: Span;
  readonly until: string | undefined;
  readonly document: string;
  readonly title: string | undefined;
  readonly hypothetical: boolean;
  readonly change: string | undefined;
  readonly beforeEffective: PolicyAst['beforeEffective'];
  readonly subjects: SubjectScope | undefined;
  readonly parameters: readonly ValueChange<string>[];
  readonly settings: readonly ValueChange<boolean | string>[];
  readonly tables: readonly TableChange[];
  /** Statements replacing those of the same id. */
  readonly replace: readonly Statement[];
  readonly add: {
    readonly units: readonly UnitDecl[];
    readonly recordFields: readonly FieldDecl[];
    readonly subjectFields: readonly FieldDecl[];
    readonly parameters: readonly ParameterDecl[];
    readonly settings: readonly SettingDecl[];
    readonly tables: readonly TableDecl[];
    readonly statements: readonly Statement[];
  };
  readonly remove: readonly { readonly id: string; readonly span: Span }[];
  /** The whole file, for diagnostics that point at it. */
  readonly span: Span;
}

/**
 * Whether a YAML text is a change file (it says `revises:` or `extends:` at the top level): in block
 * style at the start of a line, the key quoted or not; or, in a file that is one flow mapping (JSON
 * is YAML), as one of its keys. A change not seen as one would be read as a whole policy.
 */
export function isChangeText(text: string): boolean {
  if (/^(["']?)(revises|extends)\1\s*:/m.test(text)) return true;
  return /^(\s*#[^\n]*\n)*\s*\{/.test(text) && /[{,]\s*(["']?)(revises|extends)\1\s*:/.test(text);
}

/** Reads a change file; fails on YAML, schema or rule syntax errors. */
export function parseChangeFile(file: string, text: string): StageResult<ChangeFile> {
  const bag = new DiagnosticBag();
  const src = parseYaml(file, text, bag);
  if (!src) return bag.fail();
  const data = yamlToData(src, bag);
  if (data === undefined || !checkSchema(src, data, bag)) return bag.fail();
  const d = data as Obj;
  if (!('revises' in d) && !('extends' in d)) {
    bag.error('not-a-change', spanAt(src, []), "this file is a whole policy, not a change: a later version says 'revises:', a fork 'extends:'",
      "此文件是完整的策略，不是修订：后续版本应写 'revises:'，分支应写 'extends:'");
    return bag.fail();
  }
  return bag.result(new ChangeReader(src, d, bag).read());
}

/**
 * Parses one expression (a fork's subject condition) by reading it as the value of a let: the
 * rule language's own parser, with offsets moved past the words added in front.
 */
function parseExpression(text: string, origin: RulesOrigin, bag: DiagnosticBag): Expr | undefined {
  const head = 'let subjects_where = ';
  const program = rulesToAst(`${head}${text}`, { file: origin.file, map: (o) => origin.map(Math.max(0, o - head.length)) }, bag);
  const s = program?.statements[0];
  if (!program || program.statements.length !== 1 || s?.kind !== 'let') {
    if (program) bag.error('not-an-expression', { file: origin.file, start: origin.map(0), end: origin.map(text.length) },
      'this should be one condition', '此处应为一个条件');
    return undefined;
  }
  return s.value;
}

class ChangeReader {
  private readonly reader: PolicyReader;

  constructor(
    private readonly src: YamlSource,
    private readonly data: Obj,
    private readonly bag: DiagnosticBag,
  ) {
    this.reader = new PolicyReader(src, data, bag, ['add']);
  }

  private text(path: readonly (string | number)[]): string {
    const v = this.reader.valueAt(path);
    return typeof v === 'number' ? this.reader.decimal(path) : String(v);
  }

  read(): ChangeFile {
    const d = this.data;
    const r = this.reader;
    const ext = d.extends as Obj | undefined;
    const base: ChangeBase = ext
      ? {
        kind: 'extends', policy: String(ext.policy), policySpan: r.span(['extends', 'policy']),
        version: this.text(['extends', 'version']), span: r.span(['extends']),
      }
      : { kind: 'revises', version: this.text(['revises']), span: r.span(['revises']) };
    const b = d.before_effective as Obj | undefined;
    const add = (d.add ?? {}) as Obj;
    return {
      file: this.src.file,
      base,
      id: d.policy === undefined ? undefined : String(d.policy),
      version: this.text(['version']),
      versionSpan: r.span(['version']),
      effective: String(d.effective),
      effectiveSpan: r.span(['effective']),
      until: d.until === undefined ? undefined : String(d.until),
      document: String(d.document),
      title: d.title === undefined ? undefined : String(d.title),
      hypothetical: d.hypothetical === true,
      change: d.change === undefined ? undefined : String(d.change),
      beforeEffective: b === undefined ? undefined : {
        value: b.value as 'evaluate' | 'out_of_scope', cites: cites(b.cite), note: b.note === undefined ? undefined : String(b.note),
        span: r.span(['before_effective']),
      },
      subjects: this.subjects(),
      parameters: this.valueChanges('parameters', (path) => r.decimal(path)),
      settings: this.valueChanges('settings', (path) => r.valueAt(path) as boolean | string),
      tables: this.tables(),
      replace: r.rules(['rules']).statements,
      add: {
        units: add.units === undefined ? [] : r.units(),
        recordFields: r.fields(['add', 'record_fields']),
        subjectFields: r.fields(['add', 'subject_fields']),
        parameters: r.parameters(),
        settings: r.settings(),
        tables: r.tables(),
        statements: r.rules(['add', 'rules']).statements,
      },
      remove: this.list(['remove']).map(({ value, span }) => ({ id: value, span })),
      span: spanAt(this.src, []),
    };
  }

  private subjects(): SubjectScope | undefined {
    const s = this.data.subjects as Obj | undefined;
    if (!s) return undefined;
    const path = ['subjects', 'where'];
    const map = stringValueMap(this.src, path);
    const span = this.reader.span(path);
    if (map === 'folded' || map === undefined) {
      this.bag.error('rules-not-literal', span, 'the condition must be written on one line or as a literal block (|)',
        '条件须写在一行内或写成字面块（|）');
      return undefined;
    }
    const where = parseExpression(String(s.where), { file: this.src.file, map }, this.bag);
    if (!where) return undefined;
    return {
      id: s.id === undefined ? 'outside_subjects' : String(s.id),
      idSpan: this.reader.span(s.id === undefined ? ['subjects'] : ['subjects', 'id']),
      where, text: String(s.where).trim(), cites: cites(s.cite), note: s.note === undefined ? undefined : String(s.note), span: this.reader.span(['subjects']),
    };
  }

  private valueChanges<V>(section: 'parameters' | 'settings', value: (path: readonly (string | number)[]) => V): ValueChange<V>[] {
    const all = (this.data[section] ?? {}) as Record<string, Obj>;
    return keysAt(this.src, [section]).map((id) => {
      const c = all[id]!;
      return {
        id,
        span: keySpanAt(this.src, [section], id),
        value: c.value === undefined ? undefined : value([section, id, 'value']),
        valueSpan: this.reader.span([section, id, 'value']),
        cites: c.cite === undefined ? undefined : cites(c.cite),
        note: c.note === undefined ? undefined : String(c.note),
      };
    });
  }

  private list(path: readonly (string | number)[]): { value: string; span: Span }[] {
    const v = this.reader.valueAt(path);
    return Array.isArray(v) ? v.map((x, i) => ({ value: String(x), span: this.reader.span([...path, i]) })) : [];
  }

  private bandChange(path: readonly (string | number)[]): BandChange {
    const b = this.reader.band(path);
    return { ...b, from: b.from === '' ? undefined : b.from };
  }

  private tables(): TableChange[] {
    const all = (this.data.tables ?? {}) as Record<string, Obj>;
    return keysAt(this.src, ['tables']).map((id) => {
      const t = all[id]!;
      const base = ['tables', id];
      return {
        id,
        span: keySpanAt(this.src, ['tables'], id),
        cites: t.cite === undefined ? undefined : cites(t.cite),
        note: t.note === undefined ? undefined : String(t.note),
        rows: keysAt(this.src, [...base, 'rows']).map((key) => this.reader.row([...base, 'rows'], key)),
        removeRows: this.list([...base, 'remove_rows']).map(({ value, span }) => ({ key: value, span })),
        bands: Array.isArray(t.bands) ? t.bands.map((_, i) => this.bandChange([...base, 'bands', i])) : [],
        below: t.below === undefined ? undefined : this.bandChange([...base, 'below']),
        removeBands: this.list([...base, 'remove_bands']).map(({ value, span }) => ({ label: value, span })),
      };
    });
  }
}
