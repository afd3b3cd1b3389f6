/** Words for a failed model request: a run without a model is stated as the core says it, other failures get the usual hint. */
import { ApiRequestError, describeError } from '@renderer/api/client'

/** True when the run simply has no usable stored model (an expected state, not a fault). */
export const isMissingModel = (err: unknown): boolean => err instanceof ApiRequestError && err.code === 'conflict'

export function modelProblem(err: unknown, action: string): string {
  return isMissingModel(err) ? (err as Error).message : describeError(err, action)
}
