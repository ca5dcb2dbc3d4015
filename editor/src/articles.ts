// Finding an article's text in a policy's source document: a citation such as `管理办法 第十一条`
// names the article by its heading 第N条; its text runs from that heading, at the start of a
// line, to the next article or chapter heading. The document is the bundled one
// (policies/lincang/source/); a citation naming another document (a hypothetical revision's)
// finds nothing.

const HEADING = /^\s*第[一二三四五六七八九十百零〇]+[条章]/;

/** The article named in a citation (`第十一条`), or undefined when it names none. */
export function articleOf(cite: string): string | undefined {
  return /第[一二三四五六七八九十百零〇]+条/.exec(cite)?.[0];
}

/**
 * The text of the article a citation names, from `document`; blank lines (the extracted PDF has
 * one between lines) are dropped and lines joined. Undefined if the document has no such article.
 */
export function articleText(document: string, cite: string): string | undefined {
  const article = articleOf(cite);
  if (article === undefined) return undefined;
  // The citation names its document before the article (`管理办法 第十一条`): a citation of
  // another document (a revision's, a county's) is not looked up in this one.
  const name = cite.slice(0, cite.indexOf(article)).trim();
  if (name !== '' && !document.includes(name)) return undefined;
  const lines = document.split(/\r?\n/);
  // The last heading of that name: article numbers restart in each attachment, and the rules'
  // citations are to the Measures (attachment 2), the document's last part.
  let start = -1;
  for (let i = 0; i < lines.length; i++) if (lines[i]!.trimStart().startsWith(article)) start = i;
  if (start < 0) return undefined;
  const out = [lines[start]!.trim()];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (HEADING.test(line)) break;
    if (line.trim() !== '') out.push(line.trim());
  }
  return out.join('');
}
