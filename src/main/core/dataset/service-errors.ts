/** The dataset service's errors as a person reads them (typed for the API: bad input is a conflict, not a crash). */
import { CoreError, conflict } from '../errors'
import { DbError } from '../store/db-error'
import { DatasetError } from './errors'

/** An unknown dataset name. */
export const unknownDataset = (name: string): CoreError =>
  new CoreError(
    'not_found',
    `There is no dataset named ${name}; the list of datasets shows the names (download a built-in or add a folder first).`
  )

/** A download or import that was cancelled: nothing of it was kept. */
export const cancelled = (name: string, what: 'download' | 'import'): CoreError =>
  conflict(`The ${what} of ${name} was cancelled; nothing of it was kept.`)

/**
 * A dataset or store error as a typed one: problems with the files or the request (missing, damaged,
 * a name taken) become conflicts, which the CLI reports as bad input; `instead` replaces the error
 * (the cancellation message when the job was aborted). Other errors pass through unchanged.
 */
export function asCoreError(error: unknown, instead: CoreError | null = null): unknown {
  if (instead) return instead
  if (error instanceof CoreError) return error
  if (error instanceof DatasetError && error.code !== 'io' && error.code !== 'network') return conflict(error.message)
  if (error instanceof DbError && error.kind === 'bad-input') return conflict(error.message)
  return error
}
