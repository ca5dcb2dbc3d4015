/**
 * Input layouts: how a file exported by another system (its own column names, values and date
 * forms) is read as the policy's canonical fields. A layout is data declared with the policy (a
 * mapping file beside it, read by dsl/mapping-file.ts, typed in dsl/mapping-layout.ts); this
 * module only applies one, to the rows
 * the byte scanner finds, so every reader (CSV in any encoding, XLSX) maps alike. Portable: no
 * Node APIs, and no name of any policy's.
 */
import { dateForm, type FileLayout, type InputMapping } from '../../dsl/mapping-layout.ts';
import type { CsvSink } from './csv-scan.ts';
import type { InputRow } from './types.ts';
import { isIdCardNumber } from './personal-data.ts';

export { dateForm, type FileLayout, type InputMapping };

/**
 * Which layout a header is in: undefined when it is canonical (it has every required field by
 * name), else the first mapping (by id) whose columns give every required field, else undefined
 * (the header is then reported as lacking its required columns, as it is).
 */
export function recogniseLayout(header: readonly string[], required: readonly string[], mappings: readonly InputMapping[], which: 'records' | 'subjects'): InputMapping | undefined {
  const names = new Set(header);
  if (required.every((f) => names.has(f))) return undefined;
  for (const m of [...mappings].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const layout = m[which];
    if (layout === undefined) continue;
    const given = new Set(header.map((h) => layout.columns[h] ?? h));
    if (required.every((f) => given.has(f))) return m;
  }
  return undefined;
}

/** `text` in the first of `forms` it matches, as YYYY-MM-DD; unchanged when none matches. */
export function canonicalDate(text: string, forms: readonly RegExp[]): string {
  const t = text.trim();
  for (const f of forms) {
    const m = f.exec(t);
    if (m?.groups) return `${m.groups.y}-${m.groups.m!.padStart(2, '0')}-${m.groups.d!.padStart(2, '0')}`;
  }
  return text;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** What the sink says as it reads: the layout recognised (undefined: canonical), and the columns it leaves out. */
export interface LayoutHooks {
  /** Called once, with the header: the mapping the file is read with, or undefined. */
  readonly recognised: (mapping: InputMapping | undefined) => void;
  /**
   * Columns of personal data: named in a mapping's `private_columns` (`name`; left out unread),
   * or not a field and holding an ID-card number in the first row (`values`; never read either).
   */
  readonly privateColumns: (names: readonly string[], why: 'name' | 'values') => void;
}

/**
 * A sink that recognises the layout from the header and passes the rows on to `inner` as
 * canonical: columns renamed, values and dates rewritten, personal columns dropped. A canonical
 * header goes through untouched, fast path and all (after its first row, which is looked at for
 * ID-card numbers in columns that are no field); a mapped file is read row by row (a value not in
 * the mapping is passed on as written, so the policy rejects it with its own reason). `known` are
 * the ids of the file's fields.
 */
export function layoutSink(inner: CsvSink, mappings: readonly InputMapping[], which: 'records' | 'subjects', required: readonly string[], known: readonly string[], hooks: LayoutHooks): CsvSink {
  const hidden = new Set(mappings.flatMap((m) => m.privateColumns));
  const fields = new Set(known);
  let rewrite: ((text: string) => string | undefined)[] = [];
  let outBytes = new Uint8Array(1024);
  let outStarts = new Int32Array(64);
  let outEnds = new Int32Array(64);
  let mapped = false;
  /** The columns (name, raw index) that are no field, looked at in the first row; undefined once done. */
  let unknown: { name: string; column: number }[] | undefined;
  const fast = () => {
    sink.fastRow = inner.fastRow;
    sink.fastRows = inner.fastRows;
  };
  const sink: CsvSink = {
    header(names, columnOf, line, width) {
      const m = recogniseLayout(names, required, mappings, which);
      hooks.recognised(m);
      const layout = m?.[which];
      const dropped = names.filter((n) => hidden.has(n));
      if (dropped.length > 0) hooks.privateColumns(dropped, 'name');
      const kept: string[] = [];
      const keptColumn: number[] = [];
      unknown = [];
      if (m === undefined || layout === undefined) {
        names.forEach((n, k) => {
          if (hidden.has(n)) return;
          kept.push(n);
          keptColumn.push(columnOf[k]!);
          if (!fields.has(n)) unknown!.push({ name: n, column: columnOf[k]! });
        });
        // Canonical: the inner sink reads the rows itself, generated parser and all.
        inner.header(kept, Int32Array.from(keptColumn), line, width);
        if (unknown.length === 0) {
          unknown = undefined;
          fast();
        }
        return;
      }
      mapped = true;
      const forms = layout.dates.map(dateForm).filter((r): r is RegExp => r !== undefined);
      const dateFields = new Set(layout.dateFields);
      rewrite = new Array(width).fill(undefined);
      names.forEach((n, k) => {
        if (hidden.has(n)) return;
        const field = layout.columns[n] ?? n;
        // Two columns naming one field (a canonical name beside its mapped one): the first wins.
        if (kept.includes(field)) return;
        kept.push(field);
        keptColumn.push(columnOf[k]!);
        if (!fields.has(field)) unknown!.push({ name: n, column: columnOf[k]! });
        const values = layout.values[field];
        if (values !== undefined) rewrite[columnOf[k]!] = (text) => (Object.hasOwn(values, text.trim()) ? values[text.trim()] : undefined);
        else if (dateFields.has(field) && forms.length > 0) rewrite[columnOf[k]!] = (text) => canonicalDate(text, forms);
      });
      inner.header(kept, Int32Array.from(keptColumn), line, width);
    },
    row(bytes, starts, ends, line) {
      if (unknown !== undefined) {
        const ids = unknown.filter((u) => isIdCardNumber(decoder.decode(bytes.subarray(starts[u.column]!, ends[u.column]!)))).map((u) => u.name);
        if (ids.length > 0) hooks.privateColumns(ids, 'values');
        unknown = undefined;
        if (!mapped) fast();
      }
      if (!mapped) return inner.row(bytes, starts, ends, line);
      const n = rewrite.length;
      if (outStarts.length < n) {
        outStarts = new Int32Array(n);
        outEnds = new Int32Array(n);
      }
      let size = 0;
      const pieces: Uint8Array[] = [];
      for (let c = 0; c < n; c++) {
        const f = rewrite[c];
        let piece = bytes.subarray(starts[c]!, ends[c]!);
        if (f !== undefined) {
          const text = decoder.decode(piece);
          const to = f(text);
          if (to !== undefined && to !== text) piece = encoder.encode(to);
        }
        pieces.push(piece);
        size += piece.length;
      }
      if (outBytes.length < size) outBytes = new Uint8Array(Math.max(size, outBytes.length * 2));
      let at = 0;
      for (let c = 0; c < n; c++) {
        outBytes.set(pieces[c]!, at);
        outStarts[c] = at;
        at += pieces[c]!.length;
        outEnds[c] = at;
      }
      inner.row(outBytes, outStarts, outEnds, line);
    },
    error: (line, reason, header) => inner.error(line, reason, header),
  };
  // The scanner reads how many rows the inner sink's fastRows took from the sink it was given.
  Object.defineProperty(sink, 'taken', { get: () => inner.taken });
  return sink;
}

/** The NDJSON counterpart of {@link layoutSink}: rows mapped one by one, and the keys seen, as fields. */
export interface RowLayout {
  /** The row with its keys renamed, values and dates rewritten and personal keys left out. */
  row(e: InputRow): InputRow;
  /** The file's keys (all seen) as the fields they were read as, personal ones left out: for the unknown-column warning. */
  columns(raw: readonly string[]): string[];
}

/**
 * Maps NDJSON rows as {@link layoutSink} maps CSV rows. The layout is recognised from the keys of
 * the first row (NDJSON has no header; an export writes every key on every line), said once through
 * `hooks`, and applied to every row after it: keys renamed (of two keys giving one field, the first
 * in the line wins), values looked up trimmed (one the mapping does not list is passed on as
 * written), dates rewritten; keys a mapping lists as private, and keys that are no field whose
 * value in the first row is an ID-card number, are left out of every row.
 */
export function layoutRows(mappings: readonly InputMapping[], which: 'records' | 'subjects', required: readonly string[], known: readonly string[], hooks: LayoutHooks): RowLayout {
  const hidden = new Set(mappings.flatMap((m) => m.privateColumns));
  const fields = new Set(known);
  let decided = false;
  let layout: FileLayout | undefined;
  let forms: RegExp[] = [];
  let dateFields = new Set<string>();
  const fieldOf = (k: string) => (layout === undefined ? k : layout.columns[k] ?? k);
  return {
    row(e) {
      const keys = Object.keys(e.values);
      if (!decided) {
        decided = true;
        const m = recogniseLayout(keys, required, mappings, which);
        hooks.recognised(m);
        layout = m?.[which];
        if (layout !== undefined) {
          forms = layout.dates.map(dateForm).filter((r): r is RegExp => r !== undefined);
          dateFields = new Set(layout.dateFields);
        }
        const named = keys.filter((k) => hidden.has(k));
        if (named.length > 0) hooks.privateColumns(named, 'name');
        const ids = keys.filter((k) => !hidden.has(k) && !fields.has(fieldOf(k)) && isIdCardNumber(e.values[k]!));
        if (ids.length > 0) hooks.privateColumns(ids, 'values');
        for (const k of ids) hidden.add(k);
      }
      const values: Record<string, string> = Object.create(null) as Record<string, string>;
      for (const k of keys) {
        if (hidden.has(k)) continue;
        const field = fieldOf(k);
        if (Object.hasOwn(values, field)) continue;
        let v = e.values[k]!;
        if (layout !== undefined) {
          const map = layout.values[field];
          if (map !== undefined) {
            if (Object.hasOwn(map, v.trim())) v = map[v.trim()]!;
          } else if (dateFields.has(field) && forms.length > 0) {
            v = canonicalDate(v, forms);
          }
        }
        values[field] = v;
      }
      return { kind: 'row', line: e.line, values };
    },
    columns(raw) {
      const out: string[] = [];
      for (const k of raw) {
        if (hidden.has(k)) continue;
        const f = fieldOf(k);
        if (!out.includes(f)) out.push(f);
      }
      return out;
    },
  };
}
