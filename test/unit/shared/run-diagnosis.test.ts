import { describe, expect, it } from 'vitest'
import { CLASS_NAMES } from '@shared/classes'
import { defaultHparams, type Hparams } from '@shared/hparams'
import type { EpochRecord } from '@shared/run'
import { diagnoseRun, hparamWarnings, trainingImageCount, type DiagnosisInput } from '@shared/run-diagnosis'

function epochs(losses: number[], accuracy = 0.8, valAccuracy = 0.8): EpochRecord[] {
  return losses.map((loss, i) => ({ epoch: i + 1, loss, accuracy, valLoss: loss, valAccuracy, learningRate: 0.001, durationMs: 1 }))
}

function run(overrides: Omit<Partial<DiagnosisInput>, 'hparams'> & { hparams?: Partial<Hparams> } = {}): DiagnosisInput {
  const { hparams, ...rest } = overrides
  return {
    hparams: { ...defaultHparams('dense'), ...hparams },
    history: epochs([0.6, 0.4, 0.35]),
    testAccuracy: 0.86,
    testLoss: 0.38,
    classNames: CLASS_NAMES,
    ...rest
  }
}

/** Every test image predicted as class `k`. */
function allPredicted(k: number): number[][] {
  return CLASS_NAMES.map(() => CLASS_NAMES.map((_, j) => (j === k ? 1000 : 0)))
}

describe('diagnoseRun', () => {
  it('finds nothing wrong with a healthy run', () => {
    expect(diagnoseRun(run())).toEqual([])
    expect(
      diagnoseRun(run({ hparams: { preset: 'cnn-bn', epochs: 10 }, history: epochs(Array(10).fill(0.3), 0.92, 0.91), testAccuracy: 0.91 }))
    ).toEqual([])
  })

  it('marks the nonsense run: 90 images, batch 4096, learning rate 1, loss rising 2 → 14.5, every image "Sandal"', () => {
    const found = diagnoseRun(
      run({
        hparams: { trainSubset: 100, batchSize: 4096, learningRate: 1 },
        history: epochs([2, 9, 14.5], 0.1, 0.1),
        testAccuracy: 0.1,
        testLoss: 14.5,
        confusion: allPredicted(5)
      })
    )
    expect(found.map((d) => d.kind)).toEqual(['diverged', 'chance'])
    expect(found[0]!.detail).toContain('rose from 2.00 in epoch 1 to 14.50 in epoch 3')
    expect(found[0]!.advice).toContain('Lower the learning rate')
    expect(found[1]!.detail).toContain('10.00 % is chance level for 10 classes')
    expect(found[1]!.detail).toContain('"Sandal" for 100.00 % of the test images')
    expect(found[1]!.advice).toContain('use a batch smaller than the 90 training images')
  })

  it('marks NaN losses as diverged', () => {
    expect(diagnoseRun(run({ history: epochs([0.6, Number.NaN]) }))[0]).toMatchObject({
      kind: 'diverged',
      detail: expect.stringContaining('epoch 2')
    })
    expect(diagnoseRun(run({ testLoss: Number.NaN }))[0]).toMatchObject({ kind: 'diverged' })
  })

  it('explains a short cnn-bn run with good training accuracy and ~16 % test accuracy by unsettled batch norm', () => {
    const found = diagnoseRun(
      run({ hparams: { preset: 'cnn-bn', epochs: 1, trainSubset: 2000 }, history: epochs([0.9], 0.78, 0.15), testAccuracy: 0.16 })
    )
    expect(found.map((d) => d.kind)).toEqual(['batchnorm-unsettled'])
    expect(found[0]!.detail).toContain('Training accuracy reached 78.00 % but test accuracy is 16.00 %')
    expect(found[0]!.detail).toContain('only 29 training steps')
    expect(found[0]!.advice).toContain('Train more epochs or on more images')
    // The same gap in a preset without batch norm is not blamed on it.
    expect(diagnoseRun(run({ hparams: { epochs: 1, trainSubset: 2000 }, history: epochs([0.9], 0.78, 0.15), testAccuracy: 0.16 }))).toEqual(
      []
    )
    // While it trains, validation accuracy stands in for the test.
    expect(
      diagnoseRun(
        run({ hparams: { preset: 'cnn-bn', trainSubset: 2000 }, history: epochs([0.9], 0.78, 0.12), testAccuracy: null, testLoss: null })
      )[0]
    ).toMatchObject({
      kind: 'batchnorm-unsettled',
      detail: expect.stringContaining('validation accuracy is 12.00 %')
    })
  })

  it('takes chance level from the number of classes', () => {
    expect(diagnoseRun(run({ testAccuracy: 0.149 })).map((d) => d.kind)).toEqual(['chance'])
    expect(diagnoseRun(run({ testAccuracy: 0.151 }))).toEqual([])
    expect(diagnoseRun(run({ testAccuracy: 0.5, classNames: ['a', 'b'] })).map((d) => d.kind)).toEqual(['chance'])
  })
})

describe('hparamWarnings', () => {
  it('warns about a batch larger than the training set and a learning rate of 0.1 or more', () => {
    const h = { ...defaultHparams('dense'), trainSubset: 100, batchSize: 4096, learningRate: 1 }
    expect(trainingImageCount(h)).toBe(90)
    const warnings = hparamWarnings(h)
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toContain('Batch size 4096 is larger than the 90 training images')
    expect(warnings[1]).toContain('Learning rate 1 is very high for Adam')
    expect(hparamWarnings(defaultHparams('dense'))).toEqual([])
    expect(hparamWarnings({ ...defaultHparams('dense'), learningRate: 0.1 })).toHaveLength(1)
    expect(hparamWarnings({ ...defaultHparams('dense'), trainSubset: 100, batchSize: 90 })).toEqual([])
  })

  it('warns that a horizontal flip teaches wrong labels on digits and characters, not on clothes', () => {
    const h = defaultHparams('dense')
    const flip = { ...h.recipe, augment: { shift: 2, flip: true, erase: 0 } }
    expect(hparamWarnings({ ...h, dataset: 'mnist', recipe: flip })).toEqual([expect.stringContaining('Horizontal flip on mnist')])
    expect(hparamWarnings({ ...h, dataset: 'kmnist', recipe: flip })).toHaveLength(1)
    expect(hparamWarnings({ ...h, dataset: 'fashion-mnist', recipe: flip })).toEqual([])
    expect(hparamWarnings({ ...h, dataset: 'mnist' })).toEqual([])
  })

  it('does not call 0.1 too high for SGD, which commonly trains there', () => {
    const h = defaultHparams('dense')
    expect(hparamWarnings({ ...h, learningRate: 0.1, recipe: { ...h.recipe, optimizer: 'sgd' } })).toEqual([])
    expect(hparamWarnings({ ...h, learningRate: 0.1, recipe: { ...h.recipe, optimizer: 'adamw' } })).toHaveLength(1)
  })
})

describe("the dataset's size", () => {
  it("counts training images from the run's dataset, not Fashion-MNIST's 60,000", () => {
    const base = defaultHparams('dense')
    expect(trainingImageCount(base)).toBe(54_000)
    expect(trainingImageCount({ ...base, dataset: 'cifar10' })).toBe(45_000)
    expect(trainingImageCount({ ...base, dataset: 'my-photos' }, 600)).toBe(540)
    // A subset larger than the dataset trains on all of it; an unknown dataset size without a subset is unknown.
    expect(trainingImageCount({ ...base, dataset: 'my-photos', trainSubset: 5000 }, 600)).toBe(540)
    expect(trainingImageCount({ ...base, dataset: 'my-photos' })).toBeNull()
    expect(hparamWarnings({ ...base, dataset: 'my-photos', batchSize: 1024 }, 600)[0]).toContain(
      'Batch size 1024 is larger than the 540 training images'
    )
    expect(hparamWarnings({ ...base, dataset: 'my-photos', batchSize: 1024 })).toEqual([])
  })

  it('finds unsettled batch norm on a small dataset that Fashion-MNIST’s size would hide', () => {
    const small = run({
      hparams: { preset: 'cnn-bn', dataset: 'my-photos', epochs: 3, batchSize: 64 },
      history: epochs([0.9, 0.5, 0.3], 0.95, 0.3),
      testAccuracy: 0.3,
      classNames: ['a', 'b', 'c', 'd'],
      trainCount: 800
    })
    expect(diagnoseRun(small).map((d) => d.kind)).toEqual(['batchnorm-unsettled'])
    // 12 × 3 steps, from the dataset's 720 training images at batch 64.
    expect(diagnoseRun(small)[0]!.detail).toContain('had only 36 training steps')
  })
})
