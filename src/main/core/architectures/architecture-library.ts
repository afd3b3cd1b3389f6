/**
 * Saved architectures: checked exactly as `arch check` checks a file, kept in the run store by name
 * in one canonical JSON (keys sorted, defaults filled in, no `$schema`), so that saving what the
 * latest version holds adds nothing and any edit is a new version. Runs never refer to these: each
 * keeps the architecture it trained in its hparams, so deleting or editing one changes no run.
 */
import type { Architecture } from '@shared/architecture/architecture-schema'
import { issuesText, parseArchitecture } from '@shared/architecture/parse-architecture'
import type { SavedArchitecture, SavedArchitectureResult, SavedArchitectureSummary } from '@shared/architecture/saved-architecture'
import { CoreError, notFound } from '../errors'
import type { ArchitecturesRepo } from '../store'

export interface ArchitectureLibrary {
  /** The latest version of every saved name, by name. */
  list(): Promise<SavedArchitectureSummary[]>
  /** One version (the latest when absent); not_found when the name or version is not saved. */
  get(name: string, version?: number): Promise<SavedArchitecture>
  /** Checks and saves `value` under its own name; a malformed architecture is refused (invalid_request) and nothing stored. */
  save(value: unknown): Promise<SavedArchitectureResult>
  /** Deletes every version of `name`; not_found when it is not saved. */
  delete(name: string): Promise<{ name: string; versions: number }>
}

/** JSON with every object's keys sorted: one text for one architecture, however its keys were ordered. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v
  )
}

/** The stored form: checked, defaults filled in, `$schema` (a path for editors) left out. */
function checked(value: unknown): Architecture {
  const parsed = parseArchitecture(value)
  if (!parsed.ok) throw new CoreError('invalid_request', issuesText(parsed.issues))
  const { $schema: _schema, ...architecture } = parsed.architecture
  return architecture
}

/** Rows hold JSON the library wrote: parsed back as trusted. */
const fromJson = (json: string): Architecture => JSON.parse(json) as Architecture

export function createArchitectureLibrary(repo: ArchitecturesRepo, now: () => Date = () => new Date()): ArchitectureLibrary {
  const what = (name: string, version?: number) =>
    version === undefined ? `The saved architecture "${name}"` : `Version ${version} of the saved architecture "${name}"`
  return {
    async list() {
      return (await repo.list()).map((r) => ({
        name: r.name,
        version: r.version,
        versions: r.versions,
        createdAt: r.createdAt,
        architecture: fromJson(r.json)
      }))
    },
    async get(name, version) {
      const row = await repo.get(name, version)
      if (!row) throw notFound(what(name, version))
      const versions = (await repo.versions(name)).map(({ version: v, createdAt }) => ({ version: v, createdAt }))
      return { name: row.name, version: row.version, createdAt: row.createdAt, architecture: fromJson(row.json), versions }
    },
    async save(value) {
      const architecture = checked(value)
      const saved = await repo.save(architecture.name, canonicalJson(architecture), now().toISOString())
      return { name: architecture.name, ...saved }
    },
    async delete(name) {
      const versions = await repo.delete(name)
      if (versions === 0) throw notFound(what(name))
      return { name, versions }
    }
  }
}
