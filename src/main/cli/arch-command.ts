/**
 * `arch check FILE.json` and `arch list`: architectures checked, shaped and costed before any training;
 * `arch save`, `show` and `delete` (saved-arch-commands.ts) keep them in the run store by name.
 */
import { BUILTINS, DEFAULT_DATASET, datasetNameSchema, type ImageShape } from '@shared/dataset'
import { CUSTOM_PRESET, defaultHparams, MAX_BATCH_SIZE } from '@shared/hparams'
import { PRESET_IDS, PRESETS, presetArchitecture } from '@shared/presets'
import { readArchitectureFile } from './read-architecture-file'
import { inferArchitecture, type Inference } from '@shared/architecture/infer-architecture'
import { estimateEpochSeconds } from '@shared/architecture/estimate-epoch'
import { numberFlag, UsageError, type Flags } from './args'
import { MAX_TRAINING_BYTES, memoryMisfit, memoryText, trainingBytes } from '@shared/architecture/training-memory'
import { asUsage, withDatasetCore } from './with-dataset-core'
import { table } from './format'
import { deleteCommand, savedArchitectures, saveCommand, showCommand } from './saved-arch-commands'
import { backendFlag } from './follow-run'
import { trainsInWasmMemory } from '@main/core/core'

/** The dataset an architecture is checked against. */
interface Target {
  name: string
  shape: ImageShape
  classCount: number
  /** Images one epoch trains on: the training set less the default validation split. */
  trainImages: number
}

const trainShare = 1 - defaultHparams('dense').validationSplit

/** The default dataset without opening the store; `--dataset NAME` through the core, as `train` finds it. */
async function targetOf(flags: Flags): Promise<Target> {
  if (flags.dataset === undefined) {
    const d = BUILTINS[DEFAULT_DATASET]
    return { name: d.name, shape: d.shape, classCount: d.classNames.length, trainImages: Math.round(d.trainCount * trainShare) }
  }
  const name = datasetNameSchema.safeParse(flags.dataset)
  if (!name.success) throw new UsageError(`--dataset: ${name.error.issues[0].message}, got "${flags.dataset}"`)
  const d = await withDatasetCore(flags, (core) => asUsage(() => core.dataset.get(name.data)))
  return { name: d.name, shape: d.shape, classCount: d.classNames.length, trainImages: Math.round(d.trainCount * trainShare) }
}

const count = (n: number): string => n.toLocaleString('en-US')
/** `2.63 M`: multiply-adds are only ever read to two or three figures. */
const macsText = (n: number): string =>
  n >= 1e9 ? `${(n / 1e9).toFixed(2)} G` : n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : String(n)
/** `about 40 s`, `about 14 min`, `about 2.5 h`: an estimate this rough shows no seconds beside minutes. */
const roughTime = (seconds: number): string =>
  seconds < 90
    ? `about ${Math.max(1, Math.round(seconds))} s`
    : seconds < 90 * 60
      ? `about ${Math.round(seconds / 60)} min`
      : `about ${(seconds / 3600).toFixed(1)} h`
const targetText = (t: Target): string =>
  `${t.name} (${t.shape.height}×${t.shape.width}×${t.shape.channels}, ${t.classCount} classes, ${count(t.trainImages)} training images)`

/** `--batch-size N` within what a run takes (1–4096), else the runs' default. */
function batchSizeOf(flags: Flags): number {
  const n = numberFlag('batch-size', flags['batch-size'], true)
  if (n === undefined) return defaultHparams(CUSTOM_PRESET).batchSize
  if (n < 1 || n > MAX_BATCH_SIZE) throw new UsageError(`--batch-size must be between 1 and ${MAX_BATCH_SIZE}, got ${n}`)
  return n
}

async function checkCommand(file: string | undefined, flags: Flags): Promise<number> {
  if (file === undefined) throw new UsageError('arch check needs a file, e.g. "arch check examples/architectures/small-resnet.json"')
  const architecture = readArchitectureFile(file)
  const target = await targetOf(flags)
  const result = inferArchitecture(architecture, target)
  if (!result.ok) throw new UsageError(`${file}: ${result.error.message} (checked for ${targetText(target)})`)
  const epochSeconds = estimateEpochSeconds(result.totalMacs, target.trainImages)
  const batchSize = batchSizeOf(flags)
  const input = [target.shape.height, target.shape.width, target.shape.channels]
  // As a run is refused when it starts: only where it would train inside WebAssembly's memory.
  const bounded = trainsInWasmMemory(backendFlag(flags))
  const problem = bounded ? memoryMisfit(result, input, batchSize) : null
  if (problem) throw new UsageError(`${file}: ${problem} (checked for ${targetText(target)})`)
  const memory = { batchSize, bytes: trainingBytes(result, input, batchSize), limitBytes: bounded ? MAX_TRAINING_BYTES : null }
  if (flags.json) {
    const { rows, totalParams, totalMacs } = result
    process.stdout.write(
      JSON.stringify({ name: architecture.name, dataset: target, rows, totalParams, totalMacs, epochSeconds, trainingMemory: memory }) +
        '\n'
    )
    return 0
  }
  process.stdout.write(
    [
      `${architecture.name}: checked for ${targetText(target)}`,
      '',
      layerTableText(result),
      '',
      `total ${count(result.totalParams)} parameters, ${macsText(result.totalMacs)} multiply-adds per image`,
      `one epoch: ${roughTime(epochSeconds)} (a rough guide: the presets' speed on the WASM backend with 2 threads)`,
      `training memory: at least ${memoryText(memory.bytes)} in batches of ${batchSize} ` +
        (bounded
          ? `(a run on WebAssembly is refused above ${memoryText(MAX_TRAINING_BYTES)})`
          : `(no ${memoryText(MAX_TRAINING_BYTES)} limit: with this --backend the run does not train on WebAssembly)`)
    ].join('\n') + '\n'
  )
  return 0
}

function layerTableText({ rows }: Inference): string {
  return table(
    ['#', 'layer', 'output', 'params', 'MACs'],
    rows.map((r) => [
      r.path,
      '  '.repeat(r.path.split('.').length - 1) + r.name,
      r.outputShape.join('×'),
      count(r.params),
      macsText(r.macs)
    ]),
    { 0: 'left', 4: 'right' }
  )
}

async function listCommand(flags: Flags): Promise<number> {
  const target = await targetOf(flags)
  const presets = PRESET_IDS.map((id) => {
    const architecture = presetArchitecture(id)
    const result = inferArchitecture(architecture, target)
    return { id, title: PRESETS[id].title, architecture, result }
  })
  const saved = (await savedArchitectures(flags)).map((s) => ({ ...s, result: inferArchitecture(s.architecture, target) }))
  if (flags.json) {
    const costs = (result: ReturnType<typeof inferArchitecture>) =>
      result.ok ? { totalParams: result.totalParams, totalMacs: result.totalMacs } : { problem: result.error.message }
    const list = presets.map(({ id, title, architecture, result }) => ({ id, title, architecture, ...costs(result) }))
    const savedList = saved.map(({ name, version, versions, createdAt, architecture, result }) => ({
      name,
      version,
      versions,
      createdAt,
      architecture,
      ...costs(result)
    }))
    process.stdout.write(JSON.stringify({ dataset: target, presets: list, saved: savedList }) + '\n')
    return 0
  }
  const rows = presets.map(({ id, title, architecture, result }) => [
    id,
    title,
    architecture.layers.length,
    result.ok ? count(result.totalParams) : '—',
    result.ok ? macsText(result.totalMacs) : '—',
    result.ok ? roughTime(estimateEpochSeconds(result.totalMacs, target.trainImages)) : result.error.message
  ])
  const savedText = saved.length
    ? '\nsaved architectures (latest versions; "arch show NAME[@VERSION]", "train --arch NAME[@VERSION]")\n\n' +
      table(
        ['name', 'version', 'versions', 'params', 'MACs', 'saved'],
        saved.map(({ name, version, versions, createdAt, result }) => [
          name,
          `v${version}`,
          versions,
          result.ok ? count(result.totalParams) : '—',
          result.ok ? macsText(result.totalMacs) : result.error.message,
          createdAt.slice(0, 16).replace('T', ' ')
        ]),
        { 3: 'right', 4: 'right' }
      ) +
      '\n'
    : '\nno saved architectures ("arch save FILE.json" keeps one by name)\n'
  process.stdout.write(
    `presets as architectures, for ${targetText(target)}\n\n` +
      table(['name', 'title', 'layers', 'params', 'MACs', 'epoch (rough)'], rows, { 4: 'right', 5: 'right' }) +
      '\n' +
      savedText
  )
  return 0
}

const SUBCOMMANDS = 'check, list, save, show, delete'

export function archCommand(positionals: string[], flags: Flags): Promise<number> {
  const [sub, file] = positionals
  switch (sub) {
    case 'check':
      return checkCommand(file, flags)
    case 'list':
      return listCommand(flags)
    case 'save':
      return saveCommand(file, flags)
    case 'show':
      return showCommand(file, flags)
    case 'delete':
      return deleteCommand(file, flags)
    default:
      throw new UsageError(
        sub === undefined ? `arch needs a subcommand: ${SUBCOMMANDS}` : `unknown arch subcommand "${sub}" (${SUBCOMMANDS})`
      )
  }
}
