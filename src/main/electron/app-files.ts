/**
 * What the app's own `app://atelier/…` scheme serves: files of the built renderer folder, each with its
 * type and the app's Content-Security-Policy. Plain Node (no electron) so it is tested directly; the
 * Electron handler in app-protocol.ts only wraps the answer in a Response.
 */
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import { APP_CSP } from '../../shared/csp'

/** The scheme and host the renderer is served from: `app://atelier/index.html`. */
export const APP_SCHEME = 'app'
export const APP_HOST = 'atelier'
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm'
}

/** The content type of a renderer file, by its extension. */
export function mimeType(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * The file under `root` that an app URL names, or null when the URL is not the app's (other scheme or
 * host) or leaves the folder. `app://atelier/` is the index page. URLs are compared, never path strings
 * of the install folder, so `#`, `?`, spaces or a drive letter's case in that folder change nothing.
 */
export function resolveAppFile(url: string, root: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null
  let path: string
  try {
    path = decodeURIComponent(parsed.pathname)
  } catch {
    return null
  }
  if (path.includes('\0')) return null
  const base = normalize(root)
  const file = normalize(join(base, path === '/' ? 'index.html' : path))
  return file.startsWith(base + sep) ? file : null
}

/** A response of the app scheme, as plain data. */
export interface AppFileResponse {
  status: number
  headers: Record<string, string>
  body: Uint8Array | string
}

/** Reads what an app URL names: 200 with the file, its type and the CSP; 404 for anything else. */
export async function appFileResponse(url: string, root: string): Promise<AppFileResponse> {
  const file = resolveAppFile(url, root)
  const notFound: AppFileResponse = { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'Not found' }
  if (!file) return notFound
  try {
    const body = await readFile(file)
    return {
      status: 200,
      headers: {
        'Content-Type': mimeType(file),
        'Content-Security-Policy': APP_CSP,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache'
      },
      body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
    }
  } catch {
    return notFound
  }
}
