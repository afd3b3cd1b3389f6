/** Where the app keeps its data: the user-data folder, unless environment variables fix it. */
import { join } from 'node:path'

/** Inputs of the data-path decision. */
export interface DataPathInputs {
  /** Electron's `app.getPath('userData')`. */
  userData: string
  env: NodeJS.ProcessEnv
}

/** The paths the core is created with. */
export interface DataPaths {
  /** Folder holding the four Fashion-MNIST files. */
  dataDir: string
  /** SQLite database file. */
  dbPath: string
  /** True when ATELIER_DATA_DIR fixed the data folder, so settings cannot move it. */
  dataDirLocked: boolean
  /** The settings file. */
  settingsPath: string
}

export function resolveDataPaths({ userData, env }: DataPathInputs): DataPaths {
  const dataDirEnv = env['ATELIER_DATA_DIR']?.trim()
  const dbEnv = env['ATELIER_DB']?.trim()
  return {
    dataDir: dataDirEnv || join(userData, 'fashion-mnist'),
    dbPath: dbEnv || join(userData, 'atelier.db'),
    dataDirLocked: Boolean(dataDirEnv),
    settingsPath: join(userData, 'settings.json')
  }
}
