/**
 * The browser shell: a local web server over the same core as the app. It serves the built renderer
 * and the API (`POST /api/<channel>`, events at `GET /api/events`) to whoever holds this start's
 * access token, on 127.0.0.1 unless told otherwise.
 */
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { serve } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Core } from '../core/core'
import { APP_CSP } from '../../shared/csp'
import { createAccessToken } from './access-token'
import { apiEndpoint, failure, frameResponse } from './api-endpoint'
import { eventStream, type StreamRegistry } from './event-stream'
import { hostGuard, isLoopback, originGuard, refuse, tokenGuard, type GuardOptions } from './request-guard'

/** Default request body limit: the four dataset files decompressed (55 MB) fit, with room. */
export const DEFAULT_BODY_LIMIT = 64 * 1024 * 1024

export interface ServerOptions {
  core: Core
  /** The built renderer (`out/renderer`); nothing outside it is served. */
  rendererDir: string
  /** Address to bind; default 127.0.0.1. */
  host?: string
  /** Port; default 0 (a free one). */
  port?: number
  /** The access token; default a fresh random one. */
  token?: string
  /** Largest request body in bytes; larger ones get 413. */
  bodyLimit?: number
}

export interface RunningServer {
  /** `http://host:port/` */
  origin: string
  /** The address to open: the origin with `?token=…`. */
  url: string
  token: string
  host: string
  port: number
  /** True when bound to an address other machines may reach. */
  exposed: boolean
  /** Event streams open now (a client that went away is no longer counted). */
  eventStreams(): number
  /** Ends every event stream and stops listening. */
  close(): Promise<void>
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host)

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  const token = options.token ?? createAccessToken()
  let port = 0
  const guard: GuardOptions = { token, host, port: () => port }
  const streams: StreamRegistry = new Set()
  const app = new Hono()

  app.use('*', async (c, next) => {
    await next()
    // Every answer, page or not, carries the app's policy and no sniffing.
    c.header('Content-Security-Policy', APP_CSP)
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Referrer-Policy', 'no-referrer')
    c.header('X-Frame-Options', 'DENY')
  })
  app.use('*', hostGuard(guard))
  app.use('*', tokenGuard(guard))
  app.get('/api/events', originGuard({ requireOrigin: false }), eventStream(options.core, streams))
  app.post(
    '/api/:channel',
    originGuard({ requireOrigin: true }),
    bodyLimit({
      maxSize: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
      onError: () =>
        frameResponse(
          failure(
            'invalid_request',
            `The request is larger than the server's limit of ${options.bodyLimit ?? DEFAULT_BODY_LIMIT} bytes; nothing was changed.`
          ),
          413
        )
    }),
    apiEndpoint(options.core)
  )
  // A browser asks for it on its own; the app has no favicon among its pages.
  app.get('/favicon.ico', (c) => c.body(null, 204))
  app.use('/*', serveStatic({ root: options.rendererDir, index: 'index.html' }))
  app.notFound((c) => refuse(c, 404, 'Not found.'))
  app.onError((error, c) => {
    console.error('browser shell request failed:', error)
    return c.text('The server failed on this request; nothing was changed.', 500)
  })

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, () => resolve(s as Server)) as Server
    s.once('error', reject)
  })
  port = (server.address() as AddressInfo).port
  const origin = `http://${urlHost(host)}:${port}/`
  let closed: Promise<void> | null = null
  return {
    origin,
    url: `${origin}?token=${token}`,
    token,
    host,
    port,
    exposed: !isLoopback(host),
    eventStreams: () => streams.size,
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const end of [...streams]) end()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closed
    }
  }
}
