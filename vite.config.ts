import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

// Three entries: the candidate screen stays small (plain React + CSS) for old exam-room PCs;
// the staff/officials' console is a separate bundle.
export default defineConfig({
  root: resolve(import.meta.dirname, 'client'),
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/client'),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        candidate: resolve(import.meta.dirname, 'client/index.html'),
        staff: resolve(import.meta.dirname, 'client/staff.html'),
        // The regulator's console (issue 14): served by the regulator's own server, not by a centre.
        regulator: resolve(import.meta.dirname, 'client/regulator.html'),
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/socket.io': { target: 'ws://localhost:8080', ws: true },
    },
  },
});
