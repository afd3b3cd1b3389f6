/** The API channels served by the model service: predictions and saliency maps (export is one of the core's exports). */
import type { TestSet } from '@shared/api'
import { imageBytes, type ImageShape } from '@shared/dataset'
import type { ApiHandlers } from '@main/core/api/api-router'
import { conflict, CoreError } from '@main/core/errors'
import type { ModelService } from '../models/model-service'

export interface ModelHandlerDeps {
  models: ModelService
  /** The test set of a dataset by name (the default dataset when none is given). */
  dataset: { testSet(name?: string): Promise<TestSet> }
}

type InferenceChannels = 'models.predict' | 'models.saliency'

/** SmoothGrad copies when the renderer asks for a smooth map. */
const SMOOTH_SAMPLES = 24

const shapeText = (s: ImageShape): string => `${s.height}×${s.width}${s.channels === 3 ? ' RGB' : ' grayscale'}`

/** Refuses pixels that are not whole images of the model's input, saying what it takes. */
function checkPixels(runId: number, pixels: Uint8Array, shape: ImageShape, single: boolean): void {
  const size = imageBytes(shape)
  const ok = single ? pixels.length === size : pixels.length > 0 && pixels.length % size === 0
  if (!ok) {
    throw new CoreError(
      'invalid_request',
      `The model of run ${runId} takes ${shapeText(shape)} images (${size} bytes each${single ? '' : ', one or more'}), not ${pixels.length} bytes. ` +
        'Nothing was predicted; prepare the picture with its dataset’s preprocessing (RunDetail.dataset.preprocessing) first.'
    )
  }
}

export function createModelHandlers({ models, dataset }: ModelHandlerDeps): Pick<ApiHandlers, InferenceChannels> {
  return {
    'models.predict': async ({ id, pixels }) => {
      checkPixels(id, pixels, (await models.inference.describe(id)).shape, false)
      return models.inference.predict(id, pixels)
    },
    'models.saliency': async ({ id, pixels, testIndex, classIndex, smooth }) => {
      const model = await models.inference.describe(id)
      if (classIndex >= model.classCount) {
        throw conflict(`The model of run ${id} has ${model.classCount} classes; there is no class ${classIndex}.`)
      }
      let image = pixels
      if (testIndex !== undefined) {
        const test = await dataset.testSet(model.dataset.name)
        if (imageBytes(test.shape) !== imageBytes(model.shape)) {
          throw conflict(
            `The test images of ${model.dataset.name} are ${shapeText(test.shape)}, but the model of run ${id} takes ${shapeText(model.shape)}; nothing was computed.`
          )
        }
        if (testIndex >= test.count) throw conflict(`Test image ${testIndex} does not exist; the test set has ${test.count} images.`)
        const size = imageBytes(test.shape)
        image = test.images.slice(testIndex * size, (testIndex + 1) * size)
      }
      checkPixels(id, image!, model.shape, true)
      return models.inference.saliency(id, { pixels: image!, classIndex, smoothSamples: smooth ? SMOOTH_SAMPLES : 0 })
    }
  }
}
