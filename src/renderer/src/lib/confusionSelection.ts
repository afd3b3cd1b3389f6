/** Which test images sit behind a confusion-matrix cell, and which ones a run got wrong. */

/** Indices of test images with true class `row` predicted as `col`, in test-set order. */
export function cellIndices(labels: ArrayLike<number>, predicted: ArrayLike<number>, row: number, col: number): number[] {
  const n = Math.min(labels.length, predicted.length)
  const out: number[] = []
  for (let i = 0; i < n; i++) if (labels[i] === row && predicted[i] === col) out.push(i)
  return out
}

/** Counts per [true][predicted], rebuilt from predictions (for runs compared cell by cell). */
export function confusionFromPredictions(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes = 10): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0))
  const n = Math.min(labels.length, predicted.length)
  for (let i = 0; i < n; i++) m[labels[i]][predicted[i]]++
  return m
}

/** Each row divided by its total, so a cell reads as "share of this true class". */
export function normaliseRows(matrix: readonly number[][]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0)
    return row.map((v) => (total > 0 ? v / total : 0))
  })
}

/** Cell-by-cell `b − a`: positive where run B puts more images than run A. */
export function confusionDiff(a: readonly number[][], b: readonly number[][]): number[][] {
  return b.map((row, i) => row.map((v, j) => v - (a[i]?.[j] ?? 0)))
}

/** One thumbnail in a gallery. */
export interface GalleryItem {
  index: number
  label: number
  predicted: number
  /** Probability the run gave its predicted class. */
  confidence: number
}

/** The model's confidence in its own prediction for image `i` (probabilities are row-major [n, 10]). */
export function confidenceOf(probabilities: ArrayLike<number>, predicted: ArrayLike<number>, i: number, classes = 10): number {
  return probabilities[i * classes + predicted[i]] ?? 0
}

export interface GalleryQuery {
  /** Only images of this true class; null for all. */
  trueClass: number | null
  /** Only images predicted as this class; null for all. */
  predictedClass: number | null
  order: 'confidence-desc' | 'confidence-asc' | 'index'
}

/** Builds gallery items for the given indices, then filters and sorts them. */
export function galleryItems(
  indices: readonly number[],
  source: { labels: ArrayLike<number>; predicted: ArrayLike<number>; probabilities: ArrayLike<number> },
  query: GalleryQuery
): GalleryItem[] {
  const items: GalleryItem[] = []
  for (const index of indices) {
    const label = source.labels[index]
    const predicted = source.predicted[index]
    if (query.trueClass !== null && label !== query.trueClass) continue
    if (query.predictedClass !== null && predicted !== query.predictedClass) continue
    items.push({ index, label, predicted, confidence: confidenceOf(source.probabilities, source.predicted, index) })
  }
  if (query.order === 'confidence-desc') items.sort((a, b) => b.confidence - a.confidence || a.index - b.index)
  if (query.order === 'confidence-asc') items.sort((a, b) => a.confidence - b.confidence || a.index - b.index)
  return items
}

/** Indices of every misclassified test image. */
export function misclassifiedIndices(labels: ArrayLike<number>, predicted: ArrayLike<number>): number[] {
  const n = Math.min(labels.length, predicted.length)
  const out: number[] = []
  for (let i = 0; i < n; i++) if (labels[i] !== predicted[i]) out.push(i)
  return out
}
