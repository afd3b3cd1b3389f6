/**
 * Plain data for the transport. Electron structured-clones every value that crosses IPC and the context
 * bridge, and a Vue reactive Proxy cannot be cloned ("An object could not be cloned"). Whatever a
 * component hands the client (the router's reactive id list, a store's reactive hparams), this copies it
 * into plain arrays and objects, unwrapping Proxies at every depth and keeping typed arrays as they are.
 */
import { isProxy, toRaw } from 'vue'

/** A structured-clone-safe copy of `value`; throws on a function or a class instance, which cannot cross. */
export function toPlain<T>(value: T): T {
  return copy(value, new Map()) as T
}

function copy(value: unknown, seen: Map<object, unknown>): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function') throw new TypeError('a function cannot be sent to the app')
    return value
  }
  const raw: object = isProxy(value) ? toRaw(value) : value
  if (seen.has(raw)) return seen.get(raw)
  if (ArrayBuffer.isView(raw) || raw instanceof ArrayBuffer || raw instanceof Date) return raw
  if (Array.isArray(raw)) {
    const out: unknown[] = []
    seen.set(raw, out)
    for (const item of raw) out.push(copy(item, seen))
    return out
  }
  const proto = Object.getPrototypeOf(raw) as unknown
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`a ${raw.constructor?.name ?? 'class'} instance cannot be sent to the app; send plain data`)
  }
  const out: Record<string, unknown> = {}
  seen.set(raw, out)
  for (const [key, item] of Object.entries(raw)) out[key] = copy(item, seen)
  return out
}
