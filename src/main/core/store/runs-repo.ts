/** The `runs` table: one row per training run, from queued to its final status. */
import { formatFieldErrors } from '@shared/error-text'
import { parseHparams, type Hparams } from '@shared/hparams'
import type { BackendInfo, RunDetail, RunStatus, RunSummary } from '@shared/run'
import type { Database } from './connection'
import { DbError } from './db-error'
import type { Sync } from './sync-repo'
import { createDatasetsRepo, type DatasetsRepo } from './datasets-repo'
import { createEpochsRepo, type EpochsRepo } from './epochs-repo'
import { createResultsRepo, type ResultsRepo } from './results-repo'
import { createResumePointsRepo, type ResumePointsRepo } from './resume-points-repo'
import { DETAIL_SELECT, SUMMARY_SELECT, toRunDetail, toRunSummary, type DetailRow, type SummaryRow } from './run-rows'

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
  /** Every run's id and `version` (bumped by every change to its row, by any process), for the store watcher. */
  versions(): Promise<Array<{ id: number; version: number }>>
  /** Owner process ids of `running` runs driven by a process other than `pid` (null owners left out). */
  foreignOwners(pid: number): Promise<number[]>
}

/** A completed run's recorded epochs: how many, how long in total, over which subset and batch size. */
export interface TrainingSampleRow {
  /** Training subset size, or null for the whole training set. */
  trainSubset: number | null
  batchSize: number
  epochs: number
  ms: number
}

/** Repositories the run detail is assembled from. */
export interface RunsRepoDeps {
  epochs: Sync<EpochsRepo>
  results: Sync<ResultsRepo>
  resumePoints: Sync<ResumePointsRepo>
  datasets: Sync<DatasetsRepo>
}

const FINAL_STATUSES: ReadonlySet<string> = new Set<FinalStatus>(['completed', 'failed', 'cancelled', 'interrupted'])

/** `deps` lets a store share its repositories; by default they are created on the same database. */
export function createRunsRepo(db: Database, deps?: RunsRepoDeps): Sync<RunsRepo> {
  const epochs = deps?.epochs ?? createEpochsRepo(db)
  const results = deps?.results ?? createResultsRepo(db)
  const resumePoints = deps?.resumePoints ?? createResumePointsRepo(db)
  const datasets = deps?.datasets ?? createDatasetsRepo(db)
  const insertRun = db.prepare(
    `INSERT INTO runs (name, preset, dataset, hparams, status, created_at, app_version, seed, epochs_planned)
     VALUES (@name, @preset, @dataset, @hparams, 'queued', @createdAt, @appVersion, @seed, @epochsPlanned)`
  )
  const summaryOne = db.prepare<[number], SummaryRow>(`${SUMMARY_SELECT} WHERE r.id = ?`)
  const detailMany = db.prepare<[string], DetailRow>(`${DETAIL_SELECT} WHERE r.id IN (SELECT value FROM json_each(?))`)
  const listAll = db.prepare<[], SummaryRow>(`${SUMMARY_SELECT} ORDER BY r.created_at DESC, r.id DESC`)
  const statusOf = db.prepare<[number], { status: string }>('SELECT status FROM runs WHERE id = ?')
  const setRunning = db.prepare(
    `UPDATE runs SET status = 'running', started_at = coalesce(started_at, @startedAt), backend = @backend,
       backend_info = @backendInfo, dataset_checksum = @datasetChecksum, owner_pid = @ownerPid
     WHERE id = @id AND status = 'queued'`
  )
  const setFinished = db.prepare(
    `UPDATE runs SET status = @status, error_message = @errorMessage, finished_at = @finishedAt
     WHERE id = @id AND status IN ('queued', 'running')`
  )
  const edit = db.prepare(
    `UPDATE runs SET name = coalesce(@name, name), notes = coalesce(@notes, notes), tags = coalesce(@tags, tags)
     WHERE id = @id`
  )
  const deleteMany = db.prepare<[string]>('DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?))')
  const interrupt = db.prepare(
    `UPDATE runs SET status = 'interrupted', error_message =
       'Atelier stopped while this run was training, after ' || epochs_done || ' of ' || epochs_planned ||
       ' epochs. The completed epochs were kept; continue from the last one with Resume, or start again with Re-run.'
     WHERE id = ? AND status = 'running'`
  )
  const runningOwners = db.prepare<[], { id: number; owner_pid: number | null }>(`SELECT id, owner_pid FROM runs WHERE status = 'running'`)
  const versions = db.prepare<[], { id: number; version: number }>('SELECT id, version FROM runs')
  const foreignOwners = db.prepare<[number], { owner_pid: number }>(
    `SELECT owner_pid FROM runs WHERE status = 'running' AND owner_pid IS NOT NULL AND owner_pid != ?`
  )

  const samples = db.prepare<[string, number], TrainingSampleRow>(
    `SELECT json_extract(r.hparams, '$.trainSubset') AS trainSubset, json_extract(r.hparams, '$.batchSize') AS batchSize,
            count(e.epoch) AS epochs, sum(e.duration_ms) AS ms
     FROM runs r JOIN epochs e ON e.run_id = r.id
     WHERE r.status = 'completed' AND r.preset = ?
     GROUP BY r.id ORDER BY r.id DESC LIMIT ?`
  )

  function summary(id: number): RunSummary {
    const row = summaryOne.get(id)
    if (!row) throw notFound(id)
    return toRunSummary(row)
  }

  /** Explains why a guarded status change touched no row. */
  function transitionError(id: number, action: string, allowed: string): DbError {
    const row = statusOf.get(id)
    if (!row) return notFound(id)
    return new DbError(`Run ${id} cannot be ${action}: it is ${row.status}, and only ${allowed} runs can. The run was left unchanged.`, {
      kind: 'invalid-state',
      runId: id
    })
  }

  function getMany(ids: readonly number[]): RunDetail[] {
    const wanted = JSON.stringify([...new Set(ids)])
    // Three reads that must agree with each other: one snapshot.
    return db.transaction(() => {
      const rows = new Map(detailMany.all(wanted).map((row) => [row.id, row]))
      const histories = epochs.listForRuns([...rows.keys()])
      const metrics = results.metricsForRuns([...rows.keys()])
      const resumes = resumePoints.listForRuns([...rows.keys()])
      const details: RunDetail[] = []
      for (const id of new Set(ids)) {
        const row = rows.get(id)
        if (row) {
          details.push(
            toRunDetail(row, {
              history: histories.get(id) ?? [],
              metrics: metrics.get(id) ?? null,
              resumePoints: resumes.get(id) ?? [],
              dataset: datasets.ref(row.dataset)
            })
          )
        }
      }
      return details
    })()
  }

  return {
    insert({ name, hparams, appVersion, createdAt }) {
      const parsed = parseHparams(hparams)
      if (!parsed.ok) {
        const fields = formatFieldErrors(parsed.errors)
        throw new DbError(`Cannot queue run "${name}": invalid hyperparameters (${fields}). Nothing was written.`, {
          kind: 'bad-input'
        })
      }
      const h = parsed.value
      const { lastInsertRowid } = insertRun.run({
        name,
        preset: h.preset,
        dataset: h.dataset,
        hparams: JSON.stringify(h),
        createdAt: createdAt ?? new Date().toISOString(),
        appVersion,
        seed: h.seed,
        epochsPlanned: h.epochs
      })
      return summary(Number(lastInsertRowid))
    },
    get(id) {
      return getMany([id])[0] ?? null
    },
    getMany,
    list() {
      return listAll.all().map(toRunSummary)
    },
    markRunning(id, { backendInfo, datasetChecksum, startedAt, ownerPid = process.pid }) {
      const params = {
        id,
        startedAt,
        ownerPid,
        backend: backendInfo.name,
        backendInfo: JSON.stringify(backendInfo),
        datasetChecksum
      }
      if (setRunning.run(params).changes === 0) throw transitionError(id, 'started', 'queued')
      return summary(id)
    },
    finish(id, { status, errorMessage, finishedAt }) {
      if (!FINAL_STATUSES.has(status)) {
        throw new DbError(`Run ${id} cannot finish as "${status}": not a final status. The run was left unchanged.`, {
          kind: 'bad-input',
          runId: id
        })
      }
      if (setFinished.run({ id, status, errorMessage: errorMessage ?? null, finishedAt }).changes === 0) {
        throw transitionError(id, `marked ${status}`, 'queued or running')
      }
      return summary(id)
    },
    update(id, { name, notes, tags }) {
      const params = { id, name: name ?? null, notes: notes ?? null, tags: tags ? JSON.stringify(tags) : null }
      if (edit.run(params).changes === 0) throw notFound(id)
      return summary(id)
    },
    delete(ids) {
      // Epochs and results go with their run through ON DELETE CASCADE.
      return deleteMany.run(JSON.stringify([...ids])).changes
    },
    markInterrupted({ isAlive = processIsAlive }: MarkInterruptedOptions = {}) {
      const orphans = runningOwners.all().filter((r) => r.owner_pid === null || !isAlive(r.owner_pid))
      return db.transaction(() => orphans.reduce((n, r) => n + interrupt.run(r.id).changes, 0))()
    },
    trainingSamples(preset, limit = 20) {
      return samples.all(preset, limit)
    },
    versions() {
      return versions.all()
    },
    foreignOwners(pid) {
      return foreignOwners.all(pid).map((r) => r.owner_pid)
    }
  }
}

function notFound(id: number): DbError {
  return new DbError(`Run ${id} does not exist; it may have been deleted. Nothing was changed.`, {
    kind: 'not-found',
    runId: id
  })
}
