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
  /** Columns left unread as personal data (by the mapping's list). */
  readonly privateColumns: (names: readonly string[]) => void;
}

/**
 * A sink that recognises the layout from the header and passes the rows on to `inner` as
 * canonical: columns renamed, values and dates rewritten, personal columns dropped. A canonical
 * header goes through untouched, fast path and all; a mapped file is read row by row (a value
 * not in the mapping is passed on as written, so the policy rejects it with its own reason).
 */
export function layoutSink(inner: CsvSink, mappings: readonly InputMapping[], which: 'records' | 'subjects', required: readonly string[], hooks: LayoutHooks): CsvSink {
  if (mappings.length === 0) return inner;
  let rewrite: ((c: number, text: string) => string | undefined)[] = [];
  let outBytes = new Uint8Array(1024);
  let outStarts = new Int32Array(64);
  let outEnds = new Int32Array(64);
  let mapped = false;
  const sink: CsvSink = {
    header(names, columnOf, line, width) {
      const m = recogniseLayout(names, required, mappings, which);
      hooks.recognised(m);
      const layout = m?.[which];
      if (m === undefined || layout === undefined) {
        // Canonical: the inner sink reads the rows itself, generated parser and all.
        sink.row = inner.row.bind(inner);
        inner.header(names, columnOf, line, width);
        sink.fastRow = inner.fastRow;
        sink.fastRows = inner.fastRows;
        return;
      }
      mapped = true;
      const hidden = new Set(m.privateColumns);
      const dropped = names.filter((n) => hidden.has(n));
      if (dropped.length > 0) hooks.privateColumns(dropped);
      const forms = layout.dates.map(dateForm).filter((r): r is RegExp => r !== undefined);
      const dateFields = new Set(layout.dateFields);
      const kept: string[] = [];
      const keptColumn: number[] = [];
      rewrite = new Array(width).fill(undefined);
      names.forEach((n, k) => {
        if (hidden.has(n)) return;
        const field = layout.columns[n] ?? n;
        // Two columns naming one field (a canonical name beside its mapped one): the first wins.
        if (kept.includes(field)) return;
        kept.push(field);
        keptColumn.push(columnOf[k]!);
        const values = layout.values[field];
        if (values !== undefined) rewrite[columnOf[k]!] = (_c, text) => (Object.hasOwn(values, text.trim()) ? values[text.trim()] : undefined);
        else if (dateFields.has(field) && forms.length > 0) rewrite[columnOf[k]!] = (_c, text) => canonicalDate(text, forms);
      });
      inner.header(kept, Int32Array.from(keptColumn), line, width);
    },
    row(bytes, starts, ends, line) {
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
          const to = f(c, text);
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
