/** `db copy --from A --to B`: a store's ended runs, with everything that is theirs, into another store (SQLite or PostgreSQL). */
import { copyStore } from '@main/core/core'
import { shownStoreLocation, storeLocationFrom } from '@main/core/default-paths'
import { UsageError, type Flags } from './args'
import { cliPaths, openCore } from './context'
import { asUsage } from './with-dataset-core'

export async function dbCommand(positionals: string[], flags: Flags): Promise<number> {
  if (positionals[0] !== 'copy') throw new UsageError('db needs a subcommand: db copy --from FILE|URL --to FILE|URL')
  if (!flags.from || !flags.to) throw new UsageError('db copy needs --from FILE|URL and --to FILE|URL (a SQLite file or postgres://…)')
  const [from, to] = [storeLocationFrom(flags.from), storeLocationFrom(flags.to)]
  if (from === to) throw new UsageError('--from and --to name the same store')
  const paths = cliPaths(flags)
  const source = await openCore({ ...paths, dbPath: from })
  try {
    const target = await openCore({ ...paths, dbPath: to })
    try {
      const say = (line: string): void => void (flags.json ? undefined : process.stderr.write(`${line}\n`))
      const report = await asUsage(() => copyStore(source, target, say))
      if (flags.json) {
        process.stdout.write(JSON.stringify(report) + '\n')
      } else {
        process.stdout.write(
          `${shownStoreLocation(from)} → ${shownStoreLocation(to)}: ${report.copied} run${report.copied === 1 ? '' : 's'} copied ` +
            `(${report.epochs} epochs, ${report.modelFiles} model files, ${report.groups} groups, ${report.sweeps} sweeps, ${report.datasets} datasets, ${report.architectures} saved architecture versions), ` +
            `${report.already} already there` +
            (report.notEnded.length
              ? `; not copied, still queued or training: run ${report.notEnded.join(', ')} (copy again once they end)`
              : '') +
            '. Every copied run was read back and its model files checked by SHA-256.\n'
        )
      }
      return 0
    } finally {
      await target.shutdown({ cancelRunning: false })
    }
  } finally {
    await source.shutdown({ cancelRunning: false })
  }
}
