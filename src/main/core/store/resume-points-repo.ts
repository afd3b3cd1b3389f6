/** The `resume_points` table and the one transition that writes it: a finished run goes back to the queue to continue training. */
import type { Hparams } from '@shared/hparams'
import type { ResumePoint, RunStatus } from '@shared/run'
import type { Kysely } from 'kysely'
import { atomic } from './atomic'
import { DbError } from './db-error'
import type { StoreDialect } from './store-dialect'
import type { DB } from './tables'

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

const COLUMNS = ['run_id', 'after_epoch', 'kind', 'at', 'test_accuracy', 'test_loss'] as const

export function createResumePointsRepo(db: Kysely<DB>, dialect: StoreDialect): ResumePointsRepo {
  return {
    reopen: (runId, input) =>
      atomic(db, async (trx): Promise<ResumePoint> => {
        const row = await trx.selectFrom('runs').select('status').where('id', '=', runId).executeTakeFirst()
        if (!row) {
          throw new DbError(`Run ${runId} does not exist; it may have been deleted. Nothing was changed.`, { kind: 'not-found', runId })
        }
        const status = row.status as RunStatus
        if (!ALLOWED[input.kind].includes(status)) {
          const verb = input.kind === 'resumed' ? 'resumed' : 'trained further'
          throw new DbError(
            `Run ${runId} cannot be ${verb}: it is ${status}, and only ${ALLOWED[input.kind].join(', ')} runs can. The run was left unchanged.`,
            { kind: 'invalid-state', runId }
          )
        }
        const before =
          input.kind === 'extended'
            ? await trx.selectFrom('results').select(['test_accuracy', 'test_loss']).where('run_id', '=', runId).executeTakeFirst()
            : undefined
        const { hparams } = input
        await trx
          .updateTable('runs')
          .set((eb) => ({
            status: 'queued',
            error_message: null,
            finished_at: null,
            owner_pid: null,
            ...(hparams ? { epochs_planned: hparams.epochs, hparams: JSON.stringify(hparams) } : {}),
            epochs_done: eb.case().when('epochs_done', '<', input.afterEpoch).then(eb.ref('epochs_done')).else(input.afterEpoch).end()
          }))
          .where('id', '=', runId)
          .execute()
        const dropped = await trx.deleteFrom('epochs').where('run_id', '=', runId).where('epoch', '>', input.afterEpoch).executeTakeFirst()
        if (Number(dropped.numDeletedRows) > 0) {
          await trx
            .updateTable('runs')
            .set((eb) => ({
              best_val_accuracy: eb
                .selectFrom('epochs')
                .select((e) => e.fn.max('val_accuracy').as('best'))
                .where('run_id', '=', runId)
            }))
            .where('id', '=', runId)
            .execute()
        }
        const point: Row = {
          run_id: runId,
          after_epoch: input.afterEpoch,
          kind: input.kind,
          at: input.at ?? new Date().toISOString(),
          test_accuracy: before?.test_accuracy ?? null,
          test_loss: before?.test_loss ?? null
        }
        await trx.insertInto('resume_points').values(point).execute()
        return toPoint(point)
      }),
    async list(runId) {
      const rows = await db
        .selectFrom('resume_points')
        .select(COLUMNS)
        .where('run_id', '=', runId)
        .orderBy(dialect.resumePointOrder)
        .execute()
      return rows.map(toPoint)
    },
    async listForRuns(runIds) {
      const rows = await db
        .selectFrom('resume_points')
        .select(COLUMNS)
        .where(dialect.inIds('run_id', runIds))
        .orderBy('run_id')
        .orderBy(dialect.resumePointOrder)
        .execute()
      const byRun = new Map<number, ResumePoint[]>()
      for (const row of rows) {
        let list = byRun.get(row.run_id)
        if (!list) byRun.set(row.run_id, (list = []))
        list.push(toPoint(row))
      }
      return byRun
    }
  }
}
