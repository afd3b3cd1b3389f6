import { describe, expect, it } from 'vitest'
import { inferArchitecture, type Inference } from '@shared/architecture/infer-architecture'
import { architectureSchema } from '@shared/architecture/architecture-schema'
import { MAX_TRAINING_BYTES, memoryMisfit, trainingBytes } from '@shared/architecture/training-memory'
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
  it('counts weights four times over and every activation per image of the batch', () => {
    const inference: Pick<Inference, 'rows' | 'totalParams'> = {
      totalParams: 1000,
      rows: [
        { path: '0', kind: 'flatten', name: 'Flatten', outputShape: [784], params: 0, macs: 0 },
        { path: '1', kind: 'dense', name: 'Dense', outputShape: [10], params: 1000, macs: 7840 }
      ]
    }
    // 4 bytes × (4 × 1000 + 8 × (784 input + 794 outputs + 2 × 784 largest))
    expect(trainingBytes(inference, [28, 28, 1], 8)).toBe(4 * (4000 + 8 * (784 + 794 + 2 * 784)))
  })

  it('lets the presets train Fashion-MNIST in large batches', () => {
    expect(memoryMisfit(inferred(), [28, 28, 1], 1024)).toBeNull()
    expect(trainingBytes(inferred(), [28, 28, 1], 128)).toBeLessThan(MAX_TRAINING_BYTES / 10)
  })

  it('refuses what cannot fit, saying the largest batch that would', () => {
    const message = memoryMisfit(inferred(wide, photos), [256, 256, 3], 64)
    expect(message).toMatch(/^training needs at least \d+\.\d GB of memory in batches of 64, more than the 4\.0 GB/)
    const fits = Number(/batches of at most (\d+) images/.exec(message!)?.[1])
    expect(fits).toBeGreaterThan(0)
    expect(memoryMisfit(inferred(wide, photos), [256, 256, 3], fits)).toBeNull()
    expect(memoryMisfit(inferred(wide, photos), [256, 256, 3], fits + 1)).not.toBeNull()
  })

  it('is part of why a run cannot start, named after the model', () => {
    const h = { ...defaultHparams('custom'), architecture: wide, batchSize: 64 }
    expect(runMemoryMisfit(h, photos.shape, 5)).toMatch(/^wide: training needs at least/)
    expect(runMemoryMisfit({ ...h, batchSize: 8 }, photos.shape, 5)).toBeNull()
    expect(runMemoryMisfit({ ...defaultHparams('cnn-bn'), batchSize: 4096 }, fashion.shape, 10)).toMatch(
      /^CNN \+ BatchNorm: training needs/
    )
  })
})
