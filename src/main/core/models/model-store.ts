/**
 * Trained models on disk, seen from the main side. Bytes live as files in `<models>/<store-id>/run-<id>/`
 * beside the database (see README, "Trained models"): each database has its own folder, named by the
 * store id kept in it. The database records which file is a run's latest checkpoint and final model,
 * with its SHA-256. Only the trainer writes these files; this module reads them, checks that each is
 * intact, names this run and this store, and is the very file recorded, and deletes the files the
 * database no longer names. On a team (PostgreSQL) store every recorded file is also kept in the
 * database (model-blobs.ts), so a run trained on one machine is loaded and resumed on any other.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { io } from '@tensorflow/tfjs'
import type { ModelInfo } from '@shared/run'
import type { WrittenModelFile } from '@shared/trainer-protocol'
import type { PostgresBlobs } from '@main/core/blobs/postgres-blobs'
import type { ModelFileKind, ModelFileRecord, RunStore } from '@main/core/store'
import { ensureFolder } from '@main/core/ensure-folder'
import { conflict } from '@main/core/errors'
import { adoptLegacyModelFiles, legacyCopyOf, type AdoptedFiles } from './legacy-model-folders'
import {
  checkModelFileOwner,
  decodeModelFile,
  ModelFileError,
  restampModelFile,
  sha256Hex,
  toModelArtifacts,
  type DecodedModelFile
} from './model-file'
import { writeFileDurable } from './write-durable'
import { runFolderName } from './model-file-names'
import { createModelBlobs } from './model-blobs'

export interface ModelStoreOptions {
  store: RunStore
  /** The models folder (`models/` beside the database); this store's files go in `<modelsDir>/<store id>/`. */
  modelsDir: string
  /** A team store's blob store on the same database; absent for SQLite, whose files stay on this machine. */
  blobs?: PostgresBlobs
}

/** What {@link ModelStore.startUp} did. */
export interface StartUpReport extends AdoptedFiles {
  /** Files removed because the database names none of them (left by a crash). */
  swept: number
}

/** What dropping checkpoints freed. */
export interface DroppedCheckpoints {
  runs: number
  bytes: number
}

/** Whether `path` is a file whose SHA-256 is `sha256`. */
function holds(path: string, sha256: string): boolean {
  return existsSync(path) && sha256Hex(readFileSync(path)) === sha256
}

export async function createModelStore({ store, modelsDir: root, blobs }: ModelStoreOptions) {
  const storeId = await store.modelFiles.storeId()
  const modelsDir = join(root, storeId)
  const runDir = (runId: number): string => join(modelsDir, runFolderName(runId))
  const team = blobs ? createModelBlobs({ blobs, store }) : null

  const label = (runId: number, kind: ModelFileKind): string =>
    kind === 'model' ? `The trained model of run ${runId}` : `The checkpoint of run ${runId}`

  /** Reads and verifies a recorded file; the error says what is wrong and that nothing was changed. */
  function readVerified(runId: number, record: ModelFileRecord): DecodedModelFile {
    const path = join(runDir(runId), record.file)
    const what = `${label(runId, record.kind)} (${path})`
    let bytes: Uint8Array
    try {
      bytes = readFileSync(path)
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
      const legacy = missing ? legacyCopyOf(root, runId, record.file) : null
      throw conflict(
        `${what} cannot be read: ${missing ? 'the file is missing' : (error as Error).message}. ` +
          (legacy
            ? `A file of that name is still in ${legacy}, the folder an older Atelier shared between every database beside this one, but it is not the one this database recorded (another database there wrote it last), so it was left to that database. `
            : '') +
          'The run and its history were left unchanged.'
      )
    }
    try {
      const file = decodeModelFile(bytes, what)
      checkModelFileOwner(file, { runId, storeId }, what)
      if (file.header.kind !== record.kind || file.header.epoch !== record.epoch) {
        throw new ModelFileError(
          'foreign',
          `${what} holds the ${file.header.kind} of epoch ${file.header.epoch}, but the database recorded the ${record.kind} of epoch ${record.epoch}.`
        )
      }
      if (record.sha256 === null) {
        // Only files recorded before schema v5 lack a hash, and startUp() records it when it adopts them.
        throw new ModelFileError(
          'foreign',
          `${what} was recorded by an older Atelier and could not be matched to this database when its files moved to their own folder, so nothing vouches for it.`
        )
      }
      if (sha256Hex(bytes) !== record.sha256) {
        throw new ModelFileError(
          'foreign',
          `${what} is not the file this run recorded: its SHA-256 differs from the one in the database (another file was put in its place).`
        )
      }
      return file
    } catch (error) {
      if (error instanceof ModelFileError) {
        throw conflict(
          `${error.message} The run and its history were left unchanged; the file was not modified. ` +
            (record.kind === 'model'
              ? 'Put the original file back, or Re-run the run to train a new model.'
              : 'Put the original file back, or Re-run the run to train it from the start.')
        )
      }
      throw error
    }
  }

  /**
   * On a team store, makes the recorded file present here first: fetched from the database when this
   * machine lacks it (a run trained elsewhere) or holds other bytes under its name. Then reads and verifies it.
   */
  async function readRecorded(runId: number, record: ModelFileRecord): Promise<DecodedModelFile> {
    const path = join(runDir(runId), record.file)
    if (team && record.sha256 && !holds(path, record.sha256)) {
      await team.fetch(label(runId, record.kind), path, record.sha256)
    }
    return readVerified(runId, record)
  }

  /** Removes the files of the run's folder the database does not name; returns how many. */
  async function sweepRun(runId: number): Promise<number> {
    const dir = runDir(runId)
    if (!existsSync(dir)) return 0
    const named = new Set((await store.modelFiles.list(runId)).map((f) => f.file))
    let removed = 0
    for (const name of readdirSync(dir)) {
      if (named.has(name)) continue
      rmSync(join(dir, name), { recursive: true, force: true })
      removed++
    }
    return removed
  }

  return {
    /** This store's own folder of model files (`models/<store id>/`). */
    modelsDir,
    /** Written into every model file with its run id; names {@link modelsDir}. */
    storeId,

    /**
     * Start-of-session housekeeping: adopts this store's files from the folders an older Atelier shared
     * between databases, then removes what a crash left in the folders of runs that are not training
     * (temp files, a checkpoint written but never recorded, the folder of a deleted run).
     */
    async startUp(): Promise<StartUpReport> {
      const adopted = await adoptLegacyModelFiles({ store, root, storeDir: modelsDir })
      let swept = 0
      if (existsSync(modelsDir)) {
        // Folders first, then runs: a run inserted meanwhile is seen as existing, its folder left alone.
        const folders = readdirSync(modelsDir).filter((n) => /^run-\d+$/.test(n))
        for (const folder of folders) {
          const runId = Number(folder.slice(4))
          const run = await store.runs.get(runId)
          if (!run) {
            rmSync(join(modelsDir, folder), { recursive: true, force: true })
            swept++
          } else if (run.status !== 'running' && run.status !== 'queued') {
            swept += await sweepRun(runId)
          }
        }
      }
      // A team store's blobs no row names: left by runs deleted, checkpoints replaced or dropped anywhere.
      if (team) await team.sweep()
      return { ...adopted, swept }
    },

    /** The run's folder, created if needed; the trainer writes into it. */
    prepareRunDir(runId: number): string {
      const dir = runDir(runId)
      ensureFolder(dir)
      return dir
    },

    /**
     * The run's trained model as tf.js ModelArtifacts, for `tf.loadLayersModel(tf.io.fromMemory(a))`:
     * the final model of a completed run, else the weights of its latest checkpoint. Throws a
     * CoreError with a clear message when the run has no model or the file is truncated or damaged.
     */
    async loadModelArtifacts(runId: number): Promise<io.ModelArtifacts> {
      const record = (await store.modelFiles.get(runId, 'model')) ?? (await store.modelFiles.get(runId, 'checkpoint'))
      if (!record) {
        if (!(await store.runs.get(runId))) throw conflict(`Run ${runId} does not exist (it may have been deleted).`)
        throw conflict(
          `Run ${runId} has no trained model: it finished no epoch with this version of Atelier (models are kept from the first completed epoch on).`
        )
      }
      return toModelArtifacts(await readRecorded(runId, record))
    },

    /** Sizes and epochs of the run's stored files. */
    async modelInfo(runId: number): Promise<ModelInfo> {
      const files = await store.modelFiles.list(runId)
      const model = files.find((f) => f.kind === 'model') ?? null
      const checkpoint = files.find((f) => f.kind === 'checkpoint') ?? null
      return {
        runId,
        modelEpoch: model?.epoch ?? null,
        modelBytes: model?.bytes ?? 0,
        checkpointEpoch: checkpoint?.epoch ?? null,
        checkpointBytes: checkpoint?.bytes ?? 0,
        totalBytes: (model?.bytes ?? 0) + (checkpoint?.bytes ?? 0),
        format: (model ?? checkpoint)?.format ?? null
      }
    },

    /** The run's checkpoint record after reading and verifying the file; throws a clear CoreError otherwise. */
    async verifiedCheckpoint(runId: number): Promise<ModelFileRecord> {
      const record = await store.modelFiles.get(runId, 'checkpoint')
      if (!record) {
        const dropped = await store.modelFiles.get(runId, 'model')
        throw conflict(
          dropped
            ? `Run ${runId} has no checkpoint left (checkpoints of finished runs were dropped to save disk), so it cannot continue training. Its final model was kept; use Re-run to train it again from the start.`
            : `Run ${runId} has no checkpoint: it completed no epoch, or it was trained before Atelier kept checkpoints. Nothing was changed; use Re-run to train it from the start.`
        )
      }
      await readRecorded(runId, record)
      return record
    },

    /**
     * The run's checkpoint record with its file present in the run's folder, for a trainer about to
     * resume from it (which checks its SHA-256 again); null when the run has no checkpoint. On a team
     * store a file missing here is fetched from the database, hash-verified; a CoreError naming the run
     * when it cannot be. A SQLite store only reads the record, as before.
     */
    async localCheckpoint(runId: number): Promise<ModelFileRecord | null> {
      const record = await store.modelFiles.get(runId, 'checkpoint')
      if (!record || !team || !record.sha256) return record
      const path = join(runDir(runId), record.file)
      if (!holds(path, record.sha256)) await team.fetch(label(runId, 'checkpoint'), path, record.sha256)
      return record
    },

    /**
     * Called with a file the trainer just wrote into the run's folder, before the row naming it is
     * recorded: on a team store it is stored in the database (refused unless its SHA-256 and size are
     * the reported ones), so no row ever names a file other machines cannot fetch. Nothing on SQLite.
     */
    async publish(runId: number, record: WrittenModelFile | null): Promise<void> {
      if (!team || !record) return
      await team.publish(`The file ${record.file} of run ${runId}`, join(runDir(runId), record.file), record)
    },

    /** The recorded file's bytes, verified (fetched first on a team store when this machine lacks it); null when the run has none of that kind. */
    async fileBytes(runId: number, kind: ModelFileKind): Promise<Uint8Array | null> {
      const record = await store.modelFiles.get(runId, kind)
      if (!record) return null
      await readRecorded(runId, record)
      return readFileSync(join(runDir(runId), record.file))
    },

    /**
     * Writes a file copied from another store into the run's folder, made out to this run and store,
     * and on a team store stores it in the database: what the trainer and {@link publish} do for a
     * file it wrote. Returns the record to insert (the caller records it).
     */
    async adoptFile(
      runId: number,
      source: { kind: ModelFileKind; file: string; format: string; epoch: number },
      bytes: Uint8Array
    ): Promise<WrittenModelFile> {
      const restamped = restampModelFile(bytes, { runId, storeId }, `${label(runId, source.kind)} being copied`)
      const dir = runDir(runId)
      ensureFolder(dir)
      writeFileDurable(join(dir, source.file), restamped)
      const written: WrittenModelFile = {
        file: source.file,
        format: source.format,
        epoch: source.epoch,
        bytes: restamped.byteLength,
        sha256: sha256Hex(restamped)
      }
      if (team) await team.publish(`The file ${source.file} of run ${runId}`, join(dir, source.file), written)
      return written
    },

    /** Deletes a file the database no longer names. */
    removeFile(runId: number, file: string | null): void {
      if (!file) return
      rmSync(join(runDir(runId), file), { force: true })
      // Its blob goes once past the grace period: every epoch replaces a checkpoint, so not every time.
      team?.sweepNowAndThen()
    },

    /** Deletes files in the run's folder the database does not name (left by a crash between write and record). */
    async sweep(runId: number): Promise<void> {
      await sweepRun(runId)
    },

    /** Deletes the run's folder with every file in it (the database rows go with the run). */
    deleteRun(runId: number): void {
      rmSync(runDir(runId), { recursive: true, force: true })
      // Other machines remove their copies of the folder at their next start (the run is gone).
      void team?.sweepQuietly()
    },

    /** Drops the checkpoints of completed runs that have a final model; the models stay. */
    async dropCheckpoints(): Promise<DroppedCheckpoints> {
      let runs = 0
      let bytes = 0
      for (const record of await store.modelFiles.checkpointsOfCompletedRuns()) {
        await store.modelFiles.remove(record.runId, 'checkpoint')
        rmSync(join(runDir(record.runId), record.file), { force: true })
        runs++
        bytes += record.bytes
      }
      if (team && runs > 0) await team.sweepQuietly()
      return { runs, bytes }
    },

    /** Resolves when no sweep of a team store's blobs is running or due (before the store closes). */
    async idle(): Promise<void> {
      await team?.idle()
    },

    /** Bytes of all recorded model files. */
    async totalBytes(): Promise<{ model: number; checkpoint: number; total: number }> {
      const t = await store.modelFiles.totalBytes()
      return { ...t, total: t.model + t.checkpoint }
    }
  }
}

export type ModelStore = Awaited<ReturnType<typeof createModelStore>>
