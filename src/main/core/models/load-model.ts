/** Turns stored ModelArtifacts back into a tf.js model. */
import * as tf from '@tensorflow/tfjs'

/** The model described by `artifacts`; throws a message naming the run when they are damaged. */
export async function modelFromArtifacts(artifacts: tf.io.ModelArtifacts, runId?: number): Promise<tf.LayersModel> {
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts))
  } catch (cause) {
    const what = runId === undefined ? 'The stored model' : `The stored model of run ${runId}`
    throw new Error(
      `${what} cannot be loaded (${(cause as Error).message}); it may be truncated or damaged. The run and its results are unchanged; train the run again to get a usable model.`,
      { cause }
    )
  }
}

/** Saves a model's current weights as ModelArtifacts in memory (what the model store keeps). */
export async function modelToArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    })
  )
  if (!saved) throw new Error('tf.js saved no model artifacts')
  return saved
}
