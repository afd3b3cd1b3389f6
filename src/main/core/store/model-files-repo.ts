/** The `model_files` table: which checkpoint and final-model file each run has, with epoch and size. */
import type { WrittenModelFile } from '@shared/trainer-protocol'
import type { Kysely } from 'kysely'
import { atomic } from './atomic'
import { DbError } from './db-error'
import type { DB } from './tables'

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
  // PostgreSQL's bigint arrives as a string.
  bytes: Number(r.bytes),
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

export function createModelFilesRepo(db: Kysely<DB>): ModelFilesRepo {
  const getOne = (trx: Kysely<DB>, runId: number, kind: ModelFileKind) =>
    trx.selectFrom('model_files').selectAll().where('run_id', '=', runId).where('kind', '=', kind).executeTakeFirst()

  return {
    record: (runId, kind, file) =>
      atomic(db, async (trx) => {
        const run = await trx.selectFrom('runs').select('id').where('id', '=', runId).executeTakeFirst()
        if (!run) {
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
        const previous = await getOne(trx, runId, kind)
        const { file: name, format, epoch, bytes, sha256 } = file
        await trx
          .insertInto('model_files')
          .values({ run_id: runId, kind, file: name, format, epoch, bytes, sha256, created_at: new Date().toISOString() })
          .onConflict((oc) =>
            oc.columns(['run_id', 'kind']).doUpdateSet((eb) => ({
              file: eb.ref('excluded.file'),
              format: eb.ref('excluded.format'),
              epoch: eb.ref('excluded.epoch'),
              bytes: eb.ref('excluded.bytes'),
              created_at: eb.ref('excluded.created_at'),
              sha256: eb.ref('excluded.sha256')
            }))
          )
          .execute()
        return previous && previous.file !== file.file ? previous.file : null
      }),
    async get(runId, kind) {
      const row = await getOne(db, runId, kind)
      return row ? toRecord(row) : null
    },
    async list(runId) {
      const rows = await db.selectFrom('model_files').selectAll().where('run_id', '=', runId).orderBy('kind').execute()
      return rows.map(toRecord)
    },
    remove: (runId, kind) =>
      atomic(db, async (trx) => {
        const row = await getOne(trx, runId, kind)
        if (!row) return null
        await trx.deleteFrom('model_files').where('run_id', '=', runId).where('kind', '=', kind).execute()
        return row.file
      }),
    async checkpointsOfCompletedRuns() {
      const rows = await db
        .selectFrom('model_files as c')
        .innerJoin('runs as r', 'r.id', 'c.run_id')
        .selectAll('c')
        .where('c.kind', '=', 'checkpoint')
        .where('r.status', '=', 'completed')
        .where(({ exists, selectFrom }) =>
          exists(selectFrom('model_files as m').select('m.run_id').whereRef('m.run_id', '=', 'c.run_id').where('m.kind', '=', 'model'))
        )
        .execute()
      return rows.map(toRecord)
    },
    async totalBytes() {
      const rows = await db
        .selectFrom('model_files')
        .select((eb) => ['kind', eb.fn.sum<number | string>('bytes').as('bytes')])
        .groupBy('kind')
        .execute()
      const out = { model: 0, checkpoint: 0 }
      // PostgreSQL sums a bigint column to numeric, which its driver hands over as a string.
      for (const r of rows) out[r.kind] = Number(r.bytes)
      return out
    },
    async all() {
      const rows = await db.selectFrom('model_files').selectAll().orderBy('run_id').orderBy('kind').execute()
      return rows.map(toRecord)
    },
    async setSha256(runId, kind, sha256) {
      await db.updateTable('model_files').set({ sha256 }).where('run_id', '=', runId).where('kind', '=', kind).execute()
    },
    async storeId() {
      const row = await db.selectFrom('store_meta').select('value').where('key', '=', 'store_id').executeTakeFirst()
      if (!row) throw new DbError('The run database has no store id (store_meta); it was not migrated to schema v5.', { kind: 'migration' })
      return row.value
    }
  }
}
