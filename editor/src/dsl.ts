// The parts of dsl/ the page uses directly (the worker uses the whole pipeline).

export { loadPolicySet, memoryFiles, printStatement, LineIndex, type PolicyAst, type Span, type Statement } from '../../dsl/index.ts';
export { reservedWords } from '../../dsl/lexer.ts';
export { formatPolicyText } from '../../dsl/format-policy.ts';
