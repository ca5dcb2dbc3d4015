// Stage 1 of the policy pipeline: YAML text → PolicyAst. Reads the YAML, checks it against the
// schema, then builds declarations with spans and parses the embedded rules in place, so that
// every later diagnostic points into the YAML file.

import { rulesToAst } from './cst-to-ast.ts';
import { DiagnosticBag, type StageResult } from './diagnostics.ts';
import type {
  Band, BandTableDecl, CellValue, ColumnDecl, CycleDecl, FieldDecl, KeyedTableDecl, ParameterDecl,
  PolicyAst, SettingDecl, TableDecl, TableRow, UnitDecl,
} from './policy.ts';
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

function cites(v: unknown): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];
}

class PolicyReader {
  constructor(
    private readonly src: YamlSource,
    private readonly data: Obj,
    private readonly bag: DiagnosticBag,
  ) {}

  private span(path: Path): Span {
    return spanAt(this.src, path);
  }

  /** Exact decimal text of a number in the file. */
  private decimal(path: Path): string {
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
      document: String(d.document),
      title: d.title === undefined ? '' : String(d.title),
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
        by: 'year',
        name: String(period.name),
        collection: String(period.collection),
        span: this.span(['period']),
      },
      cycle: this.cycle(),
      settings: this.settings(),
      parameters: this.parameters(),
      tables: this.tables(),
      rules: this.rules(),
    };
  }

  private units(): UnitDecl[] {
    const units = (this.data.units ?? {}) as Record<string, Obj>;
    return keysAt(this.src, ['units']).map((id) => ({
      id, zh: String(units[id]!.zh), en: String(units[id]!.en), span: keySpanAt(this.src, ['units'], id),
    }));
  }

  private fields(path: Path): FieldDecl[] {
    const fields = this.valueAt(path) as Record<string, Obj>;
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

  private valueAt(path: Path): unknown {
    let v: unknown = this.data;
    for (const p of path) v = (v as Obj | undefined)?.[p as string];
    return v;
  }

  private cycle(): CycleDecl {
    const c = this.data.cycle as Obj;
    return {
      from: Number(c.from), to: Number(c.to), cites: cites(c.cite),
      note: c.note === undefined ? undefined : String(c.note), span: this.span(['cycle']),
    };
  }

  private settings(): SettingDecl[] {
    const settings = (this.data.settings ?? {}) as Record<string, Obj>;
    return keysAt(this.src, ['settings']).map((id) => {
      const s = settings[id]!;
      return {
        id,
        value: s.value as boolean | string,
        choices: Array.isArray(s.choices) ? s.choices.map(String) : [],
        cites: cites(s.cite),
        note: s.note === undefined ? undefined : String(s.note),
        span: keySpanAt(this.src, ['settings'], id),
        valueSpan: this.span(['settings', id, 'value']),
      };
    });
  }

  private parameters(): ParameterDecl[] {
    const params = (this.data.parameters ?? {}) as Record<string, Obj>;
    return keysAt(this.src, ['parameters']).map((id) => {
      const p = params[id]!;
      return {
        id,
        value: this.decimal(['parameters', id, 'value']),
        unit: p.unit === undefined ? '1' : String(p.unit),
        unitSpan: p.unit === undefined ? keySpanAt(this.src, ['parameters'], id) : this.span(['parameters', id, 'unit']),
        cites: cites(p.cite),
        note: p.note === undefined ? undefined : String(p.note),
        span: keySpanAt(this.src, ['parameters'], id),
        valueSpan: this.span(['parameters', id, 'value']),
      };
    });
  }

  private tables(): TableDecl[] {
    const tables = (this.data.tables ?? {}) as Record<string, Obj>;
    return keysAt(this.src, ['tables']).map((id) => {
      const t = tables[id]!;
      return 'bands' in t ? this.bandTable(id, t) : this.keyedTable(id, t);
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

  private cells(path: Path, skip: readonly string[]): { cells: Record<string, CellValue>; cellSpans: Record<string, Span> } {
    const row = (this.valueAt(path) ?? {}) as Obj;
    const cells: Record<string, CellValue> = {};
    const cellSpans: Record<string, Span> = {};
    for (const name of keysAt(this.src, path)) {
      if (skip.includes(name)) continue;
      const v = row[name];
      cells[name] = typeof v === 'number' ? this.decimal([...path, name]) : (v as string | boolean);
      cellSpans[name] = this.span([...path, name]);
    }
    return { cells, cellSpans };
  }

  private keyedTable(id: string, t: Obj): KeyedTableDecl {
    const base = ['tables', id];
    const rows: TableRow[] = keysAt(this.src, [...base, 'rows']).map((key) => ({
      key,
      keySpan: keySpanAt(this.src, [...base, 'rows'], key),
      ...this.cells([...base, 'rows', key], []),
      span: this.span([...base, 'rows', key]),
    }));
    return {
      kind: 'keyed', id, key: String(t.key), keySpan: this.span([...base, 'key']),
      columns: this.columns([...base, 'columns']), rows,
      cites: cites(t.cite), note: t.note === undefined ? undefined : String(t.note),
      span: keySpanAt(this.src, ['tables'], id),
    };
  }

  private band(path: Path): Band {
    const b = this.valueAt(path) as Obj;
    return {
      label: String(b.label),
      from: b.from === undefined ? '' : this.decimal([...path, 'from']),
      fromSpan: this.span([...path, 'from']),
      ...this.cells(path, ['label', 'from']),
      span: this.span(path),
    };
  }

  private bandTable(id: string, t: Obj): BandTableDecl {
    const base = ['tables', id];
    const bands = (t.bands as unknown[]).map((_, i) => this.band([...base, 'bands', i]));
    return {
      kind: 'bands', id, unit: String(t.unit), unitSpan: this.span([...base, 'unit']), columns: this.columns([...base, 'columns']), bands,
      below: this.band([...base, 'below']),
      cites: cites(t.cite), note: t.note === undefined ? undefined : String(t.note),
      span: keySpanAt(this.src, ['tables'], id),
    };
  }

  private rules(): PolicyAst['rules'] {
    const text = String(this.data.rules);
    const map = stringValueMap(this.src, ['rules']);
    const empty = { statements: [], span: this.span(['rules']) };
    if (map === 'folded' || map === undefined) {
      this.bag.error('rules-not-literal', this.span(['rules']), 'rules must be a literal block (rules: |), so that errors can point at their line',
        '规则必须写成字面块（rules: |），以便准确指出错误所在的行', "write 'rules: |' and indent the rules below it");
      return empty;
    }
    return rulesToAst(text, { file: this.src.file, map }, this.bag) ?? empty;
  }
}
