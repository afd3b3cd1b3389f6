/** Choosing a team store in Settings: checked against the server before it is saved, its password never sent to the page. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppInfo, Settings } from '@shared/api'
import { createCore, forkTrainer, type Core } from '@main/core/core'
import { freshDatabase, postgresMissing, postgresUrl } from './databases'

const PASSWORD = new URL(postgresUrl ?? 'postgres://x:y@h/d').password

describe.skipIf(!postgresUrl)(`a team store chosen in Settings${postgresUrl ? '' : ` (skipped: ${postgresMissing})`}`, () => {
  const work = mkdtempSync(join(tmpdir(), 'atelier-settings-url-'))
  const settingsPath = join(work, 'settings.json')
  let url: string
  let drop: () => Promise<void>
  let core: Core

  beforeAll(async () => {
    const db = await freshDatabase()
    url = db.url
    drop = db.drop
    core = await createCore({
      dataDir: join(work, 'fashion'),
      dbPath: join(work, 'atelier.db'),
      appVersion: 't',
      settingsPath,
      spawnTrainer: forkTrainer,
      dialogs: { saveFile: async () => null, openFolder: async () => null },
      watchIntervalMs: 0
    })
  })
  afterAll(async () => {
    await core?.shutdown({ cancelRunning: true })
    await drop?.()
    rmSync(work, { recursive: true, force: true })
  })

  const update = (changes: Partial<Settings>) => core.route('settings.update', changes)

  it('saves a URL that answers, keeps its password on this machine only, and takes a masked password back as the saved one', async () => {
    const saved = await update({ dbPath: url })
    expect(saved.ok, JSON.stringify(saved)).toBe(true)
    expect(JSON.stringify(saved)).not.toContain(PASSWORD)
    expect((saved.ok && (saved.data as Settings).dbPath) || '').toContain(':***@')
    const got = await core.route('settings.get', {})
    expect(JSON.stringify(got)).not.toContain(PASSWORD)
    // The next start reads the real URL from this machine's settings file.
    expect(JSON.parse(readFileSync(settingsPath, 'utf8')).dbPath).toBe(url)

    // The page sends back what it shows (masked): the saved password stands.
    const masked = (got.ok && (got.data as Settings).dbPath) || ''
    expect(masked).toContain(':***@')
    const again = await update({ dbPath: masked })
    expect(again.ok, JSON.stringify(again)).toBe(true)
    expect(JSON.parse(readFileSync(settingsPath, 'utf8')).dbPath).toBe(url)

    const info = await core.route('app.info', {})
    expect(JSON.stringify(info)).not.toContain(PASSWORD)
    expect(info.ok && (info.data as AppInfo).dbPath).toBe(join(work, 'atelier.db'))
  })

  it('refuses a URL whose password is wrong or that is not a URL, saying why, and keeps the saved one', async () => {
    const before = readFileSync(settingsPath, 'utf8')
    const wrong = await update({ dbPath: url.replace(`:${PASSWORD}@`, ':not-the-password@') })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(!wrong.ok && wrong.error.message).toMatch(/password.*Nothing was saved/s)
    expect(JSON.stringify(wrong)).not.toContain('not-the-password')
    const broken = await update({ dbPath: 'postgres://user:pw@[bad' })
    expect(broken).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(readFileSync(settingsPath, 'utf8')).toBe(before)
  })
})
