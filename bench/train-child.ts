/**
 * The TensorFlow.js engine of `npm run bench`: one persistent process per preset and backend that trains
 * with the project's own batch builder and train step. It answers the commands of bench/engine-protocol.ts
 * over IPC: `start` (data, model, untimed warm-up), any number of timed `round`s, then `quit` (peak RSS).
 */
import { errorMessage } from '@shared/error-text'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '@main/core/tfjs/backend'
import { buildModel, type BuildModelOptions } from '@main/core/trainer/architectures'
import { BatchBuilder } from '@main/core/trainer/batches'
import { createTrainStep } from '@main/core/trainer/train-step'
import { benchImages } from './bench-data'
import { benchModelOptions } from './bench-models'
import type { EngineCommand, EngineFinish, EngineReady, EngineReply, RoundResult, StartCommand } from './engine-protocol'

interface Trainer {
  /** Trains at least `count` images (whole batches); returns how many it trained. */
  run(count: number): number
  tensorsAfterWarmup: number
}

async function start(cmd: StartCommand): Promise<{ trainer: Trainer; ready: EngineReady }> {
  const info = await initBackend(cmd.backend)
  const data = await benchImages()
  const model = buildModel({ ...benchModelOptions(cmd.preset), seed: 42 } as BuildModelOptions)
  const step = createTrainStep(model, tf.train.adam(1e-3))
  const builder = new BatchBuilder(cmd.batch)
  const order = new Uint32Array(data.count)
  for (let i = 0; i < order.length; i++) order[i] = i
  let cursor = 0
  let taken = 0
  const run = (count: number): number => {
    let done = 0
    while (done < count) {
      if (cursor + cmd.batch > order.length) cursor = 0
      const { xs, labels } = builder.build(data, order, cursor, cmd.batch)
      step(xs, labels, taken++)
      xs.dispose()
      labels.dispose()
      cursor += cmd.batch
      done += cmd.batch
    }
    return done
  }
  const warmupStart = performance.now()
  run(cmd.warmupImages)
  while (performance.now() - warmupStart < cmd.warmupSeconds * 1000) run(cmd.batch)
  const trainer: Trainer = { run, tensorsAfterWarmup: tf.memory().numTensors }
  const probe = cmd.probeImages > 0 ? timed(trainer, cmd.probeImages) : null
  return {
    trainer,
    ready: {
      kind: 'ready',
      backend: info.name,
      threads: info.threads,
      data: data.kind,
      probeImagesPerSec: probe?.imagesPerSec ?? null,
      version: info.versions.tfjs ?? tf.version.tfjs
    }
  }
}

function timed(trainer: Trainer, images: number): RoundResult {
  const t0 = performance.now()
  const n = trainer.run(images)
  const seconds = (performance.now() - t0) / 1000
  return { kind: 'round', images: n, seconds, imagesPerSec: n / seconds }
}

function finish(trainer: Trainer | null): EngineFinish {
  return {
    kind: 'finish',
    // maxRSS is in KiB.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    numTensorsGrowth: trainer ? tf.memory().numTensors - trainer.tensorsAfterWarmup : null
  }
}

let trainer: Trainer | null = null
// Commands arrive one at a time (the parent waits for each answer), so a plain chain keeps them in order.
let queue = Promise.resolve()

async function handle(cmd: EngineCommand): Promise<EngineReply> {
  if (cmd.cmd === 'start') {
    const started = await start(cmd)
    trainer = started.trainer
    return started.ready
  }
  if (cmd.cmd === 'round') {
    if (!trainer) throw new Error('round before start')
    return timed(trainer, cmd.images)
  }
  return finish(trainer)
}

process.on('message', (cmd: EngineCommand) => {
  queue = queue.then(async () => {
    const reply = await handle(cmd).catch((err: unknown): EngineReply => ({ kind: 'error', message: errorMessage(err) }))
    // WASM's pthread workers would keep the process alive, so it exits once the last answer is sent.
    process.send?.(reply, () => {
      if (cmd.cmd === 'quit') process.exit(0)
    })
  })
})
// A parent that died or gave up leaves nobody to answer.
process.on('disconnect', () => process.exit(2))
