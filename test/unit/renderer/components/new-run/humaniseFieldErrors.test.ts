import { describe, expect, it } from 'vitest'
import { defaultHparams, parseHparams } from '@shared/hparams'
import { fieldRule, humaniseFieldErrors } from '@renderer/components/new-run/humaniseFieldErrors'

function errorsFor(over: Record<string, unknown>): Record<string, string> {
  const base = defaultHparams('dense')
  const r = parseHparams({ ...base, ...over, reduceLrOnPlateau: { ...base.reduceLrOnPlateau, ...(over.reduceLrOnPlateau as object) } })
  if (r.ok) throw new Error('expected invalid input')
  return Object.fromEntries(humaniseFieldErrors(r.errors).map((e) => [e.path, e.message]))
}

describe('humaniseFieldErrors', () => {
  it('says each field’s allowed range, read from the schema, instead of zod’s wording', () => {
    const m = errorsFor({ epochs: 0, learningRate: 5, validationSplit: 0.9, trainSubset: 10, seed: null })
    expect(m).toEqual({
      epochs: 'Epochs must be a whole number between 1 and 500',
      learningRate: 'Learning rate must be a number greater than 0 and at most 1',
      validationSplit: 'Validation split must be a number between 0.01 and 0.5',
      // The schema's bound; New run also checks the chosen dataset's training-set size.
      trainSubset: 'Train subset must be a whole number between 100 and 10,000,000',
      seed: 'Seed must be a whole number between 0 and 2,147,483,647'
    })
  })

  it('covers nested fields with exclusive bounds and says a field’s rule once', () => {
    const m = errorsFor({ batchSize: 0.5, reduceLrOnPlateau: { factor: 1 } })
    expect(m).toEqual({
      batchSize: 'Batch size must be a whole number between 1 and 4,096',
      'reduceLrOnPlateau.factor': 'Plateau factor must be a number greater than 0 and less than 1'
    })
  })

  it('keeps a message written on purpose, under the field’s name', () => {
    expect(humaniseFieldErrors([{ path: 'batchSize', message: 'Too large for this machine' }])).toEqual([
      { path: 'batchSize', message: 'Batch size: Too large for this machine' }
    ])
    expect(humaniseFieldErrors([{ path: '(root)', message: 'Unrecognized key: "x"' }])).toEqual([
      { path: '(root)', message: 'Unrecognized key: "x"' }
    ])
  })

  it('names the choices of an option field', () => {
    expect(fieldRule('earlyStopping.monitor')).toBe('Early-stopping monitor must be one of val_loss, val_accuracy')
    expect(fieldRule('nope')).toBeNull()
  })
})
