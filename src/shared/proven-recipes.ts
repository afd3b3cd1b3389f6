/**
 * Proven recipes: an architecture, a dataset and a training recipe that were trained here to a
 * measured result, under a name. A person runs one with one click (New run) or `train --recipe NAME`;
 * the figures are what the development machine measured (README, "Proven recipes"), not a promise.
 */
import { completeHparams, type Hparams } from './hparams'
import { formatFieldErrors } from './error-text'
import { DEFAULT_RECIPE, describeRecipe } from './recipe'
import { modelLabel, modelTitle } from './run-architecture'

export const PROVEN_RECIPE_IDS = ['fashion-mnist-93'] as const
export type ProvenRecipeId = (typeof PROVEN_RECIPE_IDS)[number]

export interface ProvenRecipe {
  id: ProvenRecipeId
  title: string
  /** Why it works, in one sentence (its settings are {@link describeProvenRecipe}'s). */
  description: string
  /** What it reached when measured, and where: shown beside the button that runs it. */
  measured: string
  /** Everything the run trains with; a person may still change any of it before starting. */
  hparams: Hparams
}

/** Hyperparameters from the preset's defaults and the recipe's own; a recipe that does not parse is a programming error. */
function recipeHparams(partial: Parameters<typeof completeHparams>[0]): Hparams {
  const result = completeHparams(partial)
  if (!result.ok) throw new Error(`proven recipe does not parse: ${formatFieldErrors(result.errors)}`)
  return result.value
}

export const PROVEN_RECIPES: Record<ProvenRecipeId, ProvenRecipe> = {
  'fashion-mnist-93': {
    id: 'fashion-mnist-93',
    title: 'Fashion-MNIST above 93.5 %',
    description:
      'The batch-normalised CNN preset on all of the training images, regularised three ways (weight decay, label smoothing, ' +
      'shifted and mirrored images) so that it keeps improving for all 20 epochs while the learning rate anneals to zero.',
    measured: 'test accuracy 93.98 % (seed 1) after 1 h 22 min of training on a 2-core machine (WASM backend), 2026-12-06',
    hparams: recipeHparams({
      preset: 'cnn-bn',
      dataset: 'fashion-mnist',
      epochs: 20,
      batchSize: 128,
      learningRate: 0.002,
      validationSplit: 0.05,
      seed: 1,
      // The cosine schedule decides the learning rate; a reduction on plateau would cut it again.
      reduceLrOnPlateau: { enabled: false, monitor: 'val_loss', factor: 0.5, patience: 2, minLr: 1e-5 },
      recipe: {
        ...DEFAULT_RECIPE,
        optimizer: 'adamw',
        weightDecay: 0.05,
        schedule: 'cosine',
        warmupEpochs: 1,
        labelSmoothing: 0.1,
        augment: { shift: 2, flip: true, erase: 0 }
      }
    })
  }
}

/** Is `name` a proven recipe's id? */
export const isProvenRecipeId = (name: string): name is ProvenRecipeId => (PROVEN_RECIPE_IDS as readonly string[]).includes(name)

/** A fresh copy of the recipe's hyperparameters, safe to edit. */
export const provenRecipeHparams = (id: ProvenRecipeId): Hparams => structuredClone(PROVEN_RECIPES[id].hparams)

/** Its settings in one line: the model, the dataset, the schedule and the recipe. */
export function describeProvenRecipe(r: ProvenRecipe): string {
  const h = r.hparams
  return (
    `${modelTitle(modelLabel(h))} on ${h.dataset} · ${h.epochs} epochs · batch ${h.batchSize} · ` +
    `learning rate ${h.learningRate} · ${describeRecipe(h.recipe)}`
  )
}
