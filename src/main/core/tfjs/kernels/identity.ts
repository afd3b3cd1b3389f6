/**
 * Identity (and same-dtype Cast) for the WASM backend without a copy. The engine clones every tensor a
 * gradient needs, and tfjs moments cast float32 to float32; the stock kernels copy the whole buffer each
 * time, while tensors are immutable, so sharing the data with a reference count (as the cpu backend does,
 * and as the WASM Reshape already does) gives the same results.
 */
import type { DataId, KernelConfig, TensorInfo } from '@tensorflow/tfjs'
import { overStock } from './stock-kernel'

/** The part of the WASM backend these kernels use. */
interface RefCounted {
  incRef(dataId: DataId): void
}

function share(x: TensorInfo, backend: unknown): TensorInfo {
  ;(backend as RefCounted).incRef(x.dataId)
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype }
}

export function identityConfig(): KernelConfig {
  return overStock('Identity', (args, stock) => {
    const x = args.inputs.x as TensorInfo
    return x.dtype === 'string' ? stock(args) : share(x, args.backend)
  })
}

export function castConfig(): KernelConfig {
  return overStock('Cast', (args, stock) => {
    const x = args.inputs.x as TensorInfo
    const { dtype } = args.attrs as { dtype: string }
    return x.dtype === dtype && dtype !== 'string' && dtype !== 'complex64' ? share(x, args.backend) : stock(args)
  })
}
