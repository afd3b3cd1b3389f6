import { describe, expect, it } from 'vitest'
import { inferArchitecture, type Inference } from '@shared/architecture/infer-architecture'
import { architectureSchema } from '@shared/architecture/architecture-schema'
import { MAX_TRAINING_BYTES, memoryMisfit, memoryText, trainingBytes } from '@shared/architecture/training-memory'
import { presetArchitecture } from '@shared/presets'
import { runMemoryMisfit } from '@shared/run-architecture'
import { defaultHparams } from '@shared/hparams'
import type { ImageShape } from '@shared/dataset'

const fashion: { shape: ImageShape; classCount: number } = { shape: { height: 28, width: 28, channels: 1 }, classCount: 10 }
const inferred = (arch = presetArchitecture('cnn-bn'), input = fashion): Inference => {
  const r = inferArchitecture(arch, input)
  if (!r.ok) throw new Error(r.error.message)
  return r
}
// Wide full-resolution convolutions on large photos: few parameters, huge activations.
const wide = architectureSchema.parse({
  name: 'wide',
  layers: [
    { kind: 'conv2d', filters: 128, kernel: 3, padding: 'same', activation: 'relu' },
    { kind: 'conv2d', filters: 128, kernel: 3, padding: 'same', activation: 'relu' },
    { kind: 'globalAvgPool' },
    { kind: 'output' }
  ]
})
const photos: { shape: ImageShape; classCount: number } = { shape: { height: 256, width: 256, channels: 3 }, classCount: 5 }

describe('training memory', () => {
  it('holds the weights with their gradients and optimizer moments, and grows with every image of the batch', () => {
    const cnn = inferred()
    const at = (batch: number): number => trainingBytes(cnn, [28, 28, 1], batch)
    // Value, gradient and Adam's two moments, 4 bytes each, before any image.
    expect(at(0)).toBeGreaterThanOrEqual(16 * cnn.totalParams)
    // Each image costs at least its input and every layer's output, all kept for the backward pass.
    const outputs = cnn.rows.reduce((sum, r) => sum + r.outputShape.reduce((a, b) => a * b, 1), 0)
    expect(at(1) - at(0)).toBeGreaterThanOrEqual(4 * (784 + outputs))
    expect(at(128) - at(64)).toBe(64 * (at(1) - at(0)))
  })

  it('lets the presets train Fashion-MNIST in large batches', () => {
    expect(memoryMisfit(inferred(), [28, 28, 1], 1024)).toBeNull()
    expect(trainingBytes(inferred(), [28, 28, 1], 128)).toBeLessThan(MAX_TRAINING_BYTES / 10)
  })

  it('refuses what cannot fit, saying the largest batch that would', () => {
    const message = memoryMisfit(inferred(wide, photos), [256, 256, 3], 64)
    expect(message).toMatch(/^training needs at least \d+\.\d GB of memory in batches of 64, more than the 4\.0 GB/)
    expect(message).toContain(memoryText(trainingBytes(inferred(wide, photos), [256, 256, 3], 64)))
    const fits = Number(/batches of at most (\d+) images/.exec(message!)?.[1])
    expect(fits).toBeGreaterThan(0)
    expect(memoryMisfit(inferred(wide, photos), [256, 256, 3], fits)).toBeNull()
    expect(memoryMisfit(inferred(wide, photos), [256, 256, 3], fits + 1)).not.toBeNull()
  })

  it('is part of why a run cannot start, named after the model', () => {
    const h = { ...defaultHparams('custom'), architecture: wide, batchSize: 64 }
    expect(runMemoryMisfit(h, photos.shape, 5, 10_000)).toMatch(/^wide: training needs at least/)
    expect(runMemoryMisfit({ ...h, batchSize: 8 }, photos.shape, 5, 10_000)).toBeNull()
    const big = { ...defaultHparams('cnn-bn'), batchSize: 4096 }
    expect(runMemoryMisfit(big, fashion.shape, 10, 60_000)).toMatch(
      /^CNN \+ BatchNorm: training needs at least 4\.\d GB of memory in batches of 4096/
    )
  })

  it('costs a batch no larger than the training images left after the validation split', () => {
    const big = { ...defaultHparams('cnn-bn'), batchSize: 4096, validationSplit: 0.1 }
    // 2,000 images less 10 % for validation: every batch holds at most 1,800 of them.
    expect(runMemoryMisfit({ ...big, trainSubset: 2000 }, fashion.shape, 10, 60_000)).toBeNull()
    expect(runMemoryMisfit(big, fashion.shape, 10, 3000)).toBeNull()
    expect(runMemoryMisfit(big, fashion.shape, 10, 60_000)).not.toBeNull()
  })

  it('shows bytes in binary units, never rounding a need down', () => {
    expect(memoryText(MAX_TRAINING_BYTES)).toBe('4.0 GB')
    expect(memoryText(4.61 * 2 ** 30)).toBe('4.7 GB')
    expect(memoryText(300 * 2 ** 20 + 1)).toBe('301 MB')
  })
})
