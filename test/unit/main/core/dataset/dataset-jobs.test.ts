/** Progress gets a rate and an ETA even from sources that report only counts; one job per dataset name. */
import { describe, expect, it } from 'vitest'
import type { DatasetProgress } from '@shared/dataset'
import { createDatasetJobs, withEta } from '@main/core/dataset/dataset-jobs'

const report = (done: number, phase: DatasetProgress['phase'] = 'decoding'): DatasetProgress => ({
  dataset: 'pets',
  phase,
  done,
  total: 1000,
  unit: 'images',
  perSec: 0,
  etaSeconds: null
})

describe('withEta', () => {
  it('measures the rate since the phase began and estimates the time left from it', () => {
    let now = 0
    const seen: DatasetProgress[] = []
    const on = withEta(
      (p) => seen.push(p),
      () => now
    )
    on(report(0))
    now = 2000
    on(report(200))
    expect(seen[0]).toMatchObject({ perSec: 0, etaSeconds: null })
    expect(seen[1]).toMatchObject({ perSec: 100, etaSeconds: 8 })
    // A new phase starts its own clock.
    on(report(0, 'writing'))
    expect(seen[2]).toMatchObject({ perSec: 0, etaSeconds: null })
  })
})

describe('dataset jobs', () => {
  it('joins a second request of the same kind, refuses another kind, and cancels through the signal', async () => {
    const jobs = createDatasetJobs()
    let signal!: AbortSignal
    const first = jobs.run('mnist', 'download', (s) => {
      signal = s
      return new Promise<string>((resolve) => s.addEventListener('abort', () => resolve('stopped')))
    })
    expect(jobs.run('mnist', 'download', async () => 'second')).toBe(first)
    expect(() => jobs.run('mnist', 'import', async () => 'x')).toThrow(/mnist is being downloaded now; wait for it or cancel it first/)
    expect(jobs.busy('mnist')).toBe(true)
    expect(jobs.cancel('mnist')).toBe(true)
    expect(signal.aborted).toBe(true)
    expect(await first).toBe('stopped')
    expect(jobs.busy('mnist')).toBe(false)
    expect(jobs.cancel('mnist')).toBe(false)
  })
})
