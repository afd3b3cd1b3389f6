/** Registers the project's training kernels on the WASM backend (idempotent). */
import { getKernel, registerKernel, type KernelConfig } from '@tensorflow/tfjs'
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter'

/** Every kernel this project adds to or replaces on the 'wasm' backend. */
export const WASM_TRAINING_KERNELS: KernelConfig[] = [conv2dBackpropFilterConfig]

export function registerWasmTrainingKernels(): void {
  for (const config of WASM_TRAINING_KERNELS) {
    if (getKernel(config.kernelName, 'wasm')?.kernelFunc === config.kernelFunc) continue
    registerKernel(config)
  }
}
