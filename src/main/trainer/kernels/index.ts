/** Registers the project's training kernels on the WASM backend (idempotent). */
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs'
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter'
import { conv2dBackpropInputConfig } from './conv2d-backprop-input'

let registered: KernelConfig[] | null = null

/** Every kernel this project adds to or replaces on the 'wasm' backend; the stock ones are kept as fallbacks. */
function trainingKernels(): KernelConfig[] {
  const stock = (name: string): KernelConfig | undefined => getKernel(name, 'wasm')
  return [conv2dBackpropFilterConfig, conv2dBackpropInputConfig(stock('Conv2DBackpropInput'))]
}

/** Registers (once per process) the kernels that make the WASM backend train fast. */
export function registerWasmTrainingKernels(): void {
  if (registered) return
  registered = trainingKernels()
  for (const config of registered) {
    if (getKernel(config.kernelName, 'wasm')) unregisterKernel(config.kernelName, 'wasm')
    registerKernel(config)
  }
}

/** Names of the kernels registered by {@link registerWasmTrainingKernels}. */
export function wasmTrainingKernelNames(): string[] {
  return (registered ?? []).map((k) => k.kernelName)
}
