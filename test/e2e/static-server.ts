/** Serves the built renderer over http on 127.0.0.1 with the app's Content-Security-Policy. */
import { createServer, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import type { AddressInfo } from 'node:net'
import { APP_CSP } from '../../src/shared/csp'
import { mimeType } from '../../src/main/electron/app-files'

/** A running static server. */
export interface StaticServer {
  /** `http://127.0.0.1:<port>/` */
  baseUrl: string
  close(): Promise<void>
}

/** Starts a server for `root` on a random port; unknown paths get index.html (in-page routing). */
export async function serveStatic(root: string): Promise<StaticServer> {
  const base = normalize(root)
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
      if (path === '/favicon.ico') {
        // A browser asks for it on its own; the app window never does.
        res.writeHead(204).end()
        return
      }
      let file = normalize(join(base, path === '/' ? 'index.html' : path))
      if (!file.startsWith(base + sep)) {
        res.writeHead(403).end()
        return
      }
      let body: Buffer
      try {
        body = await readFile(file)
      } catch {
        // Paths without an extension are in-page routes; a missing asset is a real 404.
        if (extname(file)) {
          res.writeHead(404).end()
          return
        }
        file = join(base, 'index.html')
        body = await readFile(file)
      }
      res.writeHead(200, {
        'Content-Type': mimeType(file),
        'Content-Security-Policy': APP_CSP,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff'
      })
      res.end(body)
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
