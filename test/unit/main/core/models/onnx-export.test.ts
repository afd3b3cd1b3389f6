/**
 * The ONNX export of the four presets is byte for byte what it was before the exporter learnt functional
 * graphs (SHA-256 recorded from the Sequential-only exporter), and a layer it cannot map is refused by name.
 */
import { createHash } from 'node:crypto'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { PRESET_IDS, type PresetId } from '@shared/presets'
import { buildModel } from '@main/core/trainer/architectures'
import { modelToOnnx } from '@main/core/models/onnx-export'

/** SHA-256 of each preset's export (seed 4, 10 classes) from the exporter as of commit 0c73c16. */
const BEFORE: Record<string, Record<PresetId, string>> = {
  '28×28×1': {
    dense: '4becbc149561d4409f9da9adf17edaa797ef20c7383a70994d23ba4701e42574',
    'cnn-shallow': '93cc06887af7f45e435238b4998c1de0f903e971e53120b214da84ce4a1d3d64',
    'cnn-deep': '3d86774f288e9496ed7cbfd1bb97724a2207193fdcc1e4276cc09f4dfcec1c2f',
    'cnn-bn': '4893afb8e06198a9a176d747bb9858d28eb9b135fcfaa14a54234d5c119bef1f'
  },
  '16×16×3': {
    dense: '255f59576dbaed7e8b6800e0f852c4dc0eff51ec52c61321f29e47ab9fb1b325',
    'cnn-shallow': '81ba5af894a21855d4fb8faf180eb8aefc6e718a91657650c11d25a49e051e9f',
    'cnn-deep': '2b794bd9895ecc55828a336e8f4ff8e4a0a83446a3c1f78fb8002d8f736b919d',
    'cnn-bn': '5e04a1d0614f3a1bea01dc58f3f654e8a3ef2693da3542aca3619af2ca051dfa'
  }
}
const SHAPES = {
  '28×28×1': { height: 28, width: 28, channels: 1 },
  '16×16×3': { height: 16, width: 16, channels: 3 }
} as const
const classNames = Array.from({ length: 10 }, (_, i) => `c${i}`)

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('ONNX export of the presets', () => {
  for (const [shapeName, shape] of Object.entries(SHAPES))
    for (const preset of PRESET_IDS)
      it(`${preset} at ${shapeName}: the same bytes as before functional graphs`, () => {
        const model = buildModel({ preset, seed: 4, shape, classCount: 10 })
        const bytes = modelToOnnx({ model, classNames, metadata: { run: '1' }, producerVersion: 't' })
        model.dispose()
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(BEFORE[shapeName][preset])
      })
})

describe('ONNX export refuses what it cannot map', () => {
  it('names the layer class and the layer', () => {
    const input = tf.input({ shape: [8, 8, 1] })
    const padded = tf.layers.zeroPadding2d({ padding: 1, name: 'pad_me' }).apply(input) as tf.SymbolicTensor
    const flat = tf.layers.flatten().apply(padded) as tf.SymbolicTensor
    const out = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(flat) as tf.SymbolicTensor
    const model = tf.model({ inputs: input, outputs: out })
    expect(() => modelToOnnx({ model, classNames: ['a', 'b'] })).toThrow(/layer "pad_me" \(ZeroPadding2D\) has no ONNX mapping/)
    model.dispose()
  })
})
