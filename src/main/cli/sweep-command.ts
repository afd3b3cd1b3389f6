/** `sweep`: a grid or random search over learning rate, batch size, epochs, validation split and seeds. */
import { PRESET_IDS, type PresetId } from '@shared/presets'
import { defaultHparams } from '@shared/hparams'
import { sweepRunCount, sweepSpecSchema, type SweepSpec } from '@shared/sweep'
import { loadDataset } from '@main/core/dataset'
import { configLabel, sweepConfigs } from '@main/core/runs/sweep-plan'
import { numberFlag, numberListFlag, UsageError, type Flags } from './args'
import { cliPaths, openCore } from './context'
import { pct, table } from './format'
import { spreadText, trainQueued } from './train-many'
import { DEFAULT_DATASET } from '@shared/dataset'
import { asUsage } from './with-dataset-core'
import { shownStoreLocation } from '@main/core/default-paths'

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
  dataset: '--dataset'
}

/** A sweep spec from flags, validated by the shared schema; errors name the flag. */
export function sweepSpecFromFlags(flags: Flags): SweepSpec {
  const preset = flags.model
  if (flags.arch !== undefined) {
    throw new UsageError(
      'sweep varies a preset only: --arch is not taken yet; train an architecture file with "train --arch FILE.json [--repeats N]"'
    )
  }
  if (!preset) throw new UsageError(`--model is required: one of ${PRESET_IDS.join(', ')}`)
  if (!(PRESET_IDS as readonly string[]).includes(preset))
    throw new UsageError(`unknown model "${preset}": choose one of ${PRESET_IDS.join(', ')}`)
  const defaults = defaultHparams(preset as PresetId)
  const trials = numberFlag('random', flags.random, true)
  const lr = (flags.lr ?? String(defaults.learningRate)).split(':')
  if (lr.length > 2) throw new UsageError(`--lr takes one rate or a range MIN:MAX, got "${flags.lr}"`)
  const [min, max] = [numberFlag('lr', lr[0], false)!, numberFlag('lr', lr[1] ?? lr[0], false)!]
  const count = numberFlag('lr-count', flags['lr-count'], true) ?? (min === max ? 1 : 3)
  const raw = {
    preset,
    mode: trials === undefined ? 'grid' : 'random',
    learningRate: { min, max, count: min === max ? 1 : count },
    batchSizes: numberListFlag('batch-size', flags['batch-size'], true) ?? [defaults.batchSize],
    epochs: numberListFlag('epochs', flags.epochs, true) ?? [defaults.epochs],
    validationSplits: numberListFlag('val-split', flags['val-split'], false) ?? [defaults.validationSplit],
    seeds: { base: numberFlag('seed', flags.seed, true) ?? defaults.seed, count: numberFlag('seeds', flags.seeds, true) ?? 1 },
    ...(trials === undefined ? {} : { trials, drawSeed: numberFlag('draw-seed', flags['draw-seed'], true) }),
    trainSubset: numberFlag('subset', flags.subset, true) ?? null,
    ...(flags.dataset === undefined ? {} : { dataset: flags.dataset })
  }
  const parsed = sweepSpecSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const path = issue.path.filter((p) => typeof p === 'string').join('.')
    throw new UsageError(`${FLAG_OF_PATH[path] ?? 'sweep'}: ${issue.message}`)
  }
  return parsed.data
}

export async function sweepCommand(flags: Flags): Promise<number> {
  const spec = sweepSpecFromFlags(flags)
  const configs = sweepConfigs(spec)
  const runs = sweepRunCount(spec)
  const plan =
    `${spec.mode} sweep of ${spec.preset} on ${spec.dataset ?? DEFAULT_DATASET}: ${configs.length} configuration${configs.length === 1 ? '' : 's'} × ${spec.seeds.count} ` +
    `${spec.seeds.count === 1 ? `seed (${spec.seeds.base})` : `seeds (${spec.seeds.base}…${spec.seeds.base + spec.seeds.count - 1})`} = ${runs} runs\n` +
    configs.map((c, i) => `  ${String(i + 1).padStart(3)}. ${configLabel(c)}`).join('\n') +
    '\n'
  if (flags['dry-run']) {
    process.stdout.write(flags.json ? JSON.stringify({ spec, runs, configs }) + '\n' : plan)
    return 0
  }
  const paths = cliPaths(flags)
  if ((spec.dataset ?? DEFAULT_DATASET) === DEFAULT_DATASET) await loadDataset(paths.dataDir)
  const core = await openCore(paths)
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
      const rows = done.runs.map((r) => [
        r.runId,
        r.learningRate,
        r.batchSize,
        r.epochs,
        r.validationSplit,
        r.seed,
        r.status,
        pct(r.testAccuracy)
      ])
      process.stdout.write(
        `sweep ${done.id} "${done.name}"\n` + table(['id', 'lr', 'batch', 'epochs', 'val split', 'seed', 'status', 'test acc'], rows) + '\n'
      )
      const best = done.best
      process.stdout.write(
        best
          ? `best configuration: ${configLabel(best)} — test accuracy ${spreadText(best.testAccuracy)}, best run ${best.runId}\n`
          : 'no run finished, so there is no best configuration\n'
      )
    }
    if (done.completedCount === done.runCount) return 0
    return done.runs.some((r) => r.status === 'cancelled') ? 130 : 1
  } finally {
    await core.shutdown({ cancelRunning: true })
  }
}
