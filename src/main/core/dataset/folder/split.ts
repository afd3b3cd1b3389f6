/**
 * From probed files to the two lists to decode: identical files dropped (per split), the seeded
 * stratified test split drawn when the folder has no `test/`, and every class checked to have
 * images on both sides.
 */
import type { SkippedFile } from '@shared/dataset'
import { DatasetError } from '../errors'
import { stratifiedSplit } from '../split'
import type { ProbedImage } from './decode'
import type { ScannedFile } from './scan'

/** A file that passed the probe. */
export interface Candidate extends ScannedFile {
  probe: ProbedImage
}

export interface Deduplicated {
  kept: Candidate[]
  duplicates: number
  /** Copies found in another class than the kept file (a labelling conflict worth seeing). */
  skipped: SkippedFile[]
}

/** Tells, file by file in list order, whether a file repeats the bytes of an earlier one (counted, and listed when in another class). */
export class Deduper {
  private readonly first = new Map<string, ScannedFile>()
  duplicates = 0
  /** Copies found in another class than the kept file (a labelling conflict worth seeing). */
  readonly skipped: SkippedFile[] = []

  constructor(private readonly classNames: string[]) {}

  /** True for the first file with these bytes; false (and counted) for every later copy. */
  keep(file: ScannedFile, sha256: string): boolean {
    const earlier = this.first.get(sha256)
    if (!earlier) {
      this.first.set(sha256, file)
      return true
    }
    this.duplicates++
    if (earlier.label !== file.label) {
      this.skipped.push({
        file: file.rel,
        reason: `same bytes as ${earlier.rel} (class '${this.classNames[earlier.label]}'); kept there only`
      })
    }
    return false
  }
}

/** Keeps the first of each set of identical files (same SHA-256) in list order; counts the rest. */
export function dropDuplicates(files: Candidate[], classNames: string[]): Deduplicated {
  const deduper = new Deduper(classNames)
  const kept = files.filter((f) => deduper.keep(f, f.probe.sha256))
  return { kept, duplicates: deduper.duplicates, skipped: deduper.skipped }
}

/** Splits `files` into train and test, stratified by class and seeded; both lists keep the input order. */
export function drawTestSplit<T extends { label: number }>(files: T[], testSplit: number, seed: number): { train: T[]; test: T[] } {
  const labels = Uint8Array.from(files, (f) => f.label)
  const { train, validation } = stratifiedSplit(labels, { validationFraction: testSplit, seed })
  const pick = (indices: Uint32Array): T[] => Array.from(indices.sort(), (i) => files[i])
  return { train: pick(train), test: pick(validation) }
}

export function perClass(files: { label: number }[], classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0)
  for (const f of files) counts[f.label]++
  return counts
}

export interface SplitCheck {
  folder: string
  classNames: string[]
  trainPerClass: number[]
  testPerClass: number[]
  /** Null when the folder has its own test/ folder. */
  testSplit: number | null
}

/** Throws naming the first class with no training or no test images. */
export function checkSplitCounts({ folder, classNames, trainPerClass, testPerClass, testSplit }: SplitCheck): void {
  for (const [c, name] of classNames.entries()) {
    const total = trainPerClass[c] + testPerClass[c]
    if (total === 0) {
      throw new DatasetError(
        folder,
        `class '${name}' has no readable image; add images to its folder or remove the folder (nothing was imported)`,
        {
          code: 'invalid'
        }
      )
    }
    if (testPerClass[c] === 0) {
      const fix =
        testSplit === null
          ? `add images to its folder in test/`
          : `add images to its folder or raise the test split (now ${testSplit}) so at least one is held out`
      throw new DatasetError(folder, `class '${name}' has no test images (${total} readable in all); ${fix} (nothing was imported)`, {
        code: 'invalid'
      })
    }
    if (trainPerClass[c] === 0) {
      throw new DatasetError(
        folder,
        `class '${name}' has no training images (${total} readable in all); add images to its training folder (nothing was imported)`,
        {
          code: 'invalid'
        }
      )
    }
  }
}
