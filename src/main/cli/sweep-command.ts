/**
 * `sweep`: a grid or random search over learning rate, batch size, epochs, validation split, optimizer,
 * schedule, augmentation, architecture and seeds.
 */
import { PRESET_IDS, type PresetId } from '@shared/presets'
import { defaultHparams } from '@shared/hparams'
import { sweepModels, sweepRunCount, sweepsModels, sweepSpecSchema, type SweepSpec } from '@shared/sweep'
import { sweepConfigOf, type SweepConfig } from '@shared/sweep-config'
import { describeAugment } from '@shared/augment'
import { loadDataset } from '@main/core/dataset'
import { configLabel, sweepConfigs, sweepHparams } from '@main/core/runs/sweep-plan'
import { augmentFromFlag } from './recipe-flags'
import { architectureOfArchFlag } from './saved-arch-commands'
import type { Architecture } from '@shared/architecture/architecture-schema'
import { numberFlag, numberListFlag, UsageError, type Flags } from './args'
import { cliPaths, openCore } from './context'
import { pct, table } from './format'
import { spreadText, trainQueued } from './train-many'
import { DEFAULT_DATASET } from '@shared/dataset'
import { asUsage } from './with-dataset-core'
import { isPostgresUrl, shownStoreLocation } from '@main/core/default-paths'
import type { Core } from '@main/core/core'

const FLAG_OF_PATH: Record<string, string> = {
  preset: '--model',
  'learningRate.min': '--lr',
  'learningRate.max': '--lr',
  'learningRate.count': '--lr-count',
  batchSizes: '--batch-size',
  epochs: '--epochs',
  validationSplits: '--val-split',
  'seeds.base': '--seed',
  'seeds.count': '--seeds',
  trials: '--random',
  drawSeed: '--draw-seed',
  trainSubset: '--subset',
  dataset: '--dataset',
  optimizers: '--optimizers',
  schedules: '--schedules',
  augments: '--augments',
  'augments.shift': '--augments shift',
  'augments.erase': '--augments erase',
  presets: '--models',
  architectures: '--archs'
}

/** `train`'s one-value recipe flags, which a sweep takes as lists under another name. */
const LIST_FLAG_OF: Record<string, string> = { optimizer: '--optimizers', schedule: '--schedules', augment: '--augments' }

/** `--optimizers adam,sgd`: the comma-separated items as given (the schema names an unknown one). */
const listFlag = (value: string | undefined): string[] | undefined => value?.split(',').map((item) => item.trim())

/**
 * `--augments 'none;shift=2,flip'`: settings separated by `;`, each written as `train --augment`
 * takes it (commas inside a setting join its parts).
 */
const augmentsFlag = (value: string | undefined) => value?.split(';').map((item) => augmentFromFlag(item.trim(), '--augments')!)

/**
 * Which models the sweep trains: `--model PRESET` (one preset, as before), `--models A,B` (presets)
 * and/or `--archs a.json,NAME@2` (architecture files or saved architectures, each checked as `train --arch`
 * checks one; `archs` holds them in the flag's order, read by {@link architecturesOfArchsFlag}).
 * The spec's `preset`, whose defaults start every run, is the first preset (dense's defaults, which
 * a custom run starts from, when only files are given).
 */
function modelsFromFlags(flags: Flags, archs: Architecture[] | undefined): Pick<SweepSpec, 'preset' | 'presets' | 'architectures'> {
  if (flags.arch !== undefined) {
    throw new UsageError("sweep takes architectures as --archs a.json,NAME (files or saved names, one or more); --arch is train's flag")
  }
  if (flags.model !== undefined && flags.models !== undefined) {
    throw new UsageError('give --model PRESET or --models A,B (the presets to sweep over), not both')
  }
  const architectures = archs
  const presets = listFlag(flags.models) ?? (flags.model !== undefined && architectures ? [flags.model] : undefined)
  const preset = presets?.[0] ?? flags.model ?? (architectures ? 'dense' : undefined)
  if (!preset) throw new UsageError(`--model is required: one of ${PRESET_IDS.join(', ')} (or --models A,B, or --archs a.json,NAME)`)
  if (!(PRESET_IDS as readonly string[]).includes(preset))
    throw new UsageError(`unknown model "${preset}": choose one of ${PRESET_IDS.join(', ')}`)
  return {
    preset: preset as PresetId,
    ...(presets && { presets: presets as PresetId[] }),
    ...(architectures && { architectures })
  }
}

/** `--archs a.json,NAME[@VERSION],…`: each a file, else a saved architecture (as `train --arch` reads one); undefined without the flag. */
export async function architecturesOfArchsFlag(flags: Flags): Promise<Architecture[] | undefined> {
  const items = listFlag(flags.archs)
  if (items === undefined) return undefined
  const architectures: Architecture[] = []
  for (const item of items) architectures.push(await architectureOfArchFlag(item, flags, '--archs'))
  return architectures
}

/**
 * A sweep spec from flags, validated by the shared schema; errors name the flag. `archs` are the
 * architectures `--archs` names, read by {@link architecturesOfArchsFlag}.
 */
export function sweepSpecFromFlags(flags: Flags, archs?: Architecture[]): SweepSpec {
  for (const [one, list] of Object.entries(LIST_FLAG_OF)) {
    if (flags[one as keyof Flags] !== undefined) throw new UsageError(`sweep takes ${list} (a list to sweep over), not --${one}`)
  }
  if (flags.recipe !== undefined) {
    throw new UsageError(
      `sweep does not take --recipe: a proven recipe is one run ("train --recipe ${flags.recipe}"); sweep over --optimizers, --schedules and --augments`
    )
  }
  if (flags.archs !== undefined && archs === undefined)
    throw new Error('sweepSpecFromFlags: read --archs with architecturesOfArchsFlag first')
  const models = modelsFromFlags(flags, archs)
  const defaults = defaultHparams(models.preset)
  const trials = numberFlag('random', flags.random, true)
  const lr = (flags.lr ?? String(defaults.learningRate)).split(':')
  if (lr.length > 2) throw new UsageError(`--lr takes one rate or a range MIN:MAX, got "${flags.lr}"`)
  const [min, max] = [numberFlag('lr', lr[0], false)!, numberFlag('lr', lr[1] ?? lr[0], false)!]
  const count = numberFlag('lr-count', flags['lr-count'], true) ?? (min === max ? 1 : 3)
  const raw = {
    ...models,
    mode: trials === undefined ? 'grid' : 'random',
    learningRate: { min, max, count: min === max ? 1 : count },
    batchSizes: numberListFlag('batch-size', flags['batch-size'], true) ?? [defaults.batchSize],
    epochs: numberListFlag('epochs', flags.epochs, true) ?? [defaults.epochs],
    validationSplits: numberListFlag('val-split', flags['val-split'], false) ?? [defaults.validationSplit],
    seeds: { base: numberFlag('seed', flags.seed, true) ?? defaults.seed, count: numberFlag('seeds', flags.seeds, true) ?? 1 },
    ...(trials === undefined ? {} : { trials, drawSeed: numberFlag('draw-seed', flags['draw-seed'], true) }),
    trainSubset: numberFlag('subset', flags.subset, true) ?? null,
    ...(flags.dataset === undefined ? {} : { dataset: flags.dataset }),
    ...(flags.optimizers !== undefined && { optimizers: listFlag(flags.optimizers) }),
    ...(flags.schedules !== undefined && { schedules: listFlag(flags.schedules) }),
    ...(flags.augments !== undefined && { augments: augmentsFlag(flags.augments) })
  }
  const parsed = sweepSpecSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const path = issue.path.filter((p) => typeof p === 'string').join('.')
    throw new UsageError(`${FLAG_OF_PATH[path] ?? FLAG_OF_PATH[path.split('.')[0]!] ?? 'sweep'}: ${issue.message}`)
  }
  return parsed.data
}

/** The model (when the sweep varies it) and the label of a configuration: `cnn-bn · lr 0.001 · batch 64 · …`. */
const describeConfig = (config: SweepConfig, spec: SweepSpec): string =>
  (sweepsModels(spec) ? `${config.model} · ` : '') + configLabel(config, spec)

/** The columns of the result table beyond the four every sweep has, for the dimensions this spec varies. */
function variedColumns(spec: SweepSpec): [string, (c: SweepConfig) => string][] {
  const columns: [string, (c: SweepConfig) => string][] = []
  if (spec.optimizers) columns.push(['optimizer', (c) => c.optimizer])
  if (spec.schedules) columns.push(['schedule', (c) => c.schedule])
  if (spec.augments) columns.push(['augment', (c) => describeAugment(c.augment)])
  if (sweepsModels(spec)) columns.push(['model', (c) => c.model])
  return columns
}

export async function sweepCommand(flags: Flags): Promise<number> {
  const spec = sweepSpecFromFlags(flags, await architecturesOfArchsFlag(flags))
  const configs = sweepConfigs(spec)
  const labels = configs.map((c) => describeConfig(sweepConfigOf(sweepHparams(spec, c, spec.seeds.base)), spec))
  const runs = sweepRunCount(spec)
  const plan =
    `${spec.mode} sweep of ${
      sweepsModels(spec)
        ? sweepModels(spec)
            .map((m) => m.architecture?.name ?? m.preset)
            .join(', ')
        : spec.preset
    } on ${spec.dataset ?? DEFAULT_DATASET}: ${configs.length} configuration${configs.length === 1 ? '' : 's'} × ${spec.seeds.count} ` +
    `${spec.seeds.count === 1 ? `seed (${spec.seeds.base})` : `seeds (${spec.seeds.base}…${spec.seeds.base + spec.seeds.count - 1})`} = ${runs} runs\n` +
    labels.map((label, i) => `  ${String(i + 1).padStart(3)}. ${label}`).join('\n') +
    '\n'
  if (flags['dry-run']) {
    process.stdout.write(flags.json ? JSON.stringify({ spec, runs, configs }) + '\n' : plan)
    return 0
  }
  const paths = cliPaths(flags)
  if (flags.queue && !isPostgresUrl(paths.dbPath)) {
    throw new UsageError(
      `--queue puts the sweep's runs in a team store's queue for workers: give --db postgres://USER@HOST/DATABASE (or ATELIER_DB). ${shownStoreLocation(paths.dbPath)} is a SQLite file; sweep here without --queue.`
    )
  }
  if ((spec.dataset ?? DEFAULT_DATASET) === DEFAULT_DATASET) await loadDataset(paths.dataDir)
  const core = await openCore(paths)
  if (flags.queue) return queueSweep(core, spec, flags, plan, shownStoreLocation(paths.dbPath))
  try {
    const sweep = await asUsage(() => core.groups.startSweep(spec, flags.name))
    const ids = (await core.groups.getSweep(sweep.id)).runs.map((r) => r.runId)
    const quiet = flags.json === true
    if (!quiet) process.stderr.write(`sweep ${sweep.id} "${sweep.name}" → ${shownStoreLocation(paths.dbPath)}\n${plan}`)
    await trainQueued({ core, ids, quiet })
    const done = await core.groups.getSweep(sweep.id)
    if (quiet) {
      process.stdout.write(JSON.stringify(done) + '\n')
    } else {
      const varied = variedColumns(spec)
      const rows = done.runs.map((r) => [
        r.runId,
        r.learningRate,
        r.batchSize,
        r.epochs,
        r.validationSplit,
        ...varied.map(([, value]) => value(r)),
        r.seed,
        r.status,
        pct(r.testAccuracy)
      ])
      const header = ['id', 'lr', 'batch', 'epochs', 'val split', ...varied.map(([name]) => name), 'seed', 'status', 'test acc']
      process.stdout.write(`sweep ${done.id} "${done.name}"\n` + table(header, rows) + '\n')
      const best = done.best
      process.stdout.write(
        best
          ? `best configuration: ${describeConfig(best, spec)} — test accuracy ${spreadText(best.testAccuracy)}, best run ${best.runId}\n`
          : 'no run finished, so there is no best configuration\n'
      )
    }
    if (done.completedCount === done.runCount) return 0
    return done.runs.some((r) => r.status === 'cancelled') ? 130 : 1
  } finally {
    await core.shutdown({ cancelRunning: true })
  }
}

/** `sweep --queue`: records the sweep and queues its runs for the team store's workers; prints the sweep id and returns. */
async function queueSweep(core: Core, spec: SweepSpec, flags: Flags, plan: string, shown: string): Promise<number> {
  try {
    const sweep = await asUsage(() => core.groups.startSweep(spec, flags.name, 'workers'))
    if (flags.json) process.stdout.write(JSON.stringify(sweep) + '\n')
    else process.stdout.write(`sweep ${sweep.id} "${sweep.name}" queued → ${shown}; workers train its runs ("worker --db …")\n${plan}`)
    return 0
  } finally {
    await core.shutdown({ cancelRunning: false })
  }
}
