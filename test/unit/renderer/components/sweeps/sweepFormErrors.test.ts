import { describe, expect, it } from 'vitest'
import { sweepSpecSchema } from '@shared/sweep'
import { parseList, sweepFormErrors } from '@renderer/components/sweeps/sweepFormErrors'

const texts = { batchSizes: '32, 64', epochs: '2', validationSplits: '0.1' }
function errorsFor(over: Partial<typeof texts>, spec: Record<string, unknown> = {}) {
  const t = { ...texts, ...over }
  const raw = {
    preset: 'dense',
    mode: 'grid',
    learningRate: { min: 0.0003, max: 0.003, count: 3 },
    batchSizes: parseList(t.batchSizes).values,
    epochs: parseList(t.epochs).values,
    validationSplits: parseList(t.validationSplits).values,
    seeds: { base: 42, count: 1 },
    trainSubset: 10000,
    ...spec
  }
  const parsed = sweepSpecSchema.safeParse(raw)
  return sweepFormErrors(t, parsed.success ? [] : parsed.error.issues)
}

describe('sweep form messages', () => {
  it('names the token that is not a number, under its own field, without the validator’s words', () => {
    const e = errorsFor({ batchSizes: '32, 6x4' })
    expect(e).toEqual({ batchSizes: '“6x4” is not a number' })
    expect(JSON.stringify(e)).not.toMatch(/NaN|Invalid input/)
  })

  it('names an out-of-range value with the rule it breaks', () => {
    expect(errorsFor({ epochs: '2, 0' }).epochs).toBe('“0”: Epochs must be a whole number between 1 and 500')
    expect(errorsFor({ validationSplits: '0.1 0.9' }).validationSplits).toMatch(
      /^“0.9”: Validation split must be a number between 0.01 and 0.5$/
    )
  })

  it('says an empty number box is empty, and keeps the schema’s own sentences', () => {
    const e = errorsFor({}, { learningRate: { min: Number.NaN, max: 0.003, count: 3 } })
    expect(e.learningRate).toBe('The lowest learning rate is empty: give a number')
    expect(errorsFor({ batchSizes: '32, 32' }).batchSizes).toBe('Each batch size only once')
    expect(errorsFor({}, { learningRate: { min: 0.01, max: 0.001, count: 3 } }).learningRate).toBe(
      'The lowest learning rate must not exceed the highest'
    )
  })
})
