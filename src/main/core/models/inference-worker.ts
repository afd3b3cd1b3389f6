/**
 * The inference worker thread: holds the models of recently used runs and answers predict and saliency
 * requests off the main thread, so the window never waits on TensorFlow.
 */
import { errorMessage } from '@shared/error-text'
import { parentPort } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '@main/core/tfjs/backend'
import { modelFromArtifacts } from './load-model'
import type { InferenceRequest, InferenceResponse } from './inference-protocol'
import { saliency } from './saliency'

const port = parentPort
if (!port) throw new Error('The inference worker runs as a worker thread of Atelier.')
const post = (message: InferenceResponse): void => port.postMessage(message)

const models = new Map<number, Promise<tf.LayersModel>>()

const toFloat = (pixels: Uint8Array, scale: number): Float32Array => Float32Array.from(pixels, (v) => v * scale)

async function modelOf(runId: number): Promise<tf.LayersModel> {
  const model = models.get(runId)
  if (!model) throw new Error(`the model of run ${runId} is not loaded`)
  return model
}

async function handle(request: Exclude<InferenceRequest, { type: 'load' | 'unload' }>): Promise<Float32Array> {
  const model = await modelOf(request.runId)
  const [, height, width, channels] = model.inputs[0].shape as number[]
  const size = height * width * channels
  if (request.pixels.length === 0 || request.pixels.length % size !== 0)
    throw new Error(`expected ${height}×${width}×${channels} images (multiples of ${size} bytes), got ${request.pixels.length}`)
  if (request.type === 'predict') {
    const n = request.pixels.length / size
    const probs = tf.tidy(
      () => model.predict(tf.tensor4d(toFloat(request.pixels, request.scale), [n, height, width, channels])) as tf.Tensor
    )
    const values = Float32Array.from(probs.dataSync() as Float32Array)
    probs.dispose()
    return values
  }
  return saliency({
    model,
    pixels: toFloat(request.pixels.subarray(0, size), request.scale),
    classIndex: request.classIndex,
    smoothSamples: request.smoothSamples
  })
}

const backendReady = initBackend('auto')
backendReady.then(
  (info) => post({ type: 'ready', backend: info.name }),
  (error: unknown) => console.error('inference worker: no backend', error)
)

port.on('message', (request: InferenceRequest) => {
  if (request.type === 'load') {
    const loading = backendReady.then(() => modelFromArtifacts(request.artifacts, request.runId))
    // A failed load is reported to the request that needs it; do not leave an unhandled rejection.
    loading.catch(() => {})
    models.set(request.runId, loading)
    return
  }
  if (request.type === 'unload') {
    const model = models.get(request.runId)
    models.delete(request.runId)
    void model?.then(
      (m) => m.dispose(),
      () => {}
    )
    return
  }
  handle(request).then(
    (values) =>
      port.postMessage({ type: 'result', requestId: request.requestId, values } satisfies InferenceResponse, [
        values.buffer as ArrayBuffer
      ]),
    (error: unknown) => post({ type: 'error', requestId: request.requestId, message: errorMessage(error) })
  )
})
