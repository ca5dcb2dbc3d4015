// The policy's tables as arrays in the generated code, one set per column read, so that a rule
// reads a cell by an index (a key's code, a band's number) instead of searching rows.

import { baseId, type BandTableDecl, type KeyedTableDecl } from '../../dsl/index.ts';
import { Decimal } from '../decimal.ts';
import { dateNumber, MAX_FAST_SCALE } from '../row-decoder.ts';

/**
 * A table column as three arrays of the generated code, by name: `m` holds numbers' mantissas,
 * 1/0 for yes/no, or the `K` index of a text; `s` the scale (0 for non-numbers), -1 where the
 * table has no such row, -2 where a number has no fast form; `what` the `K` index of the missing
 * row's name.
 */
export interface Column {
  readonly m: string;
  readonly s: string;
  readonly what: string;
}

/** Declares each column once, at the top of the factory, and names it for the rules that read it. */
export class TableColumns {
  private readonly columns = new Map<string, Column>();

  constructor(
    /** The `K` index of a constant. */
    private readonly constant: (value: unknown) => number,
    /** The factory's declarations, which the columns join. */
    private readonly decls: string[],
    /** A fresh identifier. */
    private readonly temp: () => string,
  ) {}

  /** A keyed table's column, indexed by the code of the key among `dom` (the key field's values). */
  keyed(table: KeyedTableDecl, column: string, dom: readonly string[]): Column | undefined {
    const id = `keyed:${table.id}:${column}`;
    const cached = this.columns.get(id);
    if (cached) return cached;
    const c = table.columns.find((x) => x.name === column);
    if (!c) return undefined;
    const m: string[] = [];
    const s: string[] = [];
    const what: string[] = [];
    for (const key of dom) {
      const row = table.rows.find((r) => r.key === key);
      what.push(String(this.constant(`${baseId(table.id)}[${key}]`)));
      if (!row) {
        m.push('0');
        s.push('-1');
        continue;
      }
      const [cm, cs] = this.cellParts(row.cells[column]!, c.type);
      m.push(cm);
      s.push(cs);
    }
    return this.declare(id, m, s, what);
  }

  /** A banded table's column (or its `label`), by band index; the last entry is `below`. */
  band(band: BandTableDecl, column: string): Column | undefined {
    const id = `band:${band.id}:${column}`;
    const cached = this.columns.get(id);
    if (cached) return cached;
    // `label` is the band's own name, whatever the columns are called (as the checks read it).
    const c = column === 'label' ? undefined : band.columns.find((x) => x.name === column);
    if (column !== 'label' && !c) return undefined;
    const m: string[] = [];
    const s: string[] = [];
    for (const b of [...band.bands, band.below]) {
      const [cm, cs] = c ? this.cellParts(b.cells[column]!, c.type) : [String(this.constant(b.label)), '0'];
      m.push(cm);
      s.push(cs);
    }
    return this.declare(id, m, s, m.map(() => '0'));
  }

  private cellParts(cell: string | boolean, type: 'number' | 'bool' | 'text' | 'date'): [string, string] {
    switch (type) {
      case 'bool': return [cell === true ? '1' : '0', '0'];
      case 'date': return [String(dateNumber(String(cell))), '0'];
      case 'text': return [String(this.constant(String(cell))), '0'];
      case 'number': {
        const d = Decimal.parse(String(cell))!;
        const dm = d.safeMantissa;
        return dm !== undefined && d.scale <= MAX_FAST_SCALE ? [String(dm), String(d.scale)] : ['0', '-2'];
      }
    }
  }

  private declare(id: string, m: string[], s: string[], what: string[]): Column {
    const names = { m: this.temp(), s: this.temp(), what: this.temp() };
    this.decls.push(`const ${names.m} = [${m.join(', ')}], ${names.s} = [${s.join(', ')}], ${names.what} = [${what.join(', ')}];`);
    this.columns.set(id, names);
    return names;
  }
}
