/**
 * The browser shell's server, attacked and used from outside: a real core (temp database, the real
 * dataset, a real trainer process) behind the real server on 127.0.0.1, spoken to over raw HTTP so
 * every header (Host, Origin, Cookie) and every path byte is ours to choose.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiResult } from '@shared/api'
import { defaultHparams } from '@shared/hparams'
import { decodeFrame, decodeText, encodeFrame, FRAME_TYPE } from '@shared/wire-frame'
import { startServer, type RunningServer } from '@main/server/start-server'
import { createTempCore, type TempCore } from '../helpers/temp-core'
import { realDataDir } from '../helpers/real-data'

interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

interface Send {
  method?: string
  path?: string
  headers?: Record<string, string>
  body?: Uint8Array | string
  /** Send the body chunked, without a Content-Length. */
  chunked?: boolean
}

const real = realDataDir()
let temp: TempCore
let server: RunningServer
let small: RunningServer
let rendererDir: string
let cookie: string

function send(target: RunningServer, options: Send = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: target.port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: { host: `127.0.0.1:${target.port}`, ...options.headers }
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      }
    )
    req.on('error', reject)
    if (options.body !== undefined && options.chunked) {
      const bytes = typeof options.body === 'string' ? Buffer.from(options.body) : Buffer.from(options.body)
      for (let i = 0; i < bytes.length; i += 4096) req.write(bytes.subarray(i, i + 4096))
    } else if (options.body !== undefined) req.write(options.body)
    req.end()
  })
}

const ownOrigin = (target: RunningServer): string => `http://127.0.0.1:${target.port}`

/** A POST as the workbench page makes it: the cookie, its own Origin, a frame body. */
function post(target: RunningServer, channel: string, value: unknown, extra: Send = {}): Promise<Reply> {
  return send(target, {
    method: 'POST',
    path: `/api/${channel}`,
    body: encodeFrame(value),
    ...extra,
    headers: { cookie: cookieFor(target), origin: ownOrigin(target), 'content-type': FRAME_TYPE, ...extra.headers }
  })
}

const cookieFor = (target: RunningServer): string => `atelier_${target.port}=${target.token}`
const result = (reply: Reply): ApiResult<unknown> => decodeFrame(new Uint8Array(reply.body)) as ApiResult<unknown>

beforeAll(async () => {
  // The access checks need no dataset; the run below does (and skips visibly without it, never in CI).
  temp = await createTempCore(real.dir ?? tmpdir())
  // A stand-in for out/renderer: the server must serve exactly this folder and nothing beside it.
  rendererDir = mkdtempSync(join(tmpdir(), 'atelier-renderer-'))
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Atelier</title>')
  writeFileSync(join(tmpdir(), 'atelier-outside-secret.txt'), 'secret')
  server = await startServer({ core: temp.core, rendererDir })
  small = await startServer({ core: temp.core, rendererDir, bodyLimit: 1024 })
  cookie = cookieFor(server)
})

afterAll(async () => {
  await server?.close()
  await small?.close()
  await temp?.close()
  rmSync(rendererDir, { recursive: true, force: true })
})

describe('access token', () => {
  it('refuses every request without the token: pages, API and the event stream (401)', async () => {
    expect((await send(server, { path: '/' })).status).toBe(401)
    expect((await send(server, { path: '/index.html' })).status).toBe(401)
    const api = await send(server, {
      method: 'POST',
      path: '/api/app.info',
      body: '{}',
      headers: { origin: ownOrigin(server), 'content-type': 'application/json' }
    })
    expect(api.status).toBe(401)
    expect((await send(server, { path: '/api/events' })).status).toBe(401)
  })

  it('refuses a wrong token in the address and in the cookie (401)', async () => {
    expect((await send(server, { path: '/?token=not-the-token' })).status).toBe(401)
    expect((await send(server, { path: `/?token=${server.token.slice(0, -1)}` })).status).toBe(401)
    expect((await send(server, { path: '/', headers: { cookie: `atelier_${server.port}=wrong` } })).status).toBe(401)
    // Another server's cookie (another port) is not this one's.
    expect(
      (await send(server, { path: '/', headers: { cookie: cookieFor(small).replace(String(small.port), String(server.port)) } })).status
    ).toBe(401)
  })

  it('exchanges the token for an HttpOnly SameSite=Strict cookie and leaves it out of the address', async () => {
    const reply = await send(server, { path: `/?token=${server.token}` })
    expect(reply.status).toBe(200)
    const setCookie = reply.headers['set-cookie']?.join('\n') ?? ''
    expect(setCookie).toContain(`atelier_${server.port}=${server.token}`)
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Strict/)
    const body = reply.body.toString()
    expect(body).toMatch(/http-equiv="refresh" content="0;url=\/"/)
    expect(body).not.toContain(server.token)
    const page = await send(server, { path: '/', headers: { cookie } })
    expect(page.status).toBe(200)
    expect(page.body.toString()).toContain('<title>Atelier</title>')
  })

  it('puts the app Content-Security-Policy on pages and refusals', async () => {
    const { APP_CSP } = await import('@shared/csp')
    expect((await send(server, { path: '/', headers: { cookie } })).headers['content-security-policy']).toBe(APP_CSP)
    expect((await send(server, { path: '/' })).headers['content-security-policy']).toBe(APP_CSP)
  })
})

describe('Host and Origin', () => {
  it('refuses a Host that is not this server (DNS rebinding), even with the cookie', async () => {
    for (const host of [
      `evil.example:${server.port}`,
      'evil.example',
      `127.0.0.1:${server.port + 1}`,
      `localhost.evil.example:${server.port}`
    ]) {
      const reply = await send(server, { path: '/', headers: { cookie, host } })
      expect(reply.status, host).toBe(421)
    }
    expect((await send(server, { path: '/', headers: { cookie, host: `localhost:${server.port}` } })).status).toBe(200)
  })

  it('refuses a cross-origin POST, and one without Origin, and changes nothing', async () => {
    const before = temp.core.settings.get()
    const change = { concurrency: before.concurrency === 1 ? 2 : 1 }
    for (const origin of ['http://evil.example', `http://localhost:${server.port + 1}`, null]) {
      const reply = await post(server, 'settings.update', change, { headers: origin === null ? { origin: '' } : { origin } })
      expect(reply.status, String(origin)).toBe(403)
    }
    const crossSite = await post(server, 'settings.update', change, { headers: { 'sec-fetch-site': 'cross-site' } })
    expect(crossSite.status).toBe(403)
    expect(temp.core.settings.get()).toEqual(before)
  })

  it('refuses the event stream from another origin', async () => {
    const reply = await send(server, { path: '/api/events', headers: { cookie, origin: 'http://evil.example' } })
    expect(reply.status).toBe(403)
  })
})

describe('static files', () => {
  it('serves nothing outside the renderer folder: ../ and encoded %2e%2e give 404', async () => {
    const outside = [
      '/../atelier-outside-secret.txt',
      '/%2e%2e/atelier-outside-secret.txt',
      '/%2E%2E%2Fatelier-outside-secret.txt',
      '/assets/..%2f..%2fatelier-outside-secret.txt',
      '/..%5catelier-outside-secret.txt'
    ]
    for (const path of outside) {
      const reply = await send(server, { path, headers: { cookie } })
      expect(reply.status, path).toBe(404)
      expect(reply.body.toString()).not.toContain('secret')
    }
  })
})

describe('request bodies', () => {
  it('answers 413 to a body over the limit, with or without Content-Length, and changes nothing', async () => {
    const before = temp.core.settings.get()
    const big = JSON.stringify({ concurrency: 2, padding: 'x'.repeat(2048) })
    const sized = await send(small, {
      method: 'POST',
      path: '/api/settings.update',
      body: big,
      headers: { cookie: cookieFor(small), origin: ownOrigin(small), 'content-type': 'application/json' }
    })
    expect(sized.status).toBe(413)
    expect(result(sized)).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    const chunked = await send(small, {
      method: 'POST',
      path: '/api/settings.update',
      body: big,
      chunked: true,
      headers: { cookie: cookieFor(small), origin: ownOrigin(small), 'content-type': 'application/json', 'transfer-encoding': 'chunked' }
    })
    expect(chunked.status).toBe(413)
    expect(temp.core.settings.get()).toEqual(before)
  })

  it('turns malformed JSON, a malformed frame and schema-invalid bodies into typed errors, database unchanged', async () => {
    const runsBefore = (await temp.core.store.runs.list()).length
    const settingsBefore = temp.core.settings.get()
    const headers = { cookie, origin: ownOrigin(server), 'content-type': 'application/json' }
    const json = await send(server, { method: 'POST', path: '/api/runs.start', body: '{"hparams": {', headers })
    expect(json.status).toBe(400)
    expect(result(json)).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    const frame = await send(server, {
      method: 'POST',
      path: '/api/runs.start',
      body: new Uint8Array([9, 0, 0, 0, 123, 125]),
      headers: { ...headers, 'content-type': FRAME_TYPE }
    })
    expect(frame.status).toBe(400)
    expect(result(frame)).toMatchObject({ ok: false, error: { code: 'invalid_request' } })

    const invalid = result(await post(server, 'runs.start', { hparams: { ...defaultHparams('dense'), epochs: 0 } }))
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(invalid.ok ? [] : invalid.error.fieldErrors?.map((e) => e.path)).toContain('hparams.epochs')
    const extra = result(await post(server, 'settings.update', { concurrency: 1, admin: true }))
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    const unknown = result(await post(server, 'runs.drop', {}))
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_channel' } })
    // A frame that tries to write through __proto__ is refused before the core sees it.
    const polluting = new TextEncoder().encode(
      JSON.stringify({ value: {}, binaries: [], numbers: [{ path: ['__proto__', 'polluted'], value: 'NaN' }] })
    )
    const pollutingFrame = new Uint8Array(8 + polluting.length)
    new DataView(pollutingFrame.buffer).setUint32(0, polluting.length, true)
    pollutingFrame.set(polluting, 4)
    expect(
      (
        await send(server, {
          method: 'POST',
          path: '/api/app.info',
          body: pollutingFrame,
          headers: { ...headers, 'content-type': FRAME_TYPE }
        })
      ).status
    ).toBe(400)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()

    expect((await temp.core.store.runs.list()).length).toBe(runsBefore)
    expect(temp.core.settings.get()).toEqual(settingsBefore)
  })
})

/** Reads Server-Sent Events until `until` says stop; returns them in arrival order. */
function readEvents(
  target: RunningServer,
  until: (events: { event: string; data: unknown }[]) => boolean
): { done: Promise<{ event: string; data: unknown }[]>; abort(): void } {
  let abort = (): void => undefined
  const done = new Promise<{ event: string; data: unknown }[]>((resolve, reject) => {
    const events: { event: string; data: unknown }[] = []
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: target.port,
        path: '/api/events',
        headers: { host: `127.0.0.1:${target.port}`, cookie: cookieFor(target) }
      },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`event stream answered ${res.statusCode}`))
        let buffer = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          buffer += chunk
          let end: number
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message'
            const data = block
              .split('\n')
              .filter((l) => l.startsWith('data: '))
              .map((l) => l.slice(6))
              .join('\n')
            events.push({ event, data: event === 'ready' || event === 'keepalive' ? null : decodeText(data) })
            if (until(events)) {
              req.destroy()
              resolve(events)
            }
          }
        })
      }
    )
    req.on('error', (error) => (error.message.includes('aborted') || error.message.includes('socket hang up') ? undefined : reject(error)))
    req.end()
    abort = () => req.destroy()
  })
  return { done, abort }
}

describe.skipIf(!real.dir)(`a run over the server${real.reason}`, () => {
  it('streams its events in the order the core emitted them, and carries the test set and predictions as raw bytes', async () => {
    const emitted: string[] = []
    const record = ['runs.progress', 'runs.epoch', 'runs.updated'] as const
    const unsubscribes = record.map((name) => temp.core.on(name, (payload) => emitted.push(`${name} ${JSON.stringify(payload)}`)))
    let runId = -1
    const stream = readEvents(server, (events) =>
      events.some(
        (e) =>
          e.event === 'runs.updated' &&
          (e.data as { id: number; status: string }).id === runId &&
          (e.data as { status: string }).status === 'completed'
      )
    )
    await expect.poll(() => server.eventStreams()).toBe(1)
    const started = result(
      await post(server, 'runs.start', { hparams: { ...defaultHparams('dense'), epochs: 2, trainSubset: 1000 }, name: 'over http' })
    )
    expect(started.ok).toBe(true)
    runId = (started as { ok: true; data: { id: number } }).data.id
    const events = await stream.done
    for (const unsubscribe of unsubscribes) unsubscribe()
    const received = events
      .filter((e) => (record as readonly string[]).includes(e.event))
      .map((e) => `${e.event} ${JSON.stringify(e.data)}`)
    // Every event the core emitted while the stream was open arrived once, in the same order.
    expect(received.length).toBeGreaterThan(3)
    expect(received).toEqual(emitted.slice(0, received.length))
    expect(events.filter((e) => e.event === 'runs.epoch').length).toBe(2)
    // The client is gone: its subscription went with it.
    await expect.poll(() => server.eventStreams()).toBe(0)

    const testSetReply = await post(server, 'dataset.testSet', {})
    const testSet = result(testSetReply) as ApiResult<{ count: number; images: Uint8Array; labels: Uint8Array }>
    const local = await temp.core.dataset.testSet()
    expect(testSet.ok && testSet.data.images).toBeInstanceOf(Uint8Array)
    expect(testSet.ok && Buffer.from(testSet.data.images).equals(Buffer.from(local.images))).toBe(true)
    // Raw bytes, not JSON numbers or base64: the answer is the pixels plus a small header.
    expect(testSetReply.body.length).toBeLessThan(local.images.length + local.labels.length + 4096)

    const predictions = result(await post(server, 'runs.predictions', { id: runId })) as ApiResult<{
      predicted: Uint8Array
      probabilities: Float32Array
    }>
    const stored = (await temp.core.runs.predictions(runId))!
    expect(predictions.ok && predictions.data.probabilities).toBeInstanceOf(Float32Array)
    expect(predictions.ok && Array.from(predictions.data.probabilities.subarray(0, 50))).toEqual(
      Array.from(stored.probabilities.subarray(0, 50))
    )
    expect(predictions.ok && predictions.data.probabilities.length).toBe(stored.probabilities.length)
  })

  it('answers an export with the file the core made, as a download with its name', async () => {
    const run = (await temp.core.store.runs.list())[0]!
    const expected = await temp.core.exportFile('export.run', { id: run.id })
    expect(expected.ok).toBe(true)
    const reply = await post(server, 'export.run', { id: run.id })
    expect(reply.status).toBe(200)
    expect(reply.headers['content-disposition']).toBe(`attachment; filename="${expected.ok && expected.data.name}"`)
    expect(reply.headers['content-type']).toMatch(/^application\/json/)
    expect(reply.body.toString('utf8')).toBe(expected.ok && expected.data.content)

    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])
    const chart = await post(server, 'export.file', { suggestedName: 'loss/../chart.png', kind: 'png', content: png })
    expect(chart.headers['content-disposition']).toBe('attachment; filename="loss-chart.png"')
    expect(new Uint8Array(chart.body)).toEqual(png)
    const missing = result(await post(server, 'export.run', { id: 999_999 }))
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })
})
