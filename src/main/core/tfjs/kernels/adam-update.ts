/**
 * Adam's update of one variable as a single WASM kernel. tfjs-core's AdamOptimizer spends thirteen full-size
 * element-wise kernels per variable per step (each a separate single-threaded pass over the heap); this does
 * the same float32 arithmetic, in the same order, in one pass. Every step is rounded to float32 with
 * Math.fround, so the results equal the stock optimizer's bit for bit.
 */
import * as tf from '@tensorflow/tfjs'
import type { DataId, KernelConfig, KernelFunc, NamedTensorMap, TensorInfo } from '@tensorflow/tfjs'

export const ADAM_UPDATE = 'AtelierAdamUpdate'

/** Scalars of one update; all are used as float32, as the stock optimizer's scalar tensors are. */
export interface AdamUpdateAttrs {
  beta1: number
  beta2: number
  epsilon: number
  learningRate: number
  /** 1 − β₁ᵗ for this step. */
  oneMinusAccBeta1: number
  /** 1 − β₂ᵗ for this step. */
  oneMinusAccBeta2: number
}

/** The part of the WASM backend this kernel uses. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo
  typedArrayFromHeap(t: { shape: number[]; dtype: 'float32'; dataId: DataId }): Float32Array
}

function adamUpdate({ inputs, attrs, backend }: Parameters<KernelFunc>[0]): TensorInfo[] {
  const heap = backend as unknown as WasmHeap
  const { value, m, v, gradient } = inputs as Record<string, TensorInfo>
  const a = attrs as unknown as AdamUpdateAttrs
  const f = Math.fround
  const outs = [value, m, v].map((t) => heap.makeOutput([...t.shape], 'float32'))
  // Views only after every allocation: allocating may grow (and replace) the heap buffer.
  const view = (t: TensorInfo): Float32Array => heap.typedArrayFromHeap({ shape: [...t.shape], dtype: 'float32', dataId: t.dataId })
  const [x, m0, v0, g] = [value, m, v, gradient].map(view)
  const [xOut, mOut, vOut] = outs.map(view)
  const b1 = f(a.beta1)
  const b2 = f(a.beta2)
  const oneMinusB1 = f(1 - a.beta1)
  const oneMinusB2 = f(1 - a.beta2)
  const c1 = f(a.oneMinusAccBeta1)
  const c2 = f(a.oneMinusAccBeta2)
  const eps = f(a.epsilon)
  const negLr = f(-a.learningRate)
  for (let i = 0; i < x.length; i++) {
    const gi = g[i]
    const mi = f(f(m0[i] * b1) + f(gi * oneMinusB1))
    const vi = f(f(v0[i] * b2) + f(f(gi * gi) * oneMinusB2))
    mOut[i] = mi
    vOut[i] = vi
    const step = f(f(mi / c1) / f(f(Math.sqrt(f(vi / c2))) + eps))
    xOut[i] = f(f(step * negLr) + x[i])
  }
  return outs
}

export const adamUpdateConfig: KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: adamUpdate as unknown as KernelFunc
}

/** AdamOptimizer's state, which tfjs keeps in protected fields (the fused update and checkpoints read it). */
export interface AdamState {
  beta1: number
  beta2: number
  epsilon: number
  learningRate: number
  iterations_: number
  accBeta1: tf.Variable
  accBeta2: tf.Variable
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[]
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[]
  incrementIterations(): void
}

/** The protected state of an AdamOptimizer. */
export const adamState = (optimizer: tf.AdamOptimizer): AdamState => optimizer as unknown as AdamState

/**
 * What `optimizer.applyGradients(vars → grads)` does, with each variable's update in one {@link ADAM_UPDATE}
 * kernel. Uses and updates the optimizer's own state (moments, β powers, iterations, current learningRate),
 * so the optimizer stays usable and serialisable as usual. Needs the 'wasm' backend.
 */
export function applyAdamUpdate(optimizer: tf.AdamOptimizer, vars: tf.Variable[], grads: NamedTensorMap): void {
  const s = adamState(optimizer)
  const oneMinusAccBeta1 = 1 - s.accBeta1.dataSync()[0]
  const oneMinusAccBeta2 = 1 - s.accBeta2.dataSync()[0]
  const attrs: AdamUpdateAttrs = {
    beta1: s.beta1,
    beta2: s.beta2,
    epsilon: s.epsilon,
    learningRate: s.learningRate,
    oneMinusAccBeta1,
    oneMinusAccBeta2
  }
  tf.tidy(() => {
    vars.forEach((value, i) => {
      const moment = (list: AdamState['accumulatedFirstMoment'], suffix: string): tf.Variable => {
        list[i] ??= { originalName: `${value.name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) }
        return list[i].variable
      }
      const m = moment(s.accumulatedFirstMoment, 'm')
      const v = moment(s.accumulatedSecondMoment, 'v')
      const gradient = grads[value.name]
      if (gradient == null) return
      const [x1, m1, v1] = tf.engine().runKernel(ADAM_UPDATE, { value, m, v, gradient }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[]
      m.assign(m1)
      v.assign(v1)
      value.assign(x1)
    })
    s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1))
    s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2))
  })
  s.incrementIterations()
}
