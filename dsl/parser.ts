// Stage 2 of the rules pipeline: tokens → CST. Only cst-to-ast.ts reads the CST this produces.

import { CstParser, type CstNode, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import * as T from './lexer.ts';
import { errorMessageProvider } from './parse-messages.ts';

/**
 * The rule grammar. Precedence, loosest first: `if`, `or`, `and`, `not`, comparison (also
 * `between`, `is present`, `in [...]`; non-associative), `+ -`, `* /`, unary `-`, postfix
 * (`[key]`, `.column`), primary.
 */
export class RuleParser extends CstParser {
  /**
   * `validate` runs chevrotain's checks of the grammar itself (ambiguities, left recursion): a
   * test does (test/parser.test.ts); at run time they are skipped, as they take a third of the
   * start-up of `guize check` and the grammar does not change between runs.
   */
  constructor(validate = false) {
    super(T.allTokens as TokenType[], {
      recoveryEnabled: true, errorMessageProvider, maxLookahead: 3, nodeLocationTracking: 'onlyOffset', skipValidations: !validate,
    });
    this.performSelfAnalysis();
  }

  program = this.RULE('program', () => {
    this.MANY(() => this.SUBRULE(this.statement));
  });

  statement = this.RULE('statement', () => {
    this.MANY(() => this.SUBRULE(this.annotation));
    this.OR([
      { ALT: () => this.SUBRULE(this.letStatement) },
      { ALT: () => this.SUBRULE(this.outcomeStatement) },
      { ALT: () => this.SUBRULE(this.measureStatement) },
      { ALT: () => this.SUBRULE(this.requireStatement) },
    ]);
  });

  annotation = this.RULE('annotation', () => {
    this.CONSUME(T.At);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.StringLiteral, { LABEL: 'args' }) });
    this.CONSUME(T.RParen);
  });

  letStatement = this.RULE('letStatement', () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Identifier, { LABEL: 'id' });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.unit);
    });
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expression, { LABEL: 'value' });
  });

  unit = this.RULE('unit', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral, { LABEL: 'one' }) },
      { ALT: () => this.CONSUME(T.Identifier, { LABEL: 'parts' }) },
    ]);
    this.MANY(() => {
      this.OR2([
        { ALT: () => this.CONSUME(T.Slash, { LABEL: 'ops' }) },
        { ALT: () => this.CONSUME(T.Star, { LABEL: 'ops' }) },
      ]);
      this.CONSUME2(T.Identifier, { LABEL: 'parts' });
    });
  });

  outcomeStatement = this.RULE('outcomeStatement', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Reject, { LABEL: 'outcome' }) },
      { ALT: () => this.CONSUME(T.Exclude, { LABEL: 'outcome' }) },
      { ALT: () => this.CONSUME(T.Disregard, { LABEL: 'outcome' }) },
    ]);
    this.CONSUME(T.Identifier, { LABEL: 'id' });
    this.CONSUME(T.When);
    this.SUBRULE(this.expression, { LABEL: 'when' });
    this.CONSUME(T.Because);
    this.CONSUME(T.StringLiteral, { LABEL: 'reason' });
  });

  measureStatement = this.RULE('measureStatement', () => {
    this.CONSUME(T.Measure);
    this.CONSUME(T.Identifier, { LABEL: 'id' });
    this.OPTION2(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.unit);
    });
    this.OPTION(() => this.CONSUME(T.StringLiteral, { LABEL: 'label' }));
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expression, { LABEL: 'value' });
  });

  requireStatement = this.RULE('requireStatement', () => {
    this.CONSUME(T.Require);
    this.CONSUME(T.Identifier, { LABEL: 'id' });
    this.OPTION(() => this.CONSUME(T.StringLiteral, { LABEL: 'label' }));
    this.CONSUME(T.Per);
    // `per 3 periods`: a rolling window of that many consecutive periods.
    this.OPTION4(() => this.CONSUME(T.NumberLiteral, { LABEL: 'windowSize' }));
    this.CONSUME2(T.Identifier, { LABEL: 'scope' });
    this.OPTION2(() => {
      this.CONSUME(T.For);
      this.CONSUME3(T.Identifier, { LABEL: 'loopVariable' });
      this.CONSUME(T.In);
      this.CONSUME4(T.Identifier, { LABEL: 'loopTable' });
    });
    this.OPTION3(() => {
      this.CONSUME(T.When);
      this.SUBRULE(this.expression, { LABEL: 'when' });
    });
    this.CONSUME(T.Colon);
    this.SUBRULE2(this.expression, { LABEL: 'body' });
  });

  expression = this.RULE('expression', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.ifExpression) },
      { ALT: () => this.SUBRULE(this.orExpression) },
    ]);
  });

  ifExpression = this.RULE('ifExpression', () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression, { LABEL: 'cond' });
    this.CONSUME(T.Then);
    this.SUBRULE2(this.expression, { LABEL: 'then' });
    this.CONSUME(T.Else);
    this.SUBRULE3(this.expression, { LABEL: 'otherwise' });
  });

  orExpression = this.RULE('orExpression', () => {
    this.SUBRULE(this.andExpression, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(T.Or);
      this.SUBRULE2(this.andExpression, { LABEL: 'operands' });
    });
  });

  andExpression = this.RULE('andExpression', () => {
    this.SUBRULE(this.notExpression, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(T.And);
      this.SUBRULE2(this.notExpression, { LABEL: 'operands' });
    });
  });

  notExpression = this.RULE('notExpression', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.SUBRULE(this.notExpression, { LABEL: 'negated' });
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.additive, { LABEL: 'left' });
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.OR2([
              { ALT: () => this.CONSUME(T.Eq, { LABEL: 'op' }) },
              { ALT: () => this.CONSUME(T.NotEq, { LABEL: 'op' }) },
              { ALT: () => this.CONSUME(T.LessEq, { LABEL: 'op' }) },
              { ALT: () => this.CONSUME(T.GreaterEq, { LABEL: 'op' }) },
              { ALT: () => this.CONSUME(T.Less, { LABEL: 'op' }) },
              { ALT: () => this.CONSUME(T.Greater, { LABEL: 'op' }) },
            ]);
            this.SUBRULE2(this.additive, { LABEL: 'right' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Between);
            this.SUBRULE3(this.additive, { LABEL: 'low' });
            this.CONSUME(T.And);
            this.SUBRULE4(this.additive, { LABEL: 'high' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Is);
            this.OR3([
              { ALT: () => this.CONSUME(T.Present, { LABEL: 'presence' }) },
              { ALT: () => this.CONSUME(T.Missing, { LABEL: 'presence' }) },
            ]);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.In);
            this.CONSUME(T.LBracket);
            this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE5(this.additive, { LABEL: 'items' }) });
            this.CONSUME(T.RBracket);
          },
        },
      ]);
    });
  });

  additive = this.RULE('additive', () => {
    this.SUBRULE(this.multiplicative, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Plus, { LABEL: 'ops' }) },
        { ALT: () => this.CONSUME(T.Minus, { LABEL: 'ops' }) },
      ]);
      this.SUBRULE2(this.multiplicative, { LABEL: 'operands' });
    });
  });

  multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Star, { LABEL: 'ops' }) },
        { ALT: () => this.CONSUME(T.Slash, { LABEL: 'ops' }) },
      ]);
      this.SUBRULE2(this.unary, { LABEL: 'operands' });
    });
  });

  unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          this.SUBRULE(this.unary, { LABEL: 'negated' });
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  });

  postfix = this.RULE('postfix', () => {
    this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.indexSuffix, { LABEL: 'suffixes' }) },
        { ALT: () => this.SUBRULE(this.memberSuffix, { LABEL: 'suffixes' }) },
      ]);
    });
  });

  indexSuffix = this.RULE('indexSuffix', () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.expression, { LABEL: 'key' });
    this.CONSUME(T.RBracket);
  });

  memberSuffix = this.RULE('memberSuffix', () => {
    this.CONSUME(T.Dot);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
  });

  primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.DateLiteral, { LABEL: 'date' }) },
      { ALT: () => this.CONSUME(T.Percent, { LABEL: 'percent' }) },
      { ALT: () => this.CONSUME(T.NumberLiteral, { LABEL: 'number' }) },
      { ALT: () => this.CONSUME(T.StringLiteral, { LABEL: 'string' }) },
      { ALT: () => this.CONSUME(T.True, { LABEL: 'bool' }) },
      { ALT: () => this.CONSUME(T.False, { LABEL: 'bool' }) },
      { ALT: () => this.SUBRULE(this.aggregate) },
      { ALT: () => this.SUBRULE(this.callOrName) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expression, { LABEL: 'inner' });
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  aggregate = this.RULE('aggregate', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Sum, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.Count, { LABEL: 'op' }) },
    ]);
    this.CONSUME(T.LParen);
    this.OPTION4(() => {
      this.CONSUME(T.Distinct);
      this.CONSUME2(T.Identifier, { LABEL: 'distinct' });
    });
    this.OPTION(() => this.SUBRULE(this.orExpression, { LABEL: 'value' }));
    this.OPTION2(() => {
      this.CONSUME(T.Where);
      this.SUBRULE2(this.orExpression, { LABEL: 'where' });
    });
    this.OPTION3(() => {
      this.CONSUME(T.By);
      this.CONSUME(T.Identifier, { LABEL: 'by' });
    });
    this.CONSUME(T.RParen);
  });

  callOrName = this.RULE('callOrName', () => {
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(T.LParen, { LABEL: 'call' });
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: 'args' }) });
      this.CONSUME(T.RParen);
    });
  });
}

/**
 * One parser instance, reset per input (chevrotain's recommended use), built when first needed:
 * its self-analysis is ~15 ms of a cold start that a policy from the load cache does without.
 */
let parser: RuleParser | undefined;

/** What the parser made of one rules text. */
export interface ParseOutput {
  readonly cst: CstNode;
  readonly errors: readonly IRecognitionException[];
}

/** Parses tokens into a CST; errors are returned, and a tree recovered from errors must not run. */
export function parseTokens(tokens: IToken[]): ParseOutput {
  const p = (parser ??= new RuleParser());
  p.input = tokens;
  const cst = p.program();
  return { cst, errors: p.errors };
}
