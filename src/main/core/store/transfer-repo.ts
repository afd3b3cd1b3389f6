/**
 * Rows as the tables hold them, for `db copy`: one run with everything that is its own (epochs,
 * results, resume points, model-file records), its group and sweep, and the datasets, read from one
 * store and written into another (either engine to either engine). What was copied is remembered by
 * origin in `copied_from`, so a copy made again adds nothing twice.
 */
import type { Insertable, Kysely, Selectable } from 'kysely'
import { atomic } from './atomic'
import type {
  ArchitecturesTable,
  DB,
  DatasetsTable,
  EpochsTable,
  GroupsTable,
  ModelFilesTable,
  ResultsTable,
  ResumePointsTable,
  RunsTable,
  SweepsTable
} from './tables'

/** One run's rows. Ids are the source store's. */
export interface RunRows {
  run: Selectable<RunsTable>
  epochs: Selectable<EpochsTable>[]
  results: Selectable<ResultsTable> | null
  resumePoints: Selectable<ResumePointsTable>[]
  modelFiles: Selectable<ModelFilesTable>[]
}

/** Where a copied run's group and sweep are in the destination. */
export interface RunLinks {
  groupId: number | null
  sweepId: number | null
}

export type CopiedKind = 'run' | 'group' | 'sweep'

export interface TransferRepo {
  /** Every run id, oldest first. */
  runIds(): Promise<number[]>
  runRows(runId: number): Promise<RunRows | null>
  group(id: number): Promise<Selectable<GroupsTable> | null>
  sweep(id: number): Promise<Selectable<SweepsTable> | null>
  datasets(): Promise<Selectable<DatasetsTable>[]>
  /** Every saved architecture version. */
  architectures(): Promise<Selectable<ArchitecturesTable>[]>
  /** Adds a saved architecture version unless that name and version are here. Returns whether it was added. */
  insertArchitectureIfAbsent(row: Selectable<ArchitecturesTable>): Promise<boolean>
  /** The id here of what was copied from `origin`, or null (never copied, or deleted here since). */
  copiedTo(kind: CopiedKind, origin: string): Promise<number | null>
  /** Inserts a sweep's row (a new id) and remembers its origin. */
  insertSweep(row: Selectable<SweepsTable>, origin: string): Promise<number>
  insertGroup(row: Selectable<GroupsTable>, sweepId: number | null, origin: string): Promise<number>
  /**
   * Inserts a run with its epochs, results and resume points under a new id, linked to `links`,
   * and remembers its origin; `modelFiles` (called with the new id, inside the same transaction)
   * stores the run's files and returns their records. All of it, or nothing.
   */
  insertRun(
    rows: RunRows,
    links: RunLinks,
    origin: string,
    modelFiles: (runId: number) => Promise<Array<Insertable<ModelFilesTable>>>
  ): Promise<number>
  /** Adds a dataset's row unless one of that name is here. Returns whether it was added. */
  insertDatasetIfAbsent(row: Selectable<DatasetsTable>): Promise<boolean>
}

const TABLE_OF: Record<CopiedKind, 'runs' | 'groups' | 'sweeps'> = { run: 'runs', group: 'groups', sweep: 'sweeps' }

/** PostgreSQL's bigint arrives as a string: a number again, as SQLite gives it. */
const num = (v: number | string): number => Number(v)

export function createTransferRepo(db: Kysely<DB>): TransferRepo {
  const remember = async (trx: Kysely<DB>, kind: CopiedKind, origin: string, id: number): Promise<void> => {
    const key = `${kind}:${origin}`
    await trx
      .insertInto('copied_from')
      .values({ origin: key, target_id: id })
      .onConflict((oc) => oc.column('origin').doUpdateSet({ target_id: id }))
      .execute()
  }
  return {
    async runIds() {
      return (await db.selectFrom('runs').select('id').orderBy('id').execute()).map((r) => r.id)
    },
    async runRows(runId) {
      const run = await db.selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirst()
      if (!run) return null
      const [epochs, results, resumePoints, modelFiles] = await Promise.all([
        db.selectFrom('epochs').selectAll().where('run_id', '=', runId).orderBy('epoch').execute(),
        db.selectFrom('results').selectAll().where('run_id', '=', runId).executeTakeFirst(),
        db
          .selectFrom('resume_points')
          .select(['run_id', 'after_epoch', 'kind', 'at', 'test_accuracy', 'test_loss'])
          .where('run_id', '=', runId)
          .execute(),
        db.selectFrom('model_files').selectAll().where('run_id', '=', runId).execute()
      ])
      return {
        run,
        epochs,
        results: results ?? null,
        resumePoints: resumePoints as Selectable<ResumePointsTable>[],
        modelFiles: modelFiles.map((f) => ({ ...f, bytes: num(f.bytes) }))
      }
    },
    async group(id) {
      return (await db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
    },
    async sweep(id) {
      return (await db.selectFrom('sweeps').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
    },
    async datasets() {
      return db.selectFrom('datasets').selectAll().orderBy('name').execute()
    },
    async copiedTo(kind, origin) {
      const row = await db.selectFrom('copied_from').select('target_id').where('origin', '=', `${kind}:${origin}`).executeTakeFirst()
      if (!row) return null
      const present = await db.selectFrom(TABLE_OF[kind]).select('id').where('id', '=', row.target_id).executeTakeFirst()
      return present ? row.target_id : null
    },
    insertSweep: (row, origin) =>
      atomic(db, async (trx) => {
        const { id: _id, ...values } = row
        const { id } = await trx.insertInto('sweeps').values(values).returning('id').executeTakeFirstOrThrow()
        await remember(trx, 'sweep', origin, id)
        return id
      }),
    insertGroup: (row, sweepId, origin) =>
      atomic(db, async (trx) => {
        const { id: _id, ...values } = row
        const { id } = await trx
          .insertInto('groups')
          .values({ ...values, sweep_id: sweepId })
          .returning('id')
          .executeTakeFirstOrThrow()
        await remember(trx, 'group', origin, id)
        return id
      }),
    insertRun: (rows, links, origin, modelFiles) =>
      atomic(db, async (trx) => {
        // The row as it was, but this store's: a new id, its group and sweep here, no owner process
        // (nobody here trains it), its version counting from zero.
        const { id: _id, version: _version, owner_pid: _owner, group_id: _group, sweep_id: _sweep, ...values } = rows.run
        const { id } = await trx
          .insertInto('runs')
          .values({ ...values, owner_pid: null, group_id: links.groupId, sweep_id: links.sweepId })
          .returning('id')
          .executeTakeFirstOrThrow()
        if (rows.epochs.length)
          await trx
            .insertInto('epochs')
            .values(rows.epochs.map((e) => ({ ...e, run_id: id })))
            .execute()
        if (rows.results)
          await trx
            .insertInto('results')
            .values({ ...rows.results, run_id: id })
            .execute()
        for (const point of rows.resumePoints)
          await trx
            .insertInto('resume_points')
            .values({ ...point, run_id: id })
            .execute()
        const files = await modelFiles(id)
        if (files.length) await trx.insertInto('model_files').values(files).execute()
        await remember(trx, 'run', origin, id)
        return id
      }),
    async architectures() {
      return db.selectFrom('architectures').selectAll().orderBy('name').orderBy('version').execute()
    },
    async insertArchitectureIfAbsent(row) {
      const added = await db
        .insertInto('architectures')
        .values(row)
        .onConflict((oc) => oc.columns(['name', 'version']).doNothing())
        .returning('name')
        .executeTakeFirst()
      return added !== undefined
    },
    async insertDatasetIfAbsent(row) {
      const added = await db
        .insertInto('datasets')
        .values(row)
        .onConflict((oc) => oc.column('name').doNothing())
        .returning('name')
        .executeTakeFirst()
      return added !== undefined
    }
  }
}
