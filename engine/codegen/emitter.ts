// The text of generated JavaScript, built line by line. Only the generator writes into it, and
// only identifiers it made, numbers and operators: no text of the policy ever becomes source
// (texts are passed in a constants array, test/codegen.test.ts checks there is no quote).

/** Lines of generated source with block indentation and fresh temporary names. */
export class Emitter {
  private readonly lines: string[] = [];
  private depth: number;

  constructor(
    private readonly names: { next: number },
    depth = 1,
  ) {
    this.depth = depth;
  }

  /** A fresh identifier, unique in the whole generated program. */
  temp(): string {
    return `v${this.names.next++}`;
  }

  line(text: string): void {
    this.lines.push(`${'  '.repeat(this.depth)}${text}`);
  }

  /** `head {`, then the lines `body` writes, one level deeper, then `}`. */
  block(head: string, body: () => void, tail = '}'): void {
    this.line(`${head} {`);
    this.depth++;
    body();
    this.depth--;
    this.line(tail);
  }

  /** The lines written so far. */
  text(): string {
    return this.lines.join('\n');
  }

  /** How many characters have been written (a bound on program size). */
  get size(): number {
    let n = 0;
    for (const l of this.lines) n += l.length + 1;
    return n;
  }
}
