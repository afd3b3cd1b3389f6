/** The `datasets` table: what each dataset of this store is, and which runs trained on it. */
import { z } from 'zod'
import { builtinRef, type DatasetRef, type DatasetSource, type ImageShape, type ImportReport, type Preprocessing } from '@shared/dataset'
import type { Kysely } from 'kysely'
import { atomic } from './atomic'
import { DbError } from './db-error'
import type { StoreDialect } from './store-dialect'
import type { DatasetsTable, DB } from './tables'

/** One stored dataset. */
export interface DatasetRecord extends DatasetRef {
  trainCount: number
  testCount: number
  /** Folder (built-ins) or cache file (imported folders) holding its images. */
  location: string
  report: ImportReport | null
  createdAt: string
}

/** A row as stored (the table's own type: one declaration of its columns). */
type DatasetRow = DatasetsTable

const preprocessingSchema: z.ZodType<Preprocessing> = z.object({
  fit: z.enum(['ink-box', 'cover']),
  height: z.number().int().positive(),
  width: z.number().int().positive(),
  color: z.enum(['gray', 'rgb']),
  scale: z.number().positive()
})

function parse<T>(name: string, column: string, text: string, schema: z.ZodType<T>): T {
  try {
    return schema.parse(JSON.parse(text))
  } catch (cause) {
    throw new DbError(
      `Dataset ${name} in the database cannot be read: its ${column} column has an unexpected shape. Remove the dataset and import it again.`,
      { kind: 'bad-row', cause }
    )
  }
}

function toRecord(row: DatasetRow): DatasetRecord {
  return {
    name: row.name,
    title: row.title,
    source: row.source as DatasetSource,
    contentHash: row.content_hash,
    shape: { height: row.height, width: row.width, channels: row.channels as ImageShape['channels'] },
    classNames: parse(row.name, 'class_names', row.class_names, z.array(z.string())),
    trainCount: row.train_count,
    testCount: row.test_count,
    preprocessing: parse(row.name, 'preprocessing', row.preprocessing, preprocessingSchema),
    location: row.location,
    // The report is ours and only shown; it is not validated field by field.
    report: row.report === null ? null : (parse(row.name, 'report', row.report, z.unknown()) as ImportReport),
    createdAt: row.created_at
  }
}

/** The ref part of a record (what runs and models carry). */
export function toRef(record: DatasetRecord): DatasetRef {
  const { name, title, source, shape, classNames, contentHash, preprocessing } = record
  return { name, title, source, shape, classNames, contentHash, preprocessing }
}

/** The datasets table's repository. */
export interface DatasetsRepo {
  list(): Promise<DatasetRecord[]>
  get(name: string): Promise<DatasetRecord | null>
  /** Adds a new dataset; a name already taken is a `bad-input` DbError and changes nothing. */
  insert(record: DatasetRecord): Promise<void>
  /** Records a built-in's description after its files were read (or read again). */
  upsert(record: DatasetRecord): Promise<void>
  remove(name: string): Promise<boolean>
  /** Runs per dataset name (names without runs are absent). */
  runCounts(): Promise<Map<string, number>>
  runIds(name: string): Promise<number[]>
  /** What a run trained on `name` shows: the stored row, else the built-in's description. */
  ref(name: string): Promise<DatasetRef | null>
}

const toRow = (r: DatasetRecord): DatasetRow => ({
  name: r.name,
  title: r.title,
  source: r.source,
  content_hash: r.contentHash,
  height: r.shape.height,
  width: r.shape.width,
  channels: r.shape.channels,
  class_names: JSON.stringify(r.classNames),
  train_count: r.trainCount,
  test_count: r.testCount,
  preprocessing: JSON.stringify(r.preprocessing),
  location: r.location,
  report: r.report === null ? null : JSON.stringify(r.report),
  created_at: r.createdAt
})

export function createDatasetsRepo(db: Kysely<DB>, dialect: StoreDialect): DatasetsRepo {
  const one = (name: string) => db.selectFrom('datasets').selectAll().where('name', '=', name).executeTakeFirst()

  return {
    async list() {
      const rows = await db.selectFrom('datasets').selectAll().orderBy('name').execute()
      return rows.map(toRecord)
    },
    async get(name) {
      const row = await one(name)
      return row ? toRecord(row) : null
    },
    async insert(record) {
      try {
        // In a savepoint inside a caller's transaction: PostgreSQL aborts a transaction at its first failed statement.
        await atomic(db, (trx) => trx.insertInto('datasets').values(toRow(record)).execute())
      } catch (cause) {
        if (dialect.isDuplicateKey(cause)) {
          throw new DbError(`A dataset named ${record.name} already exists; choose another name or remove it first.`, {
            kind: 'bad-input',
            cause
          })
        }
        throw cause
      }
    },
    async upsert(record) {
      await db
        .insertInto('datasets')
        .values(toRow(record))
        .onConflict((oc) =>
          oc.column('name').doUpdateSet((eb) => ({
            title: eb.ref('excluded.title'),
            source: eb.ref('excluded.source'),
            content_hash: eb.ref('excluded.content_hash'),
            height: eb.ref('excluded.height'),
            width: eb.ref('excluded.width'),
            channels: eb.ref('excluded.channels'),
            class_names: eb.ref('excluded.class_names'),
            train_count: eb.ref('excluded.train_count'),
            test_count: eb.ref('excluded.test_count'),
            preprocessing: eb.ref('excluded.preprocessing'),
            location: eb.ref('excluded.location'),
            report: eb.ref('excluded.report')
          }))
        )
        .execute()
    },
    async remove(name) {
      const result = await db.deleteFrom('datasets').where('name', '=', name).executeTakeFirst()
      return Number(result.numDeletedRows) > 0
    },
    async runCounts() {
      const rows = await db
        .selectFrom('runs')
        .select((eb) => ['dataset', eb.fn.countAll<number | string>().as('n')])
        .groupBy('dataset')
        .execute()
      // PostgreSQL counts in bigint, which its driver hands over as a string.
      return new Map(rows.map((r) => [r.dataset, Number(r.n)]))
    },
    async runIds(name) {
      const rows = await db.selectFrom('runs').select('id').where('dataset', '=', name).orderBy('id').execute()
      return rows.map((r) => r.id)
    },
    async ref(name) {
      const row = await one(name)
      return row ? toRef(toRecord(row)) : builtinRef(name)
    }
  }
}
