import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import { createCore, forkTrainer } from '@main/core/core'

const dir = mkdtempSync(join(tmpdir(), 'atelier-router-'))
const core = await createCore({
  dataDir: join(dir, 'data'),
  dbPath: join(dir, 'atelier.db'),
  appVersion: 'test',
  settingsPath: join(dir, 'settings.json'),
  spawnTrainer: forkTrainer,
  dialogs: { saveFile: async () => null, openFolder: async () => null },
  cores: 2
})
afterAll(async () => {
  await core.shutdown({ cancelRunning: true })
  rmSync(dir, { recursive: true, force: true })
})

describe('API router', () => {
  it('rejects an unknown channel and invalid requests with typed errors, starting nothing', async () => {
    expect(await core.route('runs.nuke', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } })
    const bad = await core.route('runs.start', { hparams: { ...defaultHparams('dense'), epochs: 0 } })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request', fieldErrors: [{ path: 'hparams.epochs' }] } })
    expect(await core.route('runs.get', { id: 'DROP TABLE runs' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(await core.route('runs.list', { extra: true })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(await core.route('runs.list', {})).toEqual({ ok: true, data: [] })
  })

  it('refuses a custom run without its architecture, and a preset run with one, at the boundary', async () => {
    const architecture = { name: 'tiny', layers: [{ kind: 'flatten' }, { kind: 'output' }] }
    const noArchitecture = await core.route('runs.start', { hparams: { ...defaultHparams('dense'), preset: 'custom' } })
    expect(noArchitecture).toMatchObject({ ok: false, error: { code: 'invalid_request', fieldErrors: [{ path: 'hparams.architecture' }] } })
    const presetWithOne = await core.route('runs.start', { hparams: { ...defaultHparams('dense'), architecture } })
    expect(presetWithOne).toMatchObject({ ok: false, error: { code: 'invalid_request', fieldErrors: [{ path: 'hparams.architecture' }] } })
    const badLayer = await core.route('runs.start', {
      hparams: { ...defaultHparams('dense'), preset: 'custom', architecture: { name: 'x', layers: [{ kind: 'conv9d' }] } }
    })
    expect(badLayer).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(await core.route('runs.list', {})).toEqual({ ok: true, data: [] })
  })

  it('maps missing runs and impossible actions to not_found and conflict', async () => {
    expect(await core.route('runs.get', { id: 12345 })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await core.route('settings.update', { concurrency: 16 })).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(await core.route('settings.update', { concurrency: 2, theme: 'dark' })).toMatchObject({
      ok: true,
      data: { concurrency: 2, theme: 'dark' }
    })
  })

  it('takes where: workers for repeats and sweeps, and a SQLite store refuses it with nothing recorded', async () => {
    const noTeam = /needs a team store: open a PostgreSQL store/
    expect(await core.route('team.status', {})).toMatchObject({ ok: true, data: { kind: 'local', reason: expect.stringMatching(noTeam) } })
    const submit = await core.route('runs.submit', { hparams: defaultHparams('dense') })
    expect(submit).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(noTeam) } })
    const repeats = await core.route('runs.startRepeats', { hparams: defaultHparams('dense'), repeats: 2, where: 'workers' })
    expect(repeats).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(noTeam) } })
    const spec = {
      preset: 'dense',
      mode: 'grid',
      learningRate: { min: 0.001, max: 0.001, count: 1 },
      batchSizes: [32],
      epochs: [1],
      validationSplits: [0.1],
      seeds: { base: 1, count: 1 },
      trainSubset: 500
    }
    const sweep = await core.route('sweeps.start', { spec, where: 'workers' })
    expect(sweep).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(noTeam) } })
    const elsewhere = await core.route('sweeps.start', { spec, where: 'moon' })
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'invalid_request', fieldErrors: [{ path: 'where' }] } })
    expect(await core.route('runs.list', {})).toEqual({ ok: true, data: [] })
    expect(await core.route('sweeps.list', {})).toEqual({ ok: true, data: [] })
  })

  it('keeps settings across a restart', async () => {
    const again = await createCore({
      dataDir: join(dir, 'data'),
      dbPath: join(dir, 'atelier.db'),
      appVersion: 'test',
      settingsPath: join(dir, 'settings.json'),
      spawnTrainer: forkTrainer,
      dialogs: { saveFile: async () => null, openFolder: async () => null }
    })
    expect(again.settings.get()).toMatchObject({ concurrency: 2, theme: 'dark' })
    void again.shutdown({ cancelRunning: false })
  })
})
