/**
 * The browser shell's wire format: one frame per request or response, a JSON header followed by a
 * binary tail. Typed arrays (the test set's 7.8 MB of images, a run's predictions, chart PNG bytes)
 * travel as their raw bytes in the tail, never as JSON number arrays or base64; the header records
 * where each one belongs. Numbers JSON cannot spell (NaN, ±Infinity) are recorded the same way, so a
 * value arrives as structuredClone would have delivered it over Electron's IPC.
 *
 * Layout: `uint32 LE header length` · header (UTF-8 JSON) · zero padding to a multiple of 8 · tail.
 * Every typed array starts at a multiple of 8 in the tail, so the receiver can view it in place.
 */

/** The media type of a frame. */
export const FRAME_TYPE = 'application/vnd.atelier.frame'

const TYPED = {
  Uint8Array,
  Uint8ClampedArray,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array
} as const
type TypedName = keyof typeof TYPED
type Typed = InstanceType<(typeof TYPED)[TypedName]>
type Path = (string | number)[]

/** Where a typed array or a special number sits in the value. */
interface Header {
  /** The value with `null` where each typed array or special number goes. */
  value: unknown
  /** Typed arrays: path, type, byte offset in the tail, byte length. */
  binaries: { path: Path; type: TypedName; offset: number; length: number }[]
  /** Numbers JSON cannot hold. */
  numbers: { path: Path; value: 'NaN' | 'Infinity' | '-Infinity' }[]
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8

function typedName(value: ArrayBufferView): TypedName {
  const name = value.constructor.name
  if (!Object.hasOwn(TYPED, name)) throw new TypeError(`a ${name} cannot be sent; send a typed array or plain data`)
  return name as TypedName
}

/** Splits `value` into a header and the typed arrays; refuses what structuredClone-free JSON would silently change. */
function split(value: unknown): { header: Header; arrays: Typed[] } {
  const header: Header = { value: null, binaries: [], numbers: [] }
  const arrays: Typed[] = []
  let tail = 0
  // One path, pushed and popped on the way down; copied only where a typed array or special number is recorded.
  const path: Path = []
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') {
      if (Number.isFinite(v)) return v
      header.numbers.push({ path: [...path], value: Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity' })
      return null
    }
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v
    if (v === undefined) return undefined
    if (typeof v !== 'object') throw new TypeError(`a ${typeof v} cannot be sent; send plain data`)
    if (ArrayBuffer.isView(v)) {
      const type = typedName(v)
      header.binaries.push({ path: [...path], type, offset: tail, length: v.byteLength })
      arrays.push(v as Typed)
      tail = align8(tail + v.byteLength)
      return null
    }
    if (Array.isArray(v)) {
      const out = new Array<unknown>(v.length)
      for (let i = 0; i < v.length; i++) {
        path.push(i)
        out[i] = walk(v[i]) ?? null
        path.pop()
      }
      return out
    }
    const proto = Object.getPrototypeOf(v) as unknown
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`a ${(v as object).constructor?.name ?? 'class'} instance cannot be sent; send plain data`)
    }
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(v)) {
      path.push(key)
      const encoded = walk((v as Record<string, unknown>)[key])
      path.pop()
      if (encoded !== undefined) out[key] = encoded
    }
    return out
  }
  header.value = walk(value)
  return { header, arrays }
}

/** Encodes a value as one frame. */
export function encodeFrame(value: unknown): Uint8Array<ArrayBuffer> {
  const { header, arrays } = split(value)
  const head = new TextEncoder().encode(JSON.stringify(header))
  const start = align8(4 + head.byteLength)
  const last = header.binaries.at(-1)
  const out = new Uint8Array(start + (last ? last.offset + last.length : 0))
  new DataView(out.buffer).setUint32(0, head.byteLength, true)
  out.set(head, 4)
  header.binaries.forEach((b, i) => {
    const a = arrays[i]
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), start + b.offset)
  })
  return out
}

/** Puts `item` where the header's placeholder is; a path to anything but an own placeholder is refused (no prototype pollution). */
function place(root: { value: unknown }, path: Path, item: unknown): void {
  let target = root as Record<string | number, unknown>
  let key: string | number = 'value'
  for (const step of path) {
    const next = target[key]
    if (next === null || typeof next !== 'object' || !Object.hasOwn(next, step)) throw new TypeError('a frame points outside its value')
    target = next as Record<string | number, unknown>
    key = step
  }
  if (target[key] !== null) throw new TypeError('a frame points outside its value')
  target[key] = item
}

/** Decodes a frame; typed arrays view the frame's own bytes when aligned (no copy). */
export function decodeFrame(frame: Uint8Array<ArrayBuffer>): unknown {
  if (frame.byteLength < 4) throw new TypeError('the frame is shorter than its header length')
  const headLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, true)
  if (4 + headLength > frame.byteLength) throw new TypeError('the frame is shorter than its header')
  const header = JSON.parse(new TextDecoder().decode(frame.subarray(4, 4 + headLength))) as Header
  if (!header || !Array.isArray(header.binaries) || !Array.isArray(header.numbers)) throw new TypeError('the frame header is malformed')
  const start = align8(4 + headLength)
  const root = { value: header.value }
  for (const b of header.binaries) {
    const Ctor = Object.hasOwn(TYPED, b.type) ? TYPED[b.type] : null
    const from = start + b.offset
    if (!Ctor || b.length % Ctor.BYTES_PER_ELEMENT !== 0 || from + b.length > frame.byteLength || b.offset < 0) {
      throw new TypeError('the frame holds a malformed typed array')
    }
    const at = frame.byteOffset + from
    const array =
      at % Ctor.BYTES_PER_ELEMENT === 0
        ? new Ctor(frame.buffer, at, b.length / Ctor.BYTES_PER_ELEMENT)
        : new Ctor(frame.slice(from, from + b.length).buffer)
    place(root, b.path, array)
  }
  for (const n of header.numbers) place(root, n.path, Number(n.value))
  return root.value
}

/** Encodes a value as text, for the event stream (events carry no typed arrays; any that appear go as base64). */
export function encodeText(value: unknown): string {
  const { header, arrays } = split(value)
  if (arrays.length === 0) return JSON.stringify(header)
  const frame = encodeFrame(value)
  let binary = ''
  for (let i = 0; i < frame.length; i += 0x8000) binary += String.fromCharCode(...frame.subarray(i, i + 0x8000))
  return JSON.stringify({ frame: btoa(binary) })
}

/** Decodes what {@link encodeText} made. */
export function decodeText(text: string): unknown {
  const parsed = JSON.parse(text) as Header | { frame: string }
  if ('frame' in parsed) {
    const binary = atob(parsed.frame)
    const bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
    return decodeFrame(bytes)
  }
  const root = { value: parsed.value }
  for (const n of parsed.numbers) place(root, n.path, Number(n.value))
  return root.value
}
