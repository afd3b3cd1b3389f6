/** The `datasets` table: what each dataset of this store is, and which runs trained on it. */
import { z } from 'zod'
import { builtinRef, type DatasetRef, type DatasetSource, type ImageShape, type ImportReport, type Preprocessing } from '@shared/dataset'
import type { Database } from './connection'
import { DbError } from './db-error'
import type { Sync } from './sync-repo'

/** One stored dataset. */
export interface DatasetRecord extends DatasetRef {
  trainCount: number
  testCount: number
  /** Folder (built-ins) or cache file (imported folders) holding its images. */
  location: string
  report: ImportReport | null
  createdAt: string
}

interface DatasetRow {
  name: string
  title: string
  source: string
  content_hash: string | null
  height: number
  width: number
  channels: number
  class_names: string
  train_count: number
  test_count: number
  preprocessing: string
  location: string
  report: string | null
  created_at: string
}

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

export interface DatasetsRepo {
  /** Every stored dataset, by name. */
  list(): Promise<DatasetRecord[]>
  get(name: string): Promise<DatasetRecord | null>
  /** Adds a new dataset; a name already taken is a `bad-input` DbError and changes nothing. */
  insert(record: DatasetRecord): Promise<void>
  /** Records a built-in's description after its files were read (or read again). */
  upsert(record: DatasetRecord): Promise<void>
  /** Removes a dataset's row; false when there was none. */
  remove(name: string): Promise<boolean>
  /** Runs per dataset name (names without runs are absent). */
  runCounts(): Promise<Map<string, number>>
  /** Ids of the runs trained on `name`, oldest first. */
  runIds(name: string): Promise<number[]>
  /** What a run trained on `name` shows: the stored row, else the built-in's description. */
  ref(name: string): Promise<DatasetRef | null>
}

export function createDatasetsRepo(db: Database): Sync<DatasetsRepo> {
  const all = db.prepare<[], DatasetRow>('SELECT * FROM datasets ORDER BY name')
  const one = db.prepare<[string], DatasetRow>('SELECT * FROM datasets WHERE name = ?')
  const upsert = db.prepare(
    `INSERT INTO datasets (name, title, source, content_hash, height, width, channels, class_names, train_count, test_count,
                           preprocessing, location, report, created_at)
     VALUES (@name, @title, @source, @contentHash, @height, @width, @channels, @classNames, @trainCount, @testCount,
             @preprocessing, @location, @report, @createdAt)
     ON CONFLICT (name) DO UPDATE SET title = excluded.title, source = excluded.source, content_hash = excluded.content_hash,
       height = excluded.height, width = excluded.width, channels = excluded.channels, class_names = excluded.class_names,
       train_count = excluded.train_count, test_count = excluded.test_count, preprocessing = excluded.preprocessing,
       location = excluded.location, report = excluded.report`
  )
  const insertOnly = db.prepare(
    `INSERT INTO datasets (name, title, source, content_hash, height, width, channels, class_names, train_count, test_count,
                           preprocessing, location, report, created_at)
     VALUES (@name, @title, @source, @contentHash, @height, @width, @channels, @classNames, @trainCount, @testCount,
             @preprocessing, @location, @report, @createdAt)`
  )
  const remove = db.prepare<[string]>('DELETE FROM datasets WHERE name = ?')
  const runCounts = db.prepare<[], { dataset: string; n: number }>('SELECT dataset, count(*) AS n FROM runs GROUP BY dataset')
  const runIds = db.prepare<[string], { id: number }>('SELECT id FROM runs WHERE dataset = ? ORDER BY id')

  const params = (r: DatasetRecord) => ({
    name: r.name,
    title: r.title,
    source: r.source,
    contentHash: r.contentHash,
    height: r.shape.height,
    width: r.shape.width,
    channels: r.shape.channels,
    classNames: JSON.stringify(r.classNames),
    trainCount: r.trainCount,
    testCount: r.testCount,
    preprocessing: JSON.stringify(r.preprocessing),
    location: r.location,
    report: r.report === null ? null : JSON.stringify(r.report),
    createdAt: r.createdAt
  })

  return {
    list: (): DatasetRecord[] => all.all().map(toRecord),
    get(name: string): DatasetRecord | null {
      const row = one.get(name)
      return row ? toRecord(row) : null
    },
    /** Adds a new dataset; a name already taken is a `conflict` DbError and changes nothing. */
    insert(record: DatasetRecord): void {
      try {
        insertOnly.run(params(record))
      } catch (cause) {
        if ((cause as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw new DbError(`A dataset named ${record.name} already exists; choose another name or remove it first.`, {
            kind: 'bad-input',
            cause
          })
        }
        throw cause
      }
    },
    /** Records a built-in's description after its files were read (or read again). */
    upsert(record: DatasetRecord): void {
      upsert.run(params(record))
    },
    remove(name: string): boolean {
      return remove.run(name).changes > 0
    },
    /** Runs per dataset name (names without runs are absent). */
    runCounts(): Map<string, number> {
      return new Map(runCounts.all().map((r) => [r.dataset, r.n]))
    },
    runIds: (name: string): number[] => runIds.all(name).map((r) => r.id),
    /** What a run trained on `name` shows: the stored row, else the built-in's description. */
    ref(name: string): DatasetRef | null {
      const row = one.get(name)
      return row ? toRef(toRecord(row)) : builtinRef(name)
    }
  }
}
