/** Groups field errors by dotted path, for showing each under its input. */
import type { FieldError } from '@shared/hparams'

export function errorsByPath(errors: readonly FieldError[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of errors) out[e.path] = out[e.path] ? `${out[e.path]}; ${e.message}` : e.message
  return out
}

/** Writes `value` at a dotted path in a deep copy of plain-JSON `target` (reactive proxies welcome). */
export function setPath<T extends object>(target: T, path: string, value: unknown): T {
  const copy = JSON.parse(JSON.stringify(target)) as Record<string, unknown>
  const keys = path.split('.')
  let node = copy
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>
  node[keys[keys.length - 1]] = value
  return copy as T
}
