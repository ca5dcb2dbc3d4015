// The report, streamed: the same document as `reportJson` (report.ts), written subject by subject
// straight into bytes, so memory does not grow with the output and no string limit is ever met.
// test/report-writer.test.ts holds the two to byte equality.

import type { PolicyAst } from '../../dsl/index.ts';
import { Decimal } from '../decimal.ts';
import { Quotient } from '../quotient.ts';
import { violationMessage } from '../report.ts';
import { disregardedCount, type MeasureValue, type Rejection, type ResultStream, type RowCounts, type SubjectResult, type Violation } from '../results.ts';
import type { Value } from '../values.ts';
import { jsonNumberText, roundedForDisplay } from './display.ts';
import type { JsonWriter } from './json-writer.ts';

/** Counts the violations by rule as the subjects go by, for the summary that follows them. */
class Tally {
  readonly byRule = new Map<string, number>();
  compliant = 0;
  add(s: SubjectResult): void {
    if (s.compliant) this.compliant++;
    for (const v of s.violations) this.byRule.set(v.rule, (this.byRule.get(v.rule) ?? 0) + 1);
  }
}

/** Writes the whole report as one JSON document (without a final line feed). */
export function writeReport(r: ResultStream, w: JsonWriter): void {
  const p = r.program.policy;
  const tally = new Tally();
  w.beginObject();
  w.key('policy');
  writePolicy(w, p);
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
  w.endObject();
}

function number(w: JsonWriter, d: Decimal | Quotient): void {
  const r = roundedForDisplay(d);
  if (r === r) w.scaled(r);
  else w.raw(jsonNumberText(d));
}

function writeMeasures(w: JsonWriter, r: ResultStream, values: readonly MeasureValue[]): void {
  const measures = r.program.measures;
  for (let i = 0; i < measures.length; i++) {
    w.key(measures[i]!.id);
    const v = values[i]!;
    if (v instanceof Decimal || v instanceof Quotient) {
      number(w, v);
      continue;
    }
    w.beginObject();
    v.forEach((d, k) => {
      w.key(k);
      number(w, d);
    });
    w.endObject();
  }
}

function writeSubject(w: JsonWriter, r: ResultStream, s: SubjectResult): void {
  const p = r.program.policy;
  w.beginObject();
  w.key(p.subject.key);
  w.string(s.id);
  w.key('compliant');
  w.bool(s.compliant);
  writeMeasures(w, r, s.cycle);
  w.key(p.period.collection);
  w.beginObject();
  for (const [year, values] of s.periods) {
    w.key(String(year));
    w.beginObject();
    writeMeasures(w, r, values);
    w.endObject();
  }
  w.endObject();
  w.key('violations');
  w.beginArray();
  for (const v of s.violations) writeViolation(w, p, v);
  w.endArray();
  w.key('records');
  w.beginObject();
  w.key('evaluated');
  w.integer(s.evaluated);
  w.key('disregarded');
  w.integer(s.disregarded);
  w.endObject();
  const fields = r.program.subjectFields;
  for (let i = 0; i < fields.length; i++) {
    if (i === r.program.subjectKey) continue;
    w.key(fields[i]!.decl.id);
    writeValue(w, s.fields[i]);
  }
  w.endObject();
}

function writeValue(w: JsonWriter, v: Value): void {
  if (v === undefined) w.null();
  else if (v instanceof Decimal) number(w, v);
  else if (typeof v === 'boolean') w.bool(v);
  else w.string(v as string);
}

function writeViolation(w: JsonWriter, p: PolicyAst, v: Violation): void {
  w.beginObject();
  w.key('rule');
  w.string(v.rule);
  if (v.key !== undefined) {
    w.key('key');
    w.string(v.key);
  }
  w.key('article');
  w.string(v.cites.join('; '));
  w.key(p.period.name);
  if (v.period === undefined) w.null();
  else w.integer(v.period);
  w.key('actual');
  if (v.actual) number(w, v.actual);
  else w.null();
  w.key('required');
  if (v.required) number(w, v.required);
  else w.null();
  w.key('message');
  w.string(violationMessage(p, v));
  w.endObject();
}

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
  w.endObject();
  w.endObject();
}
