/**
 * Every preset, trained briefly on real images, exported to ONNX and to the TF.js Layers format:
 * onnxruntime-node and `tf.loadLayersModel` reproduce the predictions tf.js stores for all 10,000
 * test images (same class for each, probabilities within 1e-4).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLASS_NAMES } from '@shared/classes'
import { PRESET_IDS, type PresetId } from '@shared/presets'
import type { Predictions } from '@shared/run'
import { loadDataset, type FashionMnist } from '@main/dataset'
import { initBackend } from '@main/trainer/backend'
import { evaluate } from '@main/trainer/metrics'
import { modelFromArtifacts } from '@main/models/load-model'
import { ONNX_INPUT, ONNX_OUTPUT, modelToOnnx } from '@main/models/onnx-export'
import { tfjsFiles, tfjsZip } from '@main/models/tfjs-export'
import { realDataDir } from '../helpers/real-data'
import { trainBriefly } from '../helpers/trained-model'

const real = realDataDir()
const TOLERANCE = 1e-4
/** Training images per preset: enough to move the weights (and batch-norm statistics) far from their start. */
const IMAGES: Record<PresetId, number> = { dense: 3000, 'cnn-shallow': 1500, 'cnn-deep': 1000, 'cnn-bn': 600 }

let data: FashionMnist
let server: Server
let baseUrl: string
/** Files the HTTP server hands out, as a browser would fetch an exported model. */
const served = new Map<string, Uint8Array>()

beforeAll(async () => {
  if (!real.dir) return
  await initBackend('wasm')
  data = await loadDataset(real.dir)
  server = createServer((req, res) => {
    const body = served.get(req.url ?? '')
    if (!body) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-length': body.length }).end(Buffer.from(body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => server?.close())

const testIndices = (): Uint32Array => Uint32Array.from({ length: data.test!.count }, (_, i) => i)

/** Counts images whose predicted class differs and the largest probability difference. */
function compare(stored: Predictions, probabilities: Float32Array): { classMismatches: number; maxDiff: number } {
  let classMismatches = 0
  let maxDiff = 0
  const n = stored.predicted.length
  for (let i = 0; i < n; i++) {
    let best = 0
    for (let c = 0; c < 10; c++) {
      const p = probabilities[i * 10 + c]
      if (p > probabilities[i * 10 + best]) best = c
      maxDiff = Math.max(maxDiff, Math.abs(p - stored.probabilities[i * 10 + c]))
    }
    if (best !== stored.predicted[i]) classMismatches++
  }
  return { classMismatches, maxDiff }
}

async function onnxProbabilities(bytes: Uint8Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes)
  const { images, count } = data.test!
  const out = new Float32Array(count * 10)
  const batch = 1000
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start)
    const x = new Float32Array(n * 784)
    for (let i = 0; i < n * 784; i++) x[i] = images[start * 784 + i] / 255
    const result = await session.run({ [ONNX_INPUT]: new ort.Tensor('float32', x, [n, 28, 28, 1]) })
    out.set(result[ONNX_OUTPUT].data as Float32Array, start * 10)
  }
  await session.release()
  return out
}

describe.skipIf(!real.dir)(`exports reproduce the stored predictions${real.reason}`, () => {
  for (const preset of PRESET_IDS) {
    it(`${preset}: ONNX (onnxruntime-node) and TF.js (tf.loadLayersModel) on all 10,000 test images`, async () => {
      const { model, artifacts } = await trainBriefly({ preset, train: data.train!, images: IMAGES[preset] })
      // What the trainer stores for a finished run.
      const stored = evaluate({ model, source: data.test!, indices: testIndices() })!
      model.dispose()
      // Well above chance (0.1): the weights learned something, so a wrong mapping would show.
      expect(stored.accuracy).toBeGreaterThan(0.3)

      const reloaded = await modelFromArtifacts(artifacts)
      if (preset === 'cnn-bn') {
        // The moving statistics moved during training, so the export must carry them, not the initial 0/1.
        const bn = reloaded.layers.find((l) => l.getClassName() === 'BatchNormalization')!
        const movingMean = bn.getWeights()[2].dataSync()
        expect(Math.max(...Array.from(movingMean, Math.abs))).toBeGreaterThan(1e-3)
      }
      const onnxBytes = modelToOnnx({ model: reloaded, classNames: CLASS_NAMES, metadata: { preset } })
      reloaded.dispose()

      const onnx = compare(stored.predictions, await onnxProbabilities(onnxBytes))
      expect(onnx.classMismatches).toBe(0)
      expect(onnx.maxDiff).toBeLessThan(TOLERANCE)

      // TF.js: the zip a person saves, unpacked and served over HTTP as from a web server.
      const zip = unzipSync(tfjsZip(tfjsFiles({ artifacts, metadata: { classNames: CLASS_NAMES } })))
      expect(Object.keys(zip).sort()).toEqual(['group1-shard1of1.bin', 'model.json'])
      for (const [name, bytes] of Object.entries(zip)) served.set(`/${preset}/${name}`, bytes)
      const loaded = await tf.loadLayersModel(`${baseUrl}/${preset}/model.json`)
      const again = evaluate({ model: loaded, source: data.test!, indices: testIndices() })!
      loaded.dispose()
      const tfjs = compare(stored.predictions, again.predictions.probabilities)
      expect(tfjs.classMismatches).toBe(0)
      expect(tfjs.maxDiff).toBeLessThan(TOLERANCE)
      console.log(`${preset}: accuracy ${stored.accuracy.toFixed(4)}; ONNX max |Δp| ${onnx.maxDiff.toExponential(2)}; TF.js max |Δp| ${tfjs.maxDiff.toExponential(2)}`)
    })
  }
})
