/** `resume <id>` and `train-more <id> --epochs N`: continue a run from its checkpoint with the live display of `train`. */
import { CoreError } from '@main/core/errors'
import { numberFlag, runIdArg, UsageError, type Flags } from './args'
import { cliPaths, openCore } from './context'
import { backendFlag, followRun } from './follow-run'

async function continueRun(
  flags: Flags,
  reopen: (core: Awaited<ReturnType<typeof openCore>>) => Promise<unknown>,
  runId: number
): Promise<number> {
  const backend = backendFlag(flags)
  const paths = cliPaths(flags)
  // The run's dataset is checked when it is reopened (known, on disk): a missing one is refused in one line.
  const core = await openCore(paths, backend)
  try {
    try {
      await reopen(core)
    } catch (error) {
      // A refused resume (no checkpoint, damaged file, wrong status) is bad input: one line, exit 2.
      if (error instanceof CoreError) throw new UsageError(error.message)
      throw error
    }
    return await followRun(core, runId, flags)
  } finally {
    await core.shutdown({ cancelRunning: true })
  }
}

export function resumeCommand(id: string | undefined, flags: Flags): Promise<number> {
  const runId = runIdArg(id, 'resume')
  return continueRun(flags, (core) => core.runs.resume(runId), runId)
}

export function trainMoreCommand(id: string | undefined, flags: Flags): Promise<number> {
  const runId = runIdArg(id, 'train-more')
  const epochs = numberFlag('epochs', flags.epochs, true)
  if (epochs === undefined) throw new UsageError('train-more needs --epochs N, the number of epochs to add')
  if (epochs < 1 || epochs > 499) throw new UsageError(`--epochs must be between 1 and 499, got ${epochs}`)
  return continueRun(flags, (core) => core.runs.trainMore(runId, epochs), runId)
}
