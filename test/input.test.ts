import { excerpt, nameList } from '../dsl/index.ts';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createCsvReader,
  createNdjsonReader,
  detectFormat,
  RunawayLine,
  type InputEvent,
  type RowReader,
} from '../engine/input/index.ts';
import { CsvScanner, MAX_ROW_BYTES } from '../engine/input/csv-scan.ts';

/** Feed the chunks in order, then end(), collecting every event. */
function feed(reader: RowReader, chunks: readonly string[]): InputEvent[] {
  const events: InputEvent[] = [];
  for (const chunk of chunks) events.push(...reader.push(chunk));
  events.push(...reader.end());
  return events;
}

const csv = (...chunks: string[]): InputEvent[] => feed(createCsvReader(), chunks);
const ndjson = (...chunks: string[]): InputEvent[] => feed(createNdjsonReader(), chunks);
const row = (line: number, values: Record<string, string>): InputEvent => ({ kind: 'row', line, values });
const err = (line: number, reason: string): InputEvent => ({ kind: 'error', line, reason });
/** A header problem: flagged, so that callers warn about it instead of counting it as a row. */
const headerErr = (line: number, reason: string): InputEvent => ({ kind: 'error', line, reason, header: true });
const countError = (line: number, x: number, y: number): InputEvent =>
  err(line, `第 ${line} 行有 ${x} 个字段，表头有 ${y} 个 / row has ${x} fields, the header has ${y}`);
const UNTERMINATED = '引号未闭合 / unterminated quoted field';
const AFTER_QUOTE = '右引号后、逗号前有多余字符 / unexpected text after a closing quote';

/** Split `text` at the given offsets (any order, any range). */
function splitAt(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(text.slice(from, p));
    from = p;
  }
  chunks.push(text.slice(from));
  return chunks;
}

const chars = (text: string): string[] => [...text.split('')];

type Scanned = { line: number; fields: string[] } | { line: number; error: string };

/** The byte scanner over `chunks`: data rows as their decoded fields, and row errors. */
function scanBytes(chunks: readonly Uint8Array[]): Scanned[] {
  const out: Scanned[] = [];
  const dec = new TextDecoder('utf-8', { ignoreBOM: true });
  const scanner = new CsvScanner({
    header: () => {},
    row: (bytes, starts, ends, line) => {
      const fields: string[] = [];
      for (let c = 0; c < 2; c++) fields.push(dec.decode(bytes.subarray(starts[c]!, ends[c]!)));
      out.push({ line, fields });
    },
    error: (line, reason, header) => void (header || out.push({ line, error: reason })),
  });
  for (const c of chunks) scanner.push(c.slice()); // a copy: the scanner may unescape in place
  scanner.end();
  return out;
}

describe('CSV reader', () => {
  it('reads a header and rows with their line numbers', () => {
    const reader = createCsvReader();
    expect(reader.columns()).toEqual([]);
    const events = feed(reader, ['name,age\nAlice,30\nBob,\n,\n']);
    expect(events).toEqual([
      row(2, { name: 'Alice', age: '30' }),
      row(3, { name: 'Bob', age: '' }),
      row(4, { name: '', age: '' }),
    ]);
    expect(reader.columns()).toEqual(['name', 'age']);
  });

  it('returns rows as soon as they are complete', () => {
    const reader = createCsvReader();
    expect(reader.push('a,b\n1,')).toEqual([]);
    expect(reader.columns()).toEqual(['a', 'b']);
    expect(reader.push('2\n3')).toEqual([row(2, { a: '1', b: '2' })]);
    expect(reader.push(',4\n')).toEqual([row(3, { a: '3', b: '4' })]);
    expect(reader.end()).toEqual([]);
  });

  it('strips a UTF-8 BOM at the very start only, even in a chunk of its own', () => {
    expect(csv('\uFEFFa,b\n1,\uFEFF2\n')).toEqual([row(2, { a: '1', b: '\uFEFF2' })]);
    const reader = createCsvReader();
    expect(feed(reader, ['', '\uFEFF', 'a', ',b\n1,2'])).toEqual([row(2, { a: '1', b: '2' })]);
    expect(reader.columns()).toEqual(['a', 'b']);
  });

  it('accepts CRLF line endings, also split between \\r and \\n', () => {
    const text = 'a,b\r\n1,2\r\n"x","y"\r\n3,4';
    const expected = [row(2, { a: '1', b: '2' }), row(3, { a: 'x', b: 'y' }), row(4, { a: '3', b: '4' })];
    expect(csv(text)).toEqual(expected);
    expect(csv(...chars(text))).toEqual(expected);
    expect(csv('a,b\r', '\n1,2\r', '\n"x","y"\r', '\n3,4')).toEqual(expected);
  });

  it('ends lines at a lone CR as at LF and CRLF, mixed in one file, also split between chunks', () => {
    const text = 'a,b\r1,2\r3,4\n5,6\r\n7,8\r\r9,"x"\r10,11';
    const expected = [
      row(2, { a: '1', b: '2' }), row(3, { a: '3', b: '4' }), row(4, { a: '5', b: '6' }), row(5, { a: '7', b: '8' }),
      // line 6 is empty
      row(7, { a: '9', b: 'x' }), row(8, { a: '10', b: '11' }),
    ];
    expect(csv(text)).toEqual(expected);
    expect(csv(...chars(text))).toEqual(expected);
    for (let cut = 0; cut <= text.length; cut++) expect(csv(text.slice(0, cut), text.slice(cut))).toEqual(expected);
  });

  it('reads quoted fields with commas, newlines and escaped quotes, counting physical lines', () => {
    const text = 'id,text\n1,"hello, world"\n2,"line1\nline2\r\nline3"\n3,"say ""hi"""\n4,"x\ry"\n5,""\n';
    const expected = [
      row(2, { id: '1', text: 'hello, world' }),
      row(3, { id: '2', text: 'line1\nline2\r\nline3' }),
      row(6, { id: '3', text: 'say "hi"' }),
      // A lone \r inside quotes is kept as data; as a line end, it starts a line (as in an editor).
      row(7, { id: '4', text: 'x\ry' }),
      row(9, { id: '5', text: '' }),
    ];
    expect(csv(text)).toEqual(expected);
    expect(csv(...chars(text))).toEqual(expected);
  });

  it('keeps a quote inside an unquoted field as a literal character', () => {
    expect(csv('a,b\nab"c,d""\n')).toEqual([row(2, { a: 'ab"c', b: 'd""' })]);
  });

  it('skips blank lines, but not a row holding one empty quoted field', () => {
    expect(csv('\n\r\na,b\n\n1,2\r\n\r\n\n3,4\n\n')).toEqual([row(5, { a: '1', b: '2' }), row(8, { a: '3', b: '4' })]);
    expect(csv('a\n""\n\n x \n')).toEqual([row(2, { a: '' }), row(4, { a: ' x ' })]);
  });

  it('reports a wrong field count at the row start line and keeps reading', () => {
    expect(csv('a,b\n1\n1,2,3\n"p\nq",2,3\n4,5\n')).toEqual([
      countError(2, 1, 2),
      countError(3, 3, 2),
      countError(4, 3, 2),
      row(6, { a: '4', b: '5' }),
    ]);
  });

  it('reports an unterminated quote at end of input at the row start line', () => {
    const reader = createCsvReader();
    expect(reader.push('a,b\n1,2\n3,"oops\nmore\n')).toEqual([row(2, { a: '1', b: '2' })]);
    expect(reader.end()).toEqual([err(3, UNTERMINATED)]);
    expect(csv('"a\n')).toEqual([err(1, UNTERMINATED)]);
  });

  it('reports text after a closing quote and resynchronises at the next row', () => {
    expect(csv('a,b\n"ab"c,1\n"x","y\nz"q\n5,6\n"u"\r7,8\n9,"w" \n"k"\r\n')).toEqual([
      err(2, AFTER_QUOTE),
      // The quoted "y\nz" is still read as quoted, so the row ends after "q", not at "y".
      err(3, AFTER_QUOTE),
      row(5, { a: '5', b: '6' }),
      // A lone CR after a closing quote ends the row (of one field); "7,8" is the next.
      countError(6, 1, 2),
      row(7, { a: '7', b: '8' }),
      err(8, AFTER_QUOTE),
      countError(9, 1, 2),
    ]);
  });

  it('emits a last row without a trailing newline at end()', () => {
    const reader = createCsvReader();
    expect(reader.push('a,b\n1,2')).toEqual([]);
    expect(reader.end()).toEqual([row(2, { a: '1', b: '2' })]);
    expect(csv('a,b\n1,')).toEqual([row(2, { a: '1', b: '' })]);
    expect(csv('a,b\n1,"x"')).toEqual([row(2, { a: '1', b: 'x' })]);
    expect(csv('a,b\n1,2\r')).toEqual([row(2, { a: '1', b: '2' })]);
    expect(csv('a,b\n1,"x"\r')).toEqual([row(2, { a: '1', b: 'x' })]);
    expect(csv('a,b')).toEqual([]);
    expect(csv('')).toEqual([]);
  });

  it('trims header names', () => {
    const reader = createCsvReader();
    expect(feed(reader, [' x ,"y "\n1,2\n'])).toEqual([row(2, { x: '1', y: '2' })]);
    expect(reader.columns()).toEqual(['x', 'y']);
  });

  it('reports a bad header once and still reads rows, keeping the first duplicate', () => {
    const reader = createCsvReader();
    expect(feed(reader, [' a ,,a,b\n1,2,3,4\n5,6\n'])).toEqual([
      headerErr(1, '表头有误：第 2 列名为空；列名“a”重复 / bad header: column 2 has an empty name; duplicate column name "a"'),
      row(2, { a: '1', b: '4' }),
      countError(3, 2, 4),
    ]);
    expect(reader.columns()).toEqual(['a', 'b']);
  });

  it('uses a header after leading blank lines, reporting its errors on its own line', () => {
    expect(csv('\n\nx,x\n1,2\n')).toEqual([
      headerErr(3, '表头有误：列名“x”重复 / bad header: duplicate column name "x"'),
      row(4, { x: '1' }),
    ]);
  });

  it('treats __proto__ and constructor as ordinary column names', () => {
    const [event] = csv('__proto__,constructor\n1,2\n');
    expect(event?.kind).toBe('row');
    if (event?.kind === 'row') {
      expect(Object.keys(event.values)).toEqual(['__proto__', 'constructor']);
      expect(event.values['__proto__']).toBe('1');
      expect(event.values['constructor']).toBe('2');
    }
  });

  it('gives the same events for every two-chunk split of a tricky text', () => {
    const text = '\uFEFFh1, h2 \r\n"a,""b""\r\nc",d\r\n\r\n"x"y,1\nz,"\r"\n"unterminated\n';
    const whole = csv(text);
    expect(whole).toEqual([
      row(2, { h1: 'a,"b"\r\nc', h2: 'd' }),
      err(5, AFTER_QUOTE),
      // The lone CR inside quotes is data, and a line end: the next row starts on line 8.
      row(6, { h1: 'z', h2: '\r' }),
      err(8, UNTERMINATED),
    ]);
    for (let cut = 0; cut <= text.length; cut++) {
      expect(csv(text.slice(0, cut), text.slice(cut))).toEqual(whole);
    }
  });

  it('gives the same rows for every two-chunk split of its bytes, mid-character included', () => {
    const text = '\uFEFF名,h2\r\n"甲,""乙""\n丙",😀\n\r\n"x"y,1\nz,"\r"\n';
    const bytes = new TextEncoder().encode(text);
    const whole = scanBytes([bytes]);
    expect(whole).toEqual([
      { line: 2, fields: ['甲,"乙"\n丙', '😀'] },
      { line: 5, error: AFTER_QUOTE },
      { line: 6, fields: ['z', '\r'] },
    ]);
    for (let cut = 0; cut <= bytes.length; cut++) expect(scanBytes([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    // Three chunks: an unfinished row joined with the next chunk up to its first line feed, which
    // may lie inside a quoted field (then the join takes the rest of the chunk too), or in a row
    // that spans the whole middle chunk.
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b++) {
        expect(scanBytes([bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)]), `${a}/${b}`).toEqual(whole);
      }
    }
  });

  it('reports a row longer than the limit once, and reads on from the next line feed with the right line numbers', () => {
    const long = `"${'x'.repeat(MAX_ROW_BYTES)}\n\n,\n`; // an unterminated quote running past the limit
    const text = `a,b\n1,2\n${long}3,4\n`;
    const bytes = new TextEncoder().encode(text);
    const tooLong = scanBytes([bytes]);
    expect(tooLong).toEqual([
      { line: 2, fields: ['1', '2'] },
      { line: 3, error: expect.stringContaining('MiB') },
      { line: 5, fields: ['', ''] }, // reading resumed after line 3's line feed; line 4 is blank
      { line: 6, fields: ['3', '4'] },
    ]);
    // The same in small chunks: the limit bounds what is carried between them.
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 65536) chunks.push(bytes.subarray(i, i + 65536));
    expect(scanBytes(chunks)).toEqual(tooLong);
  });

  // Fields drawn from a CSV-hostile alphabet or from arbitrary Unicode text.
  const field = fc.oneof(
    fc.string({ unit: fc.constantFrom(',', '"', '\n', '\r', '\r\n', ' ', 'a', 'Z', '中', '文', '😀', '\uFEFF') }),
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
  );
  const headerName = fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s.trim() === s && s !== '');
  const table = fc.uniqueArray(headerName, { minLength: 1, maxLength: 5 }).chain((header) =>
    fc.record({
      header: fc.constant(header),
      rows: fc.array(fc.array(field, { minLength: header.length, maxLength: header.length }), { maxLength: 8 }),
      quoteAll: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
      crlf: fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
      trailingNewline: fc.boolean(),
      bom: fc.boolean(),
    }),
  );

  it('round-trips any RFC 4180 serialised table, whatever the chunk boundaries (property)', () => {
    fc.assert(
      fc.property(table, fc.array(fc.nat(), { maxLength: 12 }), (t, cuts) => {
        // Serialise as RFC 4180, recording the physical line on which each data row starts.
        let flip = 0;
        const cell = (s: string, single: boolean): string => {
          const must = /[",\r\n]/.test(s) || (single && s === ''); // a lone '' would be a blank line
          return must || t.quoteAll[flip++ % 64] ? `"${s.replaceAll('"', '""')}"` : s;
        };
        const lines = [t.header, ...t.rows].map((r) => r.map((s) => cell(s, r.length === 1)).join(','));
        let text = t.bom ? '\uFEFF' : '';
        const expected: InputEvent[] = [];
        lines.forEach((l, k) => {
          if (k > 0) {
            const line = text.split(/\r\n|\r|\n/).length; // 1 + the line ends (LF, CRLF, lone CR) before the row
            expected.push(row(line, Object.fromEntries(t.header.map((h, c) => [h, t.rows[k - 1]![c]!]))));
          }
          text += l + (k < lines.length - 1 || t.trailingNewline ? (t.crlf[k % 9] ? '\r\n' : '\n') : '');
        });
        const reader = createCsvReader();
        const chunked = feed(reader, splitAt(text, cuts));
        expect(chunked).toEqual(expected);
        expect(csv(text)).toEqual(expected);
        expect(reader.columns()).toEqual(t.header);
      }),
      { numRuns: 500 },
    );
  });
});

describe('NDJSON reader', () => {
  it('turns scalars into raw text and collects the union of keys', () => {
    const reader = createNdjsonReader();
    const events = feed(reader, [
      '{"s":"x, \\"y\\"","n":1.5,"i":-3,"e":1e21,"t":true,"f":false,"z":null,"empty":""}\n{"k":"中文"}\n',
    ]);
    expect(events).toEqual([
      // numbers as written: the field's decoder judges `1e21` (a number field takes plain decimals only)
      row(1, { s: 'x, "y"', n: '1.5', i: '-3', e: '1e21', t: 'true', f: 'false', z: '', empty: '' }),
      row(2, { k: '中文' }),
    ]);
    expect(reader.columns()).toEqual(['s', 'n', 'i', 'e', 't', 'f', 'z', 'empty', 'k']);
  });

  it('reports a nested value naming the field, and keeps reading', () => {
    const reader = createNdjsonReader();
    expect(feed(reader, ['{"a":1,"b":[1]}\n{"a":2,"c":{"d":1}}\n{"a":3}\n'])).toEqual([
      err(1, '字段 b 不是标量 / field b is not a scalar value'),
      err(2, '字段 c 不是标量 / field c is not a scalar value'),
      row(3, { a: '3' }),
    ]);
    expect(reader.columns()).toEqual(['a']);
  });

  it('reports invalid JSON and non-object lines with a bilingual reason', () => {
    const events = ndjson('{"a":1}\n{oops\n[1,2]\n"str"\nnull\n{"a":2}');
    expect(events).toHaveLength(6);
    expect(events[0]).toEqual(row(1, { a: '1' }));
    expect(events[1]).toMatchObject({ kind: 'error', line: 2 });
    expect(events[1]?.kind === 'error' && events[1].reason).toBe(
      '不是合法的 JSON（第 2 列：应为 键（带引号的字符串））/ invalid JSON at column 2: expected a key (a quoted string)');
    const notObject = '该行不是 JSON 对象 / the line is not a JSON object';
    expect(events.slice(2)).toEqual([err(3, notObject), err(4, notObject), err(5, notObject), row(6, { a: '2' })]);
  });

  it('keeps every digit of a number as written: long ids do not collide', () => {
    expect(ndjson('{"id":12345678901234567890,"x":0.10,"y":-0,"z":1.5E-3}\n{"id":12345678901234567891}')).toEqual([
      row(1, { id: '12345678901234567890', x: '0.10', y: '-0', z: '1.5E-3' }),
      row(2, { id: '12345678901234567891' }),
    ]);
  });

  it('refuses a key given twice, naming it, rather than keeping the last', () => {
    expect(ndjson('{"id":"A","n":1,"id":"B"}\n{"__proto__":"p","constructor":"c"}')).toEqual([
      err(1, '字段 id 出现了两次 / field id is given twice'),
      // (JSON.parse makes "__proto__" an own key, as the reader does; an object literal would not)
      row(2, JSON.parse('{"__proto__":"p","constructor":"c"}') as Record<string, string>),
    ]);
  });

  it('locates a syntax error by column, and takes only what RFC 8259 allows', () => {
    const bad = (line: string) => {
      const e = ndjson(line)[0];
      return e?.kind === 'error' ? e.reason.slice(e.reason.indexOf('/ ') + 2) : e;
    };
    expect(bad('{"a":01}')).toBe("invalid JSON at column 7: expected ',' or '}'");
    expect(bad('{"a":+1}')).toBe('invalid JSON at column 6: expected a value (a string, number, true, false or null)');
    expect(bad('{"a":.5}')).toBe('invalid JSON at column 6: expected a value (a string, number, true, false or null)');
    expect(bad('{"a":1.}')).toBe('invalid JSON at column 8: digits should follow the decimal point');
    expect(bad('{"a":1e}')).toBe('invalid JSON at column 8: the exponent should have digits');
    expect(bad('{"a":1,}')).toBe('invalid JSON at column 8: expected a key (a quoted string)');
    expect(bad("{'a':1}")).toBe('invalid JSON at column 2: expected a key (a quoted string)');
    expect(bad('{"a":tru}')).toBe('invalid JSON at column 6: expected a value (a string, number, true, false or null)');
    expect(bad('{"a":"x')).toBe('invalid JSON at column 6: an unterminated string');
    expect(bad('{"a":"x\ty"}')).toBe('invalid JSON at column 8: an unescaped control character in a string');
    expect(bad('{"a":"\\x"}')).toBe('invalid JSON at column 7: an invalid escape');
    expect(bad('{"a":"\\u12"}')).toBe('invalid JSON at column 7: \\u should be followed by four hex digits');
    expect(bad('{"a":1} {"b":2}')).toBe('invalid JSON at column 9: text after the object (one object per line)');
    expect(bad('{"a":1')).toBe("invalid JSON at column 7: the line ends where ',' or '}' should be");
    expect(ndjson('{ "a" : "\\u4e2d\\\\\\/\\"\\n" , "b":true }')).toEqual([row(1, { a: '中\\/"\n', b: 'true' })]);
  });

  it('agrees with JSON.parse on what is a valid line, and on every value but numbers (property)', () => {
    const piece = fc.constantFrom('{', '}', '"a"', '"b"', ':', ',', '1', '-0.5', '1e3', 'true', 'null', '[1]', '"x\\"', ' ', '01', '"', '\\u0041');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const line = parts.join('');
        if (line.trim() === '') return;
        let expected: unknown;
        try {
          expected = JSON.parse(line);
        } catch {
          expected = undefined;
        }
        const [e] = ndjson(line);
        const isFlat = typeof expected === 'object' && expected !== null && !Array.isArray(expected) && Object.values(expected).every((v) => v === null || typeof v !== 'object');
        // JSON.parse keeps the last of two equal keys; the reader refuses the line.
        const keys = [...line.matchAll(/"(a|b)"\s*:/g)].map((m) => m[1]);
        const twice = new Set(keys).size < keys.length;
        if (!isFlat || twice) {
          expect(e?.kind, line).toBe('error');
          return;
        }
        expect(e?.kind, line).toBe('row');
        if (e?.kind !== 'row') return;
        for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
          if (typeof v === 'number') expect(Number(e.values[k])).toBe(v);
          else expect(e.values[k]).toBe(v === null ? '' : String(v));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads lines split across chunks, CRLF, a BOM and blank lines', () => {
    const text = '\uFEFF{"a":"1"}\r\n\r\n  \n{"b":"中文"}\r\n\n{"a":"x\\ny","b":2}';
    const expected = [row(1, { a: '1' }), row(4, { b: '中文' }), row(6, { a: 'x\ny', b: '2' })];
    expect(ndjson(text)).toEqual(expected);
    expect(ndjson(...chars(text))).toEqual(expected);
    for (let cut = 0; cut <= text.length; cut++) expect(ndjson(text.slice(0, cut), text.slice(cut))).toEqual(expected);
  });

  it('round-trips objects of scalars whatever the chunk boundaries (property)', () => {
    const scalar = fc.oneof(fc.string({ unit: 'binary' }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
    const objects = fc.array(fc.dictionary(fc.string(), scalar), { maxLength: 6 });
    fc.assert(
      fc.property(objects, fc.array(fc.nat(), { maxLength: 10 }), fc.boolean(), (objs, cuts, crlf) => {
        const text = objs.map((o) => JSON.stringify(o)).join(crlf ? '\r\n' : '\n');
        const expected = objs.map((o, k) =>
          row(k + 1, Object.fromEntries(Object.entries(o).map(([key, v]) => [key, v === null ? '' : String(v)]))),
        );
        expect(ndjson(...splitAt(text, cuts))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('detectFormat', () => {
  it('goes by extension first', () => {
    expect(detectFormat('data.CSV', '{"a":1}')).toBe('csv');
    expect(detectFormat('a/b.ndjson', 'a,b')).toBe('ndjson');
    expect(detectFormat('x.jsonl', 'a,b')).toBe('ndjson');
    expect(detectFormat('x.json', '')).toBe('ndjson');
  });

  it('otherwise looks at the first non-blank, non-BOM character', () => {
    expect(detectFormat('upload', '\uFEFF \r\n\t{"a":1}')).toBe('ndjson');
    expect(detectFormat('upload.txt', '\uFEFFa,b\n')).toBe('csv');
    expect(detectFormat('', '')).toBe('csv');
  });
});

describe('quoted values', () => {
  it('are whole up to 80 characters, else an excerpt with the length, never splitting a surrogate pair', () => {
    expect(excerpt('x'.repeat(80))).toBe('x'.repeat(80));
    expect(excerpt('1'.repeat(100000))).toBe(`${'1'.repeat(48)}…${'1'.repeat(16)} (100000 chars)`);
    // '😀' is two UTF-16 units: at 47–48 the head stops before it; at the tail's first unit the cut moves after it.
    const s = `${'a'.repeat(47)}😀${'b'.repeat(40)}😀${'c'.repeat(15)}`;
    expect(excerpt(s)).toBe(`${'a'.repeat(47)}…${'c'.repeat(15)} (${s.length} chars)`);
    expect(nameList(Array.from({ length: 25 }, (_, i) => `c${i}`), ', ')).toBe(`${Array.from({ length: 20 }, (_, i) => `c${i}`).join(', ')}, … (+5)`);
  });
});

describe('a line with no end: 16 MiB without a line feed stops the reader, however the bytes are chunked', () => {
  const text = `{"a":"1"}\n${'y'.repeat((16 << 20) + 1)}`;
  const chunkings = [[text], [text.slice(0, 1 << 20), text.slice(1 << 20)], Array.from({ length: 17 }, (_, k) => text.slice(k << 20, (k + 1) << 20))];
  it.each(chunkings.map((c) => [c.length, c]))('NDJSON in %i chunk(s): RunawayLine at line 2', (_n, chunks) => {
    const reader = createNdjsonReader();
    const events: InputEvent[] = [];
    let thrown: unknown;
    try {
      for (const c of chunks as string[]) events.push(...reader.push(c));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(RunawayLine);
    expect((thrown as RunawayLine).line).toBe(2);
    // What was read before it does not matter: the file is refused as a whole.
    expect(events.every((e) => e.kind === 'row' || e.line === 2)).toBe(true);
  });
  it('16 MiB exactly, then a line feed: one rejected line, and the next line is read', () => {
    const reader = createNdjsonReader();
    const events = [...reader.push(`{"a":"1"}\n${'y'.repeat(16 << 20)}\n{"a":"2"}\n`), ...reader.end()];
    expect(events).toEqual([row(1, { a: '1' }), err(2, '该行超过 1 MiB，已跳过至下一个换行 / the line is longer than 1 MiB; skipped to the next line feed'), row(3, { a: '2' })]);
  });
});

describe('NDJSON line length', () => {
  it('reports a line over 1 MiB once, skips to its line feed, and reads on (in any chunking); a file with no line feed is bounded', () => {
    const long = `{"a":"${'x'.repeat(1 << 20)}"}`;
    const text = `{"a":"1"}\n${long}\n{"a":"2"}\n`;
    const expected = [row(1, { a: '1' }), err(2, '该行超过 1 MiB，已跳过至下一个换行 / the line is longer than 1 MiB; skipped to the next line feed'), row(3, { a: '2' })];
    expect(ndjson(text)).toEqual(expected);
    expect(ndjson(...splitAt(text, [5, 100, 70_000, 1 << 19, (1 << 20) + 5, (1 << 20) + 12]))).toEqual(expected);
    // 3 MiB with no line feed, in 64 KiB chunks: one error, nothing held.
    const reader = createNdjsonReader();
    const events: InputEvent[] = [];
    for (let k = 0; k < 48; k++) events.push(...reader.push('y'.repeat(1 << 16)));
    events.push(...reader.end());
    expect(events).toEqual([err(1, '该行超过 1 MiB，已跳过至下一个换行 / the line is longer than 1 MiB; skipped to the next line feed')]);
  });
});
