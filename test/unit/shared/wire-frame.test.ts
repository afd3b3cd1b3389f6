import { describe, expect, it } from 'vitest'
import { decodeFrame, decodeText, encodeFrame, encodeText } from '@shared/wire-frame'

describe('wire frames', () => {
  it('round-trips nested typed arrays as raw bytes, each viewable in place', () => {
    const value = {
      images: new Uint8Array([1, 2, 3, 250]),
      nested: [{ p: new Float32Array([0.5, -1.25, 3e-8]) }, 'text', 7, null, true],
      wide: new Float64Array([Math.PI]),
      words: new Int32Array([-7, 1 << 30])
    }
    const frame = encodeFrame(value)
    const back = decodeFrame(frame) as typeof value
    expect(back).toEqual(value)
    expect(back.nested[0]).toMatchObject({ p: expect.any(Float32Array) })
    expect((back.wide as Float64Array).buffer).toBe(frame.buffer)
  })

  it('sends a large typed array as its bytes plus a small header (no JSON numbers, no base64)', () => {
    const images = new Uint8Array(100_000).map((_, i) => (i * 7) % 256)
    const frame = encodeFrame({ count: 1, images })
    expect(frame.byteLength).toBeLessThan(images.byteLength + 200)
    expect(decodeFrame(frame)).toEqual({ count: 1, images })
  })

  it('copies a typed array when the frame sits at an odd offset, instead of failing', () => {
    const frame = encodeFrame({ p: new Float32Array([1.5, 2.5]) })
    const shifted = new Uint8Array(frame.byteLength + 1)
    shifted.set(frame, 1)
    expect(decodeFrame(shifted.subarray(1))).toEqual({ p: new Float32Array([1.5, 2.5]) })
  })

  it('keeps NaN and infinities that JSON would turn into null', () => {
    const value = { loss: Number.NaN, lr: [Infinity, -Infinity, 0.5] }
    expect(decodeFrame(encodeFrame(value))).toEqual(value)
    expect(decodeText(encodeText(value))).toEqual(value)
  })

  it('carries typed arrays in text events too', () => {
    const value = { probabilities: new Float32Array([0.25, 0.75]) }
    expect(decodeText(encodeText(value))).toEqual(value)
  })

  it('refuses what cannot cross a process boundary, as structuredClone does', () => {
    expect(() => encodeFrame({ f: () => 1 })).toThrow(/function cannot be sent/)
    expect(() => encodeFrame({ m: new Map() })).toThrow(/Map instance cannot be sent/)
    expect(() => encodeFrame({ v: new DataView(new ArrayBuffer(2)) })).toThrow(/DataView cannot be sent/)
  })

  it('refuses a frame whose header points outside its value (no prototype pollution)', () => {
    const header = new TextEncoder().encode(
      JSON.stringify({ value: { a: null }, binaries: [], numbers: [{ path: ['__proto__', 'x'], value: 'NaN' }] })
    )
    const frame = new Uint8Array(8 + header.length)
    new DataView(frame.buffer).setUint32(0, header.length, true)
    frame.set(header, 4)
    expect(() => decodeFrame(frame)).toThrow(/outside its value/)
    expect(({} as Record<string, unknown>)['x']).toBeUndefined()
    expect(() => decodeFrame(new Uint8Array([200, 0, 0, 0, 1]))).toThrow(/shorter/)
  })
})
