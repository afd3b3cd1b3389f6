/** The inference worker: loads a run's model once, predicts as tf.js does in-process, explains, and reports bad models clearly. */
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDataset, type FashionMnist } from '@main/core/dataset'
import { initBackend } from '@main/core/tfjs/backend'
import { createInferenceService, type InferenceService } from '@main/core/models/inference-service'
import type { ModelSource } from '@main/core/models/model-source'
import { saliency } from '@main/core/models/saliency'
import { realDataDir } from '../helpers/real-data'
import { trainBriefly } from '../helpers/trained-model'

const real = realDataDir()

describe.skipIf(!real.dir)(`inference service${real.reason}`, () => {
  let data: FashionMnist
  let model: tf.LayersModel
  let artifacts: tf.io.ModelArtifacts
  let service: InferenceService
  const reads: number[] = []
  const stored = new Map<number, tf.io.ModelArtifacts>()
  const source: ModelSource = {
    async loadModelArtifacts(runId) {
      reads.push(runId)
      const a = stored.get(runId)
      if (!a) throw new Error(`Run ${runId} has no stored model.`)
      return a
    }
  }

  beforeAll(async () => {
    await initBackend('wasm')
    data = await loadDataset(real.dir!)
    ;({ model, artifacts } = await trainBriefly({ preset: 'cnn-shallow', train: data.train!, images: 800 }))
    stored.set(1, artifacts)
    service = createInferenceService({ source, cacheSize: 2 })
  })
  afterAll(async () => {
    await service?.close()
    model?.dispose()
  })

  const image = (i: number): Uint8Array => data.test!.images.slice(i * 784, (i + 1) * 784)

  it('predicts like the model in-process, reading the stored model once', async () => {
    const batch = data.test!.images.slice(0, 20 * 784)
    const got = await service.predict(1, batch)
    const want = tf.tidy(() =>
      (
        model.predict(
          tf.tensor4d(
            Float32Array.from(batch, (v) => v / 255),
            [20, 28, 28, 1]
          )
        ) as tf.Tensor
      ).dataSync()
    )
    expect(got.length).toBe(200)
    for (let i = 0; i < 200; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5)
    const times: number[] = []
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now()
      await service.predict(1, image(i))
      times.push(performance.now() - t0)
    }
    expect(reads).toEqual([1])
    console.log(`single-image predict through the worker: median ${times.sort((a, b) => a - b)[5].toFixed(1)} ms`)
  })

  it('computes the same saliency map in the worker as in-process', async () => {
    const pixels = image(3)
    const got = await service.saliency(1, { pixels, classIndex: data.test!.labels[3], smoothSamples: 0 })
    const want = saliency({ model, pixels: Float32Array.from(pixels, (v) => v / 255), classIndex: data.test!.labels[3] })
    const scale = Math.max(...Array.from(want, Math.abs))
    expect(scale).toBeGreaterThan(0)
    for (let i = 0; i < 784; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-4 * scale + 1e-7)
  })

  it('says so when a run has no model, and when a stored model is damaged; other runs keep working', async () => {
    await expect(service.predict(2, image(0))).rejects.toThrow(/Run 2 has no stored model/)
    const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData!)
    stored.set(3, { ...artifacts, weightData: weights.slice(0, 1000) })
    await expect(service.predict(3, image(0))).rejects.toThrow(/stored model of run 3 cannot be loaded .*truncated or damaged/)
    // Fixed on disk (say, the run trained again): the next request loads it anew.
    stored.set(3, artifacts)
    expect((await service.predict(3, image(0))).length).toBe(10)
    expect((await service.predict(1, image(0))).length).toBe(10)
  })

  it('rejects pixels that are not whole 28×28 images', async () => {
    await expect(service.predict(1, new Uint8Array(100))).rejects.toThrow(/multiples of 784/)
  })
})
