/** The one application window, locked down: sandboxed, isolated, no navigation, no remote content. */
import { BrowserWindow, nativeTheme, session, type Session } from 'electron'
import { APP_CSP, devCsp } from '../../shared/csp'
import { appEntryUrl, isAllowedRequest, isAppUrl, type AppOrigin } from './app-origin'
import { ERR_ABORTED, loadFailurePage } from './load-failure'

/** How to build the main window. */
export interface MainWindowOptions {
  /** Absolute path of the built preload script (out/preload/index.cjs). */
  preloadPath: string
  /** Where the renderer is loaded from. */
  origin: AppOrigin
  /** Window icon (Linux and Windows; macOS takes it from the bundle). */
  iconPath?: string
}

/** Applies the content policy, request filter and permission refusal to a session, once. */
export function hardenSession(ses: Session, origin: AppOrigin): void {
  const csp = origin.kind === 'dev' ? devCsp(new URL(origin.url).origin) : APP_CSP
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, origin) })
  })
  ses.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url, origin) && !isAllowedRequest(details.url, origin)) {
      callback({ responseHeaders: details.responseHeaders })
      return
    }
    const headers = { ...details.responseHeaders }
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === 'content-security-policy') delete headers[key]
    }
    headers['Content-Security-Policy'] = [csp]
    callback({ responseHeaders: headers })
  })
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  ses.setDevicePermissionHandler(() => false)
}

/** Creates and loads the main window; it shows itself once the first frame is ready. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  hardenSession(session.defaultSession, options.origin)
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Atelier',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#18181c' : '#ffffff',
    autoHideMenuBar: true,
    ...(options.iconPath && process.platform !== 'darwin' ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false
    }
  })
  const contents = window.webContents
  window.once('ready-to-show', () => window.show())
  // A page that fails to load never becomes ready to show: show what failed instead of an invisible window.
  contents.on('did-fail-load', (_event, errorCode, errorDescription, validatedURL, isMainFrame) => {
    if (!isMainFrame || errorCode === ERR_ABORTED || validatedURL.startsWith('data:')) return
    void contents.loadURL(loadFailurePage({ errorCode, errorDescription, url: validatedURL }))
    window.show()
  })
  contents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit' || window.isDestroyed()) return
    void contents.loadURL(
      loadFailurePage({
        errorCode: details.exitCode,
        errorDescription: `the page's process ${details.reason}`,
        url: appEntryUrl(options.origin)
      })
    )
    window.show()
  })
  // The app is one page with in-page routing; any real navigation is refused.
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  void window.loadURL(appEntryUrl(options.origin))
  return window
}
