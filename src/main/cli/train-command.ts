/** `train`: validates everything first, then records and trains one run with a live display. */
import { completeHparams, type Hparams } from '@shared/hparams'
import { PRESET_IDS, type PresetId } from '@shared/presets'
import { loadDataset } from '@main/dataset'
import { numberFlag, UsageError, type Flags } from './args'
import { cliPaths, openCore } from './context'
import { backendFlag, followRun } from './follow-run'

const FLAG_OF_PATH: Record<string, string> = {
  preset: '--model',
  epochs: '--epochs',
  batchSize: '--batch-size',
  learningRate: '--lr',
  validationSplit: '--val-split',
  seed: '--seed',
  trainSubset: '--subset',
  'earlyStopping.patience': '--early-stop-patience',
  'reduceLrOnPlateau.patience': '--reduce-lr-patience'
}

/** Hyperparameters from flags, validated by the shared schema; errors name the flag. */
export function hparamsFromFlags(flags: Flags): Hparams {
  const preset = flags.model
  if (!preset) throw new UsageError(`--model is required: one of ${PRESET_IDS.join(', ')}`)
  if (!(PRESET_IDS as readonly string[]).includes(preset)) {
    throw new UsageError(`unknown model "${preset}": choose one of ${PRESET_IDS.join(', ')}`)
  }
  const patience = numberFlag('early-stop-patience', flags['early-stop-patience'], true)
  const lrPatience = numberFlag('reduce-lr-patience', flags['reduce-lr-patience'], true)
  const partial: Partial<Hparams> & { preset: PresetId } = { preset: preset as PresetId }
  const set = <K extends keyof Hparams>(key: K, value: Hparams[K] | undefined) => {
    if (value !== undefined) partial[key] = value
  }
  set('epochs', numberFlag('epochs', flags.epochs, true))
  set('batchSize', numberFlag('batch-size', flags['batch-size'], true))
  set('learningRate', numberFlag('lr', flags.lr, false))
  set('validationSplit', numberFlag('val-split', flags['val-split'], false))
  set('seed', numberFlag('seed', flags.seed, true))
  set('trainSubset', numberFlag('subset', flags.subset, true))
  const result = completeHparams(partial)
  if (!result.ok) {
    const e = result.errors[0]
    throw new UsageError(`${FLAG_OF_PATH[e.path] ?? e.path}: ${e.message}`)
  }
  const h = result.value
  if (patience !== undefined) h.earlyStopping = { ...h.earlyStopping, enabled: true, patience }
  if (lrPatience !== undefined) h.reduceLrOnPlateau = { ...h.reduceLrOnPlateau, enabled: true, patience: lrPatience }
  if (flags['no-reduce-lr']) h.reduceLrOnPlateau = { ...h.reduceLrOnPlateau, enabled: false }
  const again = completeHparams(h)
  if (!again.ok) throw new UsageError(`${FLAG_OF_PATH[again.errors[0].path] ?? again.errors[0].path}: ${again.errors[0].message}`)
  return again.value
}

export async function trainCommand(flags: Flags): Promise<number> {
  const hparams = hparamsFromFlags(flags)
  const backend = backendFlag(flags)
  const paths = cliPaths(flags)
  // Check the dataset before anything is written, so a bad folder leaves the database unchanged.
  await loadDataset(paths.dataDir)
  const core = openCore(paths, backend)
  try {
    const run = core.runs.start(hparams, flags.name)
    if (!flags.json) process.stderr.write(`run ${run.id} "${run.name}" → ${paths.dbPath}\n`)
    return await followRun(core, run.id, flags)
  } finally {
    await core.shutdown({ cancelRunning: true })
  }
}
