/**
 * One benchmark measurement in its own process: trains a preset on one backend with the project's own
 * batch builder and train step, and reports median images/s and this process's peak RSS to the parent.
 */
import { errorMessage } from '@shared/error-text'
import * as tf from '@tensorflow/tfjs'
import type { PresetId } from '@shared/presets'
import type { BackendChoice } from '@shared/trainer-protocol'
import { initBackend } from '@main/core/tfjs/backend'
import { buildModel } from '@main/core/trainer/architectures'
import { BatchBuilder } from '@main/core/trainer/batches'
import { createTrainStep } from '@main/core/trainer/train-step'
import { benchImages } from './bench-data'

/** What the parent asks the child to measure. */
export interface ChildRequest {
  preset: PresetId
  backend: BackendChoice
  batch: number
  /** Images per timed pass (rounded up to whole batches). */
  images: number
  passes: number
  warmupImages: number
}

/** What the child reports back. */
export interface ChildResult {
  backend: string
  threads: number
  imagesPerSec: number
  passes: number[]
  peakRssMb: number
  data: 'real' | 'random'
  numTensorsGrowth: number
}

async function measure(req: ChildRequest): Promise<ChildResult> {
  const info = await initBackend(req.backend)
  const data = await benchImages()
  const model = buildModel({ preset: req.preset, seed: 42 })
  const step = createTrainStep(model, tf.train.adam(1e-3))
  const builder = new BatchBuilder(req.batch)
  const order = new Uint32Array(data.count)
  for (let i = 0; i < order.length; i++) order[i] = i
  let cursor = 0
  let taken = 0
  const runImages = (count: number): number => {
    let done = 0
    while (done < count) {
      if (cursor + req.batch > order.length) cursor = 0
      const { xs, labels } = builder.build(data, order, cursor, req.batch)
      step(xs, labels, taken++)
      xs.dispose()
      labels.dispose()
      cursor += req.batch
      done += req.batch
    }
    return done
  }
  runImages(req.warmupImages)
  const tensorsBefore = tf.memory().numTensors
  const rates: number[] = []
  for (let p = 0; p < req.passes; p++) {
    const t0 = performance.now()
    const n = runImages(req.images)
    rates.push(n / ((performance.now() - t0) / 1000))
  }
  const sorted = [...rates].sort((a, b) => a - b)
  return {
    backend: info.name,
    threads: info.threads,
    imagesPerSec: sorted[Math.floor(sorted.length / 2)],
    passes: rates,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    data: data.kind,
    numTensorsGrowth: tf.memory().numTensors - tensorsBefore
  }
}

process.once('message', (req: ChildRequest) => {
  measure(req)
    .then((result) => process.send?.({ ok: true, result }))
    .catch((err: unknown) => process.send?.({ ok: false, error: errorMessage(err) }))
    .finally(() => process.disconnect?.())
})
