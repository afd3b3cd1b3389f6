import type { Predictions, RunDetail } from '@shared/run'

/** A run as a self-contained JSON document: settings, provenance (its dataset included), history, metrics and predictions. */
export function runJson(run: RunDetail, predictions: Predictions | null): string {
  // One probability per class of the run's dataset and image.
  const k =
    predictions && predictions.predicted.length > 0 ? Math.round(predictions.probabilities.length / predictions.predicted.length) : 0
  const doc = {
    format: 'atelier-run',
    formatVersion: 1,
    run,
    predictions: predictions && {
      predicted: Array.from(predictions.predicted),
      confidence: Array.from(predictions.predicted, (p, i) => Number(predictions.probabilities[i * k + p]!.toFixed(6)))
    }
  }
  return JSON.stringify(doc, null, 2) + '\n'
}
