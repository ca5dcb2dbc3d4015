// The document `guize diff --format json` writes, and what the HTML report and the editor's
// change view read. It is a public interface (analysts' scripts and a county's CI read it): add
// members, never rename or remove one. Names follow the policy where the eval report does (the
// subject key — `teacher_id` for Lincang — and the measure ids); numbers are as in `eval`: exact
// decimals rounded half up to 2 places, as JSON numbers (or exact decimal text for a value too
// large for one).

/** A number as the eval report writes it. */
export type JsonNumber = number | string;

/** One side of the comparison: the policy and the version named on the command line. */
export interface DiffSide {
  /** The policy's id (`lincang.teacher-training`). */
  readonly id: string;
  /** The version pinned (`2017.1`), or null when every version applies by date. */
  readonly version: string | null;
  /** The policy's document (文件号), when it has one. */
  readonly document: string | null;
  /** What the user named: `policies/lincang@2017.1`. */
  readonly source: string;
}

/** A violation, as in the eval report (`rule`, `key`, `article`, `year`, `actual`, `required`, `message`, `version`, `origin`, `source`). */
export interface DiffViolation {
  readonly rule: string;
  readonly key: string | null;
  readonly article: string | null;
  /** The period (a year for Lincang), or null for the cycle. */
  readonly year: number | null;
  /** For a `per N periods` requirement: the window (`2020/2022`; `year` is then null). */
  readonly window?: string;
  readonly actual: JsonNumber | null;
  readonly required: JsonNumber | null;
  readonly message: string;
  readonly version?: string;
  /** For a fork: whose rule it is (`own`, `inherited`, `overridden`) and where it is written (`file:line`). */
  readonly origin?: string;
  readonly source?: string;
}

/** A subject's standing on one side. `present: false` when the side does not evaluate it (a fork's scope). */
export interface DiffStanding {
  readonly present: boolean;
  readonly compliant: boolean | null;
  readonly violations: readonly DiffViolation[];
}

/** A measure's value on both sides; `delta` is head − base (null when either is not a number). */
export interface MeasureChange {
  readonly base: JsonNumber | null;
  readonly head: JsonNumber | null;
  readonly delta: JsonNumber | null;
}

/** How a subject's status moved. */
export type Transition =
  | 'became_compliant' | 'became_non_compliant' | 'stayed_compliant' | 'stayed_non_compliant'
  | 'only_base' | 'only_head';

/** A subject whose status, violations or any measure differ between the sides. */
export interface ChangedSubject {
  /** The subject's key, under the policy's name for it (`teacher_id`). */
  readonly [subjectKey: string]: unknown;
  /** In a repeating cycle: the cycle of the subject's results compared (`2021-2022`), as eval names it. */
  readonly cycle?: string;
  readonly transition: Transition;
  readonly base: DiffStanding;
  readonly head: DiffStanding;
  /** Every cycle-level number measure that differs, by measure id (grouped measures as `modules.ethics`). */
  readonly measures: Readonly<Record<string, MeasureChange>>;
  /** The subject's group fields (`school_id`, `county_id`) from the subjects file, when given. */
  readonly groups?: Readonly<Record<string, string | null>>;
}

/** Failures of one requirement in one period (or the cycle) and loop key, on each side. */
export interface RuleFailures {
  readonly rule: string;
  readonly article: string | null;
  readonly year: number | null;
  /** For a `per N periods` requirement: the window (`2020/2022`; `year` is then null), each window tallied on its own. */
  readonly window?: string;
  readonly key: string | null;
  readonly base_failures: number;
  readonly head_failures: number;
  /** Subjects failing it on head and not on base, and the reverse. */
  readonly newly_failing: number;
  readonly newly_passing: number;
}

/** The distribution of head − base of one measure over the subjects on both sides. */
export interface MeasureDistribution {
  /** `credits`, or `modules.ethics` for a key of a grouped measure. */
  readonly measure: string;
  /** Subjects whose value changed. */
  readonly changed: number;
  readonly min: JsonNumber;
  readonly q1: JsonNumber;
  readonly median: JsonNumber;
  readonly q3: JsonNumber;
  readonly max: JsonNumber;
  /** Equal-width bins over [min, max] of the changed subjects' deltas. */
  readonly histogram: readonly { readonly from: JsonNumber; readonly to: JsonNumber; readonly count: number }[];
}

/** Record rows whose own outcome differs. */
export interface RecordChanges {
  /** Rows evaluated on both sides and counted by only one, or rejected by one side only, etc. */
  readonly accepted_to_rejected: number;
  readonly rejected_to_accepted: number;
  readonly counted_to_disregarded: number;
  readonly disregarded_to_counted: number;
  /** Rows counted on both sides whose contribution to any total differs. */
  readonly values_changed: number;
  /** Added: rows read (each side reads every one). */
  readonly rows_compared?: number;
  /** Added: rows whose outcome, deciding rule or contributions differ — the sum of the counts here. */
  readonly rows_changed?: number;
  /** Added: rows out of scope on head only (from any other outcome), and on base only. */
  readonly to_out_of_scope?: number;
  readonly from_out_of_scope?: number;
  /** Added: rows with the same outcome on both sides (rejected, disregarded, out of scope) but decided by another rule. */
  readonly other_rule?: number;
  /** Per rule that decided a changed row on either side: how many rows it decided, per side. */
  readonly by_rule: readonly { readonly rule: string; readonly article: string | null; readonly base: number; readonly head: number }[];
}

/** A group (a school, a county) and how its subjects moved. */
export interface GroupChange {
  readonly group: string;
  readonly subjects: number;
  readonly base_compliant: number;
  readonly head_compliant: number;
  readonly became_compliant: number;
  readonly became_non_compliant: number;
}

/** The row accounting of one side, as `summary` of the eval report (`rows_read`, `evaluated`, …). */
export type SideRows = Readonly<Record<string, unknown>>;

/** The whole diff document. */
export interface DiffJson {
  /** The policy's name for a subject's key (`teacher_id`): the member of each `changed` entry that holds it. */
  readonly subject_key: string;
  readonly base: DiffSide;
  readonly head: DiffSide;
  readonly summary: {
    readonly subjects: number;
    readonly unchanged: number;
    readonly became_compliant: number;
    readonly became_non_compliant: number;
    /** Subjects whose status stayed but whose measures or violations changed. */
    readonly changed_measures: number;
    readonly base_compliant: number;
    readonly head_compliant: number;
    readonly only_base: number;
    readonly only_head: number;
  };
  /** Each side's row accounting; each adds up on its own (read = evaluated + rejected + out of scope). */
  readonly rows: { readonly base: SideRows; readonly head: SideRows };
  readonly records: RecordChanges;
  readonly changed: readonly ChangedSubject[];
  readonly by_rule: readonly RuleFailures[];
  readonly measures: readonly MeasureDistribution[];
  /** With a subjects file: per group field (`school_id`, `county_id`), one entry per group. */
  readonly by_group: Readonly<Record<string, readonly GroupChange[]>>;
}
