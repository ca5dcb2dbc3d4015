/**
 * The types of input mappings (a policy folder's mappings/*.yaml, read by mapping-file.ts and
 * applied to rows by engine/input/mapping.ts), and the date forms they write. Portable.
 */

/** How one file (the records, or the subjects) of a foreign layout is read. */
export interface FileLayout {
  /** Column name in the file → the canonical field it holds. */
  readonly columns: Readonly<Record<string, string>>;
  /** Per canonical field: a value as written in the file → the canonical value. */
  readonly values: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Date forms the file writes (`YYYY/M/D`, `YYYY年M月D日`), tried in order on every date field. */
  readonly dates: readonly string[];
  /** The canonical fields of type date (their values are read with `dates`). */
  readonly dateFields: readonly string[];
}

/** A mapping declared with the policy: a name, what it is, and a layout per file. */
export interface InputMapping {
  /** The mapping's id (`provincial`). */
  readonly id: string;
  /** What it is, for people. */
  readonly title: string;
  /** Where it was read from (the mapping file). */
  readonly file: string;
  readonly records?: FileLayout | undefined;
  readonly subjects?: FileLayout | undefined;
  /** Column names holding personal data (names, ID-card numbers): never read, never shown. */
  readonly privateColumns: readonly string[];
}

/** Reads a date form into a matcher: YYYY, MM/M, DD/D are the year, month and day; anything else is literal. */
export function dateForm(form: string): RegExp | undefined {
  let re = '';
  let year = 0;
  let month = 0;
  let day = 0;
  for (let i = 0; i < form.length;) {
    const rest = form.slice(i);
    if (rest.startsWith('YYYY')) {
      re += '(?<y>\\d{4})';
      year++;
      i += 4;
    } else if (rest.startsWith('MM') || rest.startsWith('DD')) {
      re += rest[0] === 'M' ? '(?<m>\\d{2})' : '(?<d>\\d{2})';
      if (rest[0] === 'M') month++;
      else day++;
      i += 2;
    } else if (rest[0] === 'M' || rest[0] === 'D') {
      re += rest[0] === 'M' ? '(?<m>\\d{1,2})' : '(?<d>\\d{1,2})';
      if (rest[0] === 'M') month++;
      else day++;
      i += 1;
    } else {
      re += rest[0]!.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
      i += 1;
    }
  }
  return year === 1 && month === 1 && day === 1 ? new RegExp(`^${re}$`) : undefined;
}

