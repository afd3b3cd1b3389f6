/**
 * The Electron shell's entry (built to out/main/index.js): one locked-down window over the shared
 * core. Everything that does work lives in src/main/core (no electron there); this file only wires
 * paths, the trainer host, dialogs and IPC.
 */
import { errorMessage } from '@shared/error-text'
import { join } from 'node:path'
import { app, BrowserWindow, dialog, session } from 'electron'
import type { Core } from '../core/core'
import { openCoreWithFallback } from '../core/open-core'
import { resolveDataPaths, resolveUserDataDir } from '../core/default-paths'
import { registerIpc } from './ipc'
import type { AppOrigin } from './app-origin'
import { registerAppScheme, serveAppScheme } from './app-protocol'
import { createMainWindow } from './window'
import { electronDialogs } from './dialogs'
import { installQuitGuard } from './quit-guard'
import { utilityTrainerSpawner } from './utility-host'
import { resolveAppDataPaths } from '../core/startup-paths'
import iconPath from '../../../resources/icon.png?asset'

let mainWindow: BrowserWindow | null = null

function rendererOrigin(): AppOrigin {
  const devUrl = process.env['ELECTRON_RENDERER_URL']
  if (!app.isPackaged && devUrl) return { kind: 'dev', url: devUrl }
  return { kind: 'app', rendererDir: join(__dirname, '../renderer') }
}

function openWindow(core: Core): void {
  const origin = rendererOrigin()
  const window = createMainWindow({
    preloadPath: join(__dirname, '../preload/index.cjs'),
    origin,
    iconPath
  })
  mainWindow = window
  registerIpc({ core, window, origin })
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null
  })
}

async function start(): Promise<void> {
  const origin = rendererOrigin()
  if (origin.kind === 'app') serveAppScheme(session.defaultSession, origin.rendererDir)
  const paths = resolveAppDataPaths(app.getPath('userData'), process.env)
  const { core, warning } = await openCoreWithFallback(
    {
      ...paths,
      appVersion: app.getVersion(),
      spawnTrainer: utilityTrainerSpawner({ modulePath: join(__dirname, 'trainer.js') }),
      dialogs: electronDialogs(() => mainWindow),
      resumeQueued: true
    },
    // ATELIER_DB is a deliberate choice: no fallback from it.
    process.env['ATELIER_DB'] ? paths.dbPath : resolveDataPaths(app.getPath('userData'), {}).dbPath
  )
  if (warning) dialog.showErrorBox('The chosen run database could not be opened', warning)
  installQuitGuard({ core, getWindow: () => mainWindow })
  openWindow(core)
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow(core)
  })
}

// A separate profile (portable installs, the Electron test project): settings, database and the
// single-instance lock all follow the user-data folder, so it must be set before anything reads it.
// The same resolver as the CLI and the browser shell, so every shell writes into the same profile.
app.setPath('userData', resolveUserDataDir(process.env))

// The app:// scheme must be declared privileged before `ready`.
registerAppScheme()

if (!app.requestSingleInstanceLock()) {
  // Another Atelier owns the database; it is brought to the front instead.
  app.quit()
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  app.on('web-contents-created', (_event, contents) => {
    // No page may open windows or attach webviews, whichever window it is in.
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
    contents.on('will-attach-webview', (e) => e.preventDefault())
  })
  app.on('window-all-closed', () => app.quit())
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      // Usually the database: say so in a window, since a packaged app has no visible console.
      const message = errorMessage(error)
      console.error('Atelier could not start:', error)
      dialog.showErrorBox('Atelier could not start', message)
      app.exit(1)
    })
}
