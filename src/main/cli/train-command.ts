/** `train`: validates everything first, then records and trains one run with a live display. */
import { completeHparams, CUSTOM_PRESET, type FieldError, type Hparams, type RunPreset } from '@shared/hparams'
import { PRESET_IDS, type PresetId } from '@shared/presets'
import { readArchitectureFile } from './read-architecture-file'
import { architectureOfArchFlag } from './saved-arch-commands'
import type { Architecture } from '@shared/architecture/architecture-schema'
import { loadDataset } from '@main/core/dataset'
import { numberFlag, UsageError, type Flags } from './args'
import { cliPaths, openCore, type CliPaths } from './context'
import type { Core } from '@main/core/core'
import { DEFAULT_DATASET } from '@shared/dataset'
import { asUsage } from './with-dataset-core'
import { backendFlag, followRun } from './follow-run'
import { MAX_REPEATS, MIN_REPEATS } from '@shared/group'
import { spreadOf } from '@shared/spread'
import { membersReport, trainQueued } from './train-many'
import { RECIPE_FLAGS, recipeFromFlags } from './recipe-flags'
import { isPostgresUrl, shownStoreLocation } from '@main/core/default-paths'
import { isProvenRecipeId, PROVEN_RECIPE_IDS, PROVEN_RECIPES, provenRecipeHparams } from '@shared/proven-recipes'

const FLAG_OF_PATH: Record<string, string> = {
  preset: '--model',
  architecture: '--arch',
  epochs: '--epochs',
  batchSize: '--batch-size',
  learningRate: '--lr',
  validationSplit: '--val-split',
  seed: '--seed',
  trainSubset: '--subset',
  dataset: '--dataset',
  'earlyStopping.patience': '--early-stop-patience',
  'reduceLrOnPlateau.patience': '--reduce-lr-patience',
  ...RECIPE_FLAGS
}

/**
 * Hyperparameters from flags, validated by the shared schema; errors name the flag. `saved` is the
 * architecture `--arch NAME[@VERSION]` named in the store, looked up by the caller (a file is read here).
 */
export function hparamsFromFlags(flags: Flags, saved?: Architecture): Hparams {
  const patience = numberFlag('early-stop-patience', flags['early-stop-patience'], true)
  const lrPatience = numberFlag('reduce-lr-patience', flags['reduce-lr-patience'], true)
  const named = provenRecipeFromFlag(flags.recipe)
  // A proven recipe brings its own model; --model or --arch beside it trains the recipe on another one.
  const partial: Partial<Hparams> & { preset: RunPreset } =
    named && flags.model === undefined && flags.arch === undefined ? named : { ...named, ...modelFromFlags(flags, saved) }
  const set = <K extends keyof Hparams>(key: K, value: Hparams[K] | undefined) => {
    if (value !== undefined) partial[key] = value
  }
  set('epochs', numberFlag('epochs', flags.epochs, true))
  set('batchSize', numberFlag('batch-size', flags['batch-size'], true))
  set('learningRate', numberFlag('lr', flags.lr, false))
  set('validationSplit', numberFlag('val-split', flags['val-split'], false))
  set('seed', numberFlag('seed', flags.seed, true))
  set('trainSubset', numberFlag('subset', flags.subset, true))
  set('dataset', flags.dataset)
  partial.recipe = { ...partial.recipe, ...recipeFromFlags(flags) } as Hparams['recipe']
  /** The first problem, under its flag; a value the proven recipe set (not a flag given here) says so. */
  const problem = ([e]: readonly FieldError[]): UsageError => {
    const flag = FLAG_OF_PATH[e.path]
    const fromRecipe = named !== undefined && (flag === undefined || (flags as Record<string, unknown>)[flag.slice(2)] === undefined)
    return new UsageError(
      `${flag ?? e.path}: ${e.message}${fromRecipe ? `; recipe ${flags.recipe} sets this, give ${flag ?? 'the flag'} to change it` : ''}`
    )
  }
  const result = completeHparams(partial)
  if (!result.ok) throw problem(result.errors)
  const h = result.value
  if (patience !== undefined) h.earlyStopping = { ...h.earlyStopping, enabled: true, patience }
  if (lrPatience !== undefined) h.reduceLrOnPlateau = { ...h.reduceLrOnPlateau, enabled: true, patience: lrPatience }
  if (flags['no-reduce-lr']) h.reduceLrOnPlateau = { ...h.reduceLrOnPlateau, enabled: false }
  const again = completeHparams(h)
  if (!again.ok) throw problem(again.errors)
  return again.value
}

/** `--name`, else a proven recipe's title, else none (the run is named after its model). */
const runName = (flags: Flags): string | undefined =>
  flags.name ?? (flags.recipe !== undefined && isProvenRecipeId(flags.recipe) ? PROVEN_RECIPES[flags.recipe].title : undefined)

/** `--recipe NAME`: a proven recipe's hyperparameters, which the other flags then change; undefined without the flag. */
function provenRecipeFromFlag(name: string | undefined): Hparams | undefined {
  if (name === undefined) return undefined
  if (!isProvenRecipeId(name)) {
    throw new UsageError(`unknown recipe "${name}": the proven recipes are ${PROVEN_RECIPE_IDS.join(', ')} (see "recipes")`)
  }
  return provenRecipeHparams(name)
}

/** `--model PRESET` or `--arch FILE.json|NAME[@VERSION]` (exactly one): the preset, or the checked architecture as a custom run. */
function modelFromFlags(flags: Flags, saved: Architecture | undefined): Pick<Hparams, 'preset' | 'architecture'> {
  const preset = flags.model
  if (preset !== undefined && flags.arch !== undefined) {
    throw new UsageError('give either --model PRESET or --arch FILE.json, not both: a run trains one architecture')
  }
  if (flags.arch !== undefined) return { preset: CUSTOM_PRESET, architecture: saved ?? readArchitectureFile(flags.arch) }
  if (!preset)
    throw new UsageError(
      `--model is required: one of ${PRESET_IDS.join(', ')} (or --arch FILE.json for an architecture file, or --recipe NAME for a proven recipe)`
    )
  if (!(PRESET_IDS as readonly string[]).includes(preset)) {
    throw new UsageError(`unknown model "${preset}": choose one of ${PRESET_IDS.join(', ')}, or give an architecture file with --arch`)
  }
  return { preset: preset as PresetId, architecture: null }
}

export async function trainCommand(flags: Flags): Promise<number> {
  const saved = flags.arch !== undefined && flags.model === undefined ? await architectureOfArchFlag(flags.arch, flags) : undefined
  const hparams = hparamsFromFlags(flags, saved)
  const backend = backendFlag(flags)
  const repeats = repeatsFromFlags(flags)
  const paths = cliPaths(flags)
  // Check the dataset before anything is written, so a bad folder leaves the database unchanged.
  if (hparams.dataset === DEFAULT_DATASET) await loadDataset(paths.dataDir)
  if (flags.queue) return queueRun(paths, hparams, flags, repeats)
  const core = await openCoreFor(paths, hparams, backend)
  if (repeats !== undefined) return trainRepeats({ core, hparams, repeats, flags, dbPath: paths.dbPath })
  try {
    const run = await asUsage(() => core.runs.start(hparams, runName(flags)))
    if (!flags.json) process.stderr.write(`run ${run.id} "${run.name}" → ${shownStoreLocation(paths.dbPath)}\n`)
    return await followRun(core, run.id, flags)
  } finally {
    await core.shutdown({ cancelRunning: true })
  }
}

/** `train --queue`: records the run as queued in the team store, for a worker on any machine; prints its id. */
async function queueRun(paths: CliPaths, hparams: Hparams, flags: Flags, repeats: number | undefined): Promise<number> {
  if (!isPostgresUrl(paths.dbPath)) {
    throw new UsageError(
      `--queue puts the run in a team store's queue for workers: give --db postgres://USER@HOST/DATABASE (or ATELIER_DB). ${shownStoreLocation(paths.dbPath)} is a SQLite file; train here without --queue.`
    )
  }
  const core = await openCore(paths)
  try {
    if (repeats !== undefined) {
      const group = await asUsage(() => core.groups.startRepeats(hparams, repeats, runName(flags), 'workers'))
      if (flags.json) process.stdout.write(JSON.stringify({ group: group.id, name: group.name, runs: group.memberIds }) + '\n')
      else
        process.stdout.write(
          `group ${group.id} "${group.name}": runs ${group.memberIds.join(', ')} queued → ${shownStoreLocation(paths.dbPath)}\n`
        )
      return 0
    }
    const run = await asUsage(() => core.runs.submit(hparams, runName(flags)))
    if (flags.json) process.stdout.write(JSON.stringify({ id: run.id, name: run.name, status: run.status }) + '\n')
    else
      process.stdout.write(
        `run ${run.id} "${run.name}" queued → ${shownStoreLocation(paths.dbPath)}; a worker trains it ("worker --db …")\n`
      )
    return 0
  } finally {
    await core.shutdown({ cancelRunning: false })
  }
}

/**
 * Opens the core and checks that the run's dataset can be used now (known, on disk, large enough for
 * the subset); a dataset that cannot is bad input: one line, exit 2, nothing recorded.
 */
export async function openCoreFor(paths: CliPaths, hparams: Hparams, backend?: ReturnType<typeof backendFlag>): Promise<Core> {
  const core = await openCore(paths, backend)
  try {
    await asUsage(() => core.runs.checkDataset(hparams))
  } catch (error) {
    await core.shutdown({ cancelRunning: true })
    throw error
  }
  return core
}

/** `--repeats N`: 2–20 seeds, or undefined when the flag is absent. */
export function repeatsFromFlags(flags: Flags): number | undefined {
  const repeats = numberFlag('repeats', flags.repeats, true)
  if (repeats !== undefined && (repeats < MIN_REPEATS || repeats > MAX_REPEATS)) {
    throw new UsageError(`--repeats must be between ${MIN_REPEATS} and ${MAX_REPEATS}, got ${repeats}`)
  }
  return repeats
}

interface TrainRepeatsOptions {
  core: Core
  hparams: Hparams
  repeats: number
  flags: Flags
  dbPath: string
}

/** Trains one group: the same hyperparameters with seeds base, base + 1, …, one after another. */
async function trainRepeats({ core, hparams, repeats, flags, dbPath }: TrainRepeatsOptions): Promise<number> {
  try {
    const group = await asUsage(() => core.groups.startRepeats(hparams, repeats, runName(flags)))
    const quiet = flags.json === true
    if (!quiet)
      process.stderr.write(
        `group ${group.id} "${group.name}": runs ${group.memberIds.join(', ')} with seeds ${group.seeds.join(', ')} → ${shownStoreLocation(dbPath)}\n`
      )
    const runs = await trainQueued({ core, ids: group.memberIds, quiet })
    if (quiet) {
      process.stdout.write(
        JSON.stringify({
          group: group.id,
          name: group.name,
          runs: runs.map((r) => ({
            id: r.id,
            seed: r.seed,
            status: r.status,
            testAccuracy: r.testAccuracy,
            bestValAccuracy: r.bestValAccuracy
          })),
          testAccuracy: spreadOf(runs.map((r) => r.testAccuracy)),
          bestValAccuracy: spreadOf(runs.map((r) => r.bestValAccuracy))
        }) + '\n'
      )
    } else {
      process.stdout.write(`group ${group.id} "${group.name}"\n${membersReport(runs)}`)
    }
    if (runs.every((r) => r.status === 'completed')) return 0
    return runs.some((r) => r.status === 'cancelled') ? 130 : 1
  } finally {
    await core.shutdown({ cancelRunning: true })
  }
}
