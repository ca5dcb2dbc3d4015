// Highlighting: the rule language's Monarch tokenizer is built at run time from dsl/lexer.ts's
// token list (the one the parser uses), so a keyword or operator added there is highlighted
// with no change here. The policy file is YAML with the rules embedded in a block scalar
// (`rules: |`, also under `add:`/`replace:` in a version file): its tokenizer switches to the
// rule language's rules for the lines indented under that key. See the README (*The editor*)
// for why one YAML model with the rules embedded, not a second pane.

import type { TokenType } from 'chevrotain';
import { allTokens, At, Comment, Identifier, keywords, reservedWords, WhiteSpace } from '../../dsl/lexer.ts';
import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import { WORD_PATTERN } from './language/text.ts';

export const RULES_LANGUAGE = 'guize-rules';
export const POLICY_LANGUAGE = 'guize-policy';

type Rule = Monaco.languages.IMonarchLanguageRule;

/** The Monarch token class of a lexer token, by what kind of token it is. */
function tokenClass(t: TokenType): string {
  if (t === WhiteSpace) return 'white';
  if (t === Comment) return 'comment';
  switch (t.name) {
    case 'StringLiteral': return 'string';
    case 'DateLiteral': return 'number.date';
    case 'Percent': case 'NumberLiteral': return 'number';
    case 'LParen': case 'RParen': case 'LBracket': case 'RBracket': return '@brackets';
    case 'Comma': case 'Colon': case 'Dot': return 'delimiter';
    case 'At': return 'annotation';
    default: return 'operator';
  }
}

const source = (t: TokenType): RegExp => {
  const p = t.PATTERN;
  if (!(p instanceof RegExp)) throw new Error(`token ${t.name} has no regular expression`);
  return p;
};

/**
 * The rule language's rules, in the lexer's match order. Keywords are matched as identifiers and
 * told apart by the reserved-word list (as the lexer's `longer_alt` does), so `letter` stays a name.
 */
export function ruleTokenRules(): Rule[] {
  const rules: Rule[] = [];
  const keywordSet = new Set(keywords);
  // An annotation (`@cite`) is the `At` token and a name: shown as one.
  rules.push([new RegExp(`${source(At).source}${source(Identifier).source}`), 'annotation']);
  for (const t of allTokens) {
    if (keywordSet.has(t)) continue;
    if (t === Identifier) rules.push([source(t), { cases: { '@keywords': 'keyword', '@default': 'identifier' } }]);
    else rules.push([source(t), tokenClass(t)]);
  }
  return rules;
}

/** Deepest indentation of a `rules:` key handled (a version file nests it one level, under `add:`). */
const MAX_RULES_INDENT = 12;

/** The policy file: YAML, with the rule language inside `rules: |` blocks. */
export function policyLanguage(): Monaco.languages.IMonarchLanguage {
  const tokenizer: Record<string, Rule[]> = {
    root: [
      // `rules: |` at indentation n: the lines indented more than n are rules.
      ...Array.from({ length: MAX_RULES_INDENT + 1 }, (_, n): Rule => [
        // (The state changes on the last group, which is never empty: Monarch skips an empty group's action.)
        new RegExp(`^( {${n}}rules)(:)(\\s+)([|>][-+]?\\s*)$`),
        ['type', 'delimiter', 'white', { token: 'operator', next: `@rules${n}` }],
      ]),
      [/#.*$/, 'comment'],
      [/^(\s*)((?:-\s+)?)([^\s:#][^:#]*?)(\s*)(:)(?=\s|$)/, ['white', 'delimiter', 'type', 'white', 'delimiter']],
      [/([\w\u3400-\u9fff][^:,{}\[\]#]*?)(\s*)(:)(?=\s)/, ['type', 'white', 'delimiter']],
      [/"(?:[^"\\]|\\.)*"/, 'string'],
      [/'(?:[^']|'')*'/, 'string'],
      [/\d{4}-\d{2}-\d{2}\b/, 'number.date'],
      [/-?\d+(?:\.\d+)?\b/, 'number'],
      [/\b(?:true|false|null|yes|no)\b/, 'keyword'],
      [/[{}\[\]]/, '@brackets'],
      [/[,]/, 'delimiter'],
      [/[|>][-+]?(?=\s*$)/, 'operator'],
      [/[^\s,{}\[\]#:"']+/, 'string.unquoted'],
      [/\s+/, 'white'],
    ],
    rules: ruleTokenRules(),
  };
  for (let n = 0; n <= MAX_RULES_INDENT; n++) {
    // A line indented n or less, with something on it, ends the block; blank lines do not.
    tokenizer[`rules${n}`] = [[new RegExp(`^ {0,${n}}(?=\\S)`), { token: '', next: '@pop' }], { include: '@rules' }];
  }
  return { keywords: [...reservedWords()], tokenizer, defaultToken: '' };
}

/** The rule language alone (for rule text outside a policy file). */
export function rulesLanguage(): Monaco.languages.IMonarchLanguage {
  return { keywords: [...reservedWords()], tokenizer: { root: ruleTokenRules() }, defaultToken: '' };
}

export function registerLanguages(monaco: typeof Monaco): void {
  monaco.languages.register({ id: RULES_LANGUAGE });
  monaco.languages.setMonarchTokensProvider(RULES_LANGUAGE, rulesLanguage());
  monaco.languages.register({ id: POLICY_LANGUAGE, extensions: ['.yaml', '.yml'] });
  monaco.languages.setMonarchTokensProvider(POLICY_LANGUAGE, policyLanguage());
  const config: Monaco.languages.LanguageConfiguration = {
    comments: { lineComment: '#' },
    brackets: [['(', ')'], ['[', ']'], ['{', '}']],
    autoClosingPairs: [{ open: '(', close: ')' }, { open: '[', close: ']' }, { open: '{', close: '}' }, { open: '"', close: '"' }],
    // The same words the language features find (language/text.ts), so hover and completion agree with Monaco.
    wordPattern: WORD_PATTERN,
  };
  monaco.languages.setLanguageConfiguration(RULES_LANGUAGE, config);
  monaco.languages.setLanguageConfiguration(POLICY_LANGUAGE, config);
}
