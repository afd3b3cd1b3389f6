/**
 * Whether a run trained on other data than its dataset's: for Fashion-MNIST, files other than the
 * official ones (the published checksum); for any other dataset, files other than those the store
 * holds now under that name (changed or re-imported since the run).
 */
import { datasetChecksumWarning } from '@shared/dataset-checksum'
import type { RunDetail } from '@shared/run'
import { FASHION_MNIST } from './datasetImage'

export interface RunDataWarning {
  title: string
  text: string
  /** Short note beside the checksum in the run's set-up. */
  note: string
}

export function runDataWarning(run: Pick<RunDetail, 'datasetChecksum'> & { dataset?: RunDetail['dataset'] }): RunDataWarning | null {
  const dataset = run.dataset ?? FASHION_MNIST
  const used = run.datasetChecksum
  if (dataset.name === FASHION_MNIST.name) {
    const text = datasetChecksumWarning(used)
    return text ? { title: 'Not the official Fashion-MNIST files', text, note: 'not the official files' } : null
  }
  const now = dataset.contentHash
  if (!used || !now || used === now) return null
  return {
    title: `Not the ${dataset.title} files the store holds now`,
    text:
      `This run trained on ${dataset.title} files whose content hash (${used.slice(0, 12)}…) differs from the dataset’s now ` +
      `(${now.slice(0, 12)}…): it was changed or imported again since. The run’s metrics are as recorded; its galleries show the ` +
      'images the store holds now, which may not be the ones it was tested on.',
    note: 'differs from the dataset now'
  }
}
