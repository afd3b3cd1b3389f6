/** Turns API outcomes into Naive UI notifications that say what happened and what to do next. */
import { useNotification } from 'naive-ui'
import type { SavedFile } from '@shared/api'
import { describeError } from '@renderer/api/client'

export function useApiFeedback() {
  const notification = useNotification()

  function fail(err: unknown, action: string): void {
    notification.error({ title: `Could not ${action}`, content: describeError(err, action), duration: 12_000 })
  }

  function done(title: string, content?: string): void {
    notification.success({ title, content, duration: 4_000 })
  }

  /** Shows where a file went (a saved path, or a browser download); a cancelled save dialog shows nothing. */
  function saved(file: SavedFile, what: string): void {
    if (!file.path) return
    const title = file.downloaded ? `${what} downloaded` : `${what} saved`
    const content = file.downloaded ? `${file.path} is in your browser's downloads.` : file.path
    notification.success({ title, content, duration: 8_000 })
  }

  /** Runs an action, reporting a failure; resolves to undefined when it failed. */
  async function attempt<T>(action: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn()
    } catch (err) {
      fail(err, action)
      return undefined
    }
  }

  return { fail, done, saved, attempt }
}
