/**
 * Who may talk to the browser shell: the Host header must name this server (no DNS rebinding),
 * every request must carry the access-token cookie, and state-changing requests and the event
 * stream must come from the workbench's own origin.
 */
import { networkInterfaces, hostname } from 'node:os'
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { APP_CSP } from '../../shared/csp'
import { isAccessToken } from './access-token'

/** What the guard checks against. */
export interface GuardOptions {
  token: string
  /** The address the server is bound to (as given: `127.0.0.1`, `0.0.0.0`, `::1`, …). */
  host: string
  /** The bound port, known once the server listens. */
  port: () => number
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]']
const WILDCARD = new Set(['0.0.0.0', '::', '[::]'])

/** The cookie holding the token; named per port because browsers share cookies across a host's ports. */
export const cookieName = (port: number): string => `atelier_${port}`

/** True for an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

const bracket = (address: string): string => (address.includes(':') ? `[${address}]` : address)

/** Host names the server answers to: the bound address and localhost; for a wildcard bind, this machine's addresses and name. */
function allowedHostNames(host: string): Set<string> {
  const names = new Set([...LOOPBACK_NAMES, bracket(host)])
  if (WILDCARD.has(host)) {
    names.add(hostname().toLowerCase())
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(bracket(a.address))
  }
  return names
}

/** A plain-text refusal with the app's headers; `hint` tells the person what to do. */
export function refuse(c: Context, status: 401 | 403 | 404 | 421, hint: string): Response {
  c.header('Content-Security-Policy', APP_CSP)
  c.header('Cache-Control', 'no-store')
  return c.text(hint, status)
}

/** Rejects requests whose Host header is not this server (DNS rebinding). */
export function hostGuard(options: GuardOptions): MiddlewareHandler {
  const names = allowedHostNames(options.host)
  return async (c, next) => {
    const host = (c.req.header('host') ?? '').toLowerCase()
    const at = host.lastIndexOf(':')
    const name = at > host.lastIndexOf(']') ? host.slice(0, at) : host
    const port = at > host.lastIndexOf(']') ? Number(host.slice(at + 1)) : 80
    if (!names.has(name) || port !== options.port()) {
      return refuse(c, 421, `This server answers only to its own address (Host "${host}" refused).`)
    }
    return next()
  }
}

/**
 * Exchanges `?token=` for an HttpOnly SameSite=Strict cookie and redirects to strip it from the
 * address bar; without a valid cookie every other request is refused with 401.
 */
export function tokenGuard(options: GuardOptions): MiddlewareHandler {
  return async (c, next) => {
    const name = cookieName(options.port())
    const offered = c.req.query('token')
    if (offered !== undefined) {
      if (!isAccessToken(offered, options.token)) {
        return refuse(c, 401, 'The access token is wrong or from an earlier start. Open the address the server printed last.')
      }
      setCookie(c, name, options.token, { httpOnly: true, sameSite: 'Strict', path: '/' })
      c.header('Cache-Control', 'no-store')
      c.header('Referrer-Policy', 'no-referrer')
      c.header('Content-Security-Policy', APP_CSP)
      const url = new URL(c.req.url)
      url.searchParams.delete('token')
      const target = `${url.pathname}${url.search}`.replace(/[^\w/?&=.%-]/g, '')
      // A page-initiated redirect rather than a 3xx: when the address was opened from another site
      // (a chat, a web mail), a 3xx stays cross-site and the browser would withhold the Strict cookie.
      return c.html(
        `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${target}"><title>Atelier</title><a href="${target}">Open Atelier</a>`
      )
    }
    if (!isAccessToken(getCookie(c, name), options.token)) {
      return refuse(c, 401, 'Open the workbench with the address the server printed (it carries the access token).')
    }
    return next()
  }
}

/**
 * Requires the request to come from the workbench's own page: an `Origin` equal to this server's
 * (always required on POST, which browsers send it with), and no cross-site `Sec-Fetch-Site`.
 */
export function originGuard(options: { requireOrigin: boolean }): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin')
    const site = c.req.header('sec-fetch-site')
    const own = `http://${c.req.header('host') ?? ''}`
    if ((origin === undefined && options.requireOrigin) || (origin !== undefined && origin !== own)) {
      return refuse(c, 403, `Requests from another origin (${origin ?? 'none given'}) are refused.`)
    }
    if (site !== undefined && site !== 'same-origin') return refuse(c, 403, `Cross-site requests (${site}) are refused.`)
    return next()
  }
}
