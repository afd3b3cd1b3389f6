/** Wraps a stock WASM kernel so a faster path can run first and the stock one stays as the fallback. */
import { getKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs'

/** Arguments every kernel function receives. */
export type KernelArgs = Parameters<KernelFunc>[0]

/**
 * A replacement config for `kernelName` on 'wasm' whose function is `fast(args, stock)`. The stock kernel's
 * setup (which binds its WASM export) is kept, so calling `stock` from the fast path works.
 */
export function overStock(kernelName: string, fast: (args: KernelArgs, stock: KernelFunc) => ReturnType<KernelFunc>): KernelConfig {
  const stockConfig = getKernel(kernelName, 'wasm')
  if (!stockConfig) throw new Error(`the wasm backend has no stock '${kernelName}' kernel to build on`)
  const stock = stockConfig.kernelFunc
  return {
    kernelName,
    backendName: 'wasm',
    setupFunc: stockConfig.setupFunc,
    disposeFunc: stockConfig.disposeFunc,
    kernelFunc: ((args: KernelArgs) => fast(args, stock)) as KernelFunc
  }
}
