/**
 * Quitting while runs train: ask first, then cancel the runs cleanly (their epochs so far are
 * kept and they are marked cancelled) before the app goes.
 */
import { app, dialog, type BrowserWindow } from 'electron'
import type { Core } from '../core'

/** What the quit guard needs. */
export interface QuitGuardOptions {
  core: Core
  /** The window to attach the question to, when there is one. */
  getWindow: () => BrowserWindow | null
  /** Longest wait for runs to stop before quitting anyway. */
  shutdownTimeoutMs?: number
}

async function confirmQuit(window: BrowserWindow | null, running: number): Promise<boolean> {
  const options = {
    type: 'question' as const,
    title: 'Runs are training',
    message: `${running} run${running === 1 ? ' is' : 's are'} still training. Quit Atelier?`,
    detail:
      'Quitting cancels them. The epochs finished so far are kept and the runs are marked cancelled; you can start them again with Re-run.',
    buttons: ['Keep training', 'Cancel runs and quit'],
    defaultId: 0,
    cancelId: 0,
    noLink: true
  }
  const result = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options)
  return result.response === 1
}

/** Installs the guard on `before-quit` and on every window's `close`; call it before creating windows. */
export function installQuitGuard(options: QuitGuardOptions): void {
  const timeoutMs = options.shutdownTimeoutMs ?? 15_000
  let state: 'open' | 'asking' | 'stopping' | 'done' = 'open'

  async function requestQuit(): Promise<void> {
    if (state !== 'open') return
    const running = options.core.activeRuns()
    if (running > 0) {
      state = 'asking'
      const yes = await confirmQuit(options.getWindow(), running).catch(() => false)
      if (!yes) {
        state = 'open'
        return
      }
    }
    state = 'stopping'
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs))
    await Promise.race([options.core.shutdown({ cancelRunning: true }), timeout]).catch((error: unknown) => {
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
