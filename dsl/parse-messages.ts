// Parser error messages for policy officers, replacing chevrotain's defaults
// ("Expecting token of type --> Colon <--") with plain words in Chinese and English.
// Chevrotain carries one string per error, so both languages travel encoded in it as JSON and
// are unpacked by `decodeParseMessage`.

import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';

interface Words {
  readonly en: string;
  readonly zh: string;
}

/** How each token reads to a person, for "expected …" messages. */
const tokenWords: Readonly<Record<string, Words>> = {
  Identifier: { en: 'a name', zh: '名称' },
  NumberLiteral: { en: 'a number', zh: '数字' },
  Percent: { en: 'a percentage', zh: '百分数' },
  DateLiteral: { en: 'a date', zh: '日期' },
  StringLiteral: { en: 'a quoted text', zh: '带引号的文字' },
  EOF: { en: 'the end of the rules', zh: '规则结尾' },
};

const symbols: Readonly<Record<string, string>> = {
  Eq: '==', NotEq: '!=', LessEq: '<=', GreaterEq: '>=', Less: '<', Greater: '>', Assign: '=',
  Plus: '+', Minus: '-', Star: '*', Slash: '/', LParen: '(', RParen: ')', LBracket: '[',
  RBracket: ']', Comma: ',', Colon: ':', Dot: '.', At: '@',
};

/** The words for a token type: operators and keywords read as themselves, quoted. */
export function describeTokenType(t: TokenType): Words {
  const words = tokenWords[t.name];
  if (words) return words;
  const text = `'${symbols[t.name] ?? t.name.toLowerCase()}'`;
  return { en: text, zh: text };
}

function describeFound(token: IToken): Words {
  return token.tokenType.name === 'EOF' ? tokenWords.EOF! : { en: `'${token.image}'`, zh: `'${token.image}'` };
}

function alternatives(paths: TokenType[][][]): Words {
  const seen = new Map<string, Words>();
  for (const alt of paths) for (const path of alt) if (path[0]) seen.set(path[0].name, describeTokenType(path[0]));
  // Where any value may start, a list of token kinds helps no one: say what is wanted.
  if (seen.has('NumberLiteral') && seen.has('Identifier')) return { en: 'a value or an expression', zh: '一个值或表达式' };
  const list = [...seen.values()].slice(0, 6);
  return { en: list.map((w) => w.en).join(', '), zh: list.map((w) => w.zh).join('、') };
}

function encode(en: string, zh: string): string {
  return JSON.stringify({ en, zh });
}

/** Unpacks a message built by {@link errorMessageProvider}; chevrotain's own pass through as is. */
export function decodeParseMessage(message: string): Words {
  try {
    const parsed = JSON.parse(message) as Partial<Words>;
    if (typeof parsed.en === 'string' && typeof parsed.zh === 'string') return { en: parsed.en, zh: parsed.zh };
  } catch {
    // not one of ours
  }
  return { en: message, zh: message };
}

/** Message provider handed to the parser: "expected X, found Y" in both languages. */
export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    const e = describeTokenType(expected);
    const f = describeFound(actual);
    if (ruleName === 'requireStatement' && expected.name === 'Colon') {
      return encode(
        `expected ':' before the comparison (after 'per period|cycle', an optional 'for … in …' and an optional 'when …'), found ${f.en}`,
        `比较式前应有 ':'（在 'per period|cycle'、可选的 'for … in …' 和 'when …' 之后），实际是 ${f.zh}`,
      );
    }
    return encode(`expected ${e.en}, found ${f.en}`, `此处应为 ${e.zh}，实际是 ${f.zh}`);
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    const f = describeFound(firstRedundant);
    return encode(
      `unexpected ${f.en}: expected the start of a statement (let, reject, exclude, disregard, measure, require)`,
      `多余的 ${f.zh}：此处应开始一条新规则（let、reject、exclude、disregard、measure、require）`,
    );
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual }) {
    const e = alternatives(expectedPathsPerAlt);
    const f = describeFound(actual[0]!);
    return encode(`expected ${e.en.includes(', ') ? 'one of ' : ''}${e.en}; found ${f.en}`, `此处应为${e.zh}${e.zh.includes('、') ? '之一' : ''}，实际是 ${f.zh}`);
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    const e = alternatives([expectedIterationPaths]);
    const f = describeFound(actual[0]!);
    return encode(`expected at least one ${e.en}; found ${f.en}`, `此处至少应有一个 ${e.zh}，实际是 ${f.zh}`);
  },
};
