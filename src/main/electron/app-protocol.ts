/**
 * The app's privileged `app://` scheme. The renderer is served from `app://atelier/` instead of `file://`:
 * a standard, secure origin the IPC and navigation checks compare as a URL, whatever the install path.
 */
import { protocol, type Session } from 'electron'
import { APP_SCHEME, appFileResponse } from './app-files'

/** Declares the scheme privileged; must run before the app's `ready` event. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // standard: real origin and relative URLs; secure: a secure context like https; fetch for the page's assets.
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true }
    }
  ])
}

/** Serves the built renderer folder on the scheme for one session (after `ready`). */
export function serveAppScheme(ses: Session, rendererDir: string): void {
  ses.protocol.handle(APP_SCHEME, async (request) => {
    const { status, headers, body } = await appFileResponse(request.url, rendererDir)
    return new Response(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength), { status, headers })
  })
}
