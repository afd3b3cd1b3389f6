/**
 * A colour model (16×16 RGB, 4 classes, untrained weights) through everything after training: its file
 * records the dataset, ONNX and TF.js exports state shape and preprocessing (onnxruntime-node agrees
 * with tf.js), the inference worker predicts and explains it, and `predict` prepares a JPEG as training did.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import sharp from 'sharp'
import { unzipSync } from 'fflate'
import { onnx } from 'onnx-proto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatasetRef } from '@shared/dataset'
import { PRESET_IDS } from '@shared/presets'
import type { RunDetail } from '@shared/run'
import { initBackend } from '@main/core/tfjs/backend'
import { buildModel } from '@main/core/trainer/architectures'
import { encodeModel } from '@main/core/trainer/training-state'
import { decodeModelFile, toModelArtifacts } from '@main/core/models/model-file'
import { datasetOfModelFile } from '@main/core/models/model-dataset'
import { createModelService, type ModelService } from '@main/core/models/model-service'
import { decodeImageFile } from '@main/core/models/decode-image'
import { modelToOnnx, ONNX_INPUT, ONNX_OUTPUT } from '@main/core/models/onnx-export'
import { createModelHandlers } from '@main/core/api/model-handlers'

const shape = { height: 16, width: 16, channels: 3 } as const
const ref: DatasetRef = {
  name: 'colours',
  title: 'Colours',
  source: 'folder',
  shape,
  classNames: ['red', 'green', 'blue', 'white'],
  contentHash: 'f'.repeat(64),
  preprocessing: { fit: 'cover', height: 16, width: 16, color: 'rgb', scale: 1 / 255 }
}
const owner = { runId: 1, storeId: 'test-store' }

/** Seeded pseudo-random bytes. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n)
  let s = seed
  for (let i = 0; i < n; i++) out[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24
  return out
}

describe('a 16×16×3 model of 4 classes', () => {
  let artifacts: tf.io.ModelArtifacts
  let service: ModelService
  const work = mkdtempSync(join(tmpdir(), 'atelier-colour-'))

  beforeAll(async () => {
    await initBackend('wasm')
    const model = buildModel({ preset: 'cnn-bn', seed: 9, shape, classCount: 4 })
    const file = decodeModelFile(await encodeModel({ model, epoch: 1, owner, dataset: ref }))
    expect(datasetOfModelFile(file)).toEqual(ref)
    artifacts = toModelArtifacts(file)
    model.dispose()
    service = createModelService({
      source: { loadModelArtifacts: async () => artifacts },
      getRun: async () => ({ id: 1, name: 'colour run', hparams: { preset: 'cnn-bn' }, dataset: ref }) as unknown as RunDetail,
      appVersion: 'test'
    })
  })
  afterAll(async () => {
    await service?.close()
  })

  for (const preset of PRESET_IDS) {
    it(`${preset}: onnxruntime-node gives tf.js's probabilities for [N, 16, 16, 3] inputs`, async () => {
      const model = buildModel({ preset, seed: 4, shape, classCount: 4 })
      const proto = modelToOnnx({ model, classNames: ref.classNames })
      const session = await ort.InferenceSession.create(proto)
      const n = 5
      const x = Float32Array.from(bytes(n * 16 * 16 * 3, 7), (v) => v / 255)
      const result = await session.run({ [ONNX_INPUT]: new ort.Tensor('float32', x, [n, 16, 16, 3]) })
      const got = result[ONNX_OUTPUT].data as Float32Array
      const want = tf.tidy(() => (model.predict(tf.tensor4d(x, [n, 16, 16, 3])) as tf.Tensor).dataSync() as Float32Array)
      expect(got).toHaveLength(n * 4)
      for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5)
      model.dispose()
    })
  }

  it('exports state the input shape, colour mode, fit, scaling and class names', async () => {
    const files = await service.exportFiles(1, 'onnx')
    expect(files.map((f) => f.name)).toEqual(['colour-run.onnx', 'colour-run.preprocessing.json'])
    const json = JSON.parse(new TextDecoder().decode(files[1].bytes))
    expect(json).toMatchObject({
      format: 'atelier-preprocessing/1',
      input: { name: 'image', shape: ['N', 16, 16, 3], layout: 'NHWC' },
      output: { name: 'probabilities', shape: ['N', 4] },
      colorMode: 'rgb',
      fit: 'cover',
      scale: 1 / 255,
      classNames: ref.classNames,
      dataset: { name: 'colours', contentHash: ref.contentHash }
    })
    const proto = onnx.ModelProto.decode(files[0].bytes)
    const dims = proto.graph!.input![0].type!.tensorType!.shape!.dim!.map((d) => d.dimValue ?? d.dimParam)
    expect(dims.map(String)).toEqual(['N', '16', '16', '3'])
    const meta = Object.fromEntries(proto.metadataProps!.map((p) => [p.key, p.value]))
    expect(JSON.parse(meta.atelier_preprocessing!)).toEqual(json)
    expect(JSON.parse(meta.class_names!)).toEqual(ref.classNames)

    const zip = unzipSync((await service.exportSingleFile(1, 'tfjs')).bytes)
    expect(Object.keys(zip).sort()).toEqual(['group1-shard1of1.bin', 'model.json', 'preprocessing.json'])
    // The same statement; TF.js models take and give their tensors by position, not by name.
    const tfjsJson = JSON.parse(new TextDecoder().decode(zip['preprocessing.json']))
    expect({ ...tfjsJson, input: { ...tfjsJson.input, name: 'image' }, output: { ...tfjsJson.output, name: 'probabilities' } }).toEqual(
      json
    )
    const modelJson = JSON.parse(new TextDecoder().decode(zip['model.json']))
    expect(modelJson.userDefinedMetadata.classNames).toEqual(ref.classNames)
    expect(modelJson.userDefinedMetadata.preprocessing.input.shape).toEqual(['N', 16, 16, 3])
  })

  it('predicts and explains through the channels: 4 probabilities, a 16×16 map, wrong sizes refused', async () => {
    const handlers = createModelHandlers({
      models: service,
      dataset: {
        testSet: async () => ({ dataset: 'colours', shape, count: 2, images: bytes(2 * 768, 3), labels: Uint8Array.from([0, 1]) })
      }
    })
    const pixels = bytes(768, 11)
    const probs = await handlers['models.predict']({ id: 1, pixels })
    expect(probs).toHaveLength(4)
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
    const map = await handlers['models.saliency']({ id: 1, pixels, classIndex: 2 })
    expect(map).toHaveLength(256)
    expect(map.some((v) => v !== 0)).toBe(true)
    const byIndex = await handlers['models.saliency']({ id: 1, testIndex: 1, classIndex: 0, smooth: true })
    expect(byIndex).toHaveLength(256)
    await expect(handlers['models.predict']({ id: 1, pixels: new Uint8Array(784) })).rejects.toThrow(/16×16 RGB images \(768 bytes each/)
    await expect(handlers['models.saliency']({ id: 1, pixels, classIndex: 5 })).rejects.toThrow(/4 classes; there is no class 5/)
  })

  it('prepares a JPEG photo as training did: scaled, centre-cropped, RGB', async () => {
    // 120×60, left half red, right half blue: the centre crop is half red, half blue.
    const raw = new Uint8Array(120 * 60 * 3)
    for (let p = 0; p < 120 * 60; p++) raw.set(p % 120 < 60 ? [250, 0, 0] : [0, 0, 250], p * 3)
    const file = join(work, 'photo.jpg')
    await sharp(Buffer.from(raw), { raw: { width: 120, height: 60, channels: 3 } })
      .jpeg({ quality: 95 })
      .toFile(file)
    const input = await decodeImageFile(file, ref.preprocessing)
    expect(input).toHaveLength(768)
    const left = input.subarray((8 * 16 + 1) * 3, (8 * 16 + 1) * 3 + 3)
    const right = input.subarray((8 * 16 + 14) * 3, (8 * 16 + 14) * 3 + 3)
    expect(left[0]).toBeGreaterThan(200)
    expect(left[2]).toBeLessThan(40)
    expect(right[2]).toBeGreaterThan(200)
    expect(right[0]).toBeLessThan(40)
  })
})
