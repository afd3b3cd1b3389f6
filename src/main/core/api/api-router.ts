/** Validates every renderer request against the shared schemas and turns failures into typed errors. */
import { errorMessage, formatFieldErrors } from '@shared/error-text'
import { API, type ApiError, type ApiResult, type Channel, type RequestOf, type ResponseOf } from '@shared/api'
import { toFieldErrors } from '@shared/hparams'
import { CoreError } from '../errors'
import { DbError } from '../store/db-error'

export type ApiHandlers = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C> }

export type ApiRoute = (channel: string, request: unknown) => Promise<ApiResult<unknown>>

/** Checks a request against its channel's schema; the typed error every transport returns for bad input. */
export function validateRequest(
  channel: unknown,
  request: unknown
): { ok: true; channel: Channel; data: unknown } | { ok: false; error: ApiError } {
  if (typeof channel !== 'string' || !Object.hasOwn(API, channel)) {
    return { ok: false, error: { code: 'unknown_channel', message: `There is no API channel named "${String(channel)}".` } }
  }
  const name = channel as Channel
  const parsed = API[name].request.safeParse(request ?? {})
  if (!parsed.success) {
    const fieldErrors = toFieldErrors(parsed.error)
    return {
      ok: false,
      error: {
        code: 'invalid_request',
        message: `Invalid request for ${name}: ${formatFieldErrors(fieldErrors)}`,
        fieldErrors
      }
    }
  }
  return { ok: true, channel: name, data: parsed.data }
}

/** Runs a handler, turning a thrown error into a typed failure. */
export async function settle<T>(name: string, run: () => Promise<T> | T): Promise<ApiResult<T>> {
  try {
    return { ok: true, data: await run() }
  } catch (error) {
    if (error instanceof CoreError) return { ok: false, error: { code: error.code, message: error.message } }
    // A viewer's role refusing a change: an answer for the person, not a failure to log.
    if (error instanceof DbError && error.kind === 'read-only') return { ok: false, error: { code: 'conflict', message: error.message } }
    const message = errorMessage(error)
    console.error(`${name} failed:`, error)
    return { ok: false, error: { code: 'failed', message } }
  }
}

/** Returns the single entry every transport (Electron IPC, the browser shell, the test harness) calls; it never throws. */
export function createApiRouter(handlers: ApiHandlers): ApiRoute {
  return async (channel, request) => {
    const valid = validateRequest(channel, request)
    if (!valid.ok) return valid
    const handler = handlers[valid.channel] as (r: unknown) => unknown
    return settle(valid.channel, () => handler(valid.data))
  }
}
