/** Validates every renderer request against the shared schemas and turns failures into typed errors. */
import { API, type ApiResult, type Channel, type RequestOf, type ResponseOf } from '@shared/api'
import { toFieldErrors } from '@shared/hparams'
import { CoreError } from './errors'

export type ApiHandlers = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C> }

export type ApiRoute = (channel: string, request: unknown) => Promise<ApiResult<unknown>>

/** Returns the single entry every transport (Electron IPC, the test harness) calls; it never throws. */
export function createApiRouter(handlers: ApiHandlers): ApiRoute {
  return async (channel, request) => {
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
          message: `Invalid request for ${name}: ${fieldErrors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
          fieldErrors
        }
      }
    }
    try {
      const handler = handlers[name] as (r: unknown) => unknown
      return { ok: true, data: await handler(parsed.data) }
    } catch (error) {
      if (error instanceof CoreError) return { ok: false, error: { code: error.code, message: error.message } }
      const message = error instanceof Error ? error.message : String(error)
      console.error(`${name} failed:`, error)
      return { ok: false, error: { code: 'failed', message } }
    }
  }
}
