/** Runs trained on files other than the official Fashion-MNIST files say so; official and unknown ones do not. */
import { describe, expect, it } from 'vitest'
import { OFFICIAL_DATASET_CHECKSUM, datasetChecksumWarning } from '@shared/dataset-checksum'

describe('datasetChecksumWarning', () => {
  it('is quiet for the official files and for runs that never recorded a checksum', () => {
    expect(datasetChecksumWarning(OFFICIAL_DATASET_CHECKSUM)).toBeNull()
    expect(datasetChecksumWarning(null)).toBeNull()
  })

  it('warns for any other checksum, naming both and what to do', () => {
    expect(datasetChecksumWarning('0123456789abcdef'.repeat(4))).toMatch(
      /not the official Fashion-MNIST files \(dataset checksum 0123456789ab…, official 6e1b8248a371…\).*cannot be compared.*Download the dataset again/
    )
  })
})
