import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { withContentSecurityPolicy } from './src/shared/csp';

/** Writes the one Content-Security-Policy of src/shared/csp.ts into index.html's <meta>. */
function contentSecurityPolicyMeta(): Plugin {
  let mode: 'build' | 'serve' = 'build';
  return {
    name: 'gitbot-csp-meta',
    configResolved(config) {
      mode = config.command;
    },
    transformIndexHtml: { order: 'pre', handler: (html) => withContentSecurityPolicy(html, mode) },
  };
}

// One bundle folder per process. Main has several entries: the Electron shell, the CLI
// (which also serves the browser dashboard) and the worker threads, all sharing the core.
export default defineConfig({
  main: {
    build: {
      // Bundled so tree-shaking keeps only the parts of zod/mini the contract uses: required
      // from node_modules, zod loads all of itself and its 40-odd locales, 60+ ms of a CLI start.
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli/index.ts'),
          'indexer-worker': resolve(__dirname, 'src/main/core/indexer/indexer-worker.ts'),
          'index-reader-worker': resolve(__dirname, 'src/main/core/indexer/index-reader-worker.ts'),
          'reader-worker': resolve(__dirname, 'src/main/core/query/reader-worker.ts'),
          'listing-worker': resolve(__dirname, 'src/main/core/query/listing-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require anything but electron's own modules: bundle all.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [contentSecurityPolicyMeta(), react()],
    build: {
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
