/**
 * Whether two runs (or two groups of runs) were tested on the same images, the condition of every
 * paired comparison: McNemar's test, the fixed/broke galleries, the confusion difference, and (by the
 * same rule) Welch's test between groups. Curves of runs on different datasets may still be overlaid.
 *
 * The same test set means the same dataset name and the same recorded dataset checksum (the hash of
 * the data the trainer loaded). A run recorded before checksums existed (null) trained on
 * Fashion-MNIST, the only dataset there was, and counts as its official files; for any other dataset
 * a missing checksum cannot be told apart from other files, and the comparison is refused.
 */
import { OFFICIAL_DATASET_CHECKSUM } from './dataset-checksum'
import { BUILTINS, DEFAULT_DATASET, type DatasetRef } from './dataset'

/** What identifies the test set a run was scored on. */
export interface TestSetOf {
  /** Dataset name, e.g. `mnist`. */
  name: string
  /** How people read it, e.g. `MNIST`. */
  title: string
  /** The run's recorded dataset checksum, or the official one it stands for; null when it cannot be told. */
  checksum: string | null
}

/** The official checksum of a built-in whose official files are known here (only Fashion-MNIST's so far). */
const OFFICIAL_CHECKSUMS: Readonly<Record<string, string>> = { 'fashion-mnist': OFFICIAL_DATASET_CHECKSUM }

/** The test set a run was scored on, from its record (`RunDetail` has both fields). */
export function testSetOf(run: { dataset: Pick<DatasetRef, 'name' | 'title'>; datasetChecksum: string | null }): TestSetOf {
  // A record without a dataset (only partial test fixtures lack one) is a run of the only dataset there was.
  const dataset = run.dataset ?? { name: DEFAULT_DATASET, title: BUILTINS[DEFAULT_DATASET].title }
  return {
    name: dataset.name,
    title: dataset.title,
    checksum: run.datasetChecksum ?? OFFICIAL_CHECKSUMS[dataset.name] ?? null
  }
}

/** One side of a comparison: a run (one test set) or a group (its finished members' test sets). */
export interface TestSetSide {
  /** How sentences name it, e.g. `#12 dense` or `group g3 dense × 3 seeds`. */
  label: string
  sets: readonly TestSetOf[]
}

const short = (checksum: string): string => `${checksum.slice(0, 12)}…`
const titles = (sets: readonly TestSetOf[]): string[] => [...new Set(sets.map((s) => s.title))]

/** Why the runs of one side were not all scored on one test set, or null when they were. */
function mixedWithin(side: TestSetSide): string | null {
  const names = titles(side.sets)
  if (names.length > 1) return `the runs of ${side.label} trained on different datasets (${names.join(', ')})`
  const checksums = new Set(side.sets.map((s) => s.checksum))
  if (checksums.size > 1) {
    return `the runs of ${side.label} trained on different files of ${names[0]} (their dataset checksums differ or were not recorded)`
  }
  return null
}

/**
 * Why A and B were not scored on the same test set, as the first half of a sentence (callers add
 * what follows from it, e.g. ", so no paired test is possible"); null when they were. A side with no
 * test sets (nothing finished) is not judged here.
 */
export function testSetMismatch(a: TestSetSide, b: TestSetSide): string | null {
  const why = mixedWithin(a) ?? mixedWithin(b) ?? between(a, b)
  return why && why.charAt(0).toUpperCase() + why.slice(1)
}

function between(a: TestSetSide, b: TestSetSide): string | null {
  const [sa, sb] = [a.sets[0], b.sets[0]]
  if (!sa || !sb) return null
  if (sa.name !== sb.name) return `${a.label} trained on ${sa.title}, ${b.label} on ${sb.title}: their test sets differ`
  if (sa.checksum === null || sb.checksum === null) {
    const unknown = [sa.checksum === null ? a.label : null, sb.checksum === null ? b.label : null].filter(Boolean).join(' and ')
    return (
      `${unknown} recorded no dataset checksum, so it cannot be told whether ${a.label} and ${b.label} ` +
      `were tested on the same ${sa.title} images`
    )
  }
  if (sa.checksum !== sb.checksum) {
    return (
      `${a.label} and ${b.label} both trained on ${sa.title}, but on different files (dataset checksums ${short(sa.checksum)} ` +
      `and ${short(sb.checksum)}): their test sets may differ`
    )
  }
  return null
}

/** What the significance test says when the test sets differ. */
export const NO_PAIRED_TEST = ', so no paired test is possible; accuracies are shown side by side.'
/** What Welch's test between groups says when the test sets differ. */
export const NO_GROUP_TEST = ', so their accuracies do not measure the same thing and are not tested; they are shown side by side.'
