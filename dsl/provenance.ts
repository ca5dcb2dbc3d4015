// Provenance: for each parameter, setting, table row, band and rule of one resolved version, the
// file, line, policy version and article it comes from, and whether the policy wrote it itself
// (own), took it from its parent unchanged (inherited) or changed the parent's (overridden). Every
// declaration keeps the span of the file that wrote it (apply-change.ts), so this is read off the
// spans; the parent is needed only to tell an override from an addition.

import type { PolicyAst } from './policy.ts';
import type { SourceFile, Span } from './source.ts';

/** Who wrote a file: a policy's id and the version the file is. */
export interface FileOwner {
  readonly policy: string;
  readonly version: string;
  /** 0 for the policy loaded, 1 for its parent, … */
  readonly depth: number;
}

/** What provenance needs to know of how a policy was loaded. */
export interface PolicyOrigins {
  /** Every policy file read, by path. */
  readonly files: ReadonlyMap<string, FileOwner>;
  /** A fork's version → the parent version it was applied to. */
  readonly parentOf: ReadonlyMap<string, PolicyAst>;
}

/** Whether the policy wrote an item itself, inherited it, or changed its parent's. */
export type Origin = 'own' | 'inherited' | 'overridden';

/** Where one item in force comes from. */
export interface ProvenanceEntry {
  readonly kind: 'parameter' | 'setting' | 'table' | 'row' | 'band' | 'rule';
  /** `min_hours_yearly`, `rate_range[school]`, `grade/良`, … */
  readonly item: string;
  /** The value in force, for parameters, settings, rows and bands. */
  readonly value: string | undefined;
  readonly origin: Origin;
  /** The policy and version whose file writes it. */
  readonly policy: string;
  readonly version: string;
  readonly file: string;
  /** 1-based line of the item in that file. */
  readonly line: number;
  readonly cites: readonly string[];
}

const cellsText = (cells: Readonly<Record<string, string | boolean>>): string => Object.entries(cells).map(([k, v]) => `${k}: ${String(v)}`).join(', ');

/** The provenance of everything in force in `p`, one resolved version, in declaration order. */
export function provenanceOf(p: PolicyAst, origins: PolicyOrigins, sources: ReadonlyMap<string, SourceFile>): ProvenanceEntry[] {
  const parent = origins.parentOf.get(p.version);
  const out: ProvenanceEntry[] = [];
  const entry = (kind: ProvenanceEntry['kind'], item: string, value: string | undefined, span: Span, cites: readonly string[], inParent: boolean) => {
    const owner = origins.files.get(span.file);
    const own = owner === undefined || owner.depth === 0;
    out.push({
      kind, item, value,
      origin: !own ? 'inherited' : inParent ? 'overridden' : 'own',
      policy: owner?.policy ?? p.id, version: owner?.version ?? p.version,
      file: span.file, line: lineOf(sources.get(span.file), span.start), cites,
    });
  };
  for (const d of p.parameters) entry('parameter', d.id, `${d.value}${d.unit === '1' ? '' : ` ${d.unit}`}`, d.valueSpan, d.cites, has(parent?.parameters, d.id));
  for (const d of p.settings) entry('setting', d.id, String(d.value), d.valueSpan, d.cites, has(parent?.settings, d.id));
  for (const t of p.tables) {
    const was = parent?.tables.find((x) => x.id === t.id);
    entry('table', t.id, undefined, t.span, t.cites, was !== undefined);
    if (t.kind === 'keyed') {
      for (const r of t.rows) {
        const inParent = was?.kind === 'keyed' && was.rows.some((x) => x.key === r.key);
        entry('row', `${t.id}[${r.key}]`, cellsText(r.cells), r.span, r.cites.length > 0 ? r.cites : t.cites, inParent);
      }
    } else {
      for (const b of [...t.bands, t.below]) {
        const inParent = was?.kind === 'bands' && [...was.bands, was.below].some((x) => x.label === b.label);
        const value = `${b === t.below ? 'below' : `from ${b.from}`}, ${cellsText(b.cells)}`;
        entry('band', `${t.id}/${b.label}`, value, b.span, b.cites.length > 0 ? b.cites : t.cites, inParent);
      }
    }
  }
  for (const s of p.rules.statements) entry('rule', s.id, undefined, s.idSpan, s.cites, has(parent?.rules.statements, s.id));
  return out;
}

const has = (items: readonly { readonly id: string }[] | undefined, id: string): boolean => items?.some((x) => x.id === id) ?? false;

function lineOf(source: SourceFile | undefined, offset: number): number {
  if (!source) return 0;
  let line = 1;
  const end = Math.min(offset, source.text.length);
  for (let i = 0; i < end; i++) if (source.text.charCodeAt(i) === 10) line++;
  return line;
}
