import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { forkTrainer } from '@main/core/core'
import { openCoreWithFallback } from '@main/core/open-core'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

function options(dir: string, dbPath: string) {
  return {
    dataDir: join(dir, 'data'),
    dbPath,
    appVersion: 'test',
    settingsPath: null,
    spawnTrainer: forkTrainer,
    dialogs: { saveFile: async () => null, openFolder: async () => null }
  }
}

describe('openCoreWithFallback', () => {
  it('opens the default database, with a warning, when the chosen one is broken, and leaves the broken file as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atelier-open-'))
    dirs.push(dir)
    const chosen = join(dir, 'chosen.db')
    writeFileSync(chosen, 'not a database')
    const { core, warning } = await openCoreWithFallback(options(dir, chosen), join(dir, 'atelier.db'))
    expect(warning).toMatch(/not a readable Atelier run database[\s\S]*opened its default database/)
    expect(await core.runs.list()).toEqual([])
    await core.shutdown({ cancelRunning: false })
    expect(readFileSync(chosen, 'utf8')).toBe('not a database')
  })

  it('fails as before when the default database itself cannot be opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atelier-open-'))
    dirs.push(dir)
    const broken = join(dir, 'atelier.db')
    writeFileSync(broken, 'not a database')
    await expect(openCoreWithFallback(options(dir, broken), broken)).rejects.toThrow(/not a readable Atelier run database/)
  })
})
