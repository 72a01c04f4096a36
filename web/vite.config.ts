/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  build: {
    manifest: true,
    // AWS icons stay separate files, loaded only when a diagram shows them.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
    // Copying ~800 icon files makes Rolldown warn about plugin timings; the
    // size report (scripts/size.mjs) is what matters.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
