// Stage 1 of the policy pipeline: YAML text → PolicyAst. Reads the YAML, checks it against the
// schema, then builds declarations with spans and parses the embedded rules in place, so that
// every later diagnostic points into the YAML file.

import { rulesToAst } from './cst-to-ast.ts';
import { DiagnosticBag, type StageResult } from './diagnostics.ts';
import type {
  Band, BandTableDecl, CellValue, ColumnDecl, CycleDecl, FieldDecl, ForkBound, ForkRange, KeyedTableDecl, ParameterDecl,
  PeriodBy, PolicyAst, SettingDecl, TableDecl, TableRow, UnitDecl,
} from './policy.ts';
import { lengthMonths, PERIOD_BYS } from './periods.ts';
import { checkSchema } from './schema-check.ts';
import type { Span } from './source.ts';
import { keysAt, keySpanAt, parseYaml, scalarSource, spanAt, stringValueMap, yamlToData, type YamlSource } from './yaml-source.ts';

type Obj = Record<string, unknown>;
type Path = readonly (string | number)[];

/**
 * Parses a policy file. Fails (no value) on YAML, schema or rule syntax errors: a policy that did
 * not parse cleanly is never evaluated.
 */
export function parsePolicy(file: string, text: string): StageResult<PolicyAst> {
  const bag = new DiagnosticBag();
  // A carriage return not followed by a line feed is a line break to YAML but not to the
  // positions we report: refuse it rather than point at the wrong place.
  const loneCr = /\r(?!\n)/.exec(text);
  if (loneCr) {
    bag.error('bad-line-ending', { file, start: loneCr.index, end: loneCr.index + 1 }, 'a lone carriage return (an old Mac line end) is in the file',
      '文件中有单独的回车符（旧式 Mac 换行）', 'save the file with LF or CRLF line ends');
    return bag.fail();
  }
  const src = parseYaml(file, text, bag);
  if (!src) return bag.fail();
  const data = yamlToData(src, bag);
  if (data === undefined || !checkSchema(src, data, bag)) return bag.fail();
  const policy = new PolicyReader(src, data as Obj, bag).read();
  return bag.result(policy);
}

/** Keys of a table row or band that are the row's own, not cells. */
export const ROW_OWN_KEYS: readonly string[] = ['cite', 'note'];

/** A `cite:` value as a list of citations. */
export function cites(v: unknown): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];
}

/**
 * Reads declarations out of validated YAML data, with spans. `base` is where the sections lie:
 * the top of a policy file, or a change file's `add:` mapping (change-file.ts reads those with
 * the same code).
 */
export class PolicyReader {
  constructor(
    private readonly src: YamlSource,
    private readonly data: Obj,
    private readonly bag: DiagnosticBag,
    private readonly base: Path = [],
  ) {}

  /** A path below `base`. */
  private at(...path: Path): Path {
    return [...this.base, ...path];
  }

  /** The span of the value at an absolute path. */
  span(path: Path): Span {
    return spanAt(this.src, path);
  }

  /** Exact decimal text of a number in the file. */
  decimal(path: Path): string {
    return (scalarSource(this.src, path) ?? '').trim();
  }

  read(): PolicyAst {
    const d = this.data;
    const subject = d.subject as Obj;
    const record = d.record as Obj;
    const period = d.period as Obj;
    return {
      file: this.src.file,
      id: String(d.policy),
      // `version: 2017.10` unquoted is a YAML number: keep it as written, not as the float 2017.1.
      version: typeof d.version === 'number' ? this.decimal(['version']) : String(d.version),
      effective: String(d.effective),
      effectiveSpan: this.span(['effective']),
      until: d.until === undefined ? undefined : String(d.until),
      document: String(d.document),
      title: d.title === undefined ? '' : String(d.title),
      hypothetical: d.hypothetical === true,
      change: d.change === undefined ? undefined : String(d.change),
      beforeEffective: this.beforeEffective(),
      units: this.units(),
      subject: {
        key: String(subject.key),
        collection: String(subject.collection),
        fields: this.fields(['subject', 'fields']),
        span: this.span(['subject']),
      },
      record: {
        key: String(record.key),
        keySpan: this.span(['record', 'key']),
        subject: String(record.subject),
        subjectSpan: this.span(['record', 'subject']),
        keyCites: cites(record.cite),
        fields: this.fields(['record', 'fields']),
      },
      period: {
        field: String(period.field),
        by: PERIOD_BYS.includes(period.by as PeriodBy) ? (period.by as PeriodBy) : 'year',
        name: String(period.name),
        collection: String(period.collection),
        span: this.span(['period']),
        fieldSpan: this.span(['period', 'field']),
      },
      cycle: this.cycle(),
      settings: this.settings(),
      parameters: this.parameters(),
      tables: this.tables(),
      rules: this.rules(),
    };
  }

  private beforeEffective(): PolicyAst['beforeEffective'] {
    const b = this.data.before_effective as Obj | undefined;
    if (b === undefined) return undefined;
    return {
      value: b.value as 'evaluate' | 'out_of_scope', cites: cites(b.cite), note: b.note === undefined ? undefined : String(b.note),
      span: this.span(['before_effective']),
    };
  }

  units(): UnitDecl[] {
    const path = this.at('units');
    const units = (this.valueAt(path) ?? {}) as Record<string, Obj>;
    return keysAt(this.src, path).map((id) => ({
      id, zh: String(units[id]!.zh), en: String(units[id]!.en), span: keySpanAt(this.src, path, id),
    }));
  }

  /** The field declarations of the mapping at `path` (absolute). */
  fields(path: Path): FieldDecl[] {
    const fields = (this.valueAt(path) ?? {}) as Record<string, Obj>;
    return keysAt(this.src, path).map((id) => {
      const f = fields[id]!;
      const here = [...path, id];
      return {
        id,
        type: f.type as FieldDecl['type'],
        values: Array.isArray(f.values) ? f.values.map(String) : [],
        unit: f.unit === undefined ? '1' : String(f.unit),
        unitSpan: f.unit === undefined ? keySpanAt(this.src, path, id) : this.span([...here, 'unit']),
        required: f.required === true,
        min: f.min === undefined ? undefined : this.decimal([...here, 'min']),
        max: f.max === undefined ? undefined : this.decimal([...here, 'max']),
        cites: cites(f.cite),
        note: f.note === undefined ? undefined : String(f.note),
        span: keySpanAt(this.src, path, id),
      };
    });
  }

  /** The data at an absolute path. */
  valueAt(path: Path): unknown {
    let v: unknown = this.data;
    for (const p of path) v = (v as Obj | undefined)?.[p as string];
    return v;
  }

  private cycle(): CycleDecl {
    const c = this.data.cycle as Obj;
    // A year is written as digits: YAML would also read 0x7E0 or 2.016e3 as 2016.
    const fromText = this.decimal(['cycle', 'from']);
    const toText = this.decimal(['cycle', 'to']);
    const yearOf = (text: string, value: unknown) => (/^\d{1,4}$/.test(text) ? Number(value) : Number.NaN);
    const everyText = c.every === undefined ? undefined : this.decimal(['cycle', 'every']);
    // A name instead of a year (`from: registered_on`), or `before:`: a cycle per subject.
    const anchor = c.before !== undefined ? 'before' : typeof c.from === 'string' ? 'from' : undefined;
    const lengthText = c.length === undefined ? '' : String(c.length);
    const perSubject = anchor === undefined ? undefined : {
      field: String(c[anchor]), fieldSpan: this.span(['cycle', anchor]), anchor,
      months: lengthMonths(lengthText), lengthText, lengthSpan: this.span(['cycle', c.length === undefined ? anchor : 'length']),
    } as const;
    return {
      from: perSubject ? Number.NaN : yearOf(fromText, c.from), to: perSubject ? Number.NaN : yearOf(toText, c.to), fromText, toText, cites: cites(c.cite),
      ...(everyText === undefined ? {} : { everyText, everySpan: this.span(['cycle', 'every']), every: /^\d{1,4}$/.test(everyText) ? Number(c.every) : Number.NaN }),
      note: c.note === undefined ? undefined : String(c.note), span: this.span(['cycle']),
      ...(perSubject ? { perSubject } : {}), ...(c.length === undefined ? {} : { lengthSpan: this.span(['cycle', 'length']) }),
    };
  }

  settings(): SettingDecl[] {
    const path = this.at('settings');
    const settings = (this.valueAt(path) ?? {}) as Record<string, Obj>;
    return keysAt(this.src, path).map((id) => {
      const s = settings[id]!;
      return {
        id,
        value: s.value as boolean | string,
        choices: Array.isArray(s.choices) ? s.choices.map(String) : [],
        cites: cites(s.cite),
        note: s.note === undefined ? undefined : String(s.note),
        span: keySpanAt(this.src, path, id),
        valueSpan: this.span([...path, id, 'value']),
      };
    });
  }

  parameters(): ParameterDecl[] {
    const path = this.at('parameters');
    const params = (this.valueAt(path) ?? {}) as Record<string, Obj>;
    return keysAt(this.src, path).map((id) => {
      const p = params[id]!;
      return {
        id,
        type: p.type === 'date' ? 'date' : 'number',
        // The text as written: a decimal, or a date (a string in YAML 1.2, however it is quoted).
        value: this.decimal([...path, id, 'value']),
        unit: p.unit === undefined ? '1' : String(p.unit),
        unitSpan: p.unit === undefined ? keySpanAt(this.src, path, id) : this.span([...path, id, 'unit']),
        cites: cites(p.cite),
        note: p.note === undefined ? undefined : String(p.note),
        span: keySpanAt(this.src, path, id),
        valueSpan: this.span([...path, id, 'value']),
        ...(p.fork_range === undefined ? {} : { forkRange: this.forkRange([...path, id, 'fork_range']) }),
      };
    });
  }

  /** A `fork_range: [low, high]` at `path`: each end a number, or a column's name. */
  private forkRange(path: Path): ForkRange {
    const ends = this.valueAt(path) as unknown[];
    const bound = (i: number): ForkBound => (typeof ends[i] === 'number' ? { number: this.decimal([...path, i]) } : { column: String(ends[i]) });
    return { low: bound(0), high: bound(1), span: this.span(path) };
  }

  tables(): TableDecl[] {
    const path = this.at('tables');
    const tables = (this.valueAt(path) ?? {}) as Record<string, Obj>;
    return keysAt(this.src, path).map((id) => {
      const t = tables[id]!;
      return 'bands' in t ? this.bandTable(path, id, t) : this.keyedTable(path, id, t);
    });
  }

  private columns(path: Path): ColumnDecl[] {
    const cols = (this.valueAt(path) ?? {}) as Record<string, unknown>;
    return keysAt(this.src, path).map((name) => {
      const c = cols[name];
      const span = keySpanAt(this.src, path, name);
      if (typeof c === 'string') return { name, type: 'number', unit: c, unitSpan: this.span([...path, name]), span };
      const o = c as Obj;
      const unitSpan = o.unit === undefined ? span : this.span([...path, name, 'unit']);
      return { name, type: o.type as ColumnDecl['type'], unit: o.unit === undefined ? '1' : String(o.unit), unitSpan, span };
    });
  }

  /**
   * The cells of a row or band at `path` (`skip`: its own keys, such as `label`), with the row's
   * own `cite` and `note`, which are not cells.
   */
  cells(path: Path, skip: readonly string[]): { cells: Record<string, CellValue>; cellSpans: Record<string, Span>; cites: string[]; note: string | undefined } {
    const row = (this.valueAt(path) ?? {}) as Obj;
    const cells: Record<string, CellValue> = {};
    const cellSpans: Record<string, Span> = {};
    for (const name of keysAt(this.src, path)) {
      if (skip.includes(name) || ROW_OWN_KEYS.includes(name)) continue;
      const v = row[name];
      cells[name] = typeof v === 'number' ? this.decimal([...path, name]) : (v as string | boolean);
      cellSpans[name] = this.span([...path, name]);
    }
    return { cells, cellSpans, cites: cites(row.cite), note: row.note === undefined ? undefined : String(row.note) };
  }

  /** One row of a keyed table at `path`, under `key`. */
  row(path: Path, key: string): TableRow {
    return { key, keySpan: keySpanAt(this.src, path, key), ...this.cells([...path, key], []), span: this.span([...path, key]) };
  }

  private keyedTable(tablesPath: Path, id: string, t: Obj): KeyedTableDecl {
    const base = [...tablesPath, id];
    const rows: TableRow[] = keysAt(this.src, [...base, 'rows']).map((key) => this.row([...base, 'rows'], key));
    return {
      kind: 'keyed', id, key: String(t.key), keySpan: this.span([...base, 'key']),
      columns: this.columns([...base, 'columns']), rows,
      ...(t.fork_range === undefined ? {} : {
        forkRange: Object.fromEntries(keysAt(this.src, [...base, 'fork_range']).map((c) => [c, this.forkRange([...base, 'fork_range', c])])),
      }),
      cites: cites(t.cite), note: t.note === undefined ? undefined : String(t.note),
      span: keySpanAt(this.src, tablesPath, id),
    };
  }

  /** The band at `path`. */
  band(path: Path): Band {
    const b = this.valueAt(path) as Obj;
    return {
      label: String(b.label),
      from: b.from === undefined ? '' : this.decimal([...path, 'from']),
      fromSpan: this.span([...path, 'from']),
      to: b.to === undefined ? undefined : this.decimal([...path, 'to']),
      toSpan: this.span([...path, 'to']),
      ...this.cells(path, ['label', 'from', 'to']),
      span: this.span(path),
    };
  }

  private bandTable(tablesPath: Path, id: string, t: Obj): BandTableDecl {
    const base = [...tablesPath, id];
    const bands = (t.bands as unknown[]).map((_, i) => this.band([...base, 'bands', i]));
    return {
      kind: 'bands', id, unit: String(t.unit), unitSpan: this.span([...base, 'unit']), columns: this.columns([...base, 'columns']), bands,
      below: this.band([...base, 'below']),
      cites: cites(t.cite), note: t.note === undefined ? undefined : String(t.note),
      span: keySpanAt(this.src, tablesPath, id),
    };
  }

  /** The rules block at `path` (default: this reader's `rules`), parsed; none when absent. */
  rules(path: Path = this.at('rules')): PolicyAst['rules'] {
    const value = this.valueAt(path);
    const empty = { statements: [], span: this.span(path) };
    if (value === undefined) return empty;
    const text = String(value);
    const map = stringValueMap(this.src, path);
    if (map === 'folded' || map === undefined) {
      this.bag.error('rules-not-literal', this.span(path), 'rules must be a literal block (rules: |), so that errors can point at their line',
        '规则必须写成字面块（rules: |），以便准确指出错误所在的行', "write 'rules: |' and indent the rules below it");
      return empty;
    }
    return rulesToAst(text, { file: this.src.file, map }, this.bag) ?? empty;
  }
}
