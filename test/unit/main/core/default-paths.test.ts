/** One profile resolver for every shell: ATELIER_USER_DATA_DIR keeps a test profile apart in the CLI and the browser shell too. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { resolveUserDataDir } from '@main/core/default-paths'
import { cliPaths } from '@main/cli/context'
import { openServeCore } from '@main/cli/serve-command'

const dirs: string[] = []
afterEach(() => {
  vi.unstubAllEnvs()
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }))
})

describe('resolveUserDataDir', () => {
  it('takes ATELIER_USER_DATA_DIR (made absolute) and otherwise the per-user folder', () => {
    expect(resolveUserDataDir({ ATELIER_USER_DATA_DIR: '/tmp/profile' }, 'linux')).toBe('/tmp/profile')
    expect(resolveUserDataDir({ ATELIER_USER_DATA_DIR: 'rel/profile' }, 'linux')).toBe(join(process.cwd(), 'rel/profile'))
    expect(resolveUserDataDir({ XDG_CONFIG_HOME: '/home/u/.config' }, 'linux')).toBe('/home/u/.config/Atelier')
    expect(resolveUserDataDir({ ATELIER_USER_DATA_DIR: '  ', XDG_CONFIG_HOME: '/c' }, 'linux')).toBe('/c/Atelier')
  })

  it('is where the CLI and the browser shell put the database and settings', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'atelier-profile-'))
    dirs.push(profile)
    vi.stubEnv('ATELIER_USER_DATA_DIR', profile)
    vi.stubEnv('ATELIER_DB', '')
    vi.stubEnv('ATELIER_DATA_DIR', '')
    expect(cliPaths({})).toEqual({ dataDir: join(profile, 'fashion-mnist'), dbPath: join(profile, 'atelier.db'), dataDirLocked: false })
    const core = await openServeCore({})
    try {
      core.settings.update({ concurrency: 1 })
      expect(existsSync(join(profile, 'atelier.db'))).toBe(true)
      expect(existsSync(join(profile, 'settings.json'))).toBe(true)
    } finally {
      await core.shutdown({ cancelRunning: true })
    }
  })
})
