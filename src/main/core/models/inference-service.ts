/**
 * Predictions and saliency maps for stored models, computed in a worker thread: the model of a run is
 * loaded once and kept for the next requests (the few most recently used runs stay loaded).
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type * as tf from '@tensorflow/tfjs'
import type { DatasetRef } from '@shared/dataset'
import type { InferenceRequest, InferenceResponse } from './inference-protocol'
import { datasetOfArtifacts, modelInterface, type ModelInterface } from './model-dataset'
import type { ModelSource } from './model-source'

const here = fileURLToPath(new URL('.', import.meta.url))

/** A built inference-worker.js beside this file (the app bundle), else the TypeScript source through tsx. */
function workerEntry(): { file: string; execArgv: string[] } {
  const built = `${here}inference-worker.js`
  if (existsSync(built)) return { file: built, execArgv: [] }
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
  return { file: fileURLToPath(new URL('./inference-worker.ts', import.meta.url)), execArgv: ['--import', tsx] }
}

export interface InferenceServiceOptions {
  /** Where run models come from. */
  source: ModelSource
  /** How many runs' models stay loaded (default 4). */
  cacheSize?: number
}

/** What a run's model takes and answers, and the dataset it was trained on (from its model file). */
export interface ModelDescription extends ModelInterface {
  /** The dataset recorded in the model file (Fashion-MNIST for files from before datasets). */
  dataset: DatasetRef
}

/** The description of stored ModelArtifacts. */
export function describeArtifacts(artifacts: tf.io.ModelArtifacts): ModelDescription {
  const dataset = datasetOfArtifacts(artifacts)
  return { ...modelInterface(artifacts, dataset), dataset }
}

export interface SaliencyRequest {
  /** One image of the model's input shape: `h × w × c` bytes 0–255 (HWC), prepared as its dataset's preprocessing says. */
  pixels: Uint8Array
  classIndex: number
  /** SmoothGrad copies; 0 for the plain gradient. */
  smoothSamples: number
}

export interface InferenceService {
  /** Input shape, class count and dataset of the run's model (loads it, as the next request will need it). */
  describe(runId: number): Promise<ModelDescription>
  /** Class probabilities, one per class per image, for `pixels.length / (h×w×c)` images. */
  predict(runId: number, pixels: Uint8Array): Promise<Float32Array>
  /** ∂p(class)/∂pixel for the height × width pixels (channels combined). */
  saliency(runId: number, request: SaliencyRequest): Promise<Float32Array>
  /** Stops the worker; a later request starts a new one. */
  close(): Promise<void>
}

interface Pending {
  resolve(values: Float32Array): void
  reject(error: Error): void
  runId: number
}

export function createInferenceService(options: InferenceServiceOptions): InferenceService {
  const cacheSize = options.cacheSize ?? 4
  let worker: Worker | null = null
  /** Runs whose model the worker holds, least recently used first. */
  let loaded: number[] = []
  /** What each loaded run's model takes (read from its file when it was loaded). */
  const described = new Map<number, ModelDescription>()
  const pending = new Map<number, Pending>()
  let nextId = 1

  const start = (): Worker => {
    const { file, execArgv } = workerEntry()
    const w = new Worker(file, {
      execArgv,
      // One WASM thread: a single image takes milliseconds, and training keeps the cores.
      env: {
        ...process.env,
        ATELIER_WASM_THREADS: '1',
        TSX_TSCONFIG_PATH: fileURLToPath(new URL('../../../../tsconfig.json', import.meta.url))
      }
    })
    w.on('message', (message: InferenceResponse) => {
      if (message.type === 'ready') return
      const p = pending.get(message.requestId)
      if (!p) return
      pending.delete(message.requestId)
      if (message.type === 'result') return p.resolve(message.values)
      // A model that failed to load stays out of the cache, so the next request tries again.
      if (loaded.includes(p.runId)) {
        loaded = loaded.filter((id) => id !== p.runId)
        described.delete(p.runId)
        w.postMessage({ type: 'unload', runId: p.runId } satisfies InferenceRequest)
      }
      p.reject(new Error(message.message))
    })
    const fail = (reason: string): void => {
      if (worker === w) {
        worker = null
        loaded = []
        described.clear()
      }
      for (const [id, p] of pending) {
        pending.delete(id)
        p.reject(new Error(`The inference worker stopped (${reason}); nothing was changed. Try again.`))
      }
    }
    w.on('error', (error) => fail(error.message))
    w.on('exit', (code) => fail(`exit code ${code}`))
    // The app and the CLI may exit while the worker idles.
    w.unref()
    return w
  }

  /** The worker with the run's model loaded. */
  const ensureLoaded = async (runId: number): Promise<{ w: Worker; description: ModelDescription }> => {
    for (;;) {
      // Reading the stored model throws a clear error when the run has none; nothing is sent then.
      const artifacts = loaded.includes(runId) ? null : await options.source.loadModelArtifacts(runId)
      const w = (worker ??= start())
      // Checked again after the read: another request may have loaded (or evicted) it meanwhile.
      if (loaded.includes(runId)) {
        loaded = [...loaded.filter((id) => id !== runId), runId]
        return { w, description: described.get(runId)! }
      }
      if (artifacts) return { w, description: sendModel(w, runId, artifacts) }
    }
  }

  const sendModel = (w: Worker, runId: number, artifacts: tf.io.ModelArtifacts): ModelDescription => {
    const description = describeArtifacts(artifacts)
    w.postMessage({ type: 'load', runId, artifacts } satisfies InferenceRequest)
    loaded.push(runId)
    described.set(runId, description)
    while (loaded.length > cacheSize) {
      const gone = loaded.shift()!
      described.delete(gone)
      w.postMessage({ type: 'unload', runId: gone } satisfies InferenceRequest)
    }
    return description
  }

  const describe = async (runId: number): Promise<ModelDescription> => (await ensureLoaded(runId)).description

  const request = async (runId: number, make: (requestId: number, scale: number) => InferenceRequest): Promise<Float32Array> => {
    const {
      w,
      description: { dataset }
    } = await ensureLoaded(runId)
    const requestId = nextId++
    return await new Promise<Float32Array>((resolve, reject) => {
      pending.set(requestId, { resolve, reject, runId })
      w.ref()
      w.postMessage(make(requestId, dataset.preprocessing.scale))
    }).finally(() => {
      if (pending.size === 0) w.unref()
    })
  }

  return {
    describe,
    predict: (runId, pixels) => request(runId, (requestId, scale) => ({ type: 'predict', requestId, runId, pixels, scale })),
    saliency: (runId, r) => request(runId, (requestId, scale) => ({ type: 'saliency', requestId, runId, scale, ...r })),
    async close() {
      const w = worker
      worker = null
      loaded = []
      described.clear()
      if (w) await w.terminate()
    }
  }
}
