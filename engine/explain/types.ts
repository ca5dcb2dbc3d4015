// The document `guize explain --format json` writes and the editor's teacher view reads: one
// subject, every requirement that applies to them (met or not), every row of theirs and what
// became of it, step by step in the policy's own terms. It is a public interface: add members,
// never rename or remove one. Its own keys are fixed (so a tool can read any policy's
// explanation); the policy's names are values (`names.subject_key` is the policy's subject key field).
// Measures and requirement values are numbers as `guize eval` writes them (exact decimals rounded
// half up to 2 places, or exact decimal text for a value too large for a JSON number); values in a
// trace are exact decimal text, unrounded, as the rules worked them out.

/** A number as the eval report writes it. */
export type JsonNumber = number | string;

/** A text in both languages (a bilingual label "中文 / English" split in two). */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/**
 * A value in a trace: a number as exact decimal text (`"12.5"`), a yes/no, a text, an enum
 * value or a date (`"2018-03-05"`) as text; null for a missing value; a grouped total or a
 * table row as an object of exact decimal texts (or the cells as written).
 */
export type TraceValue = string | boolean | null | { readonly [key: string]: string | boolean };

/** What a node of a trace is. */
export type TraceNodeKind =
  /** A number, text, yes/no or date written in the rule. */
  | 'literal'
  /** A field of the record; of the subject (the subjects file). */
  | 'field' | 'subject_field'
  | 'parameter' | 'setting' | 'let' | 'measure'
  /** The key of a requirement's `for … in table` loop. */
  | 'loop'
  /** A bare enum value (`training` in `kind == training`). */
  | 'enum_value'
  /** `period`, `cycle_from`, `cycle_to`, `cycle_length`. */
  | 'ambient'
  /** An operator: `name` is `+ - * / == != < <= > >= and or not neg between in is_present is_missing`. */
  | 'operator'
  /** `if c then a else b`: `args` are the condition and the branch taken (the other is null). */
  | 'if'
  /** A keyed table's cell `table[key].column` (or row, without `column`). */
  | 'lookup'
  /** A banded table's band for a number, `bands(x).column` (or the band's row, without `column`). */
  | 'band'
  /** One group of a grouped measure, `measure[key]`. */
  | 'group'
  /** A built-in function (`year`, `add_years`, `round`, …). */
  | 'call'
  /** `sum(…)` or `count(…)` over the totals in scope. */
  | 'aggregate'
  /**
   * `previous(m)` / `previous(m, default)` in a repeating cycle: `name` is the measure `m`,
   * `value` its value in the subject's previous cycle, named by `cycle` — or, in the first cycle
   * (`cycle` null), the default's (`args`: the default as written, if any; 0 without one).
   */
  | 'previous';

/**
 * One expression node as it ran, with its value and the sub-expressions it read. Versions are
 * transparent: where a policy of several versions chooses by the version in force, the trace
 * shows only what the version in force says (and `version` names a parameter's or table's copy).
 */
export interface TraceNode {
  readonly kind: TraceNodeKind;
  /**
   * A name's id (a field, a parameter, a let), a literal as written, an
   * operator, a function, a table's id, `sum`/`count`, or a grouped measure's id.
   */
  readonly name: string;
  /** The value it gave (null: missing). */
  readonly value: TraceValue;
  /** Set when the node stopped the rule for want of a value: what was missing. */
  readonly missing?: string;
  /** For a lookup or group: the key looked up (an enum value). */
  readonly key?: string;
  /** For a lookup or band: the column read (`min`, `coefficient`). */
  readonly column?: string;
  /** For a band: the label of the band chosen. */
  readonly band?: string;
  /** For a parameter or table that differs between versions: the version whose value this is. */
  readonly version?: string;
  /** For `previous`: the cycle whose value it is (the one before), or null in the first cycle (the default). */
  readonly cycle?: string | null;
  /**
   * The operands, in order as written; null for one that did not run (`and`/`or` stop early,
   * an `if` runs one branch). For a lookup, the key; for a band, the number; for a group, the
   * measure and the key.
   */
  readonly args: readonly (TraceNode | null)[];
}

/** A `let` as worked out: its value, its unit, and how. */
export interface LetStep {
  /** The let's id. */
  readonly let: string;
  /** Its value (exact). */
  readonly value: TraceValue;
  /** Its unit for people (empty for no unit). */
  readonly unit: Bilingual;
  /** The articles it cites, joined with "; ". */
  readonly article: string;
  /** Its expression as it ran. */
  readonly trace: TraceNode;
}

/** What a counted record added to one total. */
export interface Contribution {
  /** The measure (or requirement) whose `sum(…)`/`count(…)` it went into. */
  readonly measure: string;
  /** For a grouped sum: the group (the `by` field's value). */
  readonly key: string | null;
  /** What it added (exact decimal text). */
  readonly amount: string;
  /** The period it counts in (it counts in the cycle too), or null: in scope but outside the periods (the cycle only). */
  readonly period: number | null;
  /** The `where` condition as it ran (absent for a sum without one). */
  readonly where?: TraceNode;
  /** The value summed as it ran (absent for `count`). */
  readonly value_trace?: TraceNode;
}

/** What became of a row. */
export type RecordStatus = 'counted' | 'disregarded' | 'rejected' | 'out_of_scope';

/** The rule that decided a row's fate (or the field or key it was rejected for). */
export interface RecordOutcome {
  /** The rule id (an outcome rule, the rule that needed a missing value, a field that did not fit, or the record key for a repeat). */
  readonly rule: string | null;
  /** The reason, in both languages. */
  readonly reason: Bilingual;
  /** The reason as the eval report writes it (`rejected[].reason`): "中文 / English". */
  readonly reason_text: string;
  readonly article: string;
  /** For an outcome rule: its condition as it ran. */
  readonly when?: TraceNode;
}

/** One row of the subject in the records file. */
export interface RecordExplanation {
  /** The line in the records file. */
  readonly line: number;
  /** The record's key (the value of the policy's record key field), when it could be read. */
  readonly key: string | null;
  readonly status: RecordStatus;
  /** The version in force on the record's date (null: before or after every version, or not decoded). */
  readonly version: string | null;
  /** The record's period (its year), when it was decoded. */
  readonly period: number | null;
  /** Its fields as decoded (null: rejected before it could be decoded). */
  readonly fields: { readonly [field: string]: TraceValue } | null;
  /** Why it was disregarded, rejected or out of scope (null when counted). */
  readonly outcome: RecordOutcome | null;
  /** The lets worked out for it, in the order they were finished (what a let reads comes first). */
  readonly steps: readonly LetStep[];
  /** For a counted record: what it added to which totals. */
  readonly contributions: readonly Contribution[];
}

/** How a requirement's check came out. */
export type CheckStatus = 'met' | 'violated' | 'not_applicable' | 'unknown';

/** One check of a requirement: in one period or for the cycle, for one loop key. */
export interface RequirementCheck {
  readonly rule: string;
  /** The loop key (a row of the loop's table), or null. */
  readonly key: string | null;
  /** The requirement's label (placeholders filled), with the key. */
  readonly label: Bilingual;
  readonly article: string;
  /** met; violated; not_applicable (its `when` was false); unknown (a value it needs is missing). */
  readonly status: CheckStatus;
  /** The comparison: actual `op` required. */
  readonly op: string;
  readonly actual: JsonNumber | null;
  readonly required: JsonNumber | null;
  /** The unit of the compared values, for people. */
  readonly unit: Bilingual;
  /** When violated: how far from the requirement, |required − actual| exactly, rounded as the numbers are. */
  readonly shortfall: JsonNumber | null;
  /** The same, exact, with at least 2 places (`"1.875"`): what `message` says. */
  readonly shortfall_exact: string | null;
  /** What it comes to, in words ("<period> <label>还差 <n> <unit>" / "<period>: <label> needs <n> more <unit>"). */
  readonly message: Bilingual;
  /** For unknown: the value that was missing. */
  readonly problem?: string;
  /** Its `when` as it ran. */
  readonly when?: TraceNode;
  /** Its two sides as they ran (absent when not applicable). */
  readonly actual_trace?: TraceNode;
  readonly required_trace?: TraceNode;
}

/** One period (or the cycle): the measures, the lets the checks worked out, the checks. */
export interface ScopeExplanation {
  /** The period (a year), or null for the cycle. */
  readonly period: number | null;
  /**
   * For periods other than the years of a fixed cycle: the period's name (`2016-Q3`,
   * `2022-04-01/2023-03-31`); `period` is then its place. For a window, its name, as `window`.
   */
  readonly name?: string;
  /**
   * A window of `per N periods` requirements (`2020/2022`; `period` is then null): its measures
   * over its periods together, and the checks of those requirements.
   */
  readonly window?: string;
  /** The version the requirements were checked under (the one in force on the scope's last day). */
  readonly version: string;
  /** Every measure's value, by id (a grouped one by key), as `guize eval` gives it (null: it needs a value the subject lacks). */
  readonly measures: { readonly [measure: string]: JsonNumber | { readonly [key: string]: JsonNumber } | null };
  readonly steps: readonly LetStep[];
  /** Every check of a requirement in force in this scope's version, in the order the policy writes them. */
  readonly checks: readonly RequirementCheck[];
  /**
   * In a repeating cycle: each `previous(m)` the scope read, with the cycle its value comes from
   * (or the default, in the first cycle).
   */
  readonly previous?: readonly PreviousValue[];
  /**
   * In a repeating cycle: how each measure that reads `previous(…)` (itself, or through another
   * measure) was worked out here, in the policy's order — `carried`, then `credited = earned + carried`.
   */
  readonly derivations?: readonly MeasureStep[];
}

/** A `previous(m)` as a scope read it. */
export interface PreviousValue {
  /** The measure `m`. */
  readonly measure: string;
  /** Its value in the previous cycle, or the default's in the first (exact decimal text; null: missing). */
  readonly value: TraceValue;
  /** The previous cycle's name (as eval names it), or null: this is the first cycle, the default applied. */
  readonly cycle: string | null;
  /** The default as written and worked out (first cycle only; null: none written, 0). */
  readonly default: TraceNode | null;
}

/** A measure as worked out in a scope: its value, its unit, and how. */
export interface MeasureStep {
  readonly measure: string;
  /** Its value (exact; null: missing). */
  readonly value: TraceValue;
  readonly unit: Bilingual;
  readonly article: string;
  readonly trace: TraceNode;
}

/** A measure's description. */
export interface MeasureInfo {
  readonly id: string;
  readonly label: Bilingual | null;
  readonly unit: Bilingual;
  readonly grouped: boolean;
}

/** Where a rule, parameter, setting, table row or band used in the explanation comes from. */
export interface RuleUse {
  readonly kind: 'rule' | 'parameter' | 'setting' | 'row' | 'band';
  /** A rule's or parameter's id, `table[row]` for a row, `table/label` for a band. */
  readonly item: string;
  /** The version in force where it was used. */
  readonly version: string;
  /**
   * own: written by this policy; inherited: the parent's, unchanged; overridden: the parent's,
   * changed here (null when no provenance was given).
   */
  readonly origin: 'own' | 'inherited' | 'overridden' | null;
  /** The policy and version whose file writes it, the file and line (null without provenance). */
  readonly written_by: { readonly policy: string; readonly version: string; readonly file: string; readonly line: number } | null;
  readonly article: string;
}

/** The explanation of one subject's results. */
export interface Explanation {
  readonly format: 'guize-explanation';
  /** This document's layout version. */
  readonly format_version: 1;
  /**
   * In a repeating cycle: the cycle explained, as eval names it (`2021-2022`); its scopes, checks,
   * records and rules are that cycle's. Absent without repetition.
   */
  readonly cycle?: string;
  /** In a repeating cycle: the cycle before it, which `previous(…)` reads (null: the first). */
  readonly previous_cycle?: string | null;
  readonly policy: {
    readonly id: string;
    /** The version (a combination's latest, or the one chosen). */
    readonly version: string;
    readonly document: string;
    readonly effective: string;
    /** With several versions: each, as the eval report lists them. */
    readonly versions?: readonly { readonly version: string; readonly effective: string; readonly until?: string; readonly document: string; readonly hypothetical?: true }[];
  };
  /** The policy's names for what is explained. */
  readonly names: {
    /** The subject key field, the subjects' collection, the period's name. */
    readonly subject_key: string;
    readonly subjects: string;
    readonly period: string;
    /** The record key field, and the record field the period is read from. */
    readonly record_key: string;
    readonly period_field: string;
  };
  readonly subject: {
    readonly id: string;
    /** Whether the subjects file lists them. */
    readonly listed: boolean;
    /** Their facts from the subjects file (key aside), null where empty. */
    readonly fields: { readonly [field: string]: TraceValue };
    /** False for a subject outside a fork's own subjects: no requirement applies, every record is out of scope. */
    readonly in_scope: boolean;
    /** For a subject out of scope: the rule that says so. */
    readonly scope_rule?: { readonly rule: string; readonly reason: Bilingual; readonly article: string };
  };
  /** Whether every requirement is met (null when out of scope: not evaluated). */
  readonly compliant: boolean | null;
  /** The checks that failed (violated or unknown), in scope order: what the subject lacks. */
  readonly shortfalls: readonly (RequirementCheck & { readonly period: number | null; readonly window?: string; readonly version: string })[];
  readonly measures: readonly MeasureInfo[];
  /** One per period, then the cycle (none when out of scope). */
  readonly scopes: readonly ScopeExplanation[];
  readonly records: {
    /** Rows of the subject: evaluated (counted + disregarded), rejected, out of scope. */
    readonly summary: {
      readonly rows: number;
      readonly evaluated: number;
      readonly counted: number;
      readonly disregarded: number;
      readonly rejected: number;
      readonly out_of_scope: number;
    };
    /** Every row of the subject, in file order. */
    readonly rows: readonly RecordExplanation[];
  };
  /** Every rule, parameter, setting, table row and band used, per version in force. */
  readonly rules: readonly RuleUse[];
}

/**
 * A repeating cycle's explanation (`guize explain --format json` of a policy with `cycle.every`):
 * one {@link Explanation} per cycle of the subject, in order, each with its `cycle`.
 */
export interface CycleExplanations {
  readonly format: 'guize-explanation-cycles';
  readonly format_version: 1;
  /** The subject's id. */
  readonly subject: string;
  /** Every cycle of the subject, in order (as eval names them), whether explained here or not. */
  readonly cycles: readonly string[];
  /** One per cycle explained (all of them, or the one `--cycle` names), in order. */
  readonly explanations: readonly Explanation[];
  /**
   * The subject's rows in no cycle: dated outside every cycle, or rejected before their date was
   * read (absent when one cycle is explained: they are no cycle's).
   */
  readonly outside_cycles?: {
    readonly summary: Explanation['records']['summary'];
    readonly rows: readonly RecordExplanation[];
  };
}
