/**
 * Quitting while runs train: ask first, then cancel the training runs cleanly (their epochs so far
 * are kept and they are marked cancelled) before the app goes; queued runs stay queued.
 */
import { app, dialog, type BrowserWindow } from 'electron'
import type { Core } from '../core/core'
import { quitQuestion, type QuitQuestion } from './quit-question'

/** What the quit guard needs. */
export interface QuitGuardOptions {
  core: Core
  /** The window to attach the question to, when there is one. */
  getWindow: () => BrowserWindow | null
  /** Longest wait for runs to stop before quitting anyway. */
  shutdownTimeoutMs?: number
}

async function confirmQuit(window: BrowserWindow | null, question: QuitQuestion): Promise<boolean> {
  const options = { type: 'question' as const, ...question, defaultId: 0, cancelId: 0, noLink: true }
  const result = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options)
  return result.response === 1
}

/** Installs the guard on `before-quit` and on every window's `close`; call it before creating windows. */
export function installQuitGuard(options: QuitGuardOptions): void {
  const timeoutMs = options.shutdownTimeoutMs ?? 15_000
  let state: 'open' | 'asking' | 'stopping' | 'done' = 'open'

  async function requestQuit(): Promise<void> {
    if (state !== 'open') return
    const training = options.core.trainingRuns()
    const question = quitQuestion({ training, queued: options.core.activeRuns() - training })
    if (question) {
      state = 'asking'
      const yes = await confirmQuit(options.getWindow(), question).catch(() => false)
      if (!yes) {
        state = 'open'
        return
      }
    }
    state = 'stopping'
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs))
    await Promise.race([options.core.shutdown({ cancelRunning: true, keepQueued: true }), timeout]).catch((error: unknown) => {
      console.error('shutdown failed; quitting anyway:', error)
    })
    state = 'done'
    app.quit()
  }

  app.on('before-quit', (event) => {
    if (state === 'done') return
    event.preventDefault()
    void requestQuit()
  })

  // Atelier has one window: closing it means quitting, through the same question.
  app.on('browser-window-created', (_e, window) => {
    window.on('close', (event) => {
      if (state === 'done') return
      event.preventDefault()
      void requestQuit()
    })
  })
}
