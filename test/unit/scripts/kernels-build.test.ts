import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as generated from '@main/core/tfjs/kernels/native/kernels-wasm'
import { buildKernels, canBuildKernels, checkSelfContained, KERNELS_SOURCE, sourceDigest } from '../../../scripts/kernels-build'

const bytes = (base64: string): Uint8Array => Uint8Array.from(Buffer.from(base64, 'base64'))

describe('the committed WebAssembly kernels', () => {
  it('were built from the current kernels.c (run `npm run build:kernels` after editing it)', () => {
    expect(generated.KERNELS_SOURCE_SHA256).toBe(sourceDigest(readFileSync(KERNELS_SOURCE, 'utf8')))
  })

  it('import only a memory, carry no data, and keep their stack pointer at 0', () => {
    const variants = [generated.KERNELS_PLAIN, generated.KERNELS_SHARED, generated.KERNELS_PLAIN_FMA, generated.KERNELS_SHARED_FMA]
    for (const variant of variants) expect(() => checkSelfContained(bytes(variant))).not.toThrow()
  })

  it('refuse a module with a data segment', () => {
    // The smallest module with a memory import and one data segment: what a stray C string would add.
    const withData = Uint8Array.from([
      0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 2, 0x0f, 1, 3, 0x65, 0x6e, 0x76, 6, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 2, 0, 1, 11, 7, 1, 0, 0x41,
      0, 0x0b, 1, 0x2a
    ])
    expect(() => checkSelfContained(withData)).toThrow(/no data segments/)
  })

  it.skipIf(!canBuildKernels())('are what clang builds from the source today', () => {
    const built = buildKernels()
    expect(Buffer.from(built.plain).toString('base64')).toBe(generated.KERNELS_PLAIN)
    expect(Buffer.from(built.shared).toString('base64')).toBe(generated.KERNELS_SHARED)
    expect(Buffer.from(built.plainFma).toString('base64')).toBe(generated.KERNELS_PLAIN_FMA)
    expect(Buffer.from(built.sharedFma).toString('base64')).toBe(generated.KERNELS_SHARED_FMA)
  })
})
