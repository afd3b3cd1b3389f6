/**
 * One dataset-bench measurement in its own process (so its peak RSS is its own): a folder import, or
 * one training epoch on the cache file an import wrote.
 */
import { errorMessage } from '@shared/error-text'
import type * as Tf from '@tensorflow/tfjs'
import type { PresetId } from '@shared/presets'
import type { DatasetRef, ImageShape } from '@shared/dataset'
import { importFolder, readCacheHeader } from '@main/core/dataset/folder'
import { loadImages } from '@main/core/dataset/images'
import { stratifiedSplit } from '@main/core/dataset/split'

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
  const model = buildModel({ preset: req.preset, seed: 42, shape: data.shape, classCount: data.classCount })
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
    peakRssMb: rssMb()
  }
}

process.once('message', (req: DatasetChildRequest) => {
  const run = req.task === 'import' ? measureImport(req) : measureEpoch(req)
  run.then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (error: unknown) => process.send!({ ok: false, error: errorMessage(error) }, () => process.exit(1))
  )
})
