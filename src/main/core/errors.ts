/** Errors the core raises on purpose; the API router turns them into typed ApiErrors. */
import type { ApiError } from '@shared/api'
import { DbError } from './store/db-error'

export class CoreError extends Error {
  constructor(
    readonly code: Exclude<ApiError['code'], 'unknown_channel'>,
    message: string
  ) {
    super(message)
    this.name = 'CoreError'
  }
}

export const notFound = (what: string): CoreError => new CoreError('not_found', `${what} does not exist (it may have been deleted).`)
export const conflict = (message: string): CoreError => new CoreError('conflict', message)

/**
 * Whether an error says the store location itself is wrong (a malformed or unreachable URL, a wrong
 * password or database name, a store of a newer schema): the shells answer it as bad input.
 */
export function isBadStoreLocation(error: unknown): boolean {
  return error instanceof DbError && (error.kind === 'bad-location' || error.kind === 'unreachable' || error.kind === 'too-new')
}
