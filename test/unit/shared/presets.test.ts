import { describe, expect, it } from 'vitest'
import { layerTable, parameterCount, presetMisfit } from '@shared/presets'
import { completeHparams, defaultHparams, parseHparams } from '@shared/hparams'

describe('presets', () => {
  it('count the parameters Keras reports for the seed models', () => {
    expect(parameterCount('dense')).toBe(118_282)
    expect(parameterCount('cnn-shallow')).toBe(225_034)
    expect(parameterCount('cnn-deep')).toBe(241_546)
  })

  it('track output shapes through valid and same convolutions', () => {
    expect(layerTable('cnn-shallow').map((r) => r.outputShape)).toContainEqual([5, 5, 64])
    expect(layerTable('cnn-deep').at(-3)?.outputShape).toEqual([1152])
  })

  it('build for any input shape and class count: same layers, the dataset’s input and outputs', () => {
    const cifar = { height: 32, width: 32, channels: 3 } as const
    const rows = layerTable('cnn-shallow', cifar, 10)
    expect(rows.map((r) => r.name)).toEqual(layerTable('cnn-shallow').map((r) => r.name))
    expect(rows[0]).toMatchObject({ outputShape: [30, 30, 32], params: 3 * 3 * 3 * 32 + 32 })
    expect(layerTable('dense', { height: 16, width: 16, channels: 1 }, 4).at(-1)).toEqual({
      name: 'Dense 4 softmax',
      outputShape: [4],
      params: 128 * 4 + 4
    })
    // Fashion-MNIST when no dataset is named: the figures above.
    expect(parameterCount('dense', { height: 28, width: 28, channels: 1 }, 10)).toBe(118_282)
  })

  it('refuse images too small for a preset, and fewer than two classes, with a sentence', () => {
    expect(() => layerTable('cnn-shallow', { height: 8, width: 8, channels: 3 }, 10)).toThrow(
      /Shallow CNN preset needs larger images than 8×8/
    )
    expect(() => layerTable('dense', { height: 8, width: 8, channels: 1 }, 1)).toThrow(/at least 2 classes/)
    expect(presetMisfit('cnn-shallow', { height: 8, width: 8, channels: 3 }, 10)).toBe(
      'The Shallow CNN preset needs larger images than 8×8: its MaxPool 2×2 layer would have no pixels left'
    )
    expect(presetMisfit('cnn-shallow', { height: 10, width: 10, channels: 3 }, 10)).toBeNull()
  })
})

describe('hparams', () => {
  it('accepts every preset default', () => {
    for (const p of ['dense', 'cnn-shallow', 'cnn-deep', 'cnn-bn'] as const) {
      expect(parseHparams(defaultHparams(p)).ok).toBe(true)
    }
    expect(defaultHparams('cnn-bn').reduceLrOnPlateau.enabled).toBe(true)
  })

  it('rejects out-of-range epochs and unknown fields with a named path', () => {
    const r = completeHparams({ preset: 'dense', epochs: 0 })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors[0].path).toBe('epochs')
    expect(parseHparams({ ...defaultHparams('dense'), extra: 1 }).ok).toBe(false)
    expect(completeHparams({ preset: 'dense', epochs: 100000 }).ok).toBe(false)
  })
})
