import { afterAll, describe, expect, it } from 'vitest'
import { NativeKernels, type ConvShape } from '@main/core/tfjs/kernels/native/native-kernels'
import { webAssembly, type LinearMemory } from '@main/core/tfjs/kernels/native/webassembly'
import { randomValues } from '../../../../../../helpers/compare-backends'

/** A memory like the backend's: the first 64 KiB stand for its own data and must never change. */
function heapFor(shared: boolean): { memory: LinearMemory; malloc: (bytes: number) => number; reserved: number } {
  const memory = new webAssembly.Memory({ initial: 256, maximum: shared ? 65536 : undefined, shared })
  const reserved = 65536
  new Uint8Array(memory.buffer, 0, reserved).fill(0xa5)
  let top = reserved
  const malloc = (bytes: number): number => {
    const at = top
    top += Math.ceil(bytes / 16) * 16
    if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536))
    return at
  }
  return { memory, malloc, reserved }
}

/** Writes values to a fresh allocation with `pad` guard floats (NaN) either side; returns the data's offset. */
function place(heap: ReturnType<typeof heapFor>, values: Float32Array | number, pad = 8): number {
  const length = typeof values === 'number' ? values : values.length
  const at = heap.malloc((length + 2 * pad) * 4) + pad * 4
  const view = new Float32Array(heap.memory.buffer)
  view.fill(Number.NaN, at / 4 - pad, at / 4 + length + pad)
  if (typeof values !== 'number') view.set(values, at / 4)
  return at
}

function read(heap: ReturnType<typeof heapFor>, at: number, length: number): Float32Array {
  return new Float32Array(heap.memory.buffer).slice(at / 4, at / 4 + length)
}

/** dW by the definition, in float64. */
function filterGradReference(s: ConvShape, x: Float32Array, dy: Float32Array): Float64Array {
  const dw = new Float64Array(s.fh * s.fw * s.ci * s.co)
  for (let n = 0; n < s.n; n++)
    for (let oh = 0; oh < s.outH; oh++)
      for (let ow = 0; ow < s.outW; ow++)
        for (let r = 0; r < s.fh; r++)
          for (let c = 0; c < s.fw; c++) {
            const ih = oh * s.sh + r - s.top
            const iw = ow * s.sw + c - s.left
            if (ih < 0 || ih >= s.h || iw < 0 || iw >= s.w) continue
            for (let i = 0; i < s.ci; i++) {
              const xv = x[((n * s.h + ih) * s.w + iw) * s.ci + i]!
              for (let o = 0; o < s.co; o++)
                dw[((r * s.fw + c) * s.ci + i) * s.co + o]! += xv * dy[((n * s.outH + oh) * s.outW + ow) * s.co + o]!
            }
          }
  return dw
}

/** y by the definition, in float64: bias, then relu when asked. */
function convReference(s: ConvShape, x: Float32Array, w: Float32Array, bias: Float32Array | null, relu: boolean): Float64Array {
  const y = new Float64Array(s.n * s.outH * s.outW * s.co)
  for (let n = 0; n < s.n; n++)
    for (let oh = 0; oh < s.outH; oh++)
      for (let ow = 0; ow < s.outW; ow++)
        for (let o = 0; o < s.co; o++) {
          let sum = bias ? bias[o]! : 0
          for (let r = 0; r < s.fh; r++)
            for (let c = 0; c < s.fw; c++) {
              const ih = oh * s.sh + r - s.top
              const iw = ow * s.sw + c - s.left
              if (ih < 0 || ih >= s.h || iw < 0 || iw >= s.w) continue
              for (let i = 0; i < s.ci; i++) sum += x[((n * s.h + ih) * s.w + iw) * s.ci + i]! * w[((r * s.fw + c) * s.ci + i) * s.co + o]!
            }
          y[((n * s.outH + oh) * s.outW + ow) * s.co + o] = relu ? Math.max(0, sum) : sum
        }
  return y
}

const CASES: ConvShape[] = [
  // 3×3 same, channel counts that fill whole tiles.
  { n: 3, h: 9, w: 8, ci: 8, outH: 9, outW: 8, co: 16, fh: 3, fw: 3, sh: 1, sw: 1, top: 1, left: 1 },
  // Partial tiles both ways (ci 3 of 4, co 12 = one tile and 4 scalar columns), stride 2, valid.
  { n: 2, h: 11, w: 10, ci: 3, outH: 5, outW: 4, co: 12, fh: 3, fw: 3, sh: 2, sw: 2, top: 0, left: 0 },
  // A first layer (one input channel), uneven padding and a wide filter.
  { n: 2, h: 12, w: 7, ci: 1, outH: 6, outW: 4, co: 8, fh: 5, fw: 4, sh: 2, sw: 2, top: 2, left: 1 },
  // Fewer output channels than one tile.
  { n: 4, h: 6, w: 6, ci: 5, outH: 6, outW: 6, co: 3, fh: 1, fw: 1, sh: 1, sw: 1, top: 0, left: 0 }
]

const kernels: NativeKernels[] = []

afterAll(async () => {
  await Promise.all(kernels.map((k) => k.close()))
})

describe.each([
  { variant: 'plain memory, one thread', shared: false, threads: 1, fma: false },
  { variant: 'shared memory, three threads', shared: true, threads: 3, fma: false },
  { variant: 'plain memory, one thread, fused multiply-adds', shared: false, threads: 1, fma: true },
  { variant: 'shared memory, three threads, fused multiply-adds', shared: true, threads: 3, fma: true }
])('native kernels on $variant', ({ shared, threads, fma }) => {
  const heap = heapFor(shared)
  const native = new NativeKernels(heap, threads, fma)
  kernels.push(native)

  it('starts the helper threads it was given', async () => {
    expect(native.threads).toBe(threads)
    expect(native.fma).toBe(fma)
    await native.ready()
  })

  it.each(CASES)('gives the filter gradient of its definition, touching nothing but dw, for %o', (s) => {
    const x = Float32Array.from(randomValues(s.n * s.h * s.w * s.ci, 7))
    const dy = Float32Array.from(randomValues(s.n * s.outH * s.outW * s.co, 8))
    const size = s.fh * s.fw * s.ci * s.co
    const at = { x: place(heap, x), dy: place(heap, dy), dw: place(heap, size) }
    native.convFilterGrad(s, at)
    const expected = filterGradReference(s, x, dy)
    const got = read(heap, at.dw, size)
    for (let i = 0; i < size; i++) expect(got[i]).toBeCloseTo(expected[i]!, 4)
    // Inputs unchanged, the guards around dw still NaN, the backend's own bytes intact.
    expect(read(heap, at.x, x.length)).toEqual(x)
    expect(read(heap, at.dy, dy.length)).toEqual(dy)
    expect([...read(heap, at.dw - 32, 8), ...read(heap, at.dw + size * 4, 8)].every(Number.isNaN)).toBe(true)
    expect(new Uint8Array(heap.memory.buffer, 0, heap.reserved).every((b) => b === 0xa5)).toBe(true)
  })

  it.each([
    { ...CASES[0]!, bias: true, relu: true },
    // Rows of 7 outputs: a full tile of 4 and a tile of 3; stride 2 with padding on the left only.
    { ...CASES[0]!, h: 13, w: 14, outH: 7, outW: 7, sh: 2, sw: 2, top: 0, left: 1, bias: false, relu: false },
    // Output rows of 1, 2 and 5 pixels (tiles of 1 and 2), 5×5 filters reaching past every border.
    { n: 2, h: 5, w: 2, ci: 6, outH: 5, outW: 2, co: 16, fh: 5, fw: 5, sh: 1, sw: 1, top: 2, left: 2, bias: true, relu: false },
    { n: 1, h: 3, w: 5, ci: 4, outH: 3, outW: 5, co: 8, fh: 3, fw: 3, sh: 1, sw: 1, top: 1, left: 1, bias: false, relu: true },
    { n: 1, h: 4, w: 1, ci: 9, outH: 4, outW: 1, co: 24, fh: 3, fw: 1, sh: 1, sw: 1, top: 1, left: 0, bias: true, relu: true },
    // Few output channels (one dot product per output): a first layer's input gradient, and co = 3 with relu.
    { n: 2, h: 8, w: 7, ci: 32, outH: 8, outW: 7, co: 1, fh: 3, fw: 3, sh: 1, sw: 1, top: 1, left: 1, bias: false, relu: false },
    { n: 1, h: 9, w: 9, ci: 8, outH: 4, outW: 4, co: 3, fh: 3, fw: 3, sh: 2, sw: 2, top: 0, left: 0, bias: true, relu: true }
  ])('gives the convolution of its definition, touching nothing but y, for %o', ({ bias, relu, ...s }) => {
    const x = Float32Array.from(randomValues(s.n * s.h * s.w * s.ci, 11))
    const w = Float32Array.from(randomValues(s.fh * s.fw * s.ci * s.co, 12))
    const b = bias ? Float32Array.from(randomValues(s.co, 13)) : null
    const size = s.n * s.outH * s.outW * s.co
    const at = { x: place(heap, x), w: place(heap, w), bias: b ? place(heap, b) : 0, y: place(heap, size), relu }
    native.convForward(s, at)
    const expected = convReference(s, x, w, b, relu)
    const got = read(heap, at.y, size)
    for (let i = 0; i < size; i++) expect(got[i]).toBeCloseTo(expected[i]!, 4)
    expect(read(heap, at.x, x.length)).toEqual(x)
    expect(read(heap, at.w, w.length)).toEqual(w)
    expect([...read(heap, at.y - 32, 8), ...read(heap, at.y + size * 4, 8)].every(Number.isNaN)).toBe(true)
    expect(new Uint8Array(heap.memory.buffer, 0, heap.reserved).every((v) => v === 0xa5)).toBe(true)
  })

  it.each([
    // Odd output sizes (a last tile row and column half outside y), relu and bias.
    { n: 2, h: 7, w: 9, ci: 8, outH: 7, outW: 9, co: 16, fh: 3, fw: 3, sh: 1, sw: 1, top: 1, left: 1, bias: true, relu: true },
    // Valid padding; 5 tiles a row (a group of 4 and a group of 1).
    { n: 1, h: 12, w: 12, ci: 4, outH: 10, outW: 10, co: 8, fh: 3, fw: 3, sh: 1, sw: 1, top: 0, left: 0, bias: false, relu: false },
    // One output row and column only; uneven padding.
    { n: 3, h: 2, w: 1, ci: 12, outH: 1, outW: 1, co: 24, fh: 3, fw: 3, sh: 1, sw: 1, top: 0, left: 1, bias: true, relu: false }
  ])('gives the same convolution by Winograd F(2×2, 3×3), touching nothing but y, for %o', ({ bias, relu, ...s }) => {
    const x = Float32Array.from(randomValues(s.n * s.h * s.w * s.ci, 14))
    const w = Float32Array.from(randomValues(9 * s.ci * s.co, 15))
    const b = bias ? Float32Array.from(randomValues(s.co, 16)) : null
    const size = s.n * s.outH * s.outW * s.co
    const at = { x: place(heap, x), w: place(heap, w), bias: b ? place(heap, b) : 0, y: place(heap, size), relu }
    const temps: number[] = []
    native.convWinograd(s, at, (floats) => {
      temps.push(place(heap, floats))
      return temps[temps.length - 1]!
    })
    const expected = convReference(s, x, w, b, relu)
    const got = read(heap, at.y, size)
    for (let i = 0; i < size; i++) expect(got[i]).toBeCloseTo(expected[i]!, 4)
    expect(read(heap, at.x, x.length)).toEqual(x)
    expect(read(heap, at.w, w.length)).toEqual(w)
    expect([...read(heap, at.y - 32, 8), ...read(heap, at.y + size * 4, 8)].every(Number.isNaN)).toBe(true)
    expect(new Uint8Array(heap.memory.buffer, 0, heap.reserved).every((v) => v === 0xa5)).toBe(true)
  })

  it('refuses a convolution with output channels off the tile and input channels off the lane', () => {
    const s = { ...CASES[0]!, ci: 6, co: 12 }
    expect(() => native.convForward(s, { x: 0, w: 0, bias: 0, y: 0, relu: false })).toThrow(/multiple of 8 output channels or of 4 input/)
  })

  it('sends each tiled max-pool window gradient to its first maximum (ties and padding included)', () => {
    // 2 images of 5×7 with 6 channels (one vector and two scalar channels), 2×2 windows, a padded row and column.
    const [n, h, w, c, k, top, left] = [2, 5, 7, 6, 2, 1, 0]
    const outH = Math.ceil((h + top) / k)
    const outW = Math.ceil(w / k)
    const x = Float32Array.from(randomValues(n * h * w * c, 9), (v) => Math.max(0, Math.round(v * 2)))
    const y = new Float32Array(n * outH * outW * c).fill(-Infinity)
    const first = new Int32Array(y.length).fill(-1)
    for (let b = 0; b < n; b++)
      for (let oh = 0; oh < outH; oh++)
        for (let ow = 0; ow < outW; ow++)
          for (let ch = 0; ch < c; ch++) {
            const o = ((b * outH + oh) * outW + ow) * c + ch
            for (let r = oh * k - top; r < oh * k - top + k; r++)
              for (let q = ow * k - left; q < ow * k - left + k; q++) {
                if (r < 0 || r >= h || q < 0 || q >= w) continue
                const i = ((b * h + r) * w + q) * c + ch
                if (x[i]! > y[o]!) [y[o], first[o]] = [x[i]!, i]
              }
          }
    const dy = Float32Array.from(randomValues(y.length, 10))
    const expected = new Float32Array(x.length)
    first.forEach((i, o) => {
      if (i >= 0) expected[i] = dy[o]!
    })
    const at = { x: place(heap, x), y: place(heap, y), dy: place(heap, dy), dx: place(heap, x.length) }
    native.maxPoolGradTiled({ ...at, shape: [n, h, w, c], outH, outW, k, top, left })
    expect(read(heap, at.dx, x.length)).toEqual(expected)
    expect([...read(heap, at.dx - 32, 8), ...read(heap, at.dx + x.length * 4, 8)].every(Number.isNaN)).toBe(true)
  })
})
