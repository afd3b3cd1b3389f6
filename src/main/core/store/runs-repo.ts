/** The `runs` table: one row per training run, from queued to its final status. */
import { formatFieldErrors } from '@shared/error-text'
import { parseHparams, type Hparams } from '@shared/hparams'
import type { BackendInfo, RunDetail, RunStatus, RunSummary } from '@shared/run'
import { sql, type Kysely } from 'kysely'
import type { DatasetRef } from '@shared/dataset'
import { atomic } from './atomic'
import { DbError } from './db-error'
import { createDatasetsRepo } from './datasets-repo'
import { createEpochsRepo } from './epochs-repo'
import { createResultsRepo } from './results-repo'
import { createResumePointsRepo } from './resume-points-repo'
import type { StoreDialect } from './store-dialect'
import type { DB } from './tables'
import { detailSelect, summarySelect, toRunDetail, toRunSummary, type DetailRow, type SummaryRow } from './run-rows'

/** What a new run is created from. */
export interface InsertRunInput {
  name: string
  hparams: Hparams
  /** Version of Atelier that queued the run. */
  appVersion: string
  /** ISO time of creation; now when omitted. */
  createdAt?: string
}

/** What is known once a trainer process has started a run. */
export interface MarkRunningInput {
  backendInfo: BackendInfo
  /** Checksum of the dataset files the trainer loaded. */
  datasetChecksum: string | null
  /** ISO time the trainer started. */
  startedAt: string
  /** Process that drives the run and writes its epochs (default: this process). */
  ownerPid?: number
}

export interface MarkInterruptedOptions {
  /** Whether a process id is alive; a run whose owner is alive is left running. */
  isAlive?: (pid: number) => boolean
}

/** True unless the OS says there is no such process (EPERM means it exists but is not ours). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'
  }
}

/** Statuses a run can end in. */
export type FinalStatus = Exclude<RunStatus, 'queued' | 'running'>

/** How a run ended. */
export interface FinishInput {
  /** A {@link FinalStatus}; `queued` or `running` is refused with a `bad-input` DbError. */
  status: RunStatus
  /** Why it failed, for a person; null or omitted otherwise. */
  errorMessage?: string | null
  /** ISO time it ended. */
  finishedAt: string
}

/** The fields a person may edit on a run; omitted fields keep their value. */
export interface RunEdit {
  name?: string
  notes?: string
  tags?: string[]
}

export interface RunsRepo {
  /** Creates a `queued` run; epochs planned and seed come from the hyperparameters. */
  insert(input: InsertRunInput): Promise<RunSummary>
  /** A run with its history and test metrics (predictions are read separately), or null. */
  get(id: number): Promise<RunDetail | null>
  /** Several runs in the order asked for; unknown ids are skipped. Three queries whatever the count. */
  getMany(ids: readonly number[]): Promise<RunDetail[]>
  /** Every run, newest first, in one query. */
  list(): Promise<RunSummary[]>
  /** Moves a `queued` run to `running` and records its backend and dataset. */
  markRunning(id: number, input: MarkRunningInput): Promise<RunSummary>
  /** Moves a `queued` or `running` run to its final status; a finished run never changes status again. */
  finish(id: number, input: FinishInput): Promise<RunSummary>
  /** Edits name, notes or tags. */
  update(id: number, edit: RunEdit): Promise<RunSummary>
  /** Deletes runs with their epochs and results; returns how many runs were deleted. */
  delete(ids: readonly number[]): Promise<number>
  /**
   * After a crash or forced quit: every `running` run whose owner process is gone becomes
   * `interrupted`, keeping its completed epochs (a run another live process drives is left alone). `queued` runs stay queued, since no trainer ever touched them and the
   * queue can simply start them again. Returns how many runs were marked.
   */
  markInterrupted(options?: MarkInterruptedOptions): Promise<number>
  /** The latest `limit` completed runs of a preset with their recorded training (for time estimates), newest first. */
  trainingSamples(preset: string, limit?: number): Promise<TrainingSampleRow[]>
  /** Every run's id and version, to find what another process changed without reading whole rows. */
  versions(): Promise<Array<{ id: number; version: number }>>
  /** Owner processes of `running` runs that some process other than `pid` drives. */
  foreignOwners(pid: number): Promise<number[]>
}

/** A completed run's recorded epochs: how many, how long in total, over which subset and batch size. */
export interface TrainingSampleRow {
  /** The dataset it trained on (its training set's size counts the images of an epoch without a subset). */
  dataset: string
  /** Training subset size, or null for the whole training set. */
  trainSubset: number | null
  batchSize: number
  epochs: number
  ms: number
}

const FINAL_STATUSES: ReadonlySet<string> = new Set<FinalStatus>(['completed', 'failed', 'cancelled', 'interrupted'])

export function createRunsRepo(db: Kysely<DB>, dialect: StoreDialect): RunsRepo {
  async function summary(trx: Kysely<DB>, id: number): Promise<RunSummary> {
    const row = await summarySelect(trx).where('r.id', '=', id).executeTakeFirst()
    if (!row) throw notFound(id)
    return toRunSummary(row as SummaryRow)
  }

  /** Explains why a guarded status change touched no row. */
  async function transitionError(trx: Kysely<DB>, id: number, action: string, allowed: string): Promise<DbError> {
    const row = await trx.selectFrom('runs').select('status').where('id', '=', id).executeTakeFirst()
    if (!row) return notFound(id)
    return new DbError(`Run ${id} cannot be ${action}: it is ${row.status}, and only ${allowed} runs can. The run was left unchanged.`, {
      kind: 'invalid-state',
      runId: id
    })
  }

  async function getMany(ids: readonly number[]): Promise<RunDetail[]> {
    const wanted = [...new Set(ids)]
    // Reads that must agree with each other: one snapshot.
    return atomic(db, async (trx) => {
      const rows = new Map(
        ((await detailSelect(trx).where(dialect.inIds('r.id', wanted)).execute()) as DetailRow[]).map((row) => [row.id, row])
      )
      const found = [...rows.keys()]
      const [histories, metrics, resumes] = [
        await createEpochsRepo(trx, dialect).listForRuns(found),
        await createResultsRepo(trx, dialect).metricsForRuns(found),
        await createResumePointsRepo(trx, dialect).listForRuns(found)
      ]
      const datasetsOfTrx = createDatasetsRepo(trx, dialect)
      const refs = new Map<string, DatasetRef | null>()
      for (const row of rows.values()) if (!refs.has(row.dataset)) refs.set(row.dataset, await datasetsOfTrx.ref(row.dataset))
      const details: RunDetail[] = []
      for (const id of wanted) {
        const row = rows.get(id)
        if (row) {
          details.push(
            toRunDetail(row, {
              history: histories.get(id) ?? [],
              metrics: metrics.get(id) ?? null,
              resumePoints: resumes.get(id) ?? [],
              dataset: refs.get(row.dataset) ?? null
            })
          )
        }
      }
      return details
    })
  }

  return {
    async insert({ name, hparams, appVersion, createdAt }) {
      const parsed = parseHparams(hparams)
      if (!parsed.ok) {
        const fields = formatFieldErrors(parsed.errors)
        throw new DbError(`Cannot queue run "${name}": invalid hyperparameters (${fields}). Nothing was written.`, {
          kind: 'bad-input'
        })
      }
      const h = parsed.value
      return atomic(db, async (trx) => {
        const { id } = await trx
          .insertInto('runs')
          .values({
            name,
            preset: h.preset,
            dataset: h.dataset,
            hparams: JSON.stringify(h),
            status: 'queued',
            created_at: createdAt ?? new Date().toISOString(),
            app_version: appVersion,
            seed: h.seed,
            epochs_planned: h.epochs
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        return summary(trx, id)
      })
    },
    async get(id) {
      return (await getMany([id]))[0] ?? null
    },
    getMany,
    async list() {
      const rows = await summarySelect(db).orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').execute()
      return (rows as SummaryRow[]).map(toRunSummary)
    },
    markRunning: (id, { backendInfo, datasetChecksum, startedAt, ownerPid = process.pid }) =>
      atomic(db, async (trx) => {
        const result = await trx
          .updateTable('runs')
          .set((eb) => ({
            status: 'running',
            started_at: eb.fn.coalesce('started_at', eb.val(startedAt)),
            backend: backendInfo.name,
            backend_info: JSON.stringify(backendInfo),
            dataset_checksum: datasetChecksum,
            owner_pid: ownerPid
          }))
          .where('id', '=', id)
          .where('status', '=', 'queued')
          .executeTakeFirst()
        if (Number(result.numUpdatedRows) === 0) throw await transitionError(trx, id, 'started', 'queued')
        return summary(trx, id)
      }),
    async finish(id, { status, errorMessage, finishedAt }) {
      if (!FINAL_STATUSES.has(status)) {
        throw new DbError(`Run ${id} cannot finish as "${status}": not a final status. The run was left unchanged.`, {
          kind: 'bad-input',
          runId: id
        })
      }
      return atomic(db, async (trx) => {
        const result = await trx
          .updateTable('runs')
          .set({ status, error_message: errorMessage ?? null, finished_at: finishedAt })
          .where('id', '=', id)
          .where('status', 'in', ['queued', 'running'])
          .executeTakeFirst()
        if (Number(result.numUpdatedRows) === 0) throw await transitionError(trx, id, `marked ${status}`, 'queued or running')
        return summary(trx, id)
      })
    },
    update: (id, { name, notes, tags }) =>
      atomic(db, async (trx) => {
        const result = await trx
          .updateTable('runs')
          .set((eb) => ({
            name: eb.fn.coalesce(eb.val(name ?? null), eb.ref('name')),
            notes: eb.fn.coalesce(eb.val(notes ?? null), eb.ref('notes')),
            tags: eb.fn.coalesce(eb.val(tags ? JSON.stringify(tags) : null), eb.ref('tags'))
          }))
          .where('id', '=', id)
          .executeTakeFirst()
        if (Number(result.numUpdatedRows) === 0) throw notFound(id)
        return summary(trx, id)
      }),
    async delete(ids) {
      // Epochs, results, model files and resume points go with their run through ON DELETE CASCADE.
      const result = await db.deleteFrom('runs').where(dialect.inIds('id', ids)).executeTakeFirst()
      return Number(result.numDeletedRows)
    },
    async markInterrupted({ isAlive = processIsAlive }: MarkInterruptedOptions = {}) {
      const running = await db.selectFrom('runs').select(['id', 'owner_pid']).where('status', '=', 'running').execute()
      const orphans = running.filter((r) => r.owner_pid === null || !isAlive(r.owner_pid))
      if (orphans.length === 0) return 0
      return atomic(db, async (trx) => {
        let marked = 0
        for (const r of orphans) {
          const result = await trx
            .updateTable('runs')
            .set({
              status: 'interrupted',
              // Raw SQL: the builder has no string concatenation; the message must use the row's own counts.
              error_message: sql<string>`'Atelier stopped while this run was training, after ' || cast(epochs_done as text) || ' of ' || cast(epochs_planned as text) ||
                ' epochs. The completed epochs were kept; continue from the last one with Resume, or start again with Re-run.'`
            })
            .where('id', '=', r.id)
            .where('status', '=', 'running')
            .executeTakeFirst()
          marked += Number(result.numUpdatedRows)
        }
        return marked
      })
    },
    async trainingSamples(preset, limit = 20) {
      const rows = await db
        .selectFrom('runs as r')
        .innerJoin('epochs as e', 'e.run_id', 'r.id')
        .select((eb) => [
          'r.dataset',
          dialect.jsonNumber('r.hparams', 'trainSubset').as('trainSubset'),
          dialect.jsonNumber('r.hparams', 'batchSize').as('batchSize'),
          eb.fn.count<number | string>('e.epoch').as('epochs'),
          eb.fn.sum<number>('e.duration_ms').as('ms')
        ])
        .where('r.status', '=', 'completed')
        .where('r.preset', '=', preset)
        .groupBy(['r.id', 'r.dataset'])
        .orderBy('r.id', 'desc')
        .limit(limit)
        .execute()
      return rows.map((r) => ({
        dataset: r.dataset,
        trainSubset: r.trainSubset,
        batchSize: Number(r.batchSize),
        epochs: Number(r.epochs),
        ms: Number(r.ms)
      }))
    },
    async versions() {
      return db.selectFrom('runs').select(['id', 'version']).orderBy('id').execute()
    },
    async foreignOwners(pid) {
      const rows = await db
        .selectFrom('runs')
        .select('owner_pid')
        .where('status', '=', 'running')
        .where('owner_pid', 'is not', null)
        .where('owner_pid', '!=', pid)
        .execute()
      return rows.map((r) => r.owner_pid!)
    }
  }
}
function notFound(id: number): DbError {
  return new DbError(`Run ${id} does not exist; it may have been deleted. Nothing was changed.`, {
    kind: 'not-found',
    runId: id
  })
}
