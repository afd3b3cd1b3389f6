/**
 * Predictions and saliency maps for stored models, computed in a worker thread: the model of a run is
 * loaded once and kept for the next requests (the few most recently used runs stay loaded).
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { InferenceRequest, InferenceResponse } from './inference-protocol'
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

export interface SaliencyRequest {
  /** 784 bytes 0–255, light object on black. */
  pixels: Uint8Array
  classIndex: number
  /** SmoothGrad copies; 0 for the plain gradient. */
  smoothSamples: number
}

export interface InferenceService {
  /** Class probabilities, 10 per image, for `pixels.length / 784` images. */
  predict(runId: number, pixels: Uint8Array): Promise<Float32Array>
  /** ∂p(class)/∂pixel for the 784 pixels. */
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
        w.postMessage({ type: 'unload', runId: p.runId } satisfies InferenceRequest)
      }
      p.reject(new Error(message.message))
    })
    const fail = (reason: string): void => {
      if (worker === w) {
        worker = null
        loaded = []
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

  const ensureLoaded = (w: Worker, runId: number): void => {
    if (loaded.includes(runId)) {
      loaded = [...loaded.filter((id) => id !== runId), runId]
      return
    }
    // Reading the stored model throws a clear error when the run has none; nothing is sent then.
    const artifacts = options.source.loadModelArtifacts(runId)
    w.postMessage({ type: 'load', runId, artifacts } satisfies InferenceRequest)
    loaded.push(runId)
    while (loaded.length > cacheSize) w.postMessage({ type: 'unload', runId: loaded.shift()! } satisfies InferenceRequest)
  }

  const request = async (runId: number, make: (requestId: number) => InferenceRequest): Promise<Float32Array> => {
    worker ??= start()
    const w = worker
    ensureLoaded(w, runId)
    const requestId = nextId++
    return await new Promise<Float32Array>((resolve, reject) => {
      pending.set(requestId, { resolve, reject, runId })
      w.ref()
      w.postMessage(make(requestId))
    }).finally(() => {
      if (pending.size === 0) w.unref()
    })
  }

  return {
    predict: (runId, pixels) => request(runId, (requestId) => ({ type: 'predict', requestId, runId, pixels })),
    saliency: (runId, r) => request(runId, (requestId) => ({ type: 'saliency', requestId, runId, ...r })),
    async close() {
      const w = worker
      worker = null
      loaded = []
      if (w) await w.terminate()
    }
  }
}
