// The report, streamed: the same document as `reportJson` (report.ts), written subject by subject
// straight into bytes, so memory does not grow with the output and no string limit is ever met.
// test/report-writer.test.ts holds the two to byte equality.

import type { PolicyAst } from '../../dsl/index.ts';
import { Decimal } from '../decimal.ts';
import { Quotient } from '../quotient.ts';
import { periodKeyName, problemMessage, rejectionSource, sentenceOf, sentencePeriod, violationMessage, type Sentence } from '../report.ts';
import { disregardedCount, type MeasureValue, type Rejection, type ResultStream, type RowCounts, type SubjectResult, type Violation } from '../results.ts';
import type { Value } from '../values.ts';
import type { Program } from '../compile.ts';
import { QUOTIENT_SLOT } from '../codegen/program.ts';
import { CompiledSubjectResult, SLOT_WIDTH, VIOLATION_WIDTH } from '../compiled-subject.ts';
import { jsonNumberText, quotientParts, roundedForDisplay, roundedParts, scaledRounded } from './display.ts';
import { compactNames, writeCompactScope, writeCompactViolation, type CompactNames } from './compact.ts';
import { scopesWriter } from './scopes-writer.ts';
import { escapedBytes, literalBytes, type JsonWriter } from './json-writer.ts';
import { ruleSourceOf, ruleSourceText, scopeVersionName, versionsJson } from '../versions.ts';

/**
 * The names a report repeats for every subject — its keys, rule ids, articles, loop keys —
 * encoded once per program as JSON string literals.
 */
interface Encoded {
  readonly subjectKey: Uint8Array;
  readonly measures: readonly Uint8Array[];
  /** For compact output: each measure's key with its colon, and with a comma before it. */
  readonly measureFirst: readonly Uint8Array[];
  readonly measureNext: readonly Uint8Array[];
  /** The same for the keys of each grouped measure. */
  readonly groupFirst: readonly (readonly Uint8Array[])[];
  readonly groupNext: readonly (readonly Uint8Array[])[];
  /** Per measure, the keys of a grouped one. */
  readonly groupKeys: readonly (readonly Uint8Array[])[];
  readonly fields: readonly Uint8Array[];
  readonly periods: Uint8Array;
  readonly periodName: Uint8Array;
  /** Per requirement id: the id, its articles joined, and each loop key. */
  readonly rules: ReadonlyMap<string, { readonly id: Uint8Array; readonly article: Uint8Array; readonly keys: ReadonlyMap<string, Uint8Array> }>;
  readonly years: ReadonlyMap<number, Uint8Array>;
}

const encodedNames = new WeakMap<Program, Encoded>();

const utf8 = new TextEncoder();
/** `"key":`, or `,"key":` — a member's key as compact output writes it. */
const memberBytes = (key: string, comma: boolean) => utf8.encode(`${comma ? ',' : ''}${JSON.stringify(key)}:`);
const OPEN = utf8.encode('{');
const CLOSE = utf8.encode('}');

function encodedOf(program: Program): Encoded {
  let e = encodedNames.get(program);
  if (e) return e;
  const p = program.policy;
  e = {
    subjectKey: literalBytes(p.subject.key),
    measures: program.measures.map((m) => literalBytes(m.id)),
    measureFirst: program.measures.map((m) => memberBytes(m.id, false)),
    measureNext: program.measures.map((m) => memberBytes(m.id, true)),
    groupFirst: program.measures.map((m) => m.keys.map((k) => memberBytes(k, false))),
    groupNext: program.measures.map((m) => m.keys.map((k) => memberBytes(k, true))),
    groupKeys: program.measures.map((m) => m.keys.map(literalBytes)),
    fields: program.subjectFields.map((f) => literalBytes(f.decl.id)),
    periods: literalBytes(p.period.collection),
    periodName: literalBytes(p.period.name),
    // By id: a requirement with variants in several versions (one id, their own citations) is
    // written from the violation itself.
    rules: new Map(program.requirements.filter((r) => program.requirements.filter((x) => x.id === r.id).length === 1).map((r) => [r.id, {
      id: literalBytes(r.id), article: literalBytes(r.cites.join('; ')),
      keys: new Map((r.loopKeys ?? []).map((k) => [k, literalBytes(k)])),
    }])),
    years: new Map(program.periods.map((y) => [y, literalBytes(String(y))])),
  };
  encodedNames.set(program, e);
  return e;
}

const K_COMPLIANT = literalBytes('compliant');
const K_VIOLATIONS = literalBytes('violations');
const K_RECORDS = literalBytes('records');
const K_EVALUATED = literalBytes('evaluated');
const K_DISREGARDED = literalBytes('disregarded');
const K_RULE = literalBytes('rule');
const K_KEY = literalBytes('key');
const K_ARTICLE = literalBytes('article');
const K_ACTUAL = literalBytes('actual');
const K_REQUIRED = literalBytes('required');
const K_MESSAGE = literalBytes('message');

/** Counts the violations by rule as the subjects go by, for the summary that follows them. */
class Tally {
  readonly byRule = new Map<string, number>();
  compliant = 0;
  add(s: SubjectResult): void {
    if (s.compliant) this.compliant++;
    if (s instanceof CompiledSubjectResult) {
      // Straight from the numbers: no Violation objects made for the count.
      const d = s.violationData;
      const requirements = s.program.requirements;
      for (let o = 0; o < d.length; o += VIOLATION_WIDTH) {
        const rule = requirements[d[o]!]!.id;
        this.byRule.set(rule, (this.byRule.get(rule) ?? 0) + 1);
      }
      return;
    }
    for (const v of s.violations) this.byRule.set(v.rule, (this.byRule.get(v.rule) ?? 0) + 1);
  }
}

/** Writes the whole report as one JSON document (without a final line feed). */
export function writeReport(r: ResultStream, w: JsonWriter, input?: ReportInput): void {
  const p = r.program.policy;
  const tally = new Tally();
  w.beginObject();
  w.key('policy');
  writePolicy(w, p);
  if (input !== undefined) {
    // How the input files were read (a mapping each), when not in the canonical layout.
    w.key('input');
    w.beginObject();
    for (const [file, how] of Object.entries(input)) {
      w.key(file);
      w.beginObject();
      for (const [k, v] of Object.entries(how)) {
        w.key(k);
        w.string(v);
      }
      w.endObject();
    }
    w.endObject();
  }
  w.key(p.subject.collection);
  w.beginArray();
  for (const s of r.subjects()) {
    writeSubject(w, r, s);
    tally.add(s);
  }
  w.endArray();
  w.key('rejected');
  w.beginArray();
  for (const x of r.rejected) writeRejection(w, p, x);
  w.endArray();
  w.key('summary');
  writeSummary(w, r, tally);
  w.endObject();
}

/**
 * The report's `input` block, by file (`records`, and the subject collection for the subjects
 * file): what the file was read as (a mapping's id, title and file).
 */
export type ReportInput = Readonly<Record<string, Readonly<Record<string, string>>>>;

/**
 * Writes the report as NDJSON: one line per subject (the objects of the JSON report's subject
 * list), then one `{"rejected": …}` line per rejected row, then one `{"policy": …, "summary": …}`.
 */
export function writeNdjsonReport(r: ResultStream, w: JsonWriter): void {
  const p = r.program.policy;
  const tally = new Tally();
  for (const s of r.subjects()) {
    writeSubject(w, r, s);
    w.newline();
    tally.add(s);
  }
  for (const x of r.rejected) {
    w.beginObject();
    w.key('rejected');
    writeRejection(w, p, x);
    w.endObject();
    w.newline();
  }
  w.beginObject();
  w.key('policy');
  writePolicy(w, p);
  w.key('summary');
  writeSummary(w, r, tally);
  w.endObject();
  w.newline();
}

function writePolicy(w: JsonWriter, p: PolicyAst): void {
  w.beginObject();
  w.key('id');
  w.string(p.id);
  w.key('version');
  w.string(p.version);
  w.key('document');
  w.string(p.document);
  w.key('effective');
  w.string(p.effective);
  const versions = versionsJson(p);
  if (versions) {
    w.key('versions');
    w.beginArray();
    for (const v of versions) {
      w.beginObject();
      for (const [k, x] of Object.entries(v)) {
        w.key(k);
        if (typeof x === 'boolean') w.bool(x);
        else w.string(x);
      }
      w.endObject();
    }
    w.endArray();
  }
  w.endObject();
}

function number(w: JsonWriter, d: Decimal | Quotient): void {
  const r = d instanceof Decimal ? scaledRounded(d) : roundedForDisplay(d);
  if (r === r) w.scaled(r);
  else w.raw(jsonNumberText(d));
}

function writeMeasures(w: JsonWriter, e: Encoded, values: readonly (MeasureValue | undefined)[]): void {
  for (let i = 0; i < values.length; i++) {
    w.encodedKey(e.measures[i]!);
    const v = values[i];
    if (v === undefined) {
      w.null();
      continue;
    }
    if (v instanceof Decimal || v instanceof Quotient) {
      number(w, v);
      continue;
    }
    w.beginObject();
    const keys = e.groupKeys[i]!;
    let k = 0;
    v.forEach((d, name) => {
      // A group's keys are the measure's keys, in order; another map writes its own names.
      const encoded = keys[k++];
      if (encoded && v.size === keys.length) w.encodedKey(encoded);
      else w.key(name);
      number(w, d);
    });
    w.endObject();
  }
}

/** A compiled subject's measures of scope `c`, straight from its numbers. */
function writeCompiledMeasures(w: JsonWriter, e: Encoded, s: CompiledSubjectResult, c: number): void {
  const n = s.numbers;
  const measures = s.program.measures;
  const slots = s.output.slot;
  for (let j = 0; j < measures.length; j++) {
    w.encodedKey(e.measures[j]!);
    let o = s.at(c, slots[j]!);
    const m = measures[j]!;
    if (m.grouped) {
      const keys = e.groupKeys[j]!;
      w.beginObject();
      for (let k = 0; k < keys.length; k++, o += SLOT_WIDTH) {
        w.encodedKey(keys[k]!);
        writeParts(w, n[o]!, n[o + 1]!);
      }
      w.endObject();
    } else if (n[o + 1] === QUOTIENT_SLOT) {
      const r = quotientParts(n[o + 2]!, n[o + 3]!, n[o + 4]!, n[o + 5]!);
      if (r === r) w.scaled(r);
      else w.raw(jsonNumberText(new Quotient(Decimal.fromSafe(n[o + 2]!, n[o + 3]!), Decimal.fromSafe(n[o + 4]!, n[o + 5]!))));
    } else writeParts(w, n[o]!, n[o + 1]!);
  }
}

/** The number `m / 10^s`, rounded for display. */
function writeParts(w: JsonWriter, m: number, s: number): void {
  const r = roundedParts(m, s);
  if (r === r) w.scaled(r);
  else w.raw(jsonNumberText(Decimal.fromSafe(m, s)));
}

function writeSubject(w: JsonWriter, r: ResultStream, s: SubjectResult): void {
  const e = encodedOf(r.program);
  w.beginObject();
  w.encodedKey(e.subjectKey);
  w.string(s.id);
  if (s.cycleName !== undefined) {
    w.key('cycle');
    w.string(s.cycleName);
  }
  w.encodedKey(K_COMPLIANT);
  w.bool(s.compliant);
  const version = scopeVersionName(r.program.policy, undefined, s.lastDay);
  if (version !== undefined) {
    w.key('version');
    w.string(version);
  }
  const compiled = s instanceof CompiledSubjectResult ? s : undefined;
  const compact = compiled !== undefined && !w.indented;
  const names = compact ? compactNames(r.program) : undefined;
  // Periods with names: their keys are the names, written the general way.
  if (compiled && compact && !compiled.periodNames && compiled.cycleName === undefined && writeGeneratedScopes(w, compiled)) {
    // every scope written by the program's generated writer
  } else writeScopes(w, r, e, s, compiled, names);
  w.encodedKey(K_VIOLATIONS);
  w.beginArray();
  if (compiled && names && !compiled.periodNames) {
    const d = compiled.violationData;
    for (let o = 0, i = 0; o < d.length; o += VIOLATION_WIDTH, i++) {
      if (!writeCompactViolation(w, names, d, o)) writeViolation(w, r.program.policy, e, compiled.violations[i]!);
    }
  } else for (const v of s.violations) writeViolation(w, r.program.policy, e, v);
  w.endArray();
  if (s.problems && s.problems.length > 0) {
    w.key('problems');
    w.beginArray();
    for (const x of s.problems) {
      w.beginObject();
      w.key('measure');
      w.string(x.measure);
      w.encodedKey(e.periodName);
      if (x.period === undefined) w.null();
      else if (x.periodName !== undefined) w.string(x.periodName);
      else w.integer(x.period);
      w.key('problem');
      w.string(x.what);
      w.key('message');
      w.string(problemMessage(x));
      w.endObject();
    }
    w.endArray();
  }
  w.encodedKey(K_RECORDS);
  w.beginObject();
  w.encodedKey(K_EVALUATED);
  w.integer(s.evaluated);
  w.encodedKey(K_DISREGARDED);
  w.integer(s.disregarded);
  w.endObject();
  const fields = r.program.subjectFields;
  for (let i = 0; i < fields.length; i++) {
    if (i === r.program.subjectKey) continue;
    w.encodedKey(e.fields[i]!);
    writeValue(w, s.fields[i]);
  }
  w.endObject();
}

/** A subject's measures, cycle then periods, the general way (pretty output, or numbers beyond the fast digits). */
function writeScopes(w: JsonWriter, r: ResultStream, e: Encoded, s: SubjectResult, compiled: CompiledSubjectResult | undefined, names: CompactNames | undefined): void {
  if (compiled && names && writeCompactScope(w, names, compiled, r.program.periods.length, false)) {
    // written straight into the buffer
  } else if (compiled) writeCompiledMeasures(w, e, compiled, r.program.periods.length);
  else writeMeasures(w, e, s.cycle);
  w.encodedKey(e.periods);
  w.beginObject();
  if (compiled) {
    for (const c of compiled.places) {
      const year = r.program.periods[c]!;
      if (compiled.periodNames) w.key(compiled.periodNames[c]!);
      else w.encodedKey(e.years.get(year)!);
      w.beginObject();
      if (!names || !writeCompactScope(w, names, compiled, c, true)) writeCompiledMeasures(w, e, compiled, c);
      w.endObject();
    }
  } else {
    for (const [year, values] of s.periods) {
      const y = s.periodNames ? undefined : e.years.get(year);
      if (y) w.encodedKey(y);
      else w.key(periodKeyName(s, year));
      w.beginObject();
      writeMeasures(w, e, values);
      w.endObject();
    }
  }
  w.endObject();
}

/** Views of the writers' buffers, for the generated writer's word stores. */
const views = new WeakMap<Uint8Array, DataView>();

/** A compiled subject's scopes by the program's generated writer; false, having written nothing, when it cannot. */
function writeGeneratedScopes(w: JsonWriter, s: CompiledSubjectResult): boolean {
  const g = scopesWriter(s.program, s.output);
  const at = w.reserve(g.room);
  if (at < 0) return false;
  const b = w.buffer;
  let dv = views.get(b);
  if (!dv) views.set(b, (dv = new DataView(b.buffer, b.byteOffset, b.byteLength)));
  const end = g.write(b, dv, at, s.numbers);
  if (end < 0) return false;
  w.wrote(end);
  return true;
}

function writeValue(w: JsonWriter, v: Value): void {
  if (v === undefined) w.null();
  else if (v instanceof Decimal) number(w, v);
  else if (typeof v === 'boolean') w.bool(v);
  else w.string(v as string);
}

function writeViolation(w: JsonWriter, p: PolicyAst, e: Encoded, v: Violation): void {
  const rule = e.rules.get(v.rule);
  w.beginObject();
  w.encodedKey(K_RULE);
  if (rule) w.encodedString(rule.id);
  else w.string(v.rule);
  if (v.key !== undefined) {
    w.encodedKey(K_KEY);
    const key = rule?.keys.get(v.key);
    if (key) w.encodedString(key);
    else w.string(v.key);
  }
  w.encodedKey(K_ARTICLE);
  if (rule) w.encodedString(rule.article);
  else w.string(v.cites.join('; '));
  w.encodedKey(e.periodName);
  if (v.period === undefined) w.null();
  else if (v.periodName !== undefined) w.string(v.periodName);
  else w.integer(v.period);
  if (v.window !== undefined) {
    w.key('window');
    w.string(v.window);
  }
  w.encodedKey(K_ACTUAL);
  if (v.unmet) w.bool(false); // a yes/no requirement: the condition was false, true was required
  else if (v.actual) number(w, v.actual);
  else w.null();
  w.encodedKey(K_REQUIRED);
  if (v.unmet) w.bool(true);
  else if (v.required) number(w, v.required);
  else w.null();
  if (v.unmet) {
    w.key('unmet');
    w.beginArray();
    for (const part of v.unmet) w.string(part);
    w.endArray();
  }
  w.encodedKey(K_MESSAGE);
  writeSentence(w, p, v);
  const version = scopeVersionName(p, v.period, v.lastDay);
  if (version !== undefined) {
    w.key('version');
    w.string(version);
  }
  const source = ruleSourceOf(p, v.period, v.rule, v.lastDay);
  if (source !== undefined) {
    w.key('origin');
    w.string(source.origin);
    w.key('source');
    w.string(ruleSourceText(source));
  }
  w.endObject();
}

/** Each sentence's fixed words, escaped and encoded once. */
const encodedSentences = new WeakMap<Sentence, readonly Uint8Array[]>();
/** The periods' names ("2017年"), encoded once. */
const periodZh = new Map<number | undefined, Uint8Array>();

/** A violation's message, as violationMessage (report.ts) words it, written from encoded parts. */
function writeSentence(w: JsonWriter, p: PolicyAst, v: Violation): void {
  const actual = v.actual && v.problem === undefined && v.required ? roundedForDisplay(v.actual) : NaN;
  const required = v.required && actual === actual ? roundedForDisplay(v.required) : NaN;
  if (actual !== actual || required !== required || v.periodName !== undefined || v.window !== undefined) {
    // A value that could not be worked out, numbers too large for the fast digits, a period with a name, or a window.
    w.string(violationMessage(p, v));
    return;
  }
  const s = sentenceOf(p, v);
  let parts = encodedSentences.get(s);
  if (!parts) encodedSentences.set(s, (parts = s.fixed.map(escapedBytes)));
  let zh = periodZh.get(v.period);
  if (!zh) periodZh.set(v.period, (zh = escapedBytes(sentencePeriod(v.period).zh)));
  w.openString();
  w.stringBytes(parts[0]!);
  w.stringBytes(zh);
  w.stringBytes(parts[1]!);
  w.stringScaled(actual);
  w.stringBytes(parts[2]!);
  w.stringScaled(required);
  w.stringBytes(parts[3]!);
  if (v.period === undefined) w.stringBytes(CYCLE_EN);
  else w.stringInteger(v.period);
  w.stringBytes(parts[4]!);
  w.stringScaled(actual);
  w.stringBytes(parts[5]!);
  w.stringScaled(required);
  w.stringBytes(parts[6]!);
  w.closeString();
}

const CYCLE_EN = escapedBytes(sentencePeriod(undefined).en);

function writeRejection(w: JsonWriter, p: PolicyAst, x: Rejection): void {
  w.beginObject();
  w.key(x.source === 'records' ? p.record.key : p.subject.key);
  if (x.key === undefined) w.null();
  else w.string(x.key);
  w.key('file');
  w.string(x.source === 'records' ? 'records' : p.subject.collection);
  w.key('line');
  w.integer(x.line);
  w.key('reason');
  w.string(x.reason);
  w.key('rule');
  if (x.rule === undefined) w.null();
  else w.string(x.rule);
  w.key('article');
  const article = x.cites.join('; ');
  if (article === '') w.null();
  else w.string(article);
  const { origin, source } = rejectionSource(p, x);
  if (origin !== undefined && source !== undefined) {
    w.key('origin');
    w.string(origin);
    w.key('source');
    w.string(source);
  }
  w.endObject();
}

function writeCountMap(w: JsonWriter, m: ReadonlyMap<string, number>): void {
  w.beginObject();
  for (const [k, n] of m) {
    w.key(k);
    w.integer(n);
  }
  w.endObject();
}

function writeCounts(w: JsonWriter, c: RowCounts): void {
  w.key('rows_read');
  w.raw(String(c.read));
  w.key('evaluated');
  w.raw(String(c.evaluated));
  w.key('disregarded');
  w.raw(String(disregardedCount(c)));
  w.key('rejected');
  w.raw(String(c.rejected));
  w.key('out_of_scope');
  w.raw(String(c.outOfScope));
  w.key('disregarded_by_rule');
  writeCountMap(w, c.disregardedBy);
  w.key('rejected_by_rule');
  writeCountMap(w, c.rejectedBy);
  w.key('out_of_scope_by_rule');
  writeCountMap(w, c.outOfScopeBy);
}

function writeSummary(w: JsonWriter, r: ResultStream, tally: Tally): void {
  const p = r.program.policy;
  w.beginObject();
  writeCounts(w, r.records);
  w.key(p.subject.collection);
  w.raw(String(r.subjectCount));
  w.key('compliant');
  w.raw(String(tally.compliant));
  w.key('non_compliant');
  w.raw(String(r.subjectCount - tally.compliant));
  w.key('violations_by_rule');
  writeCountMap(w, tally.byRule);
  w.key(`${p.subject.collection}_file`);
  w.beginObject();
  w.key('rows_read');
  w.raw(String(r.subjectRows.read));
  w.key('accepted');
  w.raw(String(r.subjectRows.evaluated));
  w.key('rejected');
  w.raw(String(r.subjectRows.rejected));
  if (p.subjectScope) {
    w.key('out_of_scope');
    w.raw(String(r.subjectRows.outOfScope));
  }
  w.endObject();
  w.endObject();
}
