/**
 * One dataset-bench measurement in its own process (so its peak RSS is its own): a folder import, or
 * one training epoch on the cache file an import wrote.
 */
import { errorMessage } from '@shared/error-text'
import type * as Tf from '@tensorflow/tfjs'
import { PRESETS, type PresetId } from '@shared/presets'
import type { DatasetRef, ImageShape } from '@shared/dataset'
import { importFolder, readCacheHeader } from '@main/core/dataset/folder'
import { loadImages } from '@main/core/dataset/images'
import { stratifiedSplit } from '@main/core/dataset/split'
import type { BuildModelOptions } from '@main/core/trainer/architectures'

// TensorFlow.js and the trainer are loaded only for the epoch, so the import's peak RSS is its own.
let tf: typeof Tf

export type DatasetChildRequest =
  | { task: 'import'; folder: string; outFile: string; size?: number; color?: 'gray' | 'rgb' }
  | { task: 'epoch'; file: string; preset: PresetId; batch: number; maxImages: number | null }

export interface ImportMeasure {
  imported: number
  skipped: number
  seconds: number
  /** Seconds of each phase: probing headers, decoding, writing the cache file. */
  phases: Record<string, number>
  imagesPerSec: number
  peakRssMb: number
  shape: ImageShape
}

export interface EpochMeasure {
  backend: string
  threads: number
  loadSeconds: number
  rssAfterLoadMb: number
  images: number
  seconds: number
  imagesPerSec: number
  peakRssMb: number
  /** How the model was built: the trainer's buildModel, or the bench's stand-in while it only takes 28×28×1. */
  model: 'buildModel' | 'bench stand-in'
}

const rssMb = (): number => process.resourceUsage().maxRSS / 1024

async function measureImport({ folder, outFile, size, color }: Extract<DatasetChildRequest, { task: 'import' }>): Promise<ImportMeasure> {
  const phases: Record<string, number> = {}
  let phase = ''
  let phaseStart = performance.now()
  const t0 = performance.now()
  const result = await importFolder({
    folder,
    outFile,
    size,
    color,
    name: 'bench',
    onProgress: (p) => {
      if (p.phase === phase) return
      if (phase) phases[phase] = (performance.now() - phaseStart) / 1000
      phase = p.phase
      phaseStart = performance.now()
    }
  })
  const seconds = (performance.now() - t0) / 1000
  if (phase) phases[phase] = (performance.now() - phaseStart) / 1000
  const imported = result.report.imported
  return {
    imported,
    skipped: result.report.skipped.length,
    seconds,
    phases,
    imagesPerSec: imported / seconds,
    peakRssMb: rssMb(),
    shape: result.shape
  }
}

/**
 * The preset's layers for any input shape and class count. Stand-in for the trainer's `buildModel`
 * while it only builds 28×28×1 → 10 (the trainer helper generalises it this round; at merge this
 * should call buildModel with the shape and class count and drop the stand-in).
 */
function standInModel(preset: PresetId, shape: ImageShape, classCount: number): Tf.Sequential {
  const model = tf.sequential()
  const layers = PRESETS[preset].layers
  layers.forEach((spec, i) => {
    const input = i === 0 ? { inputShape: [shape.height, shape.width, shape.channels] } : {}
    const last = i === layers.length - 1
    const init = tf.initializers.glorotUniform({ seed: 42 + i })
    switch (spec.kind) {
      case 'flatten':
        return model.add(tf.layers.flatten(input))
      case 'dense':
        return model.add(
          tf.layers.dense({
            ...input,
            units: last ? classCount : spec.units,
            activation: spec.activation ?? 'linear',
            kernelInitializer: init
          })
        )
      case 'conv2d':
        return model.add(
          tf.layers.conv2d({
            ...input,
            filters: spec.filters,
            kernelSize: spec.kernel,
            padding: spec.padding,
            activation: spec.activation ?? 'linear',
            kernelInitializer: init
          })
        )
      case 'maxPool':
        return model.add(tf.layers.maxPooling2d({ ...input, poolSize: spec.size }))
      case 'dropout':
        return model.add(tf.layers.dropout({ ...input, rate: spec.rate, seed: 42 + i }))
      case 'batchNorm':
        return model.add(tf.layers.batchNormalization(input))
      case 'relu':
        return model.add(tf.layers.reLU(input))
    }
  })
  return model
}

function modelFor(
  buildModel: (options: BuildModelOptions) => Tf.Sequential,
  preset: PresetId,
  shape: ImageShape,
  classCount: number
): { model: Tf.Sequential; kind: EpochMeasure['model'] } {
  // Written against the generalised options the trainer helper is adding; the current buildModel ignores them.
  const options = { preset, seed: 42, shape, classCount } as BuildModelOptions
  const model = buildModel(options)
  const input = model.inputs[0].shape
  const output = model.outputs[0].shape
  if (input[1] === shape.height && input[2] === shape.width && input[3] === shape.channels && output[output.length - 1] === classCount) {
    return { model, kind: 'buildModel' }
  }
  model.dispose()
  return { model: standInModel(preset, shape, classCount), kind: 'bench stand-in' }
}

async function measureEpoch(req: Extract<DatasetChildRequest, { task: 'epoch' }>): Promise<EpochMeasure> {
  tf = await import('@tensorflow/tfjs')
  const { initBackend } = await import('@main/core/tfjs/backend')
  const { buildModel } = await import('@main/core/trainer/architectures')
  const { createTrainStep } = await import('@main/core/trainer/train-step')
  const info = await initBackend('wasm')
  const header = await readCacheHeader(req.file)
  const ref: DatasetRef = {
    name: 'bench',
    title: 'bench',
    source: 'folder',
    shape: header.shape,
    classNames: header.classNames,
    contentHash: header.contentHash,
    preprocessing: header.preprocessing
  }
  const t0 = performance.now()
  const data = await loadImages({ kind: 'cache', file: req.file, ref })
  const loadSeconds = (performance.now() - t0) / 1000
  const rssAfterLoadMb = rssMb()
  const train = data.train!
  const split = stratifiedSplit(train.labels, { validationFraction: 0.1, seed: 42 })
  const order = req.maxImages === null ? split.train : split.train.subarray(0, req.maxImages)
  const { model, kind } = modelFor(buildModel, req.preset, data.shape, data.classCount)
  const step = createTrainStep(model, tf.train.adam(1e-3))
  const [h, w, c] = [data.shape.height, data.shape.width, data.shape.channels]
  const pixels = h * w * c
  // Per-batch normalisation from the uint8 images, as the trainer's BatchBuilder does (it is 28×28×1-only until the trainer helper's change).
  const x = new Float32Array(req.batch * pixels)
  const y = new Int32Array(req.batch)
  const t1 = performance.now()
  let stepIndex = 0
  for (let start = 0; start < order.length; start += req.batch) {
    const n = Math.min(req.batch, order.length - start)
    for (let b = 0; b < n; b++) {
      const idx = order[start + b]
      const from = idx * pixels
      for (let p = 0; p < pixels; p++) x[b * pixels + p] = train.images[from + p] / 255
      y[b] = train.labels[idx]
    }
    const xs = tf.tensor4d(x.subarray(0, n * pixels), [n, h, w, c])
    const labels = tf.tensor1d(y.subarray(0, n), 'int32')
    step(xs, labels, stepIndex++)
    xs.dispose()
    labels.dispose()
  }
  const seconds = (performance.now() - t1) / 1000
  return {
    backend: info.name,
    threads: info.threads,
    loadSeconds,
    rssAfterLoadMb,
    images: order.length,
    seconds,
    imagesPerSec: order.length / seconds,
    peakRssMb: rssMb(),
    model: kind
  }
}

process.once('message', (req: DatasetChildRequest) => {
  const run = req.task === 'import' ? measureImport(req) : measureEpoch(req)
  run.then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (error: unknown) => process.send!({ ok: false, error: errorMessage(error) }, () => process.exit(1))
  )
})
