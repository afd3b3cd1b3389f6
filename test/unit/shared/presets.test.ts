import { describe, expect, it } from 'vitest'
import { layerTable, parameterCount } from '@shared/presets'
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
