/** The progress line of `dataset download|import|add`: amounts, share, rate and ETA a person can read. */
import { describe, expect, it } from 'vitest'
import { progressText } from '@main/cli/dataset-progress'

describe('dataset progress line', () => {
  it('shows megabytes with the file, the share done, the rate and the time left', () => {
    const text = progressText({
      dataset: 'mnist',
      phase: 'downloading',
      file: 'train-images-idx3-ubyte.gz',
      done: 4_100_000,
      total: 9_900_000,
      unit: 'bytes',
      perSec: 1_200_000,
      etaSeconds: 65
    })
    expect(text).toBe('mnist downloading train-images-idx3-ubyte.gz  4.1/9.9 MB  41%  1.2 MB/s  ETA 1:05')
  })

  it('counts images while decoding, and says when the ETA is not known yet', () => {
    expect(progressText({ dataset: 'pets', phase: 'decoding', done: 1200, total: 0, unit: 'images', perSec: 0, etaSeconds: null })).toBe(
      'pets decoding  1,200 images  ETA —'
    )
    expect(progressText({ dataset: 'pets', phase: 'decoding', done: 1200, total: 6000, unit: 'images', perSec: 400, etaSeconds: 12 })).toBe(
      'pets decoding  1,200/6,000 images  20%  400 img/s  ETA 0:12'
    )
  })
})
