/** `export --model DIR --format tfjs|onnx` and `predict <id> IMAGE...`: a run's trained model from the command line. */
import { join, resolve } from 'node:path'
import type { ModelFormat } from '@shared/api'
import type { Core } from '@main/core/core'
import { CoreError } from '@main/core/errors'
import { writeExportFolder } from '@main/core/models/write-export-folder'
import { decodeImageFile, ImageInputError } from '@main/core/models/decode-image'
import { BLANK_IMAGE_NOTE, isBlankInput } from '@shared/model-input'
import { numberFlag, runIdArg, UsageError, type Flags } from './args'
import { cliPaths, openCore } from './context'
import { shapeText } from './with-dataset-core'
import { pct } from './format'

export interface ExportModelFilesOptions {
  core: Core
  runId: number
  /** Folder the files go to; created when missing. */
  dir: string
  format: ModelFormat
}

/** A model the store refuses (missing, damaged, another run's) is bad input for the CLI: one line, exit 2. */
async function refusedAsUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof CoreError) throw new UsageError(error.message)
    throw error
  }
}

/** Writes the export's files into `dir`, all or nothing, and prints where. */
export async function exportModelFiles({ core, runId, dir, format }: ExportModelFilesOptions): Promise<void> {
  const files = await refusedAsUsage(() => core.modelService.exportFiles(runId, format))
  // model.json last: it names the weights, which must be in place first.
  const ordered = [...files.filter((f) => f.name !== 'model.json'), ...files.filter((f) => f.name === 'model.json')]
  writeExportFolder(dir, ordered)
  for (const file of files) {
    process.stdout.write(`wrote ${join(resolve(dir), file.name)} (${(file.bytes.length / 1024).toFixed(0)} KB)\n`)
  }
  if (format === 'tfjs') {
    process.stdout.write(
      `load it with tf.loadLayersModel('<url of the folder>/model.json'); preprocessing.json says how to prepare a picture\n`
    )
  } else {
    const { shape, classCount } = await core.modelService.inference.describe(runId)
    process.stdout.write(
      `input "image": float32 [N,${shape.height},${shape.width},${shape.channels}] (NHWC); output "probabilities" [N,${classCount}]; ` +
        'the .preprocessing.json beside it says how to prepare a picture\n'
    )
  }
}

/** One image's outcome. */
export interface FilePrediction {
  file: string
  top?: { class: string; index: number; probability: number }[]
  /** True when the image is one flat colour: the model still answers, but the answer means nothing. */
  blank?: boolean
  error?: string
}

export interface PredictFilesOptions {
  core: Core
  runId: number
  files: string[]
  /** How many classes to keep per file, most probable first. */
  top: number
  /** The dataset the person expects the run to have trained on; another one is refused before any file is read. */
  dataset?: string
}

/** Class names of the run's dataset; those the model file records when the run's do not match its outputs. */
async function predictClassNames(core: Core, runId: number): Promise<string[]> {
  const run = await core.runs.get(runId)
  const model = await core.modelService.inference.describe(runId)
  return run.dataset.classNames.length === model.classCount ? run.dataset.classNames : model.dataset.classNames
}

/** The top classes of each image file; a file that is not a usable image gets an error instead. */
export async function predictFiles({ core, runId, files, top, dataset }: PredictFilesOptions): Promise<FilePrediction[]> {
  const trainedOn = (await core.runs.get(runId)).dataset
  if (dataset !== undefined && dataset !== trainedOn.name) {
    throw new UsageError(
      `run ${runId} was trained on ${trainedOn.name}, not ${dataset}: its model knows ${trainedOn.classNames.length} classes of ${shapeText(trainedOn)} images; ` +
        `pick a run trained on ${dataset} (see "list") or leave out --dataset`
    )
  }
  const classNames = await predictClassNames(core, runId)
  // The model file says how its training images were prepared; every picture is prepared the same way.
  const { preprocessing } = (await core.modelService.inference.describe(runId)).dataset
  const results: FilePrediction[] = []
  for (const file of files) {
    let pixels: Uint8Array
    try {
      pixels = await decodeImageFile(file, preprocessing)
    } catch (error) {
      if (!(error instanceof ImageInputError)) throw error
      results.push({ file, error: error.message })
      continue
    }
    const probabilities = await core.modelService.inference.predict(runId, pixels)
    const ranked = Array.from(probabilities, (probability, index) => ({ class: classNames[index] ?? String(index), index, probability }))
      .sort((a, b) => b.probability - a.probability)
      .slice(0, Math.min(top, probabilities.length))
    results.push(isBlankInput(pixels) ? { file, top: ranked, blank: true } : { file, top: ranked })
  }
  return results
}

/** Predicts each image with the run's model; prints the top classes per file. Bad files get one line each on stderr and exit code 2. */
export async function predictCommand(id: string | undefined, files: string[], flags: Flags): Promise<number> {
  const runId = runIdArg(id, 'predict')
  if (files.length === 0) throw new UsageError('predict needs at least one image file, e.g. "predict 3 shoe.png"')
  const top = numberFlag('top', flags.top, true) ?? 3
  if (top < 1) throw new UsageError(`--top must be 1 or more (up to the number of classes), got ${top}`)
  const core = await openCore(cliPaths(flags))
  let results: FilePrediction[]
  try {
    results = await refusedAsUsage(() =>
      predictFiles({ core, runId, files, top, ...(flags.dataset === undefined ? {} : { dataset: flags.dataset }) })
    )
  } finally {
    await core.shutdown({ cancelRunning: false })
  }
  if (flags.json) {
    process.stdout.write(JSON.stringify({ runId, predictions: results }, null, 2) + '\n')
  } else {
    for (const r of results) {
      if (r.error) {
        process.stderr.write(`${r.file}: ${r.error}\n`)
        continue
      }
      process.stdout.write(`${r.file}\n`)
      if (r.blank) process.stdout.write(`  note: ${BLANK_IMAGE_NOTE}\n`)
      for (const t of r.top!) process.stdout.write(`  ${pct(t.probability).padStart(7)}  ${t.class}\n`)
    }
  }
  // Bad input, as for every command: the good files' results are printed all the same.
  return results.some((r) => r.error) ? 2 : 0
}
