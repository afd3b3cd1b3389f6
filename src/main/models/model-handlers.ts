/** The API channels served by the model service: model export, predictions and saliency maps. */
import type { Dialogs } from '@main/core'
import type { ApiHandlers } from '@main/api-router'
import type { DatasetService } from '@main/dataset-service'
import { conflict } from '@main/errors'
import { writeFileAtomic } from '@main/export/write-file'
import type { ModelService } from './model-service'

export interface ModelHandlerDeps {
  models: ModelService
  dataset: DatasetService
  dialogs: Dialogs
}

type ModelChannels = 'export.model' | 'models.predict' | 'models.saliency'

/** SmoothGrad copies when the renderer asks for a smooth map. */
const SMOOTH_SAMPLES = 24

export function createModelHandlers({ models, dataset, dialogs }: ModelHandlerDeps): Pick<ApiHandlers, ModelChannels> {
  return {
    'export.model': async ({ id, format }) => {
      // Build the file first: a run without a model fails before any dialog opens.
      const file = await models.exportSingleFile(id, format)
      const filter = format === 'onnx' ? { name: 'ONNX model', extensions: ['onnx'] } : { name: 'TF.js model (zip)', extensions: ['zip'] }
      const path = await dialogs.saveFile({ title: 'Export model', suggestedName: file.name, filters: [filter] })
      if (!path) return { path: null }
      writeFileAtomic(path, file.bytes)
      return { path }
    },
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
