/**
 * A team store's model files through its database, with machines simulated by model stores whose
 * folders are apart and whose only link is the PostgreSQL database: a checkpoint one machine trained
 * is loaded and resumed on another, damage is refused with the run named and nothing changed, the run
 * session stores a file before recording its row, and blobs no row names are swept, the others kept.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import type { TrainerEvent, WrittenModelFile } from '@shared/trainer-protocol'
import { createCore } from '@main/core/core'
import { BLOB_SCHEMA, createPostgresBlobs, ensureBlobSchema, type PostgresBlobs } from '@main/core/blobs/postgres-blobs'
import { encodeModelFile, MODEL_FILE_FORMAT, sha256Hex } from '@main/core/models/model-file'
import { modelFileName } from '@main/core/models/model-file-names'
import { createModelStore, type ModelStore } from '@main/core/models/model-store'
import { RunSession } from '@main/core/runs/run-session'
import type { TrainerHost } from '@main/core/runs/trainer-host'
import { openRunStore, type ModelFileKind, type RunStore } from '@main/core/store'
import { fashionLocation } from '../helpers/real-data'
import { epochRecord, WASM_BACKEND } from '../unit/main/core/store/fixtures/sample-run'
import { freshDatabase, postgresMissing, postgresUrl } from './databases'

interface Machine {
  store: RunStore
  pool: pg.Pool
  blobs: PostgresBlobs
  models: ModelStore
  modelsRoot: string
}

describe.skipIf(!postgresUrl)(`model files of a team store${postgresUrl ? '' : ` (skipped: ${postgresMissing})`}`, () => {
  let url: string
  let drop: () => Promise<void>
  let dir: string
  const machines: Machine[] = []

  beforeAll(async () => {
    const db = await freshDatabase()
    url = db.url
    drop = db.drop
    dir = mkdtempSync(join(tmpdir(), 'atelier-model-blobs-'))
  })
  afterAll(async () => {
    for (const m of machines) {
      await m.models.idle()
      await m.store.close()
      await m.pool.end()
    }
    rmSync(dir, { recursive: true, force: true })
    await drop?.()
  })

  /** One machine: its own connections and an empty models folder of its own. */
  async function machine(name: string): Promise<Machine> {
    const store = await openRunStore(url)
    const pool = new pg.Pool({ connectionString: url, max: 3 })
    pool.on('error', () => undefined)
    await ensureBlobSchema(pool)
    const modelsRoot = join(dir, name)
    const blobs = createPostgresBlobs({ pool, cacheDir: join(modelsRoot, 'blob-cache') })
    const models = await createModelStore({ store, modelsDir: modelsRoot, blobs })
    const m = { store, pool, blobs, models, modelsRoot }
    machines.push(m)
    return m
  }

  const newRun = async (m: Machine): Promise<number> =>
    (await m.store.runs.insert({ name: 'r', hparams: defaultHparams('dense'), appVersion: 't' })).id

  /** A model file as the trainer writes it into the run's folder on `m`. */
  function write(m: Machine, runId: number, kind: ModelFileKind, epoch: number): { record: WrittenModelFile; bytes: Uint8Array } {
    const weights = new Uint8Array(new Float32Array([runId, epoch, kind === 'model' ? 1 : 0, 0.5]).buffer)
    const bytes = encodeModelFile({
      kind,
      epoch,
      owner: { runId, storeId: m.models.storeId },
      modelTopology: { class_name: 'Sequential', config: { name: 'm', layers: [] } },
      weightSpecs: [{ name: 'w', shape: [4], dtype: 'float32' }],
      sections: { weights }
    })
    const file = modelFileName(kind, epoch)
    writeFileSync(join(m.models.prepareRunDir(runId), file), bytes)
    return { record: { file, format: MODEL_FILE_FORMAT, epoch, bytes: bytes.byteLength, sha256: sha256Hex(bytes) }, bytes }
  }

  /** What the run session does with a file the trainer wrote: store it, then record it (and delete the one replaced). */
  async function train(m: Machine, runId: number, kind: ModelFileKind, epoch: number): Promise<{ sha256: string; bytes: Uint8Array }> {
    const { record, bytes } = write(m, runId, kind, epoch)
    await m.models.publish(runId, record)
    m.models.removeFile(runId, await m.store.modelFiles.record(runId, kind, record))
    return { sha256: record.sha256, bytes }
  }

  const runDirOf = (m: Machine, runId: number): string => join(m.models.modelsDir, `run-${runId}`)
  const age = (m: Machine, hashes: string[]) =>
    m.pool.query(`UPDATE ${BLOB_SCHEMA}.blobs SET created_at = now() - interval '2 hours' WHERE sha256 = ANY($1)`, [hashes])

  it("loads and resumes on one machine a run another machine trained, fetching its files into this machine's folder", async () => {
    const a = await machine('load-a')
    const runId = await newRun(a)
    const checkpoint = await train(a, runId, 'checkpoint', 2)

    const b = await machine('load-b')
    expect(existsSync(runDirOf(b, runId))).toBe(false)
    const artifacts = await b.models.loadModelArtifacts(runId)
    expect(new Float32Array(artifacts.weightData as ArrayBuffer)).toEqual(new Float32Array([runId, 2, 0, 0.5]))
    expect(readFileSync(join(runDirOf(b, runId), 'checkpoint-0002.atm'))).toEqual(Buffer.from(checkpoint.bytes))
    // The staging copy moved into the run's folder: one local copy per machine.
    expect(readdirSync(join(b.modelsRoot, 'blob-cache')).flatMap((d) => readdirSync(join(b.modelsRoot, 'blob-cache', d)))).toEqual([])

    const c = await machine('load-c')
    expect(await c.models.localCheckpoint(runId)).toMatchObject({ kind: 'checkpoint', epoch: 2, sha256: checkpoint.sha256 })
    expect(sha256Hex(readFileSync(join(runDirOf(c, runId), 'checkpoint-0002.atm')))).toBe(checkpoint.sha256)
    expect((await c.models.verifiedCheckpoint(runId)).epoch).toBe(2)

    // Its final model, trained on A after the run completed there, is what B loads next.
    await train(a, runId, 'model', 3)
    const model = await b.models.loadModelArtifacts(runId)
    expect(new Float32Array(model.weightData as ArrayBuffer)).toEqual(new Float32Array([runId, 3, 1, 0.5]))
    expect(readdirSync(runDirOf(b, runId)).sort()).toEqual(['checkpoint-0002.atm', 'model-0003.atm'])
    // A run without a checkpoint has nothing to resume from.
    expect(await c.models.localCheckpoint(await newRun(a))).toBeNull()
  })

  it('fetches the recorded bytes over a stale file of the same name on this machine', async () => {
    const a = await machine('stale-a')
    const b = await machine('stale-b')
    const runId = await newRun(a)
    const { sha256 } = await train(a, runId, 'checkpoint', 4)
    writeFileSync(join(b.models.prepareRunDir(runId), 'checkpoint-0004.atm'), 'an older epoch 4 of this run')
    await b.models.localCheckpoint(runId)
    expect(sha256Hex(readFileSync(join(runDirOf(b, runId), 'checkpoint-0004.atm')))).toBe(sha256)
  })

  it('refuses a damaged or missing blob with the run named, and changes nothing', async () => {
    const a = await machine('damage-a')
    const runId = await newRun(a)
    const { sha256 } = await train(a, runId, 'checkpoint', 2)
    const rows = await a.store.modelFiles.list(runId)
    const b = await machine('damage-b')

    await a.pool.query(`UPDATE ${BLOB_SCHEMA}.chunks SET data = $2 WHERE sha256 = $1`, [sha256, Buffer.from('not the checkpoint')])
    await expect(b.models.loadModelArtifacts(runId)).rejects.toThrow(
      new RegExp(`The checkpoint of run ${runId} is not on this machine .*is damaged.*The run and its history were left unchanged`)
    )
    await expect(b.models.localCheckpoint(runId)).rejects.toThrow(new RegExp(`checkpoint of run ${runId}.*is damaged`))
    expect(existsSync(runDirOf(b, runId))).toBe(false)

    await a.pool.query(`DELETE FROM ${BLOB_SCHEMA}.blobs WHERE sha256 = $1`, [sha256])
    await expect(b.models.verifiedCheckpoint(runId)).rejects.toThrow(
      new RegExp(`The checkpoint of run ${runId} is not on this machine .*holds no model file with SHA-256 ${sha256}`)
    )
    expect(existsSync(runDirOf(b, runId))).toBe(false)
    expect(await b.store.modelFiles.list(runId)).toEqual(rows)
    // The machine that trained it still has its own copy.
    expect((await a.models.verifiedCheckpoint(runId)).sha256).toBe(sha256)
  })

  it('refuses to publish a file that is not the one the trainer reported', async () => {
    const a = await machine('mismatch')
    const runId = await newRun(a)
    const { record } = write(a, runId, 'checkpoint', 1)
    await expect(a.models.publish(runId, { ...record, sha256: 'ab'.repeat(32) })).rejects.toThrow(
      new RegExp(`The file checkpoint-0001.atm of run ${runId} .* is not the file the trainer reported.*It was not recorded`)
    )
    await expect(a.models.publish(runId, { ...write(a, runId, 'checkpoint', 2).record, file: 'checkpoint-0009.atm' })).rejects.toThrow(
      /could not be stored in the team store's database .*ENOENT.*so it was not recorded/
    )
  })

  it('the run session stores a checkpoint before its row, and records nothing when it cannot', async () => {
    const a = await machine('session')
    const runId = await newRun(a)
    let post: (e: TrainerEvent) => void = () => undefined
    const host: TrainerHost = {
      pid: 1,
      send: () => undefined,
      onMessage: (l) => void (post = l),
      onExit: () => undefined,
      kill: () => undefined
    }
    const session = new RunSession({
      runId,
      hparams: defaultHparams('dense'),
      dataset: fashionLocation('/data'),
      backend: 'wasm',
      threads: 1,
      spawn: () => host,
      store: a.store,
      models: a.models,
      resume: null,
      emit: () => undefined
    })
    session.start()
    post({ type: 'ready', runId, backend: WASM_BACKEND, datasetChecksum: 'x' })
    const first = write(a, runId, 'checkpoint', 1).record
    post({ type: 'epoch', runId, record: epochRecord(1), checkpoint: first })
    await session.handled()
    expect(await a.blobs.has(first.sha256)).toBe(true)
    expect((await a.store.modelFiles.get(runId, 'checkpoint'))?.sha256).toBe(first.sha256)

    // The trainer reports a file other than the one on disk: neither the epoch nor the file is recorded.
    post({
      type: 'epoch',
      runId,
      record: epochRecord(2),
      checkpoint: { ...write(a, runId, 'checkpoint', 2).record, sha256: 'ef'.repeat(32) }
    })
    const outcome = await session.finished
    expect(outcome).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/could not record the run: .*not the file the trainer reported/)
    })
    expect((await a.store.runs.get(runId))?.history.map((e) => e.epoch)).toEqual([1])
    expect((await a.store.modelFiles.get(runId, 'checkpoint'))?.sha256).toBe(first.sha256)
  })

  it('sweeps the blobs no row names once past the grace period, and keeps every named one', async () => {
    const a = await machine('sweep-a')
    const replacedRun = await newRun(a)
    const replaced = await train(a, replacedRun, 'checkpoint', 1)
    const current = await train(a, replacedRun, 'checkpoint', 2)
    const completedRun = await newRun(a)
    const dropped = await train(a, completedRun, 'checkpoint', 3)
    const model = await train(a, completedRun, 'model', 3)
    await a.store.runs.finish(completedRun, { status: 'completed', finishedAt: new Date().toISOString() })
    const deletedRun = await newRun(a)
    const deleted = await train(a, deletedRun, 'checkpoint', 1)
    const fresh = await train(a, await newRun(a), 'checkpoint', 1)
    await a.models.idle()
    // Within the grace period nothing goes, named or not.
    expect(await a.blobs.has(replaced.sha256)).toBe(true)

    const all = [replaced, current, dropped, model, deleted].map((f) => f.sha256)
    await age(a, all)
    // Another machine starting up sweeps what the replaced checkpoint left.
    const b = await machine('sweep-b')
    await b.models.startUp()
    expect(await a.blobs.has(replaced.sha256)).toBe(false)

    expect(await a.models.dropCheckpoints()).toMatchObject({ runs: 1 })
    expect(await a.blobs.has(dropped.sha256)).toBe(false)

    await a.store.runs.delete([deletedRun])
    a.models.deleteRun(deletedRun)
    await a.models.idle()
    expect(await a.blobs.has(deleted.sha256)).toBe(false)

    for (const kept of [current, model, fresh]) expect(await a.blobs.has(kept.sha256)).toBe(true)
    // What is named loads anywhere.
    const c = await machine('sweep-c')
    expect((await c.models.loadModelArtifacts(completedRun)).weightData).toBeDefined()
    expect((await c.models.localCheckpoint(replacedRun))?.epoch).toBe(2)
  })

  it("the core of a team store opens the blob store on the store's database and closes it on shutdown", async () => {
    const a = await machine('core-a')
    const runId = await newRun(a)
    const { sha256 } = await train(a, runId, 'checkpoint', 2)
    const modelsDir = join(dir, 'core-b')
    const connections = async (): Promise<number> =>
      (
        await a.pool.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'atelier'"
        )
      ).rows[0].n
    const before = await connections()
    const core = await createCore({
      dataDir: join(dir, 'data'),
      dbPath: url,
      datasetsDir: join(dir, 'datasets'),
      modelsDir,
      settingsPath: null,
      appVersion: 'test',
      dataDirLocked: true,
      watchIntervalMs: 0,
      spawnTrainer: () => {
        throw new Error('no training here')
      },
      dialogs: { saveFile: async () => null, openFolder: async () => null }
    })
    try {
      expect((await core.models.loadModelArtifacts(runId)).weightData).toBeDefined()
      expect(sha256Hex(readFileSync(join(core.models.modelsDir, `run-${runId}`, 'checkpoint-0002.atm')))).toBe(sha256)
    } finally {
      await core.shutdown({ cancelRunning: true })
    }
    // The store's, the change feed's and the blob store's connections are all gone (the server notices within moments).
    await expect.poll(connections, { timeout: 5000 }).toBe(before)
  })
})
