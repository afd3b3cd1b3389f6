/**
 * Trained models on disk, seen from the main side. Bytes live as files in `<models>/run-<id>/`
 * beside the database (see README, "Trained models"); the database records which file is a run's
 * latest checkpoint and final model. Only the trainer writes these files; this module reads them,
 * checks them, and deletes the ones the database no longer names.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { io } from '@tensorflow/tfjs'
import type { ModelInfo } from '@shared/run'
import type { ModelFileKind, ModelFileRecord, RunStore } from '@main/db'
import { ensureFolder } from '@main/ensure-folder'
import { conflict } from '@main/errors'
import { decodeModelFile, ModelFileError, toModelArtifacts, type DecodedModelFile } from './model-file'
import { runFolderName } from './model-file-names'

export interface ModelStoreOptions {
  store: RunStore
  /** Root folder of all runs' model files. */
  modelsDir: string
}

/** What dropping checkpoints freed. */
export interface DroppedCheckpoints {
  runs: number
  bytes: number
}

export function createModelStore({ store, modelsDir }: ModelStoreOptions) {
  const runDir = (runId: number): string => join(modelsDir, runFolderName(runId))

  const label = (runId: number, kind: ModelFileKind): string =>
    kind === 'model' ? `The trained model of run ${runId}` : `The checkpoint of run ${runId}`

  /** Reads and verifies a recorded file; the error says what is wrong and that nothing was changed. */
  function readVerified(runId: number, record: ModelFileRecord): DecodedModelFile {
    const path = join(runDir(runId), record.file)
    let bytes: Uint8Array
    try {
      bytes = readFileSync(path)
    } catch (error) {
      throw conflict(
        `${label(runId, record.kind)} (${path}) cannot be read: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file is missing' : (error as Error).message}. ` +
          'The run and its history were left unchanged.'
      )
    }
    try {
      const file = decodeModelFile(bytes, `${label(runId, record.kind)} (${path})`)
      if (file.header.epoch !== record.epoch) {
        throw new ModelFileError('corrupt', `${label(runId, record.kind)} (${path}) holds epoch ${file.header.epoch}, but the database recorded epoch ${record.epoch}.`)
      }
      return file
    } catch (error) {
      if (error instanceof ModelFileError) {
        throw conflict(`${error.message} The run and its history were left unchanged; the file was not modified.`)
      }
      throw error
    }
  }

  return {
    modelsDir,

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
    loadModelArtifacts(runId: number): io.ModelArtifacts {
      const record = store.modelFiles.get(runId, 'model') ?? store.modelFiles.get(runId, 'checkpoint')
      if (!record) {
        if (!store.runs.get(runId)) throw conflict(`Run ${runId} does not exist (it may have been deleted).`)
        throw conflict(
          `Run ${runId} has no trained model: it finished no epoch with this version of Atelier (models are kept from the first completed epoch on).`
        )
      }
      return toModelArtifacts(readVerified(runId, record))
    },

    /** Sizes and epochs of the run's stored files. */
    modelInfo(runId: number): ModelInfo {
      const files = store.modelFiles.list(runId)
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
    verifiedCheckpoint(runId: number): ModelFileRecord {
      const record = store.modelFiles.get(runId, 'checkpoint')
      if (!record) {
        const dropped = store.modelFiles.get(runId, 'model')
        throw conflict(
          dropped
            ? `Run ${runId} has no checkpoint left (checkpoints of finished runs were dropped to save disk), so it cannot continue training. Its final model was kept; use Re-run to train it again from the start.`
            : `Run ${runId} has no checkpoint: it completed no epoch, or it was trained before Atelier kept checkpoints. Nothing was changed; use Re-run to train it from the start.`
        )
      }
      readVerified(runId, record)
      return record
    },

    /** Deletes a file the database no longer names. */
    removeFile(runId: number, file: string | null): void {
      if (file) rmSync(join(runDir(runId), file), { force: true })
    },

    /** Deletes files in the run's folder the database does not name (left by a crash between write and record). */
    sweep(runId: number): void {
      const dir = runDir(runId)
      if (!existsSync(dir)) return
      const named = new Set(store.modelFiles.list(runId).map((f) => f.file))
      for (const name of readdirSync(dir)) if (!named.has(name)) rmSync(join(dir, name), { force: true })
    },

    /** Deletes the run's folder with every file in it (the database rows go with the run). */
    deleteRun(runId: number): void {
      rmSync(runDir(runId), { recursive: true, force: true })
    },

    /** Drops the checkpoints of completed runs that have a final model; the models stay. */
    dropCheckpoints(): DroppedCheckpoints {
      let runs = 0
      let bytes = 0
      for (const record of store.modelFiles.checkpointsOfCompletedRuns()) {
        store.modelFiles.remove(record.runId, 'checkpoint')
        rmSync(join(runDir(record.runId), record.file), { force: true })
        runs++
        bytes += record.bytes
      }
      return { runs, bytes }
    },

    /** Bytes of all recorded model files. */
    totalBytes(): { model: number; checkpoint: number; total: number } {
      const t = store.modelFiles.totalBytes()
      return { ...t, total: t.model + t.checkpoint }
    }
  }
}

export type ModelStore = ReturnType<typeof createModelStore>
