import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '@main/core/tfjs/backend'
import { applyAdamUpdate } from '@main/core/tfjs/kernels/adam-update'
import { randomValues, relativeError } from '../../../../../helpers/compare-backends'

const SHAPES = [[3, 3, 1, 32], [300, 17], [64], [5, 7, 2, 3]]
const STEPS = 4

/** Trains variables of SHAPES for STEPS steps of a fixed quadratic loss; returns values, moments and β powers. */
async function train(backend: 'cpu' | 'wasm', fused: boolean, learningRates: number[]): Promise<Float32Array[]> {
  await tf.setBackend(backend)
  const vars = SHAPES.map((shape, i) =>
    tf.variable(
      tf.tensor(
        randomValues(
          shape.reduce((a, b) => a * b, 1),
          60 + i
        ),
        shape
      )
    )
  )
  const targets = SHAPES.map((shape, i) =>
    tf.tensor(
      randomValues(
        shape.reduce((a, b) => a * b, 1),
        70 + i
      ),
      shape
    )
  )
  const optimizer = tf.train.adam(learningRates[0])
  const loss = (): tf.Scalar => tf.addN(vars.map((v, i) => tf.sum(tf.mul(tf.square(tf.sub(v, targets[i])), i + 1)))) as tf.Scalar
  for (let step = 0; step < STEPS; step++) {
    ;(optimizer as unknown as { learningRate: number }).learningRate = learningRates[step % learningRates.length]
    if (fused) {
      const { value, grads } = optimizer.computeGradients(loss, vars)
      applyAdamUpdate(optimizer, vars, grads)
      tf.dispose([value, grads])
    } else {
      optimizer.minimize(loss, false, vars)
    }
  }
  const weights = await optimizer.getWeights()
  const out = [...vars.map((v) => v.dataSync() as Float32Array), ...weights.map((w) => w.tensor.dataSync() as Float32Array)]
  tf.dispose([...vars, ...targets])
  optimizer.dispose()
  return out
}

describe('fused Adam update on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it.each([[[1e-3]], [[0.05, 0.01]]])('matches tfjs-core Adam on cpu (learning rates %j, changed between steps)', async (rates) => {
    const expected = await train('cpu', false, rates)
    const actual = await train('wasm', true, rates)
    expect(actual.length).toBe(expected.length)
    for (let i = 0; i < actual.length; i++) expect(relativeError(actual[i], expected[i])).toBeLessThan(1e-4)
  })

  it('equals the stock WASM Adam bit for bit', async () => {
    const stock = await train('wasm', false, [0.02])
    const fused = await train('wasm', true, [0.02])
    for (let i = 0; i < stock.length; i++) expect(Array.from(fused[i])).toEqual(Array.from(stock[i]))
  })

  it('leaks no more tensors than the stock optimizer', async () => {
    await tf.setBackend('wasm')
    const count = async (fused: boolean): Promise<number> => {
      const before = tf.memory().numTensors
      await train('wasm', fused, [1e-3])
      return tf.memory().numTensors - before
    }
    expect(await count(true)).toBe(await count(false))
  })
})
