/**
 * `arch save`, `arch show`, `arch delete` and `train --arch NAME[@VERSION]`: architectures saved in the
 * run store by name, each edit a new version. Runs keep the architecture they trained, so none of
 * these changes a run.
 */
import { existsSync } from 'node:fs'
import type { Architecture } from '@shared/architecture/architecture-schema'
import { parseArchitectureRef, type SavedArchitectureSummary } from '@shared/architecture/saved-architecture'
import { isPostgresUrl } from '@main/core/default-paths'
import { UsageError, type Flags } from './args'
import { cliPaths } from './context'
import { readArchitectureFile } from './read-architecture-file'
import { asUsage, withDatasetCore } from './with-dataset-core'

export async function saveCommand(file: string | undefined, flags: Flags): Promise<number> {
  if (file === undefined) throw new UsageError('arch save needs a file, e.g. "arch save examples/architectures/small-resnet.json"')
  const architecture = readArchitectureFile(file)
  const saved = await withDatasetCore(flags, (core) => asUsage(() => core.architectures.save(architecture)))
  if (flags.json) process.stdout.write(JSON.stringify(saved) + '\n')
  else
    process.stdout.write(
      saved.created
        ? `saved ${saved.name} v${saved.version}\n`
        : `${saved.name} unchanged: the same as its latest version, v${saved.version}\n`
    )
  return 0
}

/** Prints the architecture's JSON on stdout (a file `arch check` and `train --arch` read), what it is on stderr. */
export async function showCommand(ref: string | undefined, flags: Flags): Promise<number> {
  if (ref === undefined)
    throw new UsageError('arch show needs a saved architecture, e.g. "arch show small-resnet" or "arch show small-resnet@2"')
  const { name, version } = parseArchitectureRef(ref)
  const saved = await withDatasetCore(flags, (core) => asUsage(() => core.architectures.get(name, version)))
  if (flags.json) {
    process.stdout.write(JSON.stringify(saved) + '\n')
    return 0
  }
  process.stderr.write(`${saved.name} v${saved.version} of ${saved.versions.length}, saved ${saved.createdAt}\n`)
  process.stdout.write(JSON.stringify(saved.architecture, null, 2) + '\n')
  return 0
}

export async function deleteCommand(name: string | undefined, flags: Flags): Promise<number> {
  if (name === undefined) throw new UsageError('arch delete needs the name of a saved architecture (see "arch list")')
  const deleted = await withDatasetCore(flags, (core) => asUsage(() => core.architectures.delete(name)))
  if (flags.json) process.stdout.write(JSON.stringify(deleted) + '\n')
  else
    process.stdout.write(
      `deleted ${deleted.name} (${deleted.versions} version${deleted.versions === 1 ? '' : 's'}); runs keep the architecture they trained\n`
    )
  return 0
}

/** The saved architectures (latest versions) for `arch list`; none without opening a SQLite file that does not exist yet. */
export async function savedArchitectures(flags: Flags): Promise<SavedArchitectureSummary[]> {
  const { dbPath } = cliPaths(flags)
  if (!isPostgresUrl(dbPath) && dbPath !== ':memory:' && !existsSync(dbPath)) return []
  return withDatasetCore(flags, (core) => core.architectures.list())
}

/**
 * `train --arch X` (and each of `sweep --archs`, named by `flag` in errors): a file when X names one (or ends in .json, so a mistyped path keeps its "cannot
 * read" line), otherwise the saved architecture `NAME[@VERSION]`.
 */
export async function architectureOfArchFlag(arch: string, flags: Flags, flag = '--arch'): Promise<Architecture> {
  if (existsSync(arch) || /\.json$/i.test(arch)) return readArchitectureFile(arch)
  const { name, version } = parseArchitectureRef(arch)
  const saved = await withDatasetCore(flags, (core) =>
    asUsage(async () => ((await core.architectures.list()).some((a) => a.name === name) ? core.architectures.get(name, version) : null))
  )
  if (saved === null) throw new UsageError(`${flag} ${arch}: no such file, and no saved architecture "${name}" (see "arch list")`)
  return saved.architecture
}
