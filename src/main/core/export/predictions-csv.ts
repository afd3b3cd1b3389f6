import type { Predictions } from '@shared/run'
import { csvCell } from './csv'

/** The header of {@link predictionsCsv}: each class index is followed by its name. */
export const PREDICTIONS_CSV_HEADER = 'index,label,label_name,predicted,predicted_name,confidence'

/**
 * `index,label,label_name,predicted,predicted_name,confidence`, one row per test image in the test
 * set's order; the names are the run's dataset's class names of the indices beside them (any Unicode,
 * quoted where CSV needs it), confidence is the predicted class's probability.
 */
export function predictionsCsv(labels: ArrayLike<number>, predictions: Predictions, classNames: readonly string[]): string {
  const rows = [PREDICTIONS_CSV_HEADER]
  const { predicted, probabilities } = predictions
  // One probability per class and image; the row length follows the stored probabilities.
  const k = predicted.length > 0 ? Math.round(probabilities.length / predicted.length) : classNames.length
  const names = Array.from({ length: Math.max(k, classNames.length) }, (_, i) => csvCell(classNames[i] ?? `class ${i}`))
  for (let i = 0; i < predicted.length; i++) {
    const label = labels[i]!
    const guess = predicted[i]!
    rows.push(`${i},${label},${names[label]},${guess},${names[guess]},${probabilities[i * k + guess]!.toFixed(6)}`)
  }
  return rows.join('\n') + '\n'
}
