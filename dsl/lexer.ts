// Stage 1 of the rules pipeline: text → tokens. The token list is the single source of truth for
// the grammar (parser.ts) and, later, for editor highlighting.

import { createToken, Lexer, type TokenType } from 'chevrotain';

/** Identifiers: Latin letters, digits, underscore and CJK ideographs (`优`, `专业能力`). */
const identifierPattern = /[A-Za-z_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff][A-Za-z0-9_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]*/;

export const Identifier = createToken({ name: 'Identifier', pattern: identifierPattern });

function keyword(word: string): TokenType {
  return createToken({ name: word[0]!.toUpperCase() + word.slice(1), pattern: new RegExp(word), longer_alt: Identifier });
}

/** Reserved words, each a token so that the grammar and highlighting share one list. */
export const Let = keyword('let');
export const Reject = keyword('reject');
export const Exclude = keyword('exclude');
export const Disregard = keyword('disregard');
export const Measure = keyword('measure');
export const Require = keyword('require');
export const When = keyword('when');
export const Because = keyword('because');
export const Per = keyword('per');
export const For = keyword('for');
export const In = keyword('in');
export const If = keyword('if');
export const Then = keyword('then');
export const Else = keyword('else');
export const And = keyword('and');
export const Or = keyword('or');
export const Not = keyword('not');
export const Between = keyword('between');
export const Is = keyword('is');
export const Present = keyword('present');
export const Missing = keyword('missing');
export const True = keyword('true');
export const False = keyword('false');
export const Sum = keyword('sum');
export const Count = keyword('count');
export const Where = keyword('where');
export const Distinct = keyword('distinct');
export const By = keyword('by');

/** The reserved words as text: a name the rules must write bare cannot be one of them. */
export function reservedWords(): ReadonlySet<string> {
  return new Set(keywords.map((k) => (k.PATTERN as RegExp).source));
}

export const keywords: readonly TokenType[] = [
  Let, Reject, Exclude, Disregard, Measure, Require, When, Because, Per, For, In, If, Then, Else,
  And, Or, Not, Between, Is, Present, Missing, True, False, Sum, Count, Where, Distinct, By,
];

/**
 * A date, exactly `YYYY-MM-DD` (`2019-01-01`); tried before numbers, so that a date never reads
 * as a subtraction. Whether it is a real calendar date is checked later (`bad-date`).
 */
export const DateLiteral = createToken({ name: 'DateLiteral', pattern: /\d{4}-\d{2}-\d{2}(?![0-9%]|\.\d)/ });
export const Percent = createToken({ name: 'Percent', pattern: /\d+(?:\.\d+)?%/ });
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /\d+(?:\.\d+)?/ });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"\\\r\n]|\\["\\nt])*"/ });

export const Eq = createToken({ name: 'Eq', pattern: /==/ });
export const NotEq = createToken({ name: 'NotEq', pattern: /!=/ });
export const LessEq = createToken({ name: 'LessEq', pattern: /<=/ });
export const GreaterEq = createToken({ name: 'GreaterEq', pattern: />=/ });
export const Less = createToken({ name: 'Less', pattern: /</ });
export const Greater = createToken({ name: 'Greater', pattern: />/ });
export const Assign = createToken({ name: 'Assign', pattern: /=/ });
export const Plus = createToken({ name: 'Plus', pattern: /\+/ });
export const Minus = createToken({ name: 'Minus', pattern: /-/ });
export const Star = createToken({ name: 'Star', pattern: /\*/ });
export const Slash = createToken({ name: 'Slash', pattern: /\// });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });
export const At = createToken({ name: 'At', pattern: /@/ });

/**
 * Comments go to their own token group (`lexed.groups.comments`), not to the parser: the
 * formatter (format-rules.ts) reads them there to keep every one in place.
 */
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n\r]*/, group: 'comments' });
/** Full-width space (U+3000) is skipped too: it slips in easily when typing Chinese. */
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\u3000]+/, group: Lexer.SKIPPED });

/** All tokens, in match order: keywords before identifiers, longer operators before shorter. */
export const allTokens: readonly TokenType[] = [
  WhiteSpace, Comment, StringLiteral, DateLiteral, Percent, NumberLiteral,
  Eq, NotEq, LessEq, GreaterEq, Less, Greater, Assign, Plus, Minus, Star, Slash,
  LParen, RParen, LBracket, RBracket, Comma, Colon, Dot, At,
  ...keywords, Identifier,
];

/**
 * A lexer of the rule language. `validate` checks the token set itself (unreachable or
 * conflicting patterns): a test does (test/parser.test.ts); at run time it is skipped, as
 * building is not cheap and the tokens do not change between runs.
 */
export function createRuleLexer(validate = false): Lexer {
  return new Lexer(allTokens as TokenType[], { positionTracking: 'full', ensureOptimizations: false, skipValidations: !validate });
}

let lexer: Lexer | undefined;

/**
 * The lexer, built when first needed: a command that runs a policy from the load cache
 * (cli/policy-cache.ts) never tokenizes, and building it is ~7 ms of a cold start.
 */
export function ruleLexer(): Lexer {
  return (lexer ??= createRuleLexer());
}
