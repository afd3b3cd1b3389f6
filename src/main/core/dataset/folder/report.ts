/** The import report kept with a folder dataset. */
import type { ImportReport, SkippedFile } from '@shared/dataset'

/** Skipped files listed by name at most; the rest are summed up in one last line. */
export const MAX_LISTED_SKIPS = 1000

/** The skipped list, capped at {@link MAX_LISTED_SKIPS} entries plus one line counting the others. */
export function capSkipped(skipped: SkippedFile[]): SkippedFile[] {
  if (skipped.length <= MAX_LISTED_SKIPS) return skipped
  const rest = skipped.length - MAX_LISTED_SKIPS
  return [...skipped.slice(0, MAX_LISTED_SKIPS), { file: '…', reason: `${rest.toLocaleString('en-US')} more files skipped (not listed)` }]
}

export interface ReportParts {
  from: string
  scanned: number
  skipped: SkippedFile[]
  duplicates: number
  trainPerClass: number[]
  testPerClass: number[]
  ownTestSplit: boolean
  testSplit: number
  seed: number
  startedAt: number
}

export function buildReport(parts: ReportParts): ImportReport {
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0)
  return {
    from: parts.from,
    scanned: parts.scanned,
    imported: sum(parts.trainPerClass) + sum(parts.testPerClass),
    skipped: capSkipped(parts.skipped),
    duplicates: parts.duplicates,
    trainPerClass: parts.trainPerClass,
    testPerClass: parts.testPerClass,
    ownTestSplit: parts.ownTestSplit,
    testSplit: parts.ownTestSplit ? null : parts.testSplit,
    seed: parts.ownTestSplit ? null : parts.seed,
    seconds: Math.round((Date.now() - parts.startedAt) / 100) / 10
  }
}
