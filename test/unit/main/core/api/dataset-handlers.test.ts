/**
 * The `datasets.*` channels and run start through the real router and core: a run, a group or a sweep
 * on a dataset that is unknown or not on disk, or with a subset larger than its training set, is
 * refused and nothing is recorded; a queued run whose dataset vanished fails and the queue goes on.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ApiResult } from '@shared/api'
import type { DatasetInfo } from '@shared/dataset'
import { defaultHparams } from '@shared/hparams'
import type { BackendChoice, TrainerEvent, TrainerRequest } from '@shared/trainer-protocol'
import { createCore, type Core } from '@main/core/core'
import type { TrainerHost } from '@main/core/runs/trainer-host'
import { realDataDir } from '../../../../helpers/real-data'
import { WASM_BACKEND } from '../store/fixtures/sample-run'

const real = realDataDir()
const made: { core: Core; dir: string }[] = []
afterEach(async () => {
  for (const { core, dir } of made.splice(0)) {
    await core.shutdown({ cancelRunning: true })
    rmSync(dir, { recursive: true, force: true })
  }
})

const HASH = 'd'.repeat(64)

/** A trainer that never trains: it says it read the dataset, answers cancel by exiting, and records what it was sent. */
function quietTrainer(sent: TrainerRequest[]): () => TrainerHost {
  return () => {
    let exit: ((e: { code: number | null; reason: string }) => void) | null = null
    let message: ((event: TrainerEvent) => void) | null = null
    return {
      pid: undefined,
      send(request) {
        sent.push(request)
        if (request.type === 'start') {
          const ready: TrainerEvent = { type: 'ready', runId: request.runId, backend: WASM_BACKEND, datasetChecksum: HASH }
          queueMicrotask(() => message?.(ready))
        }
        if (request.type === 'cancel') queueMicrotask(() => exit?.({ code: 0, reason: 'exited' }))
      },
      onMessage: (listener) => (message = listener),
      onExit: (listener) => (exit = listener),
      kill: () => undefined
    }
  }
}

async function open(
  options: { dataDir?: string; sent?: TrainerRequest[]; folder?: string | null; backend?: BackendChoice } = {}
): Promise<Core> {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-datasets-api-'))
  const core = await createCore({
    dataDir: options.dataDir ?? join(dir, 'fashion'),
    dbPath: join(dir, 'atelier.db'),
    datasetsDir: join(dir, 'datasets'),
    appVersion: 'test',
    dataDirLocked: true,
    settingsPath: null,
    cores: 1,
    backend: options.backend,
    spawnTrainer: quietTrainer(options.sent ?? []),
    dialogs: { saveFile: async () => null, openFolder: async () => options.folder ?? null }
  })
  made.push({ core, dir })
  return core
}

const failure = (result: ApiResult<unknown>) => (result.ok ? null : result.error)

/** A folder dataset row whose cache file exists (what a folder import leaves). */
async function addPets(core: Core, name = 'pets', side = 16): Promise<string> {
  const file = join(made.find((m) => m.core === core)!.dir, `${name}.atds`)
  writeFileSync(file, 'cache')
  await core.store.datasets.insert({
    name,
    title: name,
    source: 'folder',
    contentHash: 'c'.repeat(64),
    shape: { height: side, width: side, channels: 3 },
    classNames: ['cat', 'dog'],
    trainCount: 400,
    testCount: 100,
    preprocessing: { fit: 'cover', height: side, width: side, color: 'rgb', scale: 1 / 255 },
    location: file,
    report: null,
    createdAt: new Date().toISOString()
  })
  return file
}

describe('run start checks the dataset', () => {
  it('refuses an unknown dataset, one not on disk and a subset larger than the training set, recording nothing', async () => {
    const core = await open()
    await addPets(core)
    const unknown = failure(await core.route('runs.start', { hparams: { ...defaultHparams('dense'), dataset: 'nope' } }))
    expect(unknown).toMatchObject({ code: 'not_found', message: expect.stringMatching(/There is no dataset named nope/) })
    const missing = failure(await core.route('runs.start', { hparams: { ...defaultHparams('dense'), dataset: 'mnist' } }))
    expect(missing).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^Dataset mnist cannot be used now: /) })
    const subset = failure(await core.route('runs.start', { hparams: { ...defaultHparams('dense'), dataset: 'pets', trainSubset: 1000 } }))
    expect(subset).toMatchObject({
      code: 'conflict',
      message:
        'A training subset of 1,000 images is more than pets has (400 training images); choose at most 400, or no subset. Nothing was started.'
    })
    await addPets(core, 'icons', 8)
    const small = failure(await core.route('runs.start', { hparams: { ...defaultHparams('cnn-shallow'), dataset: 'icons' } }))
    expect(small).toMatchObject({
      code: 'conflict',
      message:
        'The Shallow CNN preset needs larger images than 8×8: its MaxPool 2×2 layer would have no pixels left (dataset icons); choose another preset. Nothing was started.'
    })
    const repeats = failure(
      await core.route('runs.startRepeats', { hparams: { ...defaultHparams('dense'), dataset: 'mnist' }, repeats: 3 })
    )
    expect(repeats?.code).toBe('conflict')
    const sweep = failure(
      await core.route('sweeps.start', {
        spec: {
          preset: 'dense',
          mode: 'grid',
          learningRate: { min: 0.001, max: 0.001, count: 1 },
          batchSizes: [32],
          epochs: [1],
          validationSplits: [0.1],
          seeds: { base: 1, count: 2 },
          trainSubset: 500,
          dataset: 'pets'
        }
      })
    )
    expect(sweep?.message).toMatch(/more than pets has \(400 training images\)/)
    expect(await core.runs.list()).toEqual([])
    expect(await core.groups.listGroups()).toEqual([])
  })

  it('refuses a batch that cannot fit in WebAssembly memory, but not a run that trained before or one tfjs-node trains', async () => {
    const core = await open()
    await addPets(core, 'photos', 96)
    // 400 training images less the 10 % validation split: batches of 512 hold 360 of them at most.
    const h = { ...defaultHparams('cnn-bn'), dataset: 'photos', batchSize: 512 }
    expect(failure(await core.route('runs.start', { hparams: h }))).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(
        /^CNN \+ BatchNorm: training needs at least [\d.]+ GB of memory in batches of 360, .*use batches of at most \d+ images.* \(dataset photos\)\. Nothing was started\.$/
      )
    })
    expect(await core.runs.list()).toEqual([])
    // Resume and train-more check a run that already trained in what it needs: no memory refusal.
    await expect(core.runs.checkDataset(h, { trainedBefore: true })).resolves.toMatchObject({ trainCount: 400 })
    const native = await open({ backend: 'tensorflow' })
    await addPets(native, 'photos', 96)
    expect((await native.route('runs.start', { hparams: h })).ok).toBe(true)
    // New run refuses inline only where the core would.
    expect(await core.route('app.info', {})).toMatchObject({ ok: true, data: { memoryBound: true } })
    expect(await native.route('app.info', {})).toMatchObject({ ok: true, data: { memoryBound: false } })
  })

  it('tells the trainer where the dataset is and what it holds', async () => {
    const sent: TrainerRequest[] = []
    const core = await open({ sent })
    const file = await addPets(core)
    const started = await core.route('runs.start', { hparams: { ...defaultHparams('dense'), dataset: 'pets', trainSubset: 200 } })
    expect(started.ok).toBe(true)
    expect(sent[0]).toMatchObject({
      type: 'start',
      dataset: { kind: 'cache', file, ref: { name: 'pets', classNames: ['cat', 'dog'], contentHash: 'c'.repeat(64) } }
    })
  })

  it.skipIf(!real.dir)(`fails a queued run whose dataset vanished, and the queue goes on${real.reason}`, async () => {
    const sent: TrainerRequest[] = []
    const core = await open({ dataDir: real.dir!, sent })
    const file = await addPets(core)
    const first = await core.runs.start(defaultHparams('dense'))
    const waiting = await core.runs.start({ ...defaultHparams('dense'), dataset: 'pets' })
    const after = await core.runs.start(defaultHparams('dense'))
    expect(core.runs.queue.queued()).toEqual([waiting.id, after.id])
    rmSync(file)
    await core.runs.cancel(first.id)
    await core.runs.queue.outcome(first.id)
    await new Promise((r) => setTimeout(r, 10))
    const failed = await core.runs.get(waiting.id)
    expect(failed.status).toBe('failed')
    expect(failed.errorMessage).toMatch(
      /Dataset pets cannot be used now: Its cache file .* is missing.* The run did not start; fix or add the dataset, then re-run it\./
    )
    expect(core.runs.queue.running()).toEqual([after.id])
    expect(sent.filter((r) => r.type === 'start').map((r) => r.runId)).toEqual([first.id, after.id])
  })

  it.skipIf(!real.dir)(`records Fashion-MNIST with the content hash its trainer read, for every run on it${real.reason}`, async () => {
    const core = await open({ dataDir: real.dir! })
    expect(await core.store.datasets.get('fashion-mnist')).toBeNull()
    const run = await core.runs.start(defaultHparams('dense'))
    await new Promise((r) => setTimeout(r, 10))
    expect(await core.store.datasets.get('fashion-mnist')).toMatchObject({ contentHash: HASH, location: real.dir })
    expect((await core.runs.get(run.id)).dataset).toMatchObject({ name: 'fashion-mnist', contentHash: HASH })
  })
})

describe('datasets channels', () => {
  it('lists every dataset, picks a folder with the dialog and refuses removing one that runs use', async () => {
    const core = await open({ folder: '/somewhere/photos' })
    await addPets(core)
    await core.store.runs.insert({ name: 'r', hparams: { ...defaultHparams('dense'), dataset: 'pets' }, appVersion: 't' })
    const list = (await core.route('datasets.list', {})) as ApiResult<DatasetInfo[]>
    expect(list.ok && list.data.map((d) => [d.name, d.runCount])).toEqual([
      ['fashion-mnist', 0],
      ['mnist', 0],
      ['kmnist', 0],
      ['cifar10', 0],
      ['pets', 1]
    ])
    expect(await core.route('datasets.pickFolder', {})).toEqual({ ok: true, data: { folder: '/somewhere/photos' } })
    const refused = failure(await core.route('datasets.remove', { name: 'pets', withRuns: false }))
    expect(refused).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^1 run trained on pets, so it was not removed/) })
    expect(await core.route('datasets.remove', { name: 'pets', withRuns: true })).toEqual({
      ok: true,
      data: { removed: 'pets', runsDeleted: 1 }
    })
    expect(await core.runs.list()).toEqual([])
  })

  it('refuses a folder import under a name already taken, in one line', async () => {
    const core = await open()
    await addPets(core)
    const taken = failure(await core.route('datasets.addFolder', { name: 'pets', folder: tmpdir() }))
    expect(taken).toMatchObject({
      code: 'conflict',
      message: 'A dataset named pets already exists; choose another name or remove it first. Nothing was imported.'
    })
  })
})
