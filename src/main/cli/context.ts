/** Opens the core for a CLI command: database and dataset folder from flags, env or the app's defaults. */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { createCore, forkTrainer, type Core, type CoreOptions } from '@main/core/core'
import { resolveAppDataPaths } from '@main/core/startup-paths'
import { resolveUserDataDir, storeLocationFrom } from '@main/core/default-paths'
import type { Flags } from './args'

export function appVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

export interface CliPaths {
  dataDir: string
  dbPath: string
  /** True when the Fashion-MNIST folder came from --data or ATELIER_DATA_DIR: it is then used read-only. */
  dataDirLocked?: boolean
}

export function cliPaths(flags: Flags): CliPaths {
  // The same folders the app uses, including a database path chosen in its Settings.
  const defaults = resolveAppDataPaths(resolveUserDataDir(), process.env)
  return {
    dataDir: resolve(flags.data ?? defaults.dataDir),
    dbPath: storeLocationFrom(flags.db ?? defaults.dbPath),
    dataDirLocked: flags.data !== undefined || defaults.dataDirLocked
  }
}

/**
 * A core for one command; the CLI never resumes the app's queue and keeps settings in memory. Like the
 * app it marks runs interrupted whose owning process is gone, never a run the app is training now.
 */
export function openCore(
  paths: CliPaths,
  backend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu',
  team: Pick<CoreOptions, 'workerName' | 'leaseMs'> = {}
): Promise<Core> {
  return createCore({
    ...team,
    dataDir: paths.dataDir,
    dbPath: paths.dbPath,
    appVersion: appVersion(),
    dataDirLocked: paths.dataDirLocked ?? true,
    settingsPath: null,
    spawnTrainer: forkTrainer,
    backend,
    dialogs: {
      saveFile: async () => null,
      openFolder: async () => null
    }
  })
}
