/** The API channels served by the model service: predictions and saliency maps (export is one of the core's exports). */
import type { ApiHandlers } from '@main/core/api/api-router'
import type { DatasetService } from '@main/core/dataset/dataset-service'
import { conflict } from '@main/core/errors'
import type { ModelService } from '../models/model-service'

export interface ModelHandlerDeps {
  models: ModelService
  dataset: DatasetService
}

type InferenceChannels = 'models.predict' | 'models.saliency'

/** SmoothGrad copies when the renderer asks for a smooth map. */
const SMOOTH_SAMPLES = 24

export function createModelHandlers({ models, dataset }: ModelHandlerDeps): Pick<ApiHandlers, InferenceChannels> {
  return {
    'models.predict': ({ id, pixels }) => models.inference.predict(id, pixels),
    'models.saliency': async ({ id, pixels, testIndex, classIndex, smooth }) => {
      let image = pixels
      if (testIndex !== undefined) {
        const test = await dataset.testSet()
        if (testIndex >= test.count) throw conflict(`Test image ${testIndex} does not exist; the test set has ${test.count} images.`)
        image = test.images.slice(testIndex * 784, (testIndex + 1) * 784)
      }
      return models.inference.saliency(id, { pixels: image!, classIndex, smoothSamples: smooth ? SMOOTH_SAMPLES : 0 })
    }
  }
}
