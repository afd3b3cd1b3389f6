/** The renderer's only door to main: unwraps ApiResult and turns failures into ApiRequestError. */
import { errorMessage, formatFieldErrors } from '@shared/error-text'
import type { ApiError, AtelierApi, Channel, EventMap, EventName, RequestOf, ResponseOf } from '@shared/api'
import type { FieldError } from '@shared/hparams'
import { toPlain } from './plain'
import { transport } from './transport'

/** A request main refused or could not complete. */
export class ApiRequestError extends Error {
  /** Machine-readable reason from the contract's error codes. */
  readonly code: ApiError['code']
  /** Problems with individual request fields, addressed by dotted path. */
  readonly fieldErrors: FieldError[]
  /** The channel that failed, for messages. */
  readonly channel: Channel

  constructor(channel: Channel, error: ApiError) {
    super(error.message)
    this.name = 'ApiRequestError'
    this.code = error.code
    this.fieldErrors = error.fieldErrors ?? []
    this.channel = channel
  }
}

function bridge(): AtelierApi {
  try {
    return transport()
  } catch (err) {
    throw new ApiRequestError('app.info', { code: 'failed', message: errorMessage(err) })
  }
}

/** Calls a channel and returns its data, or throws ApiRequestError. */
export async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  let result
  try {
    // The transport clones what it sends; reactive Proxies from components become plain data here, once.
    result = await bridge().invoke(channel, toPlain(request))
  } catch (err) {
    if (err instanceof ApiRequestError) throw err
    const message = errorMessage(err)
    throw new ApiRequestError(channel, { code: 'failed', message })
  }
  if (!result.ok) throw new ApiRequestError(channel, result.error)
  return result.data
}

/** Subscribes to an event pushed by main; returns the unsubscribe function. */
export function subscribe<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
  return bridge().on(event, listener)
}

/** A short sentence for a person: what failed and what to do next. */
export function describeError(err: unknown, action: string): string {
  if (err instanceof ApiRequestError) {
    const fields = formatFieldErrors(err.fieldErrors)
    // Conflicts come from the core already saying what was kept and what to do; a generic hint would contradict them.
    const hint: Record<ApiError['code'], string> = {
      invalid_request: 'Check the highlighted values and try again.',
      unknown_channel: 'The app and its window are out of step; restart Atelier.',
      not_found: 'Refresh the list to see what is there now.',
      conflict: '',
      failed: 'Nothing was changed; try again.'
    }
    return sentence(`Could not ${action}: ${withoutStop(err.message)}${fields ? ` (${fields})` : ''}`, hint[err.code])
  }
  return sentence(`Could not ${action}: ${withoutStop(errorMessage(err))}`, 'Nothing was changed; try again.')
}

/** A message without its closing full stop, so one can be added without doubling it. */
const withoutStop = (message: string): string => message.trim().replace(/\.+$/, '')
const sentence = (text: string, hint: string): string => (hint ? `${text}. ${hint}` : `${text}.`)
