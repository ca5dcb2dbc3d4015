// A small line-breaking engine for the formatter (format-rules.ts), in the style of Wadler's
// "prettier printer": a document of texts, groups and possible line breaks; each group prints on
// one line when it fits in the width, else breaks all its own line breaks. Pure: no Node APIs.
//
// Tokens (`tok`) may carry comments from the source: a leading comment is printed on its own line
// before the token, a trailing one after it, and what follows then starts on a new line. A group
// that holds a comment other than before its first or after its last token always breaks, so that
// the forced line break falls where a break belongs.

import { assertNever } from './ast.ts';
import { displayWidth } from './text-width.ts';

/** A piece of layout. */
export type Doc = string | readonly Doc[] | Group | Indent | Line | Tok;

/** Prints on one line if it fits, else with every one of its own `line`s broken. */
export interface Group {
  readonly kind: 'group';
  readonly contents: Doc;
}

/** Its contents' line breaks start two columns further in. */
export interface Indent {
  readonly kind: 'indent';
  readonly contents: Doc;
}

/**
 * A possible line break: a space (`soft`: nothing) when its group is flat, a new line when it is
 * broken; `hard` always breaks, and breaks every group around it.
 */
export interface Line {
  readonly kind: 'line';
  readonly soft: boolean;
  readonly hard: boolean;
}

/** One token of the rule language: `index` names it for the comments attached to it (-1: none). */
export interface Tok {
  readonly kind: 'tok';
  readonly text: string;
  readonly index: number;
}

/** The comments attached to one token, by their text (`# …`). */
export interface TokenComments {
  readonly before: readonly string[];
  readonly after: readonly string[];
}

/** A space, or a line break when its group is broken. */
export const line: Line = { kind: 'line', soft: false, hard: false };
/** Nothing, or a line break when its group is broken. */
export const softline: Line = { kind: 'line', soft: true, hard: false };
/** Always a line break. */
export const hardline: Line = { kind: 'line', soft: false, hard: true };
/** `contents` on one line if it fits, else broken. */
export const group = (contents: Doc): Group => ({ kind: 'group', contents });
/** `contents` with its line breaks two columns further in. */
export const indent = (contents: Doc): Indent => ({ kind: 'indent', contents });

/** The indentation step of continuation lines. */
const STEP = 2;

type Mode = 'flat' | 'break';
interface Cmd {
  readonly ind: number;
  readonly mode: Mode;
  readonly doc: Doc;
}

/**
 * Lays `doc` out in `width` columns (CJK characters count two), starting at column 0 with
 * indentation 0, and returns the text (no final line break; lines never end in spaces).
 * `comments` gives the comments of a token by its index.
 */
export function layout(doc: Doc, width: number, comments: ReadonlyMap<number, TokenComments> = new Map()): string {
  const broken = mustBreakGroups(doc, comments);
  const lines: string[] = [''];
  let column = 0;
  // After a comment, what follows starts on a new line.
  let pendingBreak = false;
  const newline = (ind: number): void => {
    lines[lines.length - 1] = lines[lines.length - 1]!.trimEnd();
    lines.push(' '.repeat(ind));
    column = ind;
    pendingBreak = false;
  };
  const lineEmpty = (): boolean => lines[lines.length - 1]!.trim() === '';
  const write = (text: string, ind: number): void => {
    if (pendingBreak) {
      // The space that would have followed the token goes with the line the comment ended.
      if (text.trim() === '') return;
      newline(ind);
    }
    lines[lines.length - 1] += text;
    column += displayWidth(text);
  };
  const stack: Cmd[] = [{ ind: 0, mode: 'break', doc }];
  while (stack.length > 0) {
    const { ind, mode, doc: d } = stack.pop()!;
    if (typeof d === 'string') {
      write(d, ind);
      continue;
    }
    if (isArray(d)) {
      for (let i = d.length - 1; i >= 0; i--) stack.push({ ind, mode, doc: d[i]! });
      continue;
    }
    switch (d.kind) {
      case 'tok': {
        const c = d.index >= 0 ? comments.get(d.index) : undefined;
        for (const text of c?.before ?? []) {
          if (!lineEmpty()) newline(ind);
          else pendingBreak = false;
          write(text, ind);
          pendingBreak = true;
        }
        write(d.text, ind);
        for (const text of c?.after ?? []) {
          lines[lines.length - 1] += ` ${text}`;
          pendingBreak = true;
        }
        break;
      }
      case 'indent':
        stack.push({ ind: ind + STEP, mode, doc: d.contents });
        break;
      case 'group': {
        const flat = !broken.has(d) && fits({ ind, mode: 'flat', doc: d.contents }, stack, width - column, comments);
        stack.push({ ind, mode: flat ? 'flat' : 'break', doc: d.contents });
        break;
      }
      case 'line':
        if (mode === 'break' || d.hard || pendingBreak) newline(ind);
        else if (!d.soft) write(' ', ind);
        break;
      default:
        assertNever(d);
    }
  }
  lines[lines.length - 1] = lines[lines.length - 1]!.trimEnd();
  return lines.join('\n');
}

function isArray(d: Doc): d is readonly Doc[] {
  return Array.isArray(d);
}

/**
 * Whether `next` printed flat, then what follows it on the stack up to its first line break,
 * takes no more than `left` columns. A comment ends the line, so what comes after it is not
 * measured.
 */
function fits(next: Cmd, rest: readonly Cmd[], left: number, comments: ReadonlyMap<number, TokenComments>): boolean {
  const todo: Cmd[] = [next];
  let restIndex = rest.length;
  while (left >= 0) {
    if (todo.length === 0) {
      if (restIndex === 0) return true;
      todo.push(rest[--restIndex]!);
      continue;
    }
    const { mode, doc: d, ind } = todo.pop()!;
    if (typeof d === 'string') {
      left -= displayWidth(d);
      continue;
    }
    if (isArray(d)) {
      for (let i = d.length - 1; i >= 0; i--) todo.push({ ind, mode, doc: d[i]! });
      continue;
    }
    switch (d.kind) {
      case 'tok': {
        const c = d.index >= 0 ? comments.get(d.index) : undefined;
        if (c && c.before.length > 0) return true;
        left -= displayWidth(d.text);
        if (c && c.after.length > 0) return left >= 0;
        break;
      }
      case 'indent':
        todo.push({ ind, mode, doc: d.contents });
        break;
      case 'group':
        todo.push({ ind, mode, doc: d.contents });
        break;
      case 'line':
        if (mode === 'break' || d.hard) return true;
        if (!d.soft) left -= 1;
        break;
      default:
        assertNever(d);
    }
  }
  return false;
}

/**
 * The groups that must break: those holding a hard line break, or a comment anywhere but before
 * their first token or after their last.
 */
function mustBreakGroups(doc: Doc, comments: ReadonlyMap<number, TokenComments>): Set<Group> {
  const broken = new Set<Group>();
  // Returns the group's first and last token indices and whether it must break.
  const visit = (d: Doc): { first: number | undefined; last: number | undefined; hard: boolean; inner: Set<number> } => {
    if (typeof d === 'string') return { first: undefined, last: undefined, hard: false, inner: new Set() };
    if (isArray(d)) {
      let first: number | undefined;
      let last: number | undefined;
      let hard = false;
      const inner = new Set<number>();
      for (const part of d) {
        const r = visit(part);
        first ??= r.first;
        last = r.last ?? last;
        hard ||= r.hard;
        for (const i of r.inner) inner.add(i);
      }
      return { first, last, hard, inner };
    }
    switch (d.kind) {
      case 'tok': {
        const inner = new Set<number>();
        if (d.index >= 0 && comments.has(d.index)) inner.add(d.index);
        const at = d.index >= 0 ? d.index : undefined;
        return { first: at, last: at, hard: false, inner };
      }
      case 'indent':
        return visit(d.contents);
      case 'line':
        return { first: undefined, last: undefined, hard: d.hard, inner: new Set() };
      case 'group': {
        const r = visit(d.contents);
        let must = r.hard;
        for (const i of r.inner) {
          const c = comments.get(i)!;
          if ((c.before.length > 0 && i !== r.first) || (c.after.length > 0 && i !== r.last)) must = true;
        }
        if (must) broken.add(d);
        return r;
      }
      default:
        return assertNever(d);
    }
  };
  visit(doc);
  return broken;
}
