// How deeply a YAML text nests, found before the YAML parser sees it: the parser recurses once
// per level, so a file of 5,000 nested brackets ran it out of stack ("Maximum call stack size
// exceeded", reported where the stack happened to end). A policy nests a few levels; a file past
// MAX_YAML_DEPTH is refused at the place it passes the limit.
//
// One linear pass, line by line: block nesting by indentation (and `- ` entries on one line),
// flow nesting by brackets outside quoted scalars, comments and block scalars (`|`, `>`), whose
// text is the rule language's, not YAML's.

/** Deepest nesting of mappings and lists a policy file may have. */
export const MAX_YAML_DEPTH = 64;

/** The offset where `text` first nests deeper than {@link MAX_YAML_DEPTH}, or undefined. */
export function yamlTooDeepAt(text: string): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let blockIndent = -1; // inside a block scalar: the indent of the line that opened it
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    let i = at;
    while (i < end && text.charCodeAt(i) === 0x20) i++;
    const indent = i - at;
    const blank = i >= end || text[i] === '\r' || text[i] === '#';
    if (blockIndent >= 0) {
      if (blank || indent > blockIndent) {
        at = end + 1;
        continue;
      }
      blockIndent = -1;
    }
    if (blank) {
      at = end + 1;
      continue;
    }
    if (flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1]! > indent) indents.pop();
      if (indents.length === 0 || indents[indents.length - 1]! < indent) indents.push(indent);
    }
    // `- - - x`: each entry marker opens a list inside the one before.
    let entries = 0;
    while (flow === 0 && text[i] === '-' && (text[i + 1] === ' ' || i + 1 >= end)) {
      entries++;
      i += 2;
      while (i < end && text[i] === ' ') i++;
    }
    if (indents.length + entries + flow > MAX_YAML_DEPTH) return at + indent;
    const scan = scanLine(text, i, end, flow, indents.length + entries);
    if (typeof scan === 'number' && scan < 0) return -scan - 1;
    flow = (scan as { flow: number }).flow;
    if ((scan as { block: boolean }).block) blockIndent = indent;
    at = end + 1;
  }
  return undefined;
}

/**
 * Brackets on one line from `i`: the flow depth after it and whether it opens a block scalar, or
 * `-(offset + 1)` where the depth passes the limit.
 */
function scanLine(text: string, i: number, end: number, flow: number, block: number): { flow: number; block: boolean } | number {
  let quote = '';
  let last = ' '; // the last character outside quotes that is not a space
  for (; i < end; i++) {
    const c = text[i]!;
    if (quote !== '') {
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else {
          quote = '';
          last = c;
        }
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    // A quote opens a quoted scalar only where a scalar starts.
    const starts = last === ' ' || last === ':' || last === '-' || last === '?' || (flow > 0 && (last === ',' || last === '[' || last === '{'));
    if (c === '#' && (text[i - 1] === ' ' || text[i - 1] === '\t')) break;
    if ((c === '"' || c === "'") && starts) quote = c;
    else if ((c === '[' || c === '{') && (flow > 0 || starts)) {
      flow++;
      if (block + flow > MAX_YAML_DEPTH) return -(i + 1);
    } else if ((c === ']' || c === '}') && flow > 0) flow--;
    else if ((c === '|' || c === '>') && flow === 0 && (last === ':' || last === '-' || last === ' ') && /^[|>][+-]?\d?[+-]?\s*(#.*)?$/.test(text.slice(i, end).trimEnd())) {
      return { flow, block: true };
    }
    last = c;
  }
  return { flow, block: false };
}
