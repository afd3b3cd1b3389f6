import { describe, expect, it } from 'vitest'
import { loadFailurePage } from '@main/electron/load-failure'

describe('loadFailurePage', () => {
  it('is a data: page that names the failure and what to do, with the URL escaped', () => {
    const url = loadFailurePage({ errorCode: -6, errorDescription: 'ERR_FILE_NOT_FOUND', url: 'app://atelier/<script>' })
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true)
    const html = decodeURIComponent(url.slice('data:text/html;charset=utf-8,'.length))
    expect(html).toContain('ERR_FILE_NOT_FOUND')
    expect(html).toContain('(code -6)')
    expect(html).toContain('app://atelier/&lt;script&gt;')
    expect(html).not.toContain('<script>')
    expect(html).toMatch(/runs and their database are untouched/)
  })
})
