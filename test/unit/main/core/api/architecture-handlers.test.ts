/**
 * The `architectures.*` channels through the real router and core: save, the same again (unchanged),
 * an edit (a new version), list, get a version, delete; a malformed architecture is refused with the
 * line `arch check` prints and nothing is stored.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { SavedArchitecture } from '@shared/architecture/saved-architecture'
import { createCore, forkTrainer } from '@main/core/core'

const dir = mkdtempSync(join(tmpdir(), 'atelier-architectures-api-'))
const core = await createCore({
  dataDir: join(dir, 'data'),
  dbPath: join(dir, 'atelier.db'),
  appVersion: 'test',
  settingsPath: null,
  spawnTrainer: forkTrainer,
  dialogs: { saveFile: async () => null, openFolder: async () => null },
  cores: 2
})
afterAll(async () => {
  await core.shutdown({ cancelRunning: true })
  rmSync(dir, { recursive: true, force: true })
})

const tiny = (units: number) => ({
  $schema: '../schema/architecture.schema.json',
  name: 'tiny',
  layers: [{ kind: 'flatten' }, { kind: 'dense', units, activation: 'relu' }, { kind: 'output' }]
})

describe('architectures channels', () => {
  it('saves versions, lists, gets and deletes', async () => {
    expect(await core.route('architectures.save', { architecture: tiny(32) })).toEqual({
      ok: true,
      data: { name: 'tiny', version: 1, created: true }
    })
    // The same architecture with its keys in another order and its defaults written out is unchanged.
    const sameAgain = {
      layers: [{ kind: 'flatten' }, { units: 32, activation: 'relu', kind: 'dense', bias: true }, { kind: 'output' }],
      name: 'tiny'
    }
    expect(await core.route('architectures.save', { architecture: sameAgain })).toEqual({
      ok: true,
      data: { name: 'tiny', version: 1, created: false }
    })
    expect(await core.route('architectures.save', { architecture: tiny(64) })).toEqual({
      ok: true,
      data: { name: 'tiny', version: 2, created: true }
    })

    const list = await core.route('architectures.list', {})
    expect(list).toMatchObject({ ok: true, data: [{ name: 'tiny', version: 2, versions: 2 }] })

    const first = await core.route('architectures.get', { name: 'tiny', version: 1 })
    expect(first).toMatchObject({ ok: true, data: { name: 'tiny', version: 1, versions: [{ version: 1 }, { version: 2 }] } })
    const { architecture } = (first as { data: SavedArchitecture }).data
    expect(architecture.layers[1]).toMatchObject({ kind: 'dense', units: 32 })
    expect(architecture).not.toHaveProperty('$schema')

    expect(await core.route('architectures.get', { name: 'tiny', version: 7 })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await core.route('architectures.delete', { name: 'tiny' })).toEqual({ ok: true, data: { name: 'tiny', versions: 2 } })
    expect(await core.route('architectures.get', { name: 'tiny' })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await core.route('architectures.delete', { name: 'tiny' })).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })

  it('refuses a malformed architecture with the one line arch check gives, storing nothing', async () => {
    const bad = { name: 'broken', layers: [{ kind: 'conv2d', filters: 0, kernel: 3 }, { kind: 'output' }] }
    expect(await core.route('architectures.save', { architecture: bad })).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: 'layer 0 (conv2d) field "filters": must be at least 1, not 0' }
    })
    expect(await core.route('architectures.get', { version: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(await core.route('architectures.list', {})).toEqual({ ok: true, data: [] })
  })
})
