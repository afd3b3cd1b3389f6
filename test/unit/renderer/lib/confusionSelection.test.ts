import { describe, expect, it } from 'vitest'
import {
  cellIndices,
  confusionDiff,
  confusionFromPredictions,
  galleryItems,
  misclassifiedIndices,
  normaliseRows
} from '@renderer/lib/confusionSelection'

// Ten test images: labels and one run's predictions, with softmax rows made to give known confidences.
const labels = Uint8Array.from([0, 0, 1, 1, 2, 0, 2, 1, 0, 2])
const predicted = Uint8Array.from([0, 1, 1, 0, 2, 1, 1, 1, 0, 2])
const probabilities = new Float32Array(10 * 10)
const conf = [0.9, 0.6, 0.8, 0.55, 0.99, 0.7, 0.4, 0.95, 0.85, 0.65]
predicted.forEach((p, i) => (probabilities[i * 10 + p] = conf[i]))

describe('confusion cell → image selection', () => {
  it('selects exactly the images with that true and predicted class', () => {
    expect(cellIndices(labels, predicted, 0, 1)).toEqual([1, 5])
    expect(cellIndices(labels, predicted, 1, 0)).toEqual([3])
    expect(cellIndices(labels, predicted, 2, 1)).toEqual([6])
    expect(cellIndices(labels, predicted, 0, 0)).toEqual([0, 8])
    expect(cellIndices(labels, predicted, 1, 2)).toEqual([])
  })

  it('agrees with the counts of the matrix built from the same predictions', () => {
    const m = confusionFromPredictions(labels, predicted, 3)
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) expect(cellIndices(labels, predicted, r, c)).toHaveLength(m[r][c])
    expect(m).toEqual([
      [2, 2, 0],
      [1, 2, 0],
      [0, 1, 2]
    ])
  })

  it('normalises rows to shares and diffs two matrices cell by cell', () => {
    expect(
      normaliseRows([
        [1, 3],
        [0, 0]
      ])
    ).toEqual([
      [0.25, 0.75],
      [0, 0]
    ])
    expect(
      confusionDiff(
        [
          [5, 1],
          [2, 4]
        ],
        [
          [6, 0],
          [1, 5]
        ]
      )
    ).toEqual([
      [1, -1],
      [-1, 1]
    ])
  })

  it('lists misclassified images with confidence, filtered by class and sorted', () => {
    const wrong = misclassifiedIndices(labels, predicted)
    expect(wrong).toEqual([1, 3, 5, 6])
    const source = { labels, predicted, probabilities }
    const byConf = galleryItems(wrong, source, { trueClass: null, predictedClass: null, order: 'confidence-desc' })
    expect(byConf.map((i) => i.index)).toEqual([5, 1, 3, 6])
    expect(byConf[0]).toEqual({ index: 5, label: 0, predicted: 1, confidence: expect.closeTo(0.7, 5) })
    const asc = galleryItems(wrong, source, { trueClass: null, predictedClass: null, order: 'confidence-asc' })
    expect(asc.map((i) => i.index)).toEqual([6, 3, 1, 5])
    const trueZero = galleryItems(wrong, source, { trueClass: 0, predictedClass: null, order: 'index' })
    expect(trueZero.map((i) => i.index)).toEqual([1, 5])
    const predOne = galleryItems(wrong, source, { trueClass: null, predictedClass: 1, order: 'index' })
    expect(predOne.map((i) => i.index)).toEqual([1, 5, 6])
  })
})
