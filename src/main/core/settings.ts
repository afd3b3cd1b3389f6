/** App settings kept in a small JSON file beside the database; written atomically. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { ensureFolder } from './ensure-folder'
import { dirname } from 'node:path'
import { settingsSchema, type Settings } from '@shared/api'

export interface SettingsStore {
  get(): Settings
  /** Validates and saves a change; returns the settings now in force. */
  update(changes: Partial<Settings>): Settings
}

export interface SettingsStoreOptions {
  /** JSON file to read and write; null keeps settings in memory only (CLI, tests). */
  path: string | null
  defaults: Settings
}

export function createSettingsStore({ path, defaults }: SettingsStoreOptions): SettingsStore {
  let current: Settings = { ...defaults }
  if (path) {
    try {
      const raw: unknown = JSON.parse(readFileSync(path, 'utf8'))
      let parsed = settingsSchema.partial().safeParse(raw)
      // Remembered form values that no longer validate (an older version's) are dropped, not the paths.
      if (!parsed.success && raw && typeof raw === 'object') {
        parsed = settingsSchema.partial().safeParse({ ...(raw as Record<string, unknown>), newRunDefaults: undefined })
      }
      // A damaged settings file falls back to the defaults rather than blocking the app.
      if (parsed.success) current = { ...defaults, ...parsed.data }
    } catch {
      /* no settings file yet */
    }
  }
  return {
    get: () => ({ ...current }),
    update(changes) {
      const next = settingsSchema.parse({ ...current, ...changes })
      if (path) {
        ensureFolder(dirname(path))
        const tmp = `${path}.${process.pid}.tmp`
        writeFileSync(tmp, JSON.stringify(next, null, 2))
        renameSync(tmp, path)
      }
      current = next
      return { ...current }
    }
  }
}
