// The Electron side of the build: src/main as the main process (ESM, dependencies external) and
// src/preload as ONE self-contained CommonJS file (a sandboxed preload cannot load ESM or require
// node_modules). The renderer is built by vite.config.ts into out/renderer (hence --ignoreConfigWarning
// where electron-vite is run: it warns that this file has no renderer section).
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

export default defineConfig({
  main: {
    build: {
      outDir: resolve(__dirname, 'out/main'),
      externalizeDeps: true,
      lib: { entry: resolve(__dirname, 'src/main/index.ts'), formats: ['es'], fileName: () => 'index.js' },
    },
  },
  preload: {
    build: {
      outDir: resolve(__dirname, 'out/preload'),
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
});
