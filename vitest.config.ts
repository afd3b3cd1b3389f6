import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

const alias = {
  '@shared': resolve(import.meta.dirname, 'src/shared'),
  '@main': resolve(import.meta.dirname, 'src/main'),
  '@renderer': resolve(import.meta.dirname, 'src/renderer/src')
}

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/unit/main/**/*.test.ts', 'test/unit/shared/**/*.test.ts', 'test/unit/scripts/**/*.test.ts'],
          testTimeout: 60_000
        }
      },
      {
        resolve: { alias },
        plugins: [vue()],
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/unit/renderer/**/*.test.ts']
        }
      },
      {
        resolve: { alias },
        test: {
          // Against a real PostgreSQL server: a throwaway cluster the global setup starts (never skipped in CI).
          // The run store's tests run here a second time, on PostgreSQL (test/unit/main/core/store/fixtures/test-store.ts).
          name: 'postgres',
          environment: 'node',
          include: ['test/postgres/**/*.test.ts', 'test/unit/main/core/store/**/*.test.ts'],
          globalSetup: ['test/postgres/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000
        }
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          // Real training is timed: run it alone, after the unit tests, before the browser specs.
          sequence: { groupOrder: 1 },
          environment: 'node',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false
        }
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          environment: 'node',
          include: ['test/e2e/**/*.spec.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
          fileParallelism: false
        }
      },
      {
        resolve: { alias },
        test: {
          // The desktop app itself through Playwright's Electron support; skipped, with one line saying
          // why, where the Electron binary is absent.
          name: 'electron',
          sequence: { groupOrder: 3 },
          environment: 'node',
          include: ['test/electron/**/*.spec.ts'],
          globalSetup: ['test/electron/global-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
          fileParallelism: false
        }
      }
    ]
  }
})
