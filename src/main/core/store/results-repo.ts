/** The `results` table: test metrics and every test prediction of a finished run. */
import { z } from 'zod'
import type { Predictions, TestMetrics } from '@shared/run'
import type { Kysely } from 'kysely'
import { atomic } from './atomic'
import { DbError } from './db-error'
import { nanToNull } from './epochs-repo'
import { parseJson } from './run-rows'
import type { StoreDialect } from './store-dialect'
import type { DB } from './tables'

interface MetricsRow {
  run_id: number
  test_loss: number | null
  test_accuracy: number | null
  per_class: string
  confusion: string
  batch_norm: string | null
}

/** JSON has no NaN (it is written as null), so null reads back as NaN. */
const metric = z
  .number()
  .nullable()
  .transform((v) => v ?? Number.NaN)
const perClassSchema = z.array(z.object({ precision: metric, recall: metric, f1: metric, support: z.number() }))
const confusionSchema = z.array(z.array(z.number()))
const batchNormSchema = z.object({ layers: z.number().int(), images: z.number().int() })

const METRIC_COLUMNS = ['run_id', 'test_loss', 'test_accuracy', 'per_class', 'confusion', 'batch_norm'] as const

function toTestMetrics(row: MetricsRow): TestMetrics {
  return {
    testLoss: row.test_loss ?? Number.NaN,
    testAccuracy: row.test_accuracy ?? Number.NaN,
    perClass: parseJson(row.run_id, 'per_class', row.per_class, perClassSchema),
    confusion: parseJson(row.run_id, 'confusion', row.confusion, confusionSchema),
    ...(row.batch_norm === null ? {} : { batchNorm: parseJson(row.run_id, 'batch_norm', row.batch_norm, batchNormSchema) })
  }
}

export interface ResultsRepo {
  /** Stores (or replaces) a run's test metrics and predictions in one transaction. */
  save(runId: number, metrics: TestMetrics, predictions: Predictions): Promise<void>
  /** A run's test metrics, or null before its test evaluation. */
  getMetrics(runId: number): Promise<TestMetrics | null>
  /** Metrics of several runs in one query, keyed by run id (runs without results are absent). */
  metricsForRuns(runIds: readonly number[]): Promise<Map<number, TestMetrics>>
  /** A run's predictions as fresh, independently owned arrays, or null before its evaluation. */
  getPredictions(runId: number): Promise<Predictions | null>
}

export function createResultsRepo(db: Kysely<DB>, dialect: StoreDialect): ResultsRepo {
  return {
    async save(runId, metrics, predictions) {
      checkPredictions(runId, predictions, metrics.confusion.length)
      const row = {
        run_id: runId,
        test_loss: nanToNull(metrics.testLoss),
        test_accuracy: nanToNull(metrics.testAccuracy),
        per_class: JSON.stringify(metrics.perClass),
        confusion: JSON.stringify(metrics.confusion),
        batch_norm: metrics.batchNorm ? JSON.stringify(metrics.batchNorm) : null,
        predicted: Buffer.from(predictions.predicted.buffer, predictions.predicted.byteOffset, predictions.predicted.byteLength),
        probabilities: float32ToLittleEndian(predictions.probabilities)
      }
      await atomic(db, async (trx) => {
        const run = await trx.selectFrom('runs').select('id').where('id', '=', runId).executeTakeFirst()
        if (!run) {
          throw new DbError(`Cannot store test results: run ${runId} does not exist (it may have been deleted).`, {
            kind: 'not-found',
            runId
          })
        }
        await trx
          .insertInto('results')
          .values(row)
          .onConflict((oc) =>
            oc.column('run_id').doUpdateSet((eb) => ({
              test_loss: eb.ref('excluded.test_loss'),
              test_accuracy: eb.ref('excluded.test_accuracy'),
              per_class: eb.ref('excluded.per_class'),
              confusion: eb.ref('excluded.confusion'),
              batch_norm: eb.ref('excluded.batch_norm'),
              predicted: eb.ref('excluded.predicted'),
              probabilities: eb.ref('excluded.probabilities')
            }))
          )
          .execute()
      })
    },
    async getMetrics(runId) {
      const row = await db.selectFrom('results').select(METRIC_COLUMNS).where('run_id', '=', runId).executeTakeFirst()
      return row ? toTestMetrics(row) : null
    },
    async metricsForRuns(runIds) {
      const rows = await db.selectFrom('results').select(METRIC_COLUMNS).where(dialect.inIds('run_id', runIds)).execute()
      const byRun = new Map<number, TestMetrics>()
      for (const row of rows) byRun.set(row.run_id, toTestMetrics(row))
      return byRun
    },
    async getPredictions(runId) {
      const row = await db.selectFrom('results').select(['predicted', 'probabilities']).where('run_id', '=', runId).executeTakeFirst()
      if (!row) return null
      // One row of probabilities per prediction, one column per class of the run's dataset (at least two).
      const n = row.predicted.byteLength
      const floats = row.probabilities.byteLength / 4
      if (n === 0 || !Number.isInteger(floats) || floats % n !== 0 || floats / n < 2) {
        throw new DbError(
          `Run ${runId} has damaged predictions: ${n} predicted classes but ${row.probabilities.byteLength} bytes of ` +
            `probabilities (expected 4 bytes per class for each). Its metrics and history are unaffected; re-run it to ` +
            'get predictions again.',
          { kind: 'bad-row', runId }
        )
      }
      // new Uint8Array(buffer) copies, so the caller owns memory unrelated to the driver's.
      return { predicted: new Uint8Array(row.predicted), probabilities: float32FromLittleEndian(row.probabilities) }
    }
  }
}

/** `classCount` is the run's: its confusion matrix has one row per class. */
function checkPredictions(runId: number, { predicted, probabilities }: Predictions, classCount: number): void {
  const expected = predicted.length * classCount
  if (predicted.length === 0 || probabilities.length !== expected) {
    throw new DbError(
      `Cannot store the predictions of run ${runId}: ${predicted.length} predicted classes need ` +
        `${expected} probabilities, got ${probabilities.length}. Nothing was written.`,
      { kind: 'bad-input', runId }
    )
  }
}

/** Probabilities are stored little-endian whatever the machine, so a database file is portable. */
function float32ToLittleEndian(values: Float32Array): Buffer {
  const bytes = Buffer.allocUnsafe(values.length * 4)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true)
  return bytes
}

function float32FromLittleEndian(bytes: Uint8Array): Float32Array {
  const values = new Float32Array(bytes.byteLength / 4)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true)
  return values
}
