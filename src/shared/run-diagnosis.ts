/**
 * What went wrong with a run that "completed" anyway, and what a person can do about it: pure
 * functions over the hyperparameters and the recorded history and metrics, shared by the core (run
 * list), the run view and the New run form, so every place says the same thing.
 */
import type { Hparams } from './hparams'
import { hasBatchNorm, runArchitecture } from './run-architecture'
import type { EpochRecord } from './run'
import { BUILTINS, isBuiltin } from './dataset'
/** Test accuracy this far above 1 / classes (or less) counts as chance level. */
export const CHANCE_MARGIN = 0.05
/** A final training loss this many times the first epoch's (and 0.5 higher) counts as diverged. */
const RISE_FACTOR = 1.5
/** Batch-norm moving averages start at 0 / 1 and move by 1 % a step: fewer steps than this leave them unsettled. */
const BN_SETTLE_STEPS = 1_000
/** Training accuracy this far above test (or validation) accuracy, with few steps, points at batch norm. */
const BN_GAP = 0.25
/** Adam's learning rate from which the form warns. */
export const HIGH_ADAM_LR = 0.1

export type DiagnosisKind = 'diverged' | 'chance' | 'batchnorm-unsettled'

/** One finding about a run. */
export interface RunDiagnosis {
  kind: DiagnosisKind
  /** A few words for a badge, e.g. "Diverged". */
  label: string
  /** What happened, with the run's own numbers. */
  detail: string
  /** What to try next. */
  advice: string
}

/** What the diagnosis reads of a run (a `RunDetail` has all of it). */
export interface DiagnosisInput {
  hparams: Hparams
  history: readonly EpochRecord[]
  /** Test accuracy and loss after training; null while there are none. */
  testAccuracy: number | null
  testLoss: number | null
  /** confusion[true][predicted], when there are test metrics. */
  confusion?: readonly (readonly number[])[] | null
  /** Class names, indexed by label; their number sets chance level. */
  classNames: readonly string[]
  /**
   * Training images of the run's dataset (before the subset and the validation share); when left out,
   * a built-in's official count, and for other datasets unknown (findings that need it are skipped).
   */
  trainCount?: number | null
}

/** The training images of a dataset: the one given, else a built-in's official count, else null (unknown). */
export function datasetTrainCount(dataset: string, trainCount?: number | null): number | null {
  if (trainCount != null) return trainCount
  return isBuiltin(dataset) ? BUILTINS[dataset].trainCount : null
}

/**
 * Images the run trains on: the subset (or the dataset's whole training set) minus the stratified
 * validation share; null when neither a subset nor the dataset's size is known.
 */
export function trainingImageCount(
  h: Pick<Hparams, 'trainSubset' | 'validationSplit' | 'dataset'>,
  trainCount?: number | null
): number | null {
  const full = datasetTrainCount(h.dataset, trainCount)
  // A subset larger than the dataset trains on all of it.
  const pool = h.trainSubset === null ? full : full === null ? h.trainSubset : Math.min(h.trainSubset, full)
  return pool === null ? null : pool - Math.round(pool * h.validationSplit)
}

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`
const num = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : String(x))

function diverged(input: DiagnosisInput): RunDiagnosis | null {
  const { history, hparams } = input
  const advice = `Lower the learning rate (Adam usually trains well at 0.001; this run used ${hparams.learningRate}), then re-run.`
  const bad = history.find((e) => !Number.isFinite(e.loss) || !Number.isFinite(e.valLoss))
  if (bad) {
    return {
      kind: 'diverged',
      label: 'Diverged',
      detail: `The loss became NaN or infinite in epoch ${bad.epoch}: training diverged.`,
      advice
    }
  }
  if (input.testLoss !== null && !Number.isFinite(input.testLoss)) {
    return { kind: 'diverged', label: 'Diverged', detail: 'The test loss is NaN: the weights diverged during training.', advice }
  }
  const first = history[0]
  const last = history[history.length - 1]
  if (first && last && last !== first && last.loss > first.loss * RISE_FACTOR && last.loss - first.loss > 0.5) {
    return {
      kind: 'diverged',
      label: 'Diverged',
      detail: `The training loss rose from ${num(first.loss)} in epoch ${first.epoch} to ${num(last.loss)} in epoch ${last.epoch} instead of falling.`,
      advice
    }
  }
  return null
}

/** Total gradient steps the history covers; null when the number of training images is unknown. */
function stepsTaken(input: DiagnosisInput): number | null {
  const images = trainingImageCount(input.hparams, input.trainCount)
  return images === null ? null : Math.ceil(images / input.hparams.batchSize) * input.history.length
}

function batchNormUnsettled(input: DiagnosisInput): RunDiagnosis | null {
  if (!hasBatchNorm(runArchitecture(input.hparams).layers)) return null
  const last = input.history[input.history.length - 1]
  if (!last || !Number.isFinite(last.accuracy)) return null
  const held = input.testAccuracy ?? last.valAccuracy
  const heldName = input.testAccuracy !== null ? 'test' : 'validation'
  const steps = stepsTaken(input)
  if (steps === null || !Number.isFinite(held) || last.accuracy - held < BN_GAP || steps >= BN_SETTLE_STEPS) return null
  return {
    kind: 'batchnorm-unsettled',
    label: 'Batch norm unsettled',
    detail:
      `Training accuracy reached ${pct(last.accuracy)} but ${heldName} accuracy is ${pct(held)}. The model uses batch normalisation, ` +
      `whose moving averages (used for validation and test) had only ${steps} training steps to settle.`,
    advice:
      'Train more epochs or on more images (a few thousand steps in all), e.g. with Train more; the training accuracy shows the model is learning.'
  }
}

function chanceLevel(input: DiagnosisInput): RunDiagnosis | null {
  const { testAccuracy, hparams, classNames } = input
  const classes = classNames.length
  if (testAccuracy === null || !Number.isFinite(testAccuracy) || classes < 2) return null
  const chance = 1 / classes
  if (testAccuracy > chance + CHANCE_MARGIN) return null
  let detail = `Test accuracy ${pct(testAccuracy)} is chance level for ${classes} classes (${pct(chance)}): the model learned nothing useful.`
  const favourite = dominantPrediction(input.confusion, classNames)
  if (favourite) detail += ` It answers "${favourite.name}" for ${pct(favourite.share)} of the test images.`
  const training = trainingImageCount(hparams, input.trainCount)
  const tips: string[] = []
  if (hparams.learningRate >= HIGH_ADAM_LR && hparams.recipe?.optimizer !== 'sgd')
    tips.push(`lower the learning rate (0.001 is Adam's usual default)`)
  if (training !== null && hparams.batchSize >= training) tips.push(`use a batch smaller than the ${training} training images`)
  tips.push('train on more images or for more epochs')
  return { kind: 'chance', label: 'Chance level', detail, advice: `Try to ${tips.join(', ')}, then re-run.` }
}

/** The class the model predicts for most test images, when that is more than half of them. */
function dominantPrediction(confusion: DiagnosisInput['confusion'], classNames: readonly string[]): { name: string; share: number } | null {
  if (!confusion || confusion.length === 0) return null
  const columns = confusion[0]!.map((_, j) => confusion.reduce((s, row) => s + (row[j] ?? 0), 0))
  const total = columns.reduce((s, c) => s + c, 0)
  if (total === 0) return null
  const top = columns.indexOf(Math.max(...columns))
  const share = columns[top]! / total
  return share > 0.5 ? { name: classNames[top] ?? `class ${top}`, share } : null
}

/**
 * Findings about a run, most serious first: diverged, then unsettled batch norm (which explains a low
 * accuracy better than "chance level" does), then chance level. Empty for a healthy run.
 */
export function diagnoseRun(input: DiagnosisInput): RunDiagnosis[] {
  const found: RunDiagnosis[] = []
  const d = diverged(input)
  if (d) found.push(d)
  const bn = batchNormUnsettled(input)
  if (bn) found.push(bn)
  else {
    const c = chanceLevel(input)
    if (c) found.push(c)
  }
  return found
}

/** Built-in datasets of digits and characters, whose mirror images are not of the same class. */
const GLYPH_DATASETS: ReadonlySet<string> = new Set(['mnist', 'kmnist'])

/**
 * Warnings about settings that are valid but will not train well; shown in the New run form, never
 * blocking. `trainCount`: the chosen dataset's training images (a built-in's are known without it).
 */
export function hparamWarnings(h: Hparams, trainCount?: number | null): string[] {
  const warnings: string[] = []
  const training = trainingImageCount(h, trainCount)
  if (training !== null && h.batchSize > training) {
    warnings.push(
      `Batch size ${h.batchSize} is larger than the ${training} training images (after ${Math.round(h.validationSplit * 100)} % validation), ` +
        `so each epoch is a single step. Choose a batch of at most ${training} (32–128 is typical).`
    )
  }
  // SGD commonly trains at 0.1; the adaptive optimizers diverge there.
  if (h.learningRate >= HIGH_ADAM_LR && h.recipe?.optimizer !== 'sgd') {
    warnings.push(
      `Learning rate ${h.learningRate} is very high for Adam: training usually diverges or stays at chance level. Adam's usual default is 0.001.`
    )
  }
  if (h.recipe?.augment?.flip && GLYPH_DATASETS.has(h.dataset)) {
    warnings.push(
      `Horizontal flip on ${h.dataset}: a mirrored digit or character is another glyph or none, so flipped images teach wrong labels. Leave flip off for digits and text.`
    )
  }
  return warnings
}
