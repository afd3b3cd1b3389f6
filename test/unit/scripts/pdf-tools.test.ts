/** The PDF report tests' poppler check: skip with a printed reason where poppler is missing, never silently in CI. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { onPath, pdfTools } from '../../helpers/pdf-tools'

const PATH = process.env['PATH']

describe('pdfTools', () => {
  afterEach(() => {
    process.env['PATH'] = PATH
    vi.restoreAllMocks()
  })

  it.skipIf(process.platform === 'win32')('finds pdftotext and pdftoppm when they are on PATH', () => {
    const bin = mkdtempSync(join(tmpdir(), 'atelier-poppler-'))
    try {
      for (const tool of ['pdftotext', 'pdftoppm']) {
        writeFileSync(join(bin, tool), '#!/bin/sh\necho "$0 version 24.02.0" >&2\n')
        chmodSync(join(bin, tool), 0o755)
      }
      process.env['PATH'] = bin
      expect(onPath('pdftotext')).toBe(true)
      expect(pdfTools({ CI: 'true' }, 'linux')).toEqual({ ok: true, reason: '' })
    } finally {
      rmSync(bin, { recursive: true, force: true })
    }
  })

  it('without poppler: skips with the reason printed locally and on the Windows runner, throws in CI on Linux and macOS', () => {
    process.env['PATH'] = ''
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const local = pdfTools({}, 'linux')
    expect(local.ok).toBe(false)
    expect(local.reason).toMatch(/SKIPPED: pdftotext and pdftoppm not found on PATH.*apt-get install poppler-utils.*brew install poppler/)
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^SKIPPED PDF read-back tests: /))
    expect(pdfTools({ CI: 'true' }, 'win32').ok).toBe(false)
    expect(() => pdfTools({ CI: 'true' }, 'linux')).toThrow(/CI installs poppler on Linux and macOS/)
    expect(() => pdfTools({ CI: 'true' }, 'darwin')).toThrow(/CI installs poppler/)
  })
})
