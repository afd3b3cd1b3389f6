/** The `model_files` table: which checkpoint and final-model file each run has, with epoch and size. */
import type { WrittenModelFile } from '@shared/trainer-protocol'
import type { Database } from './connection'
import { DbError } from './db-error'
import type { Sync } from './sync-repo'

export type ModelFileKind = 'checkpoint' | 'model'

/** One recorded file. */
export interface ModelFileRecord extends Omit<WrittenModelFile, 'sha256'> {
  runId: number
  kind: ModelFileKind
  createdAt: string
  /** SHA-256 of the whole file; null for a file recorded before schema v5 that was not adopted yet. */
  sha256: string | null
}

interface Row {
  run_id: number
  kind: ModelFileKind
  file: string
  format: string
  epoch: number
  bytes: number
  created_at: string
  sha256: string | null
}

const toRecord = (r: Row): ModelFileRecord => ({
  runId: r.run_id,
  kind: r.kind,
  file: r.file,
  format: r.format,
  epoch: r.epoch,
  bytes: r.bytes,
  createdAt: r.created_at,
  sha256: r.sha256
})

export interface ModelFilesRepo {
  /**
   * Records a run's checkpoint or model, replacing the previous record of that kind. Returns the
   * replaced file's name (to delete once the transaction committed), or null.
   */
  record(runId: number, kind: ModelFileKind, file: WrittenModelFile): Promise<string | null>
  get(runId: number, kind: ModelFileKind): Promise<ModelFileRecord | null>
  /** Both kinds of a run. */
  list(runId: number): Promise<ModelFileRecord[]>
  /** Forgets a record; returns the file name it named, or null. */
  remove(runId: number, kind: ModelFileKind): Promise<string | null>
  /** Checkpoints of runs that finished completed and also have a final model. */
  checkpointsOfCompletedRuns(): Promise<ModelFileRecord[]>
  /** Bytes of every recorded file. */
  totalBytes(): Promise<{ model: number; checkpoint: number }>
  /** Every recorded file of every run. */
  all(): Promise<ModelFileRecord[]>
  /** Records the SHA-256 of a file recorded without one (a legacy file the model store adopted). */
  setSha256(runId: number, kind: ModelFileKind, sha256: string): Promise<void>
  /** This store's id (schema v5): names its model folder and is written into every model file. */
  storeId(): Promise<string>
}

export function createModelFilesRepo(db: Database): Sync<ModelFilesRepo> {
  const runExists = db.prepare<[number], { id: number }>('SELECT id FROM runs WHERE id = ?')
  const getOne = db.prepare<[number, string], Row>('SELECT * FROM model_files WHERE run_id = ? AND kind = ?')
  const listOne = db.prepare<[number], Row>('SELECT * FROM model_files WHERE run_id = ? ORDER BY kind')
  const upsert = db.prepare(
    `INSERT INTO model_files (run_id, kind, file, format, epoch, bytes, created_at, sha256)
     VALUES (@runId, @kind, @file, @format, @epoch, @bytes, @createdAt, @sha256)
     ON CONFLICT (run_id, kind) DO UPDATE SET file = excluded.file, format = excluded.format,
       epoch = excluded.epoch, bytes = excluded.bytes, created_at = excluded.created_at, sha256 = excluded.sha256`
  )
  const deleteOne = db.prepare<[number, string]>('DELETE FROM model_files WHERE run_id = ? AND kind = ?')
  const completedCheckpoints = db.prepare<[], Row>(
    `SELECT c.* FROM model_files c JOIN runs r ON r.id = c.run_id
     WHERE c.kind = 'checkpoint' AND r.status = 'completed'
       AND EXISTS (SELECT 1 FROM model_files m WHERE m.run_id = c.run_id AND m.kind = 'model')`
  )
  const allRows = db.prepare<[], Row>('SELECT * FROM model_files ORDER BY run_id, kind')
  const setHash = db.prepare<[string, number, string]>('UPDATE model_files SET sha256 = ? WHERE run_id = ? AND kind = ?')
  const storeIdRow = db.prepare<[], { value: string }>(`SELECT value FROM store_meta WHERE key = 'store_id'`)
  const totals = db.prepare<[], { kind: ModelFileKind; bytes: number }>('SELECT kind, sum(bytes) AS bytes FROM model_files GROUP BY kind')

  return {
    record: db.transaction((runId: number, kind: ModelFileKind, file: WrittenModelFile) => {
      if (!runExists.get(runId)) {
        throw new DbError(`Cannot record the ${kind} of run ${runId}: the run does not exist (it may have been deleted).`, {
          kind: 'not-found',
          runId
        })
      }
      if (
        !Number.isInteger(file.epoch) ||
        file.epoch < 1 ||
        !(file.bytes > 0) ||
        !/^[\w.-]+$/.test(file.file) ||
        !/^[0-9a-f]{64}$/.test(file.sha256)
      ) {
        throw new DbError(`Cannot record the ${kind} of run ${runId}: ${JSON.stringify(file)} is not a valid file record.`, {
          kind: 'bad-input',
          runId
        })
      }
      const previous = getOne.get(runId, kind)
      const { file: name, format, epoch, bytes, sha256 } = file
      upsert.run({ runId, kind, file: name, format, epoch, bytes, sha256, createdAt: new Date().toISOString() })
      return previous && previous.file !== file.file ? previous.file : null
    }),
    get: (runId, kind) => {
      const row = getOne.get(runId, kind)
      return row ? toRecord(row) : null
    },
    list: (runId) => listOne.all(runId).map(toRecord),
    remove: (runId, kind) => {
      const row = getOne.get(runId, kind)
      if (!row) return null
      deleteOne.run(runId, kind)
      return row.file
    },
    checkpointsOfCompletedRuns: () => completedCheckpoints.all().map(toRecord),
    totalBytes: () => {
      const out = { model: 0, checkpoint: 0 }
      for (const r of totals.all()) out[r.kind] = r.bytes
      return out
    },
    all: () => allRows.all().map(toRecord),
    setSha256: (runId, kind, sha256) => void setHash.run(sha256, runId, kind),
    storeId: () => {
      const row = storeIdRow.get()
      if (!row) throw new DbError('The run database has no store id (store_meta); it was not migrated to schema v5.', { kind: 'migration' })
      return row.value
    }
  }
}
