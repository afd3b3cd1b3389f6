import { CLASS_NAMES } from '@shared/classes'
import { NUM_CLASSES } from '@shared/presets'
import type { Predictions } from '@shared/run'
import { csvCell } from './csv'

/** The header of {@link predictionsCsv}: each class index is followed by its name. */
export const PREDICTIONS_CSV_HEADER = 'index,label,label_name,predicted,predicted_name,confidence'

/**
 * `index,label,label_name,predicted,predicted_name,confidence`, one row per test image in official
 * order; the names are the class names of the indices beside them, confidence is the predicted class's probability.
 */
export function predictionsCsv(labels: ArrayLike<number>, predictions: Predictions): string {
  const rows = [PREDICTIONS_CSV_HEADER]
  const names = CLASS_NAMES.map(csvCell)
  const { predicted, probabilities } = predictions
  for (let i = 0; i < predicted.length; i++) {
    const label = labels[i]
    const guess = predicted[i]
    rows.push(`${i},${label},${names[label]},${guess},${names[guess]},${probabilities[i * NUM_CLASSES + guess].toFixed(6)}`)
  }
  return rows.join('\n') + '\n'
}
