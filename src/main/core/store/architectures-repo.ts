/**
 * The `architectures` table (schema v11): architectures saved by name, one row per version. Saving
 * the JSON the latest version already holds adds nothing; different JSON becomes version latest + 1,
 * so a run that trained an earlier version still finds it unchanged (runs keep their own copy anyway).
 * The JSON is compared as text: callers pass one canonical form (saved-architecture.ts).
 */
import type { Kysely } from 'kysely'
import type { StoreDialect } from './store-dialect'
import type { DB } from './tables'

/** One version of a saved architecture as the table holds it. */
export interface ArchitectureRow {
  name: string
  version: number
  /** The canonical JSON text. */
  json: string
  createdAt: string
}

/** The latest version of a name, and how many versions it has. */
export interface ArchitectureLatest extends ArchitectureRow {
  versions: number
}

export interface ArchitecturesRepo {
  /** Adds `json` as the next version of `name`, unless it equals the latest one: then that version, `created` false. */
  save(name: string, json: string, createdAt: string): Promise<{ version: number; created: boolean }>
  /** The latest version of every name, by name. */
  list(): Promise<ArchitectureLatest[]>
  /** One version of `name` (the latest when `version` is absent), or null. */
  get(name: string, version?: number): Promise<ArchitectureRow | null>
  /** Every version of `name`, oldest first, without their JSON. */
  versions(name: string): Promise<Omit<ArchitectureRow, 'json'>[]>
  /** Deletes every version of `name`; returns how many there were. */
  delete(name: string): Promise<number>
}

/** Concurrent saves of one name may pick the same next version: the loser tries again with the one after. */
const SAVE_TRIES = 4

export function createArchitecturesRepo(db: Kysely<DB>, dialect: StoreDialect): ArchitecturesRepo {
  const toRow = (r: { name: string; version: number; architecture: string; created_at: string }): ArchitectureRow => ({
    name: r.name,
    version: r.version,
    json: r.architecture,
    createdAt: r.created_at
  })
  const latest = (name: string) =>
    db.selectFrom('architectures').selectAll().where('name', '=', name).orderBy('version', 'desc').limit(1).executeTakeFirst()

  return {
    async save(name, json, createdAt) {
      for (let attempt = 1; ; attempt++) {
        const last = await latest(name)
        if (last && last.architecture === json) return { version: last.version, created: false }
        const version = (last?.version ?? 0) + 1
        try {
          await db.insertInto('architectures').values({ name, version, architecture: json, created_at: createdAt }).execute()
          return { version, created: true }
        } catch (error) {
          if (!dialect.isDuplicateKey(error) || attempt >= SAVE_TRIES) throw error
        }
      }
    },
    async list() {
      const rows = await db
        .selectFrom('architectures as a')
        .innerJoin(
          (eb) =>
            eb
              .selectFrom('architectures')
              .select('name')
              .select((e) => [e.fn.max('version').as('latest'), e.fn.countAll<number>().as('versions')])
              .groupBy('name')
              .as('n'),
          (join) => join.onRef('n.name', '=', 'a.name').onRef('n.latest', '=', 'a.version')
        )
        .selectAll('a')
        .select('n.versions')
        .orderBy('a.name')
        .execute()
      // PostgreSQL counts as bigint, which pg hands over as a string.
      return rows.map((r) => ({ ...toRow(r), versions: Number(r.versions) }))
    },
    async get(name, version) {
      const row =
        version === undefined
          ? await latest(name)
          : await db.selectFrom('architectures').selectAll().where('name', '=', name).where('version', '=', version).executeTakeFirst()
      return row ? toRow(row) : null
    },
    async versions(name) {
      const rows = await db
        .selectFrom('architectures')
        .select(['name', 'version', 'created_at'])
        .where('name', '=', name)
        .orderBy('version')
        .execute()
      return rows.map((r) => ({ name: r.name, version: r.version, createdAt: r.created_at }))
    },
    async delete(name) {
      const result = await db.deleteFrom('architectures').where('name', '=', name).executeTakeFirst()
      return Number(result.numDeletedRows)
    }
  }
}
