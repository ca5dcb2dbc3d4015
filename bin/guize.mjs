#!/usr/bin/env node
// The `guize` command: the CLI as built to JavaScript in dist/ (`npm install` builds it; after
// changing the sources, `npm run build`).
let cli;
try {
  cli = await import('../dist/guize.mjs');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist')) throw e;
  process.stderr.write('guize: dist/ is not built yet — run `npm run build` (npm install does it) / 尚未构建，请先运行 npm run build\n');
  process.exit(2);
}
// `guize … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
process.exitCode = await cli.main(process.argv.slice(2));
