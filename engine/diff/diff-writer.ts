// The diff document written through the streaming JSON writer: a long `changed` list (every
// subject of a province may change) is never one string, so no string limit is ever met.

import type { JsonWriter } from '../output/json-writer.ts';
import type { DiffJson } from './diff-json.ts';

/** Writes any JSON data (objects, arrays, strings, finite numbers, booleans, null) token by token. */
export function writeValue(w: JsonWriter, v: unknown): void {
  if (v === null || v === undefined) w.null();
  else if (typeof v === 'string') w.string(v);
  else if (typeof v === 'number') w.raw(JSON.stringify(v));
  else if (typeof v === 'boolean') w.bool(v);
  else if (Array.isArray(v)) {
    w.beginArray();
    for (const x of v) writeValue(w, x);
    w.endArray();
  } else {
    w.beginObject();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      // As JSON.stringify: a member whose value is undefined is left out.
      if (x === undefined) continue;
      w.key(k);
      writeValue(w, x);
    }
    w.endObject();
  }
}

/**
 * Writes the diff document (without a final line feed); byte for byte `JSON.stringify(doc)` (or
 * with 2-space indent). With `changed`, the bytes of the `changed` list as the merge wrote them
 * (compact output; see changed-writer.ts) stand for `doc.changed`.
 */
export function writeDiffJson(doc: DiffJson, w: JsonWriter, changed?: readonly Uint8Array[]): void {
  if (!changed) return writeValue(w, doc);
  w.beginObject();
  for (const [k, x] of Object.entries(doc)) {
    w.key(k);
    if (k === 'changed') for (const bytes of changed) w.rawBytes(bytes);
    else writeValue(w, x);
  }
  w.endObject();
}
