/** Errors the core raises on purpose; the API router turns them into typed ApiErrors. */
import type { ApiError } from '@shared/api'

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
