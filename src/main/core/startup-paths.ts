/**
 * The paths a shell opens the core with at start-up: the defaults of default-paths.ts, unless the
 * environment or the saved settings say otherwise.
 */
import { join } from 'node:path'
import { resolveDataPaths } from './default-paths'
import { createSettingsStore } from './settings'

/** The paths the app's core is created with. */
export interface AppDataPaths {
  /** Folder holding the four Fashion-MNIST files. */
  dataDir: string
  /** SQLite database file. */
  dbPath: string
  /** True when ATELIER_DATA_DIR fixed the data folder, so settings cannot move it. */
  dataDirLocked: boolean
  /** The settings file; it stays in the user-data folder wherever the database goes. */
  settingsPath: string
}

/**
 * ATELIER_DATA_DIR / ATELIER_DB win; otherwise a database path chosen in Settings (which takes
 * effect at the next start) is used; otherwise files inside `userData`.
 */
export function resolveAppDataPaths(userData: string, env: NodeJS.ProcessEnv): AppDataPaths {
  const base = resolveDataPaths(userData, env)
  const settingsPath = join(userData, 'settings.json')
  const saved = createSettingsStore({
    path: settingsPath,
    defaults: { dataDir: base.dataDir, dbPath: base.dbPath, concurrency: 1, theme: 'system' }
  }).get()
  return {
    dataDir: base.dataDirLocked ? base.dataDir : saved.dataDir,
    dbPath: env['ATELIER_DB'] ? base.dbPath : saved.dbPath,
    dataDirLocked: base.dataDirLocked,
    settingsPath
  }
}
