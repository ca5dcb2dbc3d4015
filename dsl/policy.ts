// The parsed policy: what policy-file.ts reads out of the YAML file, before any check. The rules
// section is already an AST (ast.ts); everything else is plain declarations with spans.

import type { Expr, RuleProgram } from './ast.ts';
import type { Span } from './source.ts';

/** The value types a record or subject field can have. */
export type FieldType = 'text' | 'number' | 'date' | 'bool' | 'enum';

/** Shared by every declaration: a stable id, its citation and note, and where it was written. */
export interface DeclBase {
  /** Stable id: forks override and diffs match declarations by it. */
  readonly id: string;
  /** The article(s) the declaration encodes, e.g. `办法 第3条`. */
  readonly cites: readonly string[];
  /** Why the value reads as it does, for the officer reading the file. */
  readonly note: string | undefined;
  readonly span: Span;
}

/** One column of the records or subjects file. */
export interface FieldDecl extends DeclBase {
  readonly type: FieldType;
  /** Allowed values of an `enum` field. */
  readonly values: readonly string[];
  /** Unit of a `number` field (e.g. `hour`, `credit/hour`); `1` when dimensionless. */
  readonly unit: string;
  /** Where the unit is written (the field's name when it is not). */
  readonly unitSpan: Span;
  /** A required field must be present and non-empty in every row. */
  readonly required: boolean;
  /** Inclusive bounds of a `number` field, as decimal text. */
  readonly min: string | undefined;
  readonly max: string | undefined;
}

/** A unit of measure the policy uses, with its names for people. */
export interface UnitDecl {
  readonly id: string;
  readonly zh: string;
  readonly en: string;
  readonly span: Span;
}

/** A reading the text leaves open, made explicit: a yes/no or one of a few named choices. */
export interface SettingDecl extends DeclBase {
  readonly value: boolean | string;
  /** The choices of a named setting; empty for a yes/no one. */
  readonly choices: readonly string[];
  readonly valueSpan: Span;
}

/**
 * One end of a range a fork may choose within: a number, or (in a keyed table) the value of a
 * column of the same row in the parent, as article 10 lets a department set a rate within the
 * row's range.
 */
export type ForkBound = { readonly number: string } | { readonly column: string };

/** The range a parent lets its forks choose a value within (`fork_range: [low, high]`). */
export interface ForkRange {
  readonly low: ForkBound;
  readonly high: ForkBound;
  readonly span: Span;
}

/** A number the rules use, with its unit (floors, rates, multipliers), or a date (`type: date`). */
export interface ParameterDecl extends DeclBase {
  /** `number` (the default) or `date`. */
  readonly type: 'number' | 'date';
  /** Decimal text or `YYYY-MM-DD`, exactly as written. */
  readonly value: string;
  readonly unit: string;
  readonly unitSpan: Span;
  readonly valueSpan: Span;
  /** The range a fork may set the value within (numbers only). */
  readonly forkRange?: ForkRange;
}

/** A column of a table: a number with a unit, a yes/no, a text or a date (`YYYY-MM-DD`). */
export interface ColumnDecl {
  readonly name: string;
  readonly type: 'number' | 'bool' | 'text' | 'date';
  readonly unit: string;
  readonly unitSpan: Span;
  readonly span: Span;
}

/** A cell of a table: decimal text for numbers, `YYYY-MM-DD` for dates. */
export type CellValue = string | boolean;

/** One row of a keyed table. */
export interface TableRow {
  readonly key: string;
  readonly keySpan: Span;
  readonly cells: Readonly<Record<string, CellValue>>;
  readonly cellSpans: Readonly<Record<string, Span>>;
  /** The row's own article (`cite:` in the row): a county's row cites the county's document. */
  readonly cites: readonly string[];
  readonly note: string | undefined;
  readonly span: Span;
}

/** A table looked up by an enumerated key: `rate_range[level].max`. */
export interface KeyedTableDecl extends DeclBase {
  readonly kind: 'keyed';
  /** The enum field whose values key the table. */
  readonly key: string;
  readonly keySpan: Span;
  readonly columns: readonly ColumnDecl[];
  readonly rows: readonly TableRow[];
  /** Per column, the range a fork may set each row's cell within. */
  readonly forkRange?: Readonly<Record<string, ForkRange>>;
}

/** One band of a banded table: applies from `from` (inclusive) up to the next band's `from`. */
export interface Band {
  readonly label: string;
  /** Lower bound as decimal text. */
  readonly from: string;
  readonly fromSpan: Span;
  /**
   * The band's upper end as the document writes it (`80–89分` → `to: 89`), inclusive, decimal
   * text; optional. It changes no result (a band runs up to the next one's `from`): the checker
   * holds it against the band above (`band-gap`, `band-overlap`).
   */
  readonly to: string | undefined;
  readonly toSpan: Span;
  readonly cells: Readonly<Record<string, CellValue>>;
  readonly cellSpans: Readonly<Record<string, Span>>;
  /** The band's own article (`cite:` in the band). */
  readonly cites: readonly string[];
  readonly note: string | undefined;
  readonly span: Span;
}

/** A table looked up by a number falling into bands by lower bound: `grade(score).coefficient`. */
export interface BandTableDecl extends DeclBase {
  readonly kind: 'bands';
  /** Unit of the number looked up. */
  readonly unit: string;
  readonly unitSpan: Span;
  readonly columns: readonly ColumnDecl[];
  /** As written; the checker requires strictly descending lower bounds. */
  readonly bands: readonly Band[];
  /** What a number below the lowest band gets. */
  readonly below: Band;
}

/** A table of the policy. */
export type TableDecl = KeyedTableDecl | BandTableDecl;

/**
 * How long one period is: a calendar year, half-year, quarter or month (or, in a cycle per
 * subject, that many months counted from the subject's own date).
 */
export type PeriodBy = 'year' | 'half-year' | 'quarter' | 'month';

/** The period requirements are checked per (e.g. the calendar year of the record's date). */
export interface PeriodDecl {
  /** Date field of the record that decides its period. */
  readonly field: string;
  readonly by: PeriodBy;
  /** Name of one period in the output (`year`), and of the collection of periods (`years`). */
  readonly name: string;
  readonly collection: string;
  readonly span: Span;
  /** The `field` value: where a wrong period field is reported. */
  readonly fieldSpan: Span;
}

/**
 * A cycle per subject: each subject's window is `length` counted from (`from:`) or back from
 * (`before:`) a date field of the subject, so each subject has periods of its own.
 */
export interface SubjectCycleDecl {
  /** The subject's date field the window is counted from. */
  readonly field: string;
  readonly fieldSpan: Span;
  /** `from`: the window starts on the field's day; `before`: it ends the day before it. */
  readonly anchor: 'from' | 'before';
  /** The window's length in months; NaN when `length` is not `N years` or `N months`. */
  readonly months: number;
  /** `length` as written (empty when absent). */
  readonly lengthText: string;
  readonly lengthSpan: Span;
}

/** The cycle: the consecutive periods evaluated together. */
export interface CycleDecl {
  /**
   * The first and last year of a calendar cycle; NaN when not written as a plain year (`0x7E0`,
   * `2.016e3`) — and for a cycle per subject (`perSubject`), which has no years of its own.
   */
  readonly from: number;
  readonly to: number;
  /** The years as written. */
  readonly fromText: string;
  readonly toText: string;
  /**
   * `every: n`: the cycle repeats — consecutive cycles of `n` periods from `from` to `to` (for a
   * cycle per subject: over each subject's window), each subject evaluated once per cycle, and
   * `previous(measure)` reads the cycle before. NaN when not written as a whole number; undefined
   * when the periods are one cycle.
   */
  readonly every?: number;
  /** `every` as written. */
  readonly everyText?: string;
  /** Where `every` is written. */
  readonly everySpan?: Span;
  /** Where `length` is written, if it is (only a cycle per subject has one). */
  readonly lengthSpan?: Span;
  /** Set for a cycle per subject (`from: <subject field>` or `before: <subject field>`, with `length`). */
  readonly perSubject?: SubjectCycleDecl;
  readonly cites: readonly string[];
  readonly note: string | undefined;
  readonly span: Span;
}

/** The records file's shape: its key field, the field naming the subject, and all fields. */
export interface RecordDecl {
  readonly key: string;
  readonly keySpan: Span;
  readonly subject: string;
  readonly subjectSpan: Span;
  /** Cited when a later row repeats a key. */
  readonly keyCites: readonly string[];
  readonly fields: readonly FieldDecl[];
}

/** Who results are per: the subjects file's key, the output's collection name, and its fields. */
export interface SubjectDecl {
  readonly key: string;
  readonly collection: string;
  readonly fields: readonly FieldDecl[];
  readonly span: Span;
}

/**
 * What becomes of records dated before the policy's first version took effect: evaluated under
 * that version (`evaluate`, when the document itself reaches back, as a cycle that began before
 * it), or out of scope (`out_of_scope`, the default).
 */
export interface BeforeEffectiveDecl {
  readonly value: 'evaluate' | 'out_of_scope';
  readonly cites: readonly string[];
  readonly note: string | undefined;
  readonly span: Span;
}

/**
 * The id a declaration was written under. Combining versions makes a copy of a declaration per
 * version where they differ, named `id@version` (`min_credits_yearly@2019.1`): messages show it
 * under its own name.
 */
export function baseId(id: string): string {
  const at = id.indexOf('@');
  return at < 0 ? id : id.slice(0, at);
}

/**
 * Where a fork's rule is written, as its results name it: the policy's own, inherited from its
 * parent unchanged, or the parent's overridden (provenance.ts works it out).
 */
export interface RuleSource {
  readonly origin: 'own' | 'inherited' | 'overridden';
  /** The policy and version whose file writes the rule. */
  readonly policy: string;
  readonly version: string;
  readonly file: string;
  /** 1-based line of the rule's id in that file. */
  readonly line: number;
}

/** One version of a policy, as the combined program and its results name it. */
export interface VersionInfo {
  readonly version: string;
  readonly effective: string;
  readonly until: string | undefined;
  readonly document: string;
  readonly title: string;
  readonly hypothetical: boolean;
  readonly change: string | undefined;
  /** The file the version is written in. */
  readonly file: string;
  /** For a fork: where each rule in force in this version is written, by rule id. */
  readonly ruleSources?: ReadonlyMap<string, RuleSource>;
}

/**
 * A fork's own subjects (`subjects: where …`): the others, and their records, are out of scope.
 * Read only from subject fields and constants, so it is decided once per subject.
 */
export interface SubjectScopeDecl {
  /** The id of the exclusion its records are counted under. */
  readonly id: string;
  readonly idSpan: Span;
  readonly where: Expr;
  /** The condition as written, for the reason given to everyone else's records. */
  readonly text: string;
  readonly cites: readonly string[];
  readonly note: string | undefined;
  readonly span: Span;
}

/** A whole policy as parsed from its file (or, for a later version or a fork, as resolved). */
export interface PolicyAst {
  readonly file: string;
  readonly id: string;
  readonly version: string;
  readonly effective: string;
  readonly effectiveSpan: Span;
  /** The last day this version is in force (only the last version may have one). */
  readonly until: string | undefined;
  readonly document: string;
  readonly title: string;
  /** Said of an illustrative version that no real document issued. */
  readonly hypothetical: boolean;
  /** What this version changes (a later version's `change:` note). */
  readonly change: string | undefined;
  /** Records before `effective`; undefined when the file does not say (then out of scope). */
  readonly beforeEffective: BeforeEffectiveDecl | undefined;
  /**
   * Set on the combination of several versions into one program (combine-versions.ts): the
   * versions, by effective date; rules switch between them on VERSION_NAME.
   */
  readonly versions?: readonly VersionInfo[];
  /** A fork's own subjects; undefined when every subject is in scope. */
  readonly subjectScope?: SubjectScopeDecl;
  /** For a fork's version: where each rule in force is written, by rule id (undefined for a policy that extends nothing). */
  readonly ruleSources?: ReadonlyMap<string, RuleSource>;
  readonly units: readonly UnitDecl[];
  readonly subject: SubjectDecl;
  readonly record: RecordDecl;
  readonly period: PeriodDecl;
  readonly cycle: CycleDecl;
  readonly settings: readonly SettingDecl[];
  readonly parameters: readonly ParameterDecl[];
  readonly tables: readonly TableDecl[];
  readonly rules: RuleProgram;
}
