// The desk's build: React through Vite into dist/web, which the Ingot server serves at /.
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** API paths the dev server (`npx vite web`) passes to an Ingot server on port 8080. */
const API_PATHS = ['/session', '/tokens', '/parties', '/accounts', '/cash', '/bars', '/prices', '/offers'];
const MORE_API_PATHS = ['/trades', '/documents', '/verify', '/journal', '/reconcile', '/users', '/healthz'];

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: join(import.meta.dirname, '..', 'dist', 'web'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
  server: {
    proxy: Object.fromEntries(
      [...API_PATHS, ...MORE_API_PATHS].map((path) => [path, 'http://127.0.0.1:8080']),
    ),
  },
});
