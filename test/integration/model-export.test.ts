/**
 * Every preset, trained briefly as a real run (trainer process, model kept by the store), exported
 * through the `export.model` channel to ONNX and to the TF.js Layers format: onnxruntime-node and
 * `tf.loadLayersModel` reproduce the predictions the run stored for all 10,000 test images (same
 * class for each, probabilities within 1e-4).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PRESET_IDS, type PresetId } from '@shared/presets'
import type { Predictions } from '@shared/run'
import { loadDataset, type FashionMnist } from '@main/core/dataset'
import { initBackend } from '@main/core/tfjs/backend'
import { defaultHparams } from '@shared/hparams'
import { evaluate } from '@main/core/trainer/metrics'
import { modelFromArtifacts } from '@main/core/models/load-model'
import { ONNX_INPUT, ONNX_OUTPUT } from '@main/core/models/onnx-export'
import { realDataDir } from '../helpers/real-data'
import { createTempCore, type TempCore } from '../helpers/temp-core'

const real = realDataDir()
const TOLERANCE = 1e-4
/** Training images per preset: enough to move the weights (and batch-norm statistics) far from their start. */
const IMAGES: Record<PresetId, number> = { dense: 3000, 'cnn-shallow': 1500, 'cnn-deep': 1000, 'cnn-bn': 2000 }

let data: FashionMnist
let t: TempCore
let server: Server
let baseUrl: string
/** Files the HTTP server hands out, as a browser would fetch an exported model. */
const served = new Map<string, Uint8Array>()

beforeAll(async () => {
  if (!real.dir) return
  await initBackend('wasm')
  data = await loadDataset(real.dir)
  t = await createTempCore(real.dir)
  server = createServer((req, res) => {
    const body = served.get(req.url ?? '')
    if (!body) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-length': body.length }).end(Buffer.from(body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server?.close()
  await t?.close()
})

/** The bytes the `export.model` channel hands the save dialog (or the browser download). */
async function exported(id: number, format: 'onnx' | 'tfjs'): Promise<Uint8Array> {
  const result = await t.core.exportFile('export.model', { id, format })
  if (!result.ok) throw new Error(result.error.message)
  return result.data.content as Uint8Array
}

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
      const hparams = { ...defaultHparams(preset), epochs: 1, trainSubset: IMAGES[preset] }
      const run = await t.core.runs.start(hparams, `export ${preset}`)
      expect(await t.finished(run.id)).toBe('completed')
      // What the run stored when it finished: the predictions every export must reproduce.
      const stored = {
        predictions: (await t.core.runs.predictions(run.id))!,
        accuracy: (await t.core.runs.get(run.id)).metrics!.testAccuracy
      }
      // A model that learned something (above chance, 0.1), so a wrong mapping of its weights would show
      // in the comparison below, which also holds all 100,000 probabilities to 1e-4. cnn-bn's moving
      // statistics are re-estimated after training, so one short epoch predicts well too (~0.8).
      expect(stored.accuracy).toBeGreaterThan(0.3)

      if (preset === 'cnn-bn') {
        // The moving statistics moved during training, so the export must carry them, not the initial 0/1.
        const reloaded = await modelFromArtifacts(await t.core.models.loadModelArtifacts(run.id))
        const bn = reloaded.layers.find((l) => l.getClassName() === 'BatchNormalization')!
        const movingMean = bn.getWeights()[2].dataSync()
        expect(Math.max(...Array.from(movingMean, Math.abs))).toBeGreaterThan(1e-3)
        reloaded.dispose()
      }
      const onnxBytes = await exported(run.id, 'onnx')

      const onnx = compare(stored.predictions, await onnxProbabilities(onnxBytes))
      expect(onnx.classMismatches).toBe(0)
      expect(onnx.maxDiff).toBeLessThan(TOLERANCE)

      // TF.js: the zip a person saves, unpacked and served over HTTP as from a web server.
      const zip = unzipSync(await exported(run.id, 'tfjs'))
      expect(Object.keys(zip).sort()).toEqual(['group1-shard1of1.bin', 'model.json', 'preprocessing.json'])
      expect(JSON.parse(new TextDecoder().decode(zip['preprocessing.json']))).toMatchObject({
        input: { shape: ['N', 28, 28, 1] },
        colorMode: 'gray',
        fit: 'ink-box',
        classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']
      })
      for (const [name, bytes] of Object.entries(zip)) served.set(`/${preset}/${name}`, bytes)
      const loaded = await tf.loadLayersModel(`${baseUrl}/${preset}/model.json`)
      const again = evaluate({ model: loaded, source: data.test!, indices: testIndices() })!
      loaded.dispose()
      const tfjs = compare(stored.predictions, again.predictions.probabilities)
      expect(tfjs.classMismatches).toBe(0)
      expect(tfjs.maxDiff).toBeLessThan(TOLERANCE)
      console.log(
        `${preset}: accuracy ${stored.accuracy.toFixed(4)}; ONNX max |Δp| ${onnx.maxDiff.toExponential(2)}; TF.js max |Δp| ${tfjs.maxDiff.toExponential(2)}`
      )
    })
  }
})
