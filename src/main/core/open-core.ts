/** Opens the core at start-up, falling back to the default database when one chosen in Settings cannot be opened. */
import { errorMessage } from '@shared/error-text'
import { createCore, type Core } from './core'
import type { CoreOptions } from './core-options'

export interface OpenCoreResult {
  core: Core
  /** Set when the chosen database failed and the default one was opened instead: tell the person. */
  warning: string | null
}

/**
 * A database path picked in Settings that has since become unusable (a removed drive, a broken
 * file) must not lock the person out of the app where that setting is changed. The default
 * database is opened instead and the chosen file is left untouched.
 */
export async function openCoreWithFallback(options: CoreOptions, defaultDbPath: string): Promise<OpenCoreResult> {
  try {
    return { core: await createCore(options), warning: null }
  } catch (error) {
    if (options.dbPath === defaultDbPath) throw error
    const core = await createCore({ ...options, dbPath: defaultDbPath })
    const reason = errorMessage(error)
    return {
      core,
      warning: `${reason}\n\nAtelier opened its default database (${defaultDbPath}) instead. The file chosen in Settings was not changed; choose another database in Settings and restart.`
    }
  }
}
