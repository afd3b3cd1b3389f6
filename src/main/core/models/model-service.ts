/** Everything done with a run's trained model: export to ONNX or TF.js, predictions and saliency maps. */
import { runArchitecture } from '@shared/run-architecture'
import { exportFileName } from '@shared/file-names'
import { errorMessage } from '@shared/error-text'
import type { ModelFormat } from '@shared/api'
import type * as tf from '@tensorflow/tfjs'
import type { RunDetail } from '@shared/run'
import { CoreError } from '@main/core/errors'
import { createInferenceService, describeArtifacts, type InferenceService } from './inference-service'
import { ARTIFACTS_DATASET_KEY } from './model-dataset'
import type { ModelSource } from './model-source'
import { preprocessingJson, preprocessingJsonBytes, type PreprocessingJson } from './preprocessing-json'

/** One file of an export. */
export interface ExportFile {
  name: string
  bytes: Uint8Array
}

export interface ModelServiceOptions {
  source: ModelSource
  /** The run's record, for names and metadata; throws when the run does not exist. */
  getRun(runId: number): Promise<RunDetail>
  appVersion: string
}

export interface ModelService {
  /**
   * The export as the files of a folder: `<name>.onnx` + `<name>.preprocessing.json`, or `model.json`
   * + the weights file + `preprocessing.json`.
   */
  exportFiles(runId: number, format: ModelFormat): Promise<ExportFile[]>
  /**
   * The export as one file, for a save dialog or a download: the ONNX file (its preprocessing in the
   * `atelier_preprocessing` metadata entry), or a zip of the TF.js files with `preprocessing.json`.
   */
  exportSingleFile(runId: number, format: ModelFormat): Promise<ExportFile>
  inference: InferenceService
  close(): Promise<void>
}

/**
 * tf.js, protobuf and the two writers, loaded with the first export (~2 s) rather than by every command
 * that opens the core (`list` and `show` need none of them).
 */
async function exporters() {
  const [onnx, tfjs, load] = await Promise.all([import('./onnx-export'), import('./tfjs-export'), import('./load-model')])
  return { ...onnx, ...tfjs, ...load }
}
type Exporters = Awaited<ReturnType<typeof exporters>>

/** A run without a stored model is an expected state, reported as a conflict rather than a failure. */
function expectedMissing(source: ModelSource): ModelSource {
  return {
    async loadModelArtifacts(runId) {
      try {
        return await source.loadModelArtifacts(runId)
      } catch (error) {
        if (error instanceof CoreError) throw error
        throw new CoreError('conflict', errorMessage(error))
      }
    }
  }
}

export function createModelService(options: ModelServiceOptions): ModelService {
  const source = expectedMissing(options.source)
  const inference = createInferenceService({ source })

  const metadata = (run: RunDetail): Record<string, string> => ({
    atelier_run_id: String(run.id),
    atelier_run_name: run.name,
    preset: run.hparams.preset,
    // A preset's id, or the custom architecture's own name: what `arch` and the app call it.
    architecture: runArchitecture(run.hparams).name,
    atelier_version: options.appVersion
  })

  /** The preprocessing JSON of a stored model: shape and classes from the model, the rest from its recorded dataset. */
  const describeExport = (x: Exporters, artifacts: tf.io.ModelArtifacts, format: ModelFormat): PreprocessingJson => {
    const { dataset, shape, classCount } = describeArtifacts(artifacts)
    return preprocessingJson({
      dataset,
      shape,
      classCount,
      inputName: format === 'onnx' ? x.ONNX_INPUT : 'input (positional)',
      outputName: format === 'onnx' ? x.ONNX_OUTPUT : 'output (positional)'
    })
  }

  /** The TF.js files: model.json states class names and preprocessing in its userDefinedMetadata too. */
  function tfjsExport(x: Exporters, run: RunDetail, artifacts: tf.io.ModelArtifacts) {
    const json = describeExport(x, artifacts, 'tfjs')
    // The internal dataset record stays inside Atelier's files; the export states it in its own words.
    const rest = { ...(artifacts.userDefinedMetadata ?? {}) }
    delete rest[ARTIFACTS_DATASET_KEY]
    const files = x.tfjsFiles({
      artifacts: { ...artifacts, userDefinedMetadata: rest },
      metadata: { classNames: json.classNames, preprocessing: json, ...metadata(run) },
      preprocessing: preprocessingJsonBytes(json)
    })
    return files
  }

  async function exportFiles(runId: number, format: ModelFormat): Promise<ExportFile[]> {
    const run = await options.getRun(runId)
    const artifacts = await source.loadModelArtifacts(runId)
    const x = await exporters()
    if (format === 'tfjs') {
      const files = tfjsExport(x, run, artifacts)
      return [
        { name: 'model.json', bytes: new TextEncoder().encode(files.modelJson) },
        { name: x.TFJS_WEIGHTS_FILE, bytes: files.weights },
        { name: x.TFJS_PREPROCESSING_FILE, bytes: files.preprocessing! }
      ]
    }
    const json = describeExport(x, artifacts, 'onnx')
    const model = await x.modelFromArtifacts(artifacts, runId)
    const name = exportFileName([run.name], 'onnx')
    try {
      return [
        {
          name,
          bytes: x.modelToOnnx({
            model,
            classNames: json.classNames,
            metadata: { ...metadata(run), atelier_preprocessing: JSON.stringify(json) },
            producerVersion: options.appVersion,
            datasetTitle: json.dataset.title
          })
        },
        { name: name.replace(/\.onnx$/, '.preprocessing.json'), bytes: preprocessingJsonBytes(json) }
      ]
    } finally {
      model.dispose()
    }
  }

  return {
    exportFiles,
    async exportSingleFile(runId, format) {
      if (format === 'onnx') return (await exportFiles(runId, 'onnx'))[0]
      const run = await options.getRun(runId)
      const artifacts = await source.loadModelArtifacts(runId)
      const x = await exporters()
      const files = tfjsExport(x, run, artifacts)
      return { name: exportFileName([run.name, 'tfjs'], 'zip'), bytes: x.tfjsZip(files) }
    },
    inference,
    close: () => inference.close()
  }
}
