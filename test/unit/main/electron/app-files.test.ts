import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { APP_ENTRY_URL, appFileResponse, resolveAppFile } from '@main/electron/app-files'
import { appEntryUrl, isAllowedRequest, isAppUrl } from '@main/electron/app-origin'
import { APP_CSP } from '@shared/csp'

// The install folders that broke file:// string comparisons: '#', '?', spaces.
const root = mkdtempSync(join(tmpdir(), 'Atelier #1 ?x '))
const renderer = join(root, 'renderer')
mkdirSync(join(renderer, 'assets'), { recursive: true })
writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Atelier</title>')
writeFileSync(join(renderer, 'assets', 'index-abc.js'), 'console.log(1)')
writeFileSync(join(root, 'secret.txt'), 'not for the page')
afterAll(() => rmSync(root, { recursive: true, force: true }))

const decode = (body: Uint8Array | string): string => (typeof body === 'string' ? body : new TextDecoder().decode(body))

describe('the app:// scheme', () => {
  it('serves the index page with its type and the app’s Content-Security-Policy, from an install path with # and ?', async () => {
    for (const url of [APP_ENTRY_URL, 'app://atelier/', 'app://atelier/index.html#/compare/1,2']) {
      const res = await appFileResponse(url, renderer)
      expect(res.status).toBe(200)
      expect(res.headers['Content-Type']).toBe('text/html; charset=utf-8')
      expect(res.headers['Content-Security-Policy']).toBe(APP_CSP)
      expect(decode(res.body)).toContain('<title>Atelier</title>')
    }
    const js = await appFileResponse('app://atelier/assets/index-abc.js', renderer)
    expect(js.headers['Content-Type']).toBe('text/javascript; charset=utf-8')
  })

  it('answers 404 for files outside the renderer folder, other hosts and schemes, and missing files', async () => {
    for (const url of [
      'app://atelier/../secret.txt',
      'app://atelier/%2e%2e/secret.txt',
      'app://atelier/assets/..%2f..%2fsecret.txt',
      'app://other/index.html',
      'file:///etc/passwd',
      'app://atelier/missing.js',
      'app://atelier/%00.js',
      'not a url'
    ]) {
      expect((await appFileResponse(url, renderer)).status, url).toBe(404)
    }
    expect(resolveAppFile('app://atelier/%E0%A4%A', renderer)).toBeNull()
  })

  it('trusts only the app scheme’s index page as a sender, and allows only its own resources', () => {
    const origin = { kind: 'app', rendererDir: renderer } as const
    expect(appEntryUrl(origin)).toBe('app://atelier/index.html')
    expect(isAppUrl('app://atelier/index.html#/runs/3', origin)).toBe(true)
    expect(isAppUrl('app://atelier/', origin)).toBe(true)
    expect(isAppUrl(`file://${renderer}/index.html`, origin)).toBe(false)
    expect(isAppUrl('app://atelier/assets/index-abc.js', origin)).toBe(false)
    expect(isAllowedRequest('app://atelier/assets/index-abc.js', origin)).toBe(true)
    expect(isAllowedRequest('data:image/png;base64,AAAA', origin)).toBe(true)
    expect(isAllowedRequest('https://example.com/x.js', origin)).toBe(false)
    expect(isAllowedRequest(`file://${root}/secret.txt`, origin)).toBe(false)
  })
})
