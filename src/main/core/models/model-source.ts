/** Where the export, predict and saliency code gets a run's trained model from. */
import type * as tf from '@tensorflow/tfjs'

/**
 * The stored model of a run as TF.js ModelArtifacts (topology, weight specs and weight bytes, as
 * `model.save(tf.io.withSaveHandler(...))` produces them). The model store implements this.
 */
export interface ModelSource {
  /** The run's trained model; throws an error that says so when the run has none. */
  loadModelArtifacts(runId: number): Promise<tf.io.ModelArtifacts>
}
