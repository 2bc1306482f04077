import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

// Cross-origin isolation gives precise performance.now() and SharedArrayBuffer in workers
// (see ../shared/reference/stack.md).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  build: {
    chunkSizeWarningLimit: 4000,
    // e2e/runtime.html: the browser runtime without the UI, for the Playwright tests (e2e/)
    rolldownOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        runtime: resolve(import.meta.dirname, 'e2e/runtime.html'),
      },
    },
  },
});
