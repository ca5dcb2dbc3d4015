// One NDJSON line: a JSON object of scalars, read by hand rather than by JSON.parse, for three
// things JSON.parse cannot give: a number's text as written (an id of 20 digits keeps its digits,
// 0.10 stays exact text for the decimal decoder), a key written twice (JSON.parse silently keeps
// the last), and the column of a syntax error. RFC 8259 grammar, strictly: no comments, no
// trailing commas, no single quotes, no bare words.

/** What a line held: its fields as text, or what is wrong and at which (1-based) column. */
export type JsonLine =
  | { readonly ok: true; readonly values: Record<string, string> }
  | {
    readonly ok: false;
    readonly column: number;
    readonly zh: string;
    readonly en: string;
    /** The field at fault (given twice, not a scalar). */
    readonly field?: string;
    /** A syntax error, located by column (else the line is valid JSON of the wrong shape). */
    readonly syntax: boolean;
  };

const enum C {
  Tab = 0x09, Lf = 0x0a, Cr = 0x0d, Space = 0x20, Quote = 0x22, Plus = 0x2b, Comma = 0x2c, Minus = 0x2d, Dot = 0x2e,
  Zero = 0x30, Nine = 0x39, Colon = 0x3a, E = 0x45, OpenBracket = 0x5b, Backslash = 0x5c, CloseBracket = 0x5d,
  LowerE = 0x65, OpenBrace = 0x7b, CloseBrace = 0x7d,
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Fail {
  constructor(readonly at: number, readonly zh: string, readonly en: string, readonly field?: string, readonly syntax = field === undefined) {}
}

/** Reads `text` (one line, without its line end) as an object of scalars. */
export function parseJsonLine(text: string): JsonLine {
  try {
    return { ok: true, values: new LineParser(text).object() };
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    return { ok: false, column: e.at + 1, zh: e.zh, en: e.en, syntax: e.syntax, ...(e.field === undefined ? {} : { field: e.field }) };
  }
}

class LineParser {
  private i = 0;

  constructor(private readonly s: string) {}

  object(): Record<string, string> {
    this.space();
    if (this.s.charCodeAt(this.i) !== C.OpenBrace) throw new Fail(this.i, '该行不是 JSON 对象', 'the line is not a JSON object', undefined, false);
    this.i++;
    // No prototype: a "__proto__" key stays a plain key.
    const values: Record<string, string> = Object.create(null);
    this.space();
    if (this.s.charCodeAt(this.i) === C.CloseBrace) {
      this.i++;
      return this.end(values);
    }
    for (;;) {
      this.space();
      if (this.s.charCodeAt(this.i) !== C.Quote) throw this.expected('键（带引号的字符串）', 'a key (a quoted string)');
      const at = this.i;
      const key = this.string();
      if (Object.hasOwn(values, key)) throw new Fail(at, `字段 ${key} 出现了两次`, `field ${key} is given twice`, key);
      this.space();
      if (this.s.charCodeAt(this.i) !== C.Colon) throw this.expected("':'", "':'");
      this.i++;
      this.space();
      values[key] = this.scalar(key);
      this.space();
      const c = this.s.charCodeAt(this.i);
      if (c === C.Comma) {
        this.i++;
        continue;
      }
      if (c === C.CloseBrace) {
        this.i++;
        return this.end(values);
      }
      throw this.expected("',' 或 '}'", "',' or '}'");
    }
  }

  private end(values: Record<string, string>): Record<string, string> {
    this.space();
    if (this.i < this.s.length) throw new Fail(this.i, '对象之后还有内容（每行只能有一个对象）', 'text after the object (one object per line)');
    return values;
  }

  private space(): void {
    const s = this.s;
    let c = s.charCodeAt(this.i);
    while (c === C.Space || c === C.Tab || c === C.Cr || c === C.Lf) c = s.charCodeAt(++this.i);
  }

  private expected(zh: string, en: string): Fail {
    if (this.i >= this.s.length) return new Fail(this.i, `行在此结束，应为 ${zh}`, `the line ends where ${en} should be`);
    return new Fail(this.i, `应为 ${zh}`, `expected ${en}`);
  }

  /** A value: its text as a field holds it. */
  private scalar(key: string): string {
    const s = this.s;
    const c = s.charCodeAt(this.i);
    if (c === C.Quote) return this.string();
    if (c === C.Minus || (c >= C.Zero && c <= C.Nine)) return this.number();
    if (c === C.OpenBracket || c === C.OpenBrace) throw new Fail(this.i, `字段 ${key} 不是标量`, `field ${key} is not a scalar value`, key);
    for (const [word, text] of [['true', 'true'], ['false', 'false'], ['null', '']] as const) {
      if (s.startsWith(word, this.i)) {
        this.i += word.length;
        return text;
      }
    }
    throw this.expected('值（字符串、数字、true、false 或 null）', 'a value (a string, number, true, false or null)');
  }

  /** A number, as written (its grammar checked: JSON has no `+1`, `01`, `.5` or `1.`). */
  private number(): string {
    const s = this.s;
    const start = this.i;
    const digits = (): number => {
      const from = this.i;
      let c = s.charCodeAt(this.i);
      while (c >= C.Zero && c <= C.Nine) c = s.charCodeAt(++this.i);
      return this.i - from;
    };
    if (s.charCodeAt(this.i) === C.Minus) this.i++;
    if (s.charCodeAt(this.i) === C.Zero) this.i++;
    else if (digits() === 0) throw new Fail(this.i, '数字格式不对', 'a malformed number');
    if (s.charCodeAt(this.i) === C.Dot) {
      this.i++;
      if (digits() === 0) throw new Fail(this.i, '小数点后应有数字', 'digits should follow the decimal point');
    }
    const e = s.charCodeAt(this.i);
    if (e === C.E || e === C.LowerE) {
      this.i++;
      const sign = s.charCodeAt(this.i);
      if (sign === C.Plus || sign === C.Minus) this.i++;
      if (digits() === 0) throw new Fail(this.i, '指数应有数字', 'the exponent should have digits');
    }
    return s.slice(start, this.i);
  }

  /** A string at the quote at `i`, unescaped. */
  private string(): string {
    const s = this.s;
    const open = this.i++;
    let out = '';
    let from = this.i;
    for (;;) {
      const q = this.i;
      if (q >= s.length) throw new Fail(open, '字符串未闭合', 'an unterminated string');
      const c = s.charCodeAt(q);
      if (c === C.Quote) {
        out += s.slice(from, q);
        this.i = q + 1;
        return out;
      }
      if (c < C.Space) throw new Fail(q, '字符串中有未转义的控制字符', 'an unescaped control character in a string');
      if (c !== C.Backslash) {
        this.i++;
        continue;
      }
      out += s.slice(from, q);
      const x = s[q + 1];
      if (x === 'u') {
        const hex = s.slice(q + 2, q + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Fail(q, '\\u 后应有四位十六进制数', '\\u should be followed by four hex digits');
        out += String.fromCharCode(Number.parseInt(hex, 16));
        this.i = q + 6;
      } else if (x !== undefined && Object.hasOwn(ESCAPES, x)) {
        out += ESCAPES[x]!;
        this.i = q + 2;
      } else throw new Fail(q, '无效的转义', 'an invalid escape');
      from = this.i;
    }
  }
}
