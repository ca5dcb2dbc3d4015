// The editor's Vite config (the root vite.config.ts is Vitest's). `npm start` serves editor/;
// `npm run build` writes a static site to editor/dist/ that works from any web server and from
// the file system: one classic script (no ES module, which Chromium will not load from file://),
// workers inlined as blobs, fonts and styles inlined, relative paths (base './'), no CDN.

import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * `virtual:guize-chart-library`: the diff report's chart library as text, bundled from
 * scripts/chart-library.mjs as scripts/build.mjs bundles dist/chart-library.js (an IIFE setting
 * the global `echarts`), for the editor's "open the full report".
 */
function chartLibrary(): Plugin {
  const id = 'virtual:guize-chart-library';
  return {
    name: 'guize-chart-library',
    // Hook filters: the bundler calls these for this one module only.
    resolveId: { filter: { id: /^virtual:guize-chart-library$/ }, handler: () => `\0${id}` },
    load: { filter: { id: /^\0virtual:guize-chart-library$/ }, async handler() {
      const { build } = await import('esbuild');
      const out = await build({
        entryPoints: [fileURLToPath(new URL('../scripts/chart-library.mjs', import.meta.url))],
        bundle: true, format: 'iife', globalName: 'echarts', platform: 'browser', target: 'es2020',
        minify: true, legalComments: 'none', write: false, logLevel: 'warning',
      });
      return `export default ${JSON.stringify(out.outputFiles[0]!.text)};`;
    } },
  };
}

/** The built page loads its script as a classic one, so that file:// pages run it. */
function classicScript(): Plugin {
  return {
    name: 'guize-classic-script',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml(html) {
      return html.replace(/<script type="module" crossorigin src="([^"]+)"><\/script>/, '<script defer src="$1"></script>')
        .replace(/ crossorigin/g, '');
    },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [classicScript(), chartLibrary()],
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] }, open: false },
  worker: { format: 'iife' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: false,
    cssCodeSplit: false,
    // Everything inline (the codicon font too): no request but the page's own script and style.
    assetsInlineLimit: 1 << 30,
    chunkSizeWarningLimit: 1 << 14,
    rollupOptions: { output: { format: 'iife' } },
  },
});
