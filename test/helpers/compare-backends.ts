/** Runs the same tensor computation on the cpu and wasm backends and measures how far apart they are. */
import * as tf from '@tensorflow/tfjs'

/** Deterministic pseudo-random floats in [-1, 1) (mulberry32), so failures reproduce. */
export function randomValues(count: number, seed: number): Float32Array {
  let a = seed >>> 0
  const out = new Float32Array(count)
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1
  }
  return out
}

/** Runs `compute` on a backend and returns every output as plain arrays; no tensors survive. */
export async function runOn(backend: 'cpu' | 'wasm', compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend)
  const outs = tf.tidy(compute)
  const values = outs.map((t) => t.dataSync() as Float32Array)
  tf.dispose(outs)
  return values
}

/** max|a − b| / max|b|: the error relative to the reference's scale. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Infinity
  let diff = 0
  let scale = 0
  for (let i = 0; i < actual.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]))
    scale = Math.max(scale, Math.abs(expected[i]))
  }
  return diff / Math.max(scale, 1e-12)
}

/**
 * The largest relative error over matching outputs of wasm (actual) against cpu (reference). `reference`
 * defaults to `compute`; pass another formulation when the cpu path would share the code under test.
 */
export async function wasmVersusCpu(compute: () => tf.Tensor[], reference: () => tf.Tensor[] = compute): Promise<number> {
  const expected = await runOn('cpu', reference)
  const actual = await runOn('wasm', compute)
  return Math.max(...actual.map((a, i) => relativeError(a, expected[i])))
}
