/** How the machine's cores are shared among the runs that train at once. */
import { availableParallelism } from 'node:os'

/**
 * Threads for one run when `concurrent` runs train at once: the cores shared evenly, at least one each.
 * A run's WASM thread pool is fixed when its trainer starts, so the share is taken then.
 */
export function threadShare(concurrent: number, cores: number = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / Math.max(1, concurrent)))
}
