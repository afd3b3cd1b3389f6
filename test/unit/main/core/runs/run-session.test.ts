/**
 * How a session records what the trainer reports about model files, with a scripted trainer host
 * (the real trainer is exercised in test/integration): epoch and checkpoint are stored together or
 * not at all, and a replaced checkpoint file is deleted only after the new one is recorded.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import type { TrainerEvent, TrainerRequest } from '@shared/trainer-protocol'
import { openRunStore, type RunStore } from '@main/core/store'
import { createModelStore, type ModelStore } from '@main/core/models/model-store'
import { RunSession, type RunSessionOptions, type SessionLease } from '@main/core/runs/run-session'
import type { TrainerExit, TrainerHost } from '@main/core/runs/trainer-host'
import { WASM_BACKEND, epochRecord } from '../store/fixtures/sample-run'
import { fashionLocation } from '../../../../helpers/real-data'

/** A trainer host the test drives by hand. */
function scriptedHost() {
  const sent: TrainerRequest[] = []
  let onMessage: (e: TrainerEvent) => void = () => undefined
  let onExit: (e: TrainerExit) => void = () => undefined
  const host: TrainerHost = {
    pid: 1,
    send: (r) => void sent.push(r),
    onMessage: (l) => void (onMessage = l),
    onExit: (l) => void (onExit = l),
    // Like a real process: the exit is reported later, not inside kill().
    kill: () => void setImmediate(() => onExit({ code: null, reason: 'was killed by SIGKILL' }))
  }
  return { host, sent, emit: (e: TrainerEvent) => onMessage(e), exit: (e: TrainerExit) => onExit(e) }
}

let dir: string
let store: RunStore
let models: ModelStore
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atelier-session-'))
  store = await openRunStore(':memory:')
  models = await createModelStore({ store, modelsDir: dir })
})
afterEach(async () => {
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})

/** A session of run `runId` driven by `trainer`, on this file's store and models unless `options` says otherwise. */
function sessionOf(runId: number, trainer: ReturnType<typeof scriptedHost>, options: Partial<RunSessionOptions> = {}): RunSession {
  return new RunSession({
    runId,
    hparams: defaultHparams('dense'),
    dataset: fashionLocation('/data'),
    backend: 'wasm',
    threads: 2,
    spawn: () => trainer.host,
    store,
    models,
    resume: null,
    emit: () => undefined,
    ...options
  })
}

async function startSession(lease?: SessionLease) {
  const run = await store.runs.insert({ name: 'r', hparams: { ...defaultHparams('dense'), epochs: 3 }, appVersion: 't' })
  if (lease) expect(await store.leases.claim(run.id, lease.owner, lease.ms)).toBe(true)
  const trainer = scriptedHost()
  const session = sessionOf(run.id, trainer, { lease })
  session.start()
  trainer.emit({ type: 'ready', runId: run.id, backend: WASM_BACKEND, datasetChecksum: 'x' })
  return { runId: run.id, trainer, session }
}

/** What the trainer does before posting an epoch: the file is on disk. */
function written(runId: number, epoch: number) {
  const file = `checkpoint-000${epoch}.atm`
  writeFileSync(join(models.modelsDir, `run-${runId}`, file), `checkpoint ${epoch}`)
  return { file, format: 'atelier-model/2', epoch, bytes: 12, sha256: 'cd'.repeat(32) }
}

describe('run session and model files', () => {
  it('tells the trainer its model folder, records each checkpoint with its epoch, and deletes the replaced file', async () => {
    const { runId, trainer, session } = await startSession()
    expect(trainer.sent[0]).toMatchObject({
      type: 'start',
      modelDir: join(models.modelsDir, `run-${runId}`),
      storeId: models.storeId,
      resume: null
    })
    trainer.emit({ type: 'epoch', runId, record: epochRecord(1), checkpoint: written(runId, 1) })
    trainer.emit({ type: 'epoch', runId, record: epochRecord(2), checkpoint: written(runId, 2) })
    await session.handled()
    expect(await store.modelFiles.get(runId, 'checkpoint')).toMatchObject({ epoch: 2, file: 'checkpoint-0002.atm' })
    expect(readdirSync(join(models.modelsDir, `run-${runId}`))).toEqual(['checkpoint-0002.atm'])
    expect((await store.runs.get(runId))?.history.map((e) => e.epoch)).toEqual([1, 2])
  })

  it('an epoch whose checkpoint cannot be recorded is not recorded either; the run fails with the previous checkpoint kept', async () => {
    const { runId, trainer, session } = await startSession()
    trainer.emit({ type: 'epoch', runId, record: epochRecord(1), checkpoint: written(runId, 1) })
    trainer.emit({ type: 'epoch', runId, record: epochRecord(2), checkpoint: { ...written(runId, 2), bytes: 0 } })
    const outcome = await session.finished
    expect(outcome.status).toBe('failed')
    expect(outcome.error).toMatch(/could not record the run: Cannot record the checkpoint of run \d+/)
    expect((await store.runs.get(runId))?.history.map((e) => e.epoch)).toEqual([1])
    expect((await store.modelFiles.get(runId, 'checkpoint'))?.epoch).toBe(1)
    expect(existsSync(join(models.modelsDir, `run-${runId}`, 'checkpoint-0001.atm'))).toBe(true)
  })

  it('a trainer that dies says the run can be resumed from its last checkpoint', async () => {
    const { runId, trainer, session } = await startSession()
    trainer.emit({ type: 'epoch', runId, record: epochRecord(1), checkpoint: written(runId, 1) })
    trainer.exit({ code: null, reason: 'was killed by SIGKILL' })
    expect((await session.finished).error).toBe(
      'The trainer process was killed by SIGKILL before the run finished; 1 completed epoch was kept. Resume it to continue after epoch 1.'
    )
  })
})

describe('run session order', () => {
  it('stores epochs in the order the trainer sent them and the final status after the last one, events likewise', async () => {
    const run = await store.runs.insert({ name: 'o', hparams: { ...defaultHparams('dense'), epochs: 3 }, appVersion: 't' })
    const trainer = scriptedHost()
    const events: string[] = []
    const session = sessionOf(run.id, trainer, {
      emit: (event, payload) => {
        if (event === 'runs.epoch') events.push(`epoch ${(payload as { record: { epoch: number } }).record.epoch}`)
        if (event === 'runs.updated')
          events.push(`${(payload as { status: string }).status} after ${(payload as { epochsDone: number }).epochsDone}`)
      }
    })
    session.start()
    // Everything at once, as a fast trainer's messages arrive: none may overtake another.
    trainer.emit({ type: 'ready', runId: run.id, backend: WASM_BACKEND, datasetChecksum: 'x' })
    for (const epoch of [1, 2, 3])
      trainer.emit({ type: 'epoch', runId: run.id, record: epochRecord(epoch), checkpoint: written(run.id, epoch) })
    trainer.emit({ type: 'done', runId: run.id, status: 'cancelled', metrics: null, predictions: null, model: null })
    expect(await session.finished).toEqual({ status: 'cancelled', error: null })
    expect((await store.runs.get(run.id))?.history.map((e) => e.epoch)).toEqual([1, 2, 3])
    expect(events).toEqual([
      'running after 0',
      'epoch 1',
      'running after 1',
      'epoch 2',
      'running after 2',
      'epoch 3',
      'running after 3',
      'cancelled after 3'
    ])
  })

  it('records a cancel after the epochs already reported, even when the trainer is killed', async () => {
    const { runId, trainer, session } = await startSession()
    trainer.emit({ type: 'epoch', runId, record: epochRecord(1), checkpoint: written(runId, 1) })
    session.cancel()
    trainer.exit({ code: null, reason: 'was killed by SIGKILL' })
    expect(await session.finished).toEqual({ status: 'cancelled', error: null })
    expect(await store.runs.get(runId)).toMatchObject({ status: 'cancelled', epochsDone: 1 })
  })
})

describe('run session phases', () => {
  it('says what the trainer is doing from spawn to the end: starting, loading data, training, evaluating, then nothing', async () => {
    const run = await store.runs.insert({ name: 'p', hparams: { ...defaultHparams('dense'), epochs: 1 }, appVersion: 't' })
    const trainer = scriptedHost()
    const phases: unknown[] = []
    const session = sessionOf(run.id, trainer, {
      emit: (event, payload) => event === 'runs.phase' && phases.push((payload as { phase: unknown }).phase)
    })
    session.start()
    trainer.emit({ type: 'phase', runId: run.id, phase: 'loading-data' })
    trainer.emit({ type: 'ready', runId: run.id, backend: WASM_BACKEND, datasetChecksum: 'x' })
    trainer.emit({ type: 'phase', runId: run.id, phase: 'training' })
    trainer.emit({ type: 'phase', runId: run.id, phase: 'evaluating' })
    session.cancel()
    trainer.emit({ type: 'done', runId: run.id, status: 'cancelled', metrics: null, predictions: null, model: null })
    await session.finished
    expect(phases).toEqual(['starting', 'loading-data', 'training', 'evaluating', null])
  })
})

describe('run session under a lease (a worker of a team store)', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  it('records while it holds the lease; once another worker took the run it stops the trainer and writes nothing more', async () => {
    const { runId, trainer, session } = await startSession({ owner: 'worker-a', ms: 60_000 })
    trainer.emit({ type: 'epoch', runId, record: epochRecord(1), checkpoint: written(runId, 1) })
    await session.handled()
    // worker-a stalls past its lease (here: the lease is cut short) and worker-b takes the run over.
    expect(await store.leases.claim(runId, 'worker-a', 1)).toBe(true)
    await sleep(20)
    expect(await store.leases.claim(runId, 'worker-b', 60_000)).toBe(true)
    trainer.emit({ type: 'epoch', runId, record: epochRecord(2), checkpoint: written(runId, 2) })
    const outcome = await session.finished
    expect(outcome).toMatchObject({ leaseLost: true })
    expect(outcome.error).toContain('another worker took the run over')
    expect((await store.epochs.list(runId)).map((e) => e.epoch)).toEqual([1])
    expect((await store.modelFiles.get(runId, 'checkpoint'))?.epoch).toBe(1)
    // The run stays the new holder's: still running, not failed, its lease untouched.
    expect((await store.runs.get(runId))?.status).toBe('running')
    expect((await store.leases.get(runId))?.owner).toBe('worker-b')
  })

  it('notices a lost lease between writes through its renewals', async () => {
    const { runId, session } = await startSession({ owner: 'worker-a', ms: 1000 })
    await session.handled()
    await store.leases.release(runId, 'worker-a')
    expect(await store.leases.claim(runId, 'worker-b', 60_000)).toBe(true)
    const outcome = await session.finished
    expect(outcome.leaseLost).toBe(true)
    expect((await store.runs.get(runId))?.status).toBe('running')
  })

  it('passes a cancel asked from another machine to its trainer, then records the cancel and releases the lease', async () => {
    const { runId, trainer, session } = await startSession({ owner: 'worker-a', ms: 1000 })
    await session.handled()
    expect(await store.leases.requestCancel(runId)).toBe(true)
    for (let i = 0; i < 40 && !trainer.sent.some((r) => r.type === 'cancel'); i++) await sleep(50)
    expect(trainer.sent.at(-1)).toEqual({ type: 'cancel', runId })
    trainer.emit({ type: 'done', runId, status: 'cancelled', metrics: null, predictions: null, model: null })
    expect(await session.finished).toEqual({ status: 'cancelled', error: null })
    expect((await store.runs.get(runId))?.status).toBe('cancelled')
    expect(await store.leases.get(runId)).toBeNull()
  })
})

describe('run session when the database connection drops', () => {
  it('writes the epoch again on a new connection instead of failing the run', async () => {
    const run = await store.runs.insert({ name: 'r', hparams: { ...defaultHparams('dense'), epochs: 3 }, appVersion: 't' })
    const trainer = scriptedHost()
    let drops = 1
    // The store as a team store behaves when the server ends the connection under one transaction.
    const flaky = new Proxy(store, {
      get: (target, key) =>
        key === 'transaction'
          ? (fn: Parameters<RunStore['transaction']>[0]) =>
              drops-- > 0
                ? Promise.reject(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))
                : target.transaction(fn)
          : Reflect.get(target, key)
    })
    const session = sessionOf(run.id, trainer, { store: flaky })
    session.start()
    trainer.emit({ type: 'ready', runId: run.id, backend: WASM_BACKEND, datasetChecksum: 'x' })
    trainer.emit({ type: 'epoch', runId: run.id, record: epochRecord(1), checkpoint: written(run.id, 1) })
    await session.handled()
    // The first write (the start) met the drop and went through on its second try.
    expect(drops).toBeLessThan(0)
    expect((await store.runs.get(run.id))?.status).toBe('running')
    expect((await store.epochs.list(run.id)).map((e) => e.epoch)).toEqual([1])
    session.cancel()
    trainer.emit({ type: 'done', runId: run.id, status: 'cancelled', metrics: null, predictions: null, model: null })
    expect((await session.finished).status).toBe('cancelled')
  })
})
