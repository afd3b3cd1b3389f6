/** What the `dataset` subcommands share: a core for one command, and the core's refusals as bad input. */
import type { DatasetInfo } from '@shared/dataset'
import { CoreError } from '@main/core/errors'
import { UsageError, type Flags } from './args'
import { cliPaths, openCore } from './context'

/** Bad input the core refused (unknown dataset, name taken, runs still using it …): one line, exit 2. */
export async function asUsage<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof CoreError && error.code !== 'failed') throw new UsageError(error.message)
    throw error
  }
}

/** Opens the core for one command and closes it afterwards. */
export async function withDatasetCore<T>(flags: Flags, body: (core: Awaited<ReturnType<typeof openCore>>) => Promise<T> | T): Promise<T> {
  const core = await openCore(cliPaths(flags))
  try {
    return await body(core)
  } finally {
    await core.shutdown({ cancelRunning: false })
  }
}

/** `28×28×1`. */
export const shapeText = ({ shape }: Pick<DatasetInfo, 'shape'>): string => `${shape.height}×${shape.width}×${shape.channels}`
