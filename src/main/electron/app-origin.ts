/** Decides whether a URL is one of the app's own pages (the only senders main trusts). */
import { resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Where the renderer is loaded from. */
export type AppOrigin =
  /** The electron-vite dev server (`ELECTRON_RENDERER_URL`). */
  | { kind: 'dev'; url: string }
  /** The built renderer's index.html on disk. */
  | { kind: 'file'; indexPath: string }

/** The URL the main window loads. */
export function appEntryUrl(origin: AppOrigin): string {
  return origin.kind === 'dev' ? origin.url : new URL(`file://${resolve(origin.indexPath)}`).href
}

/** True when `url` is the app's own page: same dev-server origin, or exactly the built index file. */
export function isAppUrl(url: string, origin: AppOrigin): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (origin.kind === 'dev') return parsed.origin === new URL(origin.url).origin
  if (parsed.protocol !== 'file:' || parsed.host !== '') return false
  try {
    return resolve(fileURLToPath(parsed)) === resolve(origin.indexPath)
  } catch {
    return false
  }
}

/** True for requests the app's pages may make: their own origin and in-memory data. */
export function isAllowedRequest(url: string, origin: AppOrigin): boolean {
  if (/^(data|blob|devtools|chrome-extension):/.test(url)) return true
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (origin.kind === 'dev') {
    const dev = new URL(origin.url)
    return parsed.host === dev.host && /^(https?|wss?):$/.test(parsed.protocol)
  }
  // The built renderer loads only files beside its index.html.
  if (parsed.protocol !== 'file:') return false
  try {
    const dir = resolve(origin.indexPath, '..')
    return resolve(fileURLToPath(parsed)).startsWith(dir + sep)
  } catch {
    return false
  }
}
