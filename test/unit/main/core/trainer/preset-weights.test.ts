/**
 * The presets' starting weights, byte for byte: a fingerprint taken before architecture files could be
 * built, so building presets through the general builder changes no existing run's starting point.
 */
import { createHash } from 'node:crypto'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ImageShape } from '@shared/dataset'
import { PRESET_IDS, type PresetId } from '@shared/presets'
import { initBackend } from '@main/core/tfjs/backend'
import { buildModel } from '@main/core/trainer/architectures'

/** SHA-256 over every weight's name (as built, before tf.js makes it unique in the process), shape and float32 bytes, in the model's order, plus the layers' names. */
function fingerprint(model: tf.LayersModel): string {
  const hash = createHash('sha256')
  hash.update(model.layers.map((l) => `${l.getClassName()}:${l.name}`).join(','))
  for (const w of model.weights) {
    const values = w.read().dataSync() as Float32Array
    hash.update(`${w.originalName}:${w.shape.join('x')}`)
    hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
  }
  return hash.digest('hex')
}

const CASES: Array<{ shape: ImageShape; classCount: number }> = [
  { shape: { height: 28, width: 28, channels: 1 }, classCount: 10 },
  { shape: { height: 32, width: 32, channels: 3 }, classCount: 4 }
]

/** Taken with the Sequential-only builder of commit 0c73c16, on WASM. */
const EXPECTED: Record<string, string> = {
  'dense 28×28×1/10': '9fa29649a57a42e56982902aebe60f94b18d3f0901a531fb4f48a8efbd90aa29',
  'cnn-shallow 28×28×1/10': '44debc5a738f47e79c530b06696edc5d5904be0b6acbff62561d4ec1ad472190',
  'cnn-deep 28×28×1/10': '993e024f1741adc43535b12ef0534cecf44c812d169461253755e6f868b0d237',
  'cnn-bn 28×28×1/10': '09a74630a4cadce9c3dce4456f333c1c2ef1d37a0a68bfa353f53eced000caa7',
  'dense 32×32×3/4': '2398b67c88ab6cc9166f27790d63233fbfe6d0ff8c14b450513643fd74445948',
  'cnn-shallow 32×32×3/4': 'c16356c0834ffaed4362937aca3fe7dc95a40f2b606c294b100b8bc727164128',
  'cnn-deep 32×32×3/4': '6d99489b76c3f3a8a8ca63df1589cc9d150794e931f8efedcc2522a6cb72be35',
  'cnn-bn 32×32×3/4': 'fe9bd735d42b82c4d6df0d1f83eacac5dbbf16d50d828ba0792e53b64684af31'
}

describe('preset starting weights', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  for (const { shape, classCount } of CASES) {
    for (const preset of PRESET_IDS) {
      const key = `${preset} ${shape.height}×${shape.width}×${shape.channels}/${classCount}`
      it(`${key} are the bytes they were before architecture files`, () => {
        const model = buildModel({ preset: preset as PresetId, seed: 42, shape, classCount })
        const got = fingerprint(model)
        model.dispose()
        expect(got).toBe(EXPECTED[key])
      })
    }
  }
})
