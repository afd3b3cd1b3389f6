import { NUM_CLASSES } from '@shared/presets'
import type { Predictions, RunDetail } from '@shared/run'

/** A run as a self-contained JSON document: settings, provenance, history, metrics and predictions. */
export function runJson(run: RunDetail, predictions: Predictions | null): string {
  const doc = {
    format: 'atelier-run',
    formatVersion: 1,
    run,
    predictions: predictions && {
      predicted: Array.from(predictions.predicted),
      confidence: Array.from(predictions.predicted, (p, i) => Number(predictions.probabilities[i * NUM_CLASSES + p].toFixed(6)))
    }
  }
  return JSON.stringify(doc, null, 2) + '\n'
}
