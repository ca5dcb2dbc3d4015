// Preloaded into every process the benchmark times (NODE_OPTIONS=--require): at exit, appends the
// process's peak resident memory (KiB, from getrusage) to the file GUIZE_BENCH_RSS names. Every
// contender gets it alike.
'use strict';
const file = process.env.GUIZE_BENCH_RSS;
if (file) {
  process.on('exit', () => {
    require('node:fs').appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
  });
}
