/** Decides whether a URL is one of the app's own pages (the only senders main trusts). */
import { APP_ENTRY_URL, APP_HOST, APP_SCHEME } from './app-files'

/** Where the renderer is loaded from. */
export type AppOrigin =
  /** The electron-vite dev server (`ELECTRON_RENDERER_URL`). */
  | { kind: 'dev'; url: string }
  /** The built renderer folder, served on the app's own `app://atelier/` scheme. */
  | { kind: 'app'; rendererDir: string }

/** The URL the main window loads. */
export function appEntryUrl(origin: AppOrigin): string {
  return origin.kind === 'dev' ? origin.url : APP_ENTRY_URL
}

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

const isAppScheme = (u: URL): boolean => u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST

/** True when `url` is the app's own page: same dev-server origin, or the app scheme's index page. */
export function isAppUrl(url: string, origin: AppOrigin): boolean {
  const parsed = parse(url)
  if (!parsed) return false
  if (origin.kind === 'dev') return parsed.origin === new URL(origin.url).origin
  return isAppScheme(parsed) && (parsed.pathname === '/' || parsed.pathname === '/index.html')
}

/** True for requests the app's pages may make: their own origin and in-memory data. */
export function isAllowedRequest(url: string, origin: AppOrigin): boolean {
  if (/^(data|blob|devtools|chrome-extension):/.test(url)) return true
  const parsed = parse(url)
  if (!parsed) return false
  if (origin.kind === 'dev') {
    const dev = new URL(origin.url)
    return parsed.host === dev.host && /^(https?|wss?):$/.test(parsed.protocol)
  }
  return isAppScheme(parsed)
}
