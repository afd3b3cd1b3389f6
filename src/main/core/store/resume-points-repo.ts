/** The `resume_points` table and the one transition that writes it: a finished run goes back to the queue to continue training. */
import type { Hparams } from '@shared/hparams'
import type { ResumePoint, RunStatus } from '@shared/run'
import type { Database } from './connection'
import { DbError } from './db-error'
import type { Sync } from './sync-repo'

interface Row {
  run_id: number
  after_epoch: number
  kind: ResumePoint['kind']
  at: string
  test_accuracy: number | null
  test_loss: number | null
}

const toPoint = (r: Row): ResumePoint => ({
  afterEpoch: r.after_epoch,
  kind: r.kind,
  at: r.at,
  previousTestAccuracy: r.test_accuracy,
  previousTestLoss: r.test_loss
})

/** How a run continues. */
export interface ReopenInput {
  kind: ResumePoint['kind']
  /** The checkpoint's epoch: training continues after it; recorded epochs beyond it are dropped. */
  afterEpoch: number
  /** For `extended`: the hyperparameters with the larger epoch count. */
  hparams?: Hparams
  /** ISO time; now when omitted. */
  at?: string
}

/** Statuses each kind of continuation starts from. */
const ALLOWED: Record<ResumePoint['kind'], readonly RunStatus[]> = {
  resumed: ['interrupted', 'failed', 'cancelled'],
  extended: ['completed']
}

export interface ResumePointsRepo {
  /**
   * In one transaction: checks the run's status, puts it back to `queued` (clearing its error and
   * end time, keeping its start time, history and results), drops recorded epochs after
   * `afterEpoch` (they are trained again from the checkpoint), and records the resume point.
   */
  reopen(runId: number, input: ReopenInput): Promise<ResumePoint>
  list(runId: number): Promise<ResumePoint[]>
  listForRuns(runIds: readonly number[]): Promise<Map<number, ResumePoint[]>>
}

export function createResumePointsRepo(db: Database): Sync<ResumePointsRepo> {
  const statusOf = db.prepare<[number], { status: RunStatus }>('SELECT status FROM runs WHERE id = ?')
  const results = db.prepare<[number], { test_accuracy: number | null; test_loss: number | null }>(
    'SELECT test_accuracy, test_loss FROM results WHERE run_id = ?'
  )
  const requeue = db.prepare(
    `UPDATE runs SET status = 'queued', error_message = NULL, finished_at = NULL, owner_pid = NULL,
       epochs_planned = coalesce(@epochsPlanned, epochs_planned), hparams = coalesce(@hparams, hparams),
       epochs_done = min(epochs_done, @afterEpoch)
     WHERE id = @id`
  )
  const dropLater = db.prepare<[number, number]>('DELETE FROM epochs WHERE run_id = ? AND epoch > ?')
  const bestVal = db.prepare<[number, number]>(
    'UPDATE runs SET best_val_accuracy = (SELECT max(val_accuracy) FROM epochs WHERE run_id = ?) WHERE id = ?'
  )
  const insert = db.prepare(
    `INSERT INTO resume_points (run_id, after_epoch, kind, at, test_accuracy, test_loss)
     VALUES (@runId, @afterEpoch, @kind, @at, @testAccuracy, @testLoss)`
  )
  const listOne = db.prepare<[number], Row>('SELECT * FROM resume_points WHERE run_id = ? ORDER BY rowid')
  const listMany = db.prepare<[string], Row>(
    'SELECT * FROM resume_points WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, rowid'
  )

  return {
    reopen: db.transaction((runId: number, input: ReopenInput): ResumePoint => {
      const row = statusOf.get(runId)
      if (!row) {
        throw new DbError(`Run ${runId} does not exist; it may have been deleted. Nothing was changed.`, { kind: 'not-found', runId })
      }
      if (!ALLOWED[input.kind].includes(row.status)) {
        const verb = input.kind === 'resumed' ? 'resumed' : 'trained further'
        throw new DbError(
          `Run ${runId} cannot be ${verb}: it is ${row.status}, and only ${ALLOWED[input.kind].join(', ')} runs can. The run was left unchanged.`,
          { kind: 'invalid-state', runId }
        )
      }
      const before = input.kind === 'extended' ? results.get(runId) : undefined
      requeue.run({
        id: runId,
        afterEpoch: input.afterEpoch,
        epochsPlanned: input.hparams?.epochs ?? null,
        hparams: input.hparams ? JSON.stringify(input.hparams) : null
      })
      if (dropLater.run(runId, input.afterEpoch).changes > 0) bestVal.run(runId, runId)
      const point: Row = {
        run_id: runId,
        after_epoch: input.afterEpoch,
        kind: input.kind,
        at: input.at ?? new Date().toISOString(),
        test_accuracy: before?.test_accuracy ?? null,
        test_loss: before?.test_loss ?? null
      }
      insert.run({
        runId,
        afterEpoch: point.after_epoch,
        kind: point.kind,
        at: point.at,
        testAccuracy: point.test_accuracy,
        testLoss: point.test_loss
      })
      return toPoint(point)
    }),
    list: (runId) => listOne.all(runId).map(toPoint),
    listForRuns: (runIds) => {
      const byRun = new Map<number, ResumePoint[]>()
      for (const row of listMany.all(JSON.stringify(runIds))) {
        let list = byRun.get(row.run_id)
        if (!list) byRun.set(row.run_id, (list = []))
        list.push(toPoint(row))
      }
      return byRun
    }
  }
}
