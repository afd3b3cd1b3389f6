/** The identity of the official Fashion-MNIST files, so runs trained on other files can say so. */

/**
 * The dataset checksum a run records (sha256 over the four files' decompressed contents, see
 * `src/main/core/dataset/README.md`) when it trained on the official Fashion-MNIST files.
 */
export const OFFICIAL_DATASET_CHECKSUM = '6e1b8248a371b684a8915a1bed4b38233fddf371eb4aedfbefbeecd3adf25313'

/**
 * What to tell a person about a run's recorded dataset checksum: null for the official files or
 * when none was recorded (the run never started), otherwise a warning that its results are not
 * Fashion-MNIST results (shuffled labels, other images).
 */
export function datasetChecksumWarning(checksum: string | null | undefined): string | null {
  if (!checksum || checksum === OFFICIAL_DATASET_CHECKSUM) return null
  return (
    `This run trained on files that are not the official Fashion-MNIST files (dataset checksum ${checksum.slice(0, 12)}…, ` +
    `official ${OFFICIAL_DATASET_CHECKSUM.slice(0, 12)}…): labels or images differ, so its results cannot be compared ` +
    'with Fashion-MNIST results. Download the dataset again to train on the official files.'
  )
}
