import { describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { PRESET_IDS } from '@shared/presets'
import { initBackend } from '@main/core/tfjs/backend'
import { buildModel } from '@main/core/trainer/architectures'
import { createTrainStep } from '@main/core/trainer/train-step'
import { BatchBuilder } from '@main/core/trainer/batches'
import { FASHION_INPUT } from '../../../../helpers/fashion-input'

/** Whether tfjs-node (an optional dependency) is installed here. */
async function hasTfjsNode(): Promise<boolean> {
  try {
    const specifier = '@tensorflow/tfjs-node'
    await import(/* @vite-ignore */ specifier)
    return true
  } catch {
    return false
  }
}

describe('initBackend', () => {
  it('auto walks the ladder and records the backend, threads and library versions', async () => {
    const info = await initBackend('auto')
    const expected = (await hasTfjsNode()) ? 'tensorflow' : 'wasm'
    expect(info.name).toBe(expected)
    expect(tf.getBackend()).toBe(expected)
    expect(info.threads).toBeGreaterThanOrEqual(1)
    expect(info.versions.tfjs).toMatch(/^\d+\.\d+\.\d+/)
    if (expected === 'wasm') expect(info.versions['tfjs-backend-wasm']).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('throws a clear error when an explicit backend cannot load', async () => {
    if (await hasTfjsNode()) return
    await expect(initBackend('tensorflow')).rejects.toThrow(/'tensorflow' TensorFlow\.js backend could not be loaded.*Nothing was trained/)
  })

  it('loads cpu and wasm when asked for them explicitly', async () => {
    expect((await initBackend('cpu')).name).toBe('cpu')
    expect(tf.getBackend()).toBe('cpu')
    const wasm = await initBackend('wasm')
    expect(wasm.name).toBe('wasm')
    expect(tf.getBackend()).toBe('wasm')
  })

  it('uses every core for WASM threads (no cap) unless ATELIER_WASM_THREADS=1', async () => {
    const info = await initBackend('wasm')
    const cores = (await import('node:os')).availableParallelism()
    const expected = process.env.ATELIER_WASM_THREADS === '1' ? 1 : Math.max(cores, 1)
    expect(info.threads).toBe(expected)
  })
})

describe('training on WASM', () => {
  it.each(PRESET_IDS)('%s: repeated train steps leave tf.memory().numTensors flat and the loss finite', async (preset) => {
    await initBackend('wasm')
    const model = buildModel({ ...FASHION_INPUT, preset, seed: 7 })
    const optimizer = tf.train.adam(1e-3)
    const step = createTrainStep(model, optimizer)
    const count = 96
    const images = new Uint8Array(count * 784).map((_, i) => (i * 37) % 256)
    const labels = new Uint8Array(count).map((_, i) => i % 10)
    const order = Uint32Array.from({ length: count }, (_, i) => i)
    const builder = new BatchBuilder(32)
    let taken = 0
    const runSteps = (n: number): number[] => {
      const losses: number[] = []
      for (let s = 0; s < n; s++) {
        const { xs, labels: ys } = builder.build({ images, labels, shape: FASHION_INPUT.shape }, order, (s * 32) % count, 32)
        losses.push(step(xs, ys, taken++).loss)
        xs.dispose()
        ys.dispose()
      }
      return losses
    }
    runSteps(2) // optimizer slots are created on the first steps
    const before = tf.memory().numTensors
    const losses = runSteps(5)
    expect(tf.memory().numTensors).toBe(before)
    expect(losses.every(Number.isFinite)).toBe(true)
    model.dispose()
    optimizer.dispose()
  })
})
