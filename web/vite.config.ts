import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The agent inbox, served by the API server at /app (src/core/http/web-app.ts) from dist/web.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  // Preact through the bundler's own JSX transform: no compiler plugin
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // one small bundle: nothing inline (the CSP allows no inline script or style)
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/auth': 'http://127.0.0.1:3000',
      '/cable': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
});
