import { describe, expect, it } from 'vitest'
import { BENCH_ARCHITECTURES, BENCH_MODELS, benchModelOptions } from '../../../bench/bench-models'
import { BENCH_INPUT } from '../../../bench/bench-data'

describe('the models npm run bench trains', () => {
  it('are the four presets, then the example architecture files', () => {
    expect(BENCH_MODELS).toEqual(['dense', 'cnn-shallow', 'cnn-deep', 'cnn-bn', 'separable-cnn', 'small-resnet'])
    // Fashion-MNIST's shape and classes, from the dataset's record, with the preset.
    expect(benchModelOptions('cnn-deep')).toEqual({ ...BENCH_INPUT, preset: 'cnn-deep' })
  })

  it.each(BENCH_ARCHITECTURES)('reads %s from examples/architectures', (name) => {
    const options = benchModelOptions(name)
    expect(options.architecture?.name).toBe(name)
    expect(options.architecture?.layers.length).toBeGreaterThan(3)
  })
})
