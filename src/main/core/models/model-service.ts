/** Everything done with a run's trained model: export to ONNX or TF.js, predictions and saliency maps. */
import { exportFileName } from '@shared/file-names'
import { errorMessage } from '@shared/error-text'
import type { ModelFormat } from '@shared/api'
import { CLASS_NAMES } from '@shared/classes'
import type { RunDetail } from '@shared/run'
import { CoreError } from '@main/core/errors'
import { createInferenceService, type InferenceService } from './inference-service'
import { modelFromArtifacts } from './load-model'
import type { ModelSource } from './model-source'
import { modelToOnnx } from './onnx-export'
import { tfjsFiles, tfjsZip, TFJS_WEIGHTS_FILE } from './tfjs-export'

/** One file of an export. */
export interface ExportFile {
  name: string
  bytes: Uint8Array
}

export interface ModelServiceOptions {
  source: ModelSource
  /** The run's record, for names and metadata; throws when the run does not exist. */
  getRun(runId: number): RunDetail
  appVersion: string
}

export interface ModelService {
  /** The export as the files of a folder: `<name>.onnx`, or `model.json` + the weights file. */
  exportFiles(runId: number, format: ModelFormat): Promise<ExportFile[]>
  /** The export as one file (ONNX, or a zip of the TF.js files), for a save dialog or a download. */
  exportSingleFile(runId: number, format: ModelFormat): Promise<ExportFile>
  inference: InferenceService
  close(): Promise<void>
}

/** A run without a stored model is an expected state, reported as a conflict rather than a failure. */
function expectedMissing(source: ModelSource): ModelSource {
  return {
    loadModelArtifacts(runId) {
      try {
        return source.loadModelArtifacts(runId)
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
    atelier_version: options.appVersion
  })

  async function exportFiles(runId: number, format: ModelFormat): Promise<ExportFile[]> {
    const run = options.getRun(runId)
    const artifacts = source.loadModelArtifacts(runId)
    if (format === 'tfjs') {
      const files = tfjsFiles({ artifacts, metadata: { classNames: CLASS_NAMES, ...metadata(run) } })
      return [
        { name: 'model.json', bytes: new TextEncoder().encode(files.modelJson) },
        { name: TFJS_WEIGHTS_FILE, bytes: files.weights }
      ]
    }
    const model = await modelFromArtifacts(artifacts, runId)
    try {
      return [
        {
          name: exportFileName([run.name], 'onnx'),
          bytes: modelToOnnx({ model, classNames: CLASS_NAMES, metadata: metadata(run), producerVersion: options.appVersion })
        }
      ]
    } finally {
      model.dispose()
    }
  }

  return {
    exportFiles,
    async exportSingleFile(runId, format) {
      if (format === 'onnx') return (await exportFiles(runId, 'onnx'))[0]
      const run = options.getRun(runId)
      const files = tfjsFiles({ artifacts: source.loadModelArtifacts(runId), metadata: { classNames: CLASS_NAMES, ...metadata(run) } })
      return { name: exportFileName([run.name, 'tfjs'], 'zip'), bytes: tfjsZip(files) }
    },
    inference,
    close: () => inference.close()
  }
}
