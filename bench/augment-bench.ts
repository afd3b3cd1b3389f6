/**
 * `npm run bench:augment`: what on-the-fly augmentation costs. First the JS cost per batch of 64 for each
 * operation on 28×28×1 and 32×32×3 images (median of repeats), then training throughput with and without
 * augmentation on WASM, in interleaved rounds (A B B A …, same model and data) so both see the same load.
 *
 *   npm run bench:augment [-- --rounds N] [--preset dense|cnn-shallow|…] [--json]
 */
import { parseArgs } from 'node:util'
import { loadavg } from 'node:os'
import * as tf from '@tensorflow/tfjs'
import { DEFAULT_AUGMENT, type Augment } from '@shared/augment'
import type { ImageShape } from '@shared/dataset'
import type { PresetId } from '@shared/presets'
import { initBackend } from '@main/core/tfjs/backend'
import { BatchAugmenter } from '@main/core/trainer/augment-batch'
import { BatchBuilder } from '@main/core/trainer/batches'
import { buildModel, type BuildModelOptions } from '@main/core/trainer/architectures'
import { createTrainStep } from '@main/core/trainer/train-step'
import { benchImages } from './bench-data'
import { benchModelOptions } from './bench-models'

const BATCH = 64
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const OPS: Array<[string, Partial<Augment>]> = [
  ['shift 2', { shift: 2 }],
  ['shift 4', { shift: 4 }],
  ['flip', { flip: true }],
  ['erase 0.5', { erase: 0.5 }],
  ['erase 1', { erase: 1 }],
  ['shift 2 + flip + erase 0.5', { shift: 2, flip: true, erase: 0.5 }]
]

/**
 * Microseconds per batch of 64 for each operation: the operations take turns within every repeat (so a
 * change in load falls on all of them), after a warm-up of every one; the median of the repeats.
 */
function perBatch(shape: ImageShape, repeats = 15, batches = 200): number[] {
  const pixels = shape.height * shape.width * shape.channels
  const x = Float32Array.from({ length: BATCH * pixels }, (_, i) => (i % 251) / 255)
  const augmenters = OPS.map(([, augment]) => new BatchAugmenter({ augment: { ...DEFAULT_AUGMENT, ...augment }, shape }))
  for (const a of augmenters) for (let b = 0; b < 200; b++) a.apply(x, BATCH, { seed: 1, epoch: 1, batch: b })
  const times: number[][] = OPS.map(() => [])
  for (let r = 0; r < repeats; r++) {
    augmenters.forEach((a, i) => {
      const t0 = performance.now()
      for (let b = 0; b < batches; b++) a.apply(x, BATCH, { seed: 1, epoch: r + 2, batch: b })
      times[i].push(((performance.now() - t0) * 1000) / batches)
    })
  }
  return times.map(median)
}

/** The cost of turning a batch of bytes into input tensors, for scale. */
function buildPerBatch(shape: ImageShape, repeats = 9, batches = 300): number {
  const pixels = shape.height * shape.width * shape.channels
  const source = { images: new Uint8Array(1024 * pixels).map((_, i) => i % 256), labels: new Uint8Array(1024), shape }
  const order = Uint32Array.from({ length: 1024 }, (_, i) => i)
  const builder = new BatchBuilder(BATCH)
  const times: number[] = []
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now()
    for (let b = 0; b < batches; b++) {
      const { xs, labels } = builder.build(source, order, (b * BATCH) % 1024, BATCH)
      xs.dispose()
      labels.dispose()
    }
    times.push(((performance.now() - t0) * 1000) / batches)
  }
  return median(times)
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rounds: { type: 'string', default: '16' }, preset: { type: 'string', default: 'dense' }, json: { type: 'boolean' } }
  })
  const rounds = Number(values.rounds)
  const preset = values.preset as PresetId
  const info = await initBackend('wasm')
  const shapes: ImageShape[] = [
    { height: 28, width: 28, channels: 1 },
    { height: 32, width: 32, channels: 3 }
  ]
  const costs = shapes.map((shape) => {
    const us = perBatch(shape)
    return {
      shape: `${shape.height}×${shape.width}×${shape.channels}`,
      buildUs: buildPerBatch(shape),
      ops: OPS.map(([name], i) => ({ name, us: us[i] }))
    }
  })

  // A/B: one model, one train step, batches built with and without augmentation, rounds interleaved ABBA.
  const data = await benchImages()
  const model = buildModel({ ...benchModelOptions(preset), seed: 42 } as BuildModelOptions)
  const step = createTrainStep(model, tf.train.adam(1e-3))
  const order = Uint32Array.from({ length: data.count }, (_, i) => i)
  const augmenter = new BatchAugmenter({ augment: { shift: 2, flip: true, erase: 0.5 }, shape: { height: 28, width: 28, channels: 1 } })
  let draw = { seed: 42, epoch: 1, batch: 0 }
  const builders = {
    off: new BatchBuilder(BATCH),
    on: new BatchBuilder(BATCH, { transform: (x, n) => augmenter.apply(x, n, draw) })
  }
  let cursor = 0
  let stepNo = 0
  const train = (builder: BatchBuilder, batches: number): number => {
    const t0 = performance.now()
    for (let b = 0; b < batches; b++) {
      if (cursor + BATCH > order.length) cursor = 0
      draw = { seed: 42, epoch: 1, batch: stepNo }
      const { xs, labels } = builder.build(data, order, cursor, BATCH)
      step(xs, labels, stepNo++)
      xs.dispose()
      labels.dispose()
      cursor += BATCH
    }
    return (batches * BATCH) / ((performance.now() - t0) / 1000)
  }
  train(builders.off, 20)
  train(builders.on, 20)
  const batchesPerRound = 30
  const rates: Record<'off' | 'on', number[]> = { off: [], on: [] }
  for (let r = 0; r < rounds; r++) {
    const pair: Array<'off' | 'on'> = r % 2 ? ['on', 'off'] : ['off', 'on']
    for (const k of pair) rates[k].push(train(builders[k], batchesPerRound))
  }
  const ab = {
    preset,
    backend: `${info.name} (${info.threads} threads)`,
    data: data.kind,
    rounds,
    batchesPerRound,
    offImagesPerSec: median(rates.off),
    onImagesPerSec: median(rates.on),
    // Each round's two neighbouring measurements give one ratio: a change in load between rounds cancels.
    ratio: median(rates.on.map((on, r) => on / rates.off[r])),
    ratioMin: Math.min(...rates.on.map((on, r) => on / rates.off[r])),
    ratioMax: Math.max(...rates.on.map((on, r) => on / rates.off[r])),
    load: loadavg()[0]
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ costs, ab }, null, 2)}\n`)
    return
  }
  for (const c of costs) {
    console.log(`\n${c.shape}, batch ${BATCH}: building the batch (bytes → tensor) ${c.buildUs.toFixed(0)} µs`)
    for (const op of c.ops) console.log(`  ${op.name.padEnd(28)} ${op.us.toFixed(0).padStart(6)} µs per batch`)
  }
  console.log(
    `\nTraining ${preset} on ${ab.backend}, ${data.kind} data, batch ${BATCH}, median of ${rounds} interleaved rounds of ${batchesPerRound} batches:`
  )
  console.log(`  without augmentation          ${ab.offImagesPerSec.toFixed(0)} images/s`)
  console.log(`  shift 2 + flip + erase 0.5    ${ab.onImagesPerSec.toFixed(0)} images/s`)
  console.log(
    `  ratio with / without, median of the rounds ${ab.ratio.toFixed(3)} (${((ab.ratio - 1) * 100).toFixed(1)} %; range ${ab.ratioMin.toFixed(2)}–${ab.ratioMax.toFixed(2)})`
  )
  console.log(`  load average ${ab.load.toFixed(2)}`)
  model.dispose()
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
