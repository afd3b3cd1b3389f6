import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

const shared = resolve(import.meta.dirname, 'src/shared')

export default defineConfig({
  main: {
    resolve: { alias: { '@shared': shared, '@main': resolve(import.meta.dirname, 'src/main') } },
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/electron/index.ts'),
          // The trainer runs in its own utility process; it is built as a separate entry.
          trainer: resolve(import.meta.dirname, 'src/main/core/trainer/entry.ts'),
          // Predictions and saliency maps of stored models run in a worker thread.
          'inference-worker': resolve(import.meta.dirname, 'src/main/core/models/inference-worker.ts')
        }
      }
    }
  },
  preload: {
    resolve: { alias: { '@shared': shared } },
    build: {
      rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } }
    }
  },
  renderer: {
    resolve: { alias: { '@shared': shared, '@renderer': resolve(import.meta.dirname, 'src/renderer/src') } },
    plugins: [vue()]
  }
})
