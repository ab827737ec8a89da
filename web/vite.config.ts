// Builds the dashboard from web/ into web/dist, which the hub serves at / with an SPA fallback.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Mantine alone is ~400 kB minified; one chunk keeps the served file list trivial for the hub.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `vite --config web/vite.config.ts` during development: the API runs on the hub's default port.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
