import { describe, expect, it } from 'vitest'
import { BENCH_ARCHITECTURES, BENCH_MODELS, benchModelOptions } from '../../../bench/bench-models'

describe('the models npm run bench trains', () => {
  it('are the four presets, then the example architecture files', () => {
    expect(BENCH_MODELS).toEqual(['dense', 'cnn-shallow', 'cnn-deep', 'cnn-bn', 'separable-cnn', 'small-resnet'])
    expect(benchModelOptions('cnn-deep')).toEqual({ preset: 'cnn-deep' })
  })

  it.each(BENCH_ARCHITECTURES)('reads %s from examples/architectures', (name) => {
    const options = benchModelOptions(name)
    expect(options.architecture?.name).toBe(name)
    expect(options.architecture?.layers.length).toBeGreaterThan(3)
  })
})
