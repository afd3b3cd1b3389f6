import { NUM_CLASSES } from '@shared/presets'
import type { Predictions } from '@shared/run'

/** `index,label,predicted,confidence`, one row per test image in official order; confidence is the predicted class's probability. */
export function predictionsCsv(labels: ArrayLike<number>, predictions: Predictions): string {
  const rows = ['index,label,predicted,confidence']
  const { predicted, probabilities } = predictions
  for (let i = 0; i < predicted.length; i++) {
    rows.push(`${i},${labels[i]},${predicted[i]},${probabilities[i * NUM_CLASSES + predicted[i]].toFixed(6)}`)
  }
  return rows.join('\n') + '\n'
}
