// `guize explain` in the engine (browser-safe): the explainer, the document's types and its renderers.

export { SubjectExplainer, type ExplainOptions, type ProvenanceByVersion } from './explainer.ts';
export type * from './types.ts';
export { explanationsText, explanationText } from './render-text.ts';
export { escapeHtml, explanationHtml, explanationPage, explanationsHtml, explanationsPage } from './render-html.ts';
export { measureStepText, previousText, traceText, stepText, type Lang } from './render-expr.ts';
