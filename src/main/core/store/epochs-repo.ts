/** The `epochs` table: one row per finished epoch, written together with the run's progress. */
import type { EpochRecord } from '@shared/run'
import type { Database } from './connection'
import { DbError } from './db-error'
import type { Sync } from './sync-repo'

interface EpochRow {
  run_id: number
  epoch: number
  loss: number | null
  accuracy: number | null
  val_loss: number | null
  val_accuracy: number | null
  learning_rate: number | null
  duration_ms: number
}

const COLUMNS = 'run_id, epoch, loss, accuracy, val_loss, val_accuracy, learning_rate, duration_ms'

/** SQLite stores NaN as NULL; a NULL metric is therefore read back as NaN. */
const num = (value: number | null): number => value ?? Number.NaN

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

export function createEpochsRepo(db: Database): Sync<EpochsRepo> {
  const insert = db.prepare(
    `INSERT INTO epochs (${COLUMNS})
     VALUES (@runId, @epoch, @loss, @accuracy, @valLoss, @valAccuracy, @learningRate, @durationMs)`
  )
  const progress = db.prepare(
    `UPDATE runs SET
       epochs_done = max(epochs_done, @epoch),
       best_val_accuracy = CASE
         WHEN @valAccuracy IS NOT NULL AND (best_val_accuracy IS NULL OR @valAccuracy > best_val_accuracy)
         THEN @valAccuracy ELSE best_val_accuracy END
     WHERE id = @runId`
  )
  const listOne = db.prepare<[number], EpochRow>(`SELECT ${COLUMNS} FROM epochs WHERE run_id = ? ORDER BY epoch`)
  const listMany = db.prepare<[string], EpochRow>(
    `SELECT ${COLUMNS} FROM epochs WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, epoch`
  )

  const appendTx = db.transaction((runId: number, record: EpochRecord) => {
    const params = {
      runId,
      epoch: record.epoch,
      loss: record.loss,
      accuracy: record.accuracy,
      valLoss: record.valLoss,
      valAccuracy: record.valAccuracy,
      learningRate: record.learningRate,
      durationMs: record.durationMs
    }
    if (progress.run(params).changes === 0) {
      throw new DbError(`Cannot record epoch ${record.epoch}: run ${runId} does not exist (it may have been deleted).`, {
        kind: 'not-found',
        runId
      })
    }
    try {
      insert.run(params)
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new DbError(`Epoch ${record.epoch} of run ${runId} is already recorded; the stored epoch was kept unchanged.`, {
          kind: 'invalid-state',
          runId,
          cause: error
        })
      }
      throw error
    }
  })

  return {
    append(runId, record) {
      checkRecord(runId, record)
      appendTx(runId, record)
    },
    list(runId) {
      return listOne.all(runId).map(toEpochRecord)
    },
    listForRuns(runIds) {
      const byRun = new Map<number, EpochRecord[]>()
      for (const row of listMany.all(JSON.stringify(runIds))) {
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
