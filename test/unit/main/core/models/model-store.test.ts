/**
 * The model store's start of session on real files: crash leftovers are swept for every run that is not
 * training (not only on a successful resume), and the files of databases that shared `models/run-<id>/`
 * before schema v5 go to the store whose records name them, never to the other one.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import { openRunStore, type RunStore } from '@main/core/store'
import { applyMigrations } from '@main/core/store/connection'
import { MIGRATIONS } from '@main/core/store/migrations'
import { createModelStore } from '@main/core/models/model-store'
import { legacyModelFile } from '../../../../helpers/legacy-model-file'

let dir: string
const open: RunStore[] = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atelier-model-store-'))
})
afterEach(() => {
  open.splice(0).forEach((s) => s.close())
  rmSync(dir, { recursive: true, force: true })
})
const openStore = async (name: string): Promise<RunStore> => {
  const store = await openRunStore(join(dir, name))
  open.push(store)
  return store
}
const sha = (n: number) => n.toString(16).padStart(64, '0')

describe('model store start-up sweep', () => {
  it("removes temp files, unrecorded checkpoints and deleted runs' folders, but not those of a run training now", async () => {
    const store = await openStore('atelier.db')
    const models = await createModelStore({ store, modelsDir: join(dir, 'models') })
    const insert = async () => (await store.runs.insert({ name: 'r', hparams: defaultHparams('dense'), appVersion: 't' })).id
    const failed = await insert()
    const training = await insert()
    for (const id of [failed, training]) {
      await store.runs.markRunning(id, {
        backendInfo: { name: 'wasm', threads: 1, versions: {} },
        datasetChecksum: null,
        startedAt: new Date().toISOString()
      })
      const runDir = models.prepareRunDir(id)
      writeFileSync(join(runDir, 'checkpoint-0002.atm'), 'recorded')
      await store.modelFiles.record(id, 'checkpoint', {
        file: 'checkpoint-0002.atm',
        format: 'atelier-model/2',
        epoch: 2,
        bytes: 8,
        sha256: sha(id)
      })
      writeFileSync(join(runDir, 'checkpoint-0003.atm'), 'written, never recorded')
      writeFileSync(join(runDir, `.checkpoint-0004.atm.${4242}.tmp`), 'half')
    }
    // The failed run cannot resume (no trainer ever asks); its leftovers must still go.
    await store.runs.finish(failed, { status: 'failed', finishedAt: new Date().toISOString(), errorMessage: 'killed' })
    mkdirSync(join(models.modelsDir, 'run-999'))
    writeFileSync(join(models.modelsDir, 'run-999', 'model-0001.atm'), 'deleted run')

    const report = await (await createModelStore({ store, modelsDir: join(dir, 'models') })).startUp()
    expect(report.swept).toBe(3)
    expect(readdirSync(join(models.modelsDir, `run-${failed}`))).toEqual(['checkpoint-0002.atm'])
    expect(readdirSync(join(models.modelsDir, `run-${training}`)).sort()).toEqual([
      '.checkpoint-0004.atm.4242.tmp',
      'checkpoint-0002.atm',
      'checkpoint-0003.atm'
    ])
    expect(existsSync(join(models.modelsDir, 'run-999'))).toBe(false)
  })
})

/** A database as Atelier wrote it before schema v5, with one completed run and the given file rows. */
function legacyDatabase(name: string, rows: { kind: 'model' | 'checkpoint'; file: string; bytes: number; createdAt: Date }[]): void {
  const db = new BetterSqlite3(join(dir, name))
  applyMigrations(db, { path: name, migrations: MIGRATIONS.slice(0, 4) })
  db.prepare(
    `INSERT INTO runs (name, preset, hparams, status, created_at, app_version, seed, epochs_planned, epochs_done)
     VALUES ('legacy', 'dense', ?, 'completed', ?, 'old', 42, 2, 2)`
  ).run(JSON.stringify(defaultHparams('dense')), new Date().toISOString())
  for (const r of rows) {
    db.prepare(`INSERT INTO model_files VALUES (1, ?, ?, 'atelier-model/1', 2, ?, ?)`).run(
      r.kind,
      r.file,
      r.bytes,
      r.createdAt.toISOString()
    )
  }
  db.close()
}

describe('files of databases that shared models/run-<id>/ before schema v5', () => {
  it('each store takes the legacy files its records name and that were written for it, and leaves the others', async () => {
    const legacyDir = join(dir, 'models', 'run-1')
    mkdirSync(legacyDir, { recursive: true })
    const now = new Date()
    const hourAgo = new Date(now.getTime() - 3_600_000)
    // one.db trained run 1 an hour ago; two.db's run 1 overwrote its checkpoint just now.
    const oneModel = legacyModelFile({ kind: 'model', epoch: 2, weights: new Uint8Array(new Float32Array([1, 2, 3]).buffer) })
    const twoCheckpoint = legacyModelFile({ kind: 'checkpoint', epoch: 2, weights: new Uint8Array(new Float32Array([7, 8, 9]).buffer) })
    writeFileSync(join(legacyDir, 'model-0002.atm'), oneModel)
    utimesSync(join(legacyDir, 'model-0002.atm'), hourAgo, hourAgo)
    writeFileSync(join(legacyDir, 'checkpoint-0002.atm'), twoCheckpoint)
    utimesSync(join(legacyDir, 'checkpoint-0002.atm'), now, now)
    legacyDatabase('one.db', [
      { kind: 'checkpoint', file: 'checkpoint-0002.atm', bytes: twoCheckpoint.byteLength, createdAt: hourAgo },
      { kind: 'model', file: 'model-0002.atm', bytes: oneModel.byteLength, createdAt: hourAgo }
    ])
    legacyDatabase('two.db', [{ kind: 'checkpoint', file: 'checkpoint-0002.atm', bytes: twoCheckpoint.byteLength, createdAt: now }])

    const one = await openStore('one.db')
    const oneModels = await createModelStore({ store: one, modelsDir: join(dir, 'models') })
    expect(await oneModels.startUp()).toMatchObject({ moved: 1, legacyFormat: 1 })
    expect(readdirSync(join(oneModels.modelsDir, 'run-1'))).toEqual(['model-0002.atm'])
    // two.db's checkpoint stays where two.db will look for it.
    expect(readdirSync(legacyDir)).toEqual(['checkpoint-0002.atm'])
    expect((await one.modelFiles.get(1, 'model'))?.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect((await oneModels.loadModelArtifacts(1)).weightData).toBeDefined()
    await expect(oneModels.verifiedCheckpoint(1)).rejects.toThrow(
      /checkpoint of run 1 .* the file is missing\. A file of that name is still in .*models\/run-1\/checkpoint-0002\.atm, .* it is not the one this database recorded/
    )

    const two = await openStore('two.db')
    const twoModels = await createModelStore({ store: two, modelsDir: join(dir, 'models') })
    expect(twoModels.modelsDir).not.toBe(oneModels.modelsDir)
    expect(await twoModels.startUp()).toMatchObject({ moved: 1 })
    expect(readFileSync(join(twoModels.modelsDir, 'run-1', 'checkpoint-0002.atm')).equals(twoCheckpoint)).toBe(true)
    expect((await twoModels.verifiedCheckpoint(1)).file).toBe('checkpoint-0002.atm')
    expect(existsSync(legacyDir)).toBe(false)

    // From now on the recorded hash guards the adopted legacy file, header included.
    const path = join(oneModels.modelsDir, 'run-1', 'model-0002.atm')
    const edited = Buffer.from(readFileSync(path).toString('latin1').replace('Sequential', 'Functional'), 'latin1')
    writeFileSync(path, edited)
    await expect(oneModels.loadModelArtifacts(1)).rejects.toThrow(/is not the file this run recorded: its SHA-256 differs/)
  })

  it('a database alone in its folder takes its legacy files even when their times moved (a restored backup)', async () => {
    const legacyDir = join(dir, 'models', 'run-1')
    mkdirSync(legacyDir, { recursive: true })
    const model = legacyModelFile({ kind: 'model', epoch: 2, weights: new Uint8Array(8) })
    writeFileSync(join(legacyDir, 'model-0002.atm'), model)
    legacyDatabase('atelier.db', [{ kind: 'model', file: 'model-0002.atm', bytes: model.byteLength, createdAt: new Date('2025-01-01') }])
    const store = await openStore('atelier.db')
    const models = await createModelStore({ store, modelsDir: join(dir, 'models') })
    expect(await models.startUp()).toMatchObject({ moved: 1, legacyFormat: 1 })
    expect((await models.loadModelArtifacts(1)).weightData).toBeDefined()
  })
})

describe('model files of a SQLite store', () => {
  it('stay in the run folder: publishing stores nothing elsewhere, and the checkpoint to resume from is the recorded one as it is', async () => {
    const store = await openStore('atelier.db')
    const models = await createModelStore({ store, modelsDir: join(dir, 'models') })
    const runId = (await store.runs.insert({ name: 'r', hparams: defaultHparams('dense'), appVersion: 't' })).id
    expect(await models.localCheckpoint(runId)).toBeNull()
    const runDir = models.prepareRunDir(runId)
    // Not even a file here: SQLite's publish has nothing to do, and the trainer checks the file when it resumes.
    const record = { file: 'checkpoint-0002.atm', format: 'atelier-model/2', epoch: 2, bytes: 8, sha256: sha(7) }
    await models.publish(runId, record)
    await store.modelFiles.record(runId, 'checkpoint', record)
    expect(await models.localCheckpoint(runId)).toMatchObject({ ...record, kind: 'checkpoint', runId })
    expect(readdirSync(runDir)).toEqual([])
    expect(readdirSync(join(dir, 'models'))).toEqual([models.storeId])
  })
})
