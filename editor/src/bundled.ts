// What the editor ships with, bundled as text at build time (no request at run time): the
// Lincang policy with its versions, the hypothetical county fork, the 40-teacher sample and the
// policy's source document (policies/lincang/source/, for hover).

const policyTexts = import.meta.glob(['../../policies/*/policy.yaml', '../../policies/*/versions/*.yaml'], {
  query: '?raw', import: 'default', eager: true,
}) as Record<string, string>;

import sampleRecords from '../../policies/lincang/sample/records.csv?raw';
import sampleTeachers from '../../policies/lincang/sample/teachers.csv?raw';
import lincangSource from '../../policies/lincang/source/lincang-2017-105.txt?raw';

/** The bundled policy files, by path relative to the repository (`policies/lincang/policy.yaml`). */
export const bundledPolicies: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(policyTexts).map(([path, text]) => [path.replace(/^(\.\.\/)+/, ''), text]),
);

/** The policy folder opened at start. */
export const DEFAULT_POLICY = 'policies/lincang';

/** The sample data (policies/lincang/sample/), as `npm run sample:eval` evaluates it. */
export const sample = {
  records: { name: 'records.csv', text: sampleRecords },
  teachers: { name: 'teachers.csv', text: sampleTeachers },
};

/** The source document of the Lincang policy, by policy id prefix. */
export const sourceDocuments: Readonly<Record<string, string>> = { lincang: lincangSource };
