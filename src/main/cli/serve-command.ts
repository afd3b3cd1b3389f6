/**
 * `serve`: the workbench in a browser. Starts the core (resuming queued runs, like the app) and the
 * local web server, prints the address with its access token and opens the default browser where
 * there is a display. Ctrl-C cancels the runs that are training (their finished epochs are kept and
 * they are recorded `cancelled`); queued runs stay queued for the next start.
 */
import { errorMessage } from '@shared/error-text'
import { dirname, resolve } from 'node:path'
import { forkTrainer, type Core } from '@main/core/core'
import type { CoreOptions } from '@main/core/core-options'
import { openCoreWithFallback } from '@main/core/open-core'
import { resolveAppDataPaths } from '@main/core/startup-paths'
import { isPostgresUrl, resolveUserDataDir, resolveDataPaths, storeLocationFrom } from '@main/core/default-paths'
import { ensureRendererBuilt, RENDERER_OUT } from '@main/server/renderer-build'
import { noBrowserReason, openBrowser } from '@main/server/open-browser'
import { startServer, type RunningServer } from '@main/server/start-server'
import { numberFlag, UsageError, type Flags } from './args'
import { appVersion } from './context'

/** The line printed with the address, also in the README. */
export const STOP_NOTE =
  'Ctrl-C stops the server: runs still training are cancelled (their finished epochs are kept and they are recorded cancelled); queued runs stay queued for the next start.'

/**
 * The core the browser shell drives: the app's folders and settings unless --db/--data say otherwise.
 * Like the app, a database chosen in Settings that no longer opens falls back to the default one.
 */
export async function openServeCore(flags: Flags): Promise<Core> {
  const userData = resolveUserDataDir()
  const app = resolveAppDataPaths(userData, process.env)
  const dbPath = flags.db === undefined ? app.dbPath : storeLocationFrom(flags.db)
  const options: CoreOptions = {
    dataDir: flags.data === undefined ? app.dataDir : resolve(flags.data),
    dataDirLocked: flags.data !== undefined || app.dataDirLocked,
    dbPath,
    // The app's settings, unless this is another database: then settings live beside it.
    settingsPath:
      flags.db === undefined
        ? app.settingsPath
        : dbPath === ':memory:' || isPostgresUrl(dbPath)
          ? null
          : resolve(dirname(dbPath), 'settings.json'),
    appVersion: appVersion(),
    spawnTrainer: forkTrainer,
    resumeQueued: true,
    // The browser shell has no native dialogs: exports are downloads and imports take the files themselves.
    dialogs: { saveFile: async () => null, openFolder: async () => null }
  }
  // --db and ATELIER_DB are deliberate choices: no fallback from them.
  const fallback = flags.db !== undefined || process.env['ATELIER_DB'] ? dbPath : resolveDataPaths(userData, {}).dbPath
  const { core, warning } = await openCoreWithFallback(options, fallback)
  if (warning) process.stderr.write(`Warning: ${warning}\n`)
  return core
}

/** Stops training runs (kept `cancelled`), keeps queued ones queued, closes the server and the database. */
async function stop(core: Core, server: RunningServer): Promise<void> {
  for (const id of core.runs.queue.queued()) core.runs.queue.remove(id)
  await server.close()
  await core.shutdown({ cancelRunning: true })
}

export async function serveCommand(flags: Flags): Promise<number> {
  const port = numberFlag('port', flags.port, true)
  if (port !== undefined && (port < 0 || port > 65_535)) throw new UsageError(`--port must be 0 to 65535, got "${flags.port}"`)
  const host = flags.host ?? '127.0.0.1'
  ensureRendererBuilt({
    onBuild: () => process.stdout.write('Building the workbench pages (out/renderer is missing or older than its sources) …\n')
  })
  const core = await openServeCore(flags)
  let server: RunningServer
  try {
    server = await startServer({ core, rendererDir: RENDERER_OUT, host, port })
  } catch (error) {
    await core.shutdown({ cancelRunning: true })
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE')
      throw new UsageError(`port ${port} on ${host} is in use; choose another with --port, or leave it out for a free one`)
    if (code === 'EADDRNOTAVAIL') throw new UsageError(`${host} is not an address of this machine; leave --host out for 127.0.0.1`)
    throw error
  }
  if (server.exposed) {
    process.stderr.write(
      `Warning: bound to ${host}, which other machines may reach. The access token is all that stands between them and your runs, over plain HTTP; prefer the default 127.0.0.1 with an SSH tunnel.\n`
    )
  }
  process.stdout.write(`Atelier is serving the workbench at\n\n  ${server.url}\n\n${STOP_NOTE}\n`)
  const reason = flags['no-open'] ? null : noBrowserReason()
  if (!flags['no-open'] && reason === null && !(await openBrowser(server.url))) {
    process.stdout.write('Could not open a browser; open the address above yourself.\n')
  } else if (reason !== null) {
    process.stdout.write(`Not opening a browser: ${reason}. Open the address above (over SSH: see the README's "Browser shell").\n`)
  }

  return new Promise<number>((done) => {
    let stopping = false
    const onSignal = (): void => {
      if (stopping) {
        process.stdout.write('Stopping at once; runs still training will be marked interrupted at the next start.\n')
        process.exit(130)
      }
      stopping = true
      const training = core.runs.queue.running().length
      process.stdout.write(
        training > 0 ? `Stopping: cancelling ${training} training run(s); their finished epochs are kept …\n` : 'Stopping …\n'
      )
      stop(core, server).then(
        () => done(0),
        (error: unknown) => {
          process.stderr.write(`atelier: stopping failed: ${errorMessage(error)}\n`)
          done(1)
        }
      )
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}
