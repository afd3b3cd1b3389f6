/** The `epochs` table: one row per finished epoch, written together with the run's progress. */
import type { Kysely } from 'kysely'
import type { EpochRecord } from '@shared/run'
import { atomic } from './atomic'
import { DbError } from './db-error'
import type { StoreDialect } from './store-dialect'
import type { DB, EpochsTable } from './tables'

/** A row as stored (the table's own type: one declaration of its columns). */
type EpochRow = EpochsTable

const COLUMNS = ['run_id', 'epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'learning_rate', 'duration_ms'] as const

/** A NULL metric is read back as NaN (SQLite cannot store NaN; both engines store it as NULL). */
const num = (value: number | null): number => value ?? Number.NaN
/** NaN is written as NULL on both engines, so comparisons (best accuracy) skip it alike. */
export const nanToNull = (value: number): number | null => (Number.isNaN(value) ? null : value)

function toEpochRecord(row: EpochRow): EpochRecord {
  return {
    epoch: row.epoch,
    loss: num(row.loss),
    accuracy: num(row.accuracy),
    valLoss: num(row.val_loss),
    valAccuracy: num(row.val_accuracy),
    learningRate: num(row.learning_rate),
    durationMs: row.duration_ms
  }
}

export interface EpochsRepo {
  /**
   * Records one finished epoch and, in the same transaction, the run's `epochsDone` and
   * `bestValAccuracy`: a crash leaves either both or neither.
   */
  append(runId: number, record: EpochRecord): Promise<void>
  /** A run's history, oldest epoch first (empty for an unknown run). */
  list(runId: number): Promise<EpochRecord[]>
  /** Histories of several runs in one query, keyed by run id (runs without epochs are absent). */
  listForRuns(runIds: readonly number[]): Promise<Map<number, EpochRecord[]>>
}

export function createEpochsRepo(db: Kysely<DB>, dialect: StoreDialect): EpochsRepo {
  return {
    async append(runId, record) {
      checkRecord(runId, record)
      const valAccuracy = nanToNull(record.valAccuracy)
      await atomic(db, async (trx) => {
        const progress = await trx
          .updateTable('runs')
          .set((eb) => ({
            epochs_done: eb.case().when('epochs_done', '>', record.epoch).then(eb.ref('epochs_done')).else(record.epoch).end(),
            best_val_accuracy:
              valAccuracy === null
                ? eb.ref('best_val_accuracy')
                : eb
                    .case()
                    .when(eb.or([eb('best_val_accuracy', 'is', null), eb('best_val_accuracy', '<', valAccuracy)]))
                    .then(valAccuracy)
                    .else(eb.ref('best_val_accuracy'))
                    .end()
          }))
          .where('id', '=', runId)
          .executeTakeFirst()
        if (Number(progress.numUpdatedRows) === 0) {
          throw new DbError(`Cannot record epoch ${record.epoch}: run ${runId} does not exist (it may have been deleted).`, {
            kind: 'not-found',
            runId
          })
        }
        try {
          await trx
            .insertInto('epochs')
            .values({
              run_id: runId,
              epoch: record.epoch,
              loss: nanToNull(record.loss),
              accuracy: nanToNull(record.accuracy),
              val_loss: nanToNull(record.valLoss),
              val_accuracy: valAccuracy,
              learning_rate: nanToNull(record.learningRate),
              duration_ms: record.durationMs
            })
            .execute()
        } catch (error) {
          if (dialect.isDuplicateKey(error)) {
            throw new DbError(`Epoch ${record.epoch} of run ${runId} is already recorded; the stored epoch was kept unchanged.`, {
              kind: 'invalid-state',
              runId,
              cause: error
            })
          }
          throw error
        }
      })
    },
    async list(runId) {
      const rows = await db.selectFrom('epochs').select(COLUMNS).where('run_id', '=', runId).orderBy('epoch').execute()
      return rows.map(toEpochRecord)
    },
    async listForRuns(runIds) {
      const rows = await db
        .selectFrom('epochs')
        .select(COLUMNS)
        .where(dialect.inIds('run_id', runIds))
        .orderBy('run_id')
        .orderBy('epoch')
        .execute()
      const byRun = new Map<number, EpochRecord[]>()
      for (const row of rows) {
        let history = byRun.get(row.run_id)
        if (!history) byRun.set(row.run_id, (history = []))
        history.push(toEpochRecord(row))
      }
      return byRun
    }
  }
}

function checkRecord(runId: number, record: EpochRecord): void {
  const problem =
    !Number.isInteger(record.epoch) || record.epoch < 1
      ? `epoch number ${record.epoch} is not a positive integer`
      : !Number.isFinite(record.durationMs) || record.durationMs < 0
        ? `duration ${record.durationMs} ms is not a non-negative number`
        : null
  if (problem) {
    throw new DbError(`Cannot record an epoch of run ${runId}: ${problem}. Nothing was written.`, {
      kind: 'bad-input',
      runId
    })
  }
}
