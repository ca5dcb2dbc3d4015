#!/usr/bin/env node
// Builds the programs to JavaScript in dist/, so that nothing compiles TypeScript at run time:
//   dist/guize.mjs (+ chunks)  the CLI, loaded by bin/guize.mjs; commands are separate chunks,
//                              loaded when run, so `guize --version` starts at once
//   dist/eval-worker.mjs       a worker thread of `guize eval` (a part of a large file)
//   dist/bench.mjs             the benchmark harness (npm run bench)
//   dist/baseline.mjs          the hand-written Lincang program the benchmark measures against
//   dist/jsonlogic.mjs,        the benchmark's comparison rows: the rules in json-logic-js, and
//   dist/naive.mjs             a naive split(',') program (bench/compare/)
//   dist/chart-library.js      the part of ECharts the diff report inlines (scripts/chart-library.mjs),
//                              a browser script setting globalThis.echarts; read at run time by
//                              cli/diff-html-file.ts
// The policy schema's validator (and the mapping files', dsl/mapping-validator.ts) is compiled ahead of time with ajv's standalone code
// generation (compiling it at start-up took ~40 ms of every `guize check`), from the schema with
// its repeated parts shared (scripts/schema-refs.mjs: 571 KB of code → 166 KB, which Node would
// otherwise parse and compile at every start, ~25 ms). Run by `npm install`
// (the `prepare` script) and before the tests. Plain JavaScript: it runs before anything is built.

import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { shareRepeatedSubschemas } from './schema-refs.mjs';
import { mappingValidatorModule } from './mapping-validator.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The standalone validator module, exporting what dsl/schema-validator.ts exports. */
function validatorModule() {
  const schema = shareRepeatedSubschemas(JSON.parse(readFileSync(`${root}/policy.schema.json`, 'utf8')));
  // inlineRefs: false, or ajv would write each shared part out in place again.
  const ajv = new Ajv({ allErrors: true, strict: false, inlineRefs: false, code: { source: true, esm: true } });
  const code = standaloneCode.default ? standaloneCode.default(ajv, ajv.compile(schema)) : standaloneCode(ajv, ajv.compile(schema));
  return `${code}\nexport function policyValidator() { return validate; }\n`;
}

const precompiledValidator = {
  name: 'precompiled-validator',
  setup(b) {
    b.onResolve({ filter: /[/\\]schema-validator\.ts$/ }, () => ({ path: 'policy-validator', namespace: 'guize' }));
    b.onResolve({ filter: /[/\\]mapping-validator\.ts$/ }, () => ({ path: 'mapping-validator', namespace: 'guize' }));
    b.onLoad({ filter: /.*/, namespace: 'guize' }, (a) => ({
      contents: a.path === 'mapping-validator' ? mappingValidatorModule(readFileSync(`${root}/mapping.schema.json`, 'utf8')) : validatorModule(), loader: 'js', resolveDir: root,
    }));
  },
};

/**
 * The build's identity: a hash of every source it is made from. The policy load cache
 * (cli/policy-cache.ts) keeps entries by it, so a build from other sources never reads an entry
 * another one wrote.
 */
function buildId() {
  const hash = createHash('sha256');
  const add = (path) => hash.update(path).update('\0').update(readFileSync(`${root}/${path}`)).update('\0');
  for (const dir of ['dsl', 'engine', 'cli', 'scripts']) {
    for (const name of readdirSync(`${root}/${dir}`, { recursive: true }).map(String).sort()) {
      if (/\.(ts|mjs|json)$/.test(name)) add(`${dir}/${name}`);
    }
  }
  for (const file of ['package-lock.json', 'policy.schema.json', 'mapping.schema.json']) if (existsSync(`${root}/${file}`)) add(file);
  return hash.digest('hex').slice(0, 32);
}

const entryPoints = { guize: 'cli/main.ts', 'eval-worker': 'cli/eval-worker.ts' };
if (existsSync(`${root}/bench/run.ts`)) entryPoints.bench = 'bench/run.ts';
if (existsSync(`${root}/bench/baseline/cli.ts`)) entryPoints.baseline = 'bench/baseline/cli.ts';
if (existsSync(`${root}/bench/compare/jsonlogic.ts`)) entryPoints.jsonlogic = 'bench/compare/jsonlogic.ts';
if (existsSync(`${root}/bench/compare/naive.ts`)) entryPoints.naive = 'bench/compare/naive.ts';

// A fresh dist/ each time: chunk names change with their content, and stale ones would pile up.
rmSync(`${root}/dist`, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints,
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // GUIZE_BUILD_READABLE=1: one statement a line, for reading a CPU profile line by line.
  minifyWhitespace: !process.env.GUIZE_BUILD_READABLE,
  minifySyntax: true,
  // Bundled CommonJS packages (yaml, ajv's runtime) call require() for Node built-ins.
  banner: { js: "import { createRequire as __guizeRequire } from 'node:module'; const require = __guizeRequire(import.meta.url);" },
  plugins: [precompiledValidator],
  define: { __GUIZE_BUILD__: JSON.stringify(buildId()) },
  // exceljs (XLSX in and out) is loaded from node_modules when a workbook is read or written: a
  // CommonJS package with many dependencies, bundled it would weigh on every start.
  external: ['exceljs'],
  logLevel: 'warning',
});

// The diff report's chart library: a browser script, not a module of the CLI, so a build of its
// own. Its text goes into every report, so it is minified in full and carries no comments.
await build({
  absWorkingDir: root,
  entryPoints: ['scripts/chart-library.mjs'],
  outfile: 'dist/chart-library.js',
  bundle: true,
  format: 'iife',
  globalName: 'echarts',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
