// The `changed` subjects of a diff written straight to bytes as the merge finds them: the JSON
// around the values is prepared once per program (keys with their commas and colons, each
// requirement's opening, its sentence's words), numbers are written from scaled integers, and a
// compiled result's violations from its numbers — no ChangedSubject object, no message string.
// The bytes are those of JSON.stringify of the object the merge builds otherwise
// (subject-diff.ts); test/diff-stream.test.ts holds the two to byte equality.

import type { Program } from '../compile.ts';
import { compactNames, writeViolationAt } from '../output/compact.ts';
import { jsonNumber, jsonNumberText, roundedParts } from '../output/display.ts';
import { writeScaledAt, type JsonWriter } from '../output/json-writer.ts';
import { violationMessage } from '../report.ts';
import type { Violation } from '../results.ts';
import { ruleSourceOf, ruleSourceText, scopeVersionName } from '../versions.ts';
import type { DiffViolation, Transition } from './diff-json.ts';
import { writeValue } from './diff-writer.ts';
import { Held, type Numbers, type SideView } from './side-view.ts';

const utf8 = new TextEncoder();
const bytesOf = (text: string) => utf8.encode(text);
/** `"key":`, or `,"key":`. */
const member = (key: string, comma: boolean) => bytesOf(`${comma ? ',' : ''}${JSON.stringify(key)}:`);

/** A violation as the diff document writes it (as the eval report does, `key` and `article` null when none). */
export function violationJson(p: Program, v: Violation): DiffViolation {
  // A window's version is the one in force on its last day.
  const lastDay = v.window === undefined ? undefined : v.lastDay;
  const version = scopeVersionName(p.policy, v.period, lastDay);
  const source = ruleSourceOf(p.policy, v.period, v.rule, lastDay);
  return {
    rule: v.rule, key: v.key ?? null, article: v.cites.length > 0 ? v.cites.join('; ') : null, year: v.period ?? null,
    ...(v.window === undefined ? {} : { window: v.window }),
    actual: v.actual ? jsonNumber(v.actual) : null, required: v.required ? jsonNumber(v.required) : null,
    message: violationMessage(p.policy, v), ...(version === undefined ? {} : { version }),
    ...(source === undefined ? {} : { origin: source.origin, source: ruleSourceText(source) }),
  };
}

/** Per requirement and loop key of a program: `{"rule":…,"key":…,"article":…,"year":`. */
const openings = new WeakMap<Program, readonly (readonly Uint8Array[])[]>();

function openingsOf(program: Program): readonly (readonly Uint8Array[])[] {
  let o = openings.get(program);
  if (!o) {
    o = program.requirements.map((r) => (r.loopKeys ?? [undefined]).map((key) => bytesOf(
      `{"rule":${JSON.stringify(r.id)},"key":${key === undefined ? 'null' : JSON.stringify(key)},`
      + `"article":${r.cites.length > 0 ? JSON.stringify(r.cites.join('; ')) : 'null'},"year":`)));
    openings.set(program, o);
  }
  return o;
}

const TRANSITIONS: readonly Transition[] = ['became_compliant', 'became_non_compliant', 'stayed_compliant', 'stayed_non_compliant', 'only_base', 'only_head'];
const TRANSITION = new Map(TRANSITIONS.map((t) => [t, bytesOf(`,"transition":"${t}","base":`)]));
const CYCLE = bytesOf(`,"cycle":`);
const PRESENT_COMPLIANT = bytesOf('{"present":true,"compliant":true,"violations":[');
const PRESENT_NON_COMPLIANT = bytesOf('{"present":true,"compliant":false,"violations":[');
const ABSENT = bytesOf('{"present":false,"compliant":null,"violations":[');
const THEN_HEAD = bytesOf(']},"head":');
const THEN_MEASURES = bytesOf(']},"measures":{');
const THEN_GROUPS = bytesOf('},"groups":{');
const HEAD = bytesOf(',"head":');
const DELTA = bytesOf(',"delta":');
const NULL = bytesOf('null');
const COMMA = bytesOf(',');
const BRACE = bytesOf('}');
/** Room for a number: sign, digits and point of a rounded value below 10^15. */
const NUMBER_ROOM = 24;

/** Writes changed subjects, one JSON object each, as elements of the writer's open array (compact output only). */
export class ChangedWriter {
  private readonly key: Uint8Array;
  /** Per measure name of either side (the merge's order): `"name":{"base":` and `,"name":{"base":`. */
  private readonly measureFirst: readonly Uint8Array[];
  private readonly measureNext: readonly Uint8Array[];
  private readonly groupFirst: readonly Uint8Array[];
  private readonly groupNext: readonly Uint8Array[];

  constructor(
    private readonly w: JsonWriter,
    subjectKey: string,
    names: readonly string[],
    groupBy: readonly string[],
  ) {
    this.key = member(subjectKey, false);
    this.measureFirst = names.map((n) => bytesOf(`${JSON.stringify(n)}:{"base":`));
    this.measureNext = names.map((n) => bytesOf(`,${JSON.stringify(n)}:{"base":`));
    this.groupFirst = groupBy.map((g) => member(g, false));
    this.groupNext = groupBy.map((g) => member(g, true));
  }

  /**
   * One changed subject: its id, its cycle (in a repeating cycle), transition, both standings, the measures that changed (`changed`
   * lists how many of the merge's measure names; `at` their indices, `base`/`head` each side's
   * index of the name or -1, `delta` by name index), and its group values (undefined: none).
   */
  write(
    id: string, cycle: string | undefined, transition: Transition, a: SideView, b: SideView,
    changed: number, at: Int32Array, baseAt: Int32Array, headAt: Int32Array, delta: Numbers,
    groups: readonly (string | null)[] | undefined,
  ): void {
    const w = this.w;
    w.beginObject();
    w.rawMember(this.key);
    w.string(id);
    if (cycle !== undefined) {
      w.rawMember(CYCLE);
      w.string(cycle);
    }
    w.rawMember(TRANSITION.get(transition)!);
    this.standing(a);
    w.rawMember(THEN_HEAD);
    this.standing(b);
    w.rawMember(THEN_MEASURES);
    for (let c = 0; c < changed; c++) {
      const t = at[c]!;
      w.rawMember(c === 0 ? this.measureFirst[t]! : this.measureNext[t]!);
      const i = baseAt[t]!;
      const j = headAt[t]!;
      this.number(a.subject && i >= 0 ? a.measures : undefined, i);
      w.rawMember(HEAD);
      this.number(b.subject && j >= 0 ? b.measures : undefined, j);
      w.rawMember(DELTA);
      this.number(delta, t);
      w.rawMember(BRACE);
    }
    if (groups) {
      w.rawMember(THEN_GROUPS);
      for (let g = 0; g < groups.length; g++) {
        w.rawMember(g === 0 ? this.groupFirst[g]! : this.groupNext[g]!);
        const v = groups[g];
        if (v === null || v === undefined) w.rawMember(NULL);
        else w.string(v);
      }
    }
    w.rawMember(BRACE);
    w.endObject();
  }

  /** A side's standing, up to its violations' closing bracket (not written). */
  private standing(side: SideView): void {
    const w = this.w;
    const s = side.subject;
    if (!s) {
      w.rawMember(ABSENT);
      return;
    }
    w.rawMember(s.compliant ? PRESENT_COMPLIANT : PRESENT_NON_COMPLIANT);
    const compiled = side.compiled;
    const p = side.program;
    for (let i = 0; i < side.count; i++) {
      if (compiled && this.violation(side, i, i === 0)) continue;
      if (i > 0) w.rawMember(COMMA);
      writeValue(w, violationJson(p, s.violations[i]!));
    }
  }

  /**
   * Violation `i` of a compiled result, from its numbers, when they round on the fast path;
   * false, having written nothing, otherwise.
   */
  private violation(side: SideView, i: number, first: boolean): boolean {
    const data = side.compiled!.violationData;
    const o = side.offset[i]!;
    const actual = roundedParts(data[o + 3]!, data[o + 4]!);
    const required = roundedParts(data[o + 5]!, data[o + 6]!);
    if (actual !== actual || required !== required) return false;
    const names = compactNames(side.program);
    const head = names.violationHead[data[o]!]![data[o + 1]!]!;
    const open = openingsOf(side.program)[data[o]!]![data[o + 1]!]!;
    const w = this.w;
    let p = w.reserve(head.room + open.length);
    if (p < 0) return false;
    const buf = w.buffer;
    if (!first) buf[p++] = 0x2c;
    // As the eval report writes it, from this document's opening (`key` and `article` always there).
    w.wrote(writeViolationAt(buf, p, open, head, data[o + 2]!, actual, required, names.firstPeriod));
    return true;
  }

  /** Number `i` of `n` as jsonNumber gives it (null when absent). */
  private number(n: Numbers | undefined, i: number): void {
    const w = this.w;
    const held = n && i >= 0 ? n.held[i] : Held.None;
    if (held === Held.Safe) {
      const r = roundedParts(n!.m[i]!, n!.s[i]!);
      if (r === r) {
        const p = w.reserve(NUMBER_ROOM);
        w.wrote(writeScaledAt(w.buffer, p, r));
        return;
      }
    }
    if (held === Held.None) w.rawMember(NULL);
    else w.raw(jsonNumberText(n!.decimal(i)!));
  }
}
