/** Messages between the main side and the inference worker; all plain, structured-cloneable data. */
import type * as tf from '@tensorflow/tfjs'

export type InferenceRequest =
  /** Keep this run's model loaded (the main side decides which runs stay cached). */
  | { type: 'load'; runId: number; artifacts: tf.io.ModelArtifacts }
  | { type: 'unload'; runId: number }
  /**
   * Probabilities for `pixels.length / (h×w×c)` images of the model's input shape (bytes 0–255, HWC,
   * prepared as its dataset's preprocessing says); `scale` turns bytes into inputs (1/255).
   */
  | { type: 'predict'; requestId: number; runId: number; pixels: Uint8Array; scale: number }
  | { type: 'saliency'; requestId: number; runId: number; pixels: Uint8Array; scale: number; classIndex: number; smoothSamples: number }

export type InferenceResponse =
  | { type: 'ready'; backend: string }
  | { type: 'result'; requestId: number; values: Float32Array }
  | { type: 'error'; requestId: number; message: string }
