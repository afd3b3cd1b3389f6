/**
 * `[TOP=N] npx tsx bench/profile-kernels.ts <preset or example architecture> [steps]` — per-kernel time of training steps on WASM (batch 64),
 * summed over the profiled steps and sorted, to find where a step's time goes.
 */
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '@main/core/tfjs/backend'
import { buildModel, type BuildModelOptions } from '@main/core/trainer/architectures'
import { BatchBuilder } from '@main/core/trainer/batches'
import { createTrainStep } from '@main/core/trainer/train-step'
import { benchImages } from './bench-data'
import { benchModelOptions, type BenchModel } from './bench-models'

async function main(): Promise<void> {
  const preset = (process.argv[2] ?? 'cnn-deep') as BenchModel
  const steps = Number(process.argv[3] ?? 5)
  await initBackend('wasm')
  const data = await benchImages()
  const model = buildModel({ ...benchModelOptions(preset), seed: 42 } as BuildModelOptions)
  const step = createTrainStep(model, tf.train.adam(1e-3))
  const builder = new BatchBuilder(64)
  const order = Array.from({ length: 64 * (steps + 4) }, (_, i) => i)
  const run = (b: number): void => {
    const { xs, labels } = builder.build(data, order, b * 64, 64)
    step(xs, labels, b)
    xs.dispose()
    labels.dispose()
  }
  for (let b = 0; b < 4; b++) run(b)
  const t0 = performance.now()
  for (let b = 0; b < steps; b++) run(4 + b)
  const wall = (performance.now() - t0) / steps
  const totals = new Map<string, { ms: number; calls: number }>()
  const info = await tf.profile(() => {
    for (let b = 0; b < steps; b++) run(4 + b)
  })
  for (const k of info.kernels) {
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`
    const e = totals.get(key) ?? { ms: 0, calls: 0 }
    e.ms += k.kernelTimeMs as number
    e.calls += 1
    totals.set(key, e)
  }
  const rows = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms)
  const sum = rows.reduce((s, [, e]) => s + e.ms, 0)
  console.log(
    `${preset}: wall ${wall.toFixed(1)} ms/step unprofiled; kernel sum ${(sum / steps).toFixed(1)} ms/step (outer+inner kernels overlap)`
  )
  for (const [key, e] of rows.slice(0, Number(process.env.TOP ?? 45)))
    console.log(`${(e.ms / steps).toFixed(2).padStart(7)} ms  ${String(e.calls / steps).padStart(4)}×  ${key}`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
