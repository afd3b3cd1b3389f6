/**
 * Where Atelier keeps its data when no setting says otherwise (the environment still may); matches
 * Electron's userData for "Atelier". startup-paths.ts adds what Settings chose.
 */
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { isPostgresUrl, maskSecrets } from './store/store-location'

export { isPostgresUrl }

export const APP_NAME = 'Atelier'

/** The per-user application folder (Electron's `app.getPath('userData')` for this app). */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME)
}

/**
 * The profile folder (settings, default database and dataset) of every shell — the Electron app, the
 * browser shell (`serve`) and the CLI: `ATELIER_USER_DATA_DIR` when set, so a test or portable
 * profile is kept apart from the real one in all of them, else the per-user default.
 */
export function resolveUserDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const chosen = env['ATELIER_USER_DATA_DIR']?.trim()
  return chosen ? resolve(chosen) : defaultUserDataDir(env, platform)
}

export interface DataPaths {
  dataDir: string
  dbPath: string
  /** True when the dataset folder came from ATELIER_DATA_DIR (then it is used read-only). */
  dataDirLocked: boolean
}

/** Dataset folder and database file: ATELIER_DATA_DIR / ATELIER_DB when set, else inside `userDataDir`. */
export function resolveDataPaths(userDataDir: string, env: NodeJS.ProcessEnv = process.env): DataPaths {
  return {
    dataDir: env.ATELIER_DATA_DIR || join(userDataDir, 'fashion-mnist'),
    dbPath: env.ATELIER_DB || join(userDataDir, 'atelier.db'),
    dataDirLocked: Boolean(env.ATELIER_DATA_DIR)
  }
}

/**
 * The folder of every dataset but Fashion-MNIST (downloaded built-ins, imported folders' cache files)
 * when `ATELIER_DATASETS_DIR` names one; undefined otherwise (the core then uses `datasets/` beside the database).
 */
export function datasetsDirFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env['ATELIER_DATASETS_DIR']?.trim()
  return chosen ? resolve(chosen) : undefined
}

/**
 * A store location as given (`--db`, `ATELIER_DB`, Settings): a `postgres://` URL and `:memory:` as
 * they are, a file path resolved against the working folder.
 */
export function storeLocationFrom(value: string): string {
  return value === ':memory:' || isPostgresUrl(value) ? value : resolve(value)
}

/** A store location for messages: a URL with its password masked, a path as it is. */
export function shownStoreLocation(location: string): string {
  return isPostgresUrl(location) ? maskSecrets(location) : location
}
