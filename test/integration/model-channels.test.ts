/**
 * The model channels and CLI commands through a real core: `export.model`, `models.predict`,
 * `models.saliency`, `export --model`, `predict`, on a run the core trained and whose model its store kept.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import sharp from 'sharp'
import { unzipSync } from 'fflate'
import { onnx } from 'onnx-proto'
import { CLASS_NAMES } from '@shared/classes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import { loadDataset, type FashionMnist } from '@main/core/dataset'
import { initBackend } from '@main/core/tfjs/backend'
import { exportModelFiles, predictFiles } from '@main/cli/model-commands'
import { realDataDir } from '../helpers/real-data'
import { createTempCore, type TempCore } from '../helpers/temp-core'

const real = realDataDir()

describe.skipIf(!real.dir)(`model channels and commands${real.reason}`, () => {
  let data: FashionMnist
  let model: tf.LayersModel
  let t: TempCore
  let runId: number
  let bare: number
  const out = mkdtempSync(join(tmpdir(), 'atelier-model-out-'))

  const image = (i: number): Uint8Array => data.test!.images.slice(i * 784, (i + 1) * 784)
  const inProcess = (pixels: Uint8Array): Float32Array =>
    tf.tidy(
      () =>
        (
          model.predict(
            tf.tensor4d(
              Float32Array.from(pixels, (v) => v / 255),
              [pixels.length / 784, 28, 28, 1]
            )
          ) as tf.Tensor
        ).dataSync() as Float32Array
    )

  beforeAll(async () => {
    await initBackend('wasm')
    data = await loadDataset(real.dir!)
    t = await createTempCore(real.dir!, {
      dialogs: { saveFile: async ({ suggestedName }) => join(out, suggestedName), openFolder: async () => null }
    })
    const run = await t.core.runs.start({ ...defaultHparams('dense'), epochs: 1, trainSubset: 2000 }, 'dense / try')
    runId = run.id
    expect(await t.finished(runId)).toBe('completed')
    // The model the store kept, loaded here to compare every answer of the channels with.
    model = await tf.loadLayersModel(tf.io.fromMemory(await t.core.models.loadModelArtifacts(runId)))
    bare = (await t.core.store.runs.insert({ name: 'no model', hparams: defaultHparams('dense'), appVersion: 'test' })).id
  })
  afterAll(async () => {
    await t?.close()
    model?.dispose()
  })

  it('export.model writes an ONNX file that onnxruntime runs like tf.js, and a TF.js zip', async () => {
    const onnxSaved = await t.core.route('export.model', { id: runId, format: 'onnx' })
    expect(onnxSaved).toEqual({ ok: true, data: { path: join(out, 'dense-try.onnx') } })
    const session = await ort.InferenceSession.create(readFileSync(join(out, 'dense-try.onnx')))
    const batch = data.test!.images.slice(0, 50 * 784)
    const result = await session.run({
      image: new ort.Tensor(
        'float32',
        Float32Array.from(batch, (v) => v / 255),
        [50, 28, 28, 1]
      )
    })
    const want = inProcess(batch)
    const got = result.probabilities.data as Float32Array
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5)
    await session.release()
    const proto = onnx.ModelProto.decode(readFileSync(join(out, 'dense-try.onnx')))
    const meta = Object.fromEntries(proto.metadataProps.map((p) => [p.key, p.value]))
    expect(JSON.parse(meta.class_names)).toEqual([...CLASS_NAMES])
    expect(meta).toMatchObject({ atelier_run_id: String(runId), preset: 'dense' })
    expect(Number(proto.opsetImport[0].version)).toBeGreaterThanOrEqual(13)

    const zipSaved = await t.core.route('export.model', { id: runId, format: 'tfjs' })
    expect(zipSaved).toEqual({ ok: true, data: { path: join(out, 'dense-try-tfjs.zip') } })
    const files = unzipSync(readFileSync(join(out, 'dense-try-tfjs.zip')))
    const json = JSON.parse(new TextDecoder().decode(files['model.json']))
    expect(json.userDefinedMetadata.classNames[9]).toBe('Ankle boot')
    expect(json.weightsManifest[0].paths).toEqual(['group1-shard1of1.bin'])
  })

  it('models.predict and models.saliency answer for drawn pixels and test images', async () => {
    const predicted = await t.core.route('models.predict', { id: runId, pixels: image(7) })
    expect(predicted.ok).toBe(true)
    const probs = (predicted as { data: Float32Array }).data
    const want = inProcess(image(7))
    for (let c = 0; c < 10; c++) expect(Math.abs(probs[c] - want[c])).toBeLessThan(1e-5)

    const byIndex = await t.core.route('models.saliency', { id: runId, testIndex: 7, classIndex: 2 })
    const byPixels = await t.core.route('models.saliency', { id: runId, pixels: image(7), classIndex: 2 })
    expect(byIndex.ok && byPixels.ok).toBe(true)
    expect(Array.from((byIndex as { data: Float32Array }).data)).toEqual(Array.from((byPixels as { data: Float32Array }).data))
    const smooth = await t.core.route('models.saliency', { id: runId, testIndex: 7, classIndex: 2, smooth: true })
    expect((smooth as { data: Float32Array }).data).toHaveLength(784)
  })

  it('refuses bad requests and runs without a model with clear messages', async () => {
    expect(await t.core.route('models.predict', { id: runId, pixels: new Uint8Array(100) })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/takes 28×28 grayscale images \(784 bytes each/) }
    })
    expect(await t.core.route('models.saliency', { id: runId, pixels: image(0), testIndex: 0, classIndex: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/either pixels or testIndex/) }
    })
    expect(await t.core.route('models.saliency', { id: runId, testIndex: 10_000, classIndex: 0 })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/10000 does not exist/) }
    })
    expect(await t.core.route('models.predict', { id: bare, pixels: image(0) })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/has no trained model/) }
    })
    const before = readdirSync(out).length
    expect(await t.core.route('export.model', { id: bare, format: 'onnx' })).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(readdirSync(out).length).toBe(before)
  })

  it('CLI: export --model writes the folder; predict reads PNG files and names bad ones', async () => {
    const dir = join(out, 'cli-tfjs')
    await exportModelFiles({ core: t.core, runId, dir, format: 'tfjs' })
    expect(readdirSync(dir).sort()).toEqual(['group1-shard1of1.bin', 'model.json', 'preprocessing.json'])
    await exportModelFiles({ core: t.core, runId, dir: join(out, 'cli-onnx'), format: 'onnx' })
    expect(existsSync(join(out, 'cli-onnx', 'dense-try.onnx'))).toBe(true)
    expect(JSON.parse(readFileSync(join(out, 'cli-onnx', 'dense-try.preprocessing.json'), 'utf8'))).toMatchObject({
      input: { name: 'image', shape: ['N', 28, 28, 1] },
      output: { name: 'probabilities', shape: ['N', 10] },
      fit: 'ink-box',
      scale: 1 / 255
    })

    const png = join(out, 'test-12.png')
    await sharp(Buffer.from(image(12)), { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toFile(png)
    const notes = join(out, 'notes.png')
    writeFileSync(notes, 'not a picture')
    const results = await predictFiles({ core: t.core, runId, files: [png, notes], top: 3 })
    const want = inProcess(image(12))
    const best = want.indexOf(Math.max(...want))
    expect(results[0].top![0].index).toBe(best)
    expect(results[0].top!.map((r) => r.probability)).toEqual([...results[0].top!.map((r) => r.probability)].sort((a, b) => b - a))
    expect(results[1].error).toMatch(/notes\.png is not an image/)
  })
})
