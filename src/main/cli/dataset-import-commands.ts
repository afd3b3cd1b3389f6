/** `dataset download`, `dataset import` and `dataset add`: progress with ETA on stderr, Ctrl-C cancels and keeps nothing. */
import { DATASET_NAME_PATTERN, type BuiltinDataset, type DatasetInfo, type FolderImportOptions } from '@shared/dataset'
import type { Core } from '@main/core/core'
import { numberFlag, UsageError, type Flags } from './args'
import { asUsage, shapeText, withDatasetCore } from './with-dataset-core'
import { createDatasetProgressLine } from './dataset-progress'

/** Exit code after Ctrl-C (128 + SIGINT), as `train` uses. */
const CANCELLED = 130

interface JobOptions {
  core: Core
  name: string
  /** Verb for the messages: "download" or "import". */
  what: string
  work: () => Promise<DatasetInfo>
}

/** Runs a download or import with the progress line; Ctrl-C cancels it (nothing of it is kept). */
async function runJob({ core, name, what, work }: JobOptions): Promise<number> {
  const line = createDatasetProgressLine()
  const off = core.on('datasets.progress', (p) => p.dataset === name && line.update(p))
  let cancelled = false
  const onSigint = () => {
    cancelled = true
    line.message(`cancelling the ${what} of ${name} … (nothing of it will be kept)`)
    core.dataset.cancel(name)
  }
  process.on('SIGINT', onSigint)
  try {
    const info = await asUsage(work)
    line.end()
    process.stdout.write(
      `${name}: ${info.ready ? 'ready' : `not ready — ${info.problem}`} · ${shapeText(info)} · ${info.classNames.length} classes · ` +
        `${info.trainCount.toLocaleString('en-US')} train / ${info.testCount.toLocaleString('en-US')} test images · ${info.location}\n`
    )
    if (info.report && info.report.skipped.length > 0) {
      process.stdout.write(`skipped ${info.report.skipped.length} file(s); "dataset show ${name}" lists them\n`)
    }
    if (info.warning) process.stderr.write(`warning: ${info.warning}\n`)
    return 0
  } catch (error) {
    line.end()
    if (cancelled) {
      process.stderr.write(`atelier: the ${what} of ${name} was cancelled; nothing of it was kept\n`)
      return CANCELLED
    }
    throw error
  } finally {
    process.off('SIGINT', onSigint)
    off()
  }
}

export function downloadCommand(name: BuiltinDataset, flags: Flags): Promise<number> {
  return withDatasetCore(flags, (core) => runJob({ core, name, what: 'download', work: () => core.dataset.download(name) }))
}

export function importCommand(name: BuiltinDataset, flags: Flags): Promise<number> {
  const folder = flags.folder
  if (!folder) throw new UsageError(`dataset import ${name} needs --folder DIR, the folder holding its official files`)
  return withDatasetCore(flags, (core) => runJob({ core, name, what: 'import', work: () => core.dataset.importOfficial(name, folder) }))
}

/** The options of `dataset add`, checked here for the flags' own spelling; the core checks the ranges again. */
export function folderOptionsFromFlags(name: string, flags: Flags): FolderImportOptions {
  if (!DATASET_NAME_PATTERN.test(name)) {
    throw new UsageError(`"${name}" cannot name a dataset: use 1–40 lower-case letters, digits and dashes, starting with a letter or digit`)
  }
  if (!flags.folder) throw new UsageError(`dataset add ${name} needs --folder DIR, a folder with one subfolder of images per class`)
  const color = flags.color
  if (color !== undefined && color !== 'gray' && color !== 'rgb') throw new UsageError(`--color must be gray or rgb, got "${color}"`)
  const size = numberFlag('size', flags.size, true)
  if (size !== undefined && (size < 8 || size > 256)) throw new UsageError(`--size must be between 8 and 256 pixels, got ${size}`)
  const testSplit = numberFlag('test-split', flags['test-split'], false)
  if (testSplit !== undefined && !(testSplit > 0 && testSplit < 1)) {
    throw new UsageError(`--test-split must be a fraction between 0 and 1 (e.g. 0.2), got ${testSplit}`)
  }
  const seed = numberFlag('seed', flags.seed, true)
  if (seed !== undefined && (seed < 0 || seed > 2 ** 31 - 1)) throw new UsageError(`--seed must be between 0 and 2147483647, got ${seed}`)
  const options: FolderImportOptions = { name, folder: flags.folder }
  if (size !== undefined) options.size = size
  if (color !== undefined) options.color = color
  if (testSplit !== undefined) options.testSplit = testSplit
  if (seed !== undefined) options.seed = seed
  return options
}

export function addCommand(name: string, flags: Flags): Promise<number> {
  const options = folderOptionsFromFlags(name, flags)
  return withDatasetCore(flags, (core) => runJob({ core, name, what: 'import', work: () => core.dataset.addFolder(options) }))
}
