/**
 * The real desktop app under Playwright's Electron support: the built app (out/), a temporary user-data
 * folder and database, the real dataset, and save dialogs answered in the main process with paths in a
 * temporary folder (the only stand-in: a native dialog cannot be clicked by a test).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import { datasetDir } from '../e2e/dataset-dir'
import { electronExecutable, ROOT } from './electron-binary'

/** A running desktop app. */
export interface DesktopApp {
  app: ElectronApplication
  page: Page
  /** The run database the app writes (for checks after it quit). */
  dbPath: string
  /** Where stubbed save dialogs put files. */
  saveDir: string
  /** Paths the stubbed save dialogs answered, in order (read from the main process). */
  saved(): Promise<string[]>
  /** Makes the next quit question answer `response` (0 keep training, 1 cancel runs and quit); returns the questions asked so far. */
  answerQuit(response: 0 | 1): Promise<void>
  questions(): Promise<string[]>
  close(): Promise<void>
}

export async function launchDesktopApp(): Promise<DesktopApp> {
  const exe = electronExecutable()
  if ('skipped' in exe) throw new Error(`Electron is not installed: ${exe.skipped}`)
  const temp = mkdtempSync(join(tmpdir(), 'atelier-electron-'))
  const saveDir = join(temp, 'saved')
  mkdirSync(saveDir)
  const dbPath = join(temp, 'atelier.db')
  // Linux CI runners restrict unprivileged user namespaces (AppArmor): Chromium's sandbox cannot start there.
  const args = process.platform === 'linux' && process.env['CI'] ? ['--no-sandbox', ROOT] : [ROOT]
  const app = await _electron.launch({
    executablePath: exe.path,
    args,
    cwd: ROOT,
    env: {
      ...process.env,
      ATELIER_USER_DATA_DIR: join(temp, 'user-data'),
      ATELIER_DB: dbPath,
      ATELIER_DATA_DIR: datasetDir()
    } as Record<string, string>,
    timeout: 60_000
  })
  // Save dialogs and the quit question, answered in the main process where Electron shows them.
  await app.evaluate(({ dialog }, dir) => {
    const state = globalThis as unknown as { __saved: string[]; __questions: string[]; __quitAnswer: number }
    state.__saved = []
    state.__questions = []
    state.__quitAnswer = 0
    const lastArg = <T>(args: unknown[]): T => args[args.length - 1] as T
    dialog.showSaveDialog = (async (...args: unknown[]) => {
      const options = lastArg<{ defaultPath?: string }>(args)
      const name = String(options.defaultPath ?? 'export')
        .split(/[\\/]/)
        .pop()
      const filePath = `${dir}/${state.__saved.length}-${name}`
      state.__saved.push(filePath)
      return { canceled: false, filePath }
    }) as typeof dialog.showSaveDialog
    dialog.showMessageBox = (async (...args: unknown[]) => {
      const options = lastArg<{ message: string }>(args)
      state.__questions.push(options.message)
      return { response: state.__quitAnswer, checkboxChecked: false }
    }) as typeof dialog.showMessageBox
  }, saveDir)
  const page = await app.firstWindow()
  await page.waitForLoadState('domcontentloaded')
  let closed = false
  app.on('close', () => (closed = true))
  return {
    app,
    page,
    dbPath,
    saveDir,
    saved: () => app.evaluate(() => (globalThis as unknown as { __saved: string[] }).__saved),
    answerQuit: (response) =>
      app.evaluate((_electron, r) => {
        ;(globalThis as unknown as { __quitAnswer: number }).__quitAnswer = r
      }, response),
    questions: () => app.evaluate(() => (globalThis as unknown as { __questions: string[] }).__questions),
    async close() {
      if (!closed) {
        await app.evaluate((_electron) => {
          ;(globalThis as unknown as { __quitAnswer: number }).__quitAnswer = 1
        })
        await app.close().catch(() => undefined)
      }
      rmSync(temp, { recursive: true, force: true })
    }
  }
}

/** Calls the app's API from its page, through the real preload and IPC, and unwraps the result. */
export async function invokeInApp<T>(page: Page, channel: string, request: unknown): Promise<T> {
  const result = await page.evaluate(
    ([c, r]) => (globalThis as unknown as { atelier: { invoke(c: unknown, r: unknown): Promise<unknown> } }).atelier.invoke(c, r),
    [channel, request] as const
  )
  const typed = result as { ok: boolean; data?: T; error?: { message: string } }
  if (!typed.ok) throw new Error(`${channel} failed in the app: ${typed.error?.message}`)
  return typed.data as T
}
