/**
 * What a run trains: a preset's architecture or its own (`preset: 'custom'` with `architecture`), and
 * how to name it. Every place that shows or builds a run's model goes through these, so a custom run
 * is never mistaken for a preset.
 */
import type { Architecture, Layer } from './architecture/architecture-schema'
import { inferArchitecture, type InferenceResult } from './architecture/infer-architecture'
import { memoryMisfit } from './architecture/training-memory'
import type { ImageShape } from './dataset'
import { CUSTOM_PRESET, type Hparams, type RunPreset } from './hparams'
import { PRESETS, presetArchitecture, presetMisfit, type PresetId } from './presets'

/** The two hyperparameters that say which architecture a run trains. */
export type ArchitectureSource = Pick<Hparams, 'preset' | 'architecture'>

/** Enough of a run to name its model: a summary has both fields, hyperparameters give them through {@link modelLabel}. */
export interface ModelLabel {
  preset: RunPreset
  /** The custom architecture's name; null for a preset. */
  architectureName: string | null
}

/** The architecture the run trains (a preset's, or its own). */
export function runArchitecture(h: ArchitectureSource): Architecture {
  if (h.preset !== CUSTOM_PRESET) return presetArchitecture(h.preset)
  if (!h.architecture) throw new Error('a custom run needs its architecture')
  return h.architecture
}

export const modelLabel = (h: ArchitectureSource): ModelLabel => ({
  preset: h.preset,
  architectureName: h.preset === CUSTOM_PRESET ? (h.architecture?.name ?? null) : null
})

/** What people call the model: the preset's title ("Shallow CNN") or the architecture's own name. */
export function modelTitle({ preset, architectureName }: ModelLabel): string {
  if (preset === CUSTOM_PRESET) return architectureName ?? 'Custom architecture'
  return PRESETS[preset as PresetId]?.title ?? preset
}

/** The short name tables and reports print: the preset's id (`cnn-bn`), or `custom: <architecture name>`. */
export const modelName = ({ preset, architectureName }: ModelLabel): string =>
  preset === CUSTOM_PRESET ? `custom: ${architectureName ?? '?'}` : preset

/** Shapes, parameters and multiply-adds of the run's architecture on a dataset, or the first layer that cannot work. */
export const inferRunArchitecture = (h: ArchitectureSource, shape: ImageShape, classCount: number): InferenceResult =>
  inferArchitecture(runArchitecture(h), { shape, classCount })

/**
 * Why the run's architecture cannot train on images of `shape` with `classCount` classes, in one line,
 * or null when it can: said before a run is queued, instead of a failure in training.
 */
export function runMisfit(h: ArchitectureSource, shape: ImageShape, classCount: number): string | null {
  if (h.preset !== CUSTOM_PRESET) return presetMisfit(h.preset, shape, classCount)
  const result = inferRunArchitecture(h, shape, classCount)
  return result.ok ? null : `Architecture ${runArchitecture(h).name}: ${result.error.message}`
}

/**
 * Why training the run would not fit in memory (its batch of these images through its model), in one
 * line saying what to change, or null when it fits or the model does not fit the images at all
 * ({@link runMisfit} says why). `trainCount` is the dataset's training images: a batch is never larger
 * than what is left of them (or of the subset) after the validation split.
 */
export function runMemoryMisfit(
  h: ArchitectureSource & Pick<Hparams, 'batchSize' | 'trainSubset' | 'validationSplit'>,
  shape: ImageShape,
  classCount: number,
  trainCount: number
): string | null {
  const result = inferRunArchitecture(h, shape, classCount)
  if (!result.ok) return null
  const training = Math.floor(Math.min(h.trainSubset ?? trainCount, trainCount) * (1 - h.validationSplit))
  const memory = memoryMisfit(result, [shape.height, shape.width, shape.channels], Math.max(1, Math.min(h.batchSize, training)))
  return memory && `${modelTitle(modelLabel(h))}: ${memory}`
}

/** Whether any layer (inside residual blocks too) is a batch normalisation. */
export function hasBatchNorm(layers: readonly Layer[]): boolean {
  return layers.some((l) => l.kind === 'batchNorm' || (l.kind === 'residual' && hasBatchNorm(l.layers)))
}
