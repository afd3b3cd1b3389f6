/** Registers the project's training kernels on the WASM backend, and the gradients that keep training fast. */
import { registerKernel, unregisterKernel, getKernel, type KernelConfig } from '@tensorflow/tfjs'
import { batchMatMulConfig } from './batch-mat-mul'
import { conv2dConfigs } from './conv2d'
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter'
import { conv2dBackpropInputConfig } from './conv2d-backprop-input'
import { depthwiseConv2dBackpropFilterConfig } from './depthwise-conv2d-backprop-filter'
import { depthwiseConv2dBackpropInputConfig } from './depthwise-conv2d-backprop-input'
import { registerBatchNormGradient } from './batch-norm-gradient'
import { meanConfig, sumConfig } from './leading-axes-reduce'
import { maxPoolGradConfig } from './max-pool-grad'
import { castConfig, identityConfig } from './identity'
import { fusedBatchNormConfig } from './fused-batch-norm'
import { adamUpdateConfig } from './adam-update'
import { registerReduceGradients } from './reduce-gradients'

let registered: KernelConfig[] | null = null

/** Every kernel this project adds to or replaces on the 'wasm' backend; stock ones stay as fallbacks. */
function trainingKernels(): KernelConfig[] {
  return [
    ...conv2dConfigs(),
    conv2dBackpropFilterConfig,
    conv2dBackpropInputConfig(getKernel('Conv2DBackpropInput', 'wasm')),
    depthwiseConv2dBackpropFilterConfig,
    depthwiseConv2dBackpropInputConfig,
    batchMatMulConfig(),
    sumConfig(),
    meanConfig(),
    maxPoolGradConfig(),
    identityConfig(),
    castConfig(),
    fusedBatchNormConfig(),
    adamUpdateConfig
  ]
}

/** Registers (once per process) the kernels and gradients that make the WASM backend train fast. */
export function registerWasmTrainingKernels(): void {
  if (registered) return
  registered = trainingKernels()
  for (const config of registered) {
    if (getKernel(config.kernelName, 'wasm')) unregisterKernel(config.kernelName, 'wasm')
    registerKernel(config)
  }
  registerBatchNormGradient()
  registerReduceGradients()
}

/** Names of the kernels registered by {@link registerWasmTrainingKernels}. */
export function wasmTrainingKernelNames(): string[] {
  return (registered ?? []).map((k) => k.kernelName)
}
